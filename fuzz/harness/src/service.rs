//! Target `service`: up to four HTTP requests handled by `scim_core::service` over a
//! `MemoryStore` seeded with three users and a group.
//!
//! Input format, readable so that seeds are real payloads (requests separated by a `###` line):
//!
//! ```text
//! PATCH /Users/00000001?attributes=userName
//! Content-Type: application/scim+json
//!
//! {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []}
//! ```
//!
//! An input starting with `!` runs under a configuration with every switch turned the other
//! way (lenient, soft delete, 204 PATCH, pages of 2, 3 Bulk operations, unique group names);
//! any other input under the default configuration.
//!
//! The seeded ids are `00000001` (RFC 7643 full user), `00000002` (minimal user), `00000003`
//! (Entra user) and `00000004` (group of the first two). The seeds are created through the
//! service once per process, and their store writes are replayed into a fresh store for each
//! input.
//!
//! Invariants:
//! - no 5xx other than 501 (`/Me`): the memory store never fails, so a 500 is an engine bug;
//! - every 4xx/5xx body is a SCIM error whose `status` is the response status;
//! - every other body is JSON, with the SCIM content type; 204 and 304 have no body;
//! - after the requests, listing Users and Groups still answers 200.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use scim_core::error::ERROR_URN;
use scim_core::query::Instant;
use scim_core::schema::Registry;
use scim_core::service::http::SCIM_CONTENT_TYPE;
use scim_core::service::{
    Environment, Index, ListQuery, Listing, Membership, MemoryStore, Method, Record, Request,
    ResourceRef, Response, Service, ServiceConfig, Store, StoreError,
};
use serde_json::Value;

use crate::fixtures::{entra_user, full_user, group_body, minimal_user};

/// The base URL of every request.
const BASE: &str = "https://scim.example.com/scim/v2";

/// Most requests taken from one input.
const MAX_REQUESTS: usize = 4;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let (quirks, data) = match data.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, data),
    };
    let requests: Vec<Parsed> = split(data).take(MAX_REQUESTS).map(Parsed::new).collect();
    SEEDED.with(|seeded| {
        let Seeded {
            service,
            writes,
            clock,
        } = &seeded[usize::from(quirks)];
        service.env().set(*clock);
        let store = MemoryStore::new();
        for (resource_type, record, index) in writes {
            let created = poll_once(store.create(resource_type, record, index));
            assert_eq!(created, Ok(()), "replaying the seed {}", record.id);
        }
        for req in &requests {
            let resp = send(service, &store, req);
            check(req, &resp);
        }
        for listing in ["/Users", "/Groups"] {
            let mut req = Parsed::get(listing);
            req.query = "count=0".into();
            let resp = send(service, &store, &req);
            assert_eq!(
                resp.status, 200,
                "listing {listing} after the requests failed"
            );
        }
    });
}

/// A service, the store writes that seeded it, and its clock after seeding.
struct Seeded {
    service: Service<FuzzEnv>,
    writes: Vec<(String, Record, Index)>,
    clock: (i64, u64),
}

thread_local! {
    /// The default and the quirks service, seeded (built once: the registry is costly).
    static SEEDED: [Seeded; 2] = [
        seeded(ServiceConfig::default()),
        seeded(ServiceConfig {
            max_results: 2,
            bulk_max_operations: 3,
            patch_returns_no_content: true,
            soft_delete: true,
            lenient: true,
            group_display_name_unique: true,
            ..ServiceConfig::default()
        }),
    ];
}

/// A service with `config`, seeded through a recording store.
fn seeded(config: ServiceConfig) -> Seeded {
    let service = Service::new(Registry::builtin(), config, FuzzEnv::new());
    let recorder = Recorder {
        inner: MemoryStore::new(),
        creates: RefCell::new(Vec::new()),
    };
    seed(&service, &recorder);
    Seeded {
        clock: service.env().get(),
        service,
        writes: recorder.creates.into_inner(),
    }
}

/// A deterministic clock and id sequence, reset before each input.
#[derive(Debug)]
pub struct FuzzEnv {
    millis: Cell<i64>,
    next_id: Cell<u64>,
}

/// 2024-05-01T10:00:00Z.
const START_MILLIS: i64 = 1_714_557_600_000;

impl FuzzEnv {
    fn new() -> FuzzEnv {
        FuzzEnv {
            millis: Cell::new(START_MILLIS),
            next_id: Cell::new(1),
        }
    }

    /// The clock and the next id.
    fn get(&self) -> (i64, u64) {
        (self.millis.get(), self.next_id.get())
    }

    /// Sets the clock and the next id.
    fn set(&self, (millis, next_id): (i64, u64)) {
        self.millis.set(millis);
        self.next_id.set(next_id);
    }
}

impl Environment for FuzzEnv {
    fn now(&self) -> Instant {
        let now = self.millis.get();
        self.millis.set(now.saturating_add(1));
        Instant::from_unix_millis(now)
    }

    fn new_id(&self) -> String {
        let n = self.next_id.get();
        self.next_id.set(n.wrapping_add(1));
        format!("{n:08}")
    }
}

/// Creates the seed users and group through the service itself.
fn seed<S: Store>(service: &Service<FuzzEnv>, store: &S) {
    for (path, body) in [
        ("/Users", full_user()),
        ("/Users", minimal_user()),
        ("/Users", entra_user()),
        ("/Groups", group_body()),
    ] {
        let req = Parsed {
            method: "POST".into(),
            path: path.into(),
            query: String::new(),
            headers: vec![("Content-Type".into(), "application/scim+json".into())],
            body: body.to_string().into_bytes(),
        };
        let resp = send(service, store, &req);
        assert_eq!(
            resp.status,
            201,
            "seeding {path} failed: {}",
            text(&resp.body)
        );
    }
}

/// One request read from the input.
struct Parsed {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Parsed {
    /// Reads `METHOD TARGET`, header lines, an empty line and the body.
    fn new(raw: &[u8]) -> Parsed {
        let (head, body) = match find(raw, b"\n\n") {
            Some(at) => (&raw[..at], &raw[at + 2..]),
            None => (raw, &[][..]),
        };
        let head = String::from_utf8_lossy(head);
        let mut lines = head.lines();
        let first = lines.next().unwrap_or("");
        let (method, target) = first.split_once(' ').unwrap_or((first, ""));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let headers = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                (name.trim().to_owned(), value.trim().to_owned())
            })
            .collect();
        Parsed {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body: body.to_vec(),
        }
    }

    fn get(path: &str) -> Parsed {
        Parsed {
            method: "GET".into(),
            path: path.into(),
            query: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn describe(&self) -> String {
        format!("{} {}?{}", self.method, self.path, self.query)
    }
}

/// The requests of an input: its parts between lines holding only `###`.
fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let data = rest?;
        match find(data, b"\n###\n") {
            Some(at) => {
                rest = Some(&data[at + 5..]);
                Some(&data[..at])
            }
            None => {
                rest = None;
                Some(data)
            }
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn send<S: Store>(service: &Service<FuzzEnv>, store: &S, req: &Parsed) -> Response {
    let request = Request {
        method: Method::parse(&req.method),
        base_url: BASE,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
    };
    poll_once(service.handle(store, &request))
}

/// The output of `future`, which must be ready at once (a `MemoryStore` never waits).
fn poll_once<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("a MemoryStore request never waits, yet the service is pending"),
    }
}

/// A `MemoryStore` that records the records it is asked to create.
struct Recorder {
    inner: MemoryStore,
    creates: RefCell<Vec<(String, Record, Index)>>,
}

impl Store for Recorder {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        self.inner.get(resource_type, id).await
    }

    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError> {
        self.inner.create(resource_type, record, index).await?;
        self.creates
            .borrow_mut()
            .push((resource_type.into(), record.clone(), index.clone()));
        Ok(())
    }

    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.inner
            .replace(resource_type, record, index, expected_version)
            .await
    }

    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.inner.delete(resource_type, id, expected_version).await
    }

    async fn list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        self.inner.list(resource_type, query).await
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        self.inner.lookup(ids).await
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        self.inner.groups_of(member_ids).await
    }
}

fn check(req: &Parsed, resp: &Response) {
    let what = req.describe();
    assert!(
        resp.status < 500 || resp.status == 501,
        "{what} answered {}: {}",
        resp.status,
        text(&resp.body)
    );
    if matches!(resp.status, 204 | 304) {
        assert!(resp.body.is_empty(), "{what}: {} with a body", resp.status);
        return;
    }
    if resp.body.is_empty() {
        assert!(
            resp.status < 400,
            "{what}: error {} without a body",
            resp.status
        );
        return;
    }
    assert_eq!(
        resp.header("content-type"),
        Some(SCIM_CONTENT_TYPE),
        "{what}: body without the SCIM content type"
    );
    let body: Value = match serde_json::from_slice(&resp.body) {
        Ok(body) => body,
        Err(err) => panic!("{what}: body is not JSON ({err}): {}", text(&resp.body)),
    };
    if resp.status >= 400 {
        let schemas = body["schemas"].as_array();
        assert!(
            schemas.is_some_and(|s| s.iter().any(|u| u == ERROR_URN)),
            "{what}: error {} body is not a SCIM error: {body}",
            resp.status
        );
        assert_eq!(
            body["status"].as_str(),
            Some(resp.status.to_string().as_str()),
            "{what}: error body status differs from the response status"
        );
    }
}

fn text(body: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_splits_into_requests_at_hash_lines() {
        let parts: Vec<&[u8]> = split(b"GET /a\n###\nGET /b\n###\n").collect();
        assert_eq!(parts, [&b"GET /a"[..], b"GET /b", b""]);
    }

    #[test]
    fn request_text_gives_method_path_query_headers_and_body() {
        let req =
            Parsed::new(b"PATCH /Users/1?attributes=id\nIf-Match: W/\"1\"\nX\n\n{\"a\":\n\n1}");
        assert_eq!(req.method, "PATCH");
        assert_eq!(req.path, "/Users/1");
        assert_eq!(req.query, "attributes=id");
        assert_eq!(
            req.headers,
            [
                ("If-Match".to_owned(), "W/\"1\"".to_owned()),
                ("X".to_owned(), String::new())
            ]
        );
        assert_eq!(req.body, b"{\"a\":\n\n1}");
    }

    #[test]
    fn seeds_are_replayed_with_the_seeded_ids() {
        run(b"GET /Users/00000003\n###\nGET /Groups/00000004");
        let store = MemoryStore::new();
        SEEDED.with(|seeded| {
            for (_, record, index) in &seeded[1].writes {
                assert_eq!(poll_once(store.create("x", record, index)), Ok(()));
            }
            let ids: Vec<&str> = seeded[0].writes.iter().map(|w| w.1.id.as_str()).collect();
            assert_eq!(ids, ["00000001", "00000002", "00000003", "00000004"]);
        });
    }

    #[test]
    fn a_server_error_breaks_the_invariant() {
        let resp = Response::error(&scim_core::ScimError::Storage("disk".into()));
        let outcome = std::panic::catch_unwind(|| check(&Parsed::get("/Users"), &resp));
        assert!(outcome.is_err());
    }
}
