//! Resource validation for create and replace (RFC 7643), producing the normalised resource.
//!
//! [`validate`] checks a request body against a resource type and returns the resource as core
//! stores it: attribute names in their canonical (schema) case, extension attributes under
//! their canonical URN key, `schemas` rebuilt as the core URN followed by the extensions in
//! use, readOnly attributes (`id`, `meta`, `groups`, `manager.displayName`…) dropped because
//! the service sets them, and unassigned values (null, empty arrays, empty objects; RFC 7643
//! §2.5) dropped. Values are otherwise kept exactly as sent. Every violation found is reported
//! ([`Violations`]), so a validator page can list them all and the service can answer with the
//! first.
//!
//! # Rules
//! - The body is a JSON object, else [`ScimError::InvalidSyntax`] (the only violation without a
//!   path). Every other violation is [`ScimError::InvalidValue`] (scimType `invalidValue`),
//!   except immutability, which is [`ScimError::Mutability`] (scimType `mutability`).
//! - `schemas` is an array of strings holding the resource type's core schema URN; each URN is
//!   the core schema or one of the type's extensions (compared case-insensitively).
//! - An extension object whose URN is missing from `schemas` is accepted and its URN added
//!   (clients are known to forget it). A required extension must be listed or present.
//! - Names match case-insensitively (RFC 7643 §2.1). Two keys of one object naming the same
//!   attribute (`userName` and `USERNAME`) are `invalidValue`: the message does not say which
//!   value is meant. Unknown attributes are `invalidValue` too: they do not fit the resource
//!   schema, which is what RFC 7644 §3.12 says `invalidValue` covers; the JSON is well formed.
//!   Attributes may also be written fully qualified (`urn:…:User:userName`, `urn:…:enterprise:
//!   2.0:User:employeeNumber`).
//! - Types: string, boolean, integer (a JSON number without fraction or exponent), decimal (any
//!   number), dateTime (RFC 3339 `date-time`), binary (base64, RFC 4648 §4), reference (a
//!   string), complex (an object whose sub-attributes are validated the same way). A
//!   multi-valued attribute is an array, with at most one value whose `primary` is true.
//! - `canonicalValues` are enforced only for attributes marked `strictCanonical`.
//! - Required attributes that are not readOnly must be present and non-null, in the resource,
//!   in each extension in use, and in each complex value.
//! - On replace, an immutable attribute that has a value must keep it (a different value or an
//!   explicit null is a `mutability` violation); when it is left out, the existing value is
//!   carried over. Immutable sub-attributes of multi-valued attributes are not compared: values
//!   may be added and removed (RFC 7643 §4.2 `members`).
//!
//! # Lenient mode
//! [`ValidateOptions::lenient`] accepts what sloppy clients send instead of rejecting it:
//! unknown attributes and unknown or non-string `schemas` entries are dropped, a missing
//! `schemas` or core URN is supplied, a single value where an array is expected is wrapped in
//! an array, `"True"`/`"false"` strings (any case) for booleans become booleans (Microsoft
//! Entra ID sends them), and numbers for string attributes become strings.
//!
//! # Error paths
//! `userName`, `name.givenName`, `emails[1].value`, `schemas[0]`, the URN alone for an
//! extension object, and `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
//! inside extensions. Indexes count the values as sent. Unknown attributes keep the client's
//! spelling; known ones use the canonical name.

mod formats;
mod path;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::schema::{AttrType, Attribute, Mutability, Registry, ResourceType, Schema};
pub use formats::{is_base64, is_date_time};
use path::{Path, Seg};

/// What the validated body is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode<'a> {
    /// A new resource (POST).
    Create,
    /// A replacement (PUT) of `existing`, a stored resource in normalised form.
    Replace {
        /// The resource as stored before the replacement.
        existing: &'a Value,
    },
}

/// Options of [`validate`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Accept known client sloppiness instead of rejecting it (see the module documentation).
    pub lenient: bool,
}

/// The violations of a rejected resource: never empty, in the order they were found.
#[derive(Debug, Clone, PartialEq)]
pub struct Violations(Vec<ScimError>);

/// Stands in for the first violation of an (impossible) empty list.
static NO_VIOLATION: ScimError = ScimError::InvalidSyntax(String::new());

impl Violations {
    /// The first violation, the one a SCIM response reports.
    pub fn first(&self) -> &ScimError {
        self.0.first().unwrap_or(&NO_VIOLATION)
    }

    /// Every violation.
    pub fn errors(&self) -> &[ScimError] {
        &self.0
    }

    /// Every violation, owned.
    pub fn into_errors(self) -> Vec<ScimError> {
        self.0
    }

    /// How many violations there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a `Violations` holds at least one error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Violations> for ScimError {
    fn from(v: Violations) -> ScimError {
        v.0.into_iter()
            .next()
            .unwrap_or_else(|| NO_VIOLATION.clone())
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Validates `input` as a resource of type `rt` and returns it normalised (module docs).
pub fn validate(
    registry: &Registry,
    rt: &ResourceType,
    input: Value,
    mode: Mode<'_>,
    options: &ValidateOptions,
) -> Result<Map<String, Value>, Violations> {
    let Value::Object(mut input) = input else {
        return Err(Violations(vec![ScimError::InvalidSyntax(
            "a resource must be a JSON object".into(),
        )]));
    };
    let Some(core) = registry.schema(&rt.schema) else {
        return Err(Violations(vec![ScimError::invalid_value(
            "schemas",
            format!(
                "schema '{}' of resource type '{}' is not registered",
                rt.schema, rt.name
            ),
        )]));
    };
    let (replace, existing) = match mode {
        Mode::Create => (false, None),
        Mode::Replace { existing } => (true, existing.as_object()),
    };
    let mut v = Validator {
        lenient: options.lenient,
        replace,
        errors: Vec::new(),
    };
    let mut exts: Vec<Ext<'_>> = rt
        .schema_extensions
        .iter()
        .filter_map(|e| {
            registry.schema(&e.schema).map(|schema| Ext {
                schema,
                required: e.required,
                listed: false,
                present: false,
                out: Map::new(),
            })
        })
        .collect();

    let schemas = take_schemas(&mut input);
    let core_listed = v.schemas(schemas, core, &mut exts, rt);

    let top: [&[Attribute]; 2] = [&core.attributes, &registry.common().attributes];
    let mut out = Map::new();
    for (key, value) in input {
        if key.eq_ignore_ascii_case("schemas") {
            v.invalid(
                &Path::root(Seg::Name("schemas")),
                "schemas given more than once",
            );
        } else if let Some(ext) = exts
            .iter_mut()
            .find(|e| e.schema.id.eq_ignore_ascii_case(&key))
        {
            let path = Path::root(Seg::Urn(&ext.schema.id));
            let prior = ext.existing(existing);
            match value {
                Value::Object(obj) if !ext.present => {
                    ext.present = true;
                    v.entries(
                        &[&ext.schema.attributes],
                        obj,
                        Some(&path),
                        prior,
                        &mut ext.out,
                    );
                }
                Value::Object(_) => v.invalid(&path, "extension given more than once"),
                Value::Null => {}
                _ => v.invalid(&path, "an extension must be a JSON object"),
            }
        } else if let Some((ext, at)) = exts
            .iter_mut()
            .find_map(|e| qualified(&key, &e.schema.id).map(|at| (e, at)))
        {
            ext.present = true;
            let path = Path::root(Seg::Urn(&ext.schema.id));
            let prior = ext.existing(existing);
            v.entry(
                &[&ext.schema.attributes],
                key,
                at,
                value,
                Some(&path),
                prior,
                &mut ext.out,
            );
        } else if key.eq_ignore_ascii_case(&core.id) {
            match value {
                Value::Object(obj) => v.entries(&top, obj, None, existing, &mut out),
                Value::Null => {}
                _ => v.invalid(
                    &Path::root(Seg::Urn(&core.id)),
                    "core attributes under the core URN must be a JSON object",
                ),
            }
        } else {
            let at = qualified(&key, &core.id).unwrap_or(0);
            v.entry(&top, key, at, value, None, existing, &mut out);
        }
    }
    v.finish(&top, None, existing, &mut out);

    let mut urns = vec![Value::String(core.id.clone())];
    if !core_listed && !v.lenient {
        v.invalid(
            &Path::root(Seg::Name("schemas")),
            format!("schemas must contain '{}'", core.id),
        );
    }
    for mut ext in exts {
        let path = Path::root(Seg::Urn(&ext.schema.id));
        let prior = ext.existing(existing);
        let errors = v.errors.len();
        if ext.listed || ext.present || prior.is_some() {
            v.finish(&[&ext.schema.attributes], Some(&path), prior, &mut ext.out);
        }
        let in_use = ext.listed || !ext.out.is_empty();
        if ext.required && !in_use && v.errors.len() == errors {
            v.invalid(&path, "required extension is missing");
        }
        if in_use {
            urns.push(Value::String(ext.schema.id.clone()));
        }
        if !ext.out.is_empty() {
            out.insert(ext.schema.id.clone(), Value::Object(ext.out));
        }
    }
    out.insert("schemas".into(), Value::Array(urns));
    if v.errors.is_empty() {
        Ok(out)
    } else {
        Err(Violations(v.errors))
    }
}

/// An extension of the resource type while a body is validated.
struct Ext<'r> {
    schema: &'r Schema,
    required: bool,
    listed: bool,
    present: bool,
    out: Map<String, Value>,
}

impl<'r> Ext<'r> {
    /// The stored extension object, on replace.
    fn existing<'e>(
        &self,
        existing: Option<&'e Map<String, Value>>,
    ) -> Option<&'e Map<String, Value>> {
        existing
            .and_then(|e| e.get(&self.schema.id))
            .and_then(Value::as_object)
    }
}

/// Removes and returns the `schemas` member, whatever its case.
fn take_schemas(input: &mut Map<String, Value>) -> Option<Value> {
    if let Some(v) = input.remove("schemas") {
        return Some(v);
    }
    let key = input
        .keys()
        .find(|k| k.eq_ignore_ascii_case("schemas"))?
        .clone();
    input.remove(&key)
}

/// Where the attribute name starts in `key` when it is `urn:attr` for this `urn`.
pub(crate) fn qualified(key: &str, urn: &str) -> Option<usize> {
    let at = urn.len() + 1;
    (key.len() > at
        && key.as_bytes().get(urn.len()) == Some(&b':')
        && key.get(..urn.len())?.eq_ignore_ascii_case(urn))
    .then_some(at)
}

/// The name of a JSON value's kind, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The name of an attribute type, for messages.
fn type_name(ty: AttrType) -> &'static str {
    match ty {
        AttrType::String => "a string",
        AttrType::Boolean => "a boolean",
        AttrType::Decimal => "a number",
        AttrType::Integer => "an integer",
        AttrType::DateTime => "an RFC 3339 dateTime string",
        AttrType::Binary => "a base64 string",
        AttrType::Reference => "a reference string",
        AttrType::Complex => "an object",
    }
}

/// Whether two values of `attr` are the same (strings compared per `caseExact`).
fn same_value(attr: &Attribute, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if !attr.case_exact => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

/// The walk over one body, collecting violations.
struct Validator {
    lenient: bool,
    replace: bool,
    errors: Vec<ScimError>,
}

impl Validator {
    fn invalid(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.errors
            .push(ScimError::invalid_value(path.render(), message));
    }

    /// Whether a violation was already reported at `path` or inside it (an invalid value of
    /// a required attribute is not also reported missing).
    fn reported(&self, path: &str) -> bool {
        self.errors.iter().filter_map(ScimError::path).any(|p| {
            p.strip_prefix(path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }

    /// Checks `schemas`, marks the extensions it lists; returns whether it lists the core URN.
    fn schemas(
        &mut self,
        schemas: Option<Value>,
        core: &Schema,
        exts: &mut [Ext<'_>],
        rt: &ResourceType,
    ) -> bool {
        let root = Path::root(Seg::Name("schemas"));
        let items = match schemas {
            Some(Value::Array(items)) => items,
            Some(Value::String(s)) if self.lenient => vec![Value::String(s)],
            None | Some(Value::Null) if self.lenient => return true,
            None | Some(Value::Null) => {
                self.invalid(&root, "schemas is required");
                return true;
            }
            Some(other) => {
                self.invalid(
                    &root,
                    format!("schemas must be an array of URNs, not {}", kind(&other)),
                );
                return true;
            }
        };
        let mut core_listed = false;
        for (i, item) in items.iter().enumerate() {
            let path = root.child(Seg::Index(i));
            let Some(urn) = item.as_str() else {
                if !self.lenient {
                    self.invalid(
                        &path,
                        format!("a schema URN is a string, not {}", kind(item)),
                    );
                }
                continue;
            };
            if urn.eq_ignore_ascii_case(&core.id) {
                core_listed = true;
            } else if let Some(ext) = exts
                .iter_mut()
                .find(|e| e.schema.id.eq_ignore_ascii_case(urn))
            {
                ext.listed = true;
            } else if !self.lenient {
                self.invalid(
                    &path,
                    format!("'{urn}' is not a schema of resource type '{}'", rt.name),
                );
            }
        }
        core_listed
    }

    /// Validates every member of `obj` into `out` (see [`Validator::entry`]).
    fn entries(
        &mut self,
        attrs: &[&[Attribute]],
        obj: Map<String, Value>,
        parent: Option<&Path<'_>>,
        existing: Option<&Map<String, Value>>,
        out: &mut Map<String, Value>,
    ) {
        for (key, value) in obj {
            self.entry(attrs, key, 0, value, parent, existing, out);
        }
    }

    /// Validates the member `key` (its attribute name starting at byte `at`) into `out`.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &mut self,
        attrs: &[&[Attribute]],
        key: String,
        at: usize,
        value: Value,
        parent: Option<&Path<'_>>,
        existing: Option<&Map<String, Value>>,
        out: &mut Map<String, Value>,
    ) {
        let name = key.get(at..).unwrap_or_default();
        let Some(attr) = attrs
            .iter()
            .flat_map(|a| a.iter())
            .find(|a| a.name.eq_ignore_ascii_case(name))
        else {
            if !self.lenient {
                self.invalid(&Path::under(parent, Seg::Name(name)), "unknown attribute");
            }
            return;
        };
        if attr.mutability == Mutability::ReadOnly {
            return;
        }
        let path = Path::under(parent, Seg::Name(&attr.name));
        if out.contains_key(&attr.name) {
            self.invalid(
                &path,
                "attribute given more than once (names are case-insensitive)",
            );
            return;
        }
        let prior = existing
            .and_then(|e| e.get(&attr.name))
            .filter(|p| !p.is_null());
        if let Some(v) = self.attribute(attr, value, &path, prior) {
            let key = if at == 0 && key == attr.name {
                key
            } else {
                attr.name.clone()
            };
            out.insert(key, v);
        }
    }

    /// After the members of an object: carries immutable values over on replace, then checks
    /// required attributes.
    fn finish(
        &mut self,
        attrs: &[&[Attribute]],
        parent: Option<&Path<'_>>,
        existing: Option<&Map<String, Value>>,
        out: &mut Map<String, Value>,
    ) {
        for attr in attrs.iter().flat_map(|a| a.iter()) {
            if out.contains_key(&attr.name) {
                continue;
            }
            let prior = existing
                .and_then(|e| e.get(&attr.name))
                .filter(|p| !p.is_null());
            match prior {
                Some(prior) if self.replace && attr.mutability == Mutability::Immutable => {
                    out.insert(attr.name.clone(), prior.clone());
                }
                _ if attr.required && attr.mutability != Mutability::ReadOnly => {
                    let path = Path::under(parent, Seg::Name(&attr.name)).render();
                    if !self.reported(&path) {
                        self.errors.push(ScimError::invalid_value(
                            path,
                            "required attribute is missing",
                        ));
                    }
                }
                _ => {}
            }
        }
    }

    /// Validates one attribute's value; `None` when it is unassigned or invalid.
    fn attribute(
        &mut self,
        attr: &Attribute,
        value: Value,
        path: &Path<'_>,
        prior: Option<&Value>,
    ) -> Option<Value> {
        let errors = self.errors.len();
        let result = if attr.multi_valued {
            self.multi(attr, value, path)
        } else {
            self.single(attr, value, path, prior)
        };
        if let (true, Mutability::Immutable, Some(prior)) = (self.replace, attr.mutability, prior) {
            let kept = result.as_ref().is_some_and(|r| same_value(attr, r, prior));
            if !kept && self.errors.len() == errors {
                self.errors.push(ScimError::Mutability {
                    path: path.render(),
                    message: "immutable attribute cannot change once set".into(),
                });
            }
        }
        result
    }

    /// Validates a multi-valued attribute's array.
    fn multi(&mut self, attr: &Attribute, value: Value, path: &Path<'_>) -> Option<Value> {
        let items = match value {
            Value::Null => return None,
            Value::Array(items) => items,
            other if self.lenient => vec![other],
            other => {
                self.invalid(
                    path,
                    format!("multi-valued: expected an array, got {}", kind(&other)),
                );
                return None;
            }
        };
        let primary = attr
            .sub_attribute("primary")
            .filter(|p| p.ty == AttrType::Boolean)
            .map(|p| p.name.as_str());
        let mut out = Vec::with_capacity(items.len());
        let mut seen_primary = false;
        for (i, item) in items.into_iter().enumerate() {
            let at = path.child(Seg::Index(i));
            let Some(v) = self.single(attr, item, &at, None) else {
                continue;
            };
            if let Some(p) = primary {
                if v.get(p) == Some(&Value::Bool(true)) {
                    if seen_primary {
                        self.invalid(
                            &at.child(Seg::Name(p)),
                            "at most one value may have primary true",
                        );
                    }
                    seen_primary = true;
                }
            }
            out.push(v);
        }
        (!out.is_empty()).then_some(Value::Array(out))
    }

    /// Validates one value of an attribute against its type.
    fn single(
        &mut self,
        attr: &Attribute,
        value: Value,
        path: &Path<'_>,
        prior: Option<&Value>,
    ) -> Option<Value> {
        let lenient = self.lenient;
        let value = match (attr.ty, value) {
            (_, Value::Null) => return None,
            (AttrType::String | AttrType::Reference, Value::String(s)) => {
                if attr.refuses_blank(&s) {
                    self.invalid(path, "required attribute is empty");
                    return None;
                }
                self.canonical(attr, &s, path);
                Value::String(s)
            }
            (AttrType::String, Value::Number(n)) if lenient => Value::String(n.to_string()),
            (AttrType::Boolean, v @ Value::Bool(_)) => v,
            (AttrType::Boolean, Value::String(s))
                if lenient
                    && (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")) =>
            {
                Value::Bool(s.eq_ignore_ascii_case("true"))
            }
            (AttrType::Integer, Value::Number(n)) if !n.is_f64() => Value::Number(n),
            (AttrType::Decimal, v @ Value::Number(_)) => v,
            (AttrType::DateTime, Value::String(s)) if is_date_time(&s) => Value::String(s),
            (AttrType::Binary, Value::String(s)) if is_base64(&s) => Value::String(s),
            (AttrType::Complex, Value::Object(obj)) => {
                let prior = prior.and_then(Value::as_object);
                let mut out = Map::new();
                let subs: [&[Attribute]; 1] = [&attr.sub_attributes];
                self.entries(&subs, obj, Some(path), prior, &mut out);
                self.finish(&subs, Some(path), prior, &mut out);
                if out.is_empty() {
                    return None;
                }
                Value::Object(out)
            }
            (ty, other) => {
                self.invalid(
                    path,
                    format!("expected {}, got {}", type_name(ty), describe(ty, &other)),
                );
                return None;
            }
        };
        Some(value)
    }

    /// Enforces `canonicalValues` on attributes marked `strictCanonical`.
    fn canonical(&mut self, attr: &Attribute, s: &str, path: &Path<'_>) {
        if !attr.strict_canonical || attr.canonical_values.is_empty() {
            return;
        }
        let known = attr.canonical_values.iter().any(|c| {
            if attr.case_exact {
                c == s
            } else {
                c.eq_ignore_ascii_case(s)
            }
        });
        if !known {
            self.invalid(
                path,
                format!(
                    "'{s}' is not one of the canonical values {}",
                    attr.canonical_values.join(", ")
                ),
            );
        }
    }
}

/// What was sent instead of a value of type `ty`.
fn describe(ty: AttrType, v: &Value) -> &'static str {
    match (ty, v) {
        (AttrType::DateTime, Value::String(_)) => "a string that is not one",
        (AttrType::Binary, Value::String(_)) => "a string that is not base64",
        _ => kind(v),
    }
}

#[cfg(test)]
mod tests;
