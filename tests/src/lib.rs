//! End-to-end test support: drives the core SCIM service over the in-memory store exactly as a
//! host does (method, path, query, headers, body in; status, headers, body out).

use std::cell::Cell;
use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use scim_core::query::datetime::Instant;
use scim_core::schema::Registry;
use scim_core::service::{
    Environment, Index, ListQuery, Listing, Membership, MemoryStore, Method, Record, Request,
    ResourceRef, SequentialEnvironment, Service, ServiceConfig, Store, StoreError,
};
use serde_json::Value;

/// The base URL the tests' "host" serves the tenant under.
pub const BASE: &str = "https://scim.example.com/acme/scim/v2";
/// Media type of SCIM bodies.
pub const SCIM_JSON: &str = "application/scim+json";
/// URN of the PatchOp message.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// URN of the core User schema.
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// URN of the core Group schema.
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// URN of the enterprise User extension.
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Runs `future` to completion on this thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Runs two futures to completion, polling them in turn (a single-threaded interleaving, as in
/// a Worker isolate or Node serving two requests at once).
pub fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a: Pin<&mut A> = pin!(a);
    let mut b: Pin<&mut B> = pin!(b);
    let mut cx = Context::from_waker(Waker::noop());
    let (mut out_a, mut out_b) = (None, None);
    while out_a.is_none() || out_b.is_none() {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(&mut cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(&mut cx) {
                out_b = Some(v);
            }
        }
    }
    match (out_a, out_b) {
        (Some(a), Some(b)) => (a, b),
        _ => unreachable!("both futures completed"),
    }
}

/// A future that is pending once, then ready: a suspension point like a real storage call.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// A store that suspends before every call, so concurrent requests really interleave.
pub struct YieldingStore<S> {
    inner: S,
}

impl<S> YieldingStore<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        YieldingStore { inner }
    }
}

impl<S: Store> Store for YieldingStore<S> {
    async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
        YieldOnce(false).await;
        self.inner.get(rt, id).await
    }
    async fn create(&self, rt: &str, record: &Record, index: &Index) -> Result<(), StoreError> {
        YieldOnce(false).await;
        self.inner.create(rt, record, index).await
    }
    async fn replace(
        &self,
        rt: &str,
        record: &Record,
        index: &Index,
        expected: u64,
    ) -> Result<(), StoreError> {
        YieldOnce(false).await;
        self.inner.replace(rt, record, index, expected).await
    }
    async fn delete(&self, rt: &str, id: &str, expected: u64) -> Result<(), StoreError> {
        YieldOnce(false).await;
        self.inner.delete(rt, id, expected).await
    }
    async fn list(&self, rt: &str, query: &ListQuery<'_>) -> Result<Listing, StoreError> {
        YieldOnce(false).await;
        self.inner.list(rt, query).await
    }
    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        YieldOnce(false).await;
        self.inner.lookup(ids).await
    }
    async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        YieldOnce(false).await;
        self.inner.groups_of(ids).await
    }
}

/// An environment with a fixed clock and UUID-like sequential ids.
pub struct TestEnv {
    inner: SequentialEnvironment,
    next: Cell<u64>,
}

impl Environment for TestEnv {
    fn now(&self) -> Instant {
        self.inner.now()
    }
    fn new_id(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        format!("2819c223-7f76-453a-919d-{n:012x}")
    }
}

/// A response, with its body parsed as JSON (`Null` when empty).
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Parsed body.
    pub body: Value,
    /// Raw body length.
    pub len: usize,
}

impl Reply {
    /// The header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `body.id` as a string.
    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_string()
    }
}

/// One SCIM "host": a service and a tenant store.
pub struct Host<S = MemoryStore> {
    /// The service.
    pub service: Service<TestEnv>,
    /// The tenant's store.
    pub store: S,
}

/// A host with the default configuration over a fresh in-memory store.
pub fn host() -> Host {
    host_with(ServiceConfig::default())
}

/// A host with `config` over a fresh in-memory store.
pub fn host_with(config: ServiceConfig) -> Host {
    Host::new(config, MemoryStore::new())
}

impl<S: Store> Host<S> {
    /// A host with `config` over `store`.
    pub fn new(config: ServiceConfig, store: S) -> Host<S> {
        let env = TestEnv {
            inner: SequentialEnvironment::new(1_714_557_600_000),
            next: Cell::new(1),
        };
        Host {
            service: Service::new(Registry::builtin(), config, env),
            store,
        }
    }

    /// The request future for `method target` (target may hold `?query`).
    pub async fn send(
        &self,
        method: &str,
        target: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let bytes = match body {
            Some(b) => {
                if !all
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                {
                    all.push(("Content-Type".into(), SCIM_JSON.into()));
                }
                serde_json::to_vec(b).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let req = Request {
            method: Method::parse(method),
            base_url: BASE,
            path,
            query,
            headers: &all,
            body: &bytes,
        };
        let resp = self.service.handle(&self.store, &req).await;
        Reply {
            status: resp.status,
            body: serde_json::from_slice(&resp.body).unwrap_or(Value::Null),
            len: resp.body.len(),
            headers: resp.headers,
        }
    }

    /// Sends a request with headers and waits for the reply.
    pub fn call(
        &self,
        method: &str,
        target: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        block_on(self.send(method, target, body, headers))
    }

    /// `GET target`.
    pub fn get(&self, target: &str) -> Reply {
        self.call("GET", target, None, &[])
    }

    /// `POST target` with `body`.
    pub fn post(&self, target: &str, body: &Value) -> Reply {
        self.call("POST", target, Some(body), &[])
    }

    /// `PUT target` with `body`.
    pub fn put(&self, target: &str, body: &Value) -> Reply {
        self.call("PUT", target, Some(body), &[])
    }

    /// `PATCH target` with `body`.
    pub fn patch(&self, target: &str, body: &Value) -> Reply {
        self.call("PATCH", target, Some(body), &[])
    }

    /// `DELETE target`.
    pub fn delete(&self, target: &str) -> Reply {
        self.call("DELETE", target, None, &[])
    }
}

/// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
pub fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A PatchOp body with `operations`.
pub fn patch_op(operations: Value) -> Value {
    serde_json::json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// Asserts that `reply` is a SCIM error with `status` (and `scim_type` when given).
pub fn assert_error(reply: &Reply, status: u16, scim_type: Option<&str>) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(
        reply.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
        "{}",
        reply.body
    );
    assert_eq!(reply.body["status"], status.to_string());
    assert_eq!(
        reply.header("content-type"),
        Some("application/scim+json; charset=utf-8")
    );
    if let Some(t) = scim_type {
        assert_eq!(reply.body["scimType"], t, "{}", reply.body);
    }
}
