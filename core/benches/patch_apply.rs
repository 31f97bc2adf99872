//! PATCH throughput: 6 representative PatchOp documents applied to a ~1.3 KB user.
//!
//! Run with `cargo bench -p scim-core --bench patch_apply`; results are printed and written to
//! `bench-results/patch_apply.txt` at the repository root. Three figures per document:
//! `parse+apply` (from the JSON body already decoded to a `Value`, what the service does per
//! request), `apply` (a parsed request: compile against the schema, run, validate) and
//! `precompiled` (a request compiled once, run many times).

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use scim_core::patch::{apply, CompiledPatch, PatchOptions, PatchRequest};
use scim_core::schema::Registry;
use serde_json::{json, Value};

const MIN_TIME: Duration = Duration::from_millis(300);

/// A user of about 1.3 KB in canonical form, with the enterprise extension.
fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen",
                 "givenName": "Barbara", "middleName": "Jane"},
        "displayName": "Babs Jensen",
        "nickName": "Babs",
        "title": "Tour Guide",
        "userType": "Employee",
        "preferredLanguage": "en-US",
        "locale": "en-US",
        "timezone": "America/Los_Angeles",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
        ],
        "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
             "region": "CA", "postalCode": "91608", "country": "USA", "primary": true}
        ],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984", "costCenter": "4130", "organization": "Universal Studios",
            "division": "Theme Park", "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
        },
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
                 "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"3694e05e9dff591\"",
                 "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"}
    })
}

/// The six PatchOp documents: name and body.
fn documents() -> Vec<(&'static str, Value)> {
    let op = |ops: Value| json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
    vec![
        (
            "add email",
            op(json!([{"op": "add", "path": "emails",
            "value": [{"value": "babs@universal.example", "type": "other"}]}])),
        ),
        (
            "replace filtered email value",
            op(json!([{"op": "replace",
            "path": "emails[type eq \"work\"].value", "value": "barbara@example.com"}])),
        ),
        (
            "remove filtered phone",
            op(json!([{"op": "remove", "path": "phoneNumbers[type eq \"mobile\"]"}])),
        ),
        (
            "path-less replace of 3 attributes",
            op(json!([{"op": "replace",
            "value": {"displayName": "Barbara Jensen", "title": "Lead Guide", "active": false}}])),
        ),
        (
            "replace name.givenName",
            op(json!([{"op": "replace", "path": "name.givenName", "value": "Barb"}])),
        ),
        (
            "URN department",
            op(json!([{"op": "replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Rides"}])),
        ),
    ]
}

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`), so that a
/// busy machine does not skew the figures; `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Runs `f` repeatedly for at least [`MIN_TIME`] of CPU time (wall time where that cannot be
/// read); returns calls per second.
fn per_second(mut f: impl FnMut()) -> f64 {
    for _ in 0..100 {
        f();
    }
    let mut calls = 0u64;
    let start = Instant::now();
    let cpu_start = cpu_ns();
    loop {
        for _ in 0..100 {
            f();
        }
        calls += 100;
        let elapsed = match (cpu_start, cpu_ns()) {
            (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
            _ => start.elapsed(),
        };
        if elapsed >= MIN_TIME {
            return calls as f64 / elapsed.as_secs_f64();
        }
    }
}

/// `12345678.9` as `12,345,679`.
fn grouped(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    let registry = Registry::builtin();
    let rt = registry.resource_type("User").expect("User resource type");
    let options = PatchOptions::default();
    let user = user();
    let size = serde_json::to_string(&user).map_or(0, |s| s.len());
    let mut report = String::new();
    let _ = writeln!(
        report,
        "patch_apply: PATCH applications per CPU-second on a {size}-byte user (native, bench profile)\n"
    );
    let _ = writeln!(
        report,
        "{:>13} {:>13} {:>13}  document",
        "parse+apply/s", "apply/s", "precompiled/s"
    );
    for (name, body) in documents() {
        let request = PatchRequest::parse(&body, &options).expect("valid PatchOp");
        let compiled = CompiledPatch::new(&request, &registry, rt, &options).expect("compiles");
        let outcome = compiled.apply(&user).expect("applies");
        assert!(outcome.changed, "{name} must change the user");
        let full = per_second(|| {
            let request = PatchRequest::parse(black_box(&body), &options).expect("valid PatchOp");
            black_box(apply(black_box(&user), &request, &registry, rt, &options).expect("applies"));
        });
        let applied = per_second(|| {
            black_box(
                apply(
                    black_box(&user),
                    black_box(&request),
                    &registry,
                    rt,
                    &options,
                )
                .expect("applies"),
            );
        });
        let precompiled = per_second(|| {
            black_box(compiled.apply(black_box(&user)).expect("applies"));
        });
        let _ = writeln!(
            report,
            "{:>13} {:>13} {:>13}  {name}",
            grouped(full),
            grouped(applied),
            grouped(precompiled)
        );
    }
    print!("{report}");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench-results");
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(format!("{dir}/patch_apply.txt"), &report);
    }
}
