//! Tests of the emitted PATCH source: which steps get a JavaScript form, and what it holds.

use alloc::format;
use alloc::string::String;
use serde_json::{json, Value};
use std::sync::OnceLock;

use super::{patch_body_source, patch_source, runtime_source, RUNTIME, UNDECIDED};
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

/// The line of the first step function.
fn step0(js: &str) -> &str {
    let start = js.find("function s0(w)").expect("a first step");
    let end = js[start..].find('\n').map_or(js.len(), |n| start + n);
    &js[start..end]
}

/// The source emitted for `operations` on users with the default quirks.
fn source(operations: Value) -> String {
    source_with("User", operations, &PatchOptions::default())
}

#[test]
fn simple_replace_emits_the_runtime_one_step_and_a_fresh_literal() {
    let js = source(json!([{"op": "replace", "path": "title", "value": "Boss"}]));
    assert!(js.starts_with("(((R) => {\nconst {fail, part, finish, "));
    assert!(js.ends_with(&format!(")({})", runtime_source())));
    assert!(js.contains(
        "function s0(w) { const c = w; writeWhole(c, A0, false, \"Boss\"); settle(c, A0); }"
    ));
    assert!(js.contains("const A0 = {n: \"title\", multi: false, cx: false"));
    assert!(js.contains("s0(w); "));
    assert!(!js.contains("s1(w)"));
}

#[test]
fn schemas_steps_carry_the_canonical_urns_they_name() {
    let js = source(json!([
        {"op": "replace", "path": "title", "value": "Boss"},
        {"op": "add", "path": "schemas", "value": ["URN:ietf:params:scim:schemas:extension:enterprise:2.0:User"]}
    ]));
    assert!(js.contains(
        "function s1(w) { writeSchemas(w, false, [\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"], false); }"
    ));
    let core = source(
        json!([{"op": "replace", "path": "schemas", "value": "urn:ietf:params:scim:schemas:core:2.0:user"}]),
    );
    assert!(step0(&core).contains(
        "writeSchemas(w, true, [\"urn:ietf:params:scim:schemas:core:2.0:User\"], true);"
    ));
    let unknown = source(json!([{"op": "add", "path": "schemas", "value": ["urn:example:other"]}]));
    assert_eq!(step0(&unknown), "function s0(w) { fail(); }");
}

#[test]
fn a_step_on_an_attribute_named_like_an_object_prototype_property_leaves_all_to_core() {
    let mut registry = Registry::builtin();
    let odd: crate::schema::Schema = serde_json::from_value(json!({
        "id": "urn:example:Odd", "name": "Odd",
        "attributes": [{"name": "constructor", "type": "string"}, {"name": "plain", "type": "string"}]
    }))
    .expect("schema");
    registry.add_schema(odd).expect("schema added");
    let ext = crate::schema::SchemaExtension {
        schema: "urn:example:Odd".into(),
        required: false,
    };
    registry
        .add_extension("User", ext)
        .expect("extension added");
    let rt = registry.resource_type("User").expect("User");
    let compile = |path: &str| {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": path, "value": "x"}],
        });
        let options = PatchOptions::default();
        let request = PatchRequest::parse(&body, &options).expect("PatchOp parses");
        let compiled = CompiledPatch::new(&request, &registry, rt, &options).expect("compiles");
        assert_eq!(
            patch_body_source(&compiled) == super::UNDECIDED_BODY,
            patch_source(&compiled) == UNDECIDED
        );
        patch_source(&compiled)
    };
    assert_eq!(compile("urn:example:Odd:constructor"), UNDECIDED);
    assert_ne!(compile("urn:example:Odd:plain"), UNDECIDED);
}

#[test]
fn filtered_write_hoists_the_value_filter_and_the_created_value() {
    let js = source(json!([
        {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@example.com"}
    ]));
    assert!(js.contains("writeSelected(c, A4, A0, true, \"a@example.com\", F0, M1)"));
    assert!(js.contains("const M1 = () => ({\"type\":\"work\",\"value\":\"a@example.com\"});"));
    assert!(js.contains("const F0 = ("));
    assert!(js.contains("const A0 = {n: \"value\", multi: false, cx: false"));
}

#[test]
fn strict_quirks_make_an_unmatched_filter_fail() {
    let js = source_with(
        "User",
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@x"}]),
        &PatchOptions::STRICT,
    );
    assert!(step0(&js).contains("writeSelected(c, A4, A0, true, \"a@x\", F0, fail);"));
    assert!(!js.contains("\nconst M1 = "));
}

#[test]
fn removes_pass_listed_values_or_null_and_the_unmatched_option() {
    let listed = source_with(
        "Group",
        json!([{"op": "remove", "path": "members", "value": [{"value": "m1"}]}]),
        &PatchOptions::default(),
    );
    assert!(step0(&listed).contains("removeWhole(c, A4, [{\"value\":\"m1\"}]); settle(c, A4);"));
    let whole = source(json!([{"op": "remove", "path": "title"}]));
    assert!(whole.contains("removeWhole(c, A0, null)"));
    let filtered = source_with(
        "Group",
        json!([{"op": "remove", "path": "members[value eq \"m1\"]"}]),
        &PatchOptions::LENIENT,
    );
    assert!(step0(&filtered).contains("removeSelected(c, A4, null, F0, true); settle(c, A4);"));
}

#[test]
fn extension_attributes_sit_in_their_extension_object_and_mark_it_touched() {
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let js =
        source(json!([{"op": "replace", "path": format!("{urn}:department"), "value": "R&D"}]));
    assert!(js.contains(&format!(
        "const c = ext(w, \"{urn}\"); writeWhole(c, A0, false, \"R&D\")"
    )));
    assert!(js.contains(&format!("{{urn: \"{urn}\", touched: true, rs: []}}")));
    let untouched = source(json!([{"op": "replace", "path": "title", "value": "x"}]));
    assert!(untouched.contains(&format!("{{urn: \"{urn}\", touched: false, rs: []}}")));
    let removed = source(json!([{"op": "remove", "path": urn}]));
    assert!(removed.contains(&format!("removeExt(w, \"{urn}\", false);")));
}

#[test]
fn pathless_values_become_one_step_each_sharing_descriptors() {
    let js = source(json!([
        {"op": "replace", "value": {"displayName": "D", "title": "T", "active": "False"}},
        {"op": "replace", "path": "title", "value": "U"}
    ]));
    assert!(js.contains("s0(w); s1(w); s2(w); s3(w); "));
    assert!(
        js.contains("writeWhole(c, A0, false, false)"),
        "active normalised"
    );
    assert_eq!(js.matches("n: \"title\"").count(), 1);
    assert!(js.contains("function s3(w) { const c = w; writeWhole(c, A2, false, \"U\");"));
}

#[test]
fn step_values_are_literals_inside_the_step_so_each_call_builds_them_afresh() {
    let js = source(
        json!([{"op": "add", "path": "emails", "value": [{"value": "x@y", "type": "work"}]}]),
    );
    assert_eq!(
        step0(&js),
        "function s0(w) { const c = w; writeWhole(c, A4, true, [{\"type\":\"work\",\"value\":\"x@y\"}]); settle(c, A4); }"
    );
}

#[test]
fn names_of_object_prototype_properties_and_proto_keys_are_refused() {
    assert!(!super::safe_name("constructor"));
    assert!(!super::safe_name("__proto__"));
    assert!(super::safe_name("userName"));
    assert_eq!(
        super::value_literal(&json!({"a": [{"__proto__": 1}]})),
        None
    );
    assert_eq!(
        super::value_literal(&json!({"a": [1, "__proto__"]})).as_deref(),
        Some(r#"{"a":[1,"__proto__"]}"#)
    );
}

#[test]
fn the_runtime_exports_what_bodies_call_and_bodies_leave_it_out() {
    let runtime = runtime_source();
    assert!(runtime.contains(RUNTIME));
    for name in super::RUNTIME_EXPORTS.split(", ").map(str::trim) {
        assert!(
            runtime.contains(&format!("function {name}(")),
            "{name} is defined"
        );
    }
    let body = |operations| {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        });
        let options = PatchOptions::default();
        let request = PatchRequest::parse(&body, &options).expect("PatchOp parses");
        let rt = registry().resource_type("User").expect("User");
        let compiled = CompiledPatch::new(&request, registry(), rt, &options).expect("compiles");
        (patch_body_source(&compiled), patch_source(&compiled))
    };
    let (js, whole) = body(json!([{"op": "add", "path": "title", "value": "x"}]));
    assert!(js.starts_with("((R) => {") && !js.contains(RUNTIME));
    assert_eq!(whole, format!("({js})({runtime})"));
}
