//! `D1Store`: core's [`Store`] over Cloudflare D1, for one tenant (schema in `migrations/`).
//!
//! Each write is one D1 batch, which D1 runs as one transaction: the resource row and its
//! memberships change together or not at all. Compare-and-swap is the `UPDATE`/`DELETE`
//! condition `version = expected`; membership statements in the same batch run only if that
//! write happened, recognised by the random `write_id` it stored. Uniqueness is SQLite's unique
//! index on `(tenant, resource_type, unique_key)`. Every write batch also increments the
//! tenant's write counter of the resource type (`write_counts`).
//!
//! Round trips: reading a resource is one statement that also returns its memberships
//! ([`RECORD_WITH_GROUPS`]); a page is one batch (write counter, count, records with their
//! memberships), or for an indexed lookup (`userName eq`) one statement, the records alone,
//! when they do not fill the first page. [`Store::groups_of`] then answers from what the request read.
//!
//! Listing runs core's SQL translation ([`list_sql`]): filter, order and page in SQLite when the
//! translation is exact, candidates for the service to finish otherwise. A statement D1 refuses
//! is an error, never hidden behind a full scan. Totals of 100 matches or more are kept per
//! isolate with the write counter they were counted at; while the counter has not moved (read
//! in the same batch as the page), the kept total is exact and the count is not run again.

use std::cell::RefCell;
use std::collections::BTreeMap;

use scim_core::query::sql::RECORD_WITH_GROUPS;
use scim_core::query::{list_sql, IndexColumns, PageSql, SqlValue, Statement};
use scim_core::schema::{AttrType, Registry, Uniqueness, GROUP_URN};
use scim_core::service::{
    Index, ListQuery, Listing, Membership, Record, ResourceRef, ServiceConfig, Store, StoreError,
};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::crypto::random_id;

/// What the store needs to know of each resource type, by resource type id.
pub type UniqueColumns = BTreeMap<String, TypeColumns>;

/// What the store needs to know of one resource type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeColumns {
    /// The canonical name of the attribute whose value `unique_key` holds, if any.
    pub unique_key: Option<String>,
    /// Its resources have the computed `groups` attribute: pages read memberships too.
    pub groups: bool,
}

/// Per resource type: the attribute whose value the service stores as `unique_key` (a Group's
/// `displayName` when configured unique, else the first single-valued string attribute of the
/// core schema with a uniqueness other than `none`: the service's own rule), and whether its
/// resources carry `groups`.
pub fn unique_columns(registry: &Registry, config: &ServiceConfig) -> UniqueColumns {
    registry
        .resource_types()
        .iter()
        .filter_map(|rt| {
            let schema = registry.schema(&rt.schema)?;
            let attr = if schema.id.eq_ignore_ascii_case(GROUP_URN)
                && config.group_display_name_unique
            {
                schema.attribute("displayName")
            } else {
                schema.attributes.iter().find(|a| {
                    a.uniqueness != Uniqueness::None && a.ty == AttrType::String && !a.multi_valued
                })
            };
            let columns = TypeColumns {
                unique_key: attr.map(|a| a.name.clone()),
                groups: schema.attribute("groups").is_some(),
            };
            (columns != TypeColumns::default()).then(|| (rt.id.clone(), columns))
        })
        .collect()
}

/// The resources of one tenant in D1.
///
/// A store lives for one request. Records are read with their memberships (in the same
/// statement), which [`Store::groups_of`] then answers from without a round trip, until a
/// write that may change them (see [`ReadGroups::forget`]).
pub struct D1Store<'a> {
    db: D1Database,
    tenant: &'a str,
    unique: &'a UniqueColumns,
    /// The memberships read with their members in this request.
    read_groups: ReadGroups,
}

/// Direct memberships read with their members during one request: member id → groups.
#[derive(Default)]
struct ReadGroups(RefCell<BTreeMap<String, Vec<ResourceRef>>>);

impl ReadGroups {
    /// Keeps the memberships of `member_id`, read with it.
    fn remember(&self, member_id: &str, groups: &[Membership]) {
        let refs = groups.iter().map(|m| m.group.clone()).collect();
        self.0.borrow_mut().insert(member_id.to_owned(), refs);
    }

    /// Forgets what a write of `id` may have changed. A write replaces the memberships of
    /// group `id` (members it no longer has, or all when it is gone: the lists naming `id`)
    /// and adds those of `members` (any list); `gone` (a delete) also forgets `id`'s own,
    /// which the service then reads afresh to unlink it.
    fn forget(&self, id: &str, members: bool, gone: bool) {
        let mut read = self.0.borrow_mut();
        if members {
            read.clear();
            return;
        }
        read.retain(|_, groups| groups.iter().all(|g| g.id != id));
        if gone {
            read.remove(id);
        }
    }

    /// The memberships of `member_ids` as read with them, if all were.
    fn remembered(&self, member_ids: &[&str]) -> Option<Vec<Membership>> {
        let read = self.0.borrow();
        let mut out = Vec::new();
        for &member in member_ids {
            let groups = read.get(member)?;
            out.extend(groups.iter().map(|g| Membership {
                member_id: member.to_owned(),
                group: g.clone(),
            }));
        }
        Some(out)
    }
}

impl<'a> D1Store<'a> {
    /// The store of `tenant` in database `db`; `unique` says what `unique_key` holds.
    pub fn new(db: D1Database, tenant: &'a str, unique: &'a UniqueColumns) -> D1Store<'a> {
        D1Store {
            db,
            tenant,
            unique,
            read_groups: ReadGroups::default(),
        }
    }

    fn tenant(&self) -> JsValue {
        self.tenant.into()
    }

    /// A statement of core's SQL translation, with its parameters bound.
    fn translated(&self, statement: &Statement) -> Result<D1PreparedStatement, StoreError> {
        let params: Vec<JsValue> = statement
            .params
            .iter()
            .map(|p| match p {
                SqlValue::Text(t) => JsValue::from(t.as_str()),
                SqlValue::Integer(i) => JsValue::from(*i as f64),
                SqlValue::Real(r) => JsValue::from(*r),
            })
            .collect();
        self.statement(&statement.sql, &params)
    }

    async fn run(&self, statement: &Statement) -> Result<Vec<Record>, StoreError> {
        let rows: Vec<RecordRow> = self
            .translated(statement)?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        rows.into_iter().map(RecordRow::into_record).collect()
    }

    fn statement(&self, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement, StoreError> {
        self.db.prepare(sql).bind(args).map_err(backend)
    }

    async fn batch(
        &self,
        statements: Vec<D1PreparedStatement>,
    ) -> Result<Vec<D1Result>, StoreError> {
        self.db.batch(statements).await.map_err(write_error)
    }

    /// Why a conditional write changed nothing: the record is gone, or has another version.
    async fn miss(&self, resource_type: &str, id: &str) -> StoreError {
        let sql = "SELECT version FROM resources \
                   WHERE tenant = ?1 AND resource_type = ?2 AND id = ?3 AND deleted = 0";
        let args = [self.tenant(), resource_type.into(), id.into()];
        let statement = match self.statement(sql, &args) {
            Ok(s) => s,
            Err(e) => return e,
        };
        match statement.first::<f64>(Some("version")).await {
            Ok(Some(_)) => StoreError::VersionMismatch,
            Ok(None) => StoreError::NotFound,
            Err(e) => backend(e),
        }
    }

    /// The statement adding `members` of group `id`, if the write `write_id` happened (or
    /// unconditionally without one).
    fn add_members(
        &self,
        resource_type: &str,
        id: &str,
        members: &[String],
        write_id: Option<&str>,
    ) -> Result<D1PreparedStatement, StoreError> {
        let ids = serde_json::to_string(members).map_err(backend)?;
        self.statement(
            "INSERT OR IGNORE INTO memberships (tenant, group_id, member_id) \
             SELECT DISTINCT ?1, ?2, value FROM json_each(?3) WHERE ?4 IS NULL OR EXISTS \
             (SELECT 1 FROM resources WHERE tenant = ?1 AND resource_type = ?5 AND id = ?2 \
              AND write_id = ?4)",
            &[
                self.tenant(),
                id.into(),
                ids.into(),
                optional(write_id),
                resource_type.into(),
            ],
        )
    }

    /// One batch reading the write counter of `resource_type`, the count of `page` (if
    /// `count`) and its records: (write counter, count row, record rows), one snapshot.
    async fn page_batch(
        &self,
        resource_type: &str,
        page: &PageSql,
        count: bool,
    ) -> Result<(f64, Option<Count>, Vec<RecordRow>), StoreError> {
        let mut statements =
            vec![self.statement(READ_WRITES, &[self.tenant(), resource_type.into()])?];
        if count {
            statements.push(self.translated(&page.count)?);
        }
        if let Some(records) = &page.records {
            statements.push(self.translated(records)?);
        }
        let results = self.db.batch(statements).await.map_err(backend)?;
        let mut results = results.iter();
        let writes = match results.next() {
            Some(r) => r.results::<Writes>().map_err(backend)?,
            None => Vec::new(),
        };
        let writes = writes.first().map_or(0.0, |w| w.writes);
        let counted = if count {
            let rows = match results.next() {
                Some(r) => r.results::<Count>().map_err(backend)?,
                None => Vec::new(),
            };
            Some(rows.into_iter().next().ok_or_else(no_count_row)?)
        } else {
            None
        };
        let rows = match results.next() {
            Some(r) => r.results::<RecordRow>().map_err(backend)?,
            None => Vec::new(),
        };
        Ok((writes, counted, rows))
    }

    /// The statement incrementing the write counter of `resource_type`.
    fn bump_writes(&self, resource_type: &str) -> Result<D1PreparedStatement, StoreError> {
        self.statement(BUMP_WRITES, &[self.tenant(), resource_type.into()])
    }

    /// The listing from core's SQL translation of `query`.
    async fn translated_list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        let known = self.unique.get(resource_type);
        let columns = IndexColumns {
            unique_key: known.and_then(|c| c.unique_key.as_deref()),
            groups: known.is_some_and(|c| c.groups),
        };
        let sql = list_sql(self.tenant, resource_type, query, &columns);
        let Some(page) = sql.page else {
            return Ok(Listing::Candidates(self.run(&sql.rows).await?));
        };
        // An indexed lookup (`userName eq`, ...): a first page that is not full is every match.
        if let (true, None, Some(records)) = (
            page.seek && query.start_index <= 1,
            query.sort,
            &page.records,
        ) {
            let rows: Vec<RecordRow> = self
                .translated(records)?
                .all()
                .await
                .map_err(backend)?
                .results()
                .map_err(backend)?;
            if rows.len() < query.count {
                let total = rows.len();
                let records = self.records(rows)?;
                return Ok(Listing::Page { total, records });
            }
        }
        let key = count_key(&page.count);
        let cached = key.as_deref().and_then(cached_count);
        let (writes, counted, rows) = self
            .page_batch(resource_type, &page, cached.is_none())
            .await?;
        let (count, rows) = match (counted, cached) {
            (Some(count), _) => {
                remember_count(key, writes, count);
                (count, rows)
            }
            (None, Some((at, count))) if at == writes => (count, rows),
            // Written since it was counted: count again, with the page, in one snapshot.
            (None, _) => {
                let (writes, counted, rows) = self.page_batch(resource_type, &page, true).await?;
                let count = counted.ok_or_else(no_count_row)?;
                remember_count(key, writes, count);
                (count, rows)
            }
        };
        if count.resort != 0.0 {
            return Ok(Listing::Matches(self.run(&sql.rows).await?));
        }
        Ok(Listing::Page {
            total: count.total as usize,
            records: self.records(rows)?,
        })
    }

    /// The records of `rows`, keeping the memberships read with them.
    fn records(&self, rows: Vec<RecordRow>) -> Result<Vec<Record>, StoreError> {
        rows.into_iter()
            .map(|row| {
                let (record, groups) = row.split()?;
                if let Some(groups) = groups {
                    self.read_groups.remember(&record.id, &groups);
                }
                Ok(record)
            })
            .collect()
    }
}

/// The count row of a page: the number of matches, and whether core must sort them.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq)]
struct Count {
    total: f64,
    resort: f64,
}

/// The write counter row of a tenant's resource type (`migrations/0004_write_counts.sql`).
#[derive(Deserialize)]
struct Writes {
    writes: f64,
}

/// Reads the write counter of a resource type (no row: never written, 0).
const READ_WRITES: &str =
    "SELECT writes FROM write_counts WHERE tenant = ?1 AND resource_type = ?2";

/// Increments the write counter of a resource type; part of every write batch.
const BUMP_WRITES: &str = "INSERT INTO write_counts (tenant, resource_type, writes) \
     VALUES (?1, ?2, 1) ON CONFLICT (tenant, resource_type) DO UPDATE SET writes = writes + 1";

/// Totals below this are counted each time (cheap); from it on they are kept per isolate.
const KEPT_COUNT_MIN_TOTAL: f64 = 100.0;
/// Most totals kept per isolate (all are dropped when full).
const KEPT_COUNTS: usize = 64;
/// Longest count statement (text and parameters) whose total is kept.
const KEPT_COUNT_KEY_BYTES: usize = 8192;

thread_local! {
    /// Totals of costly count statements: key → (write counter when counted, count row).
    static COUNTS: RefCell<BTreeMap<String, (f64, Count)>> = const { RefCell::new(BTreeMap::new()) };
}

/// The key under which the total of the count statement `count` is kept (its text and its
/// parameters, which include the tenant and resource type), if short enough.
fn count_key(count: &Statement) -> Option<String> {
    let mut key = count.sql.clone();
    for p in &count.params {
        key.push('\n');
        key.push_str(&format!("{p:?}"));
    }
    (key.len() <= KEPT_COUNT_KEY_BYTES).then_some(key)
}

/// The kept total of `key`, with the write counter it was counted at.
fn cached_count(key: &str) -> Option<(f64, Count)> {
    COUNTS.with(|c| c.borrow().get(key).copied())
}

/// Keeps `count` of `key`, counted at write counter `writes`, when it was costly.
fn remember_count(key: Option<String>, writes: f64, count: Count) {
    let Some(key) = key.filter(|_| count.total >= KEPT_COUNT_MIN_TOTAL) else {
        return;
    };
    COUNTS.with(|c| {
        let mut counts = c.borrow_mut();
        if counts.len() >= KEPT_COUNTS && !counts.contains_key(&key) {
            counts.clear();
        }
        counts.insert(key, (writes, count));
    });
}

fn no_count_row() -> StoreError {
    StoreError::Backend("the count query returned no row".into())
}

/// A row holding a whole record, and with [`RECORD_WITH_GROUPS`] or
/// [`IndexColumns::groups`] its memberships.
#[derive(Deserialize)]
struct RecordRow {
    id: String,
    version: f64,
    data: String,
    #[serde(default)]
    groups: Option<String>,
}

impl RecordRow {
    fn into_record(self) -> Result<Record, StoreError> {
        Ok(Record {
            id: self.id,
            version: self.version as u64,
            data: serde_json::from_str(&self.data).map_err(backend)?,
        })
    }

    /// The record, and its memberships when the row has them.
    fn split(mut self) -> Result<(Record, Option<Vec<Membership>>), StoreError> {
        let groups = self.groups.take();
        let record = self.into_record()?;
        let Some(groups) = groups else {
            return Ok((record, None));
        };
        let groups: Vec<(String, String, Option<String>)> =
            serde_json::from_str(&groups).map_err(backend)?;
        let memberships = groups
            .into_iter()
            .map(|(id, resource_type, display)| Membership {
                member_id: record.id.clone(),
                group: ResourceRef {
                    id,
                    resource_type,
                    display,
                },
            })
            .collect();
        Ok((record, Some(memberships)))
    }
}

/// A row naming a resource (and, for memberships, the member).
#[derive(Deserialize)]
struct RefRow {
    #[serde(default)]
    member_id: Option<String>,
    id: String,
    resource_type: String,
    display: Option<String>,
}

impl RefRow {
    fn into_ref(self) -> ResourceRef {
        ResourceRef {
            id: self.id,
            resource_type: self.resource_type,
            display: self.display,
        }
    }
}

/// The gist of a runtime error for clients: the first line of the JavaScript error message
/// (no stack trace, no Rust debug output).
fn gist(text: &str) -> String {
    let message = text.split_once("Error: ").map_or(text, |(_, rest)| rest);
    message.lines().next().unwrap_or_default().trim().to_owned()
}

/// A backend failure: logged in full, reported by its gist.
fn backend(e: impl core::fmt::Display) -> StoreError {
    let text = e.to_string();
    worker::console_error!("D1 failure: {text}");
    StoreError::Backend(gist(&text))
}

/// A failed write: SQLite's uniqueness errors become `Duplicate` (the unique key) or `IdTaken`
/// (the primary key); anything else is a backend failure.
fn write_error(e: worker::Error) -> StoreError {
    let text = e.to_string();
    let error = classify_write_error(&text);
    if matches!(error, StoreError::Backend(_)) {
        worker::console_error!("D1 write failure: {text}");
    }
    error
}

fn classify_write_error(message: &str) -> StoreError {
    if message.contains("UNIQUE constraint failed") {
        if message.contains("resources.unique_key") {
            return StoreError::Duplicate;
        }
        if message.contains("resources.id") {
            return StoreError::IdTaken;
        }
    }
    StoreError::Backend(gist(message))
}

fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

fn changes(results: &[D1Result]) -> usize {
    results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0)
}

const LIVE: &str = "tenant = ?1 AND resource_type = ?2 AND deleted = 0";

impl Store for D1Store<'_> {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        let found = self.get_with_groups(resource_type, id).await?;
        Ok(found.map(|(record, _)| record))
    }

    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        let write_id = random_id().map_err(backend)?;
        let mut statements = vec![self.statement(
            "INSERT INTO resources (tenant, resource_type, id, version, unique_key, external_id, \
             display, created, last_modified, deleted, write_id, data) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            &[
                self.tenant(),
                resource_type.into(),
                record.id.as_str().into(),
                (record.version as f64).into(),
                optional(index.unique_key.as_deref().filter(|_| !index.deleted)),
                optional(index.external_id.as_deref()),
                optional(index.display.as_deref()),
                index.created.as_str().into(),
                index.last_modified.as_str().into(),
                i32::from(index.deleted).into(),
                write_id.into(),
                data.into(),
            ],
        )?];
        if !index.members.is_empty() {
            statements.push(self.add_members(resource_type, &record.id, &index.members, None)?);
        }
        statements.push(self.bump_writes(resource_type)?);
        self.read_groups
            .forget(&record.id, !index.members.is_empty(), index.deleted);
        self.batch(statements).await.map(drop)
    }

    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        let write_id = random_id().map_err(backend)?;
        let tenant: JsValue = self.tenant();
        let id: JsValue = record.id.as_str().into();
        let mut statements = vec![
            self.statement(
                &format!(
                    "UPDATE resources SET version = ?4, unique_key = ?5, external_id = ?6, \
                     display = ?7, created = ?8, last_modified = ?9, deleted = ?10, \
                     write_id = ?11, data = ?12 WHERE {LIVE} AND id = ?3 AND version = ?13"
                ),
                &[
                    tenant.clone(),
                    resource_type.into(),
                    id.clone(),
                    (record.version as f64).into(),
                    optional(index.unique_key.as_deref().filter(|_| !index.deleted)),
                    optional(index.external_id.as_deref()),
                    optional(index.display.as_deref()),
                    index.created.as_str().into(),
                    index.last_modified.as_str().into(),
                    i32::from(index.deleted).into(),
                    write_id.as_str().into(),
                    data.into(),
                    (expected_version as f64).into(),
                ],
            )?,
            self.statement(
                "DELETE FROM memberships WHERE tenant = ?1 AND group_id = ?2 AND EXISTS \
                 (SELECT 1 FROM resources WHERE tenant = ?1 AND resource_type = ?3 AND id = ?2 \
                  AND write_id = ?4)",
                &[tenant, id, resource_type.into(), write_id.as_str().into()],
            )?,
        ];
        if !index.members.is_empty() {
            statements.push(self.add_members(
                resource_type,
                &record.id,
                &index.members,
                Some(&write_id),
            )?);
        }
        statements.push(self.bump_writes(resource_type)?);
        self.read_groups
            .forget(&record.id, !index.members.is_empty(), index.deleted);
        let results = self.batch(statements).await?;
        if changes(&results) == 0 {
            return Err(self.miss(resource_type, &record.id).await);
        }
        Ok(())
    }

    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.read_groups.forget(id, false, true);
        let args = [
            self.tenant(),
            resource_type.into(),
            id.into(),
            (expected_version as f64).into(),
        ];
        let results = self
            .batch(vec![
                self.statement(
                    &format!("DELETE FROM resources WHERE {LIVE} AND id = ?3 AND version = ?4"),
                    &args,
                )?,
                self.statement(
                    "DELETE FROM memberships WHERE tenant = ?1 AND group_id = ?3 AND NOT EXISTS \
                     (SELECT 1 FROM resources WHERE tenant = ?1 AND resource_type = ?2 \
                      AND id = ?3)",
                    &args[..3],
                )?,
                self.bump_writes(resource_type)?,
            ])
            .await?;
        if changes(&results) == 0 {
            return Err(self.miss(resource_type, id).await);
        }
        Ok(())
    }

    async fn list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        // No fallback on a backend error: a statement D1 refuses is a bug to see, not to hide.
        self.translated_list(resource_type, query).await
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(ids).map_err(backend)?;
        let rows: Vec<RefRow> = self
            .statement(
                "SELECT id, resource_type, display FROM resources \
                 WHERE tenant = ?1 AND deleted = 0 AND id IN (SELECT value FROM json_each(?2))",
                &[self.tenant(), ids.into()],
            )?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        Ok(rows.into_iter().map(RefRow::into_ref).collect())
    }

    async fn get_with_groups(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<Option<(Record, Vec<Membership>)>, StoreError> {
        let rows: Vec<RecordRow> = self
            .statement(
                RECORD_WITH_GROUPS,
                &[self.tenant(), resource_type.into(), id.into()],
            )?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let (record, groups) = row.split()?;
        let groups = groups.unwrap_or_default();
        self.read_groups.remember(&record.id, &groups);
        Ok(Some((record, groups)))
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        if let Some(read) = self.read_groups.remembered(member_ids) {
            return Ok(read);
        }
        let ids = serde_json::to_string(member_ids).map_err(backend)?;
        let rows: Vec<RefRow> = self
            .statement(
                "SELECT m.member_id, r.id, r.resource_type, r.display FROM memberships m \
                 CROSS JOIN resources r ON r.tenant = m.tenant AND r.id = m.group_id \
                 WHERE m.tenant = ?1 AND r.deleted = 0 \
                 AND m.member_id IN (SELECT value FROM json_each(?2))",
                &[self.tenant(), ids.into()],
            )?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|mut row| Membership {
                member_id: row.member_id.take().unwrap_or_default(),
                group: row.into_ref(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scim_core::schema::Registry;

    #[test]
    fn unique_key_holds_user_name_and_optionally_group_display_name() {
        let registry = Registry::builtin();
        let plain = unique_columns(&registry, &ServiceConfig::default());
        let user = TypeColumns {
            unique_key: Some("userName".into()),
            groups: true,
        };
        assert_eq!(plain.get("User"), Some(&user));
        assert_eq!(plain.get("Group"), None);
        let config = ServiceConfig {
            group_display_name_unique: true,
            ..ServiceConfig::default()
        };
        let unique_groups = unique_columns(&registry, &config);
        assert_eq!(
            unique_groups
                .get("Group")
                .and_then(|c| c.unique_key.as_deref()),
            Some("displayName")
        );
    }

    fn group(id: &str) -> Membership {
        Membership {
            member_id: String::new(),
            group: ResourceRef {
                id: id.into(),
                resource_type: "Group".into(),
                display: None,
            },
        }
    }

    fn ids(read: &ReadGroups, member: &str) -> Option<Vec<String>> {
        read.remembered(&[member])
            .map(|m| m.into_iter().map(|m| m.group.id).collect())
    }

    #[test]
    fn memberships_read_with_records_answer_for_all_asked_members_or_none() {
        let read = ReadGroups::default();
        read.remember("u1", &[group("g1"), group("g2")]);
        read.remember("u2", &[]);
        let both = read.remembered(&["u1", "u2"]).unwrap_or_default();
        assert_eq!(both.len(), 2);
        assert!(both.iter().all(|m| m.member_id == "u1"));
        assert_eq!(read.remembered(&["u1", "u3"]), None);
        assert_eq!(read.remembered(&[]), Some(Vec::new()));
    }

    #[test]
    fn writes_forget_the_memberships_they_may_change() {
        let read = ReadGroups::default();
        let fill = || {
            read.remember("u1", &[group("g1")]);
            read.remember("u2", &[group("g2")]);
        };
        fill();
        // A user's own write keeps what was read (memberships are written with groups).
        read.forget("u1", false, false);
        assert_eq!(ids(&read, "u1"), Some(vec!["g1".to_owned()]));
        // A group written without members: lists naming it are stale, others are not.
        read.forget("g1", false, false);
        assert_eq!(ids(&read, "u1"), None);
        assert_eq!(ids(&read, "u2"), Some(vec!["g2".to_owned()]));
        // With members, any list may have grown.
        fill();
        read.forget("g9", true, false);
        assert_eq!(ids(&read, "u2"), None);
        // A delete also forgets the deleted resource's own memberships.
        fill();
        read.forget("u2", false, true);
        assert_eq!(ids(&read, "u2"), None);
        assert_eq!(ids(&read, "u1"), Some(vec!["g1".to_owned()]));
    }

    fn count_of(text: &str, param: &str) -> Statement {
        Statement {
            sql: text.into(),
            params: vec![SqlValue::Text(param.into()), SqlValue::Integer(7)],
        }
    }

    #[test]
    fn count_keys_hold_the_statement_and_every_parameter() {
        let a = count_key(&count_of("SELECT count(*)", "t1")).unwrap_or_default();
        let b = count_key(&count_of("SELECT count(*)", "t2")).unwrap_or_default();
        assert!(a.starts_with("SELECT count(*)\n") && a.contains("t1") && a.contains('7'));
        assert_ne!(a, b);
        let long = "x".repeat(KEPT_COUNT_KEY_BYTES);
        assert_eq!(count_key(&count_of(&long, "t1")), None);
    }

    #[test]
    fn only_costly_totals_are_kept_and_the_cache_is_bounded() {
        let count = |total: f64| Count { total, resort: 0.0 };
        remember_count(Some("cheap".into()), 1.0, count(KEPT_COUNT_MIN_TOTAL - 1.0));
        assert_eq!(cached_count("cheap"), None);
        remember_count(Some("costly".into()), 3.0, count(5000.0));
        assert_eq!(cached_count("costly"), Some((3.0, count(5000.0))));
        for i in 0..KEPT_COUNTS {
            remember_count(Some(format!("k{i}")), 1.0, count(5000.0));
        }
        assert!(COUNTS.with(|c| c.borrow().len()) <= KEPT_COUNTS);
        assert_eq!(
            cached_count("costly"),
            None,
            "dropped when the cache filled up"
        );
    }

    #[test]
    fn backend_errors_report_only_the_first_line_of_the_message() {
        let d1 = "D1: D1Error {\n    cause: JsValue(Error: LIKE or GLOB pattern too complex: \
                  SQLITE_ERROR\n    Error: LIKE or GLOB pattern too complex\n  at x (y:1:2)),\n}";
        assert_eq!(gist(d1), "LIKE or GLOB pattern too complex: SQLITE_ERROR");
        assert_eq!(gist("plain failure"), "plain failure");
        assert_eq!(gist(""), "");
    }

    #[test]
    fn sqlite_uniqueness_errors_map_to_store_errors() {
        let unique = "D1_ERROR: UNIQUE constraint failed: resources.tenant, \
                      resources.resource_type, resources.unique_key: SQLITE_CONSTRAINT";
        assert_eq!(classify_write_error(unique), StoreError::Duplicate);
        let pk =
            "UNIQUE constraint failed: resources.tenant, resources.resource_type, resources.id";
        assert_eq!(classify_write_error(pk), StoreError::IdTaken);
        assert!(matches!(
            classify_write_error("D1_ERROR: no such table: resources"),
            StoreError::Backend(_)
        ));
    }
}
