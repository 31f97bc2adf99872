//! A compiled filter bound to a collection's slots, and its evaluation on resident items.
//!
//! Binding maps each [`AttrRef`] of the compiled tree to a slot once per call; evaluation then
//! reads columns by slot id and allocates nothing. The rules are those of
//! [`eval`](crate::query::eval) (whose module doc states them), applied to the stored forms:
//! strings of case-insensitive attributes are folded on both sides, so every string operator
//! is a plain byte-wise one; presence and ordering helpers are shared with it. The tree walk is
//! written twice (here on slots, there on names) rather than made generic: this one must
//! never look a name up per item, and the `Value` one needs no binding step per call.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::layout::{Column, Kind, Layout, Leaf, Wide};
use crate::query::ast::CompareOp;
use crate::query::compile::{AttrRef, Comparison, Literal, Node};
use crate::query::eval::ordered;

/// A bound node; slots index the collection's columns.
#[derive(Debug)]
pub(crate) enum Op<'f> {
    /// A constant outcome.
    Const(bool),
    /// Some value of the slot is assigned.
    Present(u32),
    /// Some value of the slot satisfies the comparison (none, for `ne`).
    Compare(u32, &'f Comparison),
    /// Negation.
    Not(Box<Op<'f>>),
    /// Conjunction.
    And(Vec<Op<'f>>),
    /// Disjunction.
    Or(Vec<Op<'f>>),
    /// One object element of the slot's attribute satisfies the inner op.
    ValuePath(u32, Box<Op<'f>>),
}

/// Binds `node` (inside the value filter of `parent`, if any) to `layout`'s slots; `None` when
/// the filter names an attribute the layout lacks or types it differently (a filter compiled
/// for another resource type), in which case the caller evaluates on the documents.
pub(crate) fn bind<'f>(
    layout: &Layout,
    node: &'f Node,
    parent: Option<&AttrRef>,
) -> Option<Op<'f>> {
    Some(match node {
        Node::Const(b) => Op::Const(*b),
        Node::Present(r) => match slot(layout, r, parent)? {
            Some(s) => Op::Present(s),
            None => Op::Const(false),
        },
        Node::Compare(c) => match slot(layout, &c.attr, parent)? {
            Some(s) => {
                let def = layout.slots.get(s as usize)?;
                if def.ty != c.attr.ty || def.case_exact != c.attr.case_exact {
                    return None;
                }
                Op::Compare(s, c)
            }
            None => Op::Const(c.op == CompareOp::Ne),
        },
        Node::Not(inner) => Op::Not(Box::new(bind(layout, inner, parent)?)),
        Node::And(items) => Op::And(
            items
                .iter()
                .map(|n| bind(layout, n, parent))
                .collect::<Option<_>>()?,
        ),
        Node::Or(items) => Op::Or(
            items
                .iter()
                .map(|n| bind(layout, n, parent))
                .collect::<Option<_>>()?,
        ),
        Node::ValuePath { attr, filter } => match parent {
            Some(_) => Op::Const(false),
            None => {
                let s = layout.find(&attr.location, &attr.attr, None)?;
                Op::ValuePath(s, Box::new(bind(layout, filter, Some(attr))?))
            }
        },
    })
}

/// The slot `r` reads: `Some(None)` when it reads nothing (an element scope without
/// sub-attribute), `None` when the layout has no such slot.
fn slot(layout: &Layout, r: &AttrRef, parent: Option<&AttrRef>) -> Option<Option<u32>> {
    match parent {
        Some(p) if r.sub.is_none() => {
            (p.attr == r.attr && p.location == r.location).then_some(None)
        }
        Some(p) if p.attr != r.attr || p.location != r.location => None,
        _ => layout
            .find(&r.location, &r.attr, r.sub.as_deref())
            .map(Some),
    }
}

/// The items of `candidates` that satisfy `op`, computed one node at a time over all of them:
/// each comparison scans its column once, `and` narrows the candidates of its next operand,
/// `or` only tests those not already selected.
pub(crate) fn select(columns: &[Column], op: &Op<'_>, mut candidates: Bits) -> Bits {
    match op {
        Op::Const(true) => candidates,
        Op::Const(false) => candidates.cleared(),
        Op::Present(s) => {
            let col = columns.get(*s as usize);
            candidates.retain(|i| col.is_some_and(|c| c.leaves(i).iter().any(|l| l.present())));
            candidates
        }
        Op::Compare(s, c) => {
            let col = columns.get(*s as usize);
            candidates.retain(|i| compare(col, c, i, None));
            candidates
        }
        Op::Not(inner) => {
            let hits = select(columns, inner, candidates.clone());
            candidates.remove(&hits);
            candidates
        }
        Op::And(items) => {
            for item in items {
                if candidates.is_empty() {
                    break;
                }
                candidates = select(columns, item, candidates);
            }
            candidates
        }
        Op::Or(items) => {
            let mut selected = candidates.clone().cleared();
            for item in items {
                if candidates.is_empty() {
                    break;
                }
                let hits = select(columns, item, candidates.clone());
                candidates.remove(&hits);
                selected.add(&hits);
            }
            selected
        }
        Op::ValuePath(_, inner) => {
            let mut candidates = necessary(columns, inner, candidates);
            candidates.retain(|i| eval(columns, op, i, None));
            candidates
        }
    }
}

/// The items of `candidates` where the value filter `op` may hold for some element: those
/// where it holds with each comparison or presence test taken over all the item's values
/// (a superset, computed by column scans, that spares the exact per-element test most items).
/// Only presence and `eq`, cheap and selective, narrow; other operators would cost as much
/// as the exact test.
fn necessary(columns: &[Column], op: &Op<'_>, candidates: Bits) -> Bits {
    match op {
        Op::Present(_) => select(columns, op, candidates),
        Op::Compare(_, c) if c.op == CompareOp::Eq => select(columns, op, candidates),
        Op::Const(false) => candidates.cleared(),
        Op::And(items) => items
            .iter()
            .fold(candidates, |c, item| necessary(columns, item, c)),
        Op::Or(items) => {
            let mut selected = candidates.clone().cleared();
            for item in items {
                selected.add(&necessary(columns, item, candidates.clone()));
            }
            selected
        }
        _ => candidates,
    }
}

/// A set of item indices, one bit each.
#[derive(Debug, Clone)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    /// Items `0..n`.
    pub fn all(n: usize) -> Bits {
        let mut words = alloc::vec![u64::MAX; n.div_ceil(64)];
        if let Some(last) = words.last_mut() {
            if !n.is_multiple_of(64) {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        Bits { words }
    }

    /// The same capacity, no item.
    fn cleared(mut self) -> Bits {
        self.words.fill(0);
        self
    }

    fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Keeps the items `keep` accepts.
    fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        for (k, word) in self.words.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if !keep(k * 64 + bit) {
                    *word &= !(1u64 << bit);
                }
            }
        }
    }

    fn remove(&mut self, other: &Bits) {
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w &= !o;
        }
    }

    fn add(&mut self, other: &Bits) {
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
    }

    /// How many items the set holds.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The items, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut rest = w;
            core::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    k * 64 + bit
                })
            })
        })
    }
}

/// Whether `item` satisfies `op`; `elem` restricts leaves to one element inside a value path.
pub(crate) fn eval(columns: &[Column], op: &Op<'_>, item: usize, elem: Option<u32>) -> bool {
    match op {
        Op::Const(b) => *b,
        Op::Present(s) => leaves(columns, *s, item, elem).any(|l| l.present()),
        Op::Compare(s, c) => compare(columns.get(*s as usize), c, item, elem),
        Op::Not(inner) => !eval(columns, inner, item, elem),
        Op::And(items) => items.iter().all(|o| eval(columns, o, item, elem)),
        Op::Or(items) => items.iter().any(|o| eval(columns, o, item, elem)),
        Op::ValuePath(s, inner) => {
            if elem.is_some() {
                return false;
            }
            let mut objects = 0u64;
            for l in leaves(columns, *s, item, None) {
                if matches!(l.kind, Kind::Object(_)) {
                    match 1u64.checked_shl(l.elem) {
                        Some(bit) => objects |= bit,
                        None => {
                            // Past 64 elements: one element at a time.
                            return leaves(columns, *s, item, None).any(|l| {
                                matches!(l.kind, Kind::Object(_))
                                    && eval(columns, inner, item, Some(l.elem))
                            });
                        }
                    }
                }
            }
            objects != 0 && mask(columns, inner, item) & objects != 0
        }
    }
}

/// Bit `e` tells whether `op` holds for element `e` (below 64) of `item`'s value-filtered
/// attribute: what [`eval`] gives with `Some(e)`, for every element in one pass per node.
fn mask(columns: &[Column], op: &Op<'_>, item: usize) -> u64 {
    let bits = |l: &Leaf| 1u64.checked_shl(l.elem).unwrap_or(0);
    match op {
        Op::Const(b) => {
            if *b {
                u64::MAX
            } else {
                0
            }
        }
        Op::Present(s) => leaves(columns, *s, item, None)
            .filter(|l| l.present())
            .fold(0, |m, l| m | bits(l)),
        Op::Compare(s, c) => {
            let found = match columns.get(*s as usize) {
                Some(col) => col
                    .leaves(item)
                    .iter()
                    .filter(|l| hit(col, c, l.kind))
                    .fold(0, |m, l| m | bits(l)),
                None => 0,
            };
            if c.op == CompareOp::Ne {
                !found
            } else {
                found
            }
        }
        Op::Not(inner) => !mask(columns, inner, item),
        Op::And(items) => items.iter().fold(u64::MAX, |m, o| {
            if m == 0 {
                0
            } else {
                m & mask(columns, o, item)
            }
        }),
        Op::Or(items) => items.iter().fold(0, |m, o| m | mask(columns, o, item)),
        Op::ValuePath(..) => 0,
    }
}

/// Whether `item` satisfies the comparison on `col` (restricted to element `elem` if given).
#[inline]
fn compare(col: Option<&Column>, c: &Comparison, item: usize, elem: Option<u32>) -> bool {
    let Some(col) = col else {
        return c.op == CompareOp::Ne;
    };
    let found = scoped(col.leaves(item), elem)
        .iter()
        .any(|l| hit(col, c, l.kind));
    found != (c.op == CompareOp::Ne)
}

/// Whether one stored value satisfies the comparison (`ne` tested as `eq`), string equality
/// first: lengths, then bytes.
#[inline]
fn hit(col: &Column, c: &Comparison, kind: Kind) -> bool {
    match (&c.value, c.op, kind) {
        (Literal::String(lit), CompareOp::Eq | CompareOp::Ne, Kind::Str { start, len }) => {
            len as usize == lit.len() && col.text(start, len).as_bytes() == lit.as_bytes()
        }
        (Literal::String(_), CompareOp::Eq | CompareOp::Ne, _) => false,
        _ => leaf_matches(col, c, kind),
    }
}

/// The leaves of `item` in slot `s`, restricted to element `elem` when given.
fn leaves(
    columns: &[Column],
    s: u32,
    item: usize,
    elem: Option<u32>,
) -> impl Iterator<Item = &Leaf> {
    let all = columns.get(s as usize).map_or(&[][..], |c| c.leaves(item));
    scoped(all, elem).iter()
}

/// `all`, or those of element `elem` when given: an item's leaves are in element order, so
/// those of one element are found by binary search (a group with many members stays fast).
fn scoped(all: &[Leaf], elem: Option<u32>) -> &[Leaf] {
    match elem {
        None => all,
        Some(e) => {
            let start = all.partition_point(|l| l.elem < e);
            let rest = all.get(start..).unwrap_or(&[]);
            rest.get(..rest.partition_point(|l| l.elem == e))
                .unwrap_or(&[])
        }
    }
}

/// Whether one stored value satisfies the comparison (`ne` tested as `eq`).
fn leaf_matches(col: &Column, c: &Comparison, kind: Kind) -> bool {
    match (&c.value, kind) {
        (Literal::String(lit), Kind::Str { start, len }) => {
            text_op(c.op, col.text(start, len).as_bytes(), lit.as_bytes())
        }
        (Literal::Bool(b), Kind::Bool(x)) => x == *b,
        (Literal::Integer(i), Kind::Int(x)) => ordered(c.op, int(x).cmp(i)),
        (Literal::Integer(i), Kind::Float(x)) => float(x)
            .partial_cmp(&(*i as f64))
            .is_some_and(|o| ordered(c.op, o)),
        (Literal::Decimal(d), Kind::Int(x)) => (int(x) as f64)
            .partial_cmp(d)
            .is_some_and(|o| ordered(c.op, o)),
        (Literal::Decimal(d), Kind::Float(x)) => {
            float(x).partial_cmp(d).is_some_and(|o| ordered(c.op, o))
        }
        (Literal::DateTime(t), Kind::Time(i)) => ordered(c.op, col.instant(i).cmp(t)),
        _ => false,
    }
}

/// The `i64` stored in a [`Kind::Int`].
fn int(x: Wide) -> i64 {
    // Bits reinterpreted, as they were stored.
    x.bits() as i64
}

/// The `f64` stored in a [`Kind::Float`].
fn float(x: Wide) -> f64 {
    f64::from_bits(x.bits())
}

/// `op` on UTF-8 text as bytes (both sides already folded when case-insensitive): byte-wise
/// prefix, suffix, substring and order agree with the same tests on characters.
fn text_op(op: CompareOp, s: &[u8], lit: &[u8]) -> bool {
    match op {
        CompareOp::Co => contains(s, lit),
        CompareOp::Sw => s.starts_with(lit),
        CompareOp::Ew => s.ends_with(lit),
        _ => ordered(op, s.cmp(lit)),
    }
}

/// Whether `lit` occurs in `s`: candidates found by their first byte, eight bytes at a time,
/// then compared (faster than a general substring search on short values and literals).
fn contains(s: &[u8], lit: &[u8]) -> bool {
    let Some(&first) = lit.first() else {
        return true;
    };
    let Some(last_start) = s.len().checked_sub(lit.len()) else {
        return false;
    };
    let mut from = 0;
    while let Some(p) = s.get(from..=last_start).and_then(|h| find_byte(h, first)) {
        let at = from + p;
        if s.get(at..at + lit.len()) == Some(lit) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The position of the first `b` in `h`, testing eight bytes at a time.
fn find_byte(h: &[u8], b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let pattern = ONES * u64::from(b);
    let mut chunks = h.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let x = chunk.try_into().map_or(0, u64::from_le_bytes) ^ pattern;
        // The lowest high bit set marks the first zero byte of `x`, i.e. the first `b`.
        let zero = x.wrapping_sub(ONES) & !x & (ONES * 0x80);
        if zero != 0 {
            return Some(base + zero.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b)
        .map(|p| base + p)
}

#[cfg(test)]
mod tests {
    use super::{contains, find_byte};
    use alloc::vec::Vec;

    proptest::proptest! {
        #[test]
        fn contains_agrees_with_a_naive_search(
            s in proptest::collection::vec(proptest::sample::select(b"ab@.\x80\xff".to_vec()), 0..40),
            lit in proptest::collection::vec(proptest::sample::select(b"ab@.\x80\xff".to_vec()), 0..5),
        ) {
            let naive = lit.is_empty() || s.windows(lit.len()).any(|w| w == lit.as_slice());
            proptest::prop_assert_eq!(contains(&s, &lit), naive);
        }

        #[test]
        fn find_byte_finds_the_first_occurrence(
            h in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            b in proptest::num::u8::ANY,
        ) {
            proptest::prop_assert_eq!(find_byte(&h, b), h.iter().position(|&c| c == b));
        }
    }

    #[test]
    fn find_byte_sees_every_position_of_a_word() {
        for len in 0..20 {
            for at in 0..len {
                let mut h: Vec<u8> = alloc::vec![0x7f; len];
                h[at] = 0x80;
                assert_eq!(find_byte(&h, 0x80), Some(at), "{len} {at}");
                h[at] = 0x01;
                assert_eq!(find_byte(&h, 0x01), Some(at), "{len} {at}");
            }
        }
    }
}
