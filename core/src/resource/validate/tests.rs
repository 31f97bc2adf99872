use super::*;
use crate::schema::{SchemaExtension, ENTERPRISE_USER_URN as ENT, GROUP_URN, USER_URN};
use crate::ScimType;
use alloc::string::ToString;
use serde_json::json;

const ACME: &str = "urn:acme:2.0:User";
const DEVICE: &str = "urn:acme:2.0:Device";
const DEVICE_EXT: &str = "urn:acme:2.0:DeviceExt";

const MINIMAL: &str = include_str!("../../../tests/fixtures/schema/rfc7643-8.1-minimal-user.json");
const FULL: &str = include_str!("../../../tests/fixtures/schema/rfc7643-8.2-full-user.json");
const ENTERPRISE: &str =
    include_str!("../../../tests/fixtures/schema/rfc7643-8.3-enterprise-user.json");
const GROUP: &str = include_str!("../../../tests/fixtures/schema/rfc7643-8.4-group.json");

/// The built-in registry plus a custom User extension and a custom `Device` type whose
/// extension is required.
fn registry() -> Registry {
    let mut reg = Registry::builtin();
    let schemas = json!([
        {"id": ACME, "name": "AcmeUser", "attributes": [
            {"name": "licenses", "type": "string", "multiValued": true,
             "canonicalValues": ["E3", "E5"], "strictCanonical": true},
            {"name": "seats", "type": "integer"},
            {"name": "ratio", "type": "decimal"},
            {"name": "hired", "type": "dateTime"},
            {"name": "tag", "type": "string", "mutability": "immutable", "caseExact": true},
            {"name": "alias", "type": "string", "mutability": "immutable"},
            {"name": "manager", "type": "reference", "referenceTypes": ["User"]},
            {"name": "badge", "type": "complex", "subAttributes": [
                {"name": "number", "type": "integer", "required": true},
                {"name": "issued", "type": "dateTime", "mutability": "immutable"}
            ]}
        ]},
        {"id": DEVICE, "name": "Device", "attributes": [
            {"name": "serial", "type": "string", "required": true, "uniqueness": "server"}
        ]},
        {"id": DEVICE_EXT, "name": "DeviceExt", "attributes": [
            {"name": "owner", "type": "string", "required": true}
        ]}
    ]);
    reg.load_schemas_json(&schemas.to_string()).unwrap();
    reg.add_extension(
        "User",
        SchemaExtension {
            schema: ACME.into(),
            required: false,
        },
    )
    .unwrap();
    let device = json!({"id": "Device", "name": "Device", "endpoint": "/Devices",
        "schema": DEVICE, "schemaExtensions": [{"schema": DEVICE_EXT, "required": true}]});
    reg.load_resource_types_json(&device.to_string()).unwrap();
    reg
}

fn run(
    rt: &str,
    input: Value,
    mode: Mode<'_>,
    lenient: bool,
) -> Result<Map<String, Value>, Violations> {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    let reg = REGISTRY.get_or_init(registry);
    let rt = reg.resource_type(rt).unwrap();
    validate(reg, rt, input, mode, &ValidateOptions { lenient })
}

fn create(input: Value) -> Result<Map<String, Value>, Violations> {
    run("User", input, Mode::Create, false)
}

fn lenient(input: Value) -> Map<String, Value> {
    run("User", input, Mode::Create, true).unwrap_or_else(|v| panic!("{v}"))
}

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A valid User with the enterprise and Acme extensions.
fn user() -> Value {
    json!({
        "schemas": [USER_URN, ENT, ACME],
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "a@example.com", "primary": true}, {"value": "b@example.com"}],
        "x509Certificates": [{"value": "TWFu"}],
        ENT: {"employeeNumber": "1", "manager": {"value": "m1"}},
        ACME: {"licenses": ["E3"], "seats": 3, "ratio": 0.5, "hired": "2020-01-01T00:00:00Z",
               "tag": "T", "badge": {"number": 7, "issued": "2020-01-01T00:00:00Z"}}
    })
}

/// `user()` with `pointer` (a JSON pointer) set to `value`, or removed when `value` is `None`.
fn with(pointer: &str, value: Option<Value>) -> Value {
    let mut doc = user();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/");
    let target = doc.pointer_mut(parent).unwrap();
    match (target, value) {
        (Value::Object(o), Some(v)) => {
            o.insert(key, v);
        }
        (Value::Object(o), None) => {
            o.remove(&key);
        }
        (Value::Array(a), Some(v)) => a[key.parse::<usize>().unwrap()] = v,
        _ => panic!("bad pointer {pointer}"),
    }
    doc
}

fn ent(path: &str) -> String {
    format!("{ENT}:{path}")
}

fn acme(path: &str) -> String {
    format!("{ACME}:{path}")
}

#[test]
fn rfc_7643_examples_validate() {
    for text in [MINIMAL, FULL, ENTERPRISE] {
        let out = create(fixture(text)).unwrap_or_else(|v| panic!("{v}"));
        assert_eq!(out["userName"], "bjensen@example.com");
    }
    let group = run("Group", fixture(GROUP), Mode::Create, false).unwrap();
    assert_eq!(group["displayName"], "Tour Guides");
    assert_eq!(group["members"][1]["display"], "Mandy Pepperidge");
    assert_eq!(group["schemas"], json!([GROUP_URN]));
}

#[test]
fn read_only_attributes_are_dropped_and_the_rest_kept_exactly() {
    let input = fixture(ENTERPRISE);
    let out = create(input.clone()).unwrap();
    let mut expected = input.as_object().unwrap().clone();
    for key in ["id", "meta", "groups"] {
        expected.remove(key);
    }
    expected[ENT]["manager"]
        .as_object_mut()
        .unwrap()
        .remove("displayName");
    assert_eq!(out, expected);
}

#[test]
fn names_are_normalised_to_canonical_case() {
    let out = create(json!({
        "SCHEMAS": [USER_URN.to_ascii_uppercase(), ENT.to_ascii_lowercase()],
        "USERNAME": "x",
        "Name": {"GIVENNAME": "a"},
        "eMails": [{"VALUE": "a@x", "Primary": true, "TYPE": "work"}],
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"EMPLOYEENUMBER": "1"},
        "EXTERNALID": "e1"
    }))
    .unwrap();
    assert_eq!(
        Value::Object(out),
        json!({
            "schemas": [USER_URN, ENT],
            "userName": "x",
            "name": {"givenName": "a"},
            "emails": [{"value": "a@x", "primary": true, "type": "work"}],
            ENT: {"employeeNumber": "1"},
            "externalId": "e1"
        })
    );
}

#[test]
fn extension_object_without_its_urn_in_schemas_gets_it_added() {
    let out = create(json!({
        "schemas": [USER_URN],
        "userName": "x",
        ENT: {"department": "Ops"}
    }))
    .unwrap();
    assert_eq!(out["schemas"], json!([USER_URN, ENT]));
}

#[test]
fn listed_extension_without_data_stays_in_schemas() {
    let out = create(json!({"schemas": [USER_URN, ENT], "userName": "x"})).unwrap();
    assert_eq!(out["schemas"], json!([USER_URN, ENT]));
    assert!(out.get(ENT).is_none());
}

#[test]
fn fully_qualified_attribute_names_are_accepted() {
    let out = create(json!({
        "schemas": [USER_URN],
        "urn:ietf:params:scim:schemas:core:2.0:User:userName": "x",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42",
        ENT: {"department": "Ops"}
    }))
    .unwrap();
    assert_eq!(out["userName"], "x");
    assert_eq!(
        out[ENT],
        json!({"employeeNumber": "42", "department": "Ops"})
    );
    assert_eq!(out["schemas"], json!([USER_URN, ENT]));
}

#[test]
fn unassigned_values_are_dropped() {
    let out = create(json!({
        "schemas": [USER_URN, ENT],
        "userName": "x",
        "displayName": null,
        "emails": [],
        "phoneNumbers": [null, {"value": null}],
        "name": {"givenName": null},
        ENT: {"manager": {}}
    }))
    .unwrap();
    assert_eq!(
        Value::Object(out),
        json!({"schemas": [USER_URN, ENT], "userName": "x"})
    );
}

#[test]
fn write_only_password_and_non_canonical_types_are_accepted() {
    let out = create(json!({
        "schemas": [USER_URN],
        "userName": "x",
        "password": "secret",
        "emails": [{"value": "a@x", "type": "personal"}]
    }))
    .unwrap();
    assert_eq!(out["password"], "secret");
    assert_eq!(out["emails"][0]["type"], "personal");
}

#[test]
fn group_members_of_users_and_groups_validate() {
    let out = run(
        "Group",
        json!({"schemas": [GROUP_URN], "displayName": "g",
               "members": [{"value": "1", "type": "User"}, {"value": "2", "type": "Group",
                            "$ref": "https://example.com/v2/Groups/2"}]}),
        Mode::Create,
        false,
    )
    .unwrap();
    assert_eq!(out["members"][1]["$ref"], "https://example.com/v2/Groups/2");
}

#[test]
fn custom_types_validate() {
    let out = create(user()).unwrap();
    assert_eq!(out[ACME]["seats"], 3);
    assert_eq!(out[ACME]["badge"]["number"], 7);
    assert_eq!(out["schemas"], json!([USER_URN, ENT, ACME]));
}

/// Each case: what is broken, the body, the expected scimType, the expected path.
fn broken_users() -> Vec<(&'static str, Value, ScimType, Option<String>)> {
    use ScimType::{InvalidSyntax as Syn, InvalidValue as Val};
    let p = |s: &str| Some(s.to_string());
    vec![
        ("body is an array", json!([]), Syn, None),
        ("body is a string", json!("user"), Syn, None),
        ("body is null", Value::Null, Syn, None),
        ("schemas missing", with("/schemas", None), Val, p("schemas")),
        (
            "userName empty",
            with("/userName", Some(json!(""))),
            Val,
            p("userName"),
        ),
        (
            "userName only whitespace",
            with("/userName", Some(json!(" \t "))),
            Val,
            p("userName"),
        ),
        (
            "schemas a number",
            with("/schemas", Some(json!(1))),
            Val,
            p("schemas"),
        ),
        (
            "schemas a string",
            with("/schemas", Some(json!(USER_URN))),
            Val,
            p("schemas"),
        ),
        (
            "schemas null",
            with("/schemas", Some(Value::Null)),
            Val,
            p("schemas"),
        ),
        (
            "schemas without core",
            with("/schemas", Some(json!([ENT, ACME]))),
            Val,
            p("schemas"),
        ),
        (
            "schemas entry not a string",
            with("/schemas/1", Some(json!(5))),
            Val,
            p("schemas[1]"),
        ),
        (
            "schemas entry unknown",
            with("/schemas/2", Some(json!("urn:x"))),
            Val,
            p("schemas[2]"),
        ),
        (
            "schemas lists Group",
            with("/schemas/1", Some(json!(GROUP_URN))),
            Val,
            p("schemas[1]"),
        ),
        (
            "userName missing",
            with("/userName", None),
            Val,
            p("userName"),
        ),
        (
            "userName null",
            with("/userName", Some(Value::Null)),
            Val,
            p("userName"),
        ),
        (
            "userName number",
            with("/userName", Some(json!(12))),
            Val,
            p("userName"),
        ),
        (
            "userName array",
            with("/userName", Some(json!(["a"]))),
            Val,
            p("userName"),
        ),
        (
            "userName object",
            with("/userName", Some(json!({"v": 1}))),
            Val,
            p("userName"),
        ),
        (
            "active as string",
            with("/active", Some(json!("true"))),
            Val,
            p("active"),
        ),
        (
            "active as number",
            with("/active", Some(json!(1))),
            Val,
            p("active"),
        ),
        (
            "nickName boolean",
            with("/nickName", Some(json!(true))),
            Val,
            p("nickName"),
        ),
        (
            "password number",
            with("/password", Some(json!(1234))),
            Val,
            p("password"),
        ),
        (
            "externalId number",
            with("/externalId", Some(json!(7))),
            Val,
            p("externalId"),
        ),
        (
            "profileUrl number",
            with("/profileUrl", Some(json!(7))),
            Val,
            p("profileUrl"),
        ),
        (
            "name a string",
            with("/name", Some(json!("B J"))),
            Val,
            p("name"),
        ),
        (
            "name.givenName number",
            with("/name/givenName", Some(json!(1))),
            Val,
            p("name.givenName"),
        ),
        (
            "name.formatted array",
            with("/name/formatted", Some(json!(["a"]))),
            Val,
            p("name.formatted"),
        ),
        (
            "name unknown sub-attribute",
            with("/name/nick", Some(json!("b"))),
            Val,
            p("name.nick"),
        ),
        (
            "unknown attribute",
            with("/shoeSize", Some(json!(42))),
            Val,
            p("shoeSize"),
        ),
        (
            "unknown urn key",
            with("/urn:foo:bar", Some(json!({}))),
            Val,
            p("urn:foo:bar"),
        ),
        (
            "userName twice",
            with("/USERNAME", Some(json!("other"))),
            Val,
            p("userName"),
        ),
        (
            "schemas twice",
            with("/Schemas", Some(json!([USER_URN]))),
            Val,
            p("schemas"),
        ),
        (
            "emails an object",
            with("/emails", Some(json!({"value": "a@x"}))),
            Val,
            p("emails"),
        ),
        (
            "emails a string",
            with("/emails", Some(json!("a@x"))),
            Val,
            p("emails"),
        ),
        (
            "emails value a string",
            with("/emails/0", Some(json!("a@x"))),
            Val,
            p("emails[0]"),
        ),
        (
            "emails[1].value number",
            with("/emails/1/value", Some(json!(5))),
            Val,
            p("emails[1].value"),
        ),
        (
            "emails[0].value object",
            with("/emails/0/value", Some(json!({}))),
            Val,
            p("emails[0].value"),
        ),
        (
            "two primary emails",
            with("/emails/1/primary", Some(json!(true))),
            Val,
            p("emails[1].primary"),
        ),
        (
            "primary as string",
            with("/emails/0/primary", Some(json!("yes"))),
            Val,
            p("emails[0].primary"),
        ),
        (
            "emails unknown sub",
            with("/emails/0/label", Some(json!("x"))),
            Val,
            p("emails[0].label"),
        ),
        (
            "emails value twice",
            with("/emails/0/VALUE", Some(json!("c@x"))),
            Val,
            p("emails[0].value"),
        ),
        (
            "certificate not base64",
            with("/x509Certificates/0/value", Some(json!("not base64!"))),
            Val,
            p("x509Certificates[0].value"),
        ),
        (
            "certificate unpadded",
            with("/x509Certificates/0/value", Some(json!("TWE"))),
            Val,
            p("x509Certificates[0].value"),
        ),
        (
            "certificate number",
            with("/x509Certificates/0/value", Some(json!(5))),
            Val,
            p("x509Certificates[0].value"),
        ),
        (
            "photo value boolean",
            with("/photos", Some(json!([{"value": false}]))),
            Val,
            p("photos[0].value"),
        ),
        (
            "enterprise not an object",
            with(&format!("/{ENT}"), Some(json!("x"))),
            Val,
            Some(ENT.to_string()),
        ),
        (
            "enterprise array",
            with(&format!("/{ENT}"), Some(json!([{}]))),
            Val,
            Some(ENT.to_string()),
        ),
        (
            "enterprise twice",
            with(&format!("/{}", ENT.to_ascii_lowercase()), Some(json!({}))),
            Val,
            Some(ENT.to_string()),
        ),
        (
            "employeeNumber number",
            with(&format!("/{ENT}/employeeNumber"), Some(json!(5))),
            Val,
            Some(ent("employeeNumber")),
        ),
        (
            "manager.value number",
            with(&format!("/{ENT}/manager/value"), Some(json!(5))),
            Val,
            Some(ent("manager.value")),
        ),
        (
            "manager a string",
            with(&format!("/{ENT}/manager"), Some(json!("m1"))),
            Val,
            Some(ent("manager")),
        ),
        (
            "enterprise unknown attribute",
            with(&format!("/{ENT}/grade"), Some(json!("A"))),
            Val,
            Some(ent("grade")),
        ),
        (
            "qualified costCenter number",
            with(&format!("/{ENT}:costCenter"), Some(json!(5))),
            Val,
            Some(ent("costCenter")),
        ),
        (
            "qualified duplicate",
            with(&format!("/{ENT}:EMPLOYEENUMBER"), Some(json!("2"))),
            Val,
            Some(ent("employeeNumber")),
        ),
        (
            "seats with fraction",
            with(&format!("/{ACME}/seats"), Some(json!(1.5))),
            Val,
            Some(acme("seats")),
        ),
        (
            "seats with exponent",
            with(&format!("/{ACME}/seats"), Some(json!(1e3))),
            Val,
            Some(acme("seats")),
        ),
        (
            "seats as string",
            with(&format!("/{ACME}/seats"), Some(json!("5"))),
            Val,
            Some(acme("seats")),
        ),
        (
            "ratio as string",
            with(&format!("/{ACME}/ratio"), Some(json!("0.5"))),
            Val,
            Some(acme("ratio")),
        ),
        (
            "hired not a date",
            with(&format!("/{ACME}/hired"), Some(json!("yesterday"))),
            Val,
            Some(acme("hired")),
        ),
        (
            "hired without zone",
            with(
                &format!("/{ACME}/hired"),
                Some(json!("2020-01-01T00:00:00")),
            ),
            Val,
            Some(acme("hired")),
        ),
        (
            "hired number",
            with(&format!("/{ACME}/hired"), Some(json!(1577836800))),
            Val,
            Some(acme("hired")),
        ),
        (
            "license not canonical",
            with(&format!("/{ACME}/licenses/0"), Some(json!("E7"))),
            Val,
            Some(acme("licenses[0]")),
        ),
        (
            "licenses scalar",
            with(&format!("/{ACME}/licenses"), Some(json!("E3"))),
            Val,
            Some(acme("licenses")),
        ),
        (
            "manager reference number",
            with(&format!("/{ACME}/manager"), Some(json!(9))),
            Val,
            Some(acme("manager")),
        ),
        (
            "badge number missing",
            with(&format!("/{ACME}/badge/number"), None),
            Val,
            Some(acme("badge.number")),
        ),
        (
            "badge number null",
            with(&format!("/{ACME}/badge/number"), Some(Value::Null)),
            Val,
            Some(acme("badge.number")),
        ),
    ]
}

#[test]
fn broken_users_give_the_expected_violation() {
    let cases = broken_users();
    assert!(cases.len() >= 40);
    for (what, body, scim_type, path) in cases {
        let errs = create(body).expect_err(what);
        let first = errs.first();
        assert_eq!(first.scim_type(), Some(scim_type), "{what}: {first:?}");
        assert_eq!(first.path().map(str::to_string), path, "{what}: {errs}");
        assert_eq!(first.status(), 400, "{what}");
        assert_eq!(errs.len(), 1, "{what}: {errs}");
    }
}

#[test]
fn distinct_cases_are_really_distinct() {
    let cases = broken_users();
    for (i, a) in cases.iter().enumerate() {
        for b in &cases[i + 1..] {
            assert_ne!(a.1, b.1, "{} and {} send the same body", a.0, b.0);
        }
    }
}

#[test]
fn required_extension_and_its_required_attributes() {
    let missing = run(
        "Device",
        json!({"schemas": [DEVICE], "serial": "s1"}),
        Mode::Create,
        false,
    )
    .unwrap_err();
    assert_eq!(missing.first().path(), Some(DEVICE_EXT));
    let listed_empty = run(
        "Device",
        json!({"schemas": [DEVICE, DEVICE_EXT], "serial": "s1"}),
        Mode::Create,
        false,
    )
    .unwrap_err();
    let owner = format!("{DEVICE_EXT}:owner");
    assert_eq!(listed_empty.first().path(), Some(owner.as_str()));
    let ok = run(
        "Device",
        json!({"schemas": [DEVICE], "serial": "s1", DEVICE_EXT: {"owner": "o"}}),
        Mode::Create,
        false,
    )
    .unwrap();
    assert_eq!(ok["schemas"], json!([DEVICE, DEVICE_EXT]));
}

#[test]
fn every_violation_is_reported() {
    let errs = create(json!({
        "schemas": [USER_URN, "urn:x"],
        "name": "n",
        "emails": [{"value": 1}, {"value": "b", "primary": true}, {"value": "c", "primary": true}],
        "shoeSize": 42
    }))
    .unwrap_err();
    let paths: Vec<_> = errs.errors().iter().filter_map(|e| e.path()).collect();
    assert_eq!(
        paths,
        [
            "schemas[1]",
            "emails[0].value",
            "emails[2].primary",
            "name",
            "shoeSize",
            "userName"
        ]
    );
    assert_eq!(errs.to_string().matches("; ").count(), 5);
    let first: ScimError = errs.clone().into();
    assert_eq!(&first, errs.first());
    assert_eq!(errs.clone().into_errors().len(), 6);
    assert!(!errs.is_empty());
}

#[test]
fn lenient_drops_unknown_attributes_and_urns() {
    let out = lenient(json!({
        "schemas": [USER_URN, "urn:x", 5],
        "userName": "x",
        "shoeSize": 42,
        "name": {"givenName": "a", "nick": "b"},
        ENT: {"grade": "A", "department": "Ops"}
    }));
    assert_eq!(
        Value::Object(out),
        json!({
            "schemas": [USER_URN, ENT],
            "userName": "x",
            "name": {"givenName": "a"},
            ENT: {"department": "Ops"}
        })
    );
}

#[test]
fn lenient_wraps_single_values_and_coerces_entra_booleans() {
    let out = lenient(json!({
        "userName": "x",
        "active": "False",
        "emails": {"value": "a@x", "primary": "True"},
        "roles": [{"value": "r", "primary": "true"}],
        ENT: {"employeeNumber": 12345}
    }));
    assert_eq!(out["schemas"], json!([USER_URN, ENT]));
    assert_eq!(out["active"], false);
    assert_eq!(out["emails"], json!([{"value": "a@x", "primary": true}]));
    assert_eq!(out["roles"][0]["primary"], true);
    assert_eq!(out[ENT]["employeeNumber"], "12345");
}

#[test]
fn lenient_still_rejects_wrong_types_and_missing_required() {
    let errs = run(
        "User",
        json!({"schemas": USER_URN, "active": "maybe"}),
        Mode::Create,
        true,
    )
    .unwrap_err();
    let paths: Vec<_> = errs.errors().iter().filter_map(|e| e.path()).collect();
    assert_eq!(paths, ["active", "userName"]);
}

#[test]
fn replace_keeps_immutable_values() {
    let existing = Value::Object(create(user()).unwrap());
    let replace = Mode::Replace {
        existing: &existing,
    };
    // Same value, and the same value in another case where caseExact is false.
    let mut same = user();
    same[ACME]["alias"] = json!("Al");
    let stored = Value::Object(create(same).unwrap());
    let mut other_case = user();
    other_case[ACME]["alias"] = json!("AL");
    assert!(run(
        "User",
        other_case,
        Mode::Replace { existing: &stored },
        false
    )
    .is_ok());
    assert!(run("User", user(), replace, false).is_ok());
    // Previously unset immutable attribute may be set.
    let mut set_alias = user();
    set_alias[ACME]["alias"] = json!("new");
    assert_eq!(
        run("User", set_alias, replace, false).unwrap()[ACME]["alias"],
        "new"
    );
}

#[test]
fn replace_rejects_changed_immutable_values() {
    let existing = Value::Object(create(user()).unwrap());
    let replace = Mode::Replace {
        existing: &existing,
    };
    let cases = [
        (format!("/{ACME}/tag"), Some(json!("t")), acme("tag")),
        (format!("/{ACME}/tag"), Some(Value::Null), acme("tag")),
        (
            format!("/{ACME}/badge/issued"),
            Some(json!("2021-01-01T00:00:00Z")),
            acme("badge.issued"),
        ),
    ];
    for (pointer, value, path) in cases {
        let errs = run("User", with(&pointer, value), replace, false).unwrap_err();
        assert_eq!(
            errs.first().scim_type(),
            Some(ScimType::Mutability),
            "{pointer}"
        );
        assert_eq!(errs.first().path(), Some(path.as_str()));
    }
}

#[test]
fn replace_carries_omitted_immutable_values_over() {
    let existing = Value::Object(create(user()).unwrap());
    let mut body = user();
    body[ACME].as_object_mut().unwrap().remove("tag");
    body[ACME]["badge"]
        .as_object_mut()
        .unwrap()
        .remove("issued");
    let out = run(
        "User",
        body,
        Mode::Replace {
            existing: &existing,
        },
        false,
    )
    .unwrap();
    assert_eq!(out[ACME]["tag"], "T");
    assert_eq!(out[ACME]["badge"]["issued"], "2020-01-01T00:00:00Z");
}

#[test]
fn replace_lets_members_come_and_go() {
    let existing = fixture(GROUP);
    let out = run(
        "Group",
        json!({"schemas": [GROUP_URN], "displayName": "Tour Guides",
               "members": [{"value": "someone-else"}]}),
        Mode::Replace {
            existing: &existing,
        },
        false,
    )
    .unwrap();
    assert_eq!(out["members"], json!([{"value": "someone-else"}]));
}

#[test]
fn read_only_values_are_ignored_even_when_malformed() {
    let out = create(json!({
        "schemas": [USER_URN],
        "userName": "x",
        "id": 5,
        "meta": "garbage",
        "groups": {"value": 1}
    }))
    .unwrap();
    assert_eq!(out.len(), 2);
}

#[test]
fn unregistered_core_schema_is_reported() {
    let reg = Registry::builtin();
    let rt = ResourceType {
        id: "Thing".into(),
        name: "Thing".into(),
        endpoint: "/Things".into(),
        description: String::new(),
        schema: "urn:nope".into(),
        schema_extensions: Vec::new(),
    };
    let errs = validate(
        &reg,
        &rt,
        json!({}),
        Mode::Create,
        &ValidateOptions::default(),
    );
    assert_eq!(errs.unwrap_err().first().path(), Some("schemas"));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("schemas".to_string()),
            Just("userName".to_string()),
            Just("USERNAME".to_string()),
            Just("name".to_string()),
            Just("emails".to_string()),
            Just("value".to_string()),
            Just("primary".to_string()),
            Just("members".to_string()),
            Just("displayName".to_string()),
            Just(ENT.to_string()),
            Just(format!("{ENT}:manager")),
            Just(ACME.to_string()),
            Just("badge".to_string()),
            Just("number".to_string()),
            Just("tag".to_string()),
            "[a-zA-Z$:.]{0,12}",
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            Just(json!(USER_URN)),
            Just(json!(ENT)),
            Just(json!("2020-01-01T00:00:00Z")),
            ".{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(key(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn validation_never_panics(input in json_value(), existing in json_value(),
                                   lenient in any::<bool>(), group in any::<bool>()) {
            let rt = if group { "Group" } else { "User" };
            let _ = run(rt, input.clone(), Mode::Create, lenient);
            let _ = run(rt, input, Mode::Replace { existing: &existing }, lenient);
        }

        #[test]
        fn accepted_output_validates_again_unchanged(input in json_value(), lenient in any::<bool>()) {
            if let Ok(out) = run("User", input, Mode::Create, lenient) {
                let again = run("User", Value::Object(out.clone()), Mode::Create, false);
                prop_assert_eq!(again, Ok(out));
            }
        }
    }
}
