//! Property: any PATCH either fails with a SCIM error, leaving the resource as it was, or
//! yields a resource that validates as a replacement of the original.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;
use serde_json::{json, Map};

use super::*;
use crate::error::ScimType;
use crate::resource::validate::{validate, Mode, ValidateOptions};

/// Paths PATCH requests use: valid ones of every form, readOnly ones, broken ones.
const PATHS: &[&str] = &[
    "displayName",
    "NICKNAME",
    "title",
    "active",
    "userName",
    "externalId",
    "password",
    "name",
    "name.givenName",
    "name.familyName",
    "emails",
    "emails.value",
    "emails.primary",
    "emails[type eq \"work\"]",
    "emails[type eq \"work\"].value",
    "emails[type eq \"home\" and value co \"@\"].primary",
    "emails[value ew \"example.com\"]",
    "emails[not (type eq \"work\")].display",
    "phoneNumbers",
    "phoneNumbers[type eq \"mobile\"].value",
    "addresses[type eq \"work\"]",
    "addresses[type eq \"work\"].streetAddress",
    "roles[primary eq true].value",
    "x509Certificates",
    "id",
    "meta",
    "meta.lastModified",
    "groups",
    "schemas",
    "members",
    "members[value eq \"a1\"]",
    "members[value eq \"a1\"].display",
    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
    "unknownAttr",
    "name.unknown",
    "emails[",
    "emails[type eq \"work\"",
    "",
];

/// Values of every shape.
fn values() -> Vec<Value> {
    vec![
        json!("x"),
        json!("work"),
        json!(""),
        json!(true),
        json!(false),
        json!("False"),
        json!("TRUE"),
        json!(5),
        json!(1.5),
        json!(null),
        json!({}),
        json!([]),
        json!(["a", "b"]),
        json!({"value": "v@example.com", "type": "work"}),
        json!({"value": "h@example.com", "type": "home", "primary": true}),
        json!({"givenName": "G", "familyName": null}),
        json!({"department": "D", "manager": "m1"}),
        json!({"value": "a1", "display": "A"}),
        json!([{"value": "a@example.com", "type": "work", "primary": true}]),
        json!([{"value": "b@example.com", "primary": "True"}, {"value": "c@example.com"}]),
        json!([{"value": "a1"}, {"value": "b2", "$ref": null}]),
        json!([{"unknown": 1}]),
        json!({"displayName": "D", "name.givenName": "N", "emails[type eq \"work\"].value": "w@example.com"}),
        json!({"active": "False", "id": "2819c223-7f76-453a-919d-413861904646"}),
        json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"costCenter": "1"}}),
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"]),
    ]
}

/// One operation object: mostly well formed with a path, some path-less, a few malformed.
fn operation() -> impl Strategy<Value = Value> {
    let kinds =
        || prop::sample::select(vec!["add", "replace", "remove", "Add", "Replace", "Remove"]);
    let with_path = (
        kinds(),
        prop::sample::select(PATHS),
        prop::sample::select(values()),
    )
        .prop_map(|(op, path, value)| json!({"op": op, "path": path, "value": value}));
    let pathless = (kinds(), prop::sample::select(values()))
        .prop_map(|(op, value)| json!({"op": op, "value": value}));
    let ops = prop::sample::select(vec!["add", "replace", "remove", "Replace", "copy"]);
    let path = prop::option::of(prop::sample::select(PATHS));
    let value = prop::option::of(prop::sample::select(values()));
    let anything = (ops, path, value).prop_map(|(op, path, value)| {
        let mut o = Map::new();
        o.insert("op".into(), json!(op));
        if let Some(path) = path {
            o.insert("path".into(), json!(path));
        }
        if let Some(value) = value {
            o.insert("value".into(), value);
        }
        Value::Object(o)
    });
    prop_oneof![12 => with_path, 3 => pathless, 1 => anything]
}

/// A resource to patch.
fn resource() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![bjensen(), minimal_user(), tour_guides()])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_patch_fails_cleanly_or_yields_a_valid_resource(
        resource in resource(),
        ops in prop::collection::vec(operation(), 1..4),
        quirks in prop::sample::select(vec![PatchOptions::default(), PatchOptions::STRICT, PatchOptions::LENIENT]),
    ) {
        let original = resource.clone();
        let body = body(Value::Array(ops));
        let mut in_place = resource.clone();
        let in_place_result = PatchRequest::parse(&body, &quirks).and_then(|req| {
            crate::patch::apply_in_place(&mut in_place, &req, registry(), rt_of(&original), &quirks)
        });
        match run(&resource, body, &quirks) {
            Err(err) => {
                prop_assert_eq!(&resource, &original);
                prop_assert!(err.scim_type().is_some(), "a PATCH error has a scimType: {:?}", err);
                prop_assert_eq!(err.status(), 400);
                prop_assert_eq!(in_place_result, Err(err));
                prop_assert_eq!(&in_place, &original, "a failed in-place PATCH restores the resource");
            }
            Ok(out) => {
                prop_assert_eq!(&in_place_result, &Ok(out.changed));
                prop_assert_eq!(&in_place, &out.resource);
                prop_assert_eq!(out.changed, out.resource != original);
                let rt = rt_of(&original);
                let checked = validate(
                    registry(), rt, out.resource.clone(),
                    Mode::Replace { existing: &original }, &ValidateOptions::default(),
                );
                prop_assert!(checked.is_ok(), "{:?} for {}", checked, out.resource);
                for key in ["id", "meta"] {
                    prop_assert_eq!(out.resource.get(key), original.get(key));
                }
                let object = out.resource.as_object().cloned().unwrap_or_default();
                for (key, value) in &object {
                    let empty = value.as_array().is_some_and(Vec::is_empty)
                        || value.as_object().is_some_and(Map::is_empty);
                    prop_assert!(!empty, "{} is left empty", key);
                }
                let listed: Vec<String> = object["schemas"].as_array().into_iter().flatten()
                    .filter_map(|u| u.as_str().map(String::from)).collect();
                prop_assert_eq!(object.contains_key(ENTERPRISE), listed.iter().any(|u| u == ENTERPRISE));
            }
        }
    }
}

/// User paths with values that fit them, so that most generated PATCHes succeed.
fn fitting_user_operation() -> impl Strategy<Value = Value> {
    let email = || json!({"value": "e@example.com", "type": "work", "primary": true});
    let pairs: Vec<(&str, Vec<Value>)> = vec![
        ("displayName", vec![json!("D"), json!("Babs Jensen")]),
        ("nickName", vec![json!("N")]),
        ("active", vec![json!(false), json!("True")]),
        (
            "name",
            vec![
                json!({"givenName": "G"}),
                json!({"middleName": null, "formatted": "F"}),
            ],
        ),
        ("name.familyName", vec![json!("F"), json!(null)]),
        (
            "emails",
            vec![
                json!([email()]),
                json!({"value": "x@example.com", "type": "home"}),
                json!([]),
            ],
        ),
        (
            "emails[type eq \"work\"]",
            vec![email(), json!({"value": "w@example.com", "type": "work"})],
        ),
        (
            "emails[type eq \"work\"].value",
            vec![json!("w2@example.com")],
        ),
        (
            "emails[type eq \"home\"].primary",
            vec![json!(true), json!("False")],
        ),
        ("emails.display", vec![json!("shown")]),
        (
            "phoneNumbers[type eq \"mobile\"].value",
            vec![json!("+1 555 0100")],
        ),
        (
            "phoneNumbers",
            vec![json!([{"value": "1", "type": "work"}])],
        ),
        (
            "addresses[type eq \"work\"].locality",
            vec![json!("Redmond")],
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            vec![json!({"division": "X"})],
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            vec![json!("m1"), json!({"value": "m2"})],
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            vec![json!("Dept")],
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            vec![json!("m3")],
        ),
    ];
    let kinds = prop::sample::select(vec!["add", "replace", "remove", "Add", "Replace", "Remove"]);
    (
        kinds,
        prop::sample::select(pairs),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(op, (path, vals), i)| json!({"op": op, "path": path, "value": i.get(&vals)}))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fitting_user_patches_succeed_or_fail_cleanly_and_validate(
        user in prop::sample::select(vec![bjensen(), minimal_user()]),
        ops in prop::collection::vec(fitting_user_operation(), 1..6),
    ) {
        let original = user.clone();
        match run(&user, body(Value::Array(ops)), &PatchOptions::default()) {
            Err(err) => {
                prop_assert_eq!(&user, &original);
                prop_assert!(matches!(
                    err.scim_type(),
                    Some(ScimType::NoTarget | ScimType::Mutability | ScimType::InvalidSyntax)
                ), "only missing targets, required attributes and add null can fail: {:?}", err);
            }
            Ok(out) => {
                let checked = validate(
                    registry(), rt_of(&original), out.resource.clone(),
                    Mode::Replace { existing: &original }, &ValidateOptions::default(),
                );
                prop_assert!(checked.is_ok(), "{:?} for {}", checked, out.resource);
                let primaries = out.resource["emails"].as_array().map_or(0, |e| {
                    e.iter().filter(|v| v["primary"] == json!(true)).count()
                });
                prop_assert!(primaries <= 1);
            }
        }
    }
}
