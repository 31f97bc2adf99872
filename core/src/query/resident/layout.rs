//! The compact layout: one slot per schema attribute and sub-attribute, one column per slot.
//!
//! A column holds, for each item, a span of [`Leaf`] values (the attribute's values with
//! arrays flattened one level, as evaluation reads them) and a text arena for their strings.
//! Strings of case-insensitive attributes are stored folded, dateTimes as instants, and the
//! strings `"true"`/`"false"` of boolean attributes as booleans, so that evaluation compares
//! without converting. Replaced and removed items leave dead leaves behind, reclaimed by
//! [`Column::compact`] once they outnumber the live ones.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::query::compile::{fold, AttrLocation};
use crate::query::datetime::Instant;
use crate::query::eval::is_present;
use crate::schema::{AttrType, Attribute, Registry, ResourceType};

/// One attribute, or one sub-attribute of an attribute, of the collection's resource type.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Where the top-level attribute sits.
    pub location: AttrLocation,
    /// The top-level attribute's canonical name.
    pub attr: String,
    /// The sub-attribute's canonical name.
    pub sub: Option<String>,
    /// The type of the values held.
    pub ty: AttrType,
    /// Whether strings are compared case-sensitively (else stored folded).
    pub case_exact: bool,
}

/// A top-level attribute with the slots of itself and of its sub-attributes.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Where the attribute sits.
    pub location: AttrLocation,
    /// The attribute's canonical name.
    pub name: String,
    /// The slot of the attribute itself.
    pub slot: u32,
    /// Each sub-attribute's canonical name and slot.
    pub subs: Vec<(String, u32)>,
}

/// The slots of a resource type, grouped by top-level attribute.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// Every slot; a slot's id is its index.
    pub slots: Vec<Slot>,
    /// The slots grouped by top-level attribute, in schema order.
    pub groups: Vec<Group>,
}

impl Layout {
    /// The slots of `rt`: core schema attributes, common attributes the core schema does not
    /// redefine, `schemas`, then each extension's attributes under its URN.
    pub fn new(registry: &Registry, rt: &ResourceType) -> Layout {
        let mut layout = Layout::default();
        let core = registry.schema(&rt.schema);
        let core_attrs = core.map_or(&[][..], |s| s.attributes.as_slice());
        for a in core_attrs {
            layout.add(AttrLocation::Top, a);
        }
        for a in &registry.common().attributes {
            if core.and_then(|s| s.attribute(&a.name)).is_none() {
                layout.add(AttrLocation::Top, a);
            }
        }
        if core.and_then(|s| s.attribute("schemas")).is_none() {
            layout.add_group(AttrLocation::Top, "schemas", AttrType::Reference, false);
        }
        for ext in &rt.schema_extensions {
            if let Some(schema) = registry.schema(&ext.schema) {
                for a in &schema.attributes {
                    layout.add(AttrLocation::Extension(schema.id.clone()), a);
                }
            }
        }
        layout
    }

    fn add(&mut self, location: AttrLocation, a: &Attribute) {
        self.add_group(location.clone(), &a.name, a.ty, a.case_exact);
        for sub in &a.sub_attributes {
            let slot = self.push(
                location.clone(),
                &a.name,
                Some(&sub.name),
                sub.ty,
                sub.case_exact,
            );
            if let Some(group) = self.groups.last_mut() {
                group.subs.push((sub.name.clone(), slot));
            }
        }
    }

    fn add_group(&mut self, location: AttrLocation, name: &str, ty: AttrType, case_exact: bool) {
        let slot = self.push(location.clone(), name, None, ty, case_exact);
        self.groups.push(Group {
            location,
            name: name.into(),
            slot,
            subs: Vec::new(),
        });
    }

    fn push(
        &mut self,
        location: AttrLocation,
        attr: &str,
        sub: Option<&str>,
        ty: AttrType,
        case_exact: bool,
    ) -> u32 {
        self.slots.push(Slot {
            location,
            attr: attr.into(),
            sub: sub.map(String::from),
            ty,
            case_exact,
        });
        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
    }

    /// The slot of `attr.sub` at `location` (canonical names, compared exactly).
    pub fn find(&self, location: &AttrLocation, attr: &str, sub: Option<&str>) -> Option<u32> {
        self.slots
            .iter()
            .position(|s| s.attr == attr && s.sub.as_deref() == sub && s.location == *location)
            .and_then(|i| u32::try_from(i).ok())
    }
}

/// What a stored value is, as evaluation needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// A value no literal of the slot's type can match (null, wrong JSON type, bad dateTime),
    /// and whether it is assigned.
    Other(bool),
    /// A JSON object (an element a value filter can test), and whether it is assigned.
    Object(bool),
    /// A boolean, or the string `true`/`false` (any case) of a boolean attribute.
    Bool(bool),
    /// A number that fits an `i64`.
    Int(Wide),
    /// Any other number, as `f64` bits.
    Float(Wide),
    /// A string: `len` bytes at `start` of the column's text, folded unless case-exact.
    Str {
        /// Offset in the column's text.
        start: u32,
        /// Length in bytes.
        len: u32,
    },
    /// A valid date-time of a dateTime attribute: its index in the column's instants.
    Time(u32),
}

/// 64 bits as two 32-bit halves, so that [`Kind`] is 4-byte aligned and a [`Leaf`] 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wide([u32; 2]);

impl Wide {
    fn new(bits: u64) -> Wide {
        // Truncations intended: the low and the high half.
        Wide([bits as u32, (bits >> 32) as u32])
    }

    /// The 64 bits.
    pub fn bits(self) -> u64 {
        u64::from(self.0[0]) | (u64::from(self.0[1]) << 32)
    }
}

/// One value of an item in a column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Leaf {
    /// Index of the element of the top-level attribute the value comes from (0 when the
    /// attribute is not an array); an item's leaves are in ascending element order.
    pub elem: u32,
    /// The value.
    pub kind: Kind,
}

impl Leaf {
    /// Whether the value is assigned (RFC 7643 §2.5, as `pr` decides).
    #[inline]
    pub fn present(&self) -> bool {
        match self.kind {
            Kind::Other(p) | Kind::Object(p) => p,
            Kind::Str { len, .. } => len > 0,
            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) | Kind::Time(_) => true,
        }
    }
}

/// Where an item's leaves sit in a column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

/// The values of one slot for every item.
#[derive(Debug, Clone, Default)]
pub(crate) struct Column {
    /// Per item; items past the end have no values.
    spans: Vec<Span>,
    leaves: Vec<Leaf>,
    text: String,
    instants: Vec<Instant>,
    /// Leaves no span refers to any more.
    dead: usize,
}

/// The collection grew past what 32-bit offsets address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow;

impl Column {
    /// The leaves of `item`.
    #[inline]
    pub fn leaves(&self, item: usize) -> &[Leaf] {
        match self.spans.get(item) {
            Some(s) => {
                let start = s.start as usize;
                self.leaves
                    .get(start..start + s.len as usize)
                    .unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// The text of a [`Kind::Str`].
    #[inline]
    pub fn text(&self, start: u32, len: u32) -> &str {
        let start = start as usize;
        self.text.get(start..start + len as usize).unwrap_or("")
    }

    /// The instant of a [`Kind::Time`].
    #[inline]
    pub fn instant(&self, index: u32) -> Instant {
        self.instants
            .get(index as usize)
            .copied()
            .unwrap_or(Instant::EPOCH)
    }

    /// Heap bytes held.
    pub fn bytes(&self) -> usize {
        self.spans.capacity() * core::mem::size_of::<Span>()
            + self.leaves.capacity() * core::mem::size_of::<Leaf>()
            + self.text.capacity()
            + self.instants.capacity() * core::mem::size_of::<Instant>()
    }

    /// Sets the leaves of `item` to `values` (each with its element index), converted for
    /// `slot`; the item's previous leaves become dead.
    pub fn set(
        &mut self,
        item: usize,
        slot: &Slot,
        values: &[(u32, &Value)],
    ) -> Result<(), Overflow> {
        if values.is_empty() && item >= self.spans.len() {
            return Ok(());
        }
        if self.spans.len() <= item {
            self.spans.resize(item + 1, Span::default());
        }
        let start = offset(self.leaves.len())?;
        for &(elem, v) in values {
            let kind = self.kind(slot, v)?;
            self.leaves.push(Leaf { elem, kind });
        }
        let span = Span {
            start,
            len: offset(values.len())?,
        };
        if let Some(old) = self.spans.get_mut(item) {
            self.dead += old.len as usize;
            *old = span;
        }
        self.maybe_compact()
    }

    /// Removes `item`, shifting later items down by one.
    pub fn remove(&mut self, item: usize) -> Result<(), Overflow> {
        if item < self.spans.len() {
            let old = self.spans.remove(item);
            self.dead += old.len as usize;
        }
        self.maybe_compact()
    }

    fn maybe_compact(&mut self) -> Result<(), Overflow> {
        if self.dead > 64 && self.dead * 2 > self.leaves.len() {
            self.compact()?;
        }
        Ok(())
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.spans.shrink_to_fit();
        self.leaves.shrink_to_fit();
        self.text.shrink_to_fit();
        self.instants.shrink_to_fit();
    }

    /// Rewrites the leaves and text without the dead ones, in item order.
    fn compact(&mut self) -> Result<(), Overflow> {
        let mut leaves = Vec::with_capacity(self.leaves.len() - self.dead);
        let mut text = String::new();
        let mut instants = Vec::new();
        for span in &mut self.spans {
            let start = span.start as usize;
            let old = self
                .leaves
                .get(start..start + span.len as usize)
                .unwrap_or(&[]);
            span.start = offset(leaves.len())?;
            for leaf in old {
                let mut leaf = *leaf;
                if let Kind::Str { start, len } = leaf.kind {
                    let s = self
                        .text
                        .get(start as usize..(start + len) as usize)
                        .unwrap_or("");
                    leaf.kind = Kind::Str {
                        start: offset(text.len())?,
                        len,
                    };
                    text.push_str(s);
                }
                if let Kind::Time(i) = leaf.kind {
                    leaf.kind = Kind::Time(offset(instants.len())?);
                    instants.push(
                        self.instants
                            .get(i as usize)
                            .copied()
                            .unwrap_or(Instant::EPOCH),
                    );
                }
                leaves.push(leaf);
            }
        }
        self.leaves = leaves;
        self.text = text;
        self.instants = instants;
        self.dead = 0;
        Ok(())
    }

    /// How `v` is stored in `slot`.
    fn kind(&mut self, slot: &Slot, v: &Value) -> Result<Kind, Overflow> {
        Ok(match (slot.ty, v) {
            (_, Value::Object(_)) => Kind::Object(is_present(v)),
            (AttrType::String | AttrType::Reference | AttrType::Binary, Value::String(s)) => {
                let start = offset(self.text.len())?;
                if slot.case_exact {
                    self.text.push_str(s);
                } else if s.is_ascii() {
                    self.text.push_str(s);
                    if let Some(t) = self.text.get_mut(start as usize..) {
                        t.make_ascii_lowercase();
                    }
                } else {
                    self.text.push_str(&fold(s));
                }
                let len = offset(self.text.len())? - start;
                Kind::Str { start, len }
            }
            (AttrType::Boolean, Value::Bool(b)) => Kind::Bool(*b),
            (AttrType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("true") => {
                Kind::Bool(true)
            }
            (AttrType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("false") => {
                Kind::Bool(false)
            }
            (AttrType::Integer | AttrType::Decimal, Value::Number(n)) => {
                match (n.as_i64(), n.as_f64()) {
                    // Bits reinterpreted, not converted: `Int` is read back as `i64`.
                    (Some(i), _) => Kind::Int(Wide::new(i as u64)),
                    (None, Some(f)) => Kind::Float(Wide::new(f.to_bits())),
                    (None, None) => Kind::Other(true),
                }
            }
            (AttrType::DateTime, Value::String(s)) => match Instant::parse(s) {
                Some(t) => {
                    self.instants.push(t);
                    Kind::Time(offset(self.instants.len() - 1)?)
                }
                None => Kind::Other(!s.is_empty()),
            },
            _ => Kind::Other(is_present(v)),
        })
    }
}

fn offset(n: usize) -> Result<u32, Overflow> {
    u32::try_from(n).map_err(|_| Overflow)
}

/// Each value of an attribute (arrays flattened one level), with the index of its element.
pub(crate) fn values_of<'v>(attr: Option<&'v Value>, out: &mut Vec<(u32, &'v Value)>) {
    out.clear();
    match attr {
        Some(Value::Array(items)) => {
            out.extend(items.iter().enumerate().map(|(i, x)| (index(i), x)))
        }
        Some(v) => out.push((0, v)),
        None => {}
    }
}

/// Each value of sub-attribute `sub` of an attribute, with the index of the element it
/// belongs to.
pub(crate) fn sub_values_of<'v>(
    attr: Option<&'v Value>,
    sub: &str,
    out: &mut Vec<(u32, &'v Value)>,
) {
    out.clear();
    let Some(v) = attr else {
        return;
    };
    let mut element = |elem: u32, el: &'v Value| {
        if let Some(x) = el.as_object().and_then(|m| m.get(sub)) {
            flatten(elem, x, out);
        }
    };
    match v {
        Value::Array(items) => {
            for (i, el) in items.iter().enumerate() {
                element(index(i), el);
            }
        }
        _ => element(0, v),
    }
}

/// The value of `group`'s attribute in `doc`.
pub(crate) fn attribute<'v>(group: &Group, doc: &'v Map<String, Value>) -> Option<&'v Value> {
    let base = match &group.location {
        AttrLocation::Top => doc,
        AttrLocation::Extension(urn) => doc.get(urn.as_str())?.as_object()?,
    };
    base.get(group.name.as_str())
}

/// An element index as stored (saturated: no array holds four billion values).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `v`'s items, or `v` itself, each tagged with `elem`.
fn flatten<'v>(elem: u32, v: &'v Value, out: &mut Vec<(u32, &'v Value)>) {
    match v {
        Value::Array(items) => out.extend(items.iter().map(|x| (elem, x))),
        _ => out.push((elem, v)),
    }
}
