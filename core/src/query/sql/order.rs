//! `ORDER BY` for a [`SortSpec`], following [`sort`](crate::query::sort) rule by rule.

use alloc::format;
use alloc::string::String;

use super::instant;
use super::text::{foldable, literal, member};
use crate::query::compile::{AttrLocation, AttrRef};
use crate::query::sort::{SortOrder, SortSpec};
use crate::schema::AttrType;

/// The default order: `meta.created`, then `id` (see [`crate::service::store`]).
pub(super) const DEFAULT_ORDER: &str = "r.created, r.id";

/// How a page is ordered.
pub(super) struct Order {
    /// The `ORDER BY` list.
    pub(super) by: String,
    /// An aggregate over the matches that is 1 when SQL's order may differ from core's (text
    /// keys with characters `lower()` does not fold), else 0.
    pub(super) resort: String,
}

/// The column holding `r` when it is `meta.created` or `meta.lastModified`: fixed-width UTC
/// text (see [`Index`](crate::service::store::Index)).
pub(super) fn timestamp_column(r: &AttrRef) -> Option<&'static str> {
    if r.location != AttrLocation::Top || r.attr != "meta" {
        return None;
    }
    match r.sub.as_deref() {
        Some("created") => Some("r.created"),
        Some("lastModified") => Some("r.last_modified"),
        _ => None,
    }
}

/// SQL giving the JSON path, in `r.data`, of the value `r` sorts by: the primary value of a
/// multi-valued attribute, else its first; `None` when a name cannot be put in a path.
fn picked_path(r: &AttrRef) -> Option<String> {
    let base = match &r.location {
        AttrLocation::Top => member("$", &r.attr)?,
        AttrLocation::Extension(urn) => member(&member("$", urn)?, &r.attr)?,
    };
    let sub = match &r.sub {
        Some(sub) => Some(member("", sub)?),
        None => None,
    };
    if !r.multi_valued {
        return Some(literal(&match sub {
            Some(sub) => format!("{base}{sub}"),
            None => base,
        }));
    }
    let array = literal(&base);
    let index = format!(
        "COALESCE((SELECT s.key FROM json_each(r.data, {array}) AS s \
         WHERE json_type(CASE WHEN s.type = 'object' THEN s.value END, '$.\"primary\"') = 'true' \
         ORDER BY s.key LIMIT 1), 0)"
    );
    let tail = sub.map_or(String::new(), |s| format!(" || {}", literal(&s)));
    Some(format!("{array} || '[' || {index} || ']'{tail}"))
}

/// The order of `spec`, ties broken by the default order; the default order without one.
pub(super) fn order(spec: Option<&SortSpec>) -> Order {
    let Some(spec) = spec else {
        return Order {
            by: DEFAULT_ORDER.into(),
            resort: "0".into(),
        };
    };
    let dir = match spec.order {
        SortOrder::Ascending => "ASC",
        SortOrder::Descending => "DESC",
    };
    if let Some(column) = timestamp_column(&spec.attr) {
        // Fixed-width UTC text sorts as time; '' (no timestamp) sorts as missing.
        return Order {
            by: format!(
                "CASE WHEN length({column}) = 24 THEN 2 ELSE 4 END {dir}, {column} {dir}, \
                 {DEFAULT_ORDER}"
            ),
            resort: "0".into(),
        };
    }
    let Some(path) = picked_path(&spec.attr) else {
        return Order {
            by: DEFAULT_ORDER.into(),
            resort: "1".into(),
        };
    };
    let t = format!("json_type(r.data, {path})");
    let v = format!("json_extract(r.data, {path})");
    let date_time = spec.attr.ty == AttrType::DateTime;
    // Kinds as sort.rs ranks them: booleans, numbers, date-times, text, then no value.
    let (text_rank, text_key) = if date_time {
        let key = instant::key(&v);
        (format!("CASE WHEN {key} IS NULL THEN 4 ELSE 2 END"), key)
    } else if spec.attr.case_exact {
        (format!("CASE WHEN {v} = '' THEN 4 ELSE 3 END"), v.clone())
    } else {
        (
            format!("CASE WHEN {v} = '' THEN 4 ELSE 3 END"),
            format!("lower({v})"),
        )
    };
    let rank = format!(
        "CASE {t} WHEN 'true' THEN 0 WHEN 'false' THEN 0 WHEN 'integer' THEN 1 \
         WHEN 'real' THEN 1 WHEN 'text' THEN {text_rank} ELSE 4 END"
    );
    let key = format!(
        "CASE {t} WHEN 'text' THEN {text_key} WHEN 'true' THEN 1 WHEN 'false' THEN 0 \
         WHEN 'integer' THEN {v} WHEN 'real' THEN {v} END"
    );
    let resort = if date_time || spec.attr.case_exact {
        "0".into()
    } else {
        format!(
            "COALESCE(MAX(CASE WHEN {t} = 'text' THEN {} ELSE 0 END), 0)",
            foldable(&v)
        )
    };
    Order {
        by: format!("{rank} {dir}, {key} {dir}, {DEFAULT_ORDER}"),
        resort,
    }
}
