//! Test support: a minimal executor and fixtures.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Value};

use super::{
    Index, ListQuery, Listing, Membership, MemoryStore, Method, Record, Request, ResourceRef,
    Response, SequentialEnvironment, Service, ServiceConfig, Store, StoreError,
};
use crate::schema::{Registry, GROUP_URN, USER_URN};

/// Runs `future` to completion on the current thread (stores used in tests never block).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// The built-in registry (User, Group, EnterpriseUser).
pub fn registry() -> Registry {
    Registry::builtin()
}

/// A service over a store, driven with plain requests.
pub struct Harness<S = MemoryStore> {
    /// The service under test.
    pub service: Service<SequentialEnvironment>,
    /// Its store.
    pub store: S,
}

/// How much of a list query [`PartialStore`] leaves to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// Every live record, in reverse order: the service filters, sorts and pages.
    Candidates,
    /// The matching records, in reverse order: the service sorts and pages.
    Matches,
}

/// A [`MemoryStore`] whose `list` pushes down only part of the query.
pub struct PartialStore {
    /// The underlying store.
    pub inner: MemoryStore,
    /// What is left to the service.
    pub finish: Finish,
}

impl Store for PartialStore {
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
        self.inner.replace(rt, record, index, expected).await
    }
    async fn delete(&self, rt: &str, id: &str, expected: u64) -> Result<(), StoreError> {
        self.inner.delete(rt, id, expected).await
    }
    async fn list(&self, rt: &str, query: &ListQuery<'_>) -> Result<Listing, StoreError> {
        let all = ListQuery {
            filter: (self.finish == Finish::Matches)
                .then_some(query.filter)
                .flatten(),
            sort: None,
            start_index: 1,
            count: usize::MAX,
        };
        let Listing::Page { mut records, .. } = self.inner.list(rt, &all).await? else {
            return Err(StoreError::Backend("memory store listing".into()));
        };
        records.reverse();
        Ok(match self.finish {
            Finish::Candidates => Listing::Candidates(records),
            Finish::Matches => Listing::Matches(records),
        })
    }
    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        self.inner.lookup(ids).await
    }
    async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        self.inner.groups_of(ids).await
    }
}

/// The base URL every test request uses.
pub const BASE: &str = "http://localhost/scim/v2";

impl Harness {
    /// A harness with the default configuration.
    pub fn new() -> Harness {
        Harness::with_config(ServiceConfig::default())
    }

    /// A harness with `config`.
    pub fn with_config(config: ServiceConfig) -> Harness {
        Harness::with_store(config, MemoryStore::new())
    }
}

impl<S: Store> Harness<S> {
    /// A harness with `config` over `store`.
    pub fn with_store(config: ServiceConfig, store: S) -> Harness<S> {
        Harness {
            service: Service::new(
                registry(),
                config,
                SequentialEnvironment::new(1_714_557_600_000),
            ),
            store,
        }
    }

    /// Sends `method target` (`target` may hold `?query`) with an optional JSON body.
    pub fn call(
        &self,
        method: &str,
        target: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect();
        let body = body
            .map(|b| serde_json::to_vec(b).unwrap())
            .unwrap_or_default();
        let req = Request {
            method: Method::parse(method),
            base_url: BASE,
            path,
            query,
            headers: &headers,
            body: &body,
        };
        block_on(self.service.handle(&self.store, &req))
    }

    /// `call` without headers, returning status and JSON body.
    pub fn json(&self, method: &str, target: &str, body: Option<&Value>) -> (u16, Value) {
        let resp = self.call(method, target, body, &[]);
        (resp.status, resp.json_body())
    }

    /// Creates a user named `name` and returns its id.
    pub fn user(&self, name: &str) -> String {
        let body = json!({"schemas": [USER_URN], "userName": name});
        let (status, v) = self.json("POST", "/Users", Some(&body));
        assert_eq!(status, 201, "{v}");
        v["id"].as_str().unwrap().into()
    }

    /// Creates a group named `name` with `members` (ids) and returns its id.
    pub fn group(&self, name: &str, members: &[&str]) -> String {
        let members: Vec<Value> = members.iter().map(|m| json!({"value": m})).collect();
        let body = json!({"schemas": [GROUP_URN], "displayName": name, "members": members});
        let (status, v) = self.json("POST", "/Groups", Some(&body));
        assert_eq!(status, 201, "{v}");
        v["id"].as_str().unwrap().into()
    }
}
