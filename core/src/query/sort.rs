//! Sorting by an attribute path (RFC 7644 §3.4.2.3).
//!
//! - `sortOrder` is `ascending` (the default when absent) or `descending`, in any case; any
//!   other value is `invalidValue`.
//! - `sortBy` is resolved like a filter path; an unknown attribute is `invalidValue` (the RFC
//!   gives no error for it, and silently ignoring a typo would hide it). A complex attribute
//!   without sub-attribute sorts by its `value` sub-attribute; one without `value` (`name`) is
//!   `invalidValue`.
//! - A multi-valued attribute sorts by its `primary` value, else its first value.
//! - Strings sort by code point, lowercased first unless the attribute is `caseExact`;
//!   dateTime values by instant; numbers numerically; `false` before `true`.
//! - Resources without a value (missing, null, an unparsable date-time) sort last when
//!   ascending and first when descending, as the RFC says.
//! - The sort is stable, and keys are computed once per resource.

use alloc::borrow::Cow;
use alloc::format;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;

use serde_json::Value;

use super::ast::AttrPath;
use super::compile::{fold, path_text, AttrLocation, AttrRef};
use super::datetime::Instant;
use crate::error::ScimError;
use crate::schema::{AttrType, Location, Registry, ResourceType};

/// The direction of a sort.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first; resources without a value last.
    #[default]
    Ascending,
    /// Largest first; resources without a value first.
    Descending,
}

impl SortOrder {
    /// Parses `sortOrder`: absent means ascending; `ascending`/`descending` in any case.
    pub fn parse(text: Option<&str>) -> Result<SortOrder, ScimError> {
        match text {
            None => Ok(SortOrder::Ascending),
            Some(t) if t.eq_ignore_ascii_case("ascending") => Ok(SortOrder::Ascending),
            Some(t) if t.eq_ignore_ascii_case("descending") => Ok(SortOrder::Descending),
            Some(t) => Err(ScimError::invalid_value(
                "sortOrder",
                format!("'{t}' is neither 'ascending' nor 'descending'"),
            )),
        }
    }
}

/// A compiled `sortBy`/`sortOrder` pair.
#[derive(Debug, Clone, PartialEq)]
pub struct SortSpec {
    /// The attribute sorted by (a complex attribute's `value` when no sub-attribute is named).
    pub attr: AttrRef,
    /// The direction.
    pub order: SortOrder,
}

impl SortSpec {
    /// Resolves `sort_by` against `rt`.
    pub fn new(
        registry: &Registry,
        rt: &ResourceType,
        sort_by: &AttrPath,
        order: SortOrder,
    ) -> Result<SortSpec, ScimError> {
        let text = path_text(sort_by);
        let invalid = |why: &str| ScimError::invalid_value("sortBy", format!("'{text}' {why}"));
        let urn = sort_by.urn.as_deref();
        let resolved = registry
            .resolve(rt, urn, &sort_by.name, sort_by.sub.as_deref())
            .ok_or_else(|| invalid("is not an attribute of this resource type"))?;
        let sub = match (resolved.sub, resolved.attr.ty) {
            (None, AttrType::Complex) => Some(
                resolved
                    .attr
                    .sub_attribute("value")
                    .ok_or_else(|| invalid("is complex: sort by one of its sub-attributes"))?,
            ),
            (sub, _) => sub,
        };
        let leaf = sub.unwrap_or(resolved.attr);
        Ok(SortSpec {
            attr: AttrRef {
                location: match resolved.location {
                    Location::Top => AttrLocation::Top,
                    Location::Extension(urn) => AttrLocation::Extension(urn.into()),
                },
                attr: resolved.attr.name.clone(),
                sub: sub.map(|s| s.name.clone()),
                multi_valued: resolved.attr.multi_valued,
                ty: leaf.ty,
                case_exact: leaf.case_exact,
            },
            order,
        })
    }

    /// The sort key of one resource.
    fn key<'v>(&self, resource: &'v Value) -> Key<'v> {
        let r = &self.attr;
        let base = match &r.location {
            AttrLocation::Top => Some(resource),
            AttrLocation::Extension(urn) => resource.get(urn.as_str()),
        };
        let mut value = base.and_then(|b| b.get(r.attr.as_str())).and_then(pick);
        if let Some(sub) = &r.sub {
            value = value.and_then(|v| v.get(sub.as_str())).and_then(pick);
        }
        match (value, r.ty) {
            (Some(Value::String(s)), AttrType::DateTime) => {
                Instant::parse(s).map_or(Key::Missing, Key::Time)
            }
            (Some(Value::String(s)), _) if s.is_empty() => Key::Missing,
            (Some(Value::String(s)), _) if r.case_exact || !has_upper(s) => {
                Key::Text(Cow::Borrowed(s))
            }
            (Some(Value::String(s)), _) => Key::Text(Cow::Owned(fold(s))),
            (Some(Value::Number(n)), _) => match n.as_i64() {
                Some(i) => Key::Int(i),
                None => n.as_f64().map_or(Key::Missing, Key::Float),
            },
            (Some(Value::Bool(b)), _) => Key::Bool(*b),
            _ => Key::Missing,
        }
    }
}

/// Sorts `resources` by `spec`, stably, computing each resource's key once.
pub fn sort<T: Borrow<Value>>(resources: &mut [T], spec: &SortSpec) {
    let order: Vec<usize> = {
        let mut keyed: Vec<(Key<'_>, usize)> = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (spec.key(r.borrow()), i))
            .collect();
        match spec.order {
            SortOrder::Ascending => keyed.sort_by(|a, b| a.0.compare(&b.0)),
            SortOrder::Descending => keyed.sort_by(|a, b| b.0.compare(&a.0)),
        }
        keyed.into_iter().map(|(_, i)| i).collect()
    };
    permute(resources, order);
}

/// Rearranges `items` so that position `k` holds what was at `order[k]` (a permutation).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut cur = start;
        while let Some(slot) = order.get_mut(cur) {
            let src = core::mem::replace(slot, DONE);
            if src == DONE || src == start || src >= items.len() {
                break;
            }
            items.swap(cur, src);
            cur = src;
        }
    }
}

/// The value a multi-valued attribute sorts by: the primary one, else the first.
fn pick(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(items) => items
            .iter()
            .find(|e| e.get("primary") == Some(&Value::Bool(true)))
            .or_else(|| items.first()),
        Value::Null => None,
        other => Some(other),
    }
}

/// Whether lowercasing would change `s`.
fn has_upper(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s.chars().any(|c| c.to_lowercase().ne(core::iter::once(c)))
    }
}

/// A resource's sort key; [`Key::Missing`] sorts after every value.
#[derive(Debug)]
enum Key<'v> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Time(Instant),
    Text(Cow<'v, str>),
    Missing,
}

impl Key<'_> {
    /// Order of kinds, for values whose JSON type does not match the schema.
    fn rank(&self) -> u8 {
        match self {
            Key::Bool(_) => 0,
            Key::Int(_) | Key::Float(_) => 1,
            Key::Time(_) => 2,
            Key::Text(_) => 3,
            Key::Missing => 4,
        }
    }

    fn compare(&self, other: &Key<'_>) -> Ordering {
        match (self, other) {
            (Key::Bool(a), Key::Bool(b)) => a.cmp(b),
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Int(a), Key::Float(b)) => (*a as f64).total_cmp(b),
            (Key::Float(a), Key::Int(b)) => a.total_cmp(&(*b as f64)),
            (Key::Float(a), Key::Float(b)) => a.total_cmp(b),
            (Key::Time(a), Key::Time(b)) => a.cmp(b),
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_attr_path;
    use alloc::vec;
    use alloc::vec::Vec;
    use serde_json::json;

    fn spec(path: &str, order: SortOrder) -> Result<SortSpec, ScimError> {
        let reg = Registry::builtin();
        let rt = reg.resource_type("User").cloned().unwrap();
        SortSpec::new(&reg, &rt, &parse_attr_path(path).unwrap(), order)
    }

    fn ids(items: &[Value]) -> Vec<&str> {
        items
            .iter()
            .map(|v| v["id"].as_str().unwrap_or("?"))
            .collect()
    }

    fn sorted(mut items: Vec<Value>, path: &str, order: SortOrder) -> Vec<Value> {
        sort(&mut items, &spec(path, order).unwrap());
        items
    }

    #[test]
    fn sort_order_parses_case_insensitively_and_defaults_to_ascending() {
        assert_eq!(SortOrder::parse(None), Ok(SortOrder::Ascending));
        assert_eq!(
            SortOrder::parse(Some("DESCENDING")),
            Ok(SortOrder::Descending)
        );
        assert_eq!(
            SortOrder::parse(Some("Ascending")),
            Ok(SortOrder::Ascending)
        );
        let err = SortOrder::parse(Some("up")).unwrap_err();
        assert_eq!(err.scim_type(), Some(crate::ScimType::InvalidValue));
    }

    #[test]
    fn strings_sort_case_insensitively_with_missing_last_ascending() {
        let users = vec![
            json!({"id": "1", "userName": "bob"}),
            json!({"id": "2"}),
            json!({"id": "3", "userName": "Alice"}),
            json!({"id": "4", "userName": "carol"}),
            json!({"id": "5", "userName": null}),
        ];
        let asc = sorted(users.clone(), "userName", SortOrder::Ascending);
        assert_eq!(ids(&asc), ["3", "1", "4", "2", "5"]);
        let desc = sorted(users, "userName", SortOrder::Descending);
        assert_eq!(ids(&desc), ["2", "5", "4", "1", "3"]);
    }

    #[test]
    fn case_exact_strings_sort_by_code_point() {
        let users = vec![
            json!({"id": "1", "externalId": "b"}),
            json!({"id": "2", "externalId": "B"}),
            json!({"id": "3", "externalId": "a"}),
        ];
        let asc = sorted(users, "externalId", SortOrder::Ascending);
        assert_eq!(ids(&asc), ["2", "3", "1"]);
    }

    #[test]
    fn equal_keys_keep_their_order_in_both_directions() {
        let users = vec![
            json!({"id": "1", "userName": "same"}),
            json!({"id": "2", "userName": "SAME"}),
            json!({"id": "3", "userName": "Same"}),
        ];
        assert_eq!(
            ids(&sorted(users.clone(), "userName", SortOrder::Ascending)),
            ["1", "2", "3"]
        );
        assert_eq!(
            ids(&sorted(users, "userName", SortOrder::Descending)),
            ["1", "2", "3"]
        );
    }

    #[test]
    fn date_times_sort_as_instants_across_offsets() {
        let users = vec![
            json!({"id": "1", "meta": {"lastModified": "2024-01-01T10:00:00+02:00"}}),
            json!({"id": "2", "meta": {"lastModified": "2024-01-01T08:30:00Z"}}),
            json!({"id": "3", "meta": {"lastModified": "2024-01-01T07:59:59.5Z"}}),
            json!({"id": "4", "meta": {"lastModified": "not a date"}}),
        ];
        let asc = sorted(users, "meta.lastModified", SortOrder::Ascending);
        assert_eq!(ids(&asc), ["3", "1", "2", "4"]);
    }

    #[test]
    fn multi_valued_sorts_by_primary_else_first_value() {
        let users = vec![
            json!({"id": "1", "emails": [{"value": "a@x.com"}, {"value": "z@x.com", "primary": true}]}),
            json!({"id": "2", "emails": [{"value": "m@x.com"}, {"value": "b@x.com"}]}),
            json!({"id": "3", "emails": []}),
        ];
        let asc = sorted(users.clone(), "emails.value", SortOrder::Ascending);
        assert_eq!(ids(&asc), ["2", "1", "3"]);
        let by_complex = sorted(users, "emails", SortOrder::Ascending);
        assert_eq!(ids(&by_complex), ["2", "1", "3"]);
    }

    #[test]
    fn booleans_and_extension_attributes_sort() {
        let users = vec![
            json!({"id": "1", "active": true}),
            json!({"id": "2", "active": false}),
        ];
        assert_eq!(
            ids(&sorted(users, "active", SortOrder::Ascending)),
            ["2", "1"]
        );
        let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let users = vec![
            json!({"id": "1", urn: {"employeeNumber": "b"}}),
            json!({"id": "2", urn: {"employeeNumber": "a"}}),
        ];
        let path = format!("{urn}:employeeNumber");
        assert_eq!(ids(&sorted(users, &path, SortOrder::Ascending)), ["2", "1"]);
    }

    #[test]
    fn unknown_or_complex_sort_by_is_invalid_value() {
        for bad in ["shoeSize", "name"] {
            let err = spec(bad, SortOrder::Ascending).unwrap_err();
            assert_eq!(
                err.scim_type(),
                Some(crate::ScimType::InvalidValue),
                "{bad}"
            );
        }
    }

    #[test]
    fn sorts_slices_of_references() {
        let users = [
            json!({"id": "1", "userName": "b"}),
            json!({"id": "2", "userName": "a"}),
        ];
        let mut refs: Vec<&Value> = users.iter().collect();
        sort(&mut refs, &spec("userName", SortOrder::Ascending).unwrap());
        assert_eq!(refs[0]["id"], "2");
    }

    #[test]
    fn permute_applies_any_permutation() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c']);
    }
}
