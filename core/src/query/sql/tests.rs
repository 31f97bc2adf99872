//! Differential tests: the statements run on real SQLite over a generated corpus and must
//! select, count and order exactly what core's evaluator and sorter do.

mod corpus;

use std::collections::BTreeSet;
use std::format;
use std::string::{String, ToString};
use std::sync::OnceLock;
use std::vec::Vec;

use rusqlite::limits::Limit;
use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde_json::Value;

use super::*;
use crate::query::compile::{compile, CompileOptions, CompiledFilter};
use crate::query::parser::{parse_attr_path, parse_filter, ParseOptions};
use crate::query::sort::{sort, SortOrder, SortSpec};
use crate::schema::{Registry, ResourceType};
use crate::service::store::ListQuery;
use corpus::{TENANT, TEST_URN};

const USERS: usize = 2000;

const USER_COLUMNS: IndexColumns<'static> = IndexColumns {
    unique_key: Some("userName"),
    groups: true,
};

/// The corpus, built once: users, registry, and the database as a serialized image.
struct Corpus {
    registry: Registry,
    users: Vec<Value>,
    image: Vec<u8>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let users = corpus::users(USERS);
        let db = corpus::database(&users);
        let image = db
            .serialize("main")
            .unwrap_or_else(|e| panic!("serialize: {e}"))
            .to_vec();
        Corpus {
            registry: corpus::registry(),
            users,
            image,
        }
    })
}

/// A test's view of the corpus, with its own read-only connection (tests run in parallel).
struct Fixture {
    registry: &'static Registry,
    users: &'static [Value],
    db: Connection,
}

/// An in-memory SQLite connection with D1's limits: `LIKE`/`GLOB` patterns of at most
/// [`MAX_PATTERN_BYTES`](text::MAX_PATTERN_BYTES) bytes, at most [`MAX_PARAMS`] parameters.
pub(super) fn d1_connection() -> Connection {
    let db = Connection::open_in_memory().unwrap_or_else(|e| panic!("sqlite: {e}"));
    let pattern_bytes = i32::try_from(text::MAX_PATTERN_BYTES).unwrap_or(i32::MAX);
    let params = i32::try_from(MAX_PARAMS).unwrap_or(i32::MAX);
    db.set_limit(Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, pattern_bytes)
        .unwrap_or_else(|e| panic!("limit: {e}"));
    db.set_limit(Limit::SQLITE_LIMIT_VARIABLE_NUMBER, params)
        .unwrap_or_else(|e| panic!("limit: {e}"));
    db
}

#[test]
fn d1_connections_refuse_patterns_over_fifty_bytes() {
    let db = d1_connection();
    let glob =
        |pattern: &str| db.query_row("SELECT 'x' GLOB ?1", [pattern], |row| row.get::<_, i64>(0));
    assert!(glob(&"*".repeat(50)).is_ok());
    let err = glob(&"*".repeat(51)).map_err(|e| e.to_string());
    assert!(
        matches!(&err, Err(e) if e.contains("too complex")),
        "{err:?}"
    );
}

fn fixture() -> Fixture {
    let corpus = corpus();
    let mut db = d1_connection();
    db.deserialize_bytes("main", &corpus.image)
        .unwrap_or_else(|e| panic!("deserialize: {e}"));
    Fixture {
        registry: &corpus.registry,
        users: &corpus.users,
        db,
    }
}

impl Fixture {
    fn user_type(&self) -> ResourceType {
        self.registry
            .resource_type("User")
            .cloned()
            .unwrap_or_else(|| panic!("no User type"))
    }

    fn compile(&self, text: &str, lenient: bool) -> CompiledFilter {
        let filter = parse_filter(text, ParseOptions::STRICT)
            .unwrap_or_else(|e| panic!("parse {text}: {e}"));
        let options = CompileOptions {
            lenient_unknown: lenient,
        };
        compile(&filter, self.registry, &self.user_type(), options)
            .unwrap_or_else(|e| panic!("compile {text}: {e}"))
    }

    fn sort_spec(&self, path: &str, order: SortOrder) -> SortSpec {
        let path = parse_attr_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        SortSpec::new(self.registry, &self.user_type(), &path, order)
            .unwrap_or_else(|e| panic!("sortBy: {e}"))
    }

    /// Ids of the users core's evaluator matches.
    fn expected(&self, filter: &CompiledFilter) -> BTreeSet<String> {
        self.users
            .iter()
            .filter(|u| filter.matches(u))
            .map(id_of)
            .collect()
    }

    /// The first column (the id) of every row of `statement`.
    fn ids(&self, statement: &Statement) -> Vec<String> {
        self.column(statement, 0)
    }

    /// The rows of `statement` as (id, document).
    fn run(&self, statement: &Statement) -> Vec<(String, Value)> {
        let ids = self.ids(statement);
        let docs = self
            .column(statement, 2)
            .into_iter()
            .map(|data| serde_json::from_str(&data).unwrap_or_else(|e| panic!("data: {e}")));
        ids.into_iter().zip(docs).collect()
    }

    /// Column `index` (text) of every row of `statement`.
    fn column(&self, statement: &Statement, index: usize) -> Vec<String> {
        let mut stmt = self
            .db
            .prepare(&statement.sql)
            .unwrap_or_else(|e| panic!("prepare: {e}\n{}", statement.sql));
        let rows = stmt
            .query_map(rusqlite::params_from_iter(bind(&statement.params)), |row| {
                row.get::<_, String>(index)
            })
            .unwrap_or_else(|e| panic!("query: {e}\n{}", statement.sql));
        rows.map(|r| r.unwrap_or_else(|e| panic!("row: {e}\n{}", statement.sql)))
            .collect()
    }

    /// `(total, resort)` of a count statement.
    fn count(&self, statement: &Statement) -> (usize, i64) {
        self.db
            .query_row(
                &statement.sql,
                rusqlite::params_from_iter(bind(&statement.params)),
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Option<i64>>(1)?)),
            )
            .map(|(t, r)| (usize::try_from(t).unwrap_or(0), r.unwrap_or(0)))
            .unwrap_or_else(|e| panic!("count: {e}\n{}", statement.sql))
    }

    fn plan(&self, statement: &Statement) -> String {
        let mut stmt = self
            .db
            .prepare(&format!("EXPLAIN QUERY PLAN {}", statement.sql))
            .unwrap_or_else(|e| panic!("explain: {e}"));
        let params = rusqlite::params_from_iter(bind(&statement.params));
        let details: Vec<String> = stmt
            .query_map(params, |row| row.get::<_, String>(3))
            .unwrap_or_else(|e| panic!("explain: {e}"))
            .filter_map(Result::ok)
            .collect();
        details.join("\n")
    }

    /// Asserts that SQL and core agree on `text` (and on the total, with `count`); returns
    /// whether SQL was exact.
    fn check_filter(&self, text: &str, lenient: bool, count: bool) -> bool {
        let filter = self.compile(text, lenient);
        let expected = self.expected(&filter);
        let sql = list_sql(
            TENANT,
            "User",
            &query(Some(&filter), None, 1, 0),
            &USER_COLUMNS,
        );
        assert_within_limits(&sql);
        let ids = self.ids(&sql.rows);
        let selected: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(selected.len(), ids.len(), "duplicate rows for {text}");
        match &sql.page {
            Some(page) => {
                assert_eq!(selected, expected, "{text}\n{}", sql.rows.sql);
                if count {
                    assert_eq!(self.count(&page.count).0, expected.len(), "{text}");
                }
                assert!(page.records.is_none(), "count 0 asks for no records");
                true
            }
            None => {
                assert!(selected.is_superset(&expected), "{text}\n{}", sql.rows.sql);
                let rechecked: BTreeSet<String> = self
                    .run(&sql.rows)
                    .iter()
                    .filter(|(_, doc)| filter.matches(doc))
                    .map(|(id, _)| id.clone())
                    .collect();
                assert_eq!(rechecked, expected, "{text}");
                false
            }
        }
    }
}

fn id_of(user: &Value) -> String {
    user["id"].as_str().unwrap_or_default().to_string()
}

fn bind(params: &[SqlValue]) -> Vec<Sql> {
    params
        .iter()
        .map(|p| match p {
            SqlValue::Text(s) => Sql::Text(s.clone()),
            SqlValue::Integer(i) => Sql::Integer(*i),
            SqlValue::Real(r) => Sql::Real(*r),
        })
        .collect()
}

fn query<'a>(
    filter: Option<&'a CompiledFilter>,
    sort: Option<&'a SortSpec>,
    start_index: usize,
    count: usize,
) -> ListQuery<'a> {
    ListQuery {
        filter,
        sort,
        start_index,
        count,
    }
}

fn assert_within_limits(sql: &ListSql) {
    let page = sql
        .page
        .iter()
        .flat_map(|p| std::iter::once(&p.count).chain(&p.records));
    for s in std::iter::once(&sql.rows).chain(page) {
        assert!(s.params.len() <= MAX_PARAMS, "{} params", s.params.len());
        assert!(s.sql.len() < MAX_STATEMENT_BYTES, "{} bytes", s.sql.len());
        let highest = (1..=s.params.len())
            .rev()
            .find(|n| s.sql.contains(&format!("?{n}")));
        assert_eq!(
            highest.unwrap_or(0),
            s.params.len(),
            "every parameter is used"
        );
        for p in &s.params {
            if let SqlValue::Integer(i) = p {
                assert!(i.unsigned_abs() < 1 << 53, "{i} would round in JavaScript");
            }
        }
    }
}

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// String filters SQL must answer exactly (RFC 7644 §3.4.2.2 examples first).
fn string_filters() -> Vec<String> {
    [
        r#"userName eq "bjensen""#,
        r#"name.familyName co "O'Malley""#,
        r#"userName sw "J""#,
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
        r#"title pr"#,
        r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified ge "2024-06-01T00:00:00Z""#,
        r#"meta.lastModified lt "2024-06-01T00:00:00.5+02:00""#,
        r#"meta.lastModified le "2024-03-01T00:00:00Z""#,
        r#"meta.created ge "2024-01-01T00:00:00.0005Z""#,
        r#"meta.created lt "2024-01-01T03:00:00.000000001+02:00""#,
        r#"meta.created eq "2024-01-01T00:00:00.000000001Z""#,
        r#"meta.created ne "2024-01-01T04:00:00.000000001Z""#,
        r#"meta.created eq "2024-01-01T06:00:00+03:00""#,
        r#"not (meta.created le "2024-01-01T02:00:00.0005+01:00")"#,
        r#"title pr and userType eq "Employee""#,
        r#"title pr or userType eq "Intern""#,
        r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
        r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
        r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
        r#"userType eq "Employee" and (emails.type eq "work")"#,
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
        r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        // Case-insensitive matching, including characters SQLite's lower() does not fold.
        r#"userName eq "BJENSEN""#,
        r#"userName eq "élodie""#,
        r#"userName eq "jürgen""#,
        r#"userName eq "ΣΑΣ""#,
        r#"userName eq "σας""#,
        r#"userName eq "KELVIN""#,
        r#"userName sw "kel""#,
        r#"userName eq "İlker""#,
        r#"userName co "i̇lk""#,
        r#"userName eq "STRASSE""#,
        r#"userName co "ÜRG""#,
        r#"userName sw "é""#,
        r#"userName ew "ström""#,
        r#"userName co "ångström""#,
        r#"title eq "ingénieur""#,
        r#"title sw "ω""#,
        r#"name.familyName eq "müller""#,
        r#"displayName co "Ë""#,
        // LIKE metacharacters and SQL-looking values are plain text.
        r#"userName co "%""#,
        r#"userName sw "_""#,
        r#"userName ew "\\""#,
        r#"userName co "\\s""#,
        r#"userName eq "' OR 1=1 --""#,
        r#"userName co "' OR 1=1 --""#,
        r#"userName co "'""#,
        r#"userName co "\"""#,
        r#"userName co "\u0000""#,
        r#"name.familyName sw "%""#,
        r#"emails[value co "%"]"#,
        r#"emails.value co "_""#,
        r#"userName co """#,
        r#"title sw """#,
        // Ordering against ASCII literals.
        r#"userName gt "m""#,
        r#"userName lt "B""#,
        r#"userName ge "kelvin""#,
        r#"title le "tour guide""#,
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// Filters on index columns, presence, multi-valued and typed attributes, and nesting, that
/// SQL must answer exactly.
fn typed_filters() -> Vec<String> {
    let mut f: Vec<String> = [
        // Index columns.
        r#"externalId eq "Ext-5""#,
        r#"externalId eq "ext-5""#,
        r#"externalId sw "Ext""#,
        r#"externalId gt "ext-3""#,
        r#"externalId pr"#,
        r#"not (externalId pr)"#,
        r#"externalId eq null"#,
        r#"title ne null"#,
        r#"userName ne "bjensen""#,
        // Presence: null, "", [], {} are absent.
        r#"name pr"#,
        r#"name.givenName pr"#,
        r#"nickName pr"#,
        r#"emails pr"#,
        r#"emails.value pr"#,
        r#"not (emails.type pr)"#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr"#,
        // Multi-valued attributes and value paths.
        r#"emails.primary eq true"#,
        r#"emails[primary eq true and type eq "work"]"#,
        r#"emails.type ne "work""#,
        r#"not (emails.type eq "work")"#,
        r#"emails[not (type eq "work")]"#,
        r#"emails[type eq "work"] and not (emails[type eq "home"])"#,
        r#"emails co "EXAMPLE.COM""#,
        r#"emails.value ew ".org""#,
        r#"emails ew "exämple.org""#,
        r#"phoneNumbers[type eq "mobile"]"#,
        r#"name[givenName eq "alice" or familyName pr]"#,
        // Booleans, including Entra's strings.
        r#"active eq true"#,
        r#"active eq false"#,
        r#"active ne true"#,
        r#"active eq "True""#,
        // Extensions.
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber gt "5""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co "TOUR""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr"#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName sw "a""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "ünits""#,
        // Nesting.
        r#"not (userName sw "a" or title pr) and emails pr"#,
        r#"(userName co "a" and not (userName co "b")) or (title eq "engineer" and active eq true)"#,
        r#"not (not (title pr) or not (active eq true))"#,
        r#"userName eq "bjensen" or userName eq "Élodie" or userName eq "ΣΑΣ" or title eq "engineer""#,
        r#"title eq "engineer" or title eq "INGÉNIEUR" or title eq "ωmega lead""#,
        r#"emails[value eq "alice@example.com" or value eq "bob@example.org" or type eq "home"]"#,
        r#"externalId eq "Ext-1" or externalId eq "ext-2" or externalId eq "nope""#,
        r#"meta.resourceType eq "User""#,
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // dateTime (any offset and fraction), numbers, case-exact strings of the test extension.
    let t = TEST_URN;
    for (attr, op, value) in [
        ("hired", "gt", r#""2020-01-01T00:00:00Z""#),
        ("hired", "eq", r#""2015-10-10T21:38:21.8617979Z""#),
        ("hired", "eq", r#""2015-10-10T14:38:21.861797900-07:00""#),
        ("hired", "lt", r#""2017-01-01T00:00:00Z""#),
        ("hired", "eq", r#""2017-01-01T00:00:00Z""#),
        ("hired", "ge", r#""2024-01-01T08:00:00Z""#),
        ("hired", "le", r#""2024-01-01T07:59:59.999999999Z""#),
        ("hired", "eq", r#""2020-02-28T22:00:00Z""#),
        ("hired", "ne", r#""2024-01-01T08:00:00Z""#),
        ("shifts", "lt", r#""1970-01-01T00:00:00Z""#),
        ("shifts", "gt", r#""2030-01-01T00:00:00.123456789Z""#),
        ("score", "gt", "1.5"),
        ("score", "le", "0"),
        ("score", "eq", "1.5"),
        ("level", "eq", "9007199254740993"),
        ("level", "gt", "-5"),
        ("level", "lt", "3.5"),
        ("badge", "eq", r#""AbC""#),
        ("badge", "gt", r#""M""#),
        ("badge", "co", r#""b""#),
        ("tags", "eq", r#""ALPHA""#),
        ("tags", "co", r#""%""#),
        ("tags", "eq", r#""ärger""#),
        ("vip", "eq", "false"),
    ] {
        f.push(format!("{t}:{attr} {op} {value}"));
    }
    f.push(format!(
        r#"{t}:hired pr and not ({t}:hired gt "1900-01-01T00:00:00Z")"#
    ));
    f.push(format!(r#"{ENT}:employeeNumber pr and {t}:vip eq true"#));
    f
}

/// Asserts that every filter of `filters` is translated exactly and selects what core does.
fn assert_exact(fx: &Fixture, filters: &[String]) {
    let mut inexact = Vec::new();
    for (i, text) in filters.iter().enumerate() {
        if !fx.check_filter(text, false, i % 8 == 0) {
            inexact.push(text.clone());
        }
    }
    assert_eq!(inexact, Vec::<String>::new(), "expected exact SQL");
}

#[test]
fn string_filters_select_exactly_what_core_matches() {
    let count = string_filters().len() + typed_filters().len();
    assert!(count >= 60, "{count} filters");
    assert_exact(&fixture(), &string_filters());
}

#[test]
fn typed_and_structural_filters_select_exactly_what_core_matches() {
    let fx = fixture();
    assert_exact(&fx, &typed_filters());
    // Unknown attributes under lenient compilation become constants.
    assert!(fx.check_filter(r#"favouriteColour eq "blue""#, true, false));
    assert!(fx.check_filter(r#"favouriteColour ne "blue" and title pr"#, true, false));
}

#[test]
fn orderings_against_non_ascii_literals_are_supersets_rechecked_in_core() {
    let fx = fixture();
    for text in [
        r#"userName gt "é""#,
        r#"userName le "ö""#,
        r#"not (userName ge "ж")"#,
        r#"title lt "ωmega" and active eq true"#,
    ] {
        assert!(
            !fx.check_filter(text, false, false),
            "{text} should be a superset"
        );
    }
}

#[test]
fn three_hundred_equalities_joined_by_or_fit_one_parameter() {
    let fx = fixture();
    // Greek sigmas lowercase differently in unique_key (final ς): those go through the JSON.
    let names: Vec<String> = fx
        .users
        .iter()
        .filter_map(|u| u["userName"].as_str())
        .filter(|n| !n.contains(['Σ', 'σ', 'ς']))
        .take(300)
        .map(str::to_uppercase)
        .collect();
    assert_eq!(names.len(), 300);
    let text = names
        .iter()
        .map(|n| format!("userName eq {}", Value::String(n.clone())))
        .collect::<Vec<_>>()
        .join(" or ");
    assert!(fx.check_filter(&text, false, true));
    let filter = fx.compile(&text, false);
    let sql = list_sql(
        TENANT,
        "User",
        &query(Some(&filter), None, 1, 10),
        &USER_COLUMNS,
    );
    assert_eq!(sql.rows.params.len(), 3, "tenant, type, one JSON array");
    let plan = fx.plan(&sql.rows);
    assert!(plan.contains("resources_unique_key"), "{plan}");
}

#[test]
fn long_mixed_or_chains_inline_literals_past_the_parameter_budget() {
    let fx = fixture();
    let text = (0..100)
        .map(|i| match i % 3 {
            0 => format!(r#"title co "{}""#, i % 17),
            1 => format!(r#"emails.value sw "{}""#, ["a", "B%", "_c"][i / 3 % 3]),
            _ => format!(r#"nickName ew "x'{i}""#),
        })
        // Past the budget: these are inlined as escaped literals.
        .chain(
            [
                r#"userName co "' OR 1=1 --""#,
                r#"name.familyName co "O'Malley""#,
                r#"userName ew "\\""#,
            ]
            .map(String::from),
        )
        .collect::<Vec<_>>()
        .join(" or ");
    assert!(fx.check_filter(&text, false, false));
    let filter = fx.compile(&text, false);
    let sql = list_sql(
        TENANT,
        "User",
        &query(Some(&filter), None, 1, 10),
        &USER_COLUMNS,
    );
    assert_eq!(sql.rows.params.len(), MAX_PARAMS);
    assert!(
        sql.rows.sql.contains("''' or 1=1 --'"),
        "inlined and escaped"
    );
}

#[test]
fn statements_too_large_fall_back_to_candidates() {
    let fx = fixture();
    let text = (0..100)
        .map(|i| format!(r#"{TEST_URN}:hired eq "2024-01-01T00:00:{:02}Z""#, i % 60))
        .collect::<Vec<_>>()
        .join(" or ");
    let filter = fx.compile(&text, false);
    let sql = list_sql(
        TENANT,
        "User",
        &query(Some(&filter), None, 1, 10),
        &USER_COLUMNS,
    );
    assert!(sql.page.is_none());
    assert_within_limits(&sql);
    assert_eq!(
        fx.ids(&sql.rows).len(),
        USERS,
        "every live User is a candidate"
    );
}

#[test]
fn hot_lookups_use_their_indexes() {
    let fx = fixture();
    for (text, index) in [
        (r#"userName eq "BJensen""#, "resources_unique_key"),
        (r#"externalId eq "Ext-5""#, "resources_external_id"),
        (r#"id eq "abc""#, "id=?"),
    ] {
        let filter = fx.compile(text, false);
        let sql = list_sql(
            TENANT,
            "User",
            &query(Some(&filter), None, 1, 10),
            &USER_COLUMNS,
        );
        let page = sql.page.unwrap_or_else(|| panic!("{text} is exact"));
        assert!(page.seek, "{text}");
        for s in [&page.count, page.records.as_ref().unwrap_or(&sql.rows)] {
            let plan = fx.plan(s);
            assert!(plan.contains(index), "{text}: {plan}\n{}", s.sql);
            assert!(!plan.contains("SCAN r"), "{text}: {plan}");
        }
    }
    let sql = list_sql(TENANT, "User", &query(None, None, 101, 100), &USER_COLUMNS);
    let page = sql.page.unwrap_or_else(|| panic!("a page"));
    assert!(!page.seek);
    let records = page.records.unwrap_or_else(|| panic!("records"));
    let plan = fx.plan(&records);
    assert!(plan.contains("resources_live_by_created"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    let count = fx.plan(&page.count);
    assert!(
        count.contains("USING COVERING INDEX resources_live_by_created"),
        "{count}"
    );
}

/// Asserts that a plan reads memberships by member, then each group by id: no walk over the
/// tenant's resources per record.
fn assert_indexed_groups(plan: &str) {
    assert!(!plan.contains("SCAN"), "{plan}");
    assert!(
        plan.contains("SEARCH m USING COVERING INDEX memberships_by_member"),
        "{plan}"
    );
    assert!(
        plan.contains("SEARCH g USING INDEX resources_by_id"),
        "{plan}"
    );
}

#[test]
fn a_record_with_its_groups_is_one_indexed_statement() {
    let fx = Fixture {
        registry: &corpus().registry,
        users: &[],
        db: corpus::database(&[]),
    };
    let (user, group) = ("u-with-groups", "g-of-user");
    let rows = [
        (user, "User", 0, "[\"user\"]"),
        (group, "Group", 0, "[\"group\"]"),
        ("g-deleted", "Group", 1, "[\"gone\"]"),
    ];
    for (id, rt, deleted, data) in rows {
        fx.db
            .execute(
                "INSERT INTO resources (tenant, resource_type, id, version, display, created, \
                 last_modified, deleted, data) VALUES (?1, ?2, ?3, 3, 'Ops', '', '', ?4, ?5)",
                rusqlite::params![TENANT, rt, id, deleted, data],
            )
            .unwrap_or_else(|e| panic!("insert: {e}"));
    }
    for (t, g) in [(TENANT, group), (TENANT, "g-deleted"), ("t2", group)] {
        fx.db
            .execute(
                "INSERT INTO memberships (tenant, group_id, member_id) VALUES (?1, ?2, ?3)",
                rusqlite::params![t, g, user],
            )
            .unwrap_or_else(|e| panic!("insert: {e}"));
    }
    let read = |rt: &str, id: &str| {
        let statement = Statement {
            sql: RECORD_WITH_GROUPS.into(),
            params: ["t1", rt, id]
                .iter()
                .map(|p| SqlValue::Text((*p).into()))
                .collect(),
        };
        (
            fx.column(&statement, 2),
            fx.column(&statement, 3),
            fx.plan(&statement),
        )
    };
    let (data, groups, plan) = read("User", user);
    assert_eq!(data, ["[\"user\"]"]);
    assert_eq!(groups, ["[[\"g-of-user\",\"Group\",\"Ops\"]]"]);
    assert_indexed_groups(&plan);
    let (_, groups, _) = read("User", group);
    assert!(groups.is_empty(), "a Group is not a User: {groups:?}");
    let (_, groups, _) = read("Group", group);
    assert_eq!(groups, ["[]"]);
    let filter = fx.compile(&format!("id eq \"{user}\""), false);
    let q = query(Some(&filter), None, 1, 10);
    let page = |columns: &IndexColumns<'_>| {
        let sql = list_sql(TENANT, "User", &q, columns);
        sql.page
            .and_then(|p| p.records)
            .unwrap_or_else(|| panic!("a page"))
    };
    let records = page(&USER_COLUMNS);
    assert_eq!(
        fx.column(&records, 3),
        ["[[\"g-of-user\",\"Group\",\"Ops\"]]"]
    );
    assert_indexed_groups(&fx.plan(&records));
    let spec = fx.sort_spec("name.familyName", SortOrder::Ascending);
    let sorted = list_sql(
        TENANT,
        "User",
        &query(None, Some(&spec), 1, 10),
        &USER_COLUMNS,
    );
    let sorted = sorted.page.and_then(|p| p.records);
    assert_indexed_groups(&fx.plan(&sorted.unwrap_or_else(|| panic!("a page"))));
    let plain = page(&IndexColumns {
        groups: false,
        ..USER_COLUMNS
    });
    assert!(!plain.sql.contains("memberships"), "{}", plain.sql);
}

#[test]
fn group_display_name_is_not_pushed_to_unique_key_unless_configured() {
    let fx = fixture();
    let reg = &fx.registry;
    let groups = reg
        .resource_type("Group")
        .cloned()
        .unwrap_or_else(|| panic!("Group"));
    let parsed = parse_filter(r#"displayName eq "x""#, ParseOptions::STRICT)
        .unwrap_or_else(|e| panic!("{e}"));
    let filter =
        compile(&parsed, reg, &groups, CompileOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let q = query(Some(&filter), None, 1, 10);
    let plain = list_sql(TENANT, "Group", &q, &IndexColumns::default());
    assert!(!plain.rows.sql.contains("unique_key"));
    let unique = IndexColumns {
        unique_key: Some("displayName"),
        ..IndexColumns::default()
    };
    assert!(list_sql(TENANT, "Group", &q, &unique)
        .rows
        .sql
        .contains("r.unique_key = ?3"));
}

/// Core's answer: matches in the default order, sorted, then the page.
fn core_page(
    fx: &Fixture,
    filter: Option<&CompiledFilter>,
    spec: Option<&SortSpec>,
    start: usize,
    count: usize,
) -> (usize, Vec<String>) {
    let mut matches: Vec<&Value> = fx
        .users
        .iter()
        .filter(|u| filter.is_none_or(|f| f.matches(u)))
        .collect();
    matches.sort_by(|a, b| {
        let created = |u: &Value| {
            u["meta"]["created"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        created(a)
            .cmp(&created(b))
            .then_with(|| id_of(a).cmp(&id_of(b)))
    });
    if let Some(spec) = spec {
        sort(&mut matches, spec);
    }
    let total = matches.len();
    let page = crate::query::page::Page {
        start_index: start,
        count,
    };
    (
        total,
        matches[page.slice(total)]
            .iter()
            .map(|u| id_of(u))
            .collect(),
    )
}

/// Checks one sorted page; returns the `resort` flag.
fn check_page(
    fx: &Fixture,
    filter: Option<&str>,
    sort_by: Option<(&str, SortOrder)>,
    start: usize,
    count: usize,
) -> bool {
    let filter = filter.map(|t| fx.compile(t, false));
    let spec = sort_by.map(|(path, order)| fx.sort_spec(path, order));
    let (total, expected) = core_page(fx, filter.as_ref(), spec.as_ref(), start, count);
    let sql = list_sql(
        TENANT,
        "User",
        &query(filter.as_ref(), spec.as_ref(), start, count),
        &USER_COLUMNS,
    );
    assert_within_limits(&sql);
    let page = sql.page.unwrap_or_else(|| panic!("exact filter"));
    let (sql_total, resort) = fx.count(&page.count);
    assert_eq!(sql_total, total);
    let records = page.records.unwrap_or_else(|| panic!("count {count} > 0"));
    let ids = fx.ids(&records);
    let what = format!("{filter:?} {sort_by:?} {start} {count}\n{}", records.sql);
    if resort == 0 {
        assert_eq!(ids, expected, "{what}");
    } else {
        assert_eq!(ids.len(), expected.len(), "{what}");
    }
    resort != 0
}

#[test]
fn sorted_pages_equal_core_sorting() {
    use SortOrder::{Ascending as Asc, Descending as Desc};
    let fx = fixture();
    let exact_orders = [
        ("meta.created", Asc),
        ("meta.lastModified", Desc),
        ("externalId", Asc),
        ("externalId", Desc),
        ("active", Asc),
        ("emails.primary", Desc),
        (&*format!("{TEST_URN}:hired"), Asc),
        (&*format!("{TEST_URN}:hired"), Desc),
        (&*format!("{TEST_URN}:shifts"), Asc),
        (&*format!("{TEST_URN}:score"), Asc),
        (&*format!("{TEST_URN}:level"), Desc),
        (&*format!("{TEST_URN}:vip"), Desc),
        (&*format!("{TEST_URN}:badge"), Asc),
    ]
    .map(|(p, o)| (p.to_string(), o));
    let pages = [(1, 7), (1990, 50), (37, 100), (5000, 5)];
    for ((path, order), (start, count)) in exact_orders.iter().zip(pages.iter().cycle()) {
        assert!(
            !check_page(&fx, None, Some((path, *order)), *start, *count),
            "{path}"
        );
    }
    // Case-insensitive text: exact when no value has cased non-ASCII characters…
    let ascii = Some(
        r#"userName sw "a" and not (userName co "ü") and not (userName co "í") and not (emails co "ä")"#,
    );
    for (path, order) in [
        ("userName", Asc),
        ("userName", Desc),
        ("emails", Asc),
        ("emails.type", Desc),
    ] {
        assert!(
            !check_page(&fx, ascii, Some((path, order)), 1, 40),
            "{path}"
        );
    }
    // …else flagged for core to sort.
    assert!(check_page(&fx, None, Some(("userName", Asc)), 1, 20));
    assert!(check_page(
        &fx,
        None,
        Some(("name.familyName", Desc)),
        5,
        20
    ));
    // Default order, with and without a filter.
    for (start, count) in [(11, 10), (1995, 10)] {
        assert!(!check_page(&fx, None, None, start, count));
        assert!(!check_page(&fx, Some("emails pr"), None, start, count));
    }
}

#[test]
fn count_zero_asks_only_for_the_total() {
    let fx = fixture();
    let filter = fx.compile("title pr", false);
    let sql = list_sql(
        TENANT,
        "User",
        &query(Some(&filter), None, 1, 0),
        &USER_COLUMNS,
    );
    let page = sql.page.unwrap_or_else(|| panic!("exact"));
    assert!(page.records.is_none());
    assert_eq!(fx.count(&page.count), (fx.expected(&filter).len(), 0));
}
