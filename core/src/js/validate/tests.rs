//! Tests of the emitted create-validator source (its behaviour is checked against core by
//! tests/npm/validate-js.test.mjs).

use alloc::string::{String, ToString};
use serde_json::json;

use super::scope::Target;
use super::top::{Action, Shape};
use super::*;
use crate::schema::{AttrType, Attribute, Registry};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user_source(lenient: bool) -> String {
    let registry = Registry::builtin();
    let rt = registry.resource_type("User").expect("User");
    validator_source(&registry, rt, &ValidateOptions { lenient })
}

#[test]
fn user_validator_switches_on_canonical_names_and_folds_the_others() {
    let src = user_source(false);
    assert!(src.starts_with("(() => {"), "{src}");
    assert!(src.ends_with("})()"), "{src}");
    for label in [
        "case \"userName\":",
        "case \"x509Certificates\":",
        "case \"username\": return",
        "case \"urn:ietf:params:scim:schemas:core:2.0:User:userName\":",
        "case \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber\":",
        "case \"employeeNumber\":",
    ] {
        assert!(src.contains(label), "{label}");
    }
    assert!(
        src.contains("dateTime("),
        "meta is readOnly, but no dateTime attribute is"
    );
    assert!(
        src.contains("base64(v)"),
        "x509Certificates.value is binary"
    );
}

#[test]
fn output_members_are_written_in_byte_order() {
    let src = user_source(false);
    let at = |needle: &str| src.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("r[\"active\"] =") < at("r[\"displayName\"] ="));
    assert!(at("r[\"displayName\"] =") < at("r[\"userName\"] ="));
    assert!(at("r.schemas = sc;") < at(&alloc::format!("r[\"{ENTERPRISE}\"] =")));
    assert!(at(&alloc::format!("r[\"{ENTERPRISE}\"] =")) < at("r[\"userName\"] ="));
    assert!(at(&alloc::format!("r[\"{ENTERPRISE}\"] =")) < at("r[\"x509Certificates\"] ="));
}

#[test]
fn output_resource_is_made_by_a_constructor_whose_prototype_is_object_prototype() {
    let src = user_source(false);
    assert!(
        src.contains("function Out() {}\n  Out.prototype = OP;"),
        "{src}"
    );
    assert!(src.contains("const r = new Out();"), "{src}");
    assert!(!src.contains("const r = {};\nif (a"), "{src}");
}

#[test]
fn lenient_validator_coerces_only_in_lenient_mode() {
    let strict = user_source(false);
    let lenient = user_source(true);
    assert!(lenient.contains("boolText(v)"));
    assert!(lenient.contains("String(v)"));
    assert!(lenient.contains("a = [a];"));
    assert!(lenient.contains("cl = true; }"));
    assert!(!strict.contains("boolText(v)"));
    assert!(!strict.contains("String(v)"));
    assert!(!strict.contains("a = [a];"));
    assert!(strict.contains("if (!cl) return;"));
}

#[test]
fn required_user_name_and_at_most_one_primary_are_checked() {
    let src = user_source(false);
    assert!(src.contains("solid(v)"), "userName refuses blanks");
    assert!(src.contains("if (t[\"primary\"] === true) { if (p) return; p = true; }"));
}

#[test]
fn dispatch_mirrors_core_for_every_kind_of_member() {
    let registry = Registry::builtin();
    let rt = registry.resource_type("User").expect("User");
    let shape = Shape::new(&registry, rt).expect("shape");
    assert_eq!(shape.dispatch("SCHEMAS"), Action::Schemas);
    assert_eq!(
        shape.dispatch(&ENTERPRISE.to_uppercase()),
        Action::ExtObject(0)
    );
    assert!(matches!(
        shape.dispatch(&alloc::format!("{ENTERPRISE}:EMPLOYEENUMBER")),
        Action::Ext(0, Target::Slot(_))
    ));
    assert_eq!(
        shape.dispatch(&alloc::format!("{ENTERPRISE}:nope")),
        Action::Ext(0, Target::Unknown)
    );
    assert_eq!(shape.dispatch(USER), Action::CoreObject);
    assert!(matches!(
        shape.dispatch(&alloc::format!("{USER}:userName")),
        Action::Top(Target::Slot(_))
    ));
    assert!(matches!(
        shape.dispatch("Meta"),
        Action::Top(Target::ReadOnly(_))
    ));
    assert_eq!(shape.dispatch("nope"), Action::Top(Target::Unknown));
}

#[test]
fn an_unregistered_core_schema_leaves_everything_to_core() {
    let registry = Registry::builtin();
    let mut rt = registry.resource_type("User").expect("User").clone();
    rt.schema = String::from("urn:example:missing");
    assert_eq!(
        validator_source(&registry, &rt, &ValidateOptions::default()),
        UNDECIDED
    );
}

#[test]
fn strict_canonical_values_get_a_hoisted_membership_test() {
    let mut registry = Registry::builtin();
    registry
        .load_schemas_json(
            &json!({
                "id": "urn:example:Device",
                "name": "Device",
                "attributes": [
                    {"name": "kind", "type": "string", "strictCanonical": true,
                     "canonicalValues": ["Phone", "Tablet"]},
                    {"name": "serial", "type": "string", "required": true}
                ]
            })
            .to_string(),
        )
        .expect("schema");
    registry
        .load_resource_types_json(
            &json!({"id": "Device", "name": "Device", "endpoint": "/Devices",
                    "schema": "urn:example:Device"})
            .to_string(),
        )
        .expect("resource type");
    let rt = registry.resource_type("Device").expect("Device");
    let src = validator_source(&registry, rt, &ValidateOptions::default());
    assert!(src.contains("case \"Tablet\": return true;"), "{src}");
    assert!(src.contains("case \"tablet\": return true;"), "{src}");
    assert!(src.contains("case \"urn:example:Device:serial\":"), "{src}");
}

#[test]
fn a_proto_key_is_never_written() {
    let attr = Attribute {
        name: String::from("__proto__"),
        ty: AttrType::String,
        multi_valued: false,
        description: String::new(),
        required: false,
        case_exact: false,
        mutability: Default::default(),
        returned: Default::default(),
        uniqueness: Default::default(),
        canonical_values: alloc::vec::Vec::new(),
        reference_types: alloc::vec::Vec::new(),
        sub_attributes: alloc::vec::Vec::new(),
        strict_canonical: false,
    };
    let mut registry = Registry::builtin();
    registry.schemas[0].attributes.push(attr);
    let rt = registry.resource_type("User").expect("User");
    assert_eq!(
        validator_source(&registry, rt, &ValidateOptions::default()),
        UNDECIDED
    );
}
