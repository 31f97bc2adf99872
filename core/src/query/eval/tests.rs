//! Evaluation tests: the RFC 7644 §3.4.2.2 examples and the semantic rules of the module.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::{ascii_op, eq_lower, folded_op};
use crate::query::ast::CompareOp;
use crate::query::compile::{compile, fold, CompileOptions, CompiledFilter};
use crate::query::resident::Collection;
use crate::query::{parse_filter, ParseOptions};
use crate::schema::builtin::ENTERPRISE_USER_URN as EXT;
use crate::schema::{Registry, ResourceType, Schema};
use crate::ScimError;

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn users() -> Vec<Value> {
    vec![
        json!({
            "schemas": [CORE, EXT], "id": "u1", "userName": "bjensen",
            "name": {"familyName": "Jensen", "givenName": "Barbara"},
            "title": "Tour Guide", "userType": "Employee", "active": true,
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "meta": {"lastModified": "2011-05-13T04:42:34Z"},
            EXT: {"employeeNumber": "701984", "manager": {"value": "u4"}}
        }),
        json!({
            "schemas": [CORE], "id": "u2", "userName": "Jsmith",
            "name": {"familyName": "O'Malley"}, "userType": "Intern", "active": false,
            "emails": [{"value": "js@example.org", "type": "home"}],
            "meta": {"lastModified": "2011-05-13T04:42:35Z"}
        }),
        json!({
            "schemas": [CORE], "id": "u3", "userName": "alice", "title": "",
            "userType": "Employee",
            "emails": [
                {"value": "alice@example.com", "type": "home"},
                {"value": "alice@work.test", "type": "work"}
            ],
            "ims": [{"value": "alice@foo.com", "type": "xmpp"}],
            "meta": {"lastModified": "2011-05-13T06:42:34+02:00"}
        }),
        json!({
            "schemas": [CORE], "id": "u4", "userName": "joe", "title": "Engineer",
            "userType": "Contractor", "externalId": "Joe-42",
            "ims": [{"value": "joe@foo.com", "type": "aim"}],
            "meta": {"lastModified": "2011-05-13T04:42:33.999Z"}
        }),
    ]
}

fn rt(reg: &Registry, name: &str) -> ResourceType {
    reg.resource_type(name)
        .cloned()
        .unwrap_or_else(|| panic!("no resource type {name}"))
}

fn compile_for(
    kind: &str,
    text: &str,
    options: CompileOptions,
) -> Result<CompiledFilter, ScimError> {
    let reg = Registry::builtin();
    let filter = parse_filter(text, ParseOptions::LENIENT)?;
    compile(&filter, &reg, &rt(&reg, kind), options)
}

fn user_filter(text: &str) -> CompiledFilter {
    compile_for("User", text, CompileOptions::default()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Ids of the fixture users `text` selects.
fn select(text: &str) -> Vec<String> {
    select_from(&user_filter(text), &users())
}

fn select_from(f: &CompiledFilter, resources: &[Value]) -> Vec<String> {
    let reg = Registry::builtin();
    select_in(&reg, &rt(&reg, "User"), f, resources)
}

/// Ids of the `resources` of type `rt` that `f` matches, checking that a resident collection
/// of them selects the same ones.
fn select_in(
    reg: &Registry,
    rt: &ResourceType,
    f: &CompiledFilter,
    resources: &[Value],
) -> Vec<String> {
    let matched: Vec<usize> = (0..resources.len())
        .filter(|&i| f.matches(&resources[i]))
        .collect();
    let objects: Vec<usize> = (0..resources.len())
        .filter(|&i| resources[i].is_object())
        .collect();
    let resident = Collection::from_values(reg, rt, objects.iter().map(|&i| resources[i].clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(resident.binds(f), "{f:?} does not bind to the columns");
    let via_resident: Vec<usize> = resident
        .filter(f)
        .into_iter()
        .map(|i| objects[i as usize])
        .collect();
    assert_eq!(
        via_resident, matched,
        "resident collection disagrees on {f:?}"
    );
    assert_eq!(resident.count(f), matched.len());
    matched
        .into_iter()
        .map(|i| resources[i]["id"].as_str().unwrap_or("?").into())
        .collect()
}

fn one(text: &str, resource: Value) -> bool {
    let f = user_filter(text);
    let reg = Registry::builtin();
    let resources = [resource];
    let selected = select_in(&reg, &rt(&reg, "User"), &f, &resources);
    selected.len() == 1
}

#[test]
fn rfc_7644_filter_examples_select_what_the_rfc_means() {
    let cases: [(&str, &[&str]); 17] = [
        (r#"userName eq "bjensen""#, &["u1"]),
        (r#"name.familyName co "O'Malley""#, &["u2"]),
        (r#"userName sw "J""#, &["u2", "u4"]),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            &["u2", "u4"],
        ),
        ("title pr", &["u1", "u4"]),
        (r#"meta.lastModified gt "2011-05-13T04:42:34Z""#, &["u2"]),
        (
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            &["u1", "u2", "u3"],
        ),
        (r#"meta.lastModified lt "2011-05-13T04:42:34Z""#, &["u4"]),
        (
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            &["u1", "u3", "u4"],
        ),
        (r#"title pr and userType eq "Employee""#, &["u1"]),
        (r#"title pr or userType eq "Intern""#, &["u1", "u2", "u4"]),
        (
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            &["u1"],
        ),
        (
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            &["u1", "u3"],
        ),
        (
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            &["u4"],
        ),
        (
            r#"userType eq "Employee" and (emails.type eq "work")"#,
            &["u1", "u3"],
        ),
        (
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            &["u1"],
        ),
        (
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
            &["u1", "u3"],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(select(text), expected, "{text}");
    }
}

#[test]
fn strings_compare_case_insensitively_unless_case_exact() {
    assert_eq!(select(r#"userName eq "BJENSEN""#), ["u1"]);
    assert_eq!(select(r#"USERNAME Eq "bJeNsEn""#), ["u1"]);
    assert_eq!(select(r#"id eq "U1""#), Vec::<String>::new());
    assert_eq!(select(r#"id eq "u1""#), ["u1"]);
    assert_eq!(select(r#"externalId eq "joe-42""#), Vec::<String>::new());
    assert_eq!(select(r#"externalId eq "Joe-42""#), ["u4"]);
    assert_eq!(select(r#"externalId sw "Joe""#), ["u4"]);
    assert_eq!(select(r#"externalId co "oe-""#), ["u4"]);
    assert_eq!(select(r#"externalId ew "42""#), ["u4"]);
}

#[test]
fn substring_operators_fold_case() {
    assert_eq!(select(r#"userName co "ENS""#), ["u1"]);
    assert_eq!(select(r#"userName ew "SMITH""#), ["u2"]);
    assert_eq!(select(r#"userName co """#).len(), 4);
    assert_eq!(select(r#"userName sw "bjensenX""#), Vec::<String>::new());
    assert_eq!(select(r#"userName ew "xbjensen""#), Vec::<String>::new());
}

#[test]
fn non_ascii_strings_fold_with_unicode_lowercase() {
    let u = json!({"userName": "ÉMILE.Ærø@Straße.example", "displayName": "\u{212A}elvin"});
    assert!(one(r#"userName eq "émile.ærø@straße.example""#, u.clone()));
    assert!(one(r#"userName sw "ÉmIlE""#, u.clone()));
    assert!(!one(r#"userName ew "STRASSE.EXAMPLE""#, u.clone()));
    assert!(one(r#"userName ew "STRAßE.EXAMPLE""#, u.clone()));
    assert!(one(r#"userName co "ærØ@""#, u.clone()));
    assert!(!one(r#"userName co "ærø#""#, u.clone()));
    assert!(one(r#"displayName eq "kelvin""#, u.clone()));
    assert!(one(r#"displayName sw "k""#, u.clone()));
    assert!(one(r#"userName gt "émile""#, u.clone()));
    assert!(one(r#"userName lt "ÉMILF""#, u));
}

#[test]
fn ordering_operators_on_strings_are_lexicographic() {
    assert_eq!(select(r#"userName gt "b""#), ["u1", "u2", "u4"]);
    assert_eq!(select(r#"userName lt "B""#), ["u3"]);
    assert_eq!(select(r#"userName ge "joe""#), ["u2", "u4"]);
    assert_eq!(select(r#"userName le "Joe""#), ["u1", "u3", "u4"]);
    assert_eq!(select(r#"id gt "u2""#), ["u3", "u4"]);
}

#[test]
fn date_times_compare_as_instants_across_offsets_and_fractions() {
    let entra = json!({"meta": {"lastModified": "2015-10-10T14:38:21.8617979-07:00"}});
    assert!(one(
        r#"meta.lastModified eq "2015-10-10T21:38:21.8617979Z""#,
        entra.clone()
    ));
    assert!(one(
        r#"meta.lastModified gt "2015-10-10T21:38:21.86Z""#,
        entra.clone()
    ));
    assert!(one(
        r#"meta.lastModified lt "2015-10-10T23:38:22+02:00""#,
        entra.clone()
    ));
    assert!(one(r#"meta.lastModified ne "2015-10-10T21:38:21Z""#, entra));
    assert_eq!(
        select(r#"meta.lastModified eq "2011-05-13T08:42:34+04:00""#),
        ["u1", "u3"]
    );
}

#[test]
fn unparsable_stored_date_times_match_no_comparison() {
    let bad = json!({"meta": {"lastModified": "last tuesday"}});
    for op in ["eq", "gt", "ge", "lt", "le"] {
        let text = alloc::format!(r#"meta.lastModified {op} "2011-05-13T04:42:34Z""#);
        assert!(!one(&text, bad.clone()), "{text}");
    }
    assert!(one("meta.lastModified pr", bad));
}

#[test]
fn multi_valued_attributes_match_when_any_value_matches() {
    assert_eq!(select(r#"emails.value eq "babs@jensen.org""#), ["u1"]);
    assert_eq!(select(r#"emails.type eq "home""#), ["u1", "u2", "u3"]);
    assert_eq!(select(r#"emails ew ".ORG""#), ["u1", "u2"]);
    let roles = json!({"roles": [{"value": "a"}, {"value": "B"}]});
    assert!(one(r#"roles eq "b""#, roles));
}

#[test]
fn value_path_needs_one_element_to_satisfy_the_whole_inner_filter() {
    assert_eq!(
        select(r#"emails[type eq "work" and value ew "example.com"]"#),
        ["u1"]
    );
    assert_eq!(
        select(r#"emails.type eq "work" and emails.value ew "example.com""#),
        ["u1", "u3"]
    );
    assert_eq!(
        select(r#"emails[not (type eq "work")]"#),
        ["u1", "u2", "u3"]
    );
    assert_eq!(
        select(r#"emails[type eq "work" or value sw "js"]"#),
        ["u1", "u2", "u3"]
    );
    assert_eq!(select(r#"emails[primary eq true]"#), ["u1"]);
    assert_eq!(select(r#"ims[type pr]"#), ["u3", "u4"]);
}

#[test]
fn value_path_on_a_single_complex_value_tests_that_value() {
    assert_eq!(
        select(r#"name[givenName sw "bar" and familyName eq "jensen"]"#),
        ["u1"]
    );
    let mgr = alloc::format!(r#"{EXT}:manager[value eq "u4"]"#);
    assert_eq!(select(&mgr), ["u1"]);
}

#[test]
fn entra_value_path_with_trailing_sub_attribute_reads_as_one_element() {
    assert_eq!(
        select(r#"emails[type eq "work"].value eq "alice@work.test""#),
        ["u3"]
    );
    assert_eq!(
        select(r#"emails[type eq "home"].value eq "alice@work.test""#),
        Vec::<String>::new()
    );
}

#[test]
fn presence_is_false_for_null_empty_and_missing() {
    for (value, present) in [
        (json!(null), false),
        (json!(""), false),
        (json!([]), false),
        (json!({}), false),
        (json!([null, ""]), false),
        (json!({"givenName": null, "familyName": ""}), false),
        (json!("x"), true),
        (json!(0), true),
        (json!(false), true),
        (json!([{"value": "a"}]), true),
        (json!({"givenName": "B"}), true),
    ] {
        let r = json!({"title": value, "name": value, "emails": value});
        for attr in ["title", "name", "emails"] {
            assert_eq!(
                one(&alloc::format!("{attr} pr"), r.clone()),
                present,
                "{attr} = {value}"
            );
        }
    }
    assert!(!one("title pr", json!({})));
    assert!(!one(
        "emails.value pr",
        json!({"emails": [{"type": "work"}, {"value": ""}]})
    ));
    assert!(one(
        "emails.value pr",
        json!({"emails": [{"type": "work"}, {"value": "x"}]})
    ));
}

#[test]
fn deeply_nested_values_do_not_overflow_presence() {
    let mut v = json!("leaf");
    for i in 0..500 {
        v = if i % 2 == 0 {
            json!([v])
        } else {
            json!({"value": v})
        };
    }
    assert!(one("title pr", json!({ "title": v })));
}

#[test]
fn ne_is_not_eq_so_missing_attributes_are_not_equal() {
    assert_eq!(select(r#"title ne "Engineer""#), ["u1", "u2", "u3"]);
    assert_eq!(select(r#"emails.type ne "work""#), ["u2", "u4"]);
    assert!(one(r#"userType ne "Employee""#, json!({})));
}

#[test]
fn null_comparisons_test_presence() {
    assert_eq!(select("title eq null"), ["u2", "u3"]);
    assert_eq!(select("title ne null"), ["u1", "u4"]);
    assert_eq!(select("emails eq null"), ["u4"]);
}

#[test]
fn booleans_accept_entra_string_literals_and_stored_strings() {
    assert_eq!(select("active eq true"), ["u1"]);
    assert_eq!(select("active eq false"), ["u2"]);
    assert_eq!(select(r#"active eq "True""#), ["u1"]);
    assert_eq!(select("active ne true"), ["u2", "u3", "u4"]);
    assert!(one("active eq true", json!({"active": "True"})));
    assert!(!one("active eq true", json!({"active": 1})));
}

#[test]
fn entra_unquoted_numbers_compare_with_string_attributes_as_text() {
    let f = compile_for("User", "externalId eq 12345", CompileOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(f.matches(&json!({"externalId": "12345"})));
    assert!(!f.matches(&json!({"externalId": 12345})));
}

#[test]
fn extension_attributes_are_found_under_their_urn() {
    let text = alloc::format!(r#"{EXT}:employeeNumber eq "701984""#);
    assert_eq!(select(&text), ["u1"]);
    let text = alloc::format!(r#"{EXT}:manager.value eq "u4""#);
    assert_eq!(select(&text), ["u1"]);
    let text = alloc::format!(r#"{EXT}:manager eq "U4""#);
    assert_eq!(select(&text), ["u1"]);
    let text = alloc::format!("{EXT}:employeeNumber pr");
    assert!(!one(&text, json!({ EXT: "not an object" })));
}

#[test]
fn unknown_attributes_are_rejected_or_absent_when_lenient() {
    let text = r#"shoeSize eq "9" or userName eq "bjensen""#;
    let err = compile_for("User", text, CompileOptions::default()).unwrap_err();
    assert!(
        matches!(err, ScimError::InvalidFilter { pos: 0, .. }),
        "{err:?}"
    );
    let lenient = CompileOptions {
        lenient_unknown: true,
    };
    let f = compile_for("User", text, lenient).unwrap();
    assert_eq!(select_from(&f, &users()), ["u1"]);
    let ne = compile_for("User", r#"shoeSize ne "9""#, lenient).unwrap();
    assert_eq!(select_from(&ne, &users()).len(), 4);
    let vp = compile_for("User", r#"emails[colour eq "red"] or id eq "u2""#, lenient).unwrap();
    assert_eq!(select_from(&vp, &users()), ["u2"]);
}

#[test]
fn invalid_comparisons_are_invalid_filter() {
    for text in [
        "active gt true",
        r#"x509Certificates.value ge "AAAA""#,
        r#"name lt "x""#,
        r#"name eq "x""#,
        r#"active co "t""#,
        r#"meta.created sw "2024""#,
        r#"active eq "yes""#,
        "userName eq true",
        "x509Certificates.value eq 42",
        r#"meta.created gt "not a date""#,
        "userName gt null",
        r#"userName[value eq "x"]"#,
    ] {
        let r = compile_for("User", text, CompileOptions::default());
        assert!(
            matches!(r, Err(ScimError::InvalidFilter { .. })),
            "{text}: {r:?}"
        );
    }
}

#[test]
fn group_members_filters() {
    let groups = vec![
        json!({"id": "g1", "displayName": "Admins", "members": [{"value": "u1"}, {"value": "u2"}]}),
        json!({"id": "g2", "displayName": "Tour Guides", "members": [{"value": "u3", "display": "Alice"}]}),
        json!({"id": "g3", "displayName": "Empty", "members": []}),
    ];
    let pick = |text: &str| {
        let f = compile_for("Group", text, CompileOptions::default())
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        let reg = Registry::builtin();
        select_in(&reg, &rt(&reg, "Group"), &f, &groups)
    };
    assert_eq!(pick(r#"displayName eq "admins""#), ["g1"]);
    assert_eq!(pick(r#"members[value eq "u2"]"#), ["g1"]);
    assert_eq!(pick(r#"members.value eq "u3""#), ["g2"]);
    assert_eq!(pick(r#"members eq "u1""#), ["g1"]);
    assert_eq!(pick("members pr"), ["g1", "g2"]);
    assert_eq!(
        pick(r#"displayName eq "Admins" and members[value eq "u1"]"#),
        ["g1"]
    );
}

/// A registry with a `Device` resource type holding every attribute type.
fn device_registry() -> Registry {
    let mut reg = Registry::builtin();
    let schema: Schema = serde_json::from_value(json!({
        "id": "urn:example:Device", "name": "Device",
        "attributes": [
            {"name": "port", "type": "integer"},
            {"name": "weight", "type": "decimal"},
            {"name": "online", "type": "boolean"},
            {"name": "firmware", "type": "binary", "caseExact": true},
            {"name": "seen", "type": "dateTime"},
            {"name": "tags", "type": "string", "multiValued": true}
        ]
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    reg.add_schema(schema).unwrap_or_else(|e| panic!("{e}"));
    let rt: ResourceType = serde_json::from_value(json!({
        "id": "Device", "name": "Device", "endpoint": "/Devices", "schema": "urn:example:Device"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    reg.add_resource_type(rt).unwrap_or_else(|e| panic!("{e}"));
    reg
}

#[test]
fn numbers_compare_numerically() {
    let reg = device_registry();
    let rt = rt(&reg, "Device");
    let devices = vec![
        json!({"id": "d1", "port": 443, "weight": 1.5, "tags": ["Blue", "green"]}),
        json!({"id": "d2", "port": 8080, "weight": 12}),
        json!({"id": "d3", "port": -1, "weight": 0.25}),
        json!({"id": "d4", "port": "443"}),
    ];
    let pick = |text: &str| {
        let f = parse_filter(text, ParseOptions::STRICT)
            .and_then(|f| compile(&f, &reg, &rt, CompileOptions::default()));
        select_in(
            &reg,
            &rt,
            &f.unwrap_or_else(|e| panic!("{text}: {e}")),
            &devices,
        )
    };
    assert_eq!(pick("port eq 443"), ["d1"]);
    assert_eq!(pick("port gt 443"), ["d2"]);
    assert_eq!(pick("port le 443"), ["d1", "d3"]);
    assert_eq!(pick("port lt 443.5"), ["d1", "d3"]);
    assert_eq!(pick("weight ge 1.5"), ["d1", "d2"]);
    assert_eq!(pick("weight lt 1"), ["d3"]);
    assert_eq!(pick("weight eq 12.0"), ["d2"]);
    assert_eq!(pick(r#"tags eq "BLUE""#), ["d1"]);
    assert_eq!(pick(r#"tags sw "gr""#), ["d1"]);
    for bad in [
        r#"port eq "443""#,
        "port co 4",
        "firmware gt \"AA\"",
        "firmware co \"A\"",
        "online lt false",
        "seen co \"2024\"",
        "weight eq true",
    ] {
        let r = parse_filter(bad, ParseOptions::STRICT)
            .and_then(|f| compile(&f, &reg, &rt, CompileOptions::default()));
        assert!(
            matches!(r, Err(ScimError::InvalidFilter { .. })),
            "{bad}: {r:?}"
        );
    }
}

#[test]
fn binary_values_compare_exactly() {
    let reg = device_registry();
    let rt = rt(&reg, "Device");
    let f = parse_filter(r#"firmware eq "QUJD""#, ParseOptions::STRICT).unwrap();
    let f = compile(&f, &reg, &rt, CompileOptions::default()).unwrap();
    assert!(f.matches(&json!({"firmware": "QUJD"})));
    assert!(!f.matches(&json!({"firmware": "qujd"})));
}

#[test]
fn non_objects_and_mistyped_values_match_nothing() {
    let f = user_filter(r#"userName eq "x""#);
    for v in [
        json!(null),
        json!("x"),
        json!([{"userName": "x"}]),
        json!({"userName": 5}),
    ] {
        assert!(!f.matches(&v), "{v}");
    }
    assert!(!one(r#"emails.value eq "x""#, json!({"emails": ["x"]})));
}

proptest::proptest! {
    #[test]
    fn ascii_fast_path_agrees_with_unicode_folding(
        s in "[\\x00-\\x7f]{0,20}",
        lit in "[\\x00-\\x7f]{0,10}",
        op in proptest::sample::select(vec![
            CompareOp::Eq, CompareOp::Co, CompareOp::Sw, CompareOp::Ew,
            CompareOp::Gt, CompareOp::Ge, CompareOp::Lt, CompareOp::Le,
        ]),
    ) {
        let lit = fold(&lit);
        proptest::prop_assert_eq!(
            ascii_op(op, s.as_bytes(), lit.as_bytes()),
            folded_op(op, &s, &lit)
        );
    }

    #[test]
    fn folded_operators_agree_with_lowercased_std_operators(
        s in "[a-zA-ZéÉßẞ\u{212A}İ ]{0,10}",
        lit in "[a-zA-ZéÉßẞ ]{0,3}",
    ) {
        let ls = fold(&s);
        let lit = fold(&lit);
        proptest::prop_assert_eq!(folded_op(CompareOp::Eq, &s, &lit), ls == lit);
        proptest::prop_assert_eq!(folded_op(CompareOp::Sw, &s, &lit), ls.starts_with(&lit));
        proptest::prop_assert_eq!(folded_op(CompareOp::Ew, &s, &lit), ls.ends_with(&lit));
        proptest::prop_assert_eq!(folded_op(CompareOp::Co, &s, &lit), ls.contains(lit.as_str()));
        proptest::prop_assert_eq!(folded_op(CompareOp::Gt, &s, &lit), ls > lit);
    }
}

#[test]
fn ascii_equality_handles_every_byte_and_length() {
    let all: Vec<u8> = (0u8..128).collect();
    let lower: Vec<u8> = all.iter().map(u8::to_ascii_lowercase).collect();
    for len in 0..all.len() {
        assert!(eq_lower(&all[..len], &lower[..len]), "{len}");
    }
    for i in 0..all.len() {
        let mut other = lower.clone();
        other[i] ^= 0x01;
        assert!(!eq_lower(&all, &other), "{i}");
    }
    assert!(eq_lower(
        b"HELLO, WORLD@EXAMPLE.COM",
        b"hello, world@example.com"
    ));
    assert!(!eq_lower(b"@@@@[[[[", b"````{{{{"));
    assert!(!eq_lower(b"@[\\]^", b"`{|}~"));
}

#[test]
fn evaluation_never_panics_on_arbitrary_values() {
    let filters = [
        r#"userName co "a" or title pr"#,
        r#"emails[value sw "x"] and meta.lastModified gt "2020-01-01T00:00:00Z""#,
        r#"emails.value ew "é" or not (title le "m")"#,
    ]
    .map(user_filter);
    let reg = Registry::builtin();
    let user_rt = rt(&reg, "User");
    proptest::proptest!(|(text in "\\PC{0,12}", n in proptest::num::i64::ANY)| {
        let r = json!({
            "userName": text, "title": [text, n], "emails": [{"value": n}, text, null],
            "meta": {"lastModified": text}, EXT: [text],
        });
        let resident = Collection::from_values(&reg, &user_rt, [r.clone()])
            .unwrap_or_else(|e| panic!("{e}"));
        for f in &filters {
            proptest::prop_assert_eq!(resident.count(f) == 1, f.matches(&r));
        }
    });
}
