//! Parsing PatchOp bodies into typed operations.

use alloc::vec;
use alloc::vec::Vec;
use serde_json::json;

use super::*;
use crate::error::ScimType;
use crate::patch::{OpKind, PatchOperation};
use crate::query::ast::{AttrPath, PatchPath};

/// Parses `body` with default options.
fn parse(body: Value) -> Result<PatchRequest, ScimError> {
    PatchRequest::parse(&body, &PatchOptions::default())
}

/// Asserts parsing `body` fails with `ty`.
fn rejects(body: Value, ty: ScimType) {
    let err = parse(body.clone()).expect_err("the body is invalid");
    assert_eq!(err.scim_type(), Some(ty), "{body} gave {err:?}");
}

/// A simple attribute path.
fn attr(name: &str) -> Option<PatchPath> {
    Some(PatchPath::Attr(AttrPath {
        urn: None,
        name: name.into(),
        sub: None,
    }))
}

#[test]
fn parses_operations_in_order_with_typed_paths() {
    let req = parse(body(json!([
        {"op": "add", "path": "nickName", "value": "Babs"},
        {"op": "remove", "path": "title"},
        {"op": "replace", "path": "name.givenName", "value": "B"}
    ])))
    .unwrap();
    assert_eq!(
        req.operations,
        vec![
            PatchOperation {
                op: OpKind::Add,
                path: attr("nickName"),
                value: Some(json!("Babs"))
            },
            PatchOperation {
                op: OpKind::Remove,
                path: attr("title"),
                value: None
            },
            PatchOperation {
                op: OpKind::Replace,
                path: Some(PatchPath::Attr(AttrPath {
                    urn: None,
                    name: "name".into(),
                    sub: Some("givenName".into()),
                })),
                value: Some(json!("B")),
            },
        ]
    );
}

#[test]
fn pathless_operation_becomes_one_operation_per_key() {
    let req = parse(body(
        json!([{"op": "replace", "value": {"active": false, "title": "T"}}]),
    ))
    .unwrap();
    assert_eq!(
        req.operations,
        vec![
            PatchOperation {
                op: OpKind::Replace,
                path: attr("active"),
                value: Some(json!(false))
            },
            PatchOperation {
                op: OpKind::Replace,
                path: attr("title"),
                value: Some(json!("T"))
            },
        ]
    );
}

#[test]
fn parses_from_json_text() {
    let text = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations":[{"op":"remove","path":"members"}]}"#;
    let req = PatchRequest::from_slice(text, &PatchOptions::default()).unwrap();
    assert_eq!(req.operations.len(), 1);
    assert_eq!(req.operations[0].op, OpKind::Remove);
}

#[test]
fn invalid_json_text_is_invalid_syntax() {
    let err = PatchRequest::from_slice(b"{\"schemas\": [", &PatchOptions::default()).unwrap_err();
    assert_eq!(err.scim_type(), Some(ScimType::InvalidSyntax));
}

#[test]
fn op_names_in_any_case_by_default() {
    let req = parse(body(json!([
        {"op": "Add", "path": "title", "value": "x"},
        {"op": "REPLACE", "path": "title", "value": "y"},
        {"op": "Remove", "path": "title"}
    ])))
    .unwrap();
    let kinds: Vec<OpKind> = req.operations.iter().map(|o| o.op).collect();
    assert_eq!(kinds, vec![OpKind::Add, OpKind::Replace, OpKind::Remove]);
}

#[test]
fn schemas_urn_case_and_operations_key_case_are_accepted() {
    let req = parse(
        json!({"schemas": ["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],
                           "operations": [{"op": "remove", "path": "title"}]}),
    )
    .unwrap();
    assert_eq!(req.operations.len(), 1);
}

#[test]
fn null_path_counts_as_no_path() {
    let req = parse(body(
        json!([{"op": "add", "path": null, "value": {"title": "x"}}]),
    ))
    .unwrap();
    assert_eq!(req.operations[0].path, attr("title"));
}

#[test]
fn body_must_be_an_object() {
    rejects(json!([1, 2]), ScimType::InvalidSyntax);
}

#[test]
fn missing_schemas_is_invalid_syntax() {
    rejects(
        json!({"Operations": [{"op": "remove", "path": "title"}]}),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn wrong_schema_urn_is_invalid_syntax() {
    rejects(
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
               "Operations": [{"op": "remove", "path": "title"}]}),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn schemas_not_an_array_is_invalid_syntax() {
    rejects(
        json!({"schemas": "urn:ietf:params:scim:api:messages:2.0:PatchOp",
               "Operations": [{"op": "remove", "path": "title"}]}),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn missing_operations_is_invalid_syntax() {
    rejects(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn operations_not_an_array_is_invalid_syntax() {
    rejects(
        body(json!({"op": "remove", "path": "title"})),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn empty_operations_is_invalid_syntax() {
    rejects(body(json!([])), ScimType::InvalidSyntax);
}

#[test]
fn operation_not_an_object_is_invalid_syntax() {
    rejects(body(json!(["remove"])), ScimType::InvalidSyntax);
}

#[test]
fn missing_op_is_invalid_syntax() {
    rejects(
        body(json!([{"path": "title", "value": "x"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn unknown_op_is_invalid_syntax() {
    rejects(
        body(json!([{"op": "copy", "path": "title", "value": "x"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn op_not_a_string_is_invalid_syntax() {
    rejects(
        body(json!([{"op": 1, "path": "title", "value": "x"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn add_without_value_is_invalid_syntax() {
    rejects(
        body(json!([{"op": "add", "path": "title"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn add_with_null_value_is_invalid_syntax() {
    rejects(
        body(json!([{"op": "add", "path": "title", "value": null}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn replace_without_value_is_invalid_syntax() {
    rejects(
        body(json!([{"op": "replace", "path": "title"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn remove_without_path_is_no_target() {
    // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status
    // code 400 and a "scimType" error code of "noTarget"."
    rejects(body(json!([{"op": "remove"}])), ScimType::NoTarget);
}

#[test]
fn path_not_a_string_is_invalid_syntax() {
    rejects(
        body(json!([{"op": "remove", "path": ["title"]}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn malformed_path_is_invalid_path() {
    rejects(
        body(json!([{"op": "remove", "path": "name..givenName"}])),
        ScimType::InvalidPath,
    );
}

#[test]
fn empty_path_is_invalid_path() {
    rejects(
        body(json!([{"op": "remove", "path": ""}])),
        ScimType::InvalidPath,
    );
}

#[test]
fn pathless_value_must_be_an_object() {
    rejects(
        body(json!([{"op": "replace", "value": "x"}])),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn malformed_pathless_key_is_invalid_path() {
    rejects(
        body(json!([{"op": "add", "value": {"name..givenName": "x"}}])),
        ScimType::InvalidPath,
    );
}

#[test]
fn malformed_filter_in_pathless_key_is_invalid_filter() {
    rejects(
        body(json!([{"op": "add", "value": {"emails[type eq": "x"}}])),
        ScimType::InvalidFilter,
    );
}
