//! `ServiceHandle`: core's SCIM service over the in-memory store or a store written in JS,
//! answering `{ method, url, headers, body }` requests with `{ status, headers, body }`.

use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Date, Function, Object, Promise, Reflect, Uint8Array, JSON};
use scim_core::query::datetime::Instant;
use scim_core::service::{
    Environment, Index, ListQuery, Listing, Membership, MemoryStore, Method, Record, Request,
    ResourceRef, Response, Service, ServiceConfig, Store, StoreError,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::bad_argument;
use crate::options;
use crate::registry::SchemaRegistry;
use crate::store::JsStore;

/// Time and ids from JS functions (`now`, `newId`), or `Date.now()` by default.
struct JsEnv {
    now: Option<Function>,
    new_id: Function,
}

impl Environment for JsEnv {
    fn now(&self) -> Instant {
        let millis = self
            .now
            .as_ref()
            .and_then(|f| f.call0(&JsValue::NULL).ok())
            .and_then(|v| match v.dyn_ref::<Date>() {
                Some(date) => Some(date.get_time()),
                None => v.as_f64(),
            })
            .filter(|m| m.is_finite())
            .unwrap_or_else(Date::now);
        Instant::from_unix_millis(millis as i64)
    }

    fn new_id(&self) -> String {
        self.new_id
            .call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| format!("{}", Date::now() as u64))
    }
}

/// Where resources are kept. One `Store` type, so the service code is instantiated once.
enum Backend {
    Memory(MemoryStore),
    Js(JsStore),
}

impl Store for Backend {
    async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
        match self {
            Backend::Memory(s) => s.get(rt, id).await,
            Backend::Js(s) => s.get(rt, id).await,
        }
    }

    async fn create(&self, rt: &str, record: &Record, index: &Index) -> Result<(), StoreError> {
        match self {
            Backend::Memory(s) => s.create(rt, record, index).await,
            Backend::Js(s) => s.create(rt, record, index).await,
        }
    }

    async fn replace(
        &self,
        rt: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        match self {
            Backend::Memory(s) => s.replace(rt, record, index, expected_version).await,
            Backend::Js(s) => s.replace(rt, record, index, expected_version).await,
        }
    }

    async fn delete(&self, rt: &str, id: &str, expected_version: u64) -> Result<(), StoreError> {
        match self {
            Backend::Memory(s) => s.delete(rt, id, expected_version).await,
            Backend::Js(s) => s.delete(rt, id, expected_version).await,
        }
    }

    async fn list(&self, rt: &str, query: &ListQuery<'_>) -> Result<Listing, StoreError> {
        match self {
            Backend::Memory(s) => s.list(rt, query).await,
            Backend::Js(s) => s.list(rt, query).await,
        }
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        match self {
            Backend::Memory(s) => s.lookup(ids).await,
            Backend::Js(s) => s.lookup(ids).await,
        }
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        match self {
            Backend::Memory(s) => s.groups_of(member_ids).await,
            Backend::Js(s) => s.groups_of(member_ids).await,
        }
    }
}

struct Inner {
    service: Service<JsEnv>,
    backend: Backend,
    base_path: String,
    base_url: Option<String>,
}

/// A SCIM service instance (wrapped by the JS `ScimService` class).
#[wasm_bindgen]
pub struct ServiceHandle {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// A SCIM service over this registry; `options` as `ScimServiceOptions` in index.d.ts,
    /// with `newId` always given (the JS wrapper supplies the default).
    #[wasm_bindgen(js_name = createService)]
    pub fn create_service(&self, options: JsValue) -> Result<ServiceHandle, JsValue> {
        let function = |name: &str| -> Result<Option<Function>, JsValue> {
            options::field(&options, name)?
                .map(|f| {
                    f.dyn_into::<Function>()
                        .map_err(|_| bad_argument(name, "must be a function"))
                })
                .transpose()
        };
        let env = JsEnv {
            now: function("now")?,
            new_id: function("newId")?.ok_or_else(|| bad_argument("newId", "is required"))?,
        };
        let config = service_config(options::field(&options, "config")?)?;
        let backend = match options::field(&options, "store")? {
            None => Backend::Memory(MemoryStore::new()),
            Some(store) if store.is_object() => Backend::Js(JsStore::new(store)),
            Some(_) => return Err(bad_argument("store", "must be an object")),
        };
        let base_path = options::string(&options, "basePath")?
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        Ok(ServiceHandle {
            inner: Rc::new(Inner {
                service: Service::new(self.registry().clone(), config, env),
                backend,
                base_path,
                base_url: options::string(&options, "baseUrl")?,
            }),
        })
    }
}

#[wasm_bindgen]
impl ServiceHandle {
    /// Answers one request; `headers` is an array of `[name, value]` pairs.
    pub fn handle(
        &self,
        method: String,
        url: String,
        headers: Array,
        body: JsValue,
    ) -> Result<Promise, JsValue> {
        let headers = header_pairs(&headers)?;
        let body = body_bytes(&body)?;
        let (origin, path, query) = split_url(&url);
        let path = match path.strip_prefix(self.inner.base_path.as_str()) {
            Some("") => "/".to_string(),
            Some(rest) if rest.starts_with('/') => rest.to_string(),
            _ => path.to_string(),
        };
        let query = query.to_string();
        let base_url = self.base_url(origin, &headers);
        let inner = Rc::clone(&self.inner);
        Ok(future_to_promise(async move {
            let req = Request {
                method: Method::parse(&method),
                base_url: &base_url,
                path: &path,
                query: &query,
                headers: &headers,
                body: &body,
            };
            response_to_js(&inner.service.handle(&inner.backend, &req).await)
        }))
    }
}

impl ServiceHandle {
    /// The absolute base URL: the `baseUrl` option, else the request's origin or `Host`.
    fn base_url(&self, origin: Option<&str>, headers: &[(String, String)]) -> String {
        if let Some(url) = &self.inner.base_url {
            return url.clone();
        }
        let base_path = &self.inner.base_path;
        match origin {
            Some(origin) => format!("{origin}{base_path}"),
            None => match headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")) {
                Some((_, host)) => format!("http://{host}{base_path}"),
                None => base_path.clone(),
            },
        }
    }
}

/// Splits `url` (absolute or a path) into origin, path and query (fragment dropped).
fn split_url(url: &str) -> (Option<&str>, &str, &str) {
    let url = url.split('#').next().unwrap_or_default();
    let (before, query) = url.split_once('?').unwrap_or((url, ""));
    match before.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            let slash = before
                .get(after..)
                .and_then(|rest| rest.find('/'))
                .map_or(before.len(), |i| after + i);
            let origin = before.get(..slash).unwrap_or(before);
            let path = before.get(slash..).filter(|p| !p.is_empty()).unwrap_or("/");
            (Some(origin), path, query)
        }
        None => (None, before, query),
    }
}

fn header_pairs(headers: &Array) -> Result<Vec<(String, String)>, JsValue> {
    headers
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(name), Some(value)) => Ok((name, value)),
                _ => Err(bad_argument(
                    "headers",
                    "header names and values must be strings",
                )),
            }
        })
        .collect()
}

/// The request body as bytes: text, bytes, or a value sent as JSON.
fn body_bytes(body: &JsValue) -> Result<Vec<u8>, JsValue> {
    if body.is_undefined() || body.is_null() {
        Ok(Vec::new())
    } else if let Some(text) = body.as_string() {
        Ok(text.into_bytes())
    } else if let Some(bytes) = body.dyn_ref::<Uint8Array>() {
        Ok(bytes.to_vec())
    } else if let Some(buffer) = body.dyn_ref::<ArrayBuffer>() {
        Ok(Uint8Array::new(buffer).to_vec())
    } else {
        JSON::stringify(body)
            .ok()
            .and_then(|s| s.as_string())
            .map(String::into_bytes)
            .ok_or_else(|| bad_argument("body", "must be a string, bytes or a JSON value"))
    }
}

fn response_to_js(response: &Response) -> Result<JsValue, JsValue> {
    let headers = Object::new();
    for (name, value) in &response.headers {
        let key = JsValue::from_str(name);
        let joined = match Reflect::get(&headers, &key)?.as_string() {
            Some(prev) => format!("{prev}, {value}"),
            None => value.clone(),
        };
        Reflect::set(&headers, &key, &JsValue::from_str(&joined))?;
    }
    let out = Object::new();
    Reflect::set(&out, &"status".into(), &JsValue::from(response.status))?;
    Reflect::set(&out, &"headers".into(), &headers)?;
    let body = String::from_utf8_lossy(&response.body);
    Reflect::set(&out, &"body".into(), &JsValue::from_str(&body))?;
    Ok(out.into())
}

/// The `config` option over `ServiceConfig::default()`.
fn service_config(config: Option<JsValue>) -> Result<ServiceConfig, JsValue> {
    let mut c = ServiceConfig::default();
    let Some(o) = config else {
        return Ok(c);
    };
    let sizes: [(&str, &mut usize); 4] = [
        ("maxResults", &mut c.max_results),
        ("bulkMaxOperations", &mut c.bulk_max_operations),
        ("bulkMaxPayloadSize", &mut c.bulk_max_payload_size),
        ("maxBodySize", &mut c.max_body_size),
    ];
    for (name, slot) in sizes {
        if let Some(v) = options::field(&o, name)? {
            *slot = v
                .as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                .map(|n| n as usize)
                .ok_or_else(|| bad_argument(name, "must be a non-negative integer"))?;
        }
    }
    let flags: [(&str, &mut bool); 4] = [
        ("patchReturnsNoContent", &mut c.patch_returns_no_content),
        ("softDelete", &mut c.soft_delete),
        ("lenient", &mut c.lenient),
        ("groupDisplayNameUnique", &mut c.group_display_name_unique),
    ];
    for (name, slot) in flags {
        if options::field(&o, name)?.is_some() {
            *slot = options::flag(&o, name)?;
        }
    }
    if let Some(uri) = options::string(&o, "documentationUri")? {
        c.documentation_uri = Some(uri);
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn split_url_separates_origin_path_and_query() {
        assert_eq!(
            split_url("https://h.example:8443/scim/v2/Users?filter=a%20b#frag"),
            (
                Some("https://h.example:8443"),
                "/scim/v2/Users",
                "filter=a%20b"
            )
        );
        assert_eq!(split_url("/Users/1?x=1"), (None, "/Users/1", "x=1"));
        assert_eq!(
            split_url("http://h.example"),
            (Some("http://h.example"), "/", "")
        );
        assert_eq!(split_url(""), (None, "", ""));
    }
}
