//! Bulk operations (RFC 7644 §3.7): `POST /Bulk`.
//!
//! - The body is a `BulkRequest` (`schemas` names its URN, `Operations` is an array); more
//!   operations than `maxOperations` is 413, a larger body than `maxPayloadSize` is 413.
//! - Each operation runs like the single request it describes (`method`, `path`, `data`,
//!   `version` as `If-Match`) and gets its own `status` (a string), `location`, `version`, and
//!   on failure the SCIM error as `response`. A malformed operation fails alone (400).
//! - `bulkId:<id>` strings anywhere in `data`, and as the id in `path`, are replaced by the id
//!   of the resource the POST with that `bulkId` created. Operations run in request order,
//!   except that an operation waits until the operations it refers to have run (forward
//!   references work). Referring to an undefined `bulkId`, or to one whose operation failed,
//!   fails with 409. A `bulkId` defined twice fails the second POST (400).
//! - Circular references (RFC 7644 §3.7.1): when every waiting operation waits on another,
//!   the first waiting POST is created without the values that refer to unresolved bulkIds
//!   (array elements holding such a reference, or whole attributes otherwise), and those
//!   values are added by an internal PATCH once their targets exist; its response then shows
//!   the final version. If that PATCH fails, the resource is deleted again and the operation
//!   reports 409. A storage failure of that PATCH or of that delete is retried (up to
//!   `CYCLE_ATTEMPTS` times): operations that already refer to the resource would otherwise
//!   lose their reference to it.
//! - `failOnErrors`: after that many failed operations, no further operation starts; the
//!   response lists the operations that ran, in request order. Operations are not atomic
//!   together (each one is), as the RFC allows.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::env::Environment;
use super::http::Method;
use super::messages::{BULK_REQUEST_URN, BULK_RESPONSE_URN};
use super::router::{route, Route};
use super::store::{Record, Store};
use super::Service;
use crate::error::ScimError;
use crate::patch::PATCH_OP_URN;
use crate::resource::meta::{etag, location, EtagCondition};
use crate::schema::ResourceType;

/// The prefix of a bulkId reference.
const PREFIX: &str = "bulkId:";

/// Attempts at completing or undoing a resource created to break a cycle, when the store
/// fails: other operations may already refer to it, so giving up at the first transient
/// failure would leave them pointing at a resource that is then removed.
const CYCLE_ATTEMPTS: usize = 3;

/// One operation of a `BulkRequest`, as sent.
#[derive(Debug)]
struct Op {
    method: Method,
    bulk_id: Option<String>,
    version: Option<String>,
    path: String,
    data: Option<Value>,
    /// Why the operation is malformed, if it is.
    invalid: Option<ScimError>,
    /// The bulkIds it refers to.
    refs: BTreeSet<String>,
}

/// A PATCH adding back values held out of a POST to break a circular reference.
struct Deferred<'r> {
    op: usize,
    rt: &'r ResourceType,
    id: String,
    body: Value,
    refs: BTreeSet<String>,
}

/// A resource a bulk POST created: its type, id, and the PATCH body of held-out values.
type Created<'r> = (&'r ResourceType, String, Option<Value>);

/// What happened to one operation.
struct Outcome {
    status: u16,
    location: Option<String>,
    version: Option<u64>,
    error: Option<ScimError>,
}

impl Outcome {
    fn failed(error: ScimError, location: Option<String>) -> Outcome {
        Outcome {
            status: error.status(),
            location,
            version: None,
            error: Some(error),
        }
    }
}

/// Collects the bulkIds referred to in `value` (strings `bulkId:<id>`).
fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) => {
            if let Some(id) = s.strip_prefix(PREFIX) {
                out.insert(id.into());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Replaces every `bulkId:<id>` string whose id is in `ids` by the created resource's id.
fn substitute(value: &mut Value, ids: &BTreeMap<String, Result<String, ()>>) {
    match value {
        Value::String(s) => {
            if let Some(Ok(id)) = s.strip_prefix(PREFIX).and_then(|b| ids.get(b)) {
                *s = id.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, ids)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, ids)),
        _ => {}
    }
}

/// Whether `value` refers to a bulkId `unresolved` accepts.
fn refers(value: &Value, unresolved: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Value::String(s) => s.strip_prefix(PREFIX).is_some_and(unresolved),
        Value::Array(items) => items.iter().any(|v| refers(v, unresolved)),
        Value::Object(map) => map.values().any(|v| refers(v, unresolved)),
        _ => false,
    }
}

/// Takes out of `object` the values referring to unresolved bulkIds: `(path, value)` pairs.
fn hold_out(
    object: &mut Map<String, Value>,
    prefix: &str,
    unresolved: &dyn Fn(&str) -> bool,
    out: &mut Vec<(String, Value)>,
) {
    let keys: Vec<String> = object.keys().cloned().collect();
    for key in keys {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        let path = format!("{prefix}{key}");
        let Some(value) = object.get_mut(&key) else {
            continue;
        };
        match value {
            Value::Object(inner) if prefix.is_empty() && key.starts_with("urn:") => {
                hold_out(inner, &format!("{key}:"), unresolved, out);
            }
            Value::Array(items) => {
                let (dirty, clean): (Vec<Value>, Vec<Value>) = core::mem::take(items)
                    .into_iter()
                    .partition(|v| refers(v, unresolved));
                *items = clean;
                if !dirty.is_empty() {
                    out.push((path, Value::Array(dirty)));
                }
            }
            other if refers(other, unresolved) => {
                if let Some(v) = object.remove(&key) {
                    out.push((path, v));
                }
            }
            _ => {}
        }
    }
}

/// Parses one element of `Operations`.
fn parse_op(value: &Value) -> Op {
    let mut op = Op {
        method: Method::Other,
        bulk_id: None,
        version: None,
        path: String::new(),
        data: None,
        invalid: None,
        refs: BTreeSet::new(),
    };
    let Value::Object(map) = value else {
        op.invalid = Some(ScimError::InvalidSyntax(
            "a bulk operation must be an object".into(),
        ));
        return op;
    };
    let text = |name: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let string = |name: &str| text(name).and_then(Value::as_str).map(String::from);
    op.method = string("method").map_or(Method::Other, |m| Method::parse(&m));
    op.bulk_id = string("bulkId");
    op.version = string("version");
    op.path = string("path").unwrap_or_default();
    op.data = text("data").cloned();
    if let Some(data) = &op.data {
        collect_refs(data, &mut op.refs);
    }
    if let Some(id) = op
        .path
        .rsplit('/')
        .next()
        .and_then(|s| s.strip_prefix(PREFIX))
    {
        op.refs.insert(id.into());
    }
    op.invalid = match op.method {
        Method::Other | Method::Get => Some(ScimError::InvalidSyntax(
            "bulk operation 'method' must be POST, PUT, PATCH or DELETE".into(),
        )),
        _ if op.path.is_empty() => Some(ScimError::InvalidSyntax(
            "bulk operation needs a 'path'".into(),
        )),
        Method::Post | Method::Put | Method::Patch
            if !matches!(op.data, Some(Value::Object(_))) =>
        {
            Some(ScimError::InvalidSyntax(
                "bulk operation needs 'data' (an object)".into(),
            ))
        }
        _ if op.bulk_id.as_deref().is_some_and(str::is_empty) => Some(ScimError::invalid_value(
            "bulkId",
            "a bulkId must not be empty",
        )),
        _ => None,
    };
    op
}

impl<E: Environment> Service<E> {
    /// Answers a `BulkRequest` body with a `BulkResponse`.
    pub(super) async fn bulk<S: Store>(
        &self,
        store: &S,
        body: &Value,
        base: &str,
    ) -> Result<Value, ScimError> {
        let Value::Object(map) = body else {
            return Err(ScimError::InvalidSyntax(
                "a BulkRequest must be a JSON object".into(),
            ));
        };
        let member = |name: &str| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        };
        let names_urn = member("schemas")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(BULK_REQUEST_URN))
                })
            });
        if !names_urn {
            return Err(ScimError::InvalidSyntax(format!(
                "'schemas' must contain '{BULK_REQUEST_URN}'"
            )));
        }
        let Some(Value::Array(raw_ops)) = member("Operations") else {
            return Err(ScimError::InvalidSyntax(
                "a BulkRequest needs an 'Operations' array".into(),
            ));
        };
        if raw_ops.len() > self.config.bulk_max_operations {
            return Err(ScimError::PayloadTooLarge(format!(
                "{} operations exceed maxOperations {}",
                raw_ops.len(),
                self.config.bulk_max_operations
            )));
        }
        let fail_on_errors = match member("failOnErrors") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|n| *n >= 1)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        ScimError::invalid_value("failOnErrors", "must be an integer of 1 or more")
                    })?,
            ),
        };
        let mut ops: Vec<Op> = raw_ops.iter().map(parse_op).collect();
        let mut defined: BTreeMap<String, usize> = BTreeMap::new();
        for (i, op) in ops.iter_mut().enumerate() {
            let Some(bid) = op.bulk_id.clone().filter(|_| op.method == Method::Post) else {
                continue;
            };
            if op.invalid.is_none() && defined.contains_key(&bid) {
                op.invalid = Some(ScimError::invalid_value(
                    "bulkId",
                    format!("bulkId '{bid}' is already used by an earlier operation"),
                ));
            } else if op.invalid.is_none() {
                defined.insert(bid, i);
            }
        }
        let outcomes = self
            .run_bulk(store, &ops, &defined, fail_on_errors, base)
            .await?;
        let results: Vec<Value> = ops
            .iter()
            .zip(outcomes)
            .filter_map(|(op, outcome)| Some(self.bulk_result(op, outcome?)))
            .collect();
        Ok(json!({"schemas": [BULK_RESPONSE_URN], "Operations": results}))
    }

    /// One element of the response's `Operations`.
    fn bulk_result(&self, op: &Op, outcome: Outcome) -> Value {
        let mut v = json!({
            "method": op.method.as_str(),
            "status": outcome.status.to_string(),
        });
        if let Some(bid) = &op.bulk_id {
            v["bulkId"] = Value::String(bid.clone());
        }
        if let Some(loc) = outcome.location {
            v["location"] = Value::String(loc);
        }
        if let Some(version) = outcome.version {
            v["version"] = Value::String(etag(version));
        }
        if let Some(err) = outcome.error {
            v["response"] = err.to_json();
        }
        v
    }

    /// Runs the operations (see the module docs); `None` for operations that did not run.
    async fn run_bulk<S: Store>(
        &self,
        store: &S,
        ops: &[Op],
        defined: &BTreeMap<String, usize>,
        fail_on_errors: Option<usize>,
        base: &str,
    ) -> Result<Vec<Option<Outcome>>, ScimError> {
        let mut outcomes: Vec<Option<Outcome>> = ops.iter().map(|_| None).collect();
        let mut resolved: BTreeMap<String, Result<String, ()>> = BTreeMap::new();
        let mut pending: Vec<usize> = (0..ops.len()).collect();
        let mut deferred: Vec<Deferred<'_>> = Vec::new();
        let mut errors = 0usize;
        let waits = |refs: &BTreeSet<String>, resolved: &BTreeMap<String, Result<String, ()>>| {
            refs.iter()
                .any(|r| defined.contains_key(r) && !resolved.contains_key(r))
        };
        loop {
            let stopped = fail_on_errors.is_some_and(|n| errors >= n);
            if let Some(pos) = deferred.iter().position(|d| !waits(&d.refs, &resolved)) {
                let d = deferred.remove(pos);
                let outcome = self
                    .run_deferred(store, d.rt, &d.id, d.body, &resolved, base)
                    .await;
                if outcome.error.is_some() {
                    errors += 1;
                }
                if let Some(slot) = outcomes.get_mut(d.op) {
                    *slot = Some(outcome);
                }
                continue;
            }
            if stopped || pending.is_empty() {
                break;
            }
            let ready = pending.iter().position(|&i| {
                ops.get(i)
                    .is_some_and(|op| op.invalid.is_some() || !waits(&op.refs, &resolved))
            });
            let (i, hold) = match ready {
                Some(pos) => (pending.remove(pos), false),
                None => {
                    let pos = pending
                        .iter()
                        .position(|&i| ops.get(i).is_some_and(|op| op.method == Method::Post))
                        .unwrap_or(0);
                    (pending.remove(pos), true)
                }
            };
            let Some(op) = ops.get(i) else {
                continue;
            };
            let (outcome, created) = self.run_op(store, op, defined, &resolved, hold, base).await;
            if let Some((rt, id, held)) = created {
                if let Some(bid) = &op.bulk_id {
                    resolved.insert(bid.clone(), Ok(id.clone()));
                }
                if let Some(body) = held {
                    let mut refs = BTreeSet::new();
                    collect_refs(&body, &mut refs);
                    deferred.push(Deferred {
                        op: i,
                        rt,
                        id,
                        body,
                        refs,
                    });
                }
            } else if let (Some(bid), Method::Post) = (&op.bulk_id, op.method) {
                if defined.get(bid) == Some(&i) {
                    resolved.insert(bid.clone(), Err(()));
                }
            }
            if outcome.error.is_some() {
                errors += 1;
            }
            if let Some(slot) = outcomes.get_mut(i) {
                *slot = Some(outcome);
            }
        }
        for d in deferred {
            let err = ScimError::Conflict(format!(
                "circular bulkId references of '{}' could not be resolved",
                d.id
            ));
            let outcome = self.undo(store, d.rt, &d.id, err, base).await;
            if let Some(slot) = outcomes.get_mut(d.op) {
                *slot = Some(outcome);
            }
        }
        Ok(outcomes)
    }

    /// Deletes a resource created to break a cycle whose completion failed.
    async fn undo<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        err: ScimError,
        base: &str,
    ) -> Outcome {
        for _ in 0..CYCLE_ATTEMPTS {
            if !matches!(
                self.remove(store, rt, id, None).await,
                Err(ScimError::Storage(_))
            ) {
                break;
            }
        }
        Outcome::failed(err, Some(location(base, &rt.endpoint, id)))
    }

    /// Adds back the values held out of a POST (circular references).
    async fn run_deferred<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        id: &str,
        mut body: Value,
        resolved: &BTreeMap<String, Result<String, ()>>,
        base: &str,
    ) -> Outcome {
        let mut refs = BTreeSet::new();
        collect_refs(&body, &mut refs);
        if let Some(bad) = refs
            .iter()
            .find(|r| !matches!(resolved.get(*r), Some(Ok(_))))
        {
            let err = ScimError::Conflict(format!(
                "circular reference through bulkId '{bad}' could not be resolved"
            ));
            return self.undo(store, rt, id, err, base).await;
        }
        substitute(&mut body, resolved);
        let mut result = self.modify(store, rt, id, &body, None).await;
        for _ in 1..CYCLE_ATTEMPTS {
            if !matches!(result, Err(ScimError::Storage(_))) {
                break;
            }
            result = self.modify(store, rt, id, &body, None).await;
        }
        match result {
            Ok(record) => Outcome {
                status: 201,
                location: Some(location(base, &rt.endpoint, id)),
                version: Some(record.version),
                error: None,
            },
            Err(e) => {
                let err = ScimError::Conflict(format!(
                    "circular bulkId references could not be resolved: {e}"
                ));
                self.undo(store, rt, id, err, base).await
            }
        }
    }

    /// Runs one operation; on a successful POST also returns what it created and, when `hold`
    /// (breaking a cycle), the PATCH body adding back the held-out values.
    async fn run_op<'s, S: Store>(
        &'s self,
        store: &S,
        op: &Op,
        defined: &BTreeMap<String, usize>,
        resolved: &BTreeMap<String, Result<String, ()>>,
        hold: bool,
        base: &str,
    ) -> (Outcome, Option<Created<'s>>) {
        if let Some(err) = &op.invalid {
            return (Outcome::failed(err.clone(), None), None);
        }
        for r in &op.refs {
            let problem = match (defined.contains_key(r), resolved.get(r)) {
                (false, _) => Some(format!("bulkId '{r}' is not defined in this request")),
                (true, Some(Err(()))) => Some(format!("the operation with bulkId '{r}' failed")),
                (true, None) if !(hold && op.method == Method::Post) => Some(format!(
                    "the circular reference through bulkId '{r}' cannot be resolved"
                )),
                _ => None,
            };
            if let Some(detail) = problem {
                return (Outcome::failed(ScimError::Conflict(detail), None), None);
            }
        }
        let mut path = op.path.clone();
        if let Some((head, last)) = path.rsplit_once('/') {
            if let Some(Ok(id)) = last.strip_prefix(PREFIX).and_then(|b| resolved.get(b)) {
                path = format!("{head}/{id}");
            }
        }
        let path = path.split('?').next().unwrap_or_default();
        let mut data = op.data.clone();
        let mut held = None;
        if let Some(d) = &mut data {
            if hold {
                if let Value::Object(map) = d {
                    let unresolved = |b: &str| !resolved.contains_key(b);
                    let mut out = Vec::new();
                    hold_out(map, "", &unresolved, &mut out);
                    let operations: Vec<Value> = out
                        .into_iter()
                        .map(|(p, v)| json!({"op": "add", "path": p, "value": v}))
                        .collect();
                    held = Some(json!({"schemas": [PATCH_OP_URN], "Operations": operations}));
                }
            }
            substitute(d, resolved);
        }
        let condition = op.version.as_deref().map(EtagCondition::parse);
        let route = match route(&self.registry, path) {
            Ok(r) => r,
            Err(e) => return (Outcome::failed(e, None), None),
        };
        let result: Result<(u16, &'s ResourceType, Option<Record>, String), ScimError> =
            match (op.method, route) {
                (Method::Post, Route::Collection(rt)) => self
                    .create(store, rt, data.unwrap_or(Value::Null))
                    .await
                    .map(|r| (201, rt, Some(r.clone()), r.id)),
                (Method::Put, Route::Resource(rt, id)) => self
                    .replace(
                        store,
                        rt,
                        &id,
                        &data.unwrap_or(Value::Null),
                        condition.as_ref(),
                    )
                    .await
                    .map(|r| (200, rt, Some(r), id)),
                (Method::Patch, Route::Resource(rt, id)) => self
                    .modify(
                        store,
                        rt,
                        &id,
                        &data.unwrap_or(Value::Null),
                        condition.as_ref(),
                    )
                    .await
                    .map(|r| (200, rt, Some(r), id)),
                (Method::Delete, Route::Resource(rt, id)) => self
                    .remove(store, rt, &id, condition.as_ref())
                    .await
                    .map(|()| (204, rt, None, id)),
                _ => Err(ScimError::invalid_value(
                    "path",
                    format!(
                        "'{}' is not a valid path for a bulk {}",
                        op.path,
                        op.method.as_str()
                    ),
                )),
            };
        match result {
            Ok((status, rt, record, id)) => {
                let outcome = Outcome {
                    status,
                    location: Some(location(base, &rt.endpoint, &id)),
                    version: record.as_ref().map(|r| r.version),
                    error: None,
                };
                let created = (op.method == Method::Post).then_some((rt, id, held));
                (outcome, created)
            }
            Err(e) => {
                let loc = match route_location(self, path, base) {
                    Some(l) if op.method != Method::Post => Some(l),
                    _ => None,
                };
                (Outcome::failed(e, loc), None)
            }
        }
    }
}

/// The absolute URL of a resource path, if it names one.
fn route_location<E: Environment>(service: &Service<E>, path: &str, base: &str) -> Option<String> {
    match route(&service.registry, path).ok()? {
        Route::Resource(rt, id) => Some(location(base, &rt.endpoint, &id)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{GROUP_URN, USER_URN};
    use crate::service::testing::{Harness, BASE};
    use crate::service::ServiceConfig;

    fn bulk(ops: Value) -> Value {
        json!({"schemas": [BULK_REQUEST_URN], "Operations": ops})
    }

    fn user_op(bulk_id: &str, name: &str) -> Value {
        json!({"method": "POST", "path": "/Users", "bulkId": bulk_id,
               "data": {"schemas": [USER_URN], "userName": name}})
    }

    fn group_op(bulk_id: &str, name: &str, members: &[&str]) -> Value {
        let members: Vec<Value> = members.iter().map(|m| json!({"value": m})).collect();
        json!({"method": "POST", "path": "/Groups", "bulkId": bulk_id,
               "data": {"schemas": [GROUP_URN], "displayName": name, "members": members}})
    }

    fn statuses(resp: &Value) -> Vec<String> {
        resp["Operations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].as_str().unwrap().into())
            .collect()
    }

    #[test]
    fn bulk_id_references_resolve_including_forward_ones() {
        let h = Harness::new();
        let body = bulk(json!([
            group_op("g", "Tour Guides", &["bulkId:qwerty"]),
            user_op("qwerty", "alice"),
        ]));
        let (status, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["schemas"], json!([BULK_RESPONSE_URN]));
        assert_eq!(statuses(&v), ["201", "201"]);
        assert_eq!(v["Operations"][0]["bulkId"], "g");
        assert_eq!(v["Operations"][1]["version"], "W/\"1\"");
        let user_loc = v["Operations"][1]["location"].as_str().unwrap();
        let user_id = user_loc.rsplit('/').next().unwrap();
        let group_loc = v["Operations"][0]["location"].as_str().unwrap();
        let group_path = group_loc.strip_prefix(BASE).unwrap();
        let (_, g) = h.json("GET", group_path, None);
        assert_eq!(g["members"][0]["value"], user_id);
        assert!(!user_id.contains("bulkId"));
    }

    #[test]
    fn operations_run_with_put_patch_delete_and_bulk_id_paths() {
        let h = Harness::new();
        let alice = h.user("alice");
        let body = bulk(json!([
            user_op("b", "bob"),
            {"method": "PATCH", "path": "/Users/bulkId:b", "data": {
                "schemas": [PATCH_OP_URN],
                "Operations": [{"op": "replace", "path": "displayName", "value": "Bob"}]}},
            {"method": "PUT", "path": format!("/Users/{alice}"), "version": "W/\"1\"",
             "data": {"schemas": [USER_URN], "userName": "alice", "title": "Boss"}},
            {"method": "DELETE", "path": format!("/Users/{alice}"), "version": "W/\"1\""},
        ]));
        let (_, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(statuses(&v), ["201", "200", "200", "412"]);
        assert_eq!(v["Operations"][1]["version"], "W/\"2\"");
        assert_eq!(v["Operations"][3]["response"]["status"], "412");
        assert_eq!(
            v["Operations"][3]["location"],
            format!("{BASE}/Users/{alice}").as_str()
        );
        let (_, list) = h.json("GET", "/Users?filter=displayName+eq+%22Bob%22", None);
        assert_eq!(list["totalResults"], 1);
    }

    #[test]
    fn a_failing_operation_fails_alone_and_its_dependents_get_409() {
        let h = Harness::new();
        h.user("taken");
        let body = bulk(json!([
            user_op("a", "taken"),
            group_op("g", "G", &["bulkId:a"]),
            user_op("c", "carol"),
            group_op("h", "H", &["bulkId:nowhere"]),
        ]));
        let (_, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(statuses(&v), ["409", "409", "201", "409"]);
        assert_eq!(v["Operations"][0]["response"]["scimType"], "uniqueness");
    }

    #[test]
    fn fail_on_errors_stops_after_that_many_errors() {
        let h = Harness::new();
        let body = json!({"schemas": [BULK_REQUEST_URN], "failOnErrors": 1, "Operations": [
            user_op("a", "alice"),
            {"method": "POST", "path": "/Users", "bulkId": "x", "data": {"schemas": [USER_URN]}},
            user_op("c", "carol"),
        ]});
        let (status, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(status, 200);
        assert_eq!(statuses(&v), ["201", "400"]);
        assert_eq!(h.store.len("User"), 1);
    }

    #[test]
    fn circular_references_are_resolved() {
        let h = Harness::new();
        let body = bulk(json!([
            group_op("a", "A", &["bulkId:b"]),
            group_op("b", "B", &["bulkId:a"]),
        ]));
        let (_, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(statuses(&v), ["201", "201"], "{v}");
        assert_eq!(v["Operations"][0]["version"], "W/\"2\"");
        let id = |i: usize| {
            v["Operations"][i]["location"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        };
        let (_, a) = h.json("GET", &format!("/Groups/{}", id(0)), None);
        let (_, b) = h.json("GET", &format!("/Groups/{}", id(1)), None);
        assert_eq!(a["members"][0]["value"], id(1).as_str());
        assert_eq!(b["members"][0]["value"], id(0).as_str());
    }

    #[test]
    fn malformed_operations_fail_alone() {
        let h = Harness::new();
        let body = bulk(json!([
            {"method": "GET", "path": "/Users"},
            {"method": "POST", "path": "/Users"},
            {"method": "POST", "path": "/Nope", "data": {}},
            {"method": "DELETE", "path": "/Users"},
            user_op("d", "dup1"),
            user_op("d", "dup2"),
            "not an object",
        ]));
        let (_, v) = h.json("POST", "/Bulk", Some(&body));
        assert_eq!(
            statuses(&v),
            ["400", "400", "404", "400", "201", "400", "400"]
        );
    }

    #[test]
    fn limits_and_envelope_are_enforced() {
        let h = Harness::with_config(ServiceConfig {
            bulk_max_operations: 1,
            bulk_max_payload_size: 300,
            ..ServiceConfig::default()
        });
        let two = bulk(json!([user_op("a", "a"), user_op("b", "b")]));
        let (status, v) = h.json("POST", "/Bulk", Some(&two));
        assert_eq!((status, v["status"].as_str()), (413, Some("413")));
        let big = bulk(json!([user_op("a", &"x".repeat(400))]));
        assert_eq!(h.json("POST", "/Bulk", Some(&big)).0, 413);
        let (status, v) = h.json("POST", "/Bulk", Some(&json!({"Operations": []})));
        assert_eq!(
            (status, v["scimType"].as_str()),
            (400, Some("invalidSyntax"))
        );
        let bad = json!({"schemas": [BULK_REQUEST_URN], "failOnErrors": 0, "Operations": []});
        assert_eq!(h.json("POST", "/Bulk", Some(&bad)).0, 400);
        let (status, v) = h.json("POST", "/Bulk", Some(&bulk(json!([]))));
        assert_eq!((status, v["Operations"].clone()), (200, json!([])));
    }

    #[test]
    fn hold_out_takes_referring_values_only() {
        let mut data = json!({
            "schemas": [GROUP_URN],
            "displayName": "A",
            "members": [{"value": "bulkId:x"}, {"value": "real"}],
            "urn:ext": {"manager": {"value": "bulkId:x"}, "keep": "bulkId:known"}
        });
        let mut out = Vec::new();
        let unresolved = |b: &str| b == "x";
        hold_out(data.as_object_mut().unwrap(), "", &unresolved, &mut out);
        assert_eq!(data["members"], json!([{"value": "real"}]));
        assert_eq!(data["urn:ext"], json!({"keep": "bulkId:known"}));
        assert_eq!(
            out,
            [
                ("members".to_string(), json!([{"value": "bulkId:x"}])),
                ("urn:ext:manager".to_string(), json!({"value": "bulkId:x"})),
            ]
        );
    }
}
