//! The host-neutral SCIM protocol service (RFC 7644 §3) over a storage trait.
//!
//! A host builds one [`Service`] (registry, [`ServiceConfig`], an [`Environment`] for time and
//! ids), and for each request calls [`Service::handle`] with the tenant's [`Store`] and a
//! host-neutral [`Request`]; it sends back the [`Response`]. Everything SCIM happens here:
//! routing, discovery, validation, filters, PATCH, Bulk, ETags and errors. `handle` never
//! panics, and answers client mistakes with 4xx SCIM errors (5xx only for store failures).

mod bulk;
pub mod config;
pub mod discovery;
pub mod env;
mod handlers;
pub mod http;
mod list;
pub mod memory;
pub mod messages;
mod render;
mod resources;
pub mod router;
pub mod search;
pub mod store;
#[cfg(test)]
pub(crate) mod testing;

pub use config::{AuthenticationScheme, ServiceConfig};
pub use env::{Environment, SequentialEnvironment};
pub use http::{Method, Request, Response};
pub use memory::MemoryStore;
pub use store::{Index, ListQuery, Listing, Membership, Record, ResourceRef, Store, StoreError};

use alloc::format;
use alloc::string::String;

use crate::error::ScimError;
use crate::schema::Registry;
use router::Route;

/// The SCIM service: schemas, settings and the host's environment.
#[derive(Debug)]
pub struct Service<E> {
    registry: Registry,
    config: ServiceConfig,
    env: E,
}

impl<E: Environment> Service<E> {
    /// A service over `registry` with `config`, reading time and ids from `env`.
    pub fn new(registry: Registry, config: ServiceConfig, env: E) -> Service<E> {
        Service {
            registry,
            config,
            env,
        }
    }

    /// The schemas and resource types served.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The settings.
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    /// The host's environment.
    pub fn env(&self) -> &E {
        &self.env
    }

    /// Answers `req` against the tenant `store`.
    pub async fn handle<S: Store>(&self, store: &S, req: &Request<'_>) -> Response {
        match self.dispatch(store, req).await {
            Ok(response) => response,
            Err(err) => Response::error(&err),
        }
    }

    async fn dispatch<S: Store>(
        &self,
        store: &S,
        req: &Request<'_>,
    ) -> Result<Response, ScimError> {
        let route = router::route(&self.registry, req.path)?;
        let limit = match route {
            Route::Bulk => self.config.bulk_max_payload_size,
            _ => self.config.max_body_size,
        };
        if req.body.len() > limit {
            return Err(ScimError::PayloadTooLarge(format!(
                "request body of {} bytes exceeds the limit of {limit} bytes",
                req.body.len()
            )));
        }
        let allowed = allowed_methods(&route);
        if !allowed.contains(&req.method) && !matches!(route, Route::Me) {
            return Ok(method_not_allowed(req, allowed));
        }
        let pairs = http::query_pairs(req.query)?;
        let base = req.base();
        let json = |v: serde_json::Value| Ok(Response::json(200, &v));
        match route {
            Route::ServiceProviderConfig => {
                discovery::refuse_filter(&pairs)?;
                json(discovery::service_provider_config(&self.config, base))
            }
            Route::ResourceTypes(id) => {
                discovery::refuse_filter(&pairs)?;
                json(discovery::resource_types(
                    &self.registry,
                    base,
                    id.as_deref(),
                )?)
            }
            Route::Schemas(id) => {
                discovery::refuse_filter(&pairs)?;
                json(discovery::schemas(&self.registry, base, id.as_deref())?)
            }
            Route::Me => Err(ScimError::NotImplemented("the /Me endpoint".into())),
            Route::Bulk => json(self.bulk(store, &req.json_body()?, base).await?),
            Route::RootSearch => {
                let rts: alloc::vec::Vec<_> = self.registry.resource_types().iter().collect();
                self.search(store, req, &rts).await
            }
            Route::Search(rt) => self.search(store, req, &[rt]).await,
            Route::Collection(rt) => {
                let params = search::SearchParams::from_query(&pairs)?;
                self.collection(store, req, rt, &params).await
            }
            Route::Resource(rt, id) => {
                let params = search::SearchParams::from_query(&pairs)?;
                self.resource(store, req, rt, &id, &params).await
            }
        }
    }
}

/// The methods an endpoint supports.
fn allowed_methods(route: &Route<'_>) -> &'static [Method] {
    match route {
        Route::ServiceProviderConfig | Route::ResourceTypes(_) | Route::Schemas(_) => {
            &[Method::Get]
        }
        Route::Bulk | Route::RootSearch | Route::Search(_) => &[Method::Post],
        Route::Collection(_) => &[Method::Get, Method::Post],
        Route::Resource(..) | Route::Me => {
            &[Method::Get, Method::Put, Method::Patch, Method::Delete]
        }
    }
}

/// 405 with the `Allow` header listing `allowed`.
fn method_not_allowed(req: &Request<'_>, allowed: &[Method]) -> Response {
    let err = ScimError::MethodNotAllowed(format!(
        "{} is not supported on '{}'",
        req.method.as_str(),
        req.path
    ));
    let allow: String = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<alloc::vec::Vec<_>>()
        .join(", ");
    Response::error(&err).with_header("Allow", &allow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;
    use testing::{block_on, registry};

    fn service() -> Service<SequentialEnvironment> {
        Service::new(
            registry(),
            ServiceConfig::default(),
            SequentialEnvironment::new(1_714_557_600_000),
        )
    }

    fn call(
        svc: &Service<SequentialEnvironment>,
        method: &str,
        path: &str,
        query: &str,
    ) -> Response {
        let store = MemoryStore::new();
        let headers: Vec<(String, String)> = Vec::new();
        let req = Request {
            method: Method::parse(method),
            base_url: "http://h/scim/v2",
            path,
            query,
            headers: &headers,
            body: b"",
        };
        block_on(svc.handle(&store, &req))
    }

    #[test]
    fn discovery_endpoints_answer_scim_json() {
        let svc = service();
        for path in [
            "/ServiceProviderConfig",
            "/ResourceTypes",
            "/Schemas",
            "/ResourceTypes/User",
        ] {
            let resp = call(&svc, "GET", path, "");
            assert_eq!(resp.status, 200, "{path}");
            assert_eq!(
                resp.header("content-type"),
                Some(http::SCIM_CONTENT_TYPE),
                "{path}"
            );
        }
        let list = call(&svc, "GET", "/Schemas", "count=1&startIndex=2").json_body();
        assert_eq!(list["startIndex"], 1);
        assert_eq!(list["Resources"].as_array().map(Vec::len), Some(6));
    }

    #[test]
    fn discovery_with_filter_is_403() {
        let resp = call(
            &service(),
            "GET",
            "/ResourceTypes",
            "filter=id+eq+%22User%22",
        );
        assert_eq!(resp.status, 403);
        assert_eq!(resp.json_body()["status"], "403");
    }

    #[test]
    fn unknown_path_is_404_scim_error() {
        let resp = call(&service(), "GET", "/Widgets", "");
        assert_eq!(resp.status, 404);
        assert_eq!(resp.json_body()["schemas"][0], crate::error::ERROR_URN);
    }

    #[test]
    fn wrong_method_is_405_with_allow() {
        let resp = call(&service(), "DELETE", "/ServiceProviderConfig", "");
        assert_eq!(resp.status, 405);
        assert_eq!(resp.header("allow"), Some("GET"));
        let resp = call(&service(), "GET", "/Bulk", "");
        assert_eq!(resp.header("allow"), Some("POST"));
        assert_eq!(call(&service(), "HEAD", "/Users", "").status, 405);
    }

    #[test]
    fn me_is_not_implemented() {
        assert_eq!(call(&service(), "GET", "/Me", "").status, 501);
    }

    #[test]
    fn oversized_body_is_413() {
        let svc = Service::new(
            registry(),
            ServiceConfig {
                max_body_size: 4,
                ..ServiceConfig::default()
            },
            SequentialEnvironment::new(0),
        );
        let store = MemoryStore::new();
        let req = Request {
            method: Method::Post,
            base_url: "http://h",
            path: "/Users",
            query: "",
            headers: &[],
            body: b"{\"a\": 1}",
        };
        let resp = block_on(svc.handle(&store, &req));
        assert_eq!(resp.status, 413);
        assert_eq!(resp.json_body()["status"], 413.to_string());
    }
}

#[cfg(test)]
mod properties {
    use super::testing::Harness;
    use alloc::string::String;
    use alloc::vec;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-zA-Z:$. \"]{0,12}".prop_map(Value::String),
            Just(json!("bulkId:x")),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just(String::from("schemas")),
                            Just(String::from("userName")),
                            Just(String::from("displayName")),
                            Just(String::from("members")),
                            Just(String::from("value")),
                            Just(String::from("Operations")),
                            Just(String::from("op")),
                            Just(String::from("path")),
                            Just(String::from("method")),
                            Just(String::from("data")),
                            Just(String::from("bulkId")),
                            Just(String::from("filter")),
                            "[a-zA-Z]{1,6}",
                        ],
                        inner
                    ),
                    0..5
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn target() -> impl Strategy<Value = String> {
        let path = prop_oneof![
            Just("/Users"),
            Just("/Groups"),
            Just("/Users/00000001"),
            Just("/Groups/00000002"),
            Just("/Users/.search"),
            Just("/.search"),
            Just("/Bulk"),
            Just("/Schemas"),
            Just("/ResourceTypes/User"),
            Just("/ServiceProviderConfig"),
            Just("/%ZZ/x"),
        ];
        let query = prop_oneof![
            Just(""),
            Just("?filter=userName%20eq%20%22a%22"),
            Just("?filter=%28%28%28"),
            Just("?count=-1&startIndex=0"),
            Just("?sortBy=emails&attributes=groups,members"),
            Just("?excludedAttributes=%FF"),
        ];
        (path, query).prop_map(|(p, q)| alloc::format!("{p}{q}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Any request sequence gets a SCIM answer: never a panic, never a 5xx (but 501).
        #[test]
        fn handle_never_panics_nor_answers_5xx(
            requests in prop::collection::vec(
                (
                    prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("PATCH"), Just("DELETE")],
                    target(),
                    json_value(),
                ),
                1..6,
            )
        ) {
            let h = Harness::new();
            h.user("seed");
            h.group("seed", &[]);
            for (method, target, body) in &requests {
                let resp = h.call(method, target, Some(body), &[]);
                prop_assert!(resp.status < 500 || resp.status == 501, "{} {} -> {} {:?}",
                    method, target, resp.status, resp.json_body());
                if resp.status >= 400 {
                    prop_assert_eq!(
                        &resp.json_body()["status"],
                        &Value::String(alloc::string::ToString::to_string(&resp.status))
                    );
                }
            }
        }
    }
}
