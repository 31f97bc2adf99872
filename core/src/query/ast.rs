//! Parsed forms of SCIM filters and attribute paths (RFC 7644 §3.4.2.2, §3.5.2).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Number;

/// An attribute path: optional schema URN, attribute name, optional sub-attribute.
///
/// Names keep the case the client wrote; resolution against the schema is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN prefix, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`.
    pub urn: Option<String>,
    /// The top-level attribute name.
    pub name: String,
    /// The sub-attribute name, for `name.familyName`.
    pub sub: Option<String>,
}

/// A comparison operator of RFC 7644 §3.4.2.2, Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

/// A literal on the right of a comparison (`compValue` in RFC 7644 §8).
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number.
    Number(Number),
    /// A JSON string, unescaped.
    String(String),
}

/// A filter expression; `and`/`or` chains are flattened into lists of two or more.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attrPath pr`.
    Present(AttrPath),
    /// `attrPath op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The literal.
        value: CompValue,
    },
    /// `not (filter)`.
    Not(Box<Filter>),
    /// `a and b and …` (two or more).
    And(Vec<Filter>),
    /// `a or b or …` (two or more).
    Or(Vec<Filter>),
    /// `attr[filter]`: the inner filter's paths are sub-attributes of each value of `attr`.
    ValuePath {
        /// The multi-valued or complex attribute (without sub-attribute).
        path: AttrPath,
        /// The filter applied to each value.
        filter: Box<Filter>,
    },
}

/// A PATCH operation target (`PATH` in RFC 7644 §3.5.2).
#[derive(Debug, Clone, PartialEq)]
pub enum PatchPath {
    /// `attr`, `attr.sub`, or their URN-prefixed forms.
    Attr(AttrPath),
    /// `attr[filter]` or `attr[filter].sub`.
    Filtered {
        /// The multi-valued attribute (without sub-attribute).
        path: AttrPath,
        /// Selects the values the operation targets.
        filter: Filter,
        /// The sub-attribute of the selected values, for `attr[filter].sub`.
        sub: Option<String>,
    },
}
