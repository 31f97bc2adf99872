//! Evaluation of compiled filters against resources.
//!
//! Resources follow the engine's convention: attribute names in canonical case, extension
//! attributes under their schema URN key. Evaluation allocates nothing.
//!
//! Semantics:
//! - Strings compare case-insensitively unless the attribute is `caseExact`: both sides are
//!   lowercased character by character (`char::to_lowercase`), with an ASCII fast path.
//!   Ordering operators compare strings by code point after that folding.
//! - dateTime values compare as instants; a stored value that is not a valid date-time matches
//!   nothing. Integers compare exactly, decimals as `f64`.
//! - A multi-valued attribute (or a sub-attribute reached through one) matches when ANY of its
//!   values matches.
//! - `pr` is false for a missing attribute, `null`, `""`, `[]`, `{}`, and arrays or objects
//!   holding only such values.
//! - `ne` is `not eq`: it holds when no value equals the literal, so a missing attribute is
//!   `ne` anything, and `emails.type ne "work"` holds when no email is of type work.
//! - `attr[filter]` holds when ONE value of `attr` satisfies the whole filter.
//! - A value of another JSON type than the attribute's matches nothing (except the strings
//!   `"true"`/`"false"`, any case, for booleans, as some clients store them).

use alloc::string::String;
use core::cmp::Ordering;

use serde_json::{Map, Value};

use super::ast::CompareOp;
use super::compile::{
    AttrLocation, AttrRef, Comparison, CompiledFilter, CompiledValueFilter, Literal, Node,
};
use super::datetime::Instant;

impl CompiledFilter {
    /// Whether `resource` satisfies the filter.
    pub fn matches(&self, resource: &Value) -> bool {
        match resource {
            Value::Object(map) => eval(&self.root, Scope::Resource(map)),
            _ => false,
        }
    }
}

impl CompiledValueFilter {
    /// Whether one value of the attribute (an element of the array, or the complex value)
    /// satisfies the filter.
    pub fn matches_value(&self, element: &Value) -> bool {
        match element {
            Value::Object(map) => eval(&self.root, Scope::Element(map)),
            _ => false,
        }
    }
}

/// What the [`AttrRef`]s of a node are relative to.
#[derive(Clone, Copy)]
enum Scope<'v> {
    /// A whole resource.
    Resource(&'v Map<String, Value>),
    /// One value of a complex attribute: only the sub-attribute of a reference is looked up.
    Element(&'v Map<String, Value>),
}

fn eval(node: &Node, scope: Scope<'_>) -> bool {
    match node {
        Node::Present(r) => any_value(r, scope, &mut is_present),
        Node::Compare(c) => {
            let found = any_value(&c.attr, scope, &mut |v| leaf_matches(c, v));
            if c.op == CompareOp::Ne {
                !found
            } else {
                found
            }
        }
        Node::Not(inner) => !eval(inner, scope),
        Node::And(items) => items.iter().all(|n| eval(n, scope)),
        Node::Or(items) => items.iter().any(|n| eval(n, scope)),
        Node::ValuePath { attr, filter } => match (scope, attribute(attr, scope)) {
            (Scope::Resource(_), Some(v)) => any_item(v, &mut |el| match el {
                Value::Object(m) => eval(filter, Scope::Element(m)),
                _ => false,
            }),
            _ => false,
        },
        Node::Const(b) => *b,
    }
}

/// The value of the top-level attribute of `r` in a resource (`None` inside an element).
fn attribute<'v>(r: &AttrRef, scope: Scope<'v>) -> Option<&'v Value> {
    let Scope::Resource(res) = scope else {
        return None;
    };
    let base = match &r.location {
        AttrLocation::Top => res,
        AttrLocation::Extension(urn) => res.get(urn.as_str())?.as_object()?,
    };
    base.get(r.attr.as_str())
}

/// Whether `f` holds for any single value `r` designates in `scope`.
fn any_value<F: FnMut(&Value) -> bool>(r: &AttrRef, scope: Scope<'_>, f: &mut F) -> bool {
    match (scope, r.sub.as_deref()) {
        (Scope::Element(el), Some(sub)) => el.get(sub).is_some_and(|v| any_item(v, f)),
        (Scope::Element(_), None) => false,
        (Scope::Resource(_), sub) => match (attribute(r, scope), sub) {
            (None, _) => false,
            (Some(v), None) => any_item(v, f),
            (Some(v), Some(sub)) => any_item(v, &mut |el| match el {
                Value::Object(m) => m.get(sub).is_some_and(|x| any_item(x, f)),
                _ => false,
            }),
        },
    }
}

/// `f` on each element of an array, or on a single value.
fn any_item<F: FnMut(&Value) -> bool>(v: &Value, f: &mut F) -> bool {
    match v {
        Value::Array(items) => items.iter().any(f),
        _ => f(v),
    }
}

/// RFC 7643 §2.5: null, empty strings, and empty arrays or objects are unassigned.
pub(crate) fn is_present(v: &Value) -> bool {
    present(v, 0)
}

/// Containers nested deeper than this count as present when non-empty (bounds recursion).
const PRESENCE_DEPTH: u8 = 4;

fn present(v: &Value, depth: u8) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
        Value::Array(items) if depth >= PRESENCE_DEPTH => !items.is_empty(),
        Value::Object(m) if depth >= PRESENCE_DEPTH => !m.is_empty(),
        Value::Array(items) => items.iter().any(|x| present(x, depth + 1)),
        Value::Object(m) => m.values().any(|x| present(x, depth + 1)),
    }
}

/// Whether one stored value satisfies the comparison (`ne` tested as `eq`).
fn leaf_matches(c: &Comparison, v: &Value) -> bool {
    match (&c.value, v) {
        (Literal::String(lit), Value::String(s)) => {
            if c.attr.case_exact {
                exact_op(c.op, s, lit)
            } else if c.ascii && s.is_ascii() {
                ascii_op(c.op, s.as_bytes(), lit.as_bytes())
            } else {
                folded_op(c.op, s, lit)
            }
        }
        (Literal::Bool(b), Value::Bool(x)) => x == b,
        (Literal::Bool(b), Value::String(s)) => {
            s.eq_ignore_ascii_case(if *b { "true" } else { "false" })
        }
        (Literal::Integer(i), Value::Number(n)) => match n.as_i64() {
            Some(x) => ordered(c.op, x.cmp(i)),
            None => n
                .as_f64()
                .and_then(|x| x.partial_cmp(&(*i as f64)))
                .is_some_and(|o| ordered(c.op, o)),
        },
        (Literal::Decimal(d), Value::Number(n)) => n
            .as_f64()
            .and_then(|x| x.partial_cmp(d))
            .is_some_and(|o| ordered(c.op, o)),
        (Literal::DateTime(t), Value::String(s)) => {
            Instant::parse(s).is_some_and(|x| ordered(c.op, x.cmp(t)))
        }
        _ => false,
    }
}

/// Whether `stored` compared to the literal as `o` satisfies `op` (`ne` tested as `eq`).
pub(crate) fn ordered(op: CompareOp, o: Ordering) -> bool {
    match op {
        CompareOp::Eq | CompareOp::Ne => o == Ordering::Equal,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

fn exact_op(op: CompareOp, s: &str, lit: &str) -> bool {
    match op {
        CompareOp::Co => s.contains(lit),
        CompareOp::Sw => s.starts_with(lit),
        CompareOp::Ew => s.ends_with(lit),
        _ => ordered(op, s.cmp(lit)),
    }
}

/// Case-insensitive `op` on ASCII text; `lit` is already lowercase.
fn ascii_op(op: CompareOp, s: &[u8], lit: &[u8]) -> bool {
    match op {
        CompareOp::Eq | CompareOp::Ne => eq_lower(s, lit),
        CompareOp::Co => match lit.first() {
            None => true,
            Some(&first) => s
                .windows(lit.len())
                .any(|w| w.first().map(u8::to_ascii_lowercase) == Some(first) && eq_lower(w, lit)),
        },
        CompareOp::Sw => s.get(..lit.len()).is_some_and(|p| eq_lower(p, lit)),
        CompareOp::Ew => s
            .len()
            .checked_sub(lit.len())
            .and_then(|start| s.get(start..))
            .is_some_and(|p| eq_lower(p, lit)),
        _ => ordered(
            op,
            s.iter()
                .map(u8::to_ascii_lowercase)
                .cmp(lit.iter().copied()),
        ),
    }
}

/// Whether ASCII `s`, lowercased, equals lowercase ASCII `lit`; eight bytes at a time.
fn eq_lower(s: &[u8], lit: &[u8]) -> bool {
    if s.len() != lit.len() {
        return false;
    }
    let mut a = s.chunks_exact(8);
    let mut b = lit.chunks_exact(8);
    for (x, y) in a.by_ref().zip(b.by_ref()) {
        if lower8(word(x)) != word(y) {
            return false;
        }
    }
    a.remainder()
        .iter()
        .zip(b.remainder())
        .all(|(x, y)| x.to_ascii_lowercase() == *y)
}

/// Eight bytes as one word (`chunk` is always eight bytes long).
fn word(chunk: &[u8]) -> u64 {
    chunk.try_into().map_or(0, u64::from_le_bytes)
}

/// Lowercases the eight ASCII bytes of `x` at once.
fn lower8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Bytes are below 0x80, so these sums never carry into the next byte; the high bit of a
    // byte says whether it is at least b'A', resp. above b'Z'.
    let at_least_a = x + ONES * (0x80 - u64::from(b'A'));
    let above_z = x + ONES * (0x80 - u64::from(b'Z') - 1);
    x | ((at_least_a & !above_z & (ONES * 0x80)) >> 2)
}

/// Case-insensitive `op` on any text, folding `s` as it is read; `lit` is already folded.
fn folded_op(op: CompareOp, s: &str, lit: &str) -> bool {
    match op {
        CompareOp::Eq | CompareOp::Ne => folded(s).eq(lit.chars()),
        CompareOp::Sw => starts_with(folded(s), lit.chars()),
        CompareOp::Ew => starts_with(
            s.chars().rev().flat_map(|c| c.to_lowercase().rev()),
            lit.chars().rev(),
        ),
        CompareOp::Co => {
            let mut rest = folded(s);
            loop {
                if starts_with(rest.clone(), lit.chars()) {
                    return true;
                }
                if rest.next().is_none() {
                    return false;
                }
            }
        }
        _ => ordered(op, folded(s).cmp(lit.chars())),
    }
}

/// `t` lowercased character by character, lazily.
fn folded(t: &str) -> impl Iterator<Item = char> + Clone + '_ {
    t.chars().flat_map(char::to_lowercase)
}

/// Whether `text` begins with every item of `prefix`.
fn starts_with(mut text: impl Iterator<Item = char>, prefix: impl Iterator<Item = char>) -> bool {
    for p in prefix {
        if text.next() != Some(p) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests;
