//! Target `validate`: validate a JSON body as a User and as a Group, for create and for replace
//! of a stored resource, strictly and leniently.
//!
//! Invariants:
//! - a rejected body has at least one violation, each a 400 with a `scimType`;
//! - an accepted body comes back normalised: `schemas` first lists the core schema, no
//!   `id`/`meta`, and validating the output again (strictly, same mode) accepts it unchanged.

use scim_core::resource::validate::{validate, Mode, ValidateOptions};
use scim_core::schema::{Registry, ResourceType};
use serde_json::{Map, Value};

use crate::fixtures::fixtures;

/// Runs the target on one input (a JSON document; other bytes are ignored).
pub fn run(data: &[u8]) {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let fx = fixtures();
    let cases = [
        (fx.user_type(), &fx.users[0]),
        (fx.user_type(), &fx.users[1]),
        (fx.group_type(), &fx.group),
    ];
    for (rt, existing) in cases {
        for mode in [Mode::Create, Mode::Replace { existing }] {
            for lenient in [false, true] {
                check(&fx.registry, rt, &body, mode, lenient);
            }
        }
    }
}

fn check(registry: &Registry, rt: &ResourceType, body: &Value, mode: Mode<'_>, lenient: bool) {
    let options = ValidateOptions { lenient };
    match validate(registry, rt, body.clone(), mode, &options) {
        Ok(out) => check_output(registry, rt, out, mode, lenient),
        Err(violations) => {
            assert!(!violations.is_empty(), "a rejection without violations");
            for err in violations.errors() {
                assert!(
                    err.status() == 400 && err.scim_type().is_some(),
                    "a violation must be a 400 with a scimType: {err:?}"
                );
            }
        }
    }
}

fn check_output(
    registry: &Registry,
    rt: &ResourceType,
    out: Map<String, Value>,
    mode: Mode<'_>,
    lenient: bool,
) {
    let first_schema = out
        .get("schemas")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(Value::as_str);
    assert_eq!(
        first_schema,
        Some(rt.schema.as_str()),
        "normalised output must list the core schema first: {out:?}"
    );
    assert!(
        !out.contains_key("id") && !out.contains_key("meta"),
        "normalised output keeps readOnly attributes: {out:?}"
    );
    let strict = ValidateOptions { lenient: false };
    let output = Value::Object(out.clone());
    match validate(registry, rt, output, mode, &strict) {
        Ok(again) => assert_eq!(
            again, out,
            "validating the normalised {} output again changed it (lenient: {lenient})",
            rt.name
        ),
        Err(violations) => panic!(
            "the normalised {} output (lenient: {lenient}) fails strict validation: {violations}\n{out:?}",
            rt.name
        ),
    }
}
