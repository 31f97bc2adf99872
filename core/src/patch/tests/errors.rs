//! Failing PATCHes: each gives the RFC 7644 §3.12 error and leaves the resource as it was
//! (`run` asserts the input is untouched; these also check nothing partial leaks out).

use serde_json::json;

use super::*;
use crate::error::ScimType;

/// Asserts `err` has the scimType `ty` and status 400.
fn assert_type(err: &ScimError, ty: ScimType) {
    assert_eq!(err.scim_type(), Some(ty), "{err:?}");
    assert_eq!(err.status(), 400);
}

#[test]
fn removing_required_user_name_is_mutability() {
    let err = failed(&bjensen(), json!([{"op": "remove", "path": "userName"}]));
    assert_type(&err, ScimType::Mutability);
    assert_eq!(err.path(), Some("userName"));
}

#[test]
fn replacing_required_user_name_with_null_is_mutability() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "userName", "value": null}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn replacing_user_name_with_a_blank_string_is_invalid_value() {
    for blank in ["", "  "] {
        let err = failed(
            &bjensen(),
            json!([{"op": "replace", "path": "userName", "value": blank}]),
        );
        assert_type(&err, ScimType::InvalidValue);
        assert_eq!(err.path(), Some("userName"));
        let err = failed(
            &bjensen(),
            json!([{"op": "replace", "value": {"userName": blank}}]),
        );
        assert_type(&err, ScimType::InvalidValue);
    }
}

#[test]
fn removing_readonly_id_is_mutability() {
    let err = failed(&bjensen(), json!([{"op": "remove", "path": "id"}]));
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn changing_readonly_id_is_mutability() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "id", "value": "other"}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn pathless_value_changing_readonly_id_is_mutability() {
    let err = failed(
        &tour_guides(),
        json!([{"op": "replace", "value": {"id": "x", "displayName": "y"}}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn changing_readonly_meta_sub_attribute_is_mutability() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "meta.lastModified", "value": "2030-01-01T00:00:00Z"}]),
    );
    assert_type(&err, ScimType::Mutability);
    assert_eq!(err.path(), Some("meta.lastModified"));
}

#[test]
fn adding_readonly_groups_is_mutability() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "groups", "value": [{"value": "g1"}]}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn removing_readonly_sub_attribute_is_mutability() {
    let err = failed(
        &bjensen(),
        json!([{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName"}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn changing_immutable_member_value_is_mutability() {
    let err = failed(
        &tour_guides(),
        json!([{"op": "replace", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"].value",
                "value": "someone-else"}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn replacing_member_with_other_display_is_mutability() {
    let err = failed(
        &tour_guides(),
        json!([{"op": "replace", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]",
                "value": {"value": "2819c223-7f76-453a-919d-413861904646", "display": "B. Jensen",
                          "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"}}]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn strict_replace_on_unmatched_filter_is_no_target() {
    let err = failed_with(
        &minimal_user(),
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@example.com"}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::NoTarget);
}

#[test]
fn strict_add_on_unmatched_filter_is_no_target() {
    let err = failed_with(
        &bjensen(),
        json!([{"op": "add", "path": "emails[type eq \"other\"].value", "value": "a@example.com"}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::NoTarget);
}

#[test]
fn replace_on_unmatched_non_eq_filter_is_no_target_even_with_quirks() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "emails[value co \"nowhere\"].value", "value": "a@example.com"}]),
    );
    assert_type(&err, ScimType::NoTarget);
}

#[test]
fn remove_on_unmatched_filter_is_no_target() {
    let err = failed(
        &tour_guides(),
        json!([{"op": "remove", "path": "members[value eq \"not-a-member\"]"}]),
    );
    assert_type(&err, ScimType::NoTarget);
}

#[test]
fn remove_on_unmatched_filter_succeeds_with_remove_unmatched_ok() {
    let options = PatchOptions {
        remove_unmatched_ok: true,
        ..PatchOptions::default()
    };
    let out = run(
        &tour_guides(),
        body(json!([{"op": "remove", "path": "members[value eq \"not-a-member\"]"}])),
        &options,
    )
    .unwrap();
    assert!(!out.changed);
    assert_eq!(out.resource, tour_guides());
}

#[test]
fn unknown_attribute_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "shoeSize", "value": "9"}]),
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn unknown_sub_attribute_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "name.nickname", "value": "x"}]),
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn unknown_extension_urn_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "urn:example:params:scim:schemas:extension:acme:2.0:User:badge", "value": "1"}]),
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn group_extension_path_on_user_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "value": "x"}]),
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn filter_on_single_valued_attribute_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "name[givenName eq \"B\"]", "value": {}}]),
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn malformed_filter_in_path_is_invalid_filter() {
    let err = failed(
        &bjensen(),
        json!([{"op": "remove", "path": "emails[type eq]"}]),
    );
    assert_type(&err, ScimType::InvalidFilter);
}

#[test]
fn unknown_attribute_in_path_filter_is_rejected() {
    let err = failed(
        &bjensen(),
        json!([{"op": "remove", "path": "emails[color eq \"red\"]"}]),
    );
    assert!(
        matches!(
            err.scim_type(),
            Some(ScimType::InvalidFilter | ScimType::InvalidPath)
        ),
        "{err:?}"
    );
}

#[test]
fn unknown_sub_attribute_in_value_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "a@example.com", "colour": "red"}]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn number_for_complex_attribute_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "name", "value": 7}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn non_boolean_string_for_active_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "active", "value": "yes"}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn scalar_for_filtered_value_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": true}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn failing_second_operation_discards_the_first() {
    let err = failed(
        &bjensen(),
        json!([
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "remove", "path": "userName"}
        ]),
    );
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn failing_last_of_many_operations_discards_all() {
    let err = failed(
        &tour_guides(),
        json!([
            {"op": "remove", "path": "members"},
            {"op": "add", "path": "displayName", "value": "New"},
            {"op": "remove", "path": "members[value eq \"x\"]"}
        ]),
    );
    assert_type(&err, ScimType::NoTarget);
}

#[test]
fn replacing_schemas_without_core_schema_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "schemas", "value": [ENTERPRISE]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn adding_unknown_schema_urn_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "schemas", "value": ["urn:example:other"]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn removing_schemas_is_mutability() {
    let err = failed(&bjensen(), json!([{"op": "remove", "path": "schemas"}]));
    assert_type(&err, ScimType::Mutability);
}

#[test]
fn filter_on_schemas_is_invalid_path() {
    let err = failed(
        &bjensen(),
        json!([{"op": "remove", "path": "schemas[value eq \"x\"]"}]),
    );
    assert!(
        matches!(
            err.scim_type(),
            Some(ScimType::InvalidPath | ScimType::InvalidFilter)
        ),
        "{err:?}"
    );
}

#[test]
fn null_for_whole_extension_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": ENTERPRISE, "value": null}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn strict_pathless_dotted_key_is_invalid_path() {
    let err = failed_with(
        &bjensen(),
        json!([{"op": "replace", "value": {"name.givenName": "B"}}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::InvalidPath);
}

#[test]
fn strict_plain_string_manager_is_invalid_value() {
    let err = failed_with(
        &bjensen(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": "26118915-6090-4610-87e4-49d8ca9f808d"}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn strict_capitalised_op_is_invalid_syntax() {
    let err = failed_with(
        &bjensen(),
        json!([{"op": "Replace", "path": "displayName", "value": "x"}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::InvalidSyntax);
}

#[test]
fn number_for_boolean_is_invalid_value_from_validation() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "active", "value": 5}]),
    );
    assert_type(&err, ScimType::InvalidValue);
    assert_eq!(err.path(), Some("active"));
}

#[test]
fn strict_string_boolean_is_invalid_value() {
    let err = failed_with(
        &bjensen(),
        json!([{"op": "replace", "path": "active", "value": "False"}]),
        &PatchOptions::STRICT,
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn number_for_email_value_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "emails", "value": [{"value": 42, "type": "other"}]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn two_primary_emails_in_a_replacement_are_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "emails", "value": [
            {"value": "a@example.com", "primary": true}, {"value": "b@example.com", "primary": true}]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn non_base64_certificate_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "add", "path": "x509Certificates", "value": [{"value": "not base64!"}]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn array_for_single_valued_attribute_is_invalid_value() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "title", "value": ["a", "b"]}]),
    );
    assert_type(&err, ScimType::InvalidValue);
}

#[test]
fn error_path_of_a_filtered_target_shows_the_filter() {
    let err = failed(
        &tour_guides(),
        json!([{"op": "replace", "path": "MEMBERS[value eq \"2819c223-7f76-453a-919d-413861904646\"].Value",
                "value": "x"}]),
    );
    assert_eq!(
        err.path(),
        Some("members[value eq \"2819c223-7f76-453a-919d-413861904646\"].value")
    );
}

#[test]
fn error_path_of_an_extension_attribute_is_urn_qualified() {
    let err = failed(
        &bjensen(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:MANAGER.displayName",
                "value": "x"}]),
    );
    assert_eq!(
        err.path(),
        Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName")
    );
}

#[test]
fn in_place_failure_restores_every_touched_member() {
    let mut user = bjensen();
    let request = PatchRequest::parse(
        &body(json!([
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "remove", "path": "emails[type eq \"work\"]"},
            {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", "value": "X"},
            {"op": "remove", "path": "userName"}
        ])),
        &PatchOptions::default(),
    )
    .unwrap();
    let rt = rt_of(&user);
    let err = crate::patch::apply_in_place(
        &mut user,
        &request,
        registry(),
        rt,
        &PatchOptions::default(),
    )
    .unwrap_err();
    assert_type(&err, ScimType::Mutability);
    assert_eq!(user, bjensen());
}

#[test]
fn in_place_failure_removes_members_the_patch_added() {
    let mut user = minimal_user();
    let request = PatchRequest::parse(
        &body(json!([
            {"op": "add", "path": "title", "value": "T"},
            {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", "value": "X"},
            {"op": "replace", "path": "active", "value": "maybe"}
        ])),
        &PatchOptions::default(),
    )
    .unwrap();
    let rt = rt_of(&user);
    assert!(crate::patch::apply_in_place(
        &mut user,
        &request,
        registry(),
        rt,
        &PatchOptions::default()
    )
    .is_err());
    assert_eq!(user, minimal_user());
}
