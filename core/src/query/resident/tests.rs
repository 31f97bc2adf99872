//! Resident collection tests: a differential test against [`CompiledFilter::matches`] over a
//! generated corpus (before and after changes), and the collection's own operations.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloc::{format, vec};

use serde_json::{json, Map, Value};

use super::Collection;
use crate::query::compile::{compile, CompileOptions, CompiledFilter};
use crate::query::{parse_filter, ParseOptions};
use crate::schema::{Registry, ResourceType, ENTERPRISE_USER_URN, USER_URN};
use crate::test_support::{registry, Rng, TEST_URN};
use crate::ScimError;

fn user_type(reg: &Registry) -> ResourceType {
    reg.resource_type("User")
        .cloned()
        .unwrap_or_else(|| panic!("no User"))
}

const NAMES: [&str; 12] = [
    "bjensen",
    "BJensen",
    "Émile",
    "ÉMILE",
    "müller",
    "MÜLLER",
    "straße",
    "İlker",
    "KELVIN",
    "\u{212A}elvin",
    "o'malley",
    "alice",
];
const DATES: [&str; 8] = [
    "2024-01-01T10:00:00+02:00",
    "2024-01-01T08:00:00Z",
    "2024-01-01T08:00:00.5z",
    "2015-10-10T14:38:21.8617979-07:00",
    "2024-06-01T00:00:00Z",
    "2024-05-31T23:59:59.999999999-00:01",
    "not a date",
    "",
];

/// A value some attribute might hold, valid or not, to reach every stored form.
fn odd(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => json!(""),
        2 => json!([]),
        3 => json!({}),
        4 => json!(7),
        5 => json!(true),
        6 => json!([null, ""]),
        7 => json!("x"),
        _ => json!([{"value": "x"}]),
    }
}

/// A user; most attributes usually well formed, sometimes empty or of the wrong JSON type.
fn user(rng: &mut Rng, i: usize) -> Value {
    let mut u = Map::new();
    let mut schemas = vec![json!(USER_URN)];
    u.insert("id".into(), json!(format!("id-{i}")));
    let name = *rng.pick(&NAMES);
    u.insert("userName".into(), json!(format!("{name}{}", i % 7)));
    let put =
        |u: &mut Map<String, Value>, rng: &mut Rng, key: &str, good: Value| match rng.below(10) {
            0 => {}
            1 => {
                u.insert(key.into(), odd(rng));
            }
            _ => {
                u.insert(key.into(), good);
            }
        };
    let title = json!(*rng.pick(&["Tour Guide", "tour guide", "Engineer", "", "Éditeur"]));
    put(&mut u, rng, "title", title);
    let display = json!(format!("{} {}", rng.pick(&NAMES), rng.pick(&NAMES)));
    put(&mut u, rng, "displayName", display);
    let ext_id = json!(*rng.pick(&["Ext-1", "ext-1", "EXT-1", "12345"]));
    put(&mut u, rng, "externalId", ext_id);
    let active = rng
        .pick(&[
            json!(true),
            json!(false),
            json!("True"),
            json!("FALSE"),
            json!("yes"),
        ])
        .clone();
    put(&mut u, rng, "active", active);
    let name_obj = json!({"familyName": rng.pick(&NAMES), "givenName": rng.pick(&NAMES)});
    put(&mut u, rng, "name", name_obj);
    let mut emails = Vec::new();
    for k in 0..rng.below(4) {
        emails.push(match rng.below(13) {
            0 => odd(rng),
            1 => json!({}),
            2 => json!({"type": ["Home", "work"], "value": odd(rng), "primary": odd(rng)}),
            _ => json!({
                "value": format!("{}@{}", rng.pick(&NAMES), rng.pick(&["example.com", "Example.COM", "mail.test"])),
                "type": *rng.pick(&["work", "Work", "home", "other"]),
                "primary": k == 0,
            }),
        });
    }
    put(&mut u, rng, "emails", Value::Array(emails));
    let phone = json!([{"value": format!("+1 555 {:04}", rng.below(100)), "type": "work"}]);
    put(&mut u, rng, "phoneNumbers", phone);
    let cert = json!([{"value": *rng.pick(&["QUJD", "qujd", "AAAA"])}]);
    put(&mut u, rng, "x509Certificates", cert);
    let meta = json!({
        "resourceType": "User",
        "created": *rng.pick(&DATES),
        "lastModified": *rng.pick(&DATES),
        "version": "W/\"1\"",
    });
    put(&mut u, rng, "meta", meta);
    if rng.chance(50) {
        schemas.push(json!(ENTERPRISE_USER_URN));
        let ent = if rng.chance(10) {
            odd(rng)
        } else {
            json!({
                "employeeNumber": format!("{}", rng.below(20)),
                "department": *rng.pick(&["R&D", "r&d", "Ünits"]),
                "manager": {"value": format!("m{}", rng.below(5)), "displayName": *rng.pick(&NAMES)},
            })
        };
        u.insert(ENTERPRISE_USER_URN.into(), ent);
    }
    if rng.chance(70) {
        schemas.push(json!(TEST_URN));
        let mut ext = Map::new();
        let hired = json!(*rng.pick(&DATES));
        put(&mut ext, rng, "hired", hired);
        let shifts: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(&DATES)).collect();
        put(&mut ext, rng, "shifts", json!(shifts));
        let score = rng
            .pick(&[json!(1.5), json!(-4), json!(12), json!(0.25), json!(1e300)])
            .clone();
        put(&mut ext, rng, "score", score);
        let level = rng
            .pick(&[
                json!(9_007_199_254_740_993i64),
                json!(u64::MAX),
                json!(-3),
                json!(4),
                json!(4.0),
            ])
            .clone();
        put(&mut ext, rng, "level", level);
        let badge = json!(*rng.pick(&["AbC", "abc", "ABC", "zed"]));
        put(&mut ext, rng, "badge", badge);
        let tags: Vec<&str> = (0..rng.below(4))
            .map(|_| *rng.pick(&["Alpha", "beta", "GAMMA", "Ärger"]))
            .collect();
        put(&mut ext, rng, "tags", json!(tags));
        let vip = rng
            .pick(&[json!(true), json!(false), json!("TRUE"), json!("false")])
            .clone();
        put(&mut ext, rng, "vip", vip);
        let blob = json!(*rng.pick(&["QUJD", "qujd"]));
        put(&mut ext, rng, "blob", blob);
        u.insert(TEST_URN.into(), Value::Object(ext));
    }
    u.insert("schemas".into(), Value::Array(schemas));
    Value::Object(u)
}

fn corpus(n: usize, seed: u64) -> Vec<Value> {
    let mut rng = Rng(seed);
    (0..n).map(|i| user(&mut rng, i)).collect()
}

/// Filters over every operator, type, case rule, path form and structure.
const FILTERS: &[&str] = &[
    r#"userName eq "BJENSEN0""#,
    r#"userName eq "émile2""#,
    r#"userName eq "STRASSE3""#,
    r#"userName eq "straße3""#,
    r#"userName sw "İ""#,
    r#"userName co "ELV""#,
    r#"userName ew "R1""#,
    r#"userName gt "m""#,
    r#"userName le "bjensen3""#,
    r#"userName ne "alice0""#,
    "title pr",
    r#"title eq "tour guide""#,
    r#"title co "É""#,
    r#"title lt "f""#,
    r#"title eq null"#,
    r#"title ne null"#,
    "displayName pr",
    r#"displayName co " ""#,
    r#"externalId eq "Ext-1""#,
    r#"externalId eq 12345"#,
    r#"externalId sw "ext""#,
    "active eq true",
    "active eq false",
    r#"active eq "True""#,
    "active ne true",
    "active pr",
    "name pr",
    r#"name.familyName eq "MÜLLER""#,
    r#"name.givenName sw "k""#,
    r#"name.familyName ge "o""#,
    "emails pr",
    "emails.value pr",
    r#"emails co "example.com""#,
    r#"emails.value ew "@example.com""#,
    r#"emails.type eq "work""#,
    r#"emails.type ne "work""#,
    "emails.primary eq true",
    r#"emails[type eq "work" and value co "@example.com"]"#,
    r#"emails[type eq "work" or primary eq true]"#,
    r#"emails[not (type eq "work")]"#,
    r#"emails[type ne "home"]"#,
    "emails[value pr]",
    "emails[primary eq false]",
    r#"emails[type eq "work"] and emails[type eq "home"]"#,
    r#"emails[type eq "work"].value co "mail""#,
    r#"phoneNumbers.value sw "+1 555 00""#,
    r#"x509Certificates.value eq "QUJD""#,
    r#"x509Certificates eq "qujd""#,
    r#"meta.lastModified eq "2024-01-01T08:00:00Z""#,
    r#"meta.lastModified gt "2024-01-01T08:00:00.1Z""#,
    r#"meta.lastModified le "2024-05-31T23:59:00Z""#,
    r#"meta.created ne "2024-01-01T10:00:00+02:00""#,
    "meta.created pr",
    "meta pr",
    r#"meta.resourceType eq "user""#,
    r#"meta.version eq "W/\"1\"""#,
    r#"id eq "id-7""#,
    r#"schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER""#,
    r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "R&D""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "M3""#,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr",
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "m1""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:hired eq "2024-01-01T08:00:00Z""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:hired lt "2020-01-01T00:00:00Z""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:shifts ge "2024-06-01T00:00:00Z""#,
    "urn:example:params:scim:schemas:extension:test:2.0:User:hired pr",
    "urn:example:params:scim:schemas:extension:test:2.0:User:score gt 1",
    "urn:example:params:scim:schemas:extension:test:2.0:User:score eq 1.5",
    "urn:example:params:scim:schemas:extension:test:2.0:User:score le -4",
    "urn:example:params:scim:schemas:extension:test:2.0:User:score lt 1e301",
    "urn:example:params:scim:schemas:extension:test:2.0:User:level eq 9007199254740993",
    "urn:example:params:scim:schemas:extension:test:2.0:User:level gt 9007199254740993",
    "urn:example:params:scim:schemas:extension:test:2.0:User:level eq 4",
    "urn:example:params:scim:schemas:extension:test:2.0:User:level lt 4.5",
    "urn:example:params:scim:schemas:extension:test:2.0:User:level ge 18446744073709551615",
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:badge eq "AbC""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:badge gt "ABC""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:tags eq "ärger""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:tags ne "alpha""#,
    "urn:example:params:scim:schemas:extension:test:2.0:User:tags pr",
    "urn:example:params:scim:schemas:extension:test:2.0:User:vip eq true",
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:vip eq "False""#,
    r#"urn:example:params:scim:schemas:extension:test:2.0:User:blob eq "QUJD""#,
    r#"not (userType eq "Employee" or emails.type eq "home")"#,
    r#"not (title pr) and not (emails pr)"#,
    r#"(title pr or displayName pr) and (active eq true or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)"#,
    r#"userName eq "nobody" or externalId eq "EXT-1" or title eq "Engineer" or emails.value ew "@mail.test""#,
];

fn compiled(reg: &Registry, rt: &ResourceType, text: &str) -> CompiledFilter {
    let f = parse_filter(text, ParseOptions::LENIENT).unwrap_or_else(|e| panic!("{text}: {e}"));
    compile(&f, reg, rt, CompileOptions::default()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Asserts that every filter selects the same resources from `resident` as from its
/// documents, and that every filter binds to the columns; returns the number of matches.
fn assert_agrees(reg: &Registry, rt: &ResourceType, resident: &Collection) -> usize {
    let mut total = 0;
    for text in FILTERS {
        let f = compiled(reg, rt, text);
        assert!(resident.binds(&f), "{text} does not bind");
        let expected: Vec<u32> = resident
            .iter()
            .enumerate()
            .filter(|(_, d)| f.matches(d))
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(resident.filter(&f), expected, "{text}");
        assert_eq!(resident.count(&f), expected.len(), "{text}");
        total += expected.len();
    }
    total
}

#[test]
fn every_filter_selects_on_the_collection_what_it_matches_on_the_documents() {
    let reg = registry();
    let rt = user_type(&reg);
    let resident = Collection::from_values(&reg, &rt, corpus(600, 7)).unwrap();
    assert_eq!(resident.len(), 600);
    let total = assert_agrees(&reg, &rt, &resident);
    assert!(
        total > 600,
        "the corpus should give the filters something to match"
    );
}

#[test]
fn collection_agrees_after_replacements_removals_and_upserts() {
    let reg = registry();
    let rt = user_type(&reg);
    let mut resident = Collection::from_values(&reg, &rt, corpus(300, 11)).unwrap();
    let mut fresh = corpus(900, 12).into_iter();
    // Enough rewrites that every column compacts at least once.
    for round in 0..3 {
        for i in (round..resident.len()).step_by(2) {
            let mut v = fresh.next().unwrap();
            v["id"] = json!(format!("r{round}-{i}"));
            resident.replace(i, v).unwrap();
        }
    }
    for i in (0..resident.len()).rev().step_by(5) {
        assert!(resident.remove(i).is_some());
    }
    let moved = resident.get(3).cloned().unwrap();
    let id = moved["id"].as_str().unwrap().to_string();
    assert_eq!(resident.position(&id), Some(3));
    let mut changed = moved.clone();
    changed["title"] = json!("Upserted");
    assert_eq!(resident.upsert(changed).unwrap(), 3);
    let added = resident
        .upsert(json!({"id": "new", "userName": "New"}))
        .unwrap();
    assert_eq!(added, resident.len() - 1);
    assert_eq!(
        resident.remove_id(&id).map(|v| v["title"].clone()),
        Some(json!("Upserted"))
    );
    assert_eq!(resident.position(&id), None);
    assert_agrees(&reg, &rt, &resident);
    assert_positions(&resident);
}

/// Asserts that `position` finds, for every id held, the first resource holding it.
fn assert_positions(resident: &Collection) {
    for id in resident.iter().filter_map(|d| d["id"].as_str()) {
        let first = resident.iter().position(|x| x["id"] == id);
        assert_eq!(resident.position(id), first, "{id}");
    }
}

#[test]
fn positions_follow_duplicates_replacements_and_removals() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let docs = ["a", "b", "a", "c", "b"].map(|id| json!({"id": id}));
    let mut c = Collection::from_values(&reg, &rt, docs).unwrap();
    assert_eq!(c.position("a"), Some(0));
    c.remove(0);
    assert_eq!((c.position("a"), c.position("b")), (Some(1), Some(0)));
    c.replace(0, json!({"id": "z"})).unwrap();
    assert_eq!((c.position("b"), c.position("z")), (Some(3), Some(0)));
    c.replace(3, json!({"id": "a"})).unwrap();
    assert_eq!((c.position("a"), c.position("b")), (Some(1), None));
    assert_eq!(c.remove_id("a").map(|v| v["id"].clone()), Some(json!("a")));
    assert_eq!(c.position("a"), Some(2));
    c.replace(2, json!({"title": "no id"})).unwrap();
    assert_eq!(c.position("a"), None);
    assert_eq!(c.upsert(json!({"id": "c", "title": "x"})).unwrap(), 1);
    assert_eq!(c.len(), 3);
    assert_positions(&c);
}

#[test]
fn value_filters_test_only_object_elements() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let docs = vec![
        json!({"id": "a", "emails": ["x", null, 3]}),
        json!({"id": "b", "emails": [{"type": "home"}, "x"]}),
        json!({"id": "c", "emails": {"type": "work"}}),
    ];
    let resident = Collection::from_values(&reg, &rt, docs).unwrap();
    let f = compiled(&reg, &rt, r#"emails[not (type eq "work")]"#);
    assert_eq!(resident.filter(&f), [1]);
    let f = compiled(&reg, &rt, r#"emails[type eq "work"]"#);
    assert_eq!(resident.filter(&f), [2]);
}

#[test]
fn case_insensitive_strings_are_stored_folded_and_case_exact_ones_as_sent() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let docs = vec![
        json!({"id": "A", "userName": "ÉMILE", "externalId": "AbC"}),
        json!({"id": "b", "userName": "émile", "externalId": "abc"}),
    ];
    let resident = Collection::from_values(&reg, &rt, docs).unwrap();
    assert_eq!(
        resident.filter(&compiled(&reg, &rt, r#"userName eq "Émile""#)),
        [0, 1]
    );
    assert_eq!(
        resident.filter(&compiled(&reg, &rt, r#"externalId eq "abc""#)),
        [1]
    );
    assert_eq!(
        resident.filter(&compiled(&reg, &rt, r#"id eq "a""#)),
        Vec::<u32>::new()
    );
    assert_eq!(resident.get(0).unwrap()["userName"], "ÉMILE");
}

#[test]
fn date_times_compare_as_instants_whatever_their_offset() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let docs = vec![
        json!({"meta": {"lastModified": "2024-01-01T10:00:00+02:00"}}),
        json!({"meta": {"lastModified": "2024-01-01T08:00:00.000000001Z"}}),
        json!({"meta": {"lastModified": "yesterday"}}),
    ];
    let resident = Collection::from_values(&reg, &rt, docs).unwrap();
    let eq = compiled(&reg, &rt, r#"meta.lastModified eq "2024-01-01T08:00:00Z""#);
    assert_eq!(resident.filter(&eq), [0]);
    let gt = compiled(&reg, &rt, r#"meta.lastModified gt "2024-01-01T08:00:00Z""#);
    assert_eq!(resident.filter(&gt), [1]);
    let pr = compiled(&reg, &rt, "meta.lastModified pr");
    assert_eq!(resident.count(&pr), 3);
}

#[test]
fn non_objects_are_refused_and_leave_the_collection_unchanged() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let err = Collection::from_values(&reg, &rt, [json!({"id": "a"}), json!("b")]).unwrap_err();
    assert!(matches!(err, ScimError::InvalidValue { .. }), "{err:?}");
    let mut c = Collection::new(&reg, &rt);
    c.push(json!({"id": "a", "title": "x"})).unwrap();
    assert!(c.push(json!([1])).is_err());
    assert!(c.replace(0, json!(null)).is_err());
    assert!(matches!(
        c.replace(5, json!({})),
        Err(ScimError::NotFound(_))
    ));
    assert_eq!(c.len(), 1);
    assert_eq!(c.count(&compiled(&reg, &rt, "title pr")), 1);
    assert_eq!(c.remove(1), None);
}

#[test]
fn filters_compiled_for_another_type_are_evaluated_on_the_documents() {
    let reg = Registry::builtin();
    let users = user_type(&reg);
    let groups = reg.resource_type("Group").cloned().unwrap();
    let docs = vec![
        json!({"id": "g1", "members": [{"value": "u1"}]}),
        json!({"id": "g2", "members": [{"value": "u2"}]}),
    ];
    let resident = Collection::from_values(&reg, &users, docs).unwrap();
    let f = compiled(&reg, &groups, r#"members[value eq "u2"]"#);
    assert!(!resident.binds(&f));
    assert_eq!(resident.filter(&f), [1]);
}

#[test]
fn resident_columns_are_smaller_than_the_documents() {
    let reg = registry();
    let rt = user_type(&reg);
    let docs = corpus(200, 3);
    let text: usize = docs.iter().map(|d| d.to_string().len()).sum();
    let resident = Collection::from_values(&reg, &rt, docs).unwrap();
    assert!(resident.resident_bytes() > 0);
    assert!(
        resident.resident_bytes() < 3 * text,
        "{} bytes of columns for {text} bytes of JSON",
        resident.resident_bytes()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    #[test]
    fn random_corpora_select_the_same_on_the_collection_and_the_documents(
        seed in proptest::num::u64::ANY,
        n in 0usize..70,
    ) {
        let reg = registry();
        let rt = user_type(&reg);
        let resident = Collection::from_values(&reg, &rt, corpus(n, seed)).unwrap();
        assert_agrees(&reg, &rt, &resident);
    }
}

#[test]
fn value_filters_on_large_groups_agree_with_the_documents() {
    let reg = Registry::builtin();
    let rt = reg.resource_type("Group").cloned().unwrap();
    let groups: Vec<Value> = (0..4)
        .map(|g| {
            let members: Vec<Value> = (0..3000)
                .map(|m| json!({"value": format!("u{}", m * (g + 1)), "type": "User"}))
                .collect();
            json!({"id": format!("g{g}"), "displayName": format!("G{g}"), "members": members})
        })
        .collect();
    let resident = Collection::from_values(&reg, &rt, groups.clone()).unwrap();
    for text in [
        r#"members[value eq "u5997"]"#,
        r#"members[value eq "u2999" and type eq "user"]"#,
        r#"members[not (value sw "u")]"#,
        r#"members.value eq "u8997""#,
    ] {
        let f = compiled(&reg, &rt, text);
        let expected: Vec<u32> = (0..groups.len() as u32)
            .filter(|&i| f.matches(&groups[i as usize]))
            .collect();
        assert_eq!(resident.filter(&f), expected, "{text}");
    }
    let f = compiled(&reg, &rt, r#"members[value eq "u5997"]"#);
    assert_eq!(resident.filter(&f), [2]);
}

#[test]
fn a_stored_value_takes_sixteen_bytes() {
    assert_eq!(core::mem::size_of::<super::layout::Leaf>(), 16);
}

#[test]
fn a_columns_only_collection_keeps_no_documents_and_answers_the_same() {
    let reg = registry();
    let rt = user_type(&reg);
    let docs = corpus(120, 5);
    let full = Collection::from_values(&reg, &rt, docs.clone()).unwrap();
    let mut lean = Collection::columns_only(&reg, &rt);
    for d in docs {
        lean.push(d).unwrap();
    }
    assert_eq!(
        (lean.len(), lean.get(0), lean.iter().count()),
        (120, None, 0)
    );
    for text in ["userName pr", "title co \"e\"", "not (active eq true)"] {
        let f = compiled(&reg, &rt, text);
        assert_eq!(lean.filter(&f), full.filter(&f), "{text}");
        assert_eq!(lean.count(&f), full.count(&f), "{text}");
    }
}

#[test]
fn a_columns_only_collection_reads_ids_back_from_its_column() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let mut c = Collection::columns_only(&reg, &rt);
    for id in ["a", "b", "a", "c", "b"] {
        c.push(json!({"id": id})).unwrap();
    }
    c.remove(0);
    assert_eq!((c.position("a"), c.position("b")), (Some(1), Some(0)));
    assert_eq!(c.replace(0, json!({"id": "z"})).unwrap(), Value::Null);
    assert_eq!((c.position("b"), c.position("z")), (Some(3), Some(0)));
    c.replace(3, json!({"id": "a"})).unwrap();
    assert_eq!((c.position("a"), c.position("b")), (Some(1), None));
    assert_eq!(c.remove_id("a"), Some(Value::Null));
    assert_eq!(c.position("a"), Some(2));
    assert_eq!(c.upsert(json!({"id": "c", "title": "x"})).unwrap(), 1);
    assert_eq!(c.len(), 3);
}

#[test]
fn a_columns_only_collection_matches_nothing_for_a_filter_that_does_not_bind() {
    let reg = Registry::builtin();
    let users = user_type(&reg);
    let groups = reg.resource_type("Group").cloned().unwrap();
    let mut c = Collection::columns_only(&reg, &users);
    c.push(json!({"id": "g1", "members": [{"value": "u1"}]}))
        .unwrap();
    let f = compiled(&reg, &groups, r#"members[value eq "u1"]"#);
    assert!(!c.binds(&f));
    assert_eq!((c.filter(&f), c.count(&f)), (vec![], 0));
}

#[test]
fn a_columns_only_collection_does_not_take_an_array_id_for_a_string_one() {
    let reg = Registry::builtin();
    let rt = user_type(&reg);
    let mut c = Collection::columns_only(&reg, &rt);
    c.push(json!({"id": "a"})).unwrap();
    c.push(json!({"id": ["a"]})).unwrap();
    c.remove(1);
    assert_eq!(c.position("a"), Some(0));
    c.replace(0, json!({"id": ["a"]})).unwrap();
    assert_eq!(c.position("a"), None);
}
