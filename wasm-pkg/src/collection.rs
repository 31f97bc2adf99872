//! `CollectionCore`: resources held inside the engine for one resource type, in core's
//! column-wise resident form, filtered there without crossing the JS/wasm boundary per
//! resource. The package's JS `Collection` keeps the caller's objects in the same order and
//! maps the indexes returned here back to them, so the core collection keeps only its
//! columns, not a second copy of every document.
//!
//! Loading streams: a JSON array is read one element at a time, each element put into the
//! columns and dropped, so a batch never holds its parsed documents all at once. Every growth
//! of the wasm memory makes V8 count more external memory and, past its limit, run a full
//! garbage collection of the JS heap (which holds the caller's objects): loading 10 000 users
//! with the documents kept grew the memory hundreds of times and took seconds, growing
//! quadratically. Keeping only columns, parsing element by element and reserving the
//! memory a batch will need in one growth keep loading linear.

use core::fmt;

use scim_core::query::Collection as Resident;
use scim_core::ScimError;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
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
            inner: Resident::columns_only(registry, rt),
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
        if !json.trim_start().starts_with('[') {
            let value: Value = serde_json::from_str(json).map_err(|_| not_json())?;
            if !value.is_object() {
                return Err(bad_argument("resource", "a resource must be an object"));
            }
            return match self.inner.upsert(value) {
                Ok(at) => Ok(vec![index(at)]),
                Err(err) => {
                    self.failure = Some(err);
                    Ok(Vec::new())
                }
            };
        }
        reserve(json.len());
        let mut loader = Loader {
            inner: &mut self.inner,
            indexes: Vec::new(),
            failure: None,
        };
        let mut de = serde_json::Deserializer::from_str(json);
        let parsed = (&mut loader).deserialize(&mut de).and_then(|()| de.end());
        let Loader {
            indexes, failure, ..
        } = loader;
        self.failure = failure.or_else(|| parsed.err().map(|_| not_json_error()));
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
    pub fn matching(&self, filter: &Filter) -> Result<Vec<u32>, JsValue> {
        self.bound(filter)?;
        Ok(self.inner.filter(filter.compiled()))
    }

    /// How many resources `filter` matches.
    pub fn count(&self, filter: &Filter) -> Result<u32, JsValue> {
        self.bound(filter)?;
        Ok(index(self.inner.count(filter.compiled())))
    }

    /// Refuses a filter the columns cannot evaluate (one compiled for another resource type):
    /// the documents it would need are the caller's, not held here.
    fn bound(&self, filter: &Filter) -> Result<(), JsValue> {
        if self.inner.binds(filter.compiled()) {
            Ok(())
        } else {
            Err(throw(ScimError::InvalidFilter {
                pos: 0,
                message:
                    "the filter names attributes this collection's resource type does not have"
                        .into(),
            }))
        }
    }
}

/// Puts each element of a JSON array into the collection as it is parsed.
struct Loader<'c> {
    inner: &'c mut Resident,
    indexes: Vec<u32>,
    failure: Option<ScimError>,
}

impl<'de> DeserializeSeed<'de> for &mut Loader<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Loader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of resources")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(resource) = seq.next_element::<Value>()? {
            if self.failure.is_some() {
                continue;
            }
            if !resource.is_object() {
                self.failure = Some(ScimError::InvalidValue {
                    path: String::new(),
                    message: "a resource must be a JSON object".into(),
                });
                continue;
            }
            match self.inner.upsert(resource) {
                Ok(at) => self.indexes.push(index(at)),
                Err(err) => self.failure = Some(err),
            }
        }
        Ok(())
    }
}

/// Grows the wasm memory once by about what loading `bytes` of JSON will need (the columns
/// take less than the text), instead of a little at a time: the allocator keeps the freed
/// block and serves the columns' growth from it.
fn reserve(bytes: usize) {
    drop(Vec::<u8>::with_capacity(bytes));
}

/// The error for input that is not JSON.
fn not_json_error() -> ScimError {
    ScimError::InvalidSyntax("a resource is not JSON".into())
}

/// [`not_json_error`], thrown.
fn not_json() -> JsValue {
    throw(not_json_error())
}

/// An index as a JS number (collections never approach 2³² resources in wasm32 memory).
fn index(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}
