//! Translation of compiled filter nodes into SQL conditions over `resources AS r`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::instant;
use super::order::timestamp_column;
use super::text::{fold_expr, foldable, literal, member, preimages};
use super::{SqlValue, MAX_PARAMS};
use crate::query::ast::CompareOp;
use crate::query::compile::{AttrLocation, AttrRef, Comparison, Literal, Node};
use crate::query::datetime::Instant;
use crate::resource::meta::timestamp;

/// Largest integer a JavaScript number holds exactly (D1 binds numbers as `f64`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Predicate on the `type` and `atom` columns of a `json_tree` row: a value that counts as
/// present (RFC 7643 §2.5): not null, not an empty string.
fn present_atom(alias: &str) -> String {
    format!(
        "{alias}.type IN ('true', 'false', 'integer', 'real') \
         OR ({alias}.type = 'text' AND {alias}.atom <> '')"
    )
}

/// An SQL condition: exact, or bracketed between a superset and a subset of the matches.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cond {
    /// Selects exactly the resources the filter matches.
    Exact(String),
    /// `upper` selects a superset of the matches, `lower` a subset.
    Range {
        /// The superset condition.
        upper: String,
        /// The subset condition.
        lower: String,
    },
}

impl Cond {
    /// A condition SQL cannot decide: everything above, nothing below.
    fn unknown() -> Cond {
        Cond::Range {
            upper: "1".into(),
            lower: "0".into(),
        }
    }

    /// The condition selecting a superset of the matches (exactly them when exact).
    pub(super) fn upper(&self) -> &str {
        match self {
            Cond::Exact(s) | Cond::Range { upper: s, .. } => s,
        }
    }

    fn lower(&self) -> &str {
        match self {
            Cond::Exact(s) | Cond::Range { lower: s, .. } => s,
        }
    }

    /// Whether the condition selects exactly the matches.
    pub(super) fn is_exact(&self) -> bool {
        matches!(self, Cond::Exact(_))
    }

    /// Both bounds wrapped by `f`, which must be monotonic (bounds stay bounds).
    fn map(self, f: impl Fn(&str) -> String) -> Cond {
        match self {
            Cond::Exact(s) => Cond::Exact(f(&s)),
            Cond::Range { upper, lower } => Cond::Range {
                upper: f(&upper),
                lower: f(&lower),
            },
        }
    }

    /// The negation; NULL (unknown) counts as false, as in a WHERE clause.
    fn not(self) -> Cond {
        let neg = |s: &str| format!("NOT COALESCE(({s}), 0)");
        match self {
            Cond::Exact(s) => Cond::Exact(neg(&s)),
            Cond::Range { upper, lower } => Cond::Range {
                upper: neg(&lower),
                lower: neg(&upper),
            },
        }
    }

    /// `items` joined by `op` (`AND` or `OR`), both monotonic.
    fn join(items: Vec<Cond>, op: &str) -> Cond {
        let sep = format!(") {op} (");
        let bound = |f: fn(&Cond) -> &str| {
            let parts: Vec<&str> = items.iter().map(f).collect();
            format!("({})", parts.join(&sep))
        };
        if items.iter().all(Cond::is_exact) {
            Cond::Exact(bound(Cond::upper))
        } else {
            Cond::Range {
                upper: bound(Cond::upper),
                lower: bound(Cond::lower),
            }
        }
    }
}

/// What a node's attribute references are relative to.
enum Scope {
    /// The resource row `r`.
    Resource,
    /// One value of a complex attribute: the JSON at `path` in the SQL expression `doc`.
    Element {
        /// SQL giving the JSON text holding the value.
        doc: String,
        /// JSON path of the value in `doc`.
        path: String,
    },
}

/// One JSON value a comparison looks at.
enum Val {
    /// The value at JSON `path` in the SQL expression `doc`.
    Path {
        /// SQL giving the JSON text.
        doc: String,
        /// JSON path in it.
        path: String,
    },
    /// The current row of the `json_each` aliased so.
    Item(String),
}

impl Val {
    /// SQL giving the value (text, integer, real, 0/1 for booleans, NULL when missing).
    fn sql(&self) -> String {
        match self {
            Val::Path { doc, path } => format!("json_extract({doc}, {})", literal(path)),
            Val::Item(alias) => format!("{alias}.value"),
        }
    }
}

/// The JSON path of `r`'s top-level attribute in the resource document.
fn base_path(r: &AttrRef) -> Option<String> {
    match &r.location {
        AttrLocation::Top => member("$", &r.attr),
        AttrLocation::Extension(urn) => member(&member("$", urn)?, &r.attr),
    }
}

/// SQL giving the JSON text of the `json_each` row `alias` when it is an object, else NULL.
fn element_doc(alias: &str) -> String {
    format!("CASE WHEN {alias}.type = 'object' THEN {alias}.value END")
}

/// The SQL comparison operator of an ordering or equality `op`.
fn symbol(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        _ => "=",
    }
}

/// Whether `lit` contains a Greek sigma, whose lowercase differs between `str::to_lowercase`
/// (the `unique_key` column: final ς) and `char::to_lowercase` (filters: σ).
fn has_sigma(lit: &str) -> bool {
    lit.contains(['σ', 'ς'])
}

/// Builds conditions, collecting their parameters.
pub(super) struct Translator<'a> {
    /// Parameters bound so far, in `?N` order.
    pub(super) params: Vec<SqlValue>,
    /// The top-level attribute held, lowercased unless caseExact, in `unique_key`.
    unique_key: Option<&'a str>,
    /// Counter for `json_each`/`json_tree` aliases.
    aliases: usize,
}

impl<'a> Translator<'a> {
    /// A translator whose statements already bind `params`.
    pub(super) fn new(params: Vec<SqlValue>, unique_key: Option<&'a str>) -> Self {
        Translator {
            params,
            unique_key,
            aliases: 0,
        }
    }

    /// The condition of a filter's root node.
    pub(super) fn filter(&mut self, root: &Node) -> Cond {
        self.node(root, &Scope::Resource)
    }

    /// The index an equality among the top-level conjuncts of `root` looks up, so that the
    /// statement can name it (`INDEXED BY`): without statistics, SQLite may prefer walking
    /// the `created` index to avoid sorting, or scanning to probing an `IN` list.
    pub(super) fn seek_index(&self, root: &Node) -> Option<&'static str> {
        match self.seek_column(root)? {
            "r.unique_key" => Some("resources_unique_key"),
            "r.external_id" => Some("resources_external_id"),
            _ => None,
        }
    }

    /// The indexed column (`r.unique_key`, `r.external_id` or `r.id`) that a top-level
    /// conjunct of `root` tests for equality with string literals, if any.
    pub(super) fn seek_column(&self, root: &Node) -> Option<&'static str> {
        let column = match root {
            Node::And(items) => return items.iter().find_map(|n| self.seek_column(n)),
            Node::Compare(c) => self.eq_column(core::slice::from_ref(&c)),
            Node::Or(items) => {
                let comparisons: Option<Vec<&Comparison>> = items
                    .iter()
                    .map(|n| match n {
                        Node::Compare(c) => Some(c),
                        _ => None,
                    })
                    .collect();
                self.eq_column(&comparisons?)
            }
            _ => None,
        };
        column.filter(|c| matches!(*c, "r.unique_key" | "r.external_id" | "r.id"))
    }

    /// The column that `eq` comparisons of one attribute with string literals test, if any.
    fn eq_column(&self, comparisons: &[&Comparison]) -> Option<&'static str> {
        let attr = &comparisons.first()?.attr;
        let mut lits = Vec::with_capacity(comparisons.len());
        for c in comparisons {
            match (&c.value, c.op) {
                (Literal::String(lit), CompareOp::Eq) if c.attr == *attr => lits.push(lit.as_str()),
                _ => return None,
            }
        }
        self.column_of(attr, &lits, true, &Scope::Resource)
    }

    fn alias(&mut self, prefix: &str) -> String {
        self.aliases += 1;
        format!("{prefix}{}", self.aliases)
    }

    /// A text parameter, or an inline literal once the parameter budget is spent.
    fn text(&mut self, s: &str) -> String {
        if self.params.len() < MAX_PARAMS {
            self.params.push(SqlValue::Text(s.to_string()));
            format!("?{}", self.params.len())
        } else {
            literal(s)
        }
    }

    /// An integer parameter; inline beyond the budget or beyond what an `f64` holds exactly.
    fn integer(&mut self, i: i64) -> String {
        if self.params.len() < MAX_PARAMS && (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            self.params.push(SqlValue::Integer(i));
            format!("?{}", self.params.len())
        } else {
            i.to_string()
        }
    }

    /// A real parameter, inline beyond the budget.
    fn real(&mut self, d: f64) -> String {
        if self.params.len() < MAX_PARAMS {
            self.params.push(SqlValue::Real(d));
            format!("?{}", self.params.len())
        } else if d.is_finite() {
            format!("{d:?}")
        } else if d > 0.0 {
            "9e999".into()
        } else if d < 0.0 {
            "-9e999".into()
        } else {
            "NULL".into()
        }
    }

    fn node(&mut self, node: &Node, scope: &Scope) -> Cond {
        match node {
            Node::Const(b) => Cond::Exact(if *b { "1" } else { "0" }.into()),
            Node::Not(inner) => self.node(inner, scope).not(),
            Node::And(items) => {
                let conds = items.iter().map(|n| self.node(n, scope)).collect();
                Cond::join(conds, "AND")
            }
            Node::Or(items) => self.or(items, scope),
            Node::Present(r) => self.present(r, scope),
            Node::Compare(c) => self.compare(c, scope),
            Node::ValuePath { attr, filter } => self.value_path(attr, filter, scope),
        }
    }

    /// `or`, with `eq` comparisons of one attribute with string literals merged into one
    /// `IN (SELECT value FROM json_each(?))` test (one parameter, however many terms).
    fn or(&mut self, items: &[Node], scope: &Scope) -> Cond {
        let mut groups: Vec<Vec<&Comparison>> = Vec::new();
        let mut others: Vec<&Node> = Vec::new();
        for item in items {
            match item {
                Node::Compare(
                    c @ Comparison {
                        op: CompareOp::Eq,
                        value: Literal::String(_),
                        ..
                    },
                ) => match groups
                    .iter_mut()
                    .find(|g| g.first().is_some_and(|f| f.attr == c.attr))
                {
                    Some(group) => group.push(c),
                    None => groups.push(alloc::vec![c]),
                },
                other => others.push(other),
            }
        }
        let mut conds = Vec::with_capacity(groups.len() + others.len());
        for group in groups {
            conds.push(match group.as_slice() {
                [single] => self.compare(single, scope),
                _ => self.eq_any(&group, scope),
            });
        }
        for other in others {
            conds.push(self.node(other, scope));
        }
        Cond::join(conds, "OR")
    }

    fn value_path(&mut self, attr: &AttrRef, filter: &Node, scope: &Scope) -> Cond {
        let (Scope::Resource, Some(base)) = (scope, base_path(attr)) else {
            return match scope {
                Scope::Resource => Cond::unknown(),
                Scope::Element { .. } => Cond::Exact("0".into()),
            };
        };
        if attr.multi_valued {
            let alias = self.alias("j");
            let element = Scope::Element {
                doc: element_doc(&alias),
                path: "$".into(),
            };
            let array = literal(&base);
            self.node(filter, &element).map(|w| {
                format!(
                    "EXISTS (SELECT 1 FROM json_each(r.data, {array}) AS {alias} \
                     WHERE {alias}.type = 'object' AND ({w}))"
                )
            })
        } else {
            let object = literal(&base);
            let element = Scope::Element {
                doc: "r.data".into(),
                path: base,
            };
            self.node(filter, &element)
                .map(|w| format!("(json_type(r.data, {object}) = 'object' AND ({w}))"))
        }
    }

    /// `f` applied to the values `r` designates in `scope`; any of them may satisfy it.
    fn values(
        &mut self,
        r: &AttrRef,
        scope: &Scope,
        f: impl FnOnce(&mut Self, &Val) -> Cond,
    ) -> Cond {
        match scope {
            Scope::Element { doc, path } => match &r.sub {
                Some(sub) => match member(path, sub) {
                    Some(path) => f(
                        self,
                        &Val::Path {
                            doc: doc.clone(),
                            path,
                        },
                    ),
                    None => Cond::unknown(),
                },
                None => Cond::Exact("0".into()),
            },
            Scope::Resource => {
                let Some(base) = base_path(r) else {
                    return Cond::unknown();
                };
                if !r.multi_valued {
                    let path = match &r.sub {
                        Some(sub) => member(&base, sub),
                        None => Some(base),
                    };
                    return match path {
                        Some(path) => f(
                            self,
                            &Val::Path {
                                doc: "r.data".into(),
                                path,
                            },
                        ),
                        None => Cond::unknown(),
                    };
                }
                let alias = self.alias("j");
                let inner = match &r.sub {
                    None => f(self, &Val::Item(alias.clone())),
                    Some(sub) => match member("$", sub) {
                        Some(path) => f(
                            self,
                            &Val::Path {
                                doc: element_doc(&alias),
                                path,
                            },
                        ),
                        None => return Cond::unknown(),
                    },
                };
                let array = literal(&base);
                inner.map(|w| {
                    format!(
                        "EXISTS (SELECT 1 FROM json_each(r.data, {array}) AS {alias} WHERE {w})"
                    )
                })
            }
        }
    }

    fn present(&mut self, r: &AttrRef, scope: &Scope) -> Cond {
        let tree = |t: &mut Self, doc: &str, path: &str| {
            let alias = t.alias("t");
            Cond::Exact(format!(
                "EXISTS (SELECT 1 FROM json_tree({doc}, {}) AS {alias} WHERE {})",
                literal(path),
                present_atom(&alias)
            ))
        };
        match (scope, r.multi_valued && r.sub.is_some()) {
            // A whole attribute: any value anywhere inside it that is present.
            (Scope::Resource, false) => {
                let path = match (base_path(r), &r.sub) {
                    (Some(base), Some(sub)) => member(&base, sub),
                    (base, None) => base,
                    (None, Some(_)) => None,
                };
                match path {
                    Some(path) => tree(self, "r.data", &path),
                    None => Cond::unknown(),
                }
            }
            _ => self.values(r, scope, |t, v| match v {
                Val::Path { doc, path } => tree(t, doc, path),
                Val::Item(_) => Cond::unknown(),
            }),
        }
    }

    fn compare(&mut self, c: &Comparison, scope: &Scope) -> Cond {
        let found = match self.column(c, scope) {
            Some(cond) => cond,
            None => self.values(&c.attr, scope, |t, v| t.leaf(c, &v.sql())),
        };
        if c.op == CompareOp::Ne {
            found.not()
        } else {
            found
        }
    }

    /// The index column holding `r`'s value exactly, for comparisons of `r` with `lits`.
    fn column_of(
        &self,
        r: &AttrRef,
        lits: &[&str],
        eq: bool,
        scope: &Scope,
    ) -> Option<&'static str> {
        let plain = matches!(scope, Scope::Resource)
            && r.location == AttrLocation::Top
            && r.sub.is_none()
            && !r.multi_valued;
        if !plain {
            return None;
        }
        match r.attr.as_str() {
            "id" if r.case_exact => Some("r.id"),
            "externalId" if r.case_exact => Some("r.external_id"),
            name if eq
                && self.unique_key == Some(name)
                && (r.case_exact || !lits.iter().any(|l| has_sigma(l))) =>
            {
                Some("r.unique_key")
            }
            _ => None,
        }
    }

    /// A comparison answered by an index column, when one holds the attribute.
    fn column(&mut self, c: &Comparison, scope: &Scope) -> Option<Cond> {
        if let Literal::DateTime(t) = &c.value {
            if !matches!(scope, Scope::Resource) {
                return None;
            }
            let column = timestamp_column(&c.attr)?;
            return Some(self.timestamp(column, c.op, t));
        }
        let Literal::String(lit) = &c.value else {
            return None;
        };
        let eq = matches!(c.op, CompareOp::Eq | CompareOp::Ne);
        let column = self.column_of(&c.attr, &[lit], eq, scope)?;
        if column == "r.unique_key" {
            let p = self.text(lit);
            return Some(Cond::Exact(format!("r.unique_key = {p}")));
        }
        Some(self.string(column, c.op, lit, true))
    }

    /// `column op t` for a timestamp column (fixed-width UTC text with milliseconds, `''` when
    /// the resource has none); `ne` tested as `eq`.
    fn timestamp(&mut self, column: &str, op: CompareOp, t: &Instant) -> Cond {
        let millis = timestamp(*t);
        // Stored values are whole milliseconds: against an instant between two of them,
        // `>`/`>=` mean "after the millisecond below", `<`/`<=` "at or before it".
        let between = !t.subsec_nanos().is_multiple_of(1_000_000);
        let sym = match (op, between) {
            (CompareOp::Eq | CompareOp::Ne, true) => return Cond::Exact("0".into()),
            (CompareOp::Gt | CompareOp::Ge, true) => ">",
            (CompareOp::Lt | CompareOp::Le, true) => "<=",
            (CompareOp::Co | CompareOp::Sw | CompareOp::Ew, _) => return Cond::Exact("0".into()),
            (op, false) => symbol(op),
        };
        let p = self.text(&millis);
        Cond::Exact(format!("(length({column}) = 24 AND {column} {sym} {p})"))
    }

    /// `attr eq lit₁ or attr eq lit₂ …`: comparisons of one attribute with string literals.
    fn eq_any(&mut self, group: &[&Comparison], scope: &Scope) -> Cond {
        let Some(attr) = group.first().map(|c| &c.attr) else {
            return Cond::Exact("0".into());
        };
        let lits: Vec<&str> = group
            .iter()
            .filter_map(|c| match &c.value {
                Literal::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let array = Value::Array(lits.iter().map(|l| Value::String((*l).into())).collect());
        let set = format!(
            "(SELECT value FROM json_each({}))",
            self.text(&array.to_string())
        );
        if let Some(column) = self.column_of(attr, &lits, true, scope) {
            return Cond::Exact(format!("{column} IN {set}"));
        }
        let mapped = (!attr.case_exact).then(|| preimages(lits.iter().copied(), false));
        self.values(attr, scope, |_, v| {
            let x = v.sql();
            let x = match &mapped {
                Some(mapped) => fold_expr(&x, mapped),
                None => x,
            };
            Cond::Exact(format!("{x} IN {set}"))
        })
    }

    /// Whether one value `x` satisfies `c` (`ne` tested as `eq`).
    fn leaf(&mut self, c: &Comparison, x: &str) -> Cond {
        let substring = matches!(c.op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew);
        let sym = symbol(c.op);
        match &c.value {
            Literal::String(lit) => self.string(x, c.op, lit, c.attr.case_exact),
            _ if substring => Cond::Exact("0".into()),
            Literal::Bool(b) => Cond::Exact(format!(
                "lower({x}) IN {}",
                if *b {
                    "('1', 'true')"
                } else {
                    "('0', 'false')"
                }
            )),
            Literal::Integer(i) => {
                let p = self.integer(*i);
                Cond::Exact(format!("{x} {sym} {p}"))
            }
            Literal::Decimal(d) => {
                let p = self.real(*d);
                Cond::Exact(format!("{x} {sym} {p}"))
            }
            Literal::DateTime(t) => {
                let p = self.text(&instant::literal_key(t));
                Cond::Exact(format!("{} {sym} {p}", instant::key(x)))
            }
        }
    }

    /// A string comparison of the text `x` with `lit` (already lowercased unless
    /// `case_exact`); `ne` tested as `eq`.
    fn string(&mut self, x: &str, op: CompareOp, lit: &str, case_exact: bool) -> Cond {
        let ordering = matches!(
            op,
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
        );
        let folded = if case_exact {
            x.to_string()
        } else {
            fold_expr(x, &preimages([lit], ordering))
        };
        if lit.is_empty() && matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
            return Cond::Exact(format!("{x} IS NOT NULL"));
        }
        let p = self.text(lit);
        let n = lit.len();
        let exact = match op {
            CompareOp::Co => format!("instr({folded}, {p}) > 0"),
            CompareOp::Sw => format!("substr(CAST({folded} AS BLOB), 1, {n}) = CAST({p} AS BLOB)"),
            CompareOp::Ew => format!("substr(CAST({folded} AS BLOB), -{n}) = CAST({p} AS BLOB)"),
            _ => format!("{folded} {} {p}", symbol(op)),
        };
        if ordering && !case_exact && !lit.is_ascii() {
            // SQL lowercases ASCII only: exact for values without other cased characters.
            let f = foldable(x);
            Cond::Range {
                upper: format!("({exact}) OR {f}"),
                lower: format!("({exact}) AND NOT {f}"),
            }
        } else {
            Cond::Exact(exact)
        }
    }
}
