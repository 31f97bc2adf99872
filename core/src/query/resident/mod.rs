//! Resources held inside the engine in a compact, column-wise form that filters scan fast.
//!
//! ```text
//! Collection::new(registry: &Registry, rt: &ResourceType) -> Collection
//! Collection::columns_only(registry, rt) -> Collection                         // keeps no documents
//! Collection::from_values(registry, rt, values: impl IntoIterator<Item = Value>) -> Result<Collection, ScimError>
//! Collection::push(&mut self, resource: Value) -> Result<usize, ScimError>        // its index
//! Collection::replace(&mut self, index: usize, resource: Value) -> Result<Value, ScimError> // the old one
//! Collection::remove(&mut self, index: usize) -> Option<Value>                      // later items shift down
//! Collection::upsert(&mut self, resource: Value) -> Result<usize, ScimError>      // replace same id, else push
//! Collection::position(&self, id: &str) -> Option<usize>
//! Collection::remove_id(&mut self, id: &str) -> Option<Value>
//! Collection::get(&self, index: usize) -> Option<&Value>
//! Collection::len(&self) -> usize;  is_empty(&self) -> bool
//! Collection::iter(&self) -> impl Iterator<Item = &Value>                          // in index order
//! Collection::binds(&self, filter: &CompiledFilter) -> bool                       // evaluated on the columns
//! Collection::filter(&self, filter: &CompiledFilter) -> Vec<u32>                   // matching indices, ascending
//! Collection::count(&self, filter: &CompiledFilter) -> usize
//! Collection::shrink_to_fit(&mut self)                                             // after a batch of pushes
//! Collection::resident_bytes(&self) -> usize                                        // columns + id index, documents excluded
//! ```
//!
//! A [`Collection`] is built for one resource type of a registry from canonical resources (as
//! the engine stores them: canonical attribute names, extensions under their URN). Each
//! attribute and sub-attribute of the type gets a slot; each slot a column that holds every
//! item's values in flat arrays, converted once: strings of `caseExact: false` attributes
//! pre-folded, dateTimes parsed to instants, numbers and booleans typed, presence decided. The
//! original documents are kept, unchanged, and returned by [`Collection::get`]; a collection
//! made by [`Collection::columns_only`] keeps only the columns (for a caller that holds the
//! documents itself, as the npm package's JS side does): `get` is then `None`, `iter` empty,
//! and a filter that does not [bind](Collection::binds) matches nothing there.
//!
//! [`Collection::filter`] binds the compiled filter's attribute references to slots once per
//! call (not per item), then evaluates the filter one node at a time over a bit set of
//! candidate items (each comparison scans its column once; `and` narrows, `or` skips what is
//! already selected), reading only the columns the filter names, with the
//! same results as [`CompiledFilter::matches`] on the documents (a differential test checks
//! it). A filter compiled for another resource type, whose attributes the collection has no
//! slots for, is evaluated on the documents instead: slower, same answer.
//!
//! Indices are positions: [`Collection::remove`] shifts later items down by one, like
//! `Vec::remove`. Replacing or removing items leaves dead values in the columns, reclaimed
//! when they outnumber the live ones. Ids are indexed: `position`, `upsert` and `remove_id`
//! do not scan.
//!
//! Measured by `cargo bench -p scim-core --bench filter_eval` (10 000 generated users, see
//! `bench-results/filter_eval.txt`): about 120 million evaluations per second for `userName
//! eq`, 250 million for `title pr`, 8 to 100 million for the others; about 1 KB of columns per
//! user besides the documents (a parsed `serde_json::Value` user takes about 6 KB).

mod layout;
mod program;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use self::layout::{attribute, sub_values_of, values_of, Column, Kind, Layout, Leaf, Overflow};
use self::program::{bind, select, Bits};
use crate::error::ScimError;
use crate::query::compile::{AttrLocation, CompiledFilter};
use crate::schema::{Registry, ResourceType};

/// Resources of one resource type in a compact, column-wise form; see the module doc.
#[derive(Debug, Clone)]
pub struct Collection {
    layout: Layout,
    columns: Vec<Column>,
    /// The documents, unless the collection keeps only columns.
    docs: Vec<Value>,
    /// Whether the documents are kept in `docs`.
    keeps_documents: bool,
    /// The number of items held.
    len: usize,
    /// The slot of the top-level `id`, to read an item's id back from its column.
    id_slot: Option<u32>,
    /// Without documents: whether each item's `id` is a string (its column holds `"a"` and
    /// `["a"]` alike).
    string_ids: Vec<bool>,
    /// Each `id` held: the lowest index holding it, and how many resources do.
    ids: BTreeMap<String, (usize, usize)>,
}

impl Collection {
    /// An empty collection for resources of type `rt`.
    pub fn new(registry: &Registry, rt: &ResourceType) -> Collection {
        let layout = Layout::new(registry, rt);
        let columns = layout.slots.iter().map(|_| Column::default()).collect();
        let id_slot = layout.find(&AttrLocation::Top, "id", None);
        Collection {
            layout,
            columns,
            docs: Vec::new(),
            keeps_documents: true,
            len: 0,
            id_slot,
            string_ids: Vec::new(),
            ids: BTreeMap::new(),
        }
    }

    /// An empty collection for resources of type `rt` that keeps only the columns, not the
    /// documents (see the module doc).
    pub fn columns_only(registry: &Registry, rt: &ResourceType) -> Collection {
        Collection {
            keeps_documents: false,
            ..Collection::new(registry, rt)
        }
    }

    /// A collection of `values`, in order; the first value that is not an object fails.
    pub fn from_values(
        registry: &Registry,
        rt: &ResourceType,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Collection, ScimError> {
        let mut c = Collection::new(registry, rt);
        for v in values {
            c.push(v)?;
        }
        c.shrink_to_fit();
        Ok(c)
    }

    /// The number of resources held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no resource is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The resource at `index`, exactly as it was given (`None` when only columns are kept).
    pub fn get(&self, index: usize) -> Option<&Value> {
        self.docs.get(index)
    }

    /// The resources in index order (none when only columns are kept).
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.docs.iter()
    }

    /// Appends `resource` (a JSON object) and returns its index.
    pub fn push(&mut self, resource: Value) -> Result<usize, ScimError> {
        let index = self.len;
        self.write(index, &resource)?;
        if let Some(id) = id_of(&resource) {
            self.ids
                .entry(id.into())
                .and_modify(|e| e.1 += 1)
                .or_insert((index, 1));
        }
        if self.keeps_documents {
            self.docs.push(resource);
        } else {
            self.string_ids.push(id_of(&resource).is_some());
        }
        self.len += 1;
        Ok(index)
    }

    /// Puts `resource` (a JSON object) at `index` and returns the resource it replaces.
    pub fn replace(&mut self, index: usize, resource: Value) -> Result<Value, ScimError> {
        if index >= self.len {
            return Err(ScimError::NotFound(alloc::format!(
                "no resource at index {index}"
            )));
        }
        let old_id = self.id_at(index).map(String::from);
        self.write(index, &resource)?;
        let new_id = id_of(&resource).map(String::from);
        if let Some(flag) = self.string_ids.get_mut(index) {
            *flag = new_id.is_some();
        }
        let old = match self.docs.get_mut(index) {
            Some(slot) => core::mem::replace(slot, resource),
            None => Value::Null,
        };
        let old_id = old_id.as_deref();
        if old_id != new_id.as_deref() {
            if let Some(id) = old_id {
                self.forget_id(id, index);
            }
            if let Some(id) = new_id {
                let e = self.ids.entry(id).or_insert((index, 0));
                e.0 = e.0.min(index);
                e.1 += 1;
            }
        }
        Ok(old)
    }

    /// Replaces the resource with the same `id` as `resource`, or appends it; returns its index.
    pub fn upsert(&mut self, resource: Value) -> Result<usize, ScimError> {
        let existing = id_of(&resource).and_then(|id| self.position(id));
        match existing {
            Some(index) => self.replace(index, resource).map(|_| index),
            None => self.push(resource),
        }
    }

    /// Removes and returns the resource at `index` (`Value::Null` when only columns are
    /// kept); later resources move down by one.
    pub fn remove(&mut self, index: usize) -> Option<Value> {
        if index >= self.len {
            return None;
        }
        if let Some(id) = self.id_at(index).map(String::from) {
            self.forget_id(&id, index);
        }
        for column in &mut self.columns {
            if column.remove(index).is_err() {
                // Compaction only shrinks offsets, so it cannot overflow; stay consistent anyway.
                *column = Column::default();
            }
        }
        self.len -= 1;
        let removed = if self.keeps_documents && index < self.docs.len() {
            self.docs.remove(index)
        } else {
            if index < self.string_ids.len() {
                self.string_ids.remove(index);
            }
            Value::Null
        };
        for e in self.ids.values_mut() {
            if e.0 > index {
                e.0 -= 1;
            }
        }
        Some(removed)
    }

    /// Records that the resource at `index` no longer holds `id` (before it is removed).
    fn forget_id(&mut self, id: &str, index: usize) {
        let Some(&(first, count)) = self.ids.get(id) else {
            return;
        };
        if count <= 1 {
            self.ids.remove(id);
            return;
        }
        // Another resource holds the same id: find the first one when needed (rare, so a scan).
        let next = if first == index {
            (0..self.len).find(|&i| i != index && self.id_at(i) == Some(id))
        } else {
            None
        };
        if let Some(e) = self.ids.get_mut(id) {
            e.1 = count - 1;
            e.0 = next.unwrap_or(first);
        }
    }

    /// The `id` of the resource at `index`, when it is a string.
    fn id_at(&self, index: usize) -> Option<&str> {
        if self.keeps_documents {
            return self.docs.get(index).and_then(id_of);
        }
        if !self.string_ids.get(index).copied().unwrap_or(false) {
            return None;
        }
        let column = self.columns.get(self.id_slot? as usize)?;
        match column.leaves(index) {
            [Leaf {
                kind: Kind::Str { start, len },
                ..
            }] => Some(column.text(*start, *len)),
            _ => None,
        }
    }

    /// The index of the first resource whose `id` is `id` (compared exactly, as ids are).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).map(|e| e.0)
    }

    /// Removes and returns the resource whose `id` is `id`.
    pub fn remove_id(&mut self, id: &str) -> Option<Value> {
        self.position(id).and_then(|i| self.remove(i))
    }

    /// The indices of the resources `filter` matches, ascending.
    pub fn filter(&self, filter: &CompiledFilter) -> Vec<u32> {
        let to_u32 = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        match self.select(filter) {
            Some(bits) => bits.iter().map(to_u32).collect(),
            None => (0..self.len)
                .filter(|&i| self.docs.get(i).is_some_and(|d| filter.matches(d)))
                .map(to_u32)
                .collect(),
        }
    }

    /// How many resources `filter` matches.
    pub fn count(&self, filter: &CompiledFilter) -> usize {
        match self.select(filter) {
            Some(bits) => bits.len(),
            None => self.docs.iter().filter(|d| filter.matches(d)).count(),
        }
    }

    /// The items `filter` selects, or `None` when it does not bind to the columns.
    fn select(&self, filter: &CompiledFilter) -> Option<Bits> {
        let op = bind(&self.layout, filter.root(), None)?;
        Some(select(&self.columns, &op, Bits::all(self.len)))
    }

    /// Gives back the spare capacity of the columns (after building or a batch of changes).
    pub fn shrink_to_fit(&mut self) {
        for column in &mut self.columns {
            column.shrink_to_fit();
        }
        self.docs.shrink_to_fit();
    }

    /// Heap bytes of the compact columns and the id index (the documents kept alongside are
    /// not counted; the id index's tree nodes are estimated from their entries).
    pub fn resident_bytes(&self) -> usize {
        let entry = core::mem::size_of::<(String, (usize, usize))>();
        self.columns.iter().map(Column::bytes).sum::<usize>()
            + self.columns.capacity() * core::mem::size_of::<Column>()
            + self.ids.keys().map(|k| k.capacity() + entry).sum::<usize>()
    }

    /// Whether `filter` binds to the columns (else it is evaluated on the documents, and
    /// matches nothing when only columns are kept).
    pub fn binds(&self, filter: &CompiledFilter) -> bool {
        bind(&self.layout, filter.root(), None).is_some()
    }

    /// Writes the columns of item `index` from `resource`.
    fn write(&mut self, index: usize, resource: &Value) -> Result<(), ScimError> {
        let Value::Object(doc) = resource else {
            return Err(ScimError::InvalidValue {
                path: alloc::string::String::new(),
                message: "a resource must be a JSON object".into(),
            });
        };
        let too_large = |Overflow| ScimError::TooMany("the collection is too large".into());
        let mut values = Vec::new();
        for group in &self.layout.groups {
            let attr = attribute(group, doc);
            values_of(attr, &mut values);
            let slots = &self.layout.slots;
            if let (Some(col), Some(slot)) = (
                self.columns.get_mut(group.slot as usize),
                slots.get(group.slot as usize),
            ) {
                col.set(index, slot, &values).map_err(too_large)?;
            }
            for (sub, s) in &group.subs {
                sub_values_of(attr, sub, &mut values);
                if let (Some(col), Some(slot)) =
                    (self.columns.get_mut(*s as usize), slots.get(*s as usize))
                {
                    col.set(index, slot, &values).map_err(too_large)?;
                }
            }
        }
        Ok(())
    }
}

/// The `id` of a resource, when it is a string.
fn id_of(resource: &Value) -> Option<&str> {
    resource.get("id").and_then(Value::as_str)
}

#[cfg(test)]
mod tests;
