//! PATCH against a custom extension: immutable, canonical, dateTime, integer, required
//! attributes and required sub-attributes.

use alloc::format;
use alloc::string::ToString;
use serde_json::json;
use std::sync::OnceLock;

use super::*;
use crate::error::ScimType;
use crate::schema::SchemaExtension;

/// The custom extension URN.
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

/// The built-in registry plus the Acme extension on `User`.
fn acme_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry::builtin();
        registry
            .load_schemas_json(&json!({
                "id": ACME, "name": "AcmeUser", "description": "Acme",
                "attributes": [
                    {"name": "tier", "type": "string", "required": true},
                    {"name": "badgeId", "type": "string", "mutability": "immutable"},
                    {"name": "clearance", "type": "string", "canonicalValues": ["low", "high"],
                     "strictCanonical": true},
                    {"name": "hireDate", "type": "dateTime"},
                    {"name": "costCodes", "type": "integer", "multiValued": true},
                    {"name": "licenses", "type": "complex", "multiValued": true, "subAttributes": [
                        {"name": "sku", "type": "string", "required": true},
                        {"name": "seats", "type": "integer"}]}
                ]
            }).to_string())
            .expect("valid schema");
        registry
            .add_extension(
                "User",
                SchemaExtension {
                    schema: ACME.into(),
                    required: false,
                },
            )
            .expect("extension added");
        registry
    })
}

/// A user with the Acme extension.
fn acme_user() -> Value {
    let mut user = minimal_user();
    user["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ACME]);
    user[ACME] = json!({"tier": "gold", "badgeId": "B-1", "licenses": [{"sku": "E5", "seats": 1}]});
    user
}

/// Applies `ops` to `user` with the Acme registry.
fn acme_run(user: &Value, ops: Value) -> Result<PatchOutcome, ScimError> {
    let registry = acme_registry();
    let rt = registry.resource_type("User").expect("User");
    let options = PatchOptions::default();
    let before = user.clone();
    let result = PatchRequest::parse(&body(ops), &options)
        .and_then(|req| apply(user, &req, registry, rt, &options));
    assert_eq!(*user, before);
    result
}

/// Asserts `ops` fail on `user` with `ty`.
fn acme_fails(user: &Value, ops: Value, ty: ScimType) {
    let err = acme_run(user, ops).expect_err("the PATCH must fail");
    assert_eq!(err.scim_type(), Some(ty), "{err:?}");
}

#[test]
fn immutable_attribute_can_be_set_once_when_unset() {
    let mut user = acme_user();
    user[ACME].as_object_mut().unwrap().remove("badgeId");
    let out = acme_run(
        &user,
        json!([{"op": "add", "path": format!("{ACME}:badgeId"), "value": "B-2"}]),
    )
    .unwrap();
    assert_eq!(out.resource[ACME]["badgeId"], "B-2");
}

#[test]
fn immutable_attribute_cannot_change() {
    acme_fails(
        &acme_user(),
        json!([{"op": "replace", "path": format!("{ACME}:badgeId"), "value": "B-2"}]),
        ScimType::Mutability,
    );
}

#[test]
fn immutable_attribute_set_to_its_value_is_no_change() {
    let out = acme_run(
        &acme_user(),
        json!([{"op": "replace", "path": format!("{ACME}:badgeId"), "value": "B-1"}]),
    )
    .unwrap();
    assert!(!out.changed);
}

#[test]
fn immutable_attribute_cannot_be_removed() {
    acme_fails(
        &acme_user(),
        json!([{"op": "remove", "path": format!("{ACME}:badgeId")}]),
        ScimType::Mutability,
    );
}

#[test]
fn strict_canonical_value_is_enforced_ignoring_case() {
    acme_fails(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:clearance"), "value": "medium"}]),
        ScimType::InvalidValue,
    );
    let out = acme_run(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:clearance"), "value": "HIGH"}]),
    )
    .unwrap();
    assert_eq!(out.resource[ACME]["clearance"], "HIGH");
}

#[test]
fn date_time_must_be_rfc_3339() {
    acme_fails(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:hireDate"), "value": "yesterday"}]),
        ScimType::InvalidValue,
    );
    let out = acme_run(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:hireDate"), "value": "2015-10-10T14:38:21.8617979-07:00"}]),
    )
    .unwrap();
    assert_eq!(
        out.resource[ACME]["hireDate"],
        "2015-10-10T14:38:21.8617979-07:00"
    );
}

#[test]
fn integer_values_must_be_whole_numbers() {
    acme_fails(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:costCodes"), "value": [1.5]}]),
        ScimType::InvalidValue,
    );
    let out = acme_run(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:costCodes"), "value": [7, 8, 7]}]),
    )
    .unwrap();
    assert_eq!(
        out.resource[ACME]["costCodes"],
        json!([7, 8]),
        "identical simple values are added once"
    );
}

#[test]
fn new_complex_value_needs_its_required_sub_attributes() {
    acme_fails(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:licenses"), "value": [{"seats": 3}]}]),
        ScimType::InvalidValue,
    );
}

#[test]
fn required_sub_attribute_cannot_be_removed() {
    acme_fails(
        &acme_user(),
        json!([{"op": "remove", "path": format!("{ACME}:licenses[sku eq \"E5\"].sku")}]),
        ScimType::Mutability,
    );
}

#[test]
fn filtered_sub_attribute_of_custom_extension() {
    let out = acme_run(
        &acme_user(),
        json!([{"op": "replace", "path": format!("{ACME}:licenses[sku eq \"E5\"].seats"), "value": 25}]),
    )
    .unwrap();
    assert_eq!(
        out.resource[ACME]["licenses"],
        json!([{"sku": "E5", "seats": 25}])
    );
}

#[test]
fn creating_the_extension_without_its_required_attribute_is_invalid_value() {
    acme_fails(
        &minimal_user(),
        json!([{"op": "add", "path": format!("{ACME}:badgeId"), "value": "B-9"}]),
        ScimType::InvalidValue,
    );
}

#[test]
fn creating_the_extension_with_its_required_attribute() {
    let out = acme_run(
        &minimal_user(),
        json!([{"op": "add", "path": ACME, "value": {"tier": "silver", "badgeId": "B-9"}}]),
    )
    .unwrap();
    assert_eq!(
        out.resource[ACME],
        json!({"tier": "silver", "badgeId": "B-9"})
    );
    assert_eq!(
        out.resource["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ACME])
    );
}

#[test]
fn required_extension_attribute_cannot_be_removed() {
    acme_fails(
        &acme_user(),
        json!([{"op": "remove", "path": format!("{ACME}:tier")}]),
        ScimType::Mutability,
    );
}

#[test]
fn value_created_for_an_unmatched_filter_is_type_checked() {
    acme_fails(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:licenses[sku eq \"E3\"].seats"), "value": "many"}]),
        ScimType::InvalidValue,
    );
    let out = acme_run(
        &acme_user(),
        json!([{"op": "add", "path": format!("{ACME}:licenses[sku eq \"E3\"].seats"), "value": 4}]),
    )
    .unwrap();
    assert_eq!(
        out.resource[ACME]["licenses"],
        json!([{"sku": "E5", "seats": 1}, {"sku": "E3", "seats": 4}])
    );
}
