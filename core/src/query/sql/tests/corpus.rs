//! A deterministic corpus of users (and rows that must never be listed) in a real SQLite
//! database laid out as the module docs say.

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::query::datetime::Instant;
use crate::resource::meta::timestamp;
use crate::schema::{ENTERPRISE_USER_URN, USER_URN};
use crate::service::store::unique_key;
use crate::test_support::Rng;

pub use crate::test_support::{registry, TEST_URN};

/// The tenant whose live Users the tests list.
pub const TENANT: &str = "t1";

/// The Worker's D1 migrations, in order: the corpus lives in the real table layout.
const LAYOUT: &str = concat!(
    include_str!("../../../../../edge-worker/migrations/0001_init.sql"),
    include_str!("../../../../../edge-worker/migrations/0002_write_id.sql"),
    include_str!("../../../../../edge-worker/migrations/0003_live_by_created.sql"),
);

/// `s` with each ASCII letter's case flipped at random.
fn mixed_case(rng: &mut Rng, s: &str) -> String {
    s.chars()
        .map(|c| {
            if rng.chance(30) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// Users every test can name: the RFC's examples and the awkward cases.
const NAMED: [&str; 16] = [
    "bjensen",
    "Élodie",
    "JÜRGEN",
    "ΣΑΣ",
    "σασ",
    "\u{212A}elvin",
    "İlker",
    "straße",
    "100%_done",
    "under_score",
    "back\\slash",
    "' OR 1=1 --",
    "quote\"d",
    "ÅNGSTRÖM",
    "Zoë",
    "nul\0byte",
];

const GIVEN: [&str; 12] = [
    "Barbara", "alice", "Bob", "carol", "Dave", "Élise", "Øyvind", "Jürgen", "Łukasz", "Иван",
    "Ana", "mary",
];
const FAMILY: [&str; 12] = [
    "Jensen",
    "O'Malley",
    "smith",
    "SMITH",
    "Müller",
    "MÜLLER",
    "García",
    "Ng",
    "",
    "%Percent",
    "Under_Score",
    "Back\\Slash",
];
const DOMAINS: [&str; 7] = [
    "example.com",
    "EXAMPLE.COM",
    "example.org",
    "ex%ample.com",
    "ex_ample.com",
    "exämple.com",
    "EXÄMPLE.org",
];
const TITLES: [&str; 8] = [
    "Tour Guide",
    "tour guide",
    "Engineer",
    "",
    "Ingénieur",
    "INGÉNIEUR",
    "Ωmega lead",
    "ωmega lead",
];
/// Date-times as clients send them: offsets, fractions, lowercase `t`, leap second, garbage.
const DATES: [&str; 16] = [
    "2015-10-10T14:38:21.8617979-07:00",
    "2015-10-10T21:38:21.8617979Z",
    "2016-12-31T23:59:60Z",
    "2017-01-01T00:00:00Z",
    "2020-02-29T12:00:00+14:00",
    "2020-02-28T22:00:00-00:00",
    "2024-01-01T10:00:00+02:00",
    "2024-01-01T08:00:00.000000001Z",
    "2024-01-01t08:00:00",
    "2024-01-01 07:59:59.999999999Z",
    "2024-06-30T23:59:59.5+05:30",
    "1969-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "not a date",
    "2024-02-30T00:00:00Z",
    "2030-01-01T00:00:00.123456789123Z",
];

/// Generated users: the [`NAMED`] ones first, then random ones, `n` in all.
pub fn users(n: usize) -> Vec<Value> {
    let mut rng = Rng(0x5C1A_2024);
    let base = Instant::parse("2024-01-01T00:00:00Z").map_or(0, |i| i.unix_seconds());
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("{:06x}-{i:05}", rng.next() & 0xFF_FFFF);
        let user_name = match (NAMED.get(i), rng.below(3)) {
            (Some(name), _) => name.to_string(),
            (None, 0) => format!("{}{i}", mixed_case(&mut rng, rng_name(i))),
            (None, 1) => format!("{}.{}{i}", rng.pick(&GIVEN), rng.pick(&FAMILY)),
            (None, _) => format!("{}{i}", rng.pick(&NAMED)),
        };
        // Some creation times repeat, so ties fall back to the id.
        let created_secs = if rng.chance(20) {
            base + 3600 * rng.below(5) as i64
        } else {
            base + rng.below(365 * 86_400) as i64
        };
        let millis = rng.below(1000) as u32 * 1_000_000;
        let created = Instant::from_unix(created_secs, millis).unwrap_or(Instant::EPOCH);
        let modified = Instant::from_unix(created_secs + rng.below(86_400 * 30) as i64, 0)
            .unwrap_or(Instant::EPOCH);
        let mut user = Map::new();
        let mut schemas = vec![json!(USER_URN)];
        user.insert("id".into(), json!(id));
        user.insert("userName".into(), json!(user_name));
        user.insert(
            "meta".into(),
            json!({
                "resourceType": "User",
                "created": timestamp(created),
                "lastModified": timestamp(modified),
                "version": "W/\"1\"",
            }),
        );
        if rng.chance(60) {
            let ext = if rng.chance(50) { "Ext-" } else { "ext-" };
            user.insert("externalId".into(), json!(format!("{ext}{}", i % 50)));
        }
        match rng.below(10) {
            0 => {
                user.insert("name".into(), Value::Null);
            }
            1 => {
                user.insert("name".into(), json!({}));
            }
            2 => {}
            _ => {
                let mut name = Map::new();
                name.insert("givenName".into(), json!(rng.pick(&GIVEN)));
                if rng.chance(90) {
                    name.insert("familyName".into(), json!(rng.pick(&FAMILY)));
                }
                user.insert("name".into(), Value::Object(name));
            }
        }
        if rng.chance(70) {
            user.insert(
                "displayName".into(),
                json!(mixed_case(&mut rng, &user_name)),
            );
        }
        match rng.below(4) {
            0 => {
                user.insert("nickName".into(), json!(""));
            }
            1 => {
                user.insert("nickName".into(), json!(rng.pick(&GIVEN)));
            }
            _ => {}
        }
        match rng.below(10) {
            0 => {
                user.insert("title".into(), Value::Null);
            }
            1..=6 => {
                user.insert("title".into(), json!(rng.pick(&TITLES)));
            }
            _ => {}
        }
        if rng.chance(70) {
            let kind = rng.pick(&["Employee", "Intern", "Contractor", "employee"]);
            user.insert("userType".into(), json!(kind));
        }
        match rng.below(10) {
            0 => {}
            1 => {
                user.insert("active".into(), json!("True"));
            }
            2 => {
                user.insert("active".into(), json!("FALSE"));
            }
            3..=6 => {
                user.insert("active".into(), json!(true));
            }
            _ => {
                user.insert("active".into(), json!(false));
            }
        }
        match rng.below(8) {
            0 => {}
            1 => {
                user.insert("emails".into(), json!([]));
            }
            _ => {
                let count = 1 + rng.below(3);
                let primary = rng.below(count + 1);
                let mut emails = Vec::new();
                for k in 0..count {
                    if rng.chance(5) {
                        emails.push(json!({}));
                        continue;
                    }
                    let mut email = Map::new();
                    let local = mixed_case(&mut rng, rng_name(i + k));
                    let value = if rng.chance(5) {
                        String::new()
                    } else {
                        format!("{local}@{}", rng.pick(&DOMAINS))
                    };
                    email.insert("value".into(), json!(value));
                    if rng.chance(85) {
                        let ty = rng.pick(&["work", "Work", "home", "other", "WORK"]);
                        email.insert("type".into(), json!(ty));
                    }
                    if k == primary {
                        email.insert("primary".into(), json!(true));
                    } else if rng.chance(20) {
                        email.insert("primary".into(), json!(false));
                    }
                    emails.push(Value::Object(email));
                }
                user.insert("emails".into(), Value::Array(emails));
            }
        }
        if rng.chance(30) {
            let ty = rng.pick(&["mobile", "Mobile", "work"]);
            let number = format!("+1-555-{:04}", rng.below(10_000));
            user.insert(
                "phoneNumbers".into(),
                json!([{"value": number, "type": ty}]),
            );
        }
        if rng.chance(10) {
            user.insert(
                "ims".into(),
                json!([{"value": format!("u{i}@foo.com"), "type": "xmpp"}]),
            );
        }
        match rng.below(10) {
            0 => {
                schemas.push(json!(ENTERPRISE_USER_URN));
                user.insert(ENTERPRISE_USER_URN.into(), json!({}));
            }
            1..=5 => {
                schemas.push(json!(ENTERPRISE_USER_URN));
                let mut ent = Map::new();
                ent.insert(
                    "employeeNumber".into(),
                    json!(format!("{}", rng.below(100))),
                );
                let dept = rng.pick(&["Tour Operations", "tour operations", "R&D", "Ünits"]);
                ent.insert("department".into(), json!(dept));
                if rng.chance(60) {
                    ent.insert(
                        "manager".into(),
                        json!({"value": format!("m{}", rng.below(20)), "displayName": rng.pick(&GIVEN)}),
                    );
                }
                user.insert(ENTERPRISE_USER_URN.into(), Value::Object(ent));
            }
            _ => {}
        }
        if rng.chance(70) {
            schemas.push(json!(TEST_URN));
            let mut ext = Map::new();
            if rng.chance(85) {
                ext.insert("hired".into(), json!(rng.pick(&DATES)));
            }
            let shifts: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(&DATES)).collect();
            ext.insert("shifts".into(), json!(shifts));
            let score = match rng.below(4) {
                0 => json!(rng.below(5)),
                1 => json!(rng.below(100) as f64 / 8.0 - 4.0),
                2 => json!(1.5),
                _ => Value::Null,
            };
            ext.insert("score".into(), score);
            let level = match rng.below(5) {
                0 => json!(9_007_199_254_740_993i64),
                1 => json!(-(rng.below(10) as i64)),
                _ => json!(rng.below(10)),
            };
            ext.insert("level".into(), level);
            let badge = rng.pick(&["AbC", "abc", "ABC", "M", "m", "zed"]);
            ext.insert("badge".into(), json!(badge));
            let tags: Vec<&str> = (0..rng.below(4))
                .map(|_| *rng.pick(&["Alpha", "beta", "GAMMA", "%", "_", "Ärger"]))
                .collect();
            ext.insert("tags".into(), json!(tags));
            if rng.chance(80) {
                ext.insert("vip".into(), json!(rng.chance(30)));
            }
            user.insert(TEST_URN.into(), Value::Object(ext));
        }
        user.insert("schemas".into(), Value::Array(schemas));
        out.push(Value::Object(user));
    }
    out
}

/// An ASCII name for user `i`.
fn rng_name(i: usize) -> &'static str {
    [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "kim",
    ][i % 11]
}

/// A database holding `users` as live Users of [`TENANT`], plus rows no listing may return:
/// the same users in another tenant, as Groups, and soft-deleted.
pub fn database(users: &[Value]) -> Connection {
    let db = super::d1_connection();
    db.execute_batch(LAYOUT)
        .unwrap_or_else(|e| panic!("layout: {e}"));
    let mut insert = db
        .prepare(
            "INSERT INTO resources (tenant, resource_type, id, version, unique_key, external_id, \
             display, created, last_modified, deleted, data) \
             VALUES (?1, ?2, ?3, 1, ?4, ?5, NULL, ?6, ?7, ?8, ?9)",
        )
        .unwrap_or_else(|e| panic!("insert: {e}"));
    let rows = users.iter().enumerate().flat_map(|(i, u)| {
        let mut rows = vec![(TENANT, "User", u.clone(), false)];
        if i % 7 == 0 {
            rows.push(("t2", "User", u.clone(), false));
            rows.push((TENANT, "Group", u.clone(), false));
            let mut gone = u.clone();
            gone["id"] = json!(format!("deleted-{i}"));
            rows.push((TENANT, "User", gone, true));
        }
        rows
    });
    for (tenant, rt, data, deleted) in rows {
        let text = |k: &str| data.get(k).and_then(Value::as_str).map(String::from);
        let meta = |k: &str| data["meta"][k].as_str().unwrap_or_default().to_string();
        let key = if deleted {
            None
        } else {
            text("userName").map(|u| unique_key(&u))
        };
        insert
            .execute(rusqlite::params![
                tenant,
                rt,
                text("id"),
                key,
                text("externalId"),
                meta("created"),
                meta("lastModified"),
                deleted,
                data.to_string(),
            ])
            .unwrap_or_else(|e| panic!("insert {data}: {e}"));
    }
    drop(insert);
    db
}
