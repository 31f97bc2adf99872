//! Storage faults: a store that fails its Nth call, for every N a request makes, under a Bulk
//! request and a PATCH of a group's members. After each injected failure every resource is
//! either exactly as before the request or exactly as after a fault-free run, and the response
//! tells the truth: a SCIM error for a single request, and for Bulk a per-operation status that
//! says 2xx only for an operation whose resource is in its after state and a failure only for
//! one whose resource is in its before state.

use std::cell::Cell;
use std::collections::BTreeMap;

use scim_core::query::datetime::Instant;
use scim_core::schema::Registry;
use scim_core::service::{
    Environment, Index, ListQuery, Listing, Membership, MemoryStore, Method, Record, Request,
    ResourceRef, Service, ServiceConfig, Store, StoreError,
};
use scim_e2e::*;
use serde_json::{json, Map, Value};

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A store over a [`MemoryStore`] whose call number `fail_at` (1-based) fails with a backend
/// error without touching the data; every call is counted.
struct FaultyStore {
    inner: MemoryStore,
    calls: Cell<usize>,
    fail_at: usize,
}

impl FaultyStore {
    fn new(inner: MemoryStore, fail_at: usize) -> FaultyStore {
        FaultyStore {
            inner,
            calls: Cell::new(0),
            fail_at,
        }
    }

    /// Counts a call; `Err` when it is the one to fail.
    fn tick(&self) -> Result<(), StoreError> {
        let n = self.calls.get() + 1;
        self.calls.set(n);
        if n == self.fail_at {
            return Err(StoreError::Backend(format!("injected failure of call {n}")));
        }
        Ok(())
    }
}

impl Store for FaultyStore {
    async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
        self.tick()?;
        self.inner.get(rt, id).await
    }
    async fn create(&self, rt: &str, record: &Record, index: &Index) -> Result<(), StoreError> {
        self.tick()?;
        self.inner.create(rt, record, index).await
    }
    async fn replace(
        &self,
        rt: &str,
        record: &Record,
        index: &Index,
        expected: u64,
    ) -> Result<(), StoreError> {
        self.tick()?;
        self.inner.replace(rt, record, index, expected).await
    }
    async fn delete(&self, rt: &str, id: &str, expected: u64) -> Result<(), StoreError> {
        self.tick()?;
        self.inner.delete(rt, id, expected).await
    }
    async fn list(&self, rt: &str, query: &ListQuery<'_>) -> Result<Listing, StoreError> {
        self.tick()?;
        self.inner.list(rt, query).await
    }
    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        self.tick()?;
        self.inner.lookup(ids).await
    }
    async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        self.tick()?;
        self.inner.groups_of(ids).await
    }
}

/// A clock that never moves and ids from a counter, so a run's documents do not depend on how
/// many clock readings or ids earlier (failed) steps consumed, except for ids, which the
/// comparison maps to names.
struct FixedEnv {
    next: Cell<u64>,
}

impl Environment for FixedEnv {
    fn now(&self) -> Instant {
        Instant::from_unix_millis(1_714_560_000_000)
    }
    fn new_id(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        format!("new-{n:04}")
    }
}

thread_local! {
    /// Names of the seeded resources by id (the same in every run: the seed is deterministic),
    /// so a stored reference to a seeded resource deleted by the request keeps its name.
    static SEEDED_NAMES: std::cell::RefCell<BTreeMap<String, String>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// The tenant's resources by name (`User:<userName>`, `Group:<displayName>`), as a client
/// reads them, with ids replaced by those names and the derived parts (`groups`, `$ref`,
/// `meta.location`) left out, so runs with different generated ids compare equal.
type State = BTreeMap<String, Value>;

fn snapshot(store: &MemoryStore) -> State {
    let reader = Host::new(ServiceConfig::default(), store.clone());
    let mut resources = Vec::new();
    for endpoint in ["/Users", "/Groups"] {
        let r = reader.get(&format!("{endpoint}?count=1000"));
        assert_eq!(r.status, 200, "{}", r.body);
        resources.extend(r.body["Resources"].as_array().cloned().unwrap_or_default());
    }
    let mut names = SEEDED_NAMES.with(|n| n.borrow().clone());
    names.extend(
        resources
            .iter()
            .map(|r| (r["id"].as_str().unwrap_or("").to_string(), name_of(r))),
    );
    let rename = |id: &Value| -> Value {
        let id = id.as_str().unwrap_or("");
        Value::String(names.get(id).cloned().unwrap_or_else(|| "missing".into()))
    };
    resources
        .iter()
        .map(|r| {
            let mut doc: Map<String, Value> = r.as_object().cloned().unwrap_or_default();
            doc.insert("id".into(), rename(&r["id"]));
            doc.remove("groups");
            if let Some(meta) = doc.get_mut("meta").and_then(Value::as_object_mut) {
                meta.remove("location");
            }
            if let Some(Value::Array(members)) = doc.get_mut("members") {
                for m in members.iter_mut().filter_map(Value::as_object_mut) {
                    m.remove("$ref");
                    let value = m.get("value").map(&rename).unwrap_or(Value::Null);
                    m.insert("value".into(), value);
                }
            }
            (name_of(r), Value::Object(doc))
        })
        .collect()
}

fn name_of(resource: &Value) -> String {
    match (
        resource["userName"].as_str(),
        resource["displayName"].as_str(),
    ) {
        (Some(u), _) => format!("User:{u}"),
        (None, Some(g)) => format!("Group:{g}"),
        _ => format!("?:{}", resource["id"]),
    }
}

/// Seeds users `xavier`, `yolanda` and `zack`, and group `helpers` holding the first two; returns the store and
/// the seeded ids by name.
fn seeded() -> (MemoryStore, BTreeMap<&'static str, String>) {
    let store = MemoryStore::new();
    let h = Host::new(ServiceConfig::default(), store.clone());
    let mut ids = BTreeMap::new();
    for name in ["xavier", "yolanda", "zack"] {
        let r = h.post(
            "/Users",
            &json!({"schemas": [USER], "userName": name, "title": "Engineer"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        ids.insert(name, r.id());
    }
    let members = json!([{"value": ids["xavier"]}, {"value": ids["yolanda"]}]);
    let r = h.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "helpers", "members": members}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    ids.insert("helpers", r.id());
    SEEDED_NAMES.with(|n| {
        let mut n = n.borrow_mut();
        for (name, id) in &ids {
            let kind = if *name == "helpers" { "Group" } else { "User" };
            n.insert(id.clone(), format!("{kind}:{name}"));
        }
    });
    (store, ids)
}

/// Sends one request to a fresh service over `store`; returns status and parsed body.
fn send(store: &FaultyStore, scenario: &Scenario) -> (u16, Value) {
    let service = Service::new(
        Registry::builtin(),
        scenario.config.clone(),
        FixedEnv { next: Cell::new(1) },
    );
    let headers = [("Content-Type".to_string(), SCIM_JSON.to_string())];
    let bytes = serde_json::to_vec(&scenario.body).unwrap_or_default();
    let req = Request {
        method: Method::parse(scenario.method),
        base_url: BASE,
        path: &scenario.path,
        query: "",
        headers: &headers,
        body: &bytes,
    };
    let resp = block_on(service.handle(store, &req));
    (
        resp.status,
        serde_json::from_slice(&resp.body).unwrap_or(Value::Null),
    )
}

/// What the request under test is, given the seeded ids: method, path, body, and for Bulk the
/// resource name each operation writes (in request order).
struct Scenario {
    method: &'static str,
    path: String,
    body: Value,
    targets: Vec<&'static str>,
    /// The service's configuration.
    config: ServiceConfig,
}

/// Runs `scenario` failing call N for every N up to the calls of a fault-free run, and checks
/// the before/after and truthfulness rules; returns how many faults were injected.
fn inject_every_fault(make: impl Fn(&BTreeMap<&'static str, String>) -> Scenario) -> usize {
    let (store, ids) = seeded();
    let before = snapshot(&store);
    let scenario = make(&ids);
    let clean = FaultyStore::new(store.clone(), 0);
    let (status, body) = send(&clean, &scenario);
    assert!(status < 300, "fault-free run failed: {status} {body}");
    if !scenario.targets.is_empty() {
        let all_ok = body["Operations"]
            .as_array()
            .is_some_and(|ops| ops.iter().all(|o| o["status"].as_str() < Some("300")));
        assert!(all_ok, "fault-free bulk run had a failure: {body}");
    }
    let after = snapshot(&store);
    assert_ne!(before, after, "the request must change something");
    let calls = clean.calls.get();
    assert!(calls >= 3, "only {calls} store calls");

    for fail_at in 1..=calls {
        let (store, ids) = seeded();
        let scenario = make(&ids);
        let faulty = FaultyStore::new(store.clone(), fail_at);
        let (status, body) = send(&faulty, &scenario);
        let now = snapshot(&store);
        let context = format!("failing call {fail_at} of {calls}: {status} {body}");
        let keys: std::collections::BTreeSet<&String> = before
            .keys()
            .chain(after.keys())
            .chain(now.keys())
            .collect();
        for key in keys {
            let (b, a, n) = (before.get(key), after.get(key), now.get(key));
            assert!(
                n == b || n == a,
                "{key} is half-written ({context}):\n now {n:?}\n before {b:?}\n after {a:?}"
            );
        }
        if scenario.targets.is_empty() {
            let applied = now == after;
            if status >= 300 {
                assert_eq!(body["schemas"], json!([ERROR]), "{context}");
                assert_eq!(body["status"], status.to_string(), "{context}");
                assert_eq!(
                    now, before,
                    "an error was answered but the change applied: {context}"
                );
            } else {
                assert!(applied, "success answered but not applied: {context}");
            }
            continue;
        }
        if status != 200 {
            assert_eq!(body["schemas"], json!([ERROR]), "{context}");
            assert_eq!(now, before, "{context}");
            continue;
        }
        let ops = body["Operations"].as_array().cloned().unwrap_or_default();
        for (i, target) in scenario.targets.iter().enumerate() {
            let key = target.to_string();
            let op_status = ops
                .get(i)
                .and_then(|o| o["status"].as_str())
                .and_then(|s| s.parse::<u16>().ok());
            match op_status {
                Some(s) if s < 300 => assert_eq!(
                    now.get(&key),
                    after.get(&key),
                    "operation {i} reported {s} but {key} is not written ({context})"
                ),
                _ => assert_eq!(
                    now.get(&key),
                    before.get(&key),
                    "operation {i} reported {op_status:?} but {key} changed ({context})"
                ),
            }
        }
    }
    calls
}

fn user_data(name: &str) -> Value {
    json!({"schemas": [USER], "userName": name, "name": {"givenName": name}, "active": true})
}

#[test]
fn bulk_with_creates_patch_group_and_delete_is_all_or_nothing_per_resource() {
    let calls = inject_every_fault(|ids| mixed_bulk(ids, ServiceConfig::default()));
    assert!(calls >= 8, "{calls}");
}

#[test]
fn bulk_with_a_soft_delete_is_all_or_nothing_per_resource() {
    let config = ServiceConfig {
        soft_delete: true,
        ..ServiceConfig::default()
    };
    inject_every_fault(|ids| mixed_bulk(ids, config.clone()));
}

/// Creates two users, PATCHes one, creates a group of three members (two by bulkId), deletes a
/// user that is a member of the seeded group.
fn mixed_bulk(ids: &BTreeMap<&'static str, String>, config: ServiceConfig) -> Scenario {
    Scenario {
        method: "POST",
        path: "/Bulk".into(),
        body: json!({"schemas": [BULK_REQUEST], "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "a", "data": user_data("alice")},
            {"method": "POST", "path": "/Users", "bulkId": "b", "data": user_data("bob")},
            {"method": "PATCH", "path": format!("/Users/{}", ids["xavier"]), "data": patch_op(json!([
                {"op": "replace", "path": "title", "value": "Manager"},
                {"op": "add", "path": "emails", "value": [{"value": "x@example.com", "type": "work"}]}
            ]))},
            {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {
                "schemas": [GROUP], "displayName": "tour guides",
                "members": [{"value": "bulkId:a"}, {"value": "bulkId:b"}, {"value": ids["xavier"]}]}},
            {"method": "DELETE", "path": format!("/Users/{}", ids["yolanda"])}
        ]}),
        config,
        targets: vec![
            "User:alice",
            "User:bob",
            "User:xavier",
            "Group:tour guides",
            "User:yolanda",
        ],
    }
}

#[test]
fn bulk_with_circular_group_references_is_all_or_nothing_per_resource() {
    inject_every_fault(|_| Scenario {
        method: "POST",
        path: "/Bulk".into(),
        body: json!({"schemas": [BULK_REQUEST], "Operations": [
            {"method": "POST", "path": "/Groups", "bulkId": "g1", "data": {
                "schemas": [GROUP], "displayName": "first", "members": [{"value": "bulkId:g2", "type": "Group"}]}},
            {"method": "POST", "path": "/Groups", "bulkId": "g2", "data": {
                "schemas": [GROUP], "displayName": "second", "members": [{"value": "bulkId:g1", "type": "Group"}]}}
        ]}),
        targets: vec!["Group:first", "Group:second"],
        config: ServiceConfig::default(),
    });
}

#[test]
fn patch_of_group_members_is_all_or_nothing() {
    inject_every_fault(|ids| Scenario {
        method: "PATCH",
        path: format!("/Groups/{}", ids["helpers"]),
        body: patch_op(json!([
            {"op": "remove", "path": format!("members[value eq \"{}\"]", ids["yolanda"])},
            {"op": "add", "path": "members", "value": [{"value": ids["zack"]}]},
            {"op": "replace", "path": "displayName", "value": "helpers"}
        ])),
        targets: vec![],
        config: ServiceConfig::default(),
    });
}
