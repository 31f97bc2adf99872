//! `D1Store`: core's [`Store`] over Cloudflare D1, for one tenant (schema in
//! `migrations/0001_init.sql`).
//!
//! Each write is one D1 batch, which D1 runs as one transaction: the resource row and its
//! memberships change together or not at all. Compare-and-swap is the `UPDATE`/`DELETE`
//! condition `version = expected`; membership statements in the same batch run only if that
//! write happened, recognised by the random `write_id` it stored. Uniqueness is SQLite's unique
//! index on `(tenant, resource_type, unique_key)`.
//!
//! Listing pushes down what it can without a filter translation: the default page (no filter,
//! no sort) in SQL, and for filters `id eq`, `externalId eq` and `userName eq` (alone or in an
//! `and`) the candidates found through an index; the service finishes the rest.

use scim_core::query::ast::CompareOp;
use scim_core::query::compile::{AttrLocation, Literal, Node};
use scim_core::service::{
    Index, ListQuery, Listing, Membership, Record, ResourceRef, Store, StoreError,
};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::crypto::random_id;

/// The resources of one tenant in D1.
pub struct D1Store {
    db: D1Database,
    tenant: String,
}

impl D1Store {
    /// The store of `tenant` in database `db`.
    pub fn new(db: D1Database, tenant: &str) -> D1Store {
        D1Store {
            db,
            tenant: tenant.to_owned(),
        }
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

    async fn rows(&self, sql: &str, args: &[JsValue]) -> Result<Vec<Record>, StoreError> {
        let rows: Vec<RecordRow> = self
            .statement(sql, args)?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        rows.into_iter().map(RecordRow::into_record).collect()
    }

    /// Why a conditional write changed nothing: the record is gone, or has another version.
    async fn miss(&self, resource_type: &str, id: &str) -> StoreError {
        let sql = "SELECT version FROM resources \
                   WHERE tenant = ?1 AND resource_type = ?2 AND id = ?3 AND deleted = 0";
        let args = [self.tenant.as_str().into(), resource_type.into(), id.into()];
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
                self.tenant.as_str().into(),
                id.into(),
                ids.into(),
                optional(write_id),
                resource_type.into(),
            ],
        )
    }
}

/// A row holding a whole record.
#[derive(Deserialize)]
struct RecordRow {
    id: String,
    version: f64,
    data: String,
}

impl RecordRow {
    fn into_record(self) -> Result<Record, StoreError> {
        Ok(Record {
            id: self.id,
            version: self.version as u64,
            data: serde_json::from_str(&self.data).map_err(backend)?,
        })
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

fn backend(e: impl core::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// A failed write: SQLite's uniqueness errors become `Duplicate` (the unique key) or `IdTaken`
/// (the primary key); anything else is a backend failure.
fn write_error(e: worker::Error) -> StoreError {
    classify_write_error(&e.to_string())
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
    StoreError::Backend(message.to_owned())
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

/// An indexed lookup that finds a superset of a filter's matches.
#[derive(Debug, PartialEq, Eq)]
enum Probe<'a> {
    /// `id eq` (case-exact).
    Id(&'a str),
    /// `externalId eq` (case-exact).
    ExternalId(&'a str),
    /// `userName eq` on Users: the literal is already lowercased char by char, which is the
    /// unique key unless Greek sigma (whose final form lowercases differently) is involved.
    UniqueKey(&'a str),
}

impl Probe<'_> {
    fn column(&self) -> &'static str {
        match self {
            Probe::Id(_) => "id",
            Probe::ExternalId(_) => "external_id",
            Probe::UniqueKey(_) => "unique_key",
        }
    }

    fn value(&self) -> &str {
        match self {
            Probe::Id(v) | Probe::ExternalId(v) | Probe::UniqueKey(v) => v,
        }
    }
}

/// The indexed lookup for `node`, if it has one.
fn probe<'a>(node: &'a Node, resource_type: &str) -> Option<Probe<'a>> {
    match node {
        Node::Compare(c)
            if c.op == CompareOp::Eq
                && c.attr.location == AttrLocation::Top
                && c.attr.sub.is_none() =>
        {
            let Literal::String(value) = &c.value else {
                return None;
            };
            match c.attr.attr.as_str() {
                "id" => Some(Probe::Id(value)),
                "externalId" => Some(Probe::ExternalId(value)),
                "userName"
                    if resource_type == "User"
                        && !c.attr.case_exact
                        && !value.contains(['σ', 'ς']) =>
                {
                    Some(Probe::UniqueKey(value))
                }
                _ => None,
            }
        }
        Node::And(nodes) => nodes.iter().find_map(|n| probe(n, resource_type)),
        _ => None,
    }
}

const LIVE: &str = "tenant = ?1 AND resource_type = ?2 AND deleted = 0";

impl Store for D1Store {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        let rows = self
            .rows(
                &format!("SELECT id, version, data FROM resources WHERE {LIVE} AND id = ?3"),
                &[self.tenant.as_str().into(), resource_type.into(), id.into()],
            )
            .await?;
        Ok(rows.into_iter().next())
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
                self.tenant.as_str().into(),
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
        let tenant: JsValue = self.tenant.as_str().into();
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
        let args = [
            self.tenant.as_str().into(),
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
        let tenant: JsValue = self.tenant.as_str().into();
        let rt: JsValue = resource_type.into();
        let all = format!("SELECT id, version, data FROM resources WHERE {LIVE}");
        match (query.filter, query.sort) {
            (None, None) => {
                let offset = query.start_index.saturating_sub(1);
                let results = self
                    .batch(vec![
                        self.statement(
                            &format!("SELECT COUNT(*) AS total FROM resources WHERE {LIVE}"),
                            &[tenant.clone(), rt.clone()],
                        )?,
                        self.statement(
                            &format!("{all} ORDER BY created, id LIMIT ?3 OFFSET ?4"),
                            &[
                                tenant,
                                rt,
                                (query.count as f64).into(),
                                (offset as f64).into(),
                            ],
                        )?,
                    ])
                    .await?;
                #[derive(Deserialize)]
                struct Total {
                    total: f64,
                }
                let total = results
                    .first()
                    .map(|r| r.results::<Total>())
                    .transpose()
                    .map_err(backend)?
                    .and_then(|t| t.into_iter().next())
                    .map_or(0, |t| t.total as usize);
                let rows: Vec<RecordRow> = results
                    .get(1)
                    .map(|r| r.results())
                    .transpose()
                    .map_err(backend)?
                    .unwrap_or_default();
                let records = rows
                    .into_iter()
                    .map(RecordRow::into_record)
                    .collect::<Result<_, _>>()?;
                Ok(Listing::Page { total, records })
            }
            (None, Some(_)) => Ok(Listing::Matches(self.rows(&all, &[tenant, rt]).await?)),
            (Some(filter), _) => {
                let records = match probe(filter.root(), resource_type) {
                    Some(p) => {
                        let sql = format!("{all} AND {} = ?3", p.column());
                        self.rows(&sql, &[tenant, rt, p.value().into()]).await?
                    }
                    None => self.rows(&all, &[tenant, rt]).await?,
                };
                Ok(Listing::Candidates(records))
            }
        }
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
                &[self.tenant.as_str().into(), ids.into()],
            )?
            .all()
            .await
            .map_err(backend)?
            .results()
            .map_err(backend)?;
        Ok(rows.into_iter().map(RefRow::into_ref).collect())
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        if member_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(member_ids).map_err(backend)?;
        let rows: Vec<RefRow> = self
            .statement(
                "SELECT m.member_id, r.id, r.resource_type, r.display FROM memberships m \
                 JOIN resources r ON r.tenant = m.tenant AND r.id = m.group_id \
                 WHERE m.tenant = ?1 AND r.deleted = 0 \
                 AND m.member_id IN (SELECT value FROM json_each(?2))",
                &[self.tenant.as_str().into(), ids.into()],
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
    use scim_core::query::compile::{compile, CompileOptions};
    use scim_core::query::parse_filter;
    use scim_core::schema::Registry;

    fn with_probe<R>(filter: &str, rt: &str, f: impl FnOnce(Option<Probe<'_>>) -> R) -> R {
        let registry = Registry::builtin();
        let rtype = registry.resource_type(rt).unwrap();
        let ast = parse_filter(filter, Default::default()).unwrap();
        let compiled = compile(&ast, &registry, rtype, CompileOptions::default()).unwrap();
        f(probe(compiled.root(), rt))
    }

    #[test]
    fn equality_on_indexed_attributes_probes_the_index() {
        with_probe(r#"userName eq "BJensen""#, "User", |p| {
            assert_eq!(p, Some(Probe::UniqueKey("bjensen")))
        });
        with_probe(r#"externalId eq "E-1""#, "User", |p| {
            assert_eq!(p, Some(Probe::ExternalId("E-1")))
        });
        with_probe(r#"id eq "abc""#, "Group", |p| {
            assert_eq!(p, Some(Probe::Id("abc")))
        });
        with_probe(
            r#"active eq true and userName eq "x" and name.familyName pr"#,
            "User",
            |p| assert_eq!(p, Some(Probe::UniqueKey("x"))),
        );
    }

    #[test]
    fn other_filters_fall_back_to_a_scan() {
        for filter in [
            r#"userName ne "x""#,
            r#"userName sw "x""#,
            r#"userName eq "x" or externalId eq "y""#,
            r#"not (id eq "x")"#,
            r#"userName eq "ΣΑΣ""#,
            r#"emails[value eq "a@b.c"]"#,
        ] {
            with_probe(filter, "User", |p| assert_eq!(p, None, "{filter}"));
        }
        with_probe(r#"displayName eq "Admins""#, "Group", |p| {
            assert_eq!(p, None)
        });
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
