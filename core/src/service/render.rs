//! Turning stored records into response representations.
//!
//! Added on the way out (never stored): `meta.location`; a User's read-only `groups` (its
//! direct memberships: `value`, `$ref`, `display`, `type: "direct"`); `$ref` of every member
//! (from its `type` and `value` under the request's base URL).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::env::Environment;
use super::store::{Record, ResourceRef, Store, StoreError};
use super::Service;
use crate::error::ScimError;
use crate::resource::meta::{location, set_location};
use crate::schema::ResourceType;

impl<E: Environment> Service<E> {
    /// Whether resources of `rt` carry the computed `groups` attribute (Users).
    pub(super) fn has_groups(&self, rt: &ResourceType) -> bool {
        self.registry
            .schema(&rt.schema)
            .and_then(|s| s.attribute("groups"))
            .is_some()
    }

    /// The URL of resource `id` of the resource type named `type_name`, if known.
    fn reference(&self, base: &str, type_name: &str, id: &str) -> Option<String> {
        let rt = self.registry.resource_type(type_name)?;
        Some(location(base, &rt.endpoint, id))
    }

    /// The full representations of `records` of type `rt` (before projection); `fresh`
    /// records were just created, so no group can list them yet and none is looked up.
    pub(super) async fn represent<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        records: Vec<Record>,
        base: &str,
        fresh: bool,
    ) -> Result<Vec<Value>, ScimError> {
        let mut groups: BTreeMap<String, Vec<ResourceRef>> = BTreeMap::new();
        if self.has_groups(rt) && !records.is_empty() && !fresh {
            let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
            let memberships = store
                .groups_of(&ids)
                .await
                .map_err(|e: StoreError| ScimError::Storage(e.to_string()))?;
            for m in memberships {
                groups.entry(m.member_id).or_default().push(m.group);
            }
        }
        Ok(records
            .into_iter()
            .map(|record| {
                let mut doc = match record.data {
                    Value::Object(map) => map,
                    _ => Map::new(),
                };
                set_location(&mut doc, location(base, &rt.endpoint, &record.id));
                self.add_member_refs(&mut doc, base);
                if let Some(list) = groups.get(&record.id) {
                    let values: Vec<Value> =
                        list.iter().map(|g| self.group_value(base, g)).collect();
                    doc.insert("groups".into(), Value::Array(values));
                }
                Value::Object(doc)
            })
            .collect())
    }

    fn group_value(&self, base: &str, group: &ResourceRef) -> Value {
        let mut v = json!({"value": group.id, "type": "direct"});
        if let Some(r) = self.reference(base, &group.resource_type, &group.id) {
            v["$ref"] = Value::String(r);
        }
        if let Some(d) = &group.display {
            v["display"] = Value::String(d.clone());
        }
        v
    }

    fn add_member_refs(&self, doc: &mut Map<String, Value>, base: &str) {
        let Some(Value::Array(members)) = doc.get_mut("members") else {
            return;
        };
        for member in members.iter_mut().filter_map(Value::as_object_mut) {
            let target = member
                .get("type")
                .and_then(Value::as_str)
                .zip(member.get("value").and_then(Value::as_str))
                .and_then(|(t, id)| self.reference(base, t, id));
            if let Some(r) = target {
                member.insert("$ref".into(), Value::String(r));
            }
        }
    }
}
