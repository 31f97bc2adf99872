//! Target `service`: up to four HTTP requests handled by `scim_core::service` over a
//! `MemoryStore` seeded with three users and a group, under the default configuration and under
//! one with every switch turned the other way (lenient, soft delete, 204 PATCH, small pages).
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
//! The seeded ids are `00000001` (RFC 7643 full user), `00000002` (minimal user), `00000003`
//! (Entra user) and `00000004` (group of the first two).
//!
//! Invariants:
//! - no 5xx other than 501 (`/Me`): the memory store never fails, so a 500 is an engine bug;
//! - every 4xx/5xx body is a SCIM error whose `status` is the response status;
//! - every other body is JSON, with the SCIM content type; 204 and 304 have no body;
//! - after the requests, listing Users and Groups still answers 200.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use scim_core::error::ERROR_URN;
use scim_core::query::Instant;
use scim_core::schema::Registry;
use scim_core::service::http::SCIM_CONTENT_TYPE;
use scim_core::service::{
    Environment, MemoryStore, Method, Request, Response, Service, ServiceConfig,
};
use serde_json::Value;

use crate::fixtures::{entra_user, full_user, group_body, minimal_user};

/// The base URL of every request.
const BASE: &str = "https://scim.example.com/scim/v2";

/// Most requests taken from one input.
const MAX_REQUESTS: usize = 4;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let requests: Vec<Parsed> = split(data).take(MAX_REQUESTS).map(Parsed::new).collect();
    SERVICES.with(|services| {
        for service in services {
            service.env().reset();
            let store = MemoryStore::new();
            seed(service, &store);
            for req in &requests {
                let resp = send(service, &store, req);
                check(req, &resp);
            }
            for listing in ["/Users", "/Groups"] {
                let req = Parsed::get(listing);
                let resp = send(service, &store, &req);
                assert_eq!(
                    resp.status, 200,
                    "listing {listing} after the requests failed"
                );
            }
        }
    });
}

thread_local! {
    /// The two services every input runs against (built once: the registry is costly).
    static SERVICES: [Service<FuzzEnv>; 2] = [
        Service::new(Registry::builtin(), ServiceConfig::default(), FuzzEnv::new()),
        Service::new(
            Registry::builtin(),
            ServiceConfig {
                max_results: 2,
                bulk_max_operations: 3,
                patch_returns_no_content: true,
                soft_delete: true,
                lenient: true,
                group_display_name_unique: true,
                ..ServiceConfig::default()
            },
            FuzzEnv::new(),
        ),
    ];
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

    fn reset(&self) {
        self.millis.set(START_MILLIS);
        self.next_id.set(1);
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
fn seed(service: &Service<FuzzEnv>, store: &MemoryStore) {
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

fn send(service: &Service<FuzzEnv>, store: &MemoryStore, req: &Parsed) -> Response {
    let request = Request {
        method: Method::parse(&req.method),
        base_url: BASE,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
    };
    let mut future = pin!(service.handle(store, &request));
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(resp) => resp,
        Poll::Pending => panic!("a MemoryStore request never waits, yet the service is pending"),
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
