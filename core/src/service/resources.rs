//! Single-resource operations: create (RFC 7644 §3.3), replace (§3.5.1), modify (§3.5.2) and
//! delete (§3.6), shared by the HTTP handlers and Bulk.
//!
//! Every write is a compare-and-swap on the version read. When the client sent `If-Match`, a
//! lost race is 412; otherwise the service re-reads and re-applies the change (PUT
//! re-validates, PATCH re-applies its operations to the newer resource), so no update is lost
//! (after [`CAS_ATTEMPTS`] lost races in a row it gives up with 409).
//!
//! Versions and timestamps change only when the document really changes: a PUT or PATCH that
//! leaves it identical keeps `meta.version` and `meta.lastModified`.
//!
//! Members (`members` of a Group): each `value` must be the id of a live resource of this
//! tenant (else 400 `invalidValue`), a resource may not be its own member, duplicates (by
//! `value`) are dropped, `type` is filled from the referenced resource when absent and must
//! agree with it when present, and `$ref` is not stored (it is rebuilt from the base URL on
//! every response, so a client may send `"$ref": null` or a stale URL).
//!
//! Delete: the resource is removed, then removed from every group listing it (separate
//! compare-and-swap writes, best effort: the delete is reported even if one fails). With `soft_delete`, a resource whose schema has `active` is kept
//! with `active: false` and hidden instead.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::env::Environment;
use super::store::{unique_key, Index, Record, Store, StoreError};
use super::Service;
use crate::error::ScimError;
use crate::patch::{self, PatchOptions, PatchRequest};
use crate::query::ast::{AttrPath, PatchPath};
use crate::resource::meta::{meta_object, timestamp, EtagCondition};
use crate::resource::validate::{validate, Mode, ValidateOptions};
use crate::schema::{AttrType, Attribute, ResourceType, Uniqueness, GROUP_URN};

/// Attempts of a write that keeps losing compare-and-swap races (no `If-Match` sent). An
/// attempt loses only when another write of the same resource landed since its read, so with up
/// to this many writers racing on one resource every write lands (50 concurrent PATCHes of one
/// user over D1 need up to 50).
const CAS_ATTEMPTS: usize = 64;
/// Ids drawn before giving up when they collide or contain `bulkId`.
const ID_ATTEMPTS: usize = 4;

/// The stored-resource key of an object member (exact key, as documents are canonical).
fn member_values(doc: &Value) -> impl Iterator<Item = &str> {
    doc.get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("value").and_then(Value::as_str))
}

/// The error of a failed compare-and-swap: 412 with `If-Match`, else retried by the caller.
fn precondition(id: &str) -> ScimError {
    ScimError::PreconditionFailed(format!("resource '{id}' was modified concurrently"))
}

/// The error of a write without `If-Match` that lost [`CAS_ATTEMPTS`] races in a row: 409, the
/// status RFC 7644 §3.12 gives a version conflict (412 answers only a failed `If-Match`).
fn contended(id: &str) -> ScimError {
    ScimError::Conflict(format!(
        "resource '{id}' is being modified by too many concurrent requests; retry"
    ))
}

fn storage(err: StoreError) -> ScimError {
    ScimError::Storage(err.to_string())
}

/// Whether `path` names a whole schema extension of `rt` (`urn:…:User` parses as URN
/// `urn:…:2.0` and name `User`).
fn is_extension_path(path: &AttrPath, rt: &ResourceType) -> bool {
    let Some(urn) = path.urn.as_deref() else {
        return false;
    };
    path.sub.is_none()
        && rt.schema_extensions.iter().any(|e| {
            e.schema.len() == urn.len() + 1 + path.name.len()
                && e.schema
                    .get(..urn.len())
                    .is_some_and(|u| u.eq_ignore_ascii_case(urn))
                && e.schema
                    .get(urn.len() + 1..)
                    .is_some_and(|n| n.eq_ignore_ascii_case(&path.name))
        })
}

/// Removes a `schemas` member from an extension object given to a PATCH `add`/`replace`.
///
/// Clients that serialise the extension as a model of its own (scim2-models, and so
/// scim2-tester) send `{"schemas": ["urn:…:User"], "employeeNumber": …}` as the value of path
/// `urn:…:enterprise:2.0:User` (or of that key in a path-less value, which parsing turns into
/// an operation with that path). `schemas` is not an
/// attribute of an extension (RFC 7643 §3.3: only the resource carries it) and says nothing the
/// path does not, so it is dropped rather than rejected as an unknown attribute.
fn drop_extension_schemas(request: &mut PatchRequest, rt: &ResourceType) {
    let strip =
        |object: &mut Map<String, Value>| object.retain(|k, _| !k.eq_ignore_ascii_case("schemas"));
    for op in &mut request.operations {
        if let (Some(PatchPath::Attr(path)), Some(Value::Object(object))) =
            (&op.path, &mut op.value)
        {
            if is_extension_path(path, rt) {
                strip(object);
            }
        }
    }
}

fn not_found(rt: &ResourceType, id: &str) -> ScimError {
    ScimError::NotFound(format!("{} '{id}'", rt.name))
}

impl<E: Environment> Service<E> {
    /// The attribute whose value must be unique in the tenant for `rt`: the first
    /// single-valued string attribute of the core schema with `uniqueness` server or global
    /// (`userName`), or a Group's `displayName` when configured.
    pub(super) fn unique_attribute(&self, rt: &ResourceType) -> Option<&Attribute> {
        let schema = self.registry.schema(&rt.schema)?;
        if schema.id.eq_ignore_ascii_case(GROUP_URN) && self.config.group_display_name_unique {
            return schema.attribute("displayName");
        }
        schema.attributes.iter().find(|a| {
            a.uniqueness != Uniqueness::None && a.ty == AttrType::String && !a.multi_valued
        })
    }

    /// Whether resources of `rt` have `members` (Groups).
    fn has_members(&self, rt: &ResourceType) -> bool {
        self.registry
            .schema(&rt.schema)
            .and_then(|s| s.attribute("members"))
            .is_some_and(|a| a.sub_attribute("value").is_some())
    }

    /// The index columns of a stored document.
    fn index_of(&self, rt: &ResourceType, doc: &Value, deleted: bool) -> Index {
        let text = |name: &str| doc.get(name).and_then(Value::as_str).map(String::from);
        let meta = |name: &str| {
            doc.get("meta")
                .and_then(|m| m.get(name))
                .and_then(Value::as_str)
                .map(String::from)
                .unwrap_or_default()
        };
        let unique = self.unique_attribute(rt).and_then(|attr| {
            let value = doc.get(attr.name.as_str())?.as_str()?;
            Some(if attr.case_exact {
                value.to_string()
            } else {
                unique_key(value)
            })
        });
        Index {
            unique_key: unique,
            external_id: text("externalId"),
            display: text("displayName").or_else(|| text("userName")),
            created: meta("created"),
            last_modified: meta("lastModified"),
            members: member_values(doc).map(String::from).collect(),
            deleted,
        }
    }

    /// A fresh id: never containing `bulkId`.
    fn fresh_id(&self) -> Result<String, ScimError> {
        (0..ID_ATTEMPTS)
            .map(|_| self.env.new_id())
            .find(|id| !id.is_empty() && !id.contains("bulkId"))
            .ok_or_else(|| ScimError::Storage("the id generator gave no usable id".into()))
    }

    fn validate_options(&self) -> ValidateOptions {
        ValidateOptions {
            lenient: self.config.lenient,
        }
    }

    fn patch_options(&self) -> PatchOptions {
        if self.config.lenient {
            PatchOptions::LENIENT
        } else {
            PatchOptions::default()
        }
    }

    /// Checks and normalises `members` of `doc` (see the module docs); `known` holds member
    /// ids already verified (the previous version's), which are not looked up again.
    async fn check_members<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        doc: &mut Map<String, Value>,
        own_id: Option<&str>,
        known: &BTreeSet<String>,
    ) -> Result<(), ScimError> {
        if !self.has_members(rt) {
            return Ok(());
        }
        let Some(Value::Array(members)) = doc.get_mut("members") else {
            return Ok(());
        };
        let mut seen = BTreeSet::new();
        let mut kept = Vec::with_capacity(members.len());
        for (i, member) in core::mem::take(members).into_iter().enumerate() {
            let Value::Object(mut member) = member else {
                return Err(ScimError::invalid_value(
                    format!("members[{i}]"),
                    "a member must be an object",
                ));
            };
            member.remove("$ref");
            let Some(value) = member.get("value").and_then(Value::as_str) else {
                return Err(ScimError::invalid_value(
                    format!("members[{i}].value"),
                    "a member needs the id of a User or Group in 'value'",
                ));
            };
            if own_id == Some(value) {
                return Err(ScimError::invalid_value(
                    format!("members[{i}].value"),
                    "a group cannot be a member of itself",
                ));
            }
            if seen.insert(value.to_string()) {
                kept.push(member);
            }
        }
        let unknown: Vec<&str> = seen
            .iter()
            .map(String::as_str)
            .filter(|id| !known.contains(*id))
            .collect();
        let found = if unknown.is_empty() {
            Vec::new()
        } else {
            store.lookup(&unknown).await.map_err(storage)?
        };
        for (i, member) in kept.iter_mut().enumerate() {
            let value = member
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if known.contains(value) {
                continue;
            }
            let Some(target) = found.iter().find(|r| r.id == value) else {
                return Err(ScimError::invalid_value(
                    format!("members[{i}].value"),
                    format!("'{value}' is not the id of a User or Group of this tenant"),
                ));
            };
            match member.get("type").and_then(Value::as_str) {
                Some(t) if !t.eq_ignore_ascii_case(&target.resource_type) => {
                    return Err(ScimError::invalid_value(
                        format!("members[{i}].type"),
                        format!("'{value}' is a {}, not a {t}", target.resource_type),
                    ));
                }
                Some(_) => {}
                None => {
                    member.insert("type".into(), Value::String(target.resource_type.clone()));
                }
            }
        }
        *members = kept.into_iter().map(Value::Object).collect();
        Ok(())
    }

    /// The live record `id` of `rt`, or 404.
    pub(super) async fn fetch<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
    ) -> Result<Record, ScimError> {
        store
            .get(&rt.id, id)
            .await
            .map_err(storage)?
            .ok_or_else(|| not_found(rt, id))
    }

    /// Creates a resource of `rt` from the client's `body`.
    pub(super) async fn create<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        body: Value,
    ) -> Result<Record, ScimError> {
        let options = self.validate_options();
        let mut doc = validate(&self.registry, rt, body, Mode::Create, &options)?;
        self.check_members(store, rt, &mut doc, None, &BTreeSet::new())
            .await?;
        let now = timestamp(self.env.now());
        let mut last_err = None;
        for _ in 0..ID_ATTEMPTS {
            let id = self.fresh_id()?;
            doc.insert("id".into(), Value::String(id.clone()));
            doc.insert("meta".into(), meta_object(&rt.name, &now, &now, 1));
            let data = Value::Object(doc.clone());
            let index = self.index_of(rt, &data, false);
            let record = Record {
                id,
                version: 1,
                data,
            };
            match store.create(&rt.id, &record, &index).await {
                Ok(()) => return Ok(record),
                Err(StoreError::IdTaken) => last_err = Some(StoreError::IdTaken),
                Err(StoreError::Duplicate) => return Err(self.duplicate(rt, &record.data)),
                Err(e) => return Err(storage(e)),
            }
        }
        Err(storage(last_err.unwrap_or(StoreError::IdTaken)))
    }

    /// The 409 `uniqueness` error for `doc`.
    fn duplicate(&self, rt: &ResourceType, doc: &Value) -> ScimError {
        let name = self.unique_attribute(rt).map_or("id", |a| a.name.as_str());
        let value = doc.get(name).and_then(Value::as_str).unwrap_or_default();
        ScimError::Uniqueness {
            path: name.into(),
            message: format!("a {} with {name} '{value}' already exists", rt.name),
        }
    }

    /// Stores `next` (the full new document) over `current` if anything changed; returns the
    /// stored record. `Err(None)` means the compare-and-swap was lost.
    async fn write_over<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        current: &Record,
        mut next: Map<String, Value>,
    ) -> Result<Record, Option<ScimError>> {
        let known: BTreeSet<String> = member_values(&current.data).map(String::from).collect();
        self.check_members(store, rt, &mut next, Some(&current.id), &known)
            .await?;
        next.insert("id".into(), Value::String(current.id.clone()));
        let old_meta = current.data.get("meta").cloned().unwrap_or(Value::Null);
        next.insert("meta".into(), old_meta);
        let mut next = Value::Object(next);
        if next == current.data {
            return Ok(current.clone());
        }
        let now = timestamp(self.env.now());
        let created = crate::resource::meta::created(&current.data).unwrap_or(&now);
        let version = current.version.saturating_add(1);
        let meta = meta_object(&rt.name, created, &now, version);
        if let Value::Object(map) = &mut next {
            map.insert("meta".into(), meta);
        }
        let index = self.index_of(rt, &next, false);
        let record = Record {
            id: current.id.clone(),
            version,
            data: next,
        };
        match store
            .replace(&rt.id, &record, &index, current.version)
            .await
        {
            Ok(()) => Ok(record),
            Err(StoreError::VersionMismatch) => Err(None),
            Err(StoreError::NotFound) => Err(Some(not_found(rt, &current.id))),
            Err(StoreError::Duplicate) => Err(Some(self.duplicate(rt, &record.data))),
            Err(e) => Err(Some(storage(e))),
        }
    }

    /// Runs `change` (current record → new document) in a compare-and-swap loop.
    async fn update<S, F>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        condition: Option<&EtagCondition>,
        change: F,
    ) -> Result<Record, ScimError>
    where
        S: Store,
        F: Fn(&Record) -> Result<Map<String, Value>, ScimError>,
    {
        for _ in 0..CAS_ATTEMPTS {
            let current = self.fetch(store, rt, id).await?;
            if let Some(cond) = condition {
                if !cond.matches(current.version) {
                    return Err(ScimError::PreconditionFailed(format!(
                        "{} '{id}' is at version {}, not the one in If-Match",
                        rt.name,
                        crate::resource::meta::etag(current.version)
                    )));
                }
            }
            let next = change(&current)?;
            match self.write_over(store, rt, &current, next).await {
                Ok(record) => return Ok(record),
                Err(Some(err)) => return Err(err),
                Err(None) if condition.is_some() => return Err(precondition(id)),
                Err(None) => {}
            }
        }
        Err(contended(id))
    }

    /// Replaces resource `id` of `rt` with the client's `body` (PUT).
    pub(super) async fn replace<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        body: &Value,
        condition: Option<&EtagCondition>,
    ) -> Result<Record, ScimError> {
        let options = self.validate_options();
        self.update(store, rt, id, condition, |current| {
            let mode = Mode::Replace {
                existing: &current.data,
            };
            Ok(validate(&self.registry, rt, body.clone(), mode, &options)?)
        })
        .await
    }

    /// Applies the PatchOp `body` to resource `id` of `rt` (PATCH).
    pub(super) async fn modify<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        body: &Value,
        condition: Option<&EtagCondition>,
    ) -> Result<Record, ScimError> {
        let options = self.patch_options();
        let mut request = PatchRequest::parse(body, &options)?;
        drop_extension_schemas(&mut request, rt);
        let compiled = patch::CompiledPatch::new(&request, &self.registry, rt, &options)?;
        self.update(store, rt, id, condition, |current| {
            let outcome = compiled.apply(&current.data)?;
            match outcome.resource {
                Value::Object(map) => Ok(map),
                _ => Err(ScimError::InvalidSyntax(
                    "the patched resource is not an object".into(),
                )),
            }
        })
        .await
    }

    /// Deletes resource `id` of `rt` (or soft-deletes it), then removes it from its groups.
    pub(super) async fn remove<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        condition: Option<&EtagCondition>,
    ) -> Result<(), ScimError> {
        let soft = self.config.soft_delete
            && self
                .registry
                .schema(&rt.schema)
                .is_some_and(|s| s.attribute("active").is_some());
        let mut attempts = 0;
        loop {
            attempts += 1;
            let current = self.fetch(store, rt, id).await?;
            if condition.is_some_and(|c| !c.matches(current.version)) {
                return Err(precondition(id));
            }
            let result = if soft {
                let mut data = current.data.clone();
                if let Value::Object(map) = &mut data {
                    map.insert("active".into(), Value::Bool(false));
                }
                let version = current.version.saturating_add(1);
                if let Some(meta) = data.get_mut("meta").and_then(Value::as_object_mut) {
                    let now = timestamp(self.env.now());
                    meta.insert("lastModified".into(), Value::String(now));
                    meta.insert(
                        "version".into(),
                        Value::String(crate::resource::meta::etag(version)),
                    );
                }
                let index = self.index_of(rt, &data, true);
                let record = Record {
                    id: id.into(),
                    version,
                    data,
                };
                store
                    .replace(&rt.id, &record, &index, current.version)
                    .await
            } else {
                store.delete(&rt.id, id, current.version).await
            };
            match result {
                Ok(()) => break,
                Err(StoreError::VersionMismatch)
                    if condition.is_none() && attempts < CAS_ATTEMPTS => {}
                Err(StoreError::VersionMismatch) if condition.is_some() => {
                    return Err(precondition(id))
                }
                Err(StoreError::VersionMismatch) => return Err(contended(id)),
                Err(StoreError::NotFound) => return Err(not_found(rt, id)),
                Err(e) => return Err(storage(e)),
            }
        }
        self.unlink_member(store, id).await;
        Ok(())
    }

    /// Removes member `id` from every group that lists it. Best effort: the delete has
    /// happened and is reported as such; a group that cannot be updated (e.g. the store
    /// fails) keeps a member that no longer exists.
    async fn unlink_member<S: Store>(&self, store: &S, id: &str) {
        let Ok(memberships) = store.groups_of(&[id]).await else {
            return;
        };
        for membership in memberships {
            let Some(group_rt) = self.registry.resource_type(&membership.group.resource_type)
            else {
                continue;
            };
            let _ = self
                .update(store, group_rt, &membership.group.id, None, |current| {
                    let mut map = current.data.as_object().cloned().unwrap_or_default();
                    if let Some(Value::Array(members)) = map.get_mut("members") {
                        members.retain(|m| m.get("value").and_then(Value::as_str) != Some(id));
                        if members.is_empty() {
                            map.remove("members");
                        }
                    }
                    Ok(map)
                })
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::testing::Harness;
    use crate::service::{ListQuery, Listing, Membership, MemoryStore, ResourceRef, ServiceConfig};
    use core::cell::Cell;
    use serde_json::json;

    /// A store where, before each of the next `rivals` replaces or deletes, another writer (an
    /// other isolate) changes the record first, so the write loses its compare-and-swap.
    struct RivalStore {
        inner: MemoryStore,
        rivals: Cell<usize>,
    }

    impl RivalStore {
        async fn rival_write(&self, rt: &str, id: &str, index: &Index) {
            let left = self.rivals.get();
            if left == 0 {
                return;
            }
            self.rivals.set(left - 1);
            if let Ok(Some(current)) = self.inner.get(rt, id).await {
                let mut data = current.data.clone();
                data["title"] = json!(format!("rival {left}"));
                let record = Record {
                    id: current.id.clone(),
                    version: current.version + 1,
                    data,
                };
                let replaced = self
                    .inner
                    .replace(rt, &record, index, current.version)
                    .await;
                assert!(replaced.is_ok());
            }
        }
    }

    impl Store for RivalStore {
        async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
            self.inner.get(rt, id).await
        }
        async fn create(&self, rt: &str, record: &Record, index: &Index) -> Result<(), StoreError> {
            self.inner.create(rt, record, index).await
        }
        async fn replace(
            &self,
            rt: &str,
            record: &Record,
            index: &Index,
            expected: u64,
        ) -> Result<(), StoreError> {
            self.rival_write(rt, &record.id, index).await;
            self.inner.replace(rt, record, index, expected).await
        }
        async fn delete(&self, rt: &str, id: &str, expected: u64) -> Result<(), StoreError> {
            self.rival_write(rt, id, &Index::default()).await;
            self.inner.delete(rt, id, expected).await
        }
        async fn list(&self, rt: &str, query: &ListQuery<'_>) -> Result<Listing, StoreError> {
            self.inner.list(rt, query).await
        }
        async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
            self.inner.lookup(ids).await
        }
        async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
            self.inner.groups_of(ids).await
        }
    }

    fn harness() -> Harness<RivalStore> {
        let store = RivalStore {
            inner: MemoryStore::new(),
            rivals: Cell::new(0),
        };
        Harness::with_store(ServiceConfig::default(), store)
    }

    fn nick(value: &str) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "nickName", "value": value}]
        })
    }

    #[test]
    fn a_write_that_loses_races_is_reapplied_over_the_rival_changes() {
        let h = harness();
        let id = h.user("alice");
        h.store.rivals.set(5);
        let (status, v) = h.json("PATCH", &format!("/Users/{id}"), Some(&nick("Al")));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["nickName"], "Al");
        assert_eq!(v["title"], "rival 1", "the rivals' last change is kept");
        assert_eq!(v["meta"]["version"], "W/\"7\"");
    }

    #[test]
    fn a_write_that_keeps_losing_gives_409_without_if_match_and_412_with_it() {
        let h = harness();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        h.store.rivals.set(CAS_ATTEMPTS);
        let resp = h.call("PATCH", &path, Some(&nick("Al")), &[]);
        assert_eq!(resp.status, 409);
        h.store.rivals.set(CAS_ATTEMPTS - 1);
        assert_eq!(h.call("PATCH", &path, Some(&nick("Al")), &[]).status, 200);

        let etag = h
            .call("GET", &path, None, &[])
            .header("etag")
            .map(String::from);
        let etag = etag.unwrap_or_default();
        h.store.rivals.set(1);
        let resp = h.call("PATCH", &path, Some(&nick("Bo")), &[("If-Match", &etag)]);
        assert_eq!(resp.status, 412);
        let resp = h.call("DELETE", &path, None, &[("If-Match", "*")]);
        assert_eq!(resp.status, 204, "If-Match * takes the newest version");

        let id = h.user("bob");
        h.store.rivals.set(CAS_ATTEMPTS);
        assert_eq!(
            h.call("DELETE", &format!("/Users/{id}"), None, &[]).status,
            409
        );
        h.store.rivals.set(3);
        assert_eq!(
            h.call("DELETE", &format!("/Users/{id}"), None, &[]).status,
            204
        );
    }
}
