//! SQL push-down: list queries (filter, sort, page) as parameterized SQLite statements, so a
//! D1 store answers them without loading every resource.
//!
//! # The table layout
//!
//! This is THE layout the statements run against (the Worker's D1 migration creates it):
//!
//! ```sql
//! CREATE TABLE resources (
//!   tenant        TEXT    NOT NULL,
//!   resource_type TEXT    NOT NULL,  -- resource type id: User, Group, ...
//!   id            TEXT    NOT NULL,
//!   version       INTEGER NOT NULL,
//!   unique_key    TEXT,              -- Index::unique_key: the unique attribute's value,
//!                                    -- Unicode-lowercased (str::to_lowercase) unless caseExact
//!   external_id   TEXT,              -- Index::external_id: externalId exactly as stored
//!   display       TEXT,
//!   created       TEXT    NOT NULL,  -- meta.created, fixed-width UTC text (sorts as time)
//!   last_modified TEXT    NOT NULL,
//!   deleted       INTEGER NOT NULL DEFAULT 0,
//!   data          TEXT    NOT NULL,  -- the JSON document, canonical attribute names
//!   PRIMARY KEY (tenant, resource_type, id)
//! );
//! CREATE UNIQUE INDEX resources_unique_key
//!   ON resources (tenant, resource_type, unique_key) WHERE unique_key IS NOT NULL;
//! CREATE INDEX resources_external_id
//!   ON resources (tenant, resource_type, external_id) WHERE external_id IS NOT NULL;
//! CREATE INDEX resources_live_by_created
//!   ON resources (tenant, resource_type, deleted, created, id);
//! CREATE TABLE memberships (tenant TEXT, group_id TEXT, member_id TEXT, ...);
//! ```
//!
//! No extra column is needed: the default order `created, id` uses the fixed-width `created`
//! text and its index, which also holds `deleted`, so counting the live resources of a type
//! and skipping rows for `OFFSET` read no table row. The statements name the indexes `resources_unique_key` and
//! `resources_external_id` (`INDEXED BY`, see below), so the migration must keep these names.
//! SQLite 3.38 or later (JSON1 built in) is assumed; D1 has it.
//!
//! # Running a list query
//!
//! [`list_sql`] returns statements whose parameters bind in order to `?1`, `?2`, …: `?1` is
//! the tenant, `?2` the resource type, at most [`MAX_PARAMS`] in all, each statement below
//! [`MAX_STATEMENT_BYTES`]. Record rows have the columns `id`, `version`, `data`, and the
//! page's records also `groups` when [`IndexColumns::groups`] asks for it.
//!
//! ```text
//! match sql.page {
//!     None => Listing::Candidates(run(sql.rows)),        // filter only approximated in SQL
//!     Some(page) => {
//!         // one D1 batch: [page.count, page.records (if any)]
//!         let (total, resort) = first row of page.count;
//!         if resort == 0 { Listing::Page { total, records } }   // filter, order, page done
//!         else { Listing::Matches(run(sql.rows)) }              // core sorts and pages
//!     }
//! }
//! ```
//!
//! A first page that holds fewer records than asked for holds every match, so its length is
//! the total: when [`PageSql::seek`] says the filter is an indexed lookup (likely one match),
//! a store may run `page.records` alone (without `sortBy`, whose order may need core) and
//! count only when the page comes back full.
//!
//! `userName eq "x"` (the attribute of [`IndexColumns::unique_key`]) becomes
//! `r.unique_key = ?3`, `externalId eq` becomes `r.external_id = ?3` and `id eq` becomes
//! `r.id = ?3`: one indexed lookup. When such an equality is a top-level conjunct, the
//! statement names its index (`INDEXED BY`): without statistics SQLite may otherwise walk the
//! `created` index to save a sort, or scan rather than probe an `IN` list. A chain of `eq` on
//! one attribute joined by `or` becomes `… IN (SELECT value FROM json_each(?3))` with one
//! JSON-array parameter, so 300 terms take one parameter. Literals past the parameter budget
//! are inlined as escaped SQL literals; a statement that would still be too large falls back
//! to candidates.
//!
//! # Semantics
//!
//! The SQL selects exactly what [`eval`](crate::query::eval) matches, on documents whose
//! values have the JSON types their schema declares (what validation stores; `null`, missing
//! attributes, empty strings, arrays and objects included). Rule by rule:
//!
//! - Values are read with `json_extract`; multi-valued attributes with `json_each` in an
//!   `EXISTS` sub-select (any value matches); a value path `attr[filter]` needs one element to
//!   satisfy the whole inner filter. Paths are built from schema names, each quoted
//!   (`$."urn:…:User"."employeeNumber"`); a name that cannot be quoted makes the condition
//!   unknown (see below). User input never enters SQL text except as a bound parameter or
//!   an escaped literal.
//! - Case-insensitive strings: SQLite's `lower()` folds ASCII only (no ICU extension, as in
//!   D1), so the stored value also goes through `replace()` for each non-ASCII character
//!   whose lowercase form shares a character with the literal (`Ä`→`ä` for a literal
//!   holding `ä`, KELVIN SIGN→`k` for one holding `k`). Any other cased character can take
//!   part in no match of the literal, in SQL as in core, so `eq`, `co`, `sw`, `ew` are exact,
//!   and so are `gt`/`ge`/`lt`/`le` against ASCII literals. Against a non-ASCII literal an
//!   ordering is exact only for values without cased non-ASCII characters: the condition
//!   becomes inexact (below).
//! - `co`, `sw`, `ew` use `instr()` and byte `substr()`: `%`, `_` and `\` are plain
//!   characters, and D1's 50-byte `LIKE` pattern limit does not apply.
//! - `pr` is a `json_tree` search for a non-null, non-empty scalar (so `null`, `""`, `[]`, `{}`
//!   and containers of only those are absent).
//! - `ne` is `NOT` of `eq` (a missing attribute is `ne` anything); `not` treats an unknown
//!   (NULL) comparison as false, as a WHERE clause does.
//! - dateTime values compare as instants through a fixed-width text key computed in SQL from
//!   the stored text, accepting exactly what [`Instant::parse`](crate::query::Instant) accepts
//!   (offsets, fractions of any length, nanosecond precision): exact. `meta.created` and
//!   `meta.lastModified` compare (and sort) on the `created`/`last_modified` columns instead,
//!   which the store contract defines as those values in fixed-width UTC text: no JSON is
//!   read, and a literal between two milliseconds is compared with the right neighbour.
//! - Numbers compare numerically, booleans as JSON `true`/`false` (and the strings
//!   `"true"`/`"false"`, any case). Integers beyond 2⁵³ are inlined, not bound, as JavaScript
//!   numbers would round them.
//! - When a condition cannot be made exact, the translation keeps two bounds: a superset and
//!   a subset of the matches (`not` swaps them, so a negated superset never loses matches).
//!   The statements then use the superset and [`ListSql::page`] is `None`: the service
//!   re-checks each candidate in core.
//!
//! # Sort
//!
//! `ORDER BY` follows [`sort`](mod@crate::query::sort): the primary (else first) value of a
//! multi-valued attribute; booleans, then numbers, then date-times (by instant), then text;
//! resources without a value last ascending and first descending; case-insensitive text by its
//! lowercase form; ties in the default order `created, id`. Text keys with cased non-ASCII
//! characters may order differently than core's Unicode lowercasing: the count statement's
//! `resort` column then says so and the service sorts in core.
//!
//! Known differences, all on data validation never stores: a value of another JSON type than
//! its attribute's (a number in a string attribute, a string in an integer one) compares by
//! its SQL value instead of matching nothing; an array where a single value is expected is
//! not searched element by element; containers nested four levels deep inside one attribute
//! value count as absent when they hold only empty values. Integers beyond 2⁵³ compared with
//! decimals follow SQLite's exact comparison, and in sorting `-0.0` ties with `0`.

mod filter;
mod instant;
mod order;
mod record;
mod text;

pub use record::RECORD_WITH_GROUPS;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::service::store::ListQuery;
use filter::{Cond, Translator};

/// Most parameters a statement binds (D1's limit).
pub const MAX_PARAMS: usize = 100;

/// Largest statement text, in bytes (D1 rejects statements of 100 KB and more).
pub const MAX_STATEMENT_BYTES: usize = 100_000;

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// A text value.
    Text(String),
    /// An integer within ±(2⁵³ − 1), so it crosses JavaScript unchanged.
    Integer(i64),
    /// A real number.
    Real(f64),
}

/// One SQL statement; its parameters bind in order to `?1`, `?2`, ….
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// The parameters.
    pub params: Vec<SqlValue>,
}

/// What the index columns of the resource type hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexColumns<'a> {
    /// The canonical name of the top-level attribute whose value `unique_key` holds
    /// (`userName` for Users, `displayName` for Groups when unique), if any.
    pub unique_key: Option<&'a str>,
    /// The page's records also carry their memberships (column `groups`, as in
    /// [`RECORD_WITH_GROUPS`]): for resource types with a computed `groups` attribute, so
    /// rendering a page takes no second round trip.
    pub groups: bool,
}

/// The statements of a page, when SQL applies the filter exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSql {
    /// One row: `total` (number of matches) and `resort` (1 when the order of `records` may
    /// differ from core's, so the service must sort: return [`ListSql::rows`] as matches).
    pub count: Statement,
    /// The requested page in order (`id`, `version`, `data`, and `groups` when
    /// [`IndexColumns::groups`]); `None` when no result is asked for (`count` = 0).
    pub records: Option<Statement>,
    /// The filter is an indexed lookup of `userName`, `externalId` or `id` (usually one match):
    /// a first page holding fewer records than asked for gives the total without `count`.
    pub seek: bool,
}

/// The statements answering one [`ListQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListSql {
    /// Every row the filter selects, in no particular order (`id`, `version`, `data`): exactly
    /// the matches when [`ListSql::page`] is `Some`, else a superset (candidates).
    pub rows: Statement,
    /// The page statements; `None` when the filter could only be approximated.
    pub page: Option<PageSql>,
}

/// The statements listing the resources of `resource_type` in `tenant` for `query`.
pub fn list_sql(
    tenant: &str,
    resource_type: &str,
    query: &ListQuery<'_>,
    columns: &IndexColumns<'_>,
) -> ListSql {
    let built = build(tenant, resource_type, query, columns, true);
    let too_big = core::iter::once(&built.rows)
        .chain(
            built
                .page
                .iter()
                .flat_map(|p| core::iter::once(&p.count).chain(&p.records)),
        )
        .any(|s| s.sql.len() >= MAX_STATEMENT_BYTES);
    if too_big {
        build(tenant, resource_type, query, columns, false)
    } else {
        built
    }
}

/// The statements of `query`; with `filtered` false the filter is left to the service.
fn build(
    tenant: &str,
    resource_type: &str,
    query: &ListQuery<'_>,
    columns: &IndexColumns<'_>,
    filtered: bool,
) -> ListSql {
    let params = alloc::vec![
        SqlValue::Text(tenant.to_string()),
        SqlValue::Text(resource_type.to_string()),
    ];
    let mut translator = Translator::new(params, columns.unique_key);
    let cond = match (query.filter, filtered) {
        (Some(f), true) => translator.filter(f.root()),
        (Some(_), false) => Cond::Range {
            upper: "1".into(),
            lower: "0".into(),
        },
        (None, _) => Cond::Exact("1".into()),
    };
    let hint = match (query.filter, filtered) {
        (Some(f), true) => translator
            .seek_index(f.root())
            .map_or(String::new(), |index| format!(" INDEXED BY {index}")),
        _ => String::new(),
    };
    let seek = match (query.filter, filtered) {
        (Some(f), true) => translator.seek_column(f.root()).is_some(),
        _ => false,
    };
    let params = translator.params;
    let from = format!(
        "FROM resources AS r{hint} WHERE r.tenant = ?1 AND r.resource_type = ?2 \
         AND r.deleted = 0 AND ({})",
        cond.upper()
    );
    let statement = |sql: String| Statement {
        sql,
        params: params.clone(),
    };
    let rows = statement(format!("SELECT r.id, r.version, r.data {from}"));
    if !cond.is_exact() {
        return ListSql { rows, page: None };
    }
    let groups = if columns.groups {
        format!(", {}", record::GROUPS_COLUMN)
    } else {
        String::new()
    };
    let records = (query.count > 0).then(|| {
        let ord = order::order(query.sort);
        let limit = i64::try_from(query.count).unwrap_or(i64::MAX);
        let offset = i64::try_from(query.start_index.saturating_sub(1)).unwrap_or(i64::MAX);
        (
            statement(format!(
                "SELECT r.id, r.version, r.data{groups} {from} ORDER BY {} \
                 LIMIT {limit} OFFSET {offset}",
                ord.by
            )),
            ord.resort,
        )
    });
    let resort = records.as_ref().map_or("0", |(_, r)| r.as_str());
    let count = statement(format!(
        "SELECT count(*) AS total, {resort} AS resort {from}"
    ));
    ListSql {
        rows,
        page: Some(PageSql {
            seek,
            count,
            records: records.map(|(s, _)| s),
        }),
    }
}

#[cfg(test)]
mod tests;
