//! `JsStore`: core's `Store` trait over a store object implemented in JavaScript.
//!
//! Each method calls the JS method of the same name (camelCase) and awaits its result, which
//! may be a Promise or a plain value. A thrown error with `code` `'notFound'`,
//! `'versionMismatch'`, `'duplicate'` or `'idTaken'` is that store outcome; anything else is a
//! backend failure (500).

use js_sys::{Array, Object, Promise, Reflect};
use scim_core::service::{
    Index, ListQuery, Listing, Membership, Record, ResourceRef, Store, StoreError,
};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::json::{from_js, to_js};

#[wasm_bindgen]
extern "C" {
    /// A store object implemented in JavaScript (see `ScimStore` in index.d.ts).
    pub type JsStoreObject;

    #[wasm_bindgen(method, catch, js_name = get)]
    fn js_get(this: &JsStoreObject, resource_type: &str, id: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = create)]
    fn js_create(
        this: &JsStoreObject,
        resource_type: &str,
        record: JsValue,
        index: JsValue,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = replace)]
    fn js_replace(
        this: &JsStoreObject,
        resource_type: &str,
        record: JsValue,
        index: JsValue,
        expected_version: f64,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = delete)]
    fn js_delete(
        this: &JsStoreObject,
        resource_type: &str,
        id: &str,
        expected_version: f64,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = list)]
    fn js_list(
        this: &JsStoreObject,
        resource_type: &str,
        query: JsValue,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = lookup)]
    fn js_lookup(this: &JsStoreObject, ids: Array) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = groupsOf)]
    fn js_groups_of(this: &JsStoreObject, member_ids: Array) -> Result<JsValue, JsValue>;
}

/// The JS store, as a core `Store`.
pub struct JsStore {
    object: JsStoreObject,
}

impl JsStore {
    /// Wraps a JS store object.
    pub fn new(object: JsValue) -> JsStore {
        JsStore {
            object: object.unchecked_into(),
        }
    }
}

/// Awaits what a JS store method returned (a Promise or a plain value).
async fn settle(result: Result<JsValue, JsValue>) -> Result<JsValue, StoreError> {
    let value = result.map_err(|e| store_error(&e))?;
    JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(|e| store_error(&e))
}

/// A JS error as a store outcome, by its `code`.
fn store_error(err: &JsValue) -> StoreError {
    let code = Reflect::get(err, &"code".into())
        .ok()
        .and_then(|c| c.as_string());
    match code.as_deref() {
        Some("notFound") => StoreError::NotFound,
        Some("versionMismatch") => StoreError::VersionMismatch,
        Some("duplicate") => StoreError::Duplicate,
        Some("idTaken") => StoreError::IdTaken,
        _ => StoreError::Backend(describe(err)),
    }
}

/// The message of a JS error, or its string form.
fn describe(err: &JsValue) -> String {
    Reflect::get(err, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "the JavaScript store failed".into())
}

fn backend(message: &str) -> StoreError {
    StoreError::Backend(message.into())
}

fn record_to_js(record: &Record) -> JsValue {
    to_js(&json!({ "id": record.id, "version": record.version, "data": record.data }))
}

fn index_to_js(index: &Index) -> JsValue {
    to_js(&json!({
        "uniqueKey": index.unique_key,
        "externalId": index.external_id,
        "display": index.display,
        "created": index.created,
        "lastModified": index.last_modified,
        "members": index.members,
        "deleted": index.deleted,
    }))
}

fn record_from_js(value: &JsValue) -> Result<Record, StoreError> {
    let value = from_js(value, "record").map_err(|_| backend("a record must be JSON"))?;
    let id = value.get("id").and_then(Value::as_str);
    let version = value.get("version").and_then(Value::as_u64);
    match (id, version, value.get("data")) {
        (Some(id), Some(version), Some(data)) => Ok(Record {
            id: id.into(),
            version,
            data: data.clone(),
        }),
        _ => Err(backend("a record needs id, version (integer) and data")),
    }
}

fn records_from_js(value: &JsValue) -> Result<Vec<Record>, StoreError> {
    if !Array::is_array(value) {
        return Err(backend("expected an array of records"));
    }
    value
        .unchecked_ref::<Array>()
        .iter()
        .map(|r| record_from_js(&r))
        .collect()
}

fn ref_from_json(value: &Value) -> Result<ResourceRef, StoreError> {
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(String::from);
    match (text("id"), text("resourceType")) {
        (Some(id), Some(resource_type)) => Ok(ResourceRef {
            id,
            resource_type,
            display: text("display"),
        }),
        _ => Err(backend("a resource reference needs id and resourceType")),
    }
}

fn json_array(value: &JsValue, what: &str) -> Result<Vec<Value>, StoreError> {
    match from_js(value, what) {
        Ok(Value::Array(items)) => Ok(items),
        _ => Err(backend(&format!("{what} must return an array"))),
    }
}

fn id_array(ids: &[&str]) -> Array {
    ids.iter().map(|id| JsValue::from_str(id)).collect()
}

impl Store for JsStore {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        let value = settle(self.object.js_get(resource_type, id)).await?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        record_from_js(&value).map(Some)
    }

    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError> {
        let call = self
            .object
            .js_create(resource_type, record_to_js(record), index_to_js(index));
        settle(call).await.map(drop)
    }

    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let call = self.object.js_replace(
            resource_type,
            record_to_js(record),
            index_to_js(index),
            expected_version as f64,
        );
        settle(call).await.map(drop)
    }

    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let call = self
            .object
            .js_delete(resource_type, id, expected_version as f64);
        settle(call).await.map(drop)
    }

    async fn list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        let q = Object::new();
        let set = |k: &str, v: usize| Reflect::set(&q, &k.into(), &JsValue::from_f64(v as f64));
        set("startIndex", query.start_index)
            .and_then(|_| set("count", query.count))
            .map_err(|e| store_error(&e))?;
        let value = settle(self.object.js_list(resource_type, q.into())).await?;
        if Array::is_array(&value) {
            return records_from_js(&value).map(Listing::Candidates);
        }
        let field = |k: &str| Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let total = field("total").as_f64();
        match total {
            Some(total) if total >= 0.0 => Ok(Listing::Page {
                total: total as usize,
                records: records_from_js(&field("records"))?,
            }),
            _ => Err(backend(
                "list must return an array of records or { total, records }",
            )),
        }
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        let value = settle(self.object.js_lookup(id_array(ids))).await?;
        json_array(&value, "lookup")?
            .iter()
            .map(ref_from_json)
            .collect()
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        let value = settle(self.object.js_groups_of(id_array(member_ids))).await?;
        json_array(&value, "groupsOf")?
            .iter()
            .map(|m| {
                let member_id = m.get("memberId").and_then(Value::as_str);
                match (member_id, m.get("group")) {
                    (Some(member_id), Some(group)) => Ok(Membership {
                        member_id: member_id.into(),
                        group: ref_from_json(group)?,
                    }),
                    _ => Err(backend("a membership needs memberId and group")),
                }
            })
            .collect()
    }
}
