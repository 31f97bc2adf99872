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
use core::cell::RefCell;
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

    /// The live record `id` of `resource_type` with the direct memberships of `id` in live
    /// groups: [`Store::get`] then [`Store::groups_of`], which a store may answer in one
    /// round trip.
    async fn get_with_groups(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<Option<(Record, Vec<Membership>)>, StoreError> {
        let Some(record) = self.get(resource_type, id).await? else {
            return Ok(None);
        };
        let groups = self.groups_of(&[id]).await?;
        Ok(Some((record, groups)))
    }
}

/// A store that reads each record with its memberships ([`Store::get_with_groups`]) and
/// answers the next [`Store::groups_of`] asking for that record alone from them: serving a
/// User takes one round trip instead of two. Everything else goes to the wrapped store.
///
/// Writing the record just read keeps its memberships: they are other records' `members`, and
/// no resource can be a member of itself. Any other write forgets them (it may change them), so
/// a PUT or PATCH answers with the groups read before its write, never needing a read after it.
pub struct Prefetching<'s, S> {
    store: &'s S,
    /// The id last read and its memberships, until asked for.
    read: RefCell<Option<(String, Vec<Membership>)>>,
}

impl<'s, S: Store> Prefetching<'s, S> {
    /// `store`, prefetching memberships on [`Store::get`].
    pub fn new(store: &'s S) -> Self {
        Prefetching {
            store,
            read: RefCell::new(None),
        }
    }
}

impl<S: Store> Store for Prefetching<'_, S> {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        let found = self.store.get_with_groups(resource_type, id).await?;
        Ok(found.map(|(record, groups)| {
            self.read.replace(Some((record.id.clone(), groups)));
            record
        }))
    }

    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError> {
        self.store.create(resource_type, record, index).await
    }

    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let own = matches!(&*self.read.borrow(), Some((id, _)) if *id == record.id);
        if !own {
            self.read.replace(None);
        }
        self.store
            .replace(resource_type, record, index, expected_version)
            .await
    }

    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.read.replace(None);
        self.store.delete(resource_type, id, expected_version).await
    }

    async fn list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        self.store.list(resource_type, query).await
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        self.store.lookup(ids).await
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        let read = self.read.take();
        match (read, member_ids) {
            (Some((id, groups)), [only]) if id == *only => Ok(groups),
            _ => self.store.groups_of(member_ids).await,
        }
    }
}

/// The uniqueness key of a value: its Unicode lowercase form (case-insensitive uniqueness).
pub fn unique_key(value: &str) -> String {
    value.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::service::memory::MemoryStore;
    use crate::service::testing::block_on as ready;
    use core::cell::Cell;
    use serde_json::json;

    /// A memory store counting the calls of `groups_of`.
    struct Counting {
        inner: MemoryStore,
        groups_of_calls: Cell<usize>,
    }

    impl Store for Counting {
        async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
            self.inner.get(rt, id).await
        }
        async fn create(&self, rt: &str, r: &Record, index: &Index) -> Result<(), StoreError> {
            self.inner.create(rt, r, index).await
        }
        async fn replace(
            &self,
            rt: &str,
            r: &Record,
            index: &Index,
            expected: u64,
        ) -> Result<(), StoreError> {
            self.inner.replace(rt, r, index, expected).await
        }
        async fn delete(&self, rt: &str, id: &str, expected: u64) -> Result<(), StoreError> {
            self.inner.delete(rt, id, expected).await
        }
        async fn list(&self, rt: &str, q: &ListQuery<'_>) -> Result<Listing, StoreError> {
            self.inner.list(rt, q).await
        }
        async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
            self.inner.lookup(ids).await
        }
        async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
            self.groups_of_calls.set(self.groups_of_calls.get() + 1);
            self.inner.groups_of(ids).await
        }
    }

    fn record(id: &str) -> Record {
        Record {
            id: id.into(),
            version: 1,
            data: json!({"id": id}),
        }
    }

    fn index(members: &[&str]) -> Index {
        Index {
            members: members.iter().map(|m| String::from(*m)).collect(),
            ..Index::default()
        }
    }

    fn user_in_group() -> Counting {
        let store = Counting {
            inner: MemoryStore::new(),
            groups_of_calls: Cell::new(0),
        };
        ready(store.create("User", &record("u1"), &index(&[]))).unwrap();
        ready(store.create("User", &record("u2"), &index(&[]))).unwrap();
        ready(store.create("Group", &record("g1"), &index(&["u1", "u2"]))).unwrap();
        store
    }

    #[test]
    fn get_with_groups_defaults_to_get_then_groups_of() {
        let store = user_in_group();
        let (record, groups) = ready(store.get_with_groups("User", "u1")).unwrap().unwrap();
        assert_eq!(record.id, "u1");
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].group.id, "g1");
        assert_eq!(groups[0].member_id, "u1");
        assert_eq!(ready(store.get_with_groups("User", "nobody")), Ok(None));
    }

    #[test]
    fn prefetching_answers_groups_of_the_record_just_read_once() {
        let store = user_in_group();
        let prefetching = Prefetching::new(&store);
        assert!(ready(prefetching.get("User", "u1")).unwrap().is_some());
        let calls = store.groups_of_calls.get();
        let groups = ready(prefetching.groups_of(&["u1"])).unwrap();
        assert_eq!(groups, ready(store.inner.groups_of(&["u1"])).unwrap());
        assert_eq!(
            store.groups_of_calls.get(),
            calls,
            "answered from the prefetch"
        );
        ready(prefetching.groups_of(&["u1"])).unwrap();
        assert_eq!(store.groups_of_calls.get(), calls + 1, "used once only");
    }

    #[test]
    fn prefetching_asks_the_store_for_other_ids_and_after_writes() {
        let store = user_in_group();
        let prefetching = Prefetching::new(&store);
        ready(prefetching.get("User", "u1")).unwrap();
        let calls = store.groups_of_calls.get();
        let other = ready(prefetching.groups_of(&["u2"])).unwrap();
        assert_eq!(other.len(), 1);
        assert_eq!(store.groups_of_calls.get(), calls + 1);
        ready(prefetching.get("User", "u1")).unwrap();
        ready(prefetching.replace("Group", &record("g1"), &index(&["u2"]), 1)).unwrap();
        let calls = store.groups_of_calls.get();
        assert_eq!(ready(prefetching.groups_of(&["u1"])).unwrap(), Vec::new());
        assert_eq!(
            store.groups_of_calls.get(),
            calls + 1,
            "forgotten on another write"
        );
    }

    #[test]
    fn prefetching_keeps_the_memberships_of_the_record_it_writes() {
        let store = user_in_group();
        let prefetching = Prefetching::new(&store);
        ready(prefetching.get("User", "u1")).unwrap();
        ready(prefetching.replace("User", &record("u1"), &index(&[]), 1)).unwrap();
        let calls = store.groups_of_calls.get();
        let groups = ready(prefetching.groups_of(&["u1"])).unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(
            store.groups_of_calls.get(),
            calls,
            "answered from the prefetch"
        );
    }

    #[test]
    fn unique_key_lowercases_unicode() {
        assert_eq!(unique_key("BJensen@Example.COM"), "bjensen@example.com");
        assert_eq!(unique_key("ÉLODIE"), "élodie");
        assert_eq!(unique_key("ΣΑΣ"), unique_key("σας"));
    }
}
