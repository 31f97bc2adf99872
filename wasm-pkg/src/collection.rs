//! `CollectionCore`: resources held inside the engine for one resource type, in core's
//! column-wise resident form, filtered there without crossing the JS/wasm boundary per
//! resource. The package's JS `Collection` keeps the caller's objects in the same order and
//! maps the indexes returned here back to them.

use scim_core::query::Collection as Resident;
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
    inner: Resident,
    failure: Option<ScimError>,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// An empty collection for the resource type named by `resourceType` (default `User`).
    #[wasm_bindgen(js_name = createCollection)]
    pub fn create_collection(&self, options: JsValue) -> Result<Collection, JsValue> {
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        Ok(Collection {
            inner: Resident::new(registry, rt),
            failure: None,
        })
    }
}

#[wasm_bindgen(js_class = CollectionCore)]
impl Collection {
    /// Adds the resources of `json` (one JSON object, or an array of them): each replaces the
    /// held resource with the same `id`, or is appended. Returns each one's index, in order;
    /// fewer indexes than resources when one could not be held (`failure` tells why; the
    /// ones before it are held).
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
        let batch = resources.len() > 1;
        let mut indexes = Vec::with_capacity(resources.len());
        for resource in resources {
            match self.inner.upsert(resource) {
                Ok(at) => indexes.push(index(at)),
                Err(err) => {
                    self.failure = Some(err);
                    break;
                }
            }
        }
        if batch {
            self.inner.shrink_to_fit();
        }
        Ok(indexes)
    }

    /// Why the last `upsert` stopped early, as a `ScimError` (then forgotten).
    pub fn failure(&mut self) -> JsValue {
        self.failure.take().map_or(JsValue::UNDEFINED, throw)
    }

    /// The index of the resource with this `id`, or -1.
    pub fn position(&self, id: &str) -> i32 {
        self.inner
            .position(id)
            .and_then(|at| i32::try_from(at).ok())
            .unwrap_or(-1)
    }

    /// Removes the resource with this `id` (later ones move down by one); its index, or -1.
    #[wasm_bindgen(js_name = removeId)]
    pub fn remove_id(&mut self, id: &str) -> i32 {
        match self.inner.position(id) {
            Some(at) if self.inner.remove(at).is_some() => i32::try_from(at).unwrap_or(-1),
            _ => -1,
        }
    }

    /// The number of resources held.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        index(self.inner.len())
    }

    /// The indexes of the resources `filter` matches, ascending.
    pub fn matching(&self, filter: &Filter) -> Vec<u32> {
        self.inner.filter(filter.compiled())
    }

    /// How many resources `filter` matches.
    pub fn count(&self, filter: &Filter) -> u32 {
        index(self.inner.count(filter.compiled()))
    }
}

/// An index as a JS number (collections never approach 2³² resources in wasm32 memory).
fn index(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}
