//! Target `filter`: parse a filter (strict and lenient), print it back, compile it for Users
//! and Groups, and evaluate it against fixed resources.
//!
//! Invariants:
//! - whatever strict parsing accepts, lenient parsing accepts as the same tree;
//! - a parsed filter prints to text that strict parsing turns into the same tree;
//! - parse and compile errors are 400 `invalidFilter`/`invalidPath`;
//! - a compiled `not (f)` matches exactly the resources `f` does not match.

use scim_core::query::{compile, parse_filter, CompileOptions, Filter, ParseOptions};
use scim_core::schema::ResourceType;
use scim_core::ScimError;
use serde_json::Value;

use crate::fixtures::{fixtures, Fixtures};

/// Runs the target on one input (UTF-8 filter text; other bytes are ignored).
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strict = parse_filter(text, ParseOptions::STRICT);
    let lenient = parse_filter(text, ParseOptions::LENIENT);
    if let Ok(filter) = &strict {
        assert_eq!(
            lenient.as_ref().ok(),
            Some(filter),
            "lenient parsing must accept what strict parsing accepts, as the same tree: {text:?}"
        );
    }
    for result in [&strict, &lenient] {
        match result {
            Ok(filter) => {
                round_trip(filter, text);
                evaluate(filter);
            }
            Err(err) => check_error(err, text),
        }
    }
}

/// The printed filter parses (strictly) to the same tree.
fn round_trip(filter: &Filter, text: &str) {
    let printed = filter.to_string();
    match parse_filter(&printed, ParseOptions::STRICT) {
        Ok(again) => assert_eq!(
            &again, filter,
            "printing {text:?} gave {printed:?}, which parses to another filter"
        ),
        Err(err) => panic!("printing {text:?} gave {printed:?}, which does not parse: {err}"),
    }
}

/// Compiles `filter` for each resource type and evaluates it and its negation.
fn evaluate(filter: &Filter) {
    let fx = fixtures();
    let negated = Filter::Not(Box::new(filter.clone()));
    for rt in [fx.user_type(), fx.group_type()] {
        for lenient_unknown in [false, true] {
            let options = CompileOptions { lenient_unknown };
            let compiled = match compile(filter, &fx.registry, rt, options) {
                Ok(compiled) => compiled,
                Err(err) => {
                    check_error(&err, &filter.to_string());
                    continue;
                }
            };
            let Ok(not) = compile(&negated, &fx.registry, rt, options) else {
                continue;
            };
            for resource in resources(fx, rt) {
                assert_ne!(
                    compiled.matches(resource),
                    not.matches(resource),
                    "'{filter}' and its negation agree on a {} resource {resource}",
                    rt.name
                );
            }
        }
    }
}

/// The fixture resources a filter for `rt` is evaluated against.
fn resources<'f>(fx: &'f Fixtures, rt: &ResourceType) -> impl Iterator<Item = &'f Value> {
    let own: &[Value] = if rt.name == "Group" {
        std::slice::from_ref(&fx.group)
    } else {
        &fx.users
    };
    own.iter().chain([&fx.odd])
}

/// Errors of filters are client errors of the filter or path kind.
fn check_error(err: &ScimError, text: &str) {
    assert!(
        matches!(
            err,
            ScimError::InvalidFilter { .. } | ScimError::InvalidPath { .. }
        ),
        "unexpected error kind for filter {text:?}: {err:?}"
    );
    assert_eq!(err.status(), 400, "{err:?}");
}
