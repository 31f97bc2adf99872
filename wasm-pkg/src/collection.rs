//! `CollectionCore`: resources held inside the engine for one resource type, filtered there
//! without crossing the JS/wasm boundary per resource. The package's JS `Collection` keeps
//! the caller's objects in the same order and maps the indexes returned here back to them.

use std::collections::BTreeMap;

use scim_core::ScimError;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, throw};
use crate::filter::Filter;
use crate::options;
use crate::registry::SchemaRegistry;

/// Resources of one resource type, in insertion order, each found by its `id`.
#[wasm_bindgen(js_name = CollectionCore)]
pub struct Collection {
    items: Vec<Value>,
    ids: BTreeMap<String, usize>,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// An empty collection for the resource type named by `resourceType` (default `User`).
    #[wasm_bindgen(js_name = createCollection)]
    pub fn create_collection(&self, options: JsValue) -> Result<Collection, JsValue> {
        options::resource_type(self.registry(), &options)?;
        Ok(Collection {
            items: Vec::new(),
            ids: BTreeMap::new(),
        })
    }
}

#[wasm_bindgen(js_class = CollectionCore)]
impl Collection {
    /// Adds the resources of `json` (one JSON object, or an array of them): each replaces the
    /// held resource with the same `id`, or is appended. Returns each one's index, in order.
    pub fn upsert(&mut self, json: &str) -> Result<Vec<u32>, JsValue> {
        let value: Value = serde_json::from_str(json)
            .map_err(|_| throw(ScimError::InvalidSyntax("a resource is not JSON".into())))?;
        let resources = match value {
            Value::Array(items) => items,
            one => vec![one],
        };
        if !resources.iter().all(Value::is_object) {
            return Err(bad_argument("resource", "a resource must be an object"));
        }
        let mut indexes = Vec::with_capacity(resources.len());
        for resource in resources {
            let at = match id_of(&resource).and_then(|id| self.find(id)) {
                Some(at) => {
                    if let Some(slot) = self.items.get_mut(at) {
                        *slot = resource;
                    }
                    at
                }
                None => {
                    if let Some(id) = id_of(&resource) {
                        self.ids.insert(id.into(), self.items.len());
                    }
                    self.items.push(resource);
                    self.items.len() - 1
                }
            };
            indexes.push(index(at));
        }
        Ok(indexes)
    }

    /// The index of the resource with this `id`, or -1.
    pub fn position(&self, id: &str) -> i32 {
        self.find(id)
            .and_then(|at| i32::try_from(at).ok())
            .unwrap_or(-1)
    }

    /// Removes the resource with this `id` (later ones move down by one); its index, or -1.
    #[wasm_bindgen(js_name = removeId)]
    pub fn remove_id(&mut self, id: &str) -> i32 {
        match self.find(id) {
            Some(at) => {
                self.items.remove(at);
                self.ids.remove(id);
                for slot in self.ids.values_mut() {
                    if *slot > at {
                        *slot -= 1;
                    }
                }
                i32::try_from(at).unwrap_or(-1)
            }
            None => -1,
        }
    }

    /// The number of resources held.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        index(self.items.len())
    }

    /// The indexes of the resources `filter` matches, ascending.
    pub fn matching(&self, filter: &Filter) -> Vec<u32> {
        let compiled = filter.compiled();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, r)| compiled.matches(r))
            .map(|(at, _)| index(at))
            .collect()
    }

    /// How many resources `filter` matches.
    pub fn count(&self, filter: &Filter) -> u32 {
        let compiled = filter.compiled();
        index(self.items.iter().filter(|r| compiled.matches(r)).count())
    }
}

impl Collection {
    /// The index of the resource whose `id` is `id`.
    fn find(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }
}

/// The `id` of a resource, when it is a string.
fn id_of(resource: &Value) -> Option<&str> {
    resource.get("id").and_then(Value::as_str)
}

/// An index as a JS number (collections never approach 2³² resources in wasm32 memory).
fn index(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}
