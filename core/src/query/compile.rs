//! Filters compiled against the schema registry into programs that evaluate without parsing.
//!
//! [`compile`] resolves every attribute path once (case-insensitively, to canonical names and
//! to where the values sit in a resource), converts every literal into the attribute's type,
//! and rejects comparisons RFC 7644 §3.4.2.2 does not allow. The result is a tree of
//! [`Node`]s that [`CompiledFilter::matches`](crate::query::compile::CompiledFilter) evaluates
//! (see [`eval`](crate::query::eval)) and that a store may translate to SQL: every node is
//! readable through public fields.
//!
//! Decisions where the RFC leaves room:
//! - `gt`/`ge`/`lt`/`le` on boolean, binary or complex attributes are `invalidFilter` (the RFC
//!   says so for boolean and binary).
//! - `co`/`sw`/`ew` are defined by the RFC as substring tests, so they are accepted on string
//!   and reference attributes only; on boolean, integer, decimal, dateTime and binary
//!   (base64 text, whose substrings mean nothing) they are `invalidFilter`.
//! - A literal of the wrong type (`active eq "yes"`, `userName eq true`) is `invalidFilter`,
//!   except two Microsoft Entra forms: a string `true`/`false` (any case) is accepted for a
//!   boolean attribute (`active eq "True"`), and a number for a string or reference attribute
//!   compares as its JSON text (`externalId eq 12345`, as the lenient parser reads Entra's
//!   unquoted values). A dateTime literal must be a valid RFC 3339 date-time.
//! - `attr eq null` means "attr is unassigned" and `attr ne null` means "attr is assigned",
//!   following RFC 7643 §2.5 (null, missing and empty are the same state); they compile to
//!   `not (attr pr)` and `attr pr`. Other operators with `null` are `invalidFilter`.
//! - A complex attribute compared without a sub-attribute compares its `value` sub-attribute
//!   (`emails co "example.com"` is `emails.value co "example.com"`); a complex attribute
//!   without one (`name eq "x"`) is `invalidFilter`.
//! - `schemas` (which no schema defines) is a multi-valued, case-insensitive reference.
//! - An unknown attribute is `invalidFilter` (at position 0: the AST carries no positions), or
//!   with [`CompileOptions::lenient_unknown`] is treated as absent: `pr` and every comparison
//!   are false, except `ne` which is true (see [`eval`](crate::query::eval) for `ne`).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::ast::{AttrPath, CompValue, CompareOp, Filter};
use super::datetime::Instant;
use crate::error::ScimError;
use crate::schema::{AttrType, Attribute, Location, Registry, ResourceType};

/// Deepest nesting of `not`, `and`/`or` and brackets a filter may have.
pub const MAX_DEPTH: usize = 64;

/// Options of [`compile`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// Treat unknown attributes as absent instead of rejecting the filter.
    pub lenient_unknown: bool,
}

/// Where an attribute's values sit in a resource document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrLocation {
    /// At the top level (core schema and common attributes).
    Top,
    /// Inside the object keyed by this extension schema URN (canonical case).
    Extension(String),
}

/// An attribute path resolved against the schema, with what evaluation needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrRef {
    /// Where the top-level attribute lives.
    pub location: AttrLocation,
    /// The top-level attribute's canonical name.
    pub attr: String,
    /// The sub-attribute's canonical name, when the path names one.
    pub sub: Option<String>,
    /// Whether the top-level attribute is multi-valued.
    pub multi_valued: bool,
    /// The type of the attribute compared (the sub-attribute when there is one).
    pub ty: AttrType,
    /// Whether strings of the attribute compared are case-sensitive.
    pub case_exact: bool,
}

/// A literal converted at compile time into the compared attribute's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string; lowercased character by character when the attribute is case-insensitive.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A whole number compared with an integer attribute.
    Integer(i64),
    /// A number compared as a real number.
    Decimal(f64),
    /// A date-time compared chronologically.
    DateTime(Instant),
}

/// One comparison `attr op literal`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The attribute compared.
    pub attr: AttrRef,
    /// The operator (never used with a null literal: those compile to presence tests).
    pub op: CompareOp,
    /// The converted literal.
    pub value: Literal,
    /// Whether the literal is a string of ASCII characters only (fast path of evaluation).
    pub(crate) ascii: bool,
}

/// A node of a compiled filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `attr pr`.
    Present(AttrRef),
    /// `attr op literal`.
    Compare(Comparison),
    /// `not (…)`.
    Not(Box<Node>),
    /// All of these hold.
    And(Vec<Node>),
    /// One of these holds.
    Or(Vec<Node>),
    /// `attr[filter]`: one value of `attr` satisfies the whole filter. The [`AttrRef`]s inside
    /// name `attr` as their attribute and the compared sub-attribute as `sub`.
    ValuePath {
        /// The complex attribute whose values are tested (no sub-attribute).
        attr: AttrRef,
        /// The filter each value is tested against.
        filter: Box<Node>,
    },
    /// A constant outcome (from an unknown attribute under lenient compilation).
    Const(bool),
}

/// A filter compiled for one resource type; see [`CompiledFilter::matches`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledFilter {
    pub(crate) root: Node,
}

impl CompiledFilter {
    /// The root of the compiled tree.
    pub fn root(&self) -> &Node {
        &self.root
    }
}

/// The filter of `attr[filter]` compiled to test single values of `attr` (for PATCH paths).
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledValueFilter {
    pub(crate) attr: AttrRef,
    pub(crate) root: Node,
}

impl CompiledValueFilter {
    /// The multi-valued or complex attribute whose values the filter tests.
    pub fn attr(&self) -> &AttrRef {
        &self.attr
    }

    /// The compiled inner filter; its [`AttrRef`]s name sub-attributes of [`Self::attr`].
    pub fn root(&self) -> &Node {
        &self.root
    }
}

/// Compiles `filter` for resources of type `rt`.
pub fn compile(
    filter: &Filter,
    registry: &Registry,
    rt: &ResourceType,
    options: CompileOptions,
) -> Result<CompiledFilter, ScimError> {
    let cx = Compiler {
        registry,
        rt,
        options,
    };
    Ok(CompiledFilter {
        root: cx.node(filter, None, 0)?,
    })
}

/// Compiles the filter of `attr[filter]` so that it tests one value of `attr` at a time.
///
/// `attr` must name a complex attribute of `rt` without a sub-attribute (else `invalidPath`);
/// unknown sub-attributes in the filter are `invalidFilter`.
pub fn compile_value_filter(
    filter: &Filter,
    registry: &Registry,
    rt: &ResourceType,
    attr: &AttrPath,
) -> Result<CompiledValueFilter, ScimError> {
    let cx = Compiler {
        registry,
        rt,
        options: CompileOptions::default(),
    };
    let invalid_path = |message: &str| ScimError::InvalidPath {
        path: path_text(attr),
        message: message.into(),
    };
    if attr.sub.is_some() {
        return Err(invalid_path(
            "a value filter applies to an attribute, not to a sub-attribute",
        ));
    }
    let resolved = registry
        .resolve(rt, attr.urn.as_deref(), &attr.name, None)
        .ok_or_else(|| invalid_path("unknown attribute"))?;
    if resolved.attr.ty != AttrType::Complex {
        return Err(invalid_path("a value filter needs a complex attribute"));
    }
    let parent = Parent::new(resolved.location, resolved.attr);
    Ok(CompiledValueFilter {
        root: cx.node(filter, Some(&parent), 0)?,
        attr: parent.attr_ref(),
    })
}

/// The attribute a value filter's paths are relative to.
struct Parent<'r> {
    location: AttrLocation,
    attr: &'r Attribute,
}

impl<'r> Parent<'r> {
    fn new(location: Location<'_>, attr: &'r Attribute) -> Self {
        Parent {
            location: owned_location(location),
            attr,
        }
    }

    fn attr_ref(&self) -> AttrRef {
        AttrRef {
            location: self.location.clone(),
            attr: self.attr.name.clone(),
            sub: None,
            multi_valued: self.attr.multi_valued,
            ty: self.attr.ty,
            case_exact: self.attr.case_exact,
        }
    }
}

struct Compiler<'a> {
    registry: &'a Registry,
    rt: &'a ResourceType,
    options: CompileOptions,
}

impl Compiler<'_> {
    fn node(
        &self,
        f: &Filter,
        parent: Option<&Parent<'_>>,
        depth: usize,
    ) -> Result<Node, ScimError> {
        if depth > MAX_DEPTH {
            return Err(ScimError::invalid_filter(0, "filter is nested too deeply"));
        }
        Ok(match f {
            Filter::Present(path) => match self.resolve(path, parent)? {
                Some(r) => Node::Present(r),
                None => Node::Const(false),
            },
            Filter::Compare { path, op, value } => self.compare(path, *op, value, parent)?,
            Filter::Not(inner) => match self.node(inner, parent, depth + 1)? {
                Node::Const(b) => Node::Const(!b),
                n => Node::Not(Box::new(n)),
            },
            Filter::And(items) => self.junction(items, parent, depth, true)?,
            Filter::Or(items) => self.junction(items, parent, depth, false)?,
            Filter::ValuePath { path, filter } => {
                if parent.is_some() {
                    return Err(ScimError::invalid_filter(
                        0,
                        "value filters cannot be nested",
                    ));
                }
                self.value_path(path, filter, depth)?
            }
        })
    }

    /// `and` (`all` true) or `or` of `items`, with constants folded away.
    fn junction(
        &self,
        items: &[Filter],
        parent: Option<&Parent<'_>>,
        depth: usize,
        all: bool,
    ) -> Result<Node, ScimError> {
        let mut nodes = Vec::with_capacity(items.len());
        for item in items {
            match self.node(item, parent, depth + 1)? {
                // A neutral constant (true in `and`, false in `or`) drops out…
                Node::Const(b) if b == all => {}
                // …and an absorbing one decides the whole junction.
                Node::Const(b) => return Ok(Node::Const(b)),
                n => nodes.push(n),
            }
        }
        Ok(match nodes.len() {
            0 => Node::Const(all),
            1 => nodes.pop().unwrap_or(Node::Const(all)),
            _ if all => Node::And(nodes),
            _ => Node::Or(nodes),
        })
    }

    fn value_path(&self, path: &AttrPath, inner: &Filter, depth: usize) -> Result<Node, ScimError> {
        let text = path_text(path);
        if path.sub.is_some() {
            return Err(ScimError::invalid_filter(
                0,
                format!("'{text}': a value filter applies to an attribute, not to a sub-attribute"),
            ));
        }
        let Some(resolved) = self
            .registry
            .resolve(self.rt, path.urn.as_deref(), &path.name, None)
        else {
            return self.unknown(&text).map(|()| Node::Const(false));
        };
        if resolved.attr.ty != AttrType::Complex {
            return Err(ScimError::invalid_filter(
                0,
                format!("'{text}' is not complex and cannot have a value filter"),
            ));
        }
        let parent = Parent::new(resolved.location, resolved.attr);
        Ok(match self.node(inner, Some(&parent), depth + 1)? {
            Node::Const(false) => Node::Const(false),
            filter => Node::ValuePath {
                attr: parent.attr_ref(),
                filter: Box::new(filter),
            },
        })
    }

    /// `Ok(())` when unknown attributes are tolerated, else the `invalidFilter` error.
    fn unknown(&self, text: &str) -> Result<(), ScimError> {
        if self.options.lenient_unknown {
            Ok(())
        } else {
            Err(ScimError::invalid_filter(
                0,
                format!("unknown attribute '{text}'"),
            ))
        }
    }

    /// Resolves `path` (relative to `parent` inside a value filter); `None` when it is unknown
    /// and unknown attributes are tolerated.
    fn resolve(
        &self,
        path: &AttrPath,
        parent: Option<&Parent<'_>>,
    ) -> Result<Option<AttrRef>, ScimError> {
        let found = match parent {
            None => self.resolve_top(path),
            Some(p) => resolve_in(p, path),
        };
        match found {
            Some(r) => Ok(Some(r)),
            None => self.unknown(&path_text(path)).map(|()| None),
        }
    }

    fn resolve_top(&self, path: &AttrPath) -> Option<AttrRef> {
        let sub = path.sub.as_deref();
        if let Some(r) = self
            .registry
            .resolve(self.rt, path.urn.as_deref(), &path.name, sub)
        {
            let leaf = r.sub.unwrap_or(r.attr);
            return Some(AttrRef {
                location: owned_location(r.location),
                attr: r.attr.name.clone(),
                sub: r.sub.map(|s| s.name.clone()),
                multi_valued: r.attr.multi_valued,
                ty: leaf.ty,
                case_exact: leaf.case_exact,
            });
        }
        let is_schemas =
            path.urn.is_none() && sub.is_none() && path.name.eq_ignore_ascii_case("schemas");
        is_schemas.then(|| AttrRef {
            location: AttrLocation::Top,
            attr: "schemas".into(),
            sub: None,
            multi_valued: true,
            ty: AttrType::Reference,
            case_exact: false,
        })
    }

    fn compare(
        &self,
        path: &AttrPath,
        op: CompareOp,
        value: &CompValue,
        parent: Option<&Parent<'_>>,
    ) -> Result<Node, ScimError> {
        let Some(mut attr) = self.resolve(path, parent)? else {
            // Absent: only "not equal" and "equal to null" hold.
            let holds = match value {
                CompValue::Null => op == CompareOp::Eq,
                _ => op == CompareOp::Ne,
            };
            return Ok(Node::Const(holds));
        };
        let text = path_text(path);
        if let CompValue::Null = value {
            return match op {
                CompareOp::Eq => Ok(Node::Not(Box::new(Node::Present(attr)))),
                CompareOp::Ne => Ok(Node::Present(attr)),
                _ => Err(ScimError::invalid_filter(
                    0,
                    format!("'{text}': null can only be compared with eq or ne"),
                )),
            };
        }
        if attr.ty == AttrType::Complex {
            let value_sub = match (parent, attr.sub.is_none()) {
                (None, true) => self
                    .registry
                    .resolve(self.rt, path.urn.as_deref(), &path.name, Some("value"))
                    .and_then(|r| r.sub),
                _ => None,
            };
            let Some(v) = value_sub else {
                return Err(ScimError::invalid_filter(
                    0,
                    format!("'{text}' is complex: compare one of its sub-attributes"),
                ));
            };
            attr.sub = Some(v.name.clone());
            attr.ty = v.ty;
            attr.case_exact = v.case_exact;
        }
        let value = literal(&attr, op, value, &text)?;
        let ascii = matches!(&value, Literal::String(s) if s.is_ascii());
        Ok(Node::Compare(Comparison {
            attr,
            op,
            value,
            ascii,
        }))
    }
}

/// Resolves a path inside `parent[...]`: `sub`, or `parent.sub` / `urn:parent.sub` spelled out.
fn resolve_in(parent: &Parent<'_>, path: &AttrPath) -> Option<AttrRef> {
    let sub = match (&path.urn, &path.sub) {
        (None, None) => parent.attr.sub_attribute(&path.name)?,
        (_, Some(sub)) if path.name.eq_ignore_ascii_case(&parent.attr.name) => {
            parent.attr.sub_attribute(sub)?
        }
        _ => return None,
    };
    Some(AttrRef {
        location: parent.location.clone(),
        attr: parent.attr.name.clone(),
        sub: Some(sub.name.clone()),
        multi_valued: parent.attr.multi_valued,
        ty: sub.ty,
        case_exact: sub.case_exact,
    })
}

/// Converts a non-null literal into `attr`'s type, checking that `op` applies to that type.
fn literal(
    attr: &AttrRef,
    op: CompareOp,
    value: &CompValue,
    text: &str,
) -> Result<Literal, ScimError> {
    let ordering = matches!(
        op,
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
    );
    let substring = matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew);
    let reject = |why: &str| Err(ScimError::invalid_filter(0, format!("'{text}': {why}")));
    match attr.ty {
        AttrType::String | AttrType::Reference | AttrType::Binary => {
            if attr.ty == AttrType::Binary && (ordering || substring) {
                return reject("binary attributes support only eq, ne and pr");
            }
            let text = match value {
                CompValue::String(s) => s.clone(),
                CompValue::Number(n) if attr.ty != AttrType::Binary => n.to_string(),
                _ => return reject("expects a string value"),
            };
            if attr.case_exact {
                Ok(Literal::String(text))
            } else {
                Ok(Literal::String(fold(&text)))
            }
        }
        AttrType::Boolean => {
            if ordering || substring {
                return reject("boolean attributes support only eq, ne and pr");
            }
            match value {
                CompValue::Bool(b) => Ok(Literal::Bool(*b)),
                CompValue::String(s) if s.eq_ignore_ascii_case("true") => Ok(Literal::Bool(true)),
                CompValue::String(s) if s.eq_ignore_ascii_case("false") => Ok(Literal::Bool(false)),
                _ => reject("expects true or false"),
            }
        }
        AttrType::Integer | AttrType::Decimal => {
            if substring {
                return reject("co, sw and ew apply to strings only");
            }
            let CompValue::Number(n) = value else {
                return reject("expects a number");
            };
            match (attr.ty, n.as_i64(), n.as_f64()) {
                (AttrType::Integer, Some(i), _) => Ok(Literal::Integer(i)),
                (_, _, Some(f)) => Ok(Literal::Decimal(f)),
                _ => reject("expects a number"),
            }
        }
        AttrType::DateTime => {
            if substring {
                return reject(
                    "co, sw and ew apply to strings only; dateTime values compare as instants",
                );
            }
            match value {
                CompValue::String(s) => Instant::parse(s)
                    .map(Literal::DateTime)
                    .map_or_else(|| reject("expects an RFC 3339 date-time"), Ok),
                _ => reject("expects an RFC 3339 date-time string"),
            }
        }
        AttrType::Complex => reject("complex attributes cannot be compared"),
    }
}

/// `s` lowercased character by character, the same folding evaluation applies to values.
pub(crate) fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

fn owned_location(location: Location<'_>) -> AttrLocation {
    match location {
        Location::Top => AttrLocation::Top,
        Location::Extension(urn) => AttrLocation::Extension(urn.into()),
    }
}

/// `urn:name.sub` as the client wrote it, for messages.
pub(crate) fn path_text(path: &AttrPath) -> String {
    let mut out = String::new();
    if let Some(urn) = &path.urn {
        out.push_str(urn);
        out.push(':');
    }
    out.push_str(&path.name);
    if let Some(sub) = &path.sub {
        out.push('.');
        out.push_str(sub);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use serde_json::json;

    fn attr(text: &str) -> AttrPath {
        let (urn, rest) = match text.rfind(':') {
            Some(i) => (Some(text[..i].to_string()), &text[i + 1..]),
            None => (None, text),
        };
        let (name, sub) = match rest.split_once('.') {
            Some((n, s)) => (n.to_string(), Some(s.to_string())),
            None => (rest.to_string(), None),
        };
        AttrPath { urn, name, sub }
    }

    fn cmp(path: &str, op: CompareOp, value: CompValue) -> Filter {
        Filter::Compare {
            path: attr(path),
            op,
            value,
        }
    }

    fn s(v: &str) -> CompValue {
        CompValue::String(v.into())
    }

    fn user(filter: &Filter, options: CompileOptions) -> Result<CompiledFilter, ScimError> {
        let reg = Registry::builtin();
        let rt = reg
            .resource_type("User")
            .cloned()
            .unwrap_or_else(|| panic!("no User"));
        compile(filter, &reg, &rt, options)
    }

    fn strict(filter: &Filter) -> Result<CompiledFilter, ScimError> {
        user(filter, CompileOptions::default())
    }

    fn is_invalid_filter(r: Result<CompiledFilter, ScimError>) -> bool {
        matches!(r, Err(ScimError::InvalidFilter { .. }))
    }

    #[test]
    fn paths_resolve_case_insensitively_to_canonical_names() {
        let f = strict(&cmp("USERNAME", CompareOp::Eq, s("BJensen"))).unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert_eq!(c.attr.attr, "userName");
        assert_eq!(c.attr.location, AttrLocation::Top);
        assert_eq!(c.attr.ty, AttrType::String);
        assert!(!c.attr.case_exact);
        assert_eq!(c.value, Literal::String("bjensen".into()));
    }

    #[test]
    fn extension_paths_record_their_urn_location() {
        let f = strict(&cmp(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EMPLOYEENUMBER",
            CompareOp::Eq,
            s("7"),
        ))
        .unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert_eq!(c.attr.attr, "employeeNumber");
        assert_eq!(
            c.attr.location,
            AttrLocation::Extension(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into()
            )
        );
    }

    #[test]
    fn case_exact_literals_keep_their_case() {
        let f = strict(&cmp("externalId", CompareOp::Eq, s("AbC"))).unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert!(c.attr.case_exact);
        assert_eq!(c.value, Literal::String("AbC".into()));
    }

    #[test]
    fn complex_without_sub_attribute_compares_value() {
        let f = strict(&cmp("emails", CompareOp::Co, s("Example.com"))).unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert_eq!(
            (c.attr.attr.as_str(), c.attr.sub.as_deref()),
            ("emails", Some("value"))
        );
        assert!(c.attr.multi_valued);
        assert!(is_invalid_filter(strict(&cmp(
            "name",
            CompareOp::Eq,
            s("x")
        ))));
    }

    #[test]
    fn ordering_on_boolean_binary_or_complex_is_invalid_filter() {
        assert!(is_invalid_filter(strict(&cmp(
            "active",
            CompareOp::Gt,
            CompValue::Bool(true)
        ))));
        assert!(is_invalid_filter(strict(&cmp(
            "x509Certificates.value",
            CompareOp::Lt,
            s("AA")
        ))));
        assert!(is_invalid_filter(strict(&cmp(
            "name",
            CompareOp::Ge,
            s("a")
        ))));
    }

    #[test]
    fn substring_operators_need_string_attributes() {
        assert!(is_invalid_filter(strict(&cmp(
            "active",
            CompareOp::Co,
            s("t")
        ))));
        assert!(is_invalid_filter(strict(&cmp(
            "meta.created",
            CompareOp::Sw,
            s("2024")
        ))));
        assert!(strict(&cmp("profileUrl", CompareOp::Sw, s("https:"))).is_ok());
    }

    #[test]
    fn wrongly_typed_literals_are_invalid_filter_but_entra_booleans_pass() {
        assert!(is_invalid_filter(strict(&cmp(
            "active",
            CompareOp::Eq,
            s("yes")
        ))));
        assert!(is_invalid_filter(strict(&cmp(
            "userName",
            CompareOp::Eq,
            CompValue::Bool(true)
        ))));
        let f = strict(&cmp(
            "externalId",
            CompareOp::Eq,
            CompValue::Number(12345.into()),
        ));
        let Node::Compare(c) = f.unwrap().root else {
            panic!("number literal")
        };
        assert_eq!(c.value, Literal::String("12345".into()));
        assert!(is_invalid_filter(strict(&cmp(
            "meta.created",
            CompareOp::Gt,
            s("yesterday")
        ))));
        let f = strict(&cmp("active", CompareOp::Eq, s("True"))).unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert_eq!(c.value, Literal::Bool(true));
    }

    #[test]
    fn date_time_literals_become_instants() {
        let f = strict(&cmp(
            "meta.lastModified",
            CompareOp::Gt,
            s("2011-05-13T04:42:34Z"),
        ))
        .unwrap();
        let Node::Compare(c) = f.root() else {
            panic!("{f:?}")
        };
        assert_eq!(
            c.value,
            Literal::DateTime(Instant::parse("2011-05-13T04:42:34Z").unwrap())
        );
    }

    #[test]
    fn null_literals_become_presence_tests() {
        let eq = strict(&cmp("title", CompareOp::Eq, CompValue::Null)).unwrap();
        assert!(matches!(eq.root(), Node::Not(n) if matches!(**n, Node::Present(_))));
        let ne = strict(&cmp("title", CompareOp::Ne, CompValue::Null)).unwrap();
        assert!(matches!(ne.root(), Node::Present(_)));
        assert!(is_invalid_filter(strict(&cmp(
            "title",
            CompareOp::Co,
            CompValue::Null
        ))));
    }

    #[test]
    fn unknown_attributes_are_errors_unless_lenient() {
        let f = cmp("favouriteColour", CompareOp::Eq, s("blue"));
        assert!(is_invalid_filter(strict(&f)));
        let lenient = CompileOptions {
            lenient_unknown: true,
        };
        assert_eq!(user(&f, lenient).unwrap().root(), &Node::Const(false));
        let ne = cmp("favouriteColour", CompareOp::Ne, s("blue"));
        assert_eq!(user(&ne, lenient).unwrap().root(), &Node::Const(true));
        let or = Filter::Or(vec![f.clone(), Filter::Present(attr("title"))]);
        assert!(matches!(
            user(&or, lenient).unwrap().root(),
            Node::Present(_)
        ));
        assert!(is_invalid_filter(strict(&Filter::Present(attr(
            "name.nickname"
        )))));
    }

    #[test]
    fn value_paths_resolve_inner_paths_against_sub_attributes() {
        let f = Filter::ValuePath {
            path: attr("EMAILS"),
            filter: Box::new(cmp("TYPE", CompareOp::Eq, s("Work"))),
        };
        let c = strict(&f).unwrap();
        let Node::ValuePath { attr: a, filter } = c.root() else {
            panic!("{c:?}")
        };
        assert_eq!(a.attr, "emails");
        let Node::Compare(inner) = &**filter else {
            panic!("{filter:?}")
        };
        assert_eq!(inner.attr.sub.as_deref(), Some("type"));
        assert_eq!(inner.value, Literal::String("work".into()));
        let nested = Filter::ValuePath {
            path: attr("emails"),
            filter: Box::new(f.clone()),
        };
        assert!(is_invalid_filter(strict(&nested)));
        let on_simple = Filter::ValuePath {
            path: attr("userName"),
            filter: Box::new(cmp("value", CompareOp::Eq, s("x"))),
        };
        assert!(is_invalid_filter(strict(&on_simple)));
    }

    #[test]
    fn value_filter_tests_single_elements_for_patch() {
        let reg = Registry::builtin();
        let rt = reg.resource_type("Group").cloned().unwrap();
        let f = cmp("value", CompareOp::Eq, s("2819c223"));
        let vf = compile_value_filter(&f, &reg, &rt, &attr("members")).unwrap();
        assert_eq!(vf.attr().attr, "members");
        assert!(vf.matches_value(&json!({"value": "2819c223", "display": "Babs"})));
        assert!(!vf.matches_value(&json!({"value": "2819c224"})));
        assert!(!vf.matches_value(&json!("2819c223")));
        let unknown = compile_value_filter(&f, &reg, &rt, &attr("owners"));
        assert!(matches!(unknown, Err(ScimError::InvalidPath { .. })));
        let bad_sub = cmp("colour", CompareOp::Eq, s("x"));
        let bad = compile_value_filter(&bad_sub, &reg, &rt, &attr("members"));
        assert!(matches!(bad, Err(ScimError::InvalidFilter { .. })));
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let mut f = Filter::Present(attr("title"));
        for _ in 0..200 {
            f = Filter::Not(Box::new(f));
        }
        assert!(is_invalid_filter(strict(&f)));
    }
}
