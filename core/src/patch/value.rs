//! PATCH values normalised against the schema (canonical names, client quirks) and compared.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::options::PatchOptions;
use crate::error::{Result, ScimError};
use crate::resource::validate::{is_base64, is_date_time};
use crate::schema::{AttrType, Attribute};

/// Normalises the value of a whole attribute: an array of values for a multi-valued one
/// (a single value is taken as a one-value array; null items are dropped), one value
/// otherwise, whose null sub-attributes are kept (merged, they unassign). `Value::Null` stays
/// null: it unassigns.
pub(crate) fn whole(
    attr: &Attribute,
    value: &Value,
    opts: &PatchOptions,
    path: &str,
) -> Result<Value> {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Array(items) if attr.multi_valued => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let item = single(attr, item, opts, path)?;
                if !item.is_null() {
                    out.push(item);
                }
            }
            Ok(Value::Array(out))
        }
        _ if attr.multi_valued => {
            let item = single(attr, value, opts, path)?;
            Ok(Value::Array(if item.is_null() {
                Vec::new()
            } else {
                alloc::vec![item]
            }))
        }
        _ => normalise(attr, value, opts, path, None, true),
    }
}

/// Normalises one value of `attr` (one item of a multi-valued attribute) and checks its type
/// as resource validation does: sub-attribute names in canonical case, null sub-attributes
/// dropped, string booleans and plain `value`s per the quirk options.
pub(crate) fn single(
    attr: &Attribute,
    value: &Value,
    opts: &PatchOptions,
    path: &str,
) -> Result<Value> {
    normalise(attr, value, opts, path, None, false)
}

/// [`single`] for the value at `path` (`path.sub` when `sub` names the sub-attribute being
/// checked), keeping null sub-attributes when `keep_nulls` (they unassign in a merge).
fn normalise(
    attr: &Attribute,
    value: &Value,
    opts: &PatchOptions,
    path: &str,
    sub: Option<&str>,
    keep_nulls: bool,
) -> Result<Value> {
    let fits = match (attr.ty, value) {
        (_, Value::Null) => true,
        (AttrType::String | AttrType::Reference, Value::String(s)) => {
            if attr.refuses_blank(s) {
                return Err(ScimError::invalid_value(
                    at(path, sub),
                    "required attribute is empty",
                ));
            }
            if !canonical(attr, s) {
                return Err(ScimError::invalid_value(
                    at(path, sub),
                    format!(
                        "\"{s}\" is not one of the canonical values {}",
                        attr.canonical_values.join(", ")
                    ),
                ));
            }
            true
        }
        (AttrType::Boolean, Value::Bool(_)) | (AttrType::Decimal, Value::Number(_)) => true,
        (AttrType::Boolean, Value::String(s)) if opts.string_booleans => {
            return match string_bool(s) {
                Some(b) => Ok(Value::Bool(b)),
                None => Err(ScimError::invalid_value(
                    at(path, sub),
                    format!("expected a boolean, got \"{s}\""),
                )),
            };
        }
        (AttrType::Integer, Value::Number(n)) => !n.is_f64(),
        (AttrType::DateTime, Value::String(s)) => is_date_time(s),
        (AttrType::Binary, Value::String(s)) => is_base64(s),
        (AttrType::Complex, Value::Object(object)) => {
            let mut out = Map::new();
            for (key, v) in object {
                let sub_attr = attr.sub_attribute(key).ok_or_else(|| {
                    ScimError::invalid_value(
                        at(path, sub),
                        format!("unknown sub-attribute \"{key}\""),
                    )
                })?;
                let v = normalise(sub_attr, v, opts, path, Some(&sub_attr.name), false)?;
                if keep_nulls || !v.is_null() {
                    out.insert(sub_attr.name.clone(), v);
                }
            }
            return Ok(Value::Object(out));
        }
        (AttrType::Complex, Value::String(_))
            if opts.scalar_as_value && attr.sub_attribute("value").is_some() =>
        {
            let mut wrapped = Map::new();
            wrapped.insert("value".into(), value.clone());
            return normalise(attr, &Value::Object(wrapped), opts, path, sub, keep_nulls);
        }
        _ => false,
    };
    if fits {
        Ok(value.clone())
    } else {
        Err(ScimError::invalid_value(
            at(path, sub),
            format!("expected {}", type_name(attr.ty)),
        ))
    }
}

/// Whether `s` is allowed by `attr`'s `canonicalValues` (enforced with `strictCanonical` only).
fn canonical(attr: &Attribute, s: &str) -> bool {
    !attr.strict_canonical
        || attr.canonical_values.is_empty()
        || attr
            .canonical_values
            .iter()
            .any(|c| str_eq(c, s, attr.case_exact))
}

/// What a value of type `ty` is.
fn type_name(ty: AttrType) -> &'static str {
    match ty {
        AttrType::String => "a string",
        AttrType::Boolean => "a boolean",
        AttrType::Decimal => "a number",
        AttrType::Integer => "an integer",
        AttrType::DateTime => "an RFC 3339 dateTime string",
        AttrType::Binary => "a base64 string",
        AttrType::Reference => "a reference string",
        AttrType::Complex => "an object of sub-attributes",
    }
}

/// `path.sub`, or `path`.
fn at(path: &str, sub: Option<&str>) -> String {
    match sub {
        Some(sub) => format!("{path}.{sub}"),
        None => path.into(),
    }
}

/// `true`/`false` in any case.
fn string_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Whether two strings are equal, ignoring case unless `case_exact` (full Unicode folding).
pub(crate) fn str_eq(a: &str, b: &str, case_exact: bool) -> bool {
    if case_exact || a == b {
        return a == b;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether two JSON values of `attr` are equal, strings compared per `caseExact`.
pub(crate) fn scalar_eq(attr: &Attribute, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => str_eq(a, b, attr.case_exact),
        _ => a == b,
    }
}

/// Whether `a` and `b` are the same value of the multi-valued `attr`: for a complex attribute
/// with a `value` sub-attribute, same `value` and, when both have one, same `type`; otherwise
/// equal values (strings per `caseExact`).
pub(crate) fn same_item(attr: &Attribute, a: &Value, b: &Value) -> bool {
    if attr.ty != AttrType::Complex {
        return scalar_eq(attr, a, b);
    }
    let key = attr.sub_attribute("value");
    match (key, a.get("value"), b.get("value")) {
        (Some(sub), Some(va), Some(vb)) => {
            scalar_eq(sub, va, vb)
                && match (attr.sub_attribute("type"), a.get("type"), b.get("type")) {
                    (Some(t), Some(ta), Some(tb)) => scalar_eq(t, ta, tb),
                    _ => true,
                }
        }
        _ => a == b,
    }
}

/// Whether `value` holds `primary: true`.
pub(crate) fn is_primary(value: &Value) -> bool {
    value.get("primary") == Some(&Value::Bool(true))
}

/// Sets `primary` to false on every item but `keep` (RFC 7644 §3.5.2: one primary value).
pub(crate) fn clear_other_primaries(items: &mut [Value], keep: usize) {
    for (i, item) in items.iter_mut().enumerate() {
        if i != keep && is_primary(item) {
            if let Some(object) = item.as_object_mut() {
                object.insert("primary".into(), Value::Bool(false));
            }
        }
    }
}

/// The display form of an attribute path: `name`, `name.sub`, `urn:…:attr.sub`.
pub(crate) fn path_text(urn: Option<&str>, attr: &str, sub: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(urn) = urn {
        out.push_str(urn);
        out.push(':');
    }
    out.push_str(attr);
    if let Some(sub) = sub {
        out.push('.');
        out.push_str(sub);
    }
    out
}
