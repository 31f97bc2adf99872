//! `MemoryStore`: an in-memory [`Store`] with many isolated tenants (tests, the npm package).
//!
//! One database is shared by cheap handles ([`MemoryStore::tenant`]); each handle sees only
//! its own tenant's data. Interior mutability uses `RefCell` (hosts are single-threaded); no
//! borrow is held across an `await`, so interleaved requests cannot panic.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use serde_json::Value;

use crate::query::sort::sort;

use super::store::{Index, ListQuery, Listing, Membership, Record, ResourceRef, Store, StoreError};

#[derive(Debug)]
struct Row {
    record: Record,
    index: Index,
}

#[derive(Debug, Default)]
struct Table {
    rows: BTreeMap<String, Row>,
    unique: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Tenant {
    tables: BTreeMap<String, Table>,
    /// id → resource type, for every row (live or soft-deleted).
    types: BTreeMap<String, String>,
    /// member id → (group resource type, group id).
    memberships: BTreeMap<String, BTreeSet<(String, String)>>,
}

impl Tenant {
    fn live(&self, resource_type: &str, id: &str) -> Option<&Row> {
        self.tables
            .get(resource_type)?
            .rows
            .get(id)
            .filter(|r| !r.index.deleted)
    }

    fn reference(&self, resource_type: &str, id: &str) -> Option<ResourceRef> {
        self.live(resource_type, id).map(|row| ResourceRef {
            id: id.into(),
            resource_type: resource_type.into(),
            display: row.index.display.clone(),
        })
    }

    fn unlink_members(&mut self, resource_type: &str, id: &str, members: &[String]) {
        for member in members {
            if let Some(groups) = self.memberships.get_mut(member) {
                groups.remove(&(String::from(resource_type), String::from(id)));
                if groups.is_empty() {
                    self.memberships.remove(member);
                }
            }
        }
    }

    fn link_members(&mut self, resource_type: &str, id: &str, index: &Index) {
        if index.deleted {
            return;
        }
        for member in &index.members {
            self.memberships
                .entry(member.clone())
                .or_default()
                .insert((resource_type.into(), id.into()));
        }
    }

    /// Writes `record` with `index`, replacing `old` (the row's previous index) if any.
    fn write(&mut self, resource_type: &str, record: &Record, index: &Index, old: Option<Index>) {
        let id = record.id.as_str();
        if let Some(old) = &old {
            self.unlink_members(resource_type, id, &old.members);
        }
        let table = self.tables.entry(resource_type.into()).or_default();
        if let Some(key) = old.as_ref().and_then(|o| o.unique_key.as_ref()) {
            table.unique.remove(key);
        }
        let live_key = index.unique_key.as_ref().filter(|_| !index.deleted);
        if let Some(key) = live_key {
            table.unique.insert(key.clone(), id.into());
        }
        let mut stored = index.clone();
        if index.deleted {
            stored.unique_key = None;
        }
        table.rows.insert(
            id.into(),
            Row {
                record: record.clone(),
                index: stored,
            },
        );
        self.types.insert(id.into(), resource_type.into());
        self.link_members(resource_type, id, index);
    }

    fn key_taken(&self, resource_type: &str, index: &Index, own_id: &str) -> bool {
        if index.deleted {
            return false;
        }
        let Some(key) = &index.unique_key else {
            return false;
        };
        self.tables
            .get(resource_type)
            .and_then(|t| t.unique.get(key))
            .is_some_and(|holder| holder != own_id)
    }
}

/// A row seen through its document, for sorting.
struct ByData<'a>(&'a Row);

impl core::borrow::Borrow<Value> for ByData<'_> {
    fn borrow(&self) -> &Value {
        &self.0.record.data
    }
}

/// An in-memory store; clones and [`MemoryStore::tenant`] handles share one database.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    db: Rc<RefCell<BTreeMap<String, Tenant>>>,
    tenant: String,
}

impl MemoryStore {
    /// A new, empty database, with a handle on its default tenant (named `""`).
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A handle on tenant `name` of the same database; tenants never see each other's data.
    pub fn tenant(&self, name: &str) -> MemoryStore {
        MemoryStore {
            db: Rc::clone(&self.db),
            tenant: name.into(),
        }
    }

    /// The number of live records of `resource_type` in this tenant.
    pub fn len(&self, resource_type: &str) -> usize {
        self.db.borrow().get(&self.tenant).map_or(0, |t| {
            t.tables.get(resource_type).map_or(0, |table| {
                table.rows.values().filter(|r| !r.index.deleted).count()
            })
        })
    }

    /// Whether this tenant holds no live record of `resource_type`.
    pub fn is_empty(&self, resource_type: &str) -> bool {
        self.len(resource_type) == 0
    }

    fn read<T>(&self, f: impl FnOnce(&Tenant) -> T) -> T {
        let db = self.db.borrow();
        match db.get(&self.tenant) {
            Some(t) => f(t),
            None => f(&Tenant::default()),
        }
    }

    fn modify<T>(&self, f: impl FnOnce(&mut Tenant) -> T) -> T {
        let mut db = self.db.borrow_mut();
        f(db.entry(self.tenant.clone()).or_default())
    }
}

impl Store for MemoryStore {
    async fn get(&self, resource_type: &str, id: &str) -> Result<Option<Record>, StoreError> {
        Ok(self.read(|t| t.live(resource_type, id).map(|row| row.record.clone())))
    }

    async fn create(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
    ) -> Result<(), StoreError> {
        self.modify(|t| {
            if t.types.contains_key(&record.id) {
                return Err(StoreError::IdTaken);
            }
            if t.key_taken(resource_type, index, &record.id) {
                return Err(StoreError::Duplicate);
            }
            t.write(resource_type, record, index, None);
            Ok(())
        })
    }

    async fn replace(
        &self,
        resource_type: &str,
        record: &Record,
        index: &Index,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.modify(|t| {
            let row = t
                .live(resource_type, &record.id)
                .ok_or(StoreError::NotFound)?;
            if row.record.version != expected_version {
                return Err(StoreError::VersionMismatch);
            }
            let old = row.index.clone();
            if t.key_taken(resource_type, index, &record.id) {
                return Err(StoreError::Duplicate);
            }
            t.write(resource_type, record, index, Some(old));
            Ok(())
        })
    }

    async fn delete(
        &self,
        resource_type: &str,
        id: &str,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        self.modify(|t| {
            let row = t.live(resource_type, id).ok_or(StoreError::NotFound)?;
            if row.record.version != expected_version {
                return Err(StoreError::VersionMismatch);
            }
            let old = row.index.clone();
            t.unlink_members(resource_type, id, &old.members);
            if let Some(table) = t.tables.get_mut(resource_type) {
                if let Some(key) = &old.unique_key {
                    table.unique.remove(key);
                }
                table.rows.remove(id);
            }
            t.types.remove(id);
            Ok(())
        })
    }

    /// Applies the whole query: filter, order and page (cloning only the page).
    async fn list(
        &self,
        resource_type: &str,
        query: &ListQuery<'_>,
    ) -> Result<Listing, StoreError> {
        Ok(self.read(|t| {
            let Some(table) = t.tables.get(resource_type) else {
                return Listing::Page {
                    total: 0,
                    records: Vec::new(),
                };
            };
            let mut rows: Vec<ByData<'_>> = table
                .rows
                .values()
                .filter(|r| !r.index.deleted)
                .filter(|r| query.filter.is_none_or(|f| f.matches(&r.record.data)))
                .map(ByData)
                .collect();
            rows.sort_by(|a, b| {
                (a.0.index.created.as_str(), a.0.record.id.as_str())
                    .cmp(&(b.0.index.created.as_str(), b.0.record.id.as_str()))
            });
            if let Some(spec) = query.sort {
                sort(&mut rows, spec);
            }
            let total = rows.len();
            let from = query.start_index.saturating_sub(1).min(total);
            let to = from.saturating_add(query.count).min(total);
            let records = rows
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .map(|r| r.0.record.clone())
                .collect();
            Listing::Page { total, records }
        }))
    }

    async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
        Ok(self.read(|t| {
            ids.iter()
                .filter_map(|id| {
                    let rt = t.types.get(*id)?;
                    t.reference(rt, id)
                })
                .collect()
        }))
    }

    async fn groups_of(&self, member_ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
        Ok(self.read(|t| {
            member_ids
                .iter()
                .filter_map(|member| Some((*member, t.memberships.get(*member)?)))
                .flat_map(|(member, groups)| {
                    groups.iter().filter_map(move |(rt, id)| {
                        Some(Membership {
                            member_id: member.into(),
                            group: t.reference(rt, id)?,
                        })
                    })
                })
                .collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::testing::block_on;
    use alloc::string::ToString;
    use alloc::vec;
    use serde_json::json;

    fn record(id: &str, version: u64) -> Record {
        Record {
            id: id.into(),
            version,
            data: json!({"id": id, "v": version}),
        }
    }

    fn keyed(key: &str) -> Index {
        Index {
            unique_key: Some(key.into()),
            display: Some(key.to_string()),
            ..Index::default()
        }
    }

    #[test]
    fn create_then_get_returns_the_record() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        assert_eq!(
            block_on(store.get("User", "a")).unwrap(),
            Some(record("a", 1))
        );
        assert_eq!(block_on(store.get("Group", "a")).unwrap(), None);
        assert_eq!(store.len("User"), 1);
    }

    #[test]
    fn duplicate_unique_key_and_id_are_refused() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        let dup = block_on(store.create("User", &record("b", 1), &keyed("alice")));
        assert_eq!(dup, Err(StoreError::Duplicate));
        let same_id = block_on(store.create("Group", &record("a", 1), &Index::default()));
        assert_eq!(same_id, Err(StoreError::IdTaken));
        block_on(store.create("Group", &record("g", 1), &keyed("alice"))).unwrap();
        assert_eq!(store.len("User"), 1);
    }

    #[test]
    fn replace_is_compare_and_swap_on_version() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        block_on(store.replace("User", &record("a", 2), &keyed("alice"), 1)).unwrap();
        let stale = block_on(store.replace("User", &record("a", 3), &keyed("alice"), 1));
        assert_eq!(stale, Err(StoreError::VersionMismatch));
        let missing = block_on(store.replace("User", &record("z", 2), &keyed("zed"), 1));
        assert_eq!(missing, Err(StoreError::NotFound));
        assert_eq!(
            block_on(store.get("User", "a")).unwrap().unwrap().version,
            2
        );
    }

    #[test]
    fn replace_releases_the_old_unique_key() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        block_on(store.create("User", &record("b", 1), &keyed("bob"))).unwrap();
        let taken = block_on(store.replace("User", &record("a", 2), &keyed("bob"), 1));
        assert_eq!(taken, Err(StoreError::Duplicate));
        block_on(store.replace("User", &record("a", 2), &keyed("alicia"), 1)).unwrap();
        block_on(store.create("User", &record("c", 1), &keyed("alice"))).unwrap();
    }

    #[test]
    fn delete_checks_version_and_frees_the_key() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        assert_eq!(
            block_on(store.delete("User", "a", 7)),
            Err(StoreError::VersionMismatch)
        );
        block_on(store.delete("User", "a", 1)).unwrap();
        assert_eq!(block_on(store.get("User", "a")).unwrap(), None);
        assert_eq!(
            block_on(store.delete("User", "a", 1)),
            Err(StoreError::NotFound)
        );
        block_on(store.create("User", &record("b", 1), &keyed("alice"))).unwrap();
    }

    #[test]
    fn soft_deleted_records_are_invisible_and_release_their_key() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        let gone = Index {
            deleted: true,
            ..keyed("alice")
        };
        block_on(store.replace("User", &record("a", 2), &gone, 1)).unwrap();
        assert_eq!(block_on(store.get("User", "a")).unwrap(), None);
        assert_eq!(block_on(store.lookup(&["a"])).unwrap(), vec![]);
        assert!(store.is_empty("User"));
        block_on(store.create("User", &record("b", 1), &keyed("alice"))).unwrap();
        let reuse = block_on(store.create("User", &record("a", 1), &keyed("x")));
        assert_eq!(reuse, Err(StoreError::IdTaken));
    }

    #[test]
    fn memberships_follow_group_writes_and_deletes() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("u", 1), &keyed("alice"))).unwrap();
        let group = Index {
            members: vec!["u".into()],
            ..keyed("admins")
        };
        block_on(store.create("Group", &record("g", 1), &group)).unwrap();
        let groups = block_on(store.groups_of(&["u", "x"])).unwrap();
        assert_eq!(
            groups,
            vec![Membership {
                member_id: "u".into(),
                group: ResourceRef {
                    id: "g".into(),
                    resource_type: "Group".into(),
                    display: Some("admins".into()),
                },
            }]
        );
        block_on(store.replace("Group", &record("g", 2), &keyed("admins"), 1)).unwrap();
        assert!(block_on(store.groups_of(&["u"])).unwrap().is_empty());
        block_on(store.replace("Group", &record("g", 3), &group, 2)).unwrap();
        block_on(store.delete("Group", "g", 3)).unwrap();
        assert!(block_on(store.groups_of(&["u"])).unwrap().is_empty());
    }

    #[test]
    fn lookup_finds_live_resources_of_any_type() {
        let store = MemoryStore::new();
        block_on(store.create("User", &record("u", 1), &keyed("alice"))).unwrap();
        block_on(store.create("Group", &record("g", 1), &keyed("admins"))).unwrap();
        let found = block_on(store.lookup(&["g", "nope", "u"])).unwrap();
        let types: Vec<_> = found.iter().map(|r| r.resource_type.as_str()).collect();
        assert_eq!(types, ["Group", "User"]);
    }

    #[test]
    fn tenants_are_isolated() {
        let db = MemoryStore::new();
        let acme = db.tenant("acme");
        let other = db.tenant("other");
        block_on(acme.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        assert_eq!(block_on(other.get("User", "a")).unwrap(), None);
        assert!(block_on(other.lookup(&["a"])).unwrap().is_empty());
        block_on(other.create("User", &record("a", 1), &keyed("alice"))).unwrap();
        assert_eq!(acme.len("User"), 1);
        assert_eq!(other.len("User"), 1);
        assert!(db.is_empty("User"));
    }

    fn user(id: &str, name: &str, created: &str) -> (Record, Index) {
        let record = Record {
            id: id.into(),
            version: 1,
            data: json!({"id": id, "userName": name, "meta": {"created": created}}),
        };
        let index = Index {
            unique_key: Some(name.into()),
            created: created.into(),
            ..Index::default()
        };
        (record, index)
    }

    fn page(store: &MemoryStore, query: &ListQuery<'_>) -> (usize, Vec<String>) {
        match block_on(store.list("User", query)).unwrap() {
            Listing::Page { total, records } => {
                (total, records.into_iter().map(|r| r.id).collect())
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn list_filters_orders_and_pages_live_records() {
        use crate::query::compile::{compile, CompileOptions};
        use crate::query::parser::{parse_attr_path, parse_filter, ParseOptions};
        use crate::query::sort::{SortOrder, SortSpec};
        let store = MemoryStore::new();
        for (id, name, created) in [
            ("c", "carol", "2024-01-01T00:00:00.000Z"),
            ("a", "alice", "2024-01-03T00:00:00.000Z"),
            ("b", "bob", "2024-01-02T00:00:00.000Z"),
            ("d", "dave", "2024-01-02T00:00:00.000Z"),
        ] {
            let (record, index) = user(id, name, created);
            block_on(store.create("User", &record, &index)).unwrap();
        }
        let (gone, mut index) = user("d", "dave", "2024-01-02T00:00:00.000Z");
        index.deleted = true;
        block_on(store.replace("User", &gone, &index, 1)).unwrap();
        let all = ListQuery {
            filter: None,
            sort: None,
            start_index: 1,
            count: 10,
        };
        assert_eq!(
            page(&store, &all),
            (3, vec!["c".into(), "b".into(), "a".into()])
        );
        let registry = crate::schema::Registry::builtin();
        let rt = registry.resource_type("User").unwrap();
        let parsed = parse_filter("userName ne \"bob\"", ParseOptions::STRICT).unwrap();
        let filter = compile(&parsed, &registry, rt, CompileOptions::default()).unwrap();
        let by = parse_attr_path("userName").unwrap();
        let spec = SortSpec::new(&registry, rt, &by, SortOrder::Descending).unwrap();
        let query = ListQuery {
            filter: Some(&filter),
            sort: Some(&spec),
            start_index: 2,
            count: 5,
        };
        assert_eq!(page(&store, &query), (2, vec!["a".into()]));
        let empty = ListQuery {
            start_index: 9,
            ..all
        };
        assert_eq!(page(&store, &empty), (3, vec![]));
        assert_eq!(page(&store.tenant("other"), &all), (0, vec![]));
    }
}
