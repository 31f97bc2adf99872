//! Tests of the emitted PATCH source: which steps get a JavaScript form, and what it holds.

use alloc::string::String;
use serde_json::{json, Value};
use std::sync::OnceLock;

use super::{patch_source, RUNTIME, UNDECIDED};
use crate::patch::{CompiledPatch, PatchOptions, PatchRequest};
use crate::schema::Registry;

/// The built-in registry, built once.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::builtin)
}

/// The source emitted for `operations` on resources of type `rt` with `options`.
fn source_with(rt: &str, operations: Value, options: &PatchOptions) -> String {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    });
    let request = PatchRequest::parse(&body, options).expect("PatchOp parses");
    let rt = registry()
        .resource_type(rt)
        .expect("built-in resource type");
    let compiled = CompiledPatch::new(&request, registry(), rt, options).expect("PATCH compiles");
    patch_source(&compiled)
}

/// The source emitted for `operations` on users with the default quirks.
fn source(operations: Value) -> String {
    source_with("User", operations, &PatchOptions::default())
}

#[test]
fn simple_replace_emits_the_runtime_one_step_and_a_fresh_literal() {
    let js = source(json!([{"op": "replace", "path": "title", "value": "Boss"}]));
    assert!(js.starts_with("(() => {\n"));
    assert!(js.contains(RUNTIME));
    assert!(js.contains(
        "function s0(w) { const c = w; writeWhole(c, A0, false, \"Boss\"); settle(c, A0); }"
    ));
    assert!(js.contains("const A0 = {n: \"title\", multi: false, cx: false"));
    assert!(js.contains("s0(w); "));
    assert!(!js.contains("s1(w)"));
}

#[test]
fn schemas_targets_leave_the_whole_patch_to_core() {
    let js = source(json!([
        {"op": "replace", "path": "title", "value": "Boss"},
        {"op": "add", "path": "schemas", "value": ["urn:ietf:params:scim:schemas:core:2.0:User"]}
    ]));
    assert_eq!(js, UNDECIDED);
}
