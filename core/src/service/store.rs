//! The storage contract of the service: one `Store` instance holds ONE tenant's resources.
//!
//! The service owns every SCIM rule; a store keeps documents and a few index columns, and
//! enforces the two things that cannot be done safely from outside a storage transaction:
//!
//! - **Compare-and-swap on version.** [`Store::replace`] and [`Store::delete`] succeed only if
//!   the stored version equals `expected_version`, otherwise [`StoreError::VersionMismatch`];
//!   so two writers can never silently overwrite each other. The service answers 412 when the
//!   client sent `If-Match`, and otherwise re-reads and re-applies the change.
//! - **Uniqueness.** [`Index::unique_key`] (the Unicode-lowercased `userName` of a User, or
//!   `displayName` of a Group when configured; see [`unique_key`]) must be unique among the
//!   live records of one resource type, checked atomically with the write:
//!   [`StoreError::Duplicate`], answered 409 `uniqueness`.
//!
//! Atomicity: each single call is atomic (one record plus its index rows and memberships).
//! Nothing spans calls: a Bulk request is a sequence of independent writes (RFC 7644 §3.7 does
//! not make Bulk transactional), and removing a deleted member from its groups is a series of
//! separate compare-and-swap updates done by the service after the delete.
//!
//! Soft delete: a record written with [`Index::deleted`] set is kept but is invisible to every
//! method ([`Store::get`], [`Store::list`], [`Store::lookup`], [`Store::groups_of`]) and holds
//! no unique key.
//!
//! Listing: [`Store::list`] may push the query down in full ([`Listing::Page`]), apply only the
//! filter ([`Listing::Matches`]), or return candidates ([`Listing::Candidates`]) and let the
//! service finish in core. The default order (no `sortBy`) is `meta.created`, then `id`,
//! ascending, so pages are stable: the [`Index::created`] column is fixed-width UTC text
//! (`YYYY-MM-DDTHH:MM:SS.mmmZ`) and sorts as text.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::query::compile::CompiledFilter;
use crate::query::sort::SortSpec;

/// A stored resource as a store returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The resource id.
    pub id: String,
    /// The version, incremented by the service on each change; the ETag is derived from it.
    pub version: u64,
    /// The canonical document: `schemas`, `id`, `meta` (without `location`) and attributes;
    /// computed attributes (a User's `groups`, members' `$ref`) are not stored.
    pub data: Value,
}

/// The index columns a write stores next to the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    /// The key that must be unique among live records of the resource type, if any.
    pub unique_key: Option<String>,
    /// The `externalId`, for indexed `externalId eq` lookups.
    pub external_id: Option<String>,
    /// The name shown for this resource in references (`display` of `groups` values).
    pub display: Option<String>,
    /// `meta.created` as fixed-width UTC text (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    pub created: String,
    /// `meta.lastModified` as fixed-width UTC text.
    pub last_modified: String,
    /// Ids of the direct members (Groups); the store keeps the member → group relation.
    pub members: Vec<String>,
    /// The record is soft-deleted: kept, but invisible (see the module docs).
    pub deleted: bool,
}

/// A reference to a stored resource of any type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    /// The resource id.
    pub id: String,
    /// The resource type id, e.g. `User` or `Group`.
    pub resource_type: String,
    /// The [`Index::display`] of the resource.
    pub display: Option<String>,
}

/// A direct membership: `group` lists `member_id` among its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The member's id.
    pub member_id: String,
    /// The group.
    pub group: ResourceRef,
}

/// What the service asks [`Store::list`] for.
///
/// Without a filter, every live record matches. Without a sort, the order is the default one
/// (`meta.created`, then `id`, ascending); with one, ties keep the default order.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ListQuery<'a> {
    /// The compiled filter, if any (its attribute references are canonical and typed).
    pub filter: Option<&'a CompiledFilter>,
    /// The compiled `sortBy`/`sortOrder`, if any.
    pub sort: Option<&'a SortSpec>,
    /// 1-based index of the first result wanted.
    pub start_index: usize,
    /// Most results wanted on the page (0: only the total; `usize::MAX`: every match, when
    /// the service finishes the query itself, e.g. a root search across resource types).
    pub count: usize,
}

/// What [`Store::list`] returns: how much of the query the store applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Filter, order and page all applied; `total` counts every match.
    Page {
        /// Number of records matching the filter.
        total: usize,
        /// The requested page, in order.
        records: Vec<Record>,
    },
    /// Exactly the matching records, in any order; the service sorts and pages.
    Matches(Vec<Record>),
    /// A superset of the matching records, in any order; the service filters, sorts, pages.
    Candidates(Vec<Record>),
}

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No live record has that id.
    #[error("no such resource")]
    NotFound,
    /// The stored version is not the expected one (compare-and-swap failed).
    #[error("version mismatch")]
    VersionMismatch,
    /// Another live record of the type already has the unique key.
    #[error("unique key already taken")]
    Duplicate,
    /// A record with that id already exists (create).
    #[error("id already exists")]
    IdTaken,
    /// The backend failed.
    #[error("storage backend: {0}")]
    Backend(String),
}

/// Storage of one tenant's resources. `async fn` without `Send`, so it runs in wasm hosts.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// The live record `id` of `resource_type`, if any.
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError>;

    /// Stores a new record; `IdTaken` or `Duplicate` leave the store unchanged.
    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError>;

    /// Replaces the live record `record.id` if its version is `expected_version`.
    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError>;

    /// Removes the live record `id` (and its memberships as a group) if its version is
    /// `expected_version`.
    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError>;

    /// The records of `resource_type` for `query` (see [`Listing`]).
    async fn list(&self, resource_type: &str, query: &ListQuery<'_>)
        -> Result<Listing, StoreError>;

    /// The live resources, of any type, whose ids are in `ids` (unknown ids are left out).
    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError>;

    /// The direct memberships of the members `member_ids` in live groups.
    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError>;
}

/// The uniqueness key of a value: its Unicode lowercase form (case-insensitive uniqueness).
pub fn unique_key(value: &str) -> String {
    value.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_key_lowercases_unicode() {
        assert_eq!(unique_key("BJensen@Example.COM"), "bjensen@example.com");
        assert_eq!(unique_key("ÉLODIE"), "élodie");
        assert_eq!(unique_key("ΣΑΣ"), unique_key("σας"));
    }
}
