//! Target `path`: parse an attribute path, an attribute list and a PATCH path, print them back,
//! and resolve the PATCH path against Users and Groups.
//!
//! Invariants:
//! - a parsed attribute path, attribute list or PATCH path prints to text that parses to the
//!   same value (PATCH paths with strict parsing);
//! - whatever strict PATCH path parsing accepts, lenient parsing accepts as the same path;
//! - errors are 400 `invalidPath` (or `invalidFilter` inside brackets); resolving a path in a
//!   PATCH compiles or fails with a 4xx error, and applying it never panics.

use scim_core::patch::{CompiledPatch, OpKind, PatchOperation, PatchOptions, PatchRequest};
use scim_core::query::{
    parse_attr_list, parse_attr_path, parse_patch_path, AttrPath, ParseOptions, PatchPath,
};
use scim_core::ScimError;
use serde_json::Value;

use crate::fixtures::fixtures;

/// Runs the target on one input (UTF-8 path text; other bytes are ignored).
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    attr_path(text);
    attr_list(text);
    let strict = parse_patch_path(text, ParseOptions::STRICT);
    let lenient = parse_patch_path(text, ParseOptions::LENIENT);
    if let Ok(path) = &strict {
        assert_eq!(
            lenient.as_ref().ok(),
            Some(path),
            "lenient parsing must accept what strict parsing accepts, as the same path: {text:?}"
        );
    }
    for result in [strict, lenient] {
        match result {
            Ok(path) => {
                patch_round_trip(&path, text);
                resolve(path);
            }
            Err(err) => check_error(&err, text),
        }
    }
}

fn attr_path(text: &str) {
    match parse_attr_path(text) {
        Ok(path) => {
            let printed = path.to_string();
            assert_eq!(
                parse_attr_path(&printed).as_ref(),
                Ok(&path),
                "attribute path {text:?} printed as {printed:?}"
            );
        }
        Err(err) => check_error(&err, text),
    }
}

fn attr_list(text: &str) {
    match parse_attr_list(text) {
        Ok(paths) => {
            let printed = paths
                .iter()
                .map(AttrPath::to_string)
                .collect::<Vec<_>>()
                .join(",");
            assert_eq!(
                parse_attr_list(&printed).as_ref(),
                Ok(&paths),
                "attribute list {text:?} printed as {printed:?}"
            );
        }
        Err(err) => check_error(&err, text),
    }
}

fn patch_round_trip(path: &PatchPath, text: &str) {
    let printed = path.to_string();
    match parse_patch_path(&printed, ParseOptions::STRICT) {
        Ok(again) => assert_eq!(
            &again, path,
            "PATCH path {text:?} printed as {printed:?}, which parses to another path"
        ),
        Err(err) => panic!("PATCH path {text:?} printed as {printed:?}, which fails: {err}"),
    }
}

/// Compiles a `remove` and a `replace` of `path` for each resource type and applies them.
fn resolve(path: PatchPath) {
    let fx = fixtures();
    let operations = [OpKind::Remove, OpKind::Replace]
        .into_iter()
        .map(|op| PatchOperation {
            op,
            path: Some(path.clone()),
            value: (op == OpKind::Replace).then(|| Value::String("fuzz".into())),
        });
    for operation in operations {
        let request = PatchRequest {
            operations: vec![operation],
        };
        for (rt, resources) in [
            (fx.user_type(), fx.users.as_slice()),
            (fx.group_type(), std::slice::from_ref(&fx.group)),
        ] {
            let options = PatchOptions::default();
            match CompiledPatch::new(&request, &fx.registry, rt, &options) {
                Ok(compiled) => {
                    for resource in resources {
                        if let Err(err) = compiled.apply(resource) {
                            check_client_error(&err);
                        }
                    }
                }
                Err(err) => check_client_error(&err),
            }
        }
    }
}

fn check_error(err: &ScimError, text: &str) {
    assert!(
        matches!(
            err,
            ScimError::InvalidPath { .. } | ScimError::InvalidFilter { .. }
        ),
        "unexpected error kind for path {text:?}: {err:?}"
    );
    assert_eq!(err.status(), 400, "{err:?}");
}

/// PATCH errors are client errors with a `scimType`.
pub(crate) fn check_client_error(err: &ScimError) {
    assert!(
        (400..500).contains(&err.status()) && err.scim_type().is_some(),
        "a PATCH error must be a 4xx with a scimType: {err:?}"
    );
}
