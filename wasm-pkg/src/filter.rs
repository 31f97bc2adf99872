//! `Filter`: a SCIM filter compiled once, evaluated against JS objects.
//!
//! A JS resource is never serialised whole: the filter knows which attributes its compiled
//! program reads, and only those are copied out of the object (primitives directly, objects
//! and arrays through one `JSON.stringify` each) into the small document core evaluates.

use js_sys::{Array, Reflect};
use scim_core::query::compile::{
    compile, AttrLocation, AttrRef, CompileOptions, CompiledFilter, Node,
};
use scim_core::query::parser::{parse_filter, ParseOptions};
use scim_core::ScimError;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, to_js_error};
use crate::json::from_js;
use crate::options;
use crate::registry::SchemaRegistry;

/// An attribute the compiled filter reads, with its JS property key made once: its whole
/// value, or only the sub-attributes `subs` of its values.
struct Field {
    name: String,
    key: JsValue,
    whole: bool,
    subs: Vec<Field>,
}

/// An extension object the filter reads, and which of its attributes.
struct Extension {
    field: Field,
    attrs: Vec<Field>,
}

/// A compiled SCIM filter.
#[wasm_bindgen]
pub struct Filter {
    ast: scim_core::query::Filter,
    compiled: CompiledFilter,
    top: Vec<Field>,
    extensions: Vec<Extension>,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// Parses and compiles `text` for a resource type (`resourceType`, default `User`).
    #[wasm_bindgen(js_name = compileFilter)]
    pub fn compile_filter(&self, text: JsValue, options: JsValue) -> Result<Filter, JsValue> {
        let text = text
            .as_string()
            .ok_or_else(|| bad_argument("filter", "the filter must be a string"))?;
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        let parse = ParseOptions {
            lenient: options::flag(&options, "lenient")?,
        };
        let compile_options = CompileOptions {
            lenient_unknown: options::flag(&options, "lenientUnknown")?,
        };
        let ast = parse_filter(&text, parse).map_err(|e| filter_error(&text, &e))?;
        let compiled =
            compile(&ast, registry, rt, compile_options).map_err(|e| filter_error(&text, &e))?;
        Ok(Filter::new(ast, compiled))
    }
}

#[wasm_bindgen]
impl Filter {
    /// Whether one resource satisfies the filter.
    pub fn matches(&self, resource: &JsValue) -> Result<bool, JsValue> {
        if !resource.is_object() {
            return Ok(false);
        }
        Ok(self.compiled.matches(&self.extract(resource)?))
    }

    /// The resources of the array that satisfy the filter (the same objects, in order).
    pub fn filter(&self, resources: &JsValue) -> Result<Array, JsValue> {
        if !Array::is_array(resources) {
            return Err(bad_argument("resources", "filter() takes an array"));
        }
        let input: &Array = resources.unchecked_ref();
        let out = Array::new();
        for item in input.iter() {
            if self.matches(&item)? {
                out.push(&item);
            }
        }
        Ok(out)
    }

    /// The filter in canonical text (RFC 7644 syntax; parsing it gives the same filter).
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        self.ast.to_string()
    }
}

impl Filter {
    fn new(ast: scim_core::query::Filter, compiled: CompiledFilter) -> Filter {
        let mut filter = Filter {
            ast,
            compiled,
            top: Vec::new(),
            extensions: Vec::new(),
        };
        let mut refs = Vec::new();
        collect_refs(filter.compiled.root(), &mut refs);
        let wanted: Vec<Need> = refs
            .into_iter()
            .map(|(r, elements_only)| Need {
                location: r.location.clone(),
                attr: r.attr.clone(),
                sub: r.sub.clone(),
                elements_only,
            })
            .collect();
        for need in &wanted {
            filter.want(need);
        }
        filter
    }

    /// Records what the filter reads of one top-level attribute.
    fn want(&mut self, need: &Need) {
        let fields = match &need.location {
            AttrLocation::Top => &mut self.top,
            AttrLocation::Extension(urn) => {
                let at = match self.extensions.iter().position(|e| e.field.name == *urn) {
                    Some(at) => at,
                    None => {
                        self.extensions.push(Extension {
                            field: Field::new(urn),
                            attrs: Vec::new(),
                        });
                        self.extensions.len() - 1
                    }
                };
                match self.extensions.get_mut(at) {
                    Some(ext) => &mut ext.attrs,
                    None => return,
                }
            }
        };
        let at = match fields.iter().position(|f| f.name == need.attr) {
            Some(at) => at,
            None => {
                let mut field = Field::new(&need.attr);
                field.whole = false;
                fields.push(field);
                fields.len() - 1
            }
        };
        let Some(field) = fields.get_mut(at) else {
            return;
        };
        match &need.sub {
            Some(sub) if !field.subs.iter().any(|f| f.name == *sub) => {
                field.subs.push(Field::new(sub))
            }
            Some(_) => {}
            None => field.whole |= !need.elements_only,
        }
    }

    /// The part of `resource` the filter reads, as a JSON document.
    fn extract(&self, resource: &JsValue) -> Result<Value, JsValue> {
        let mut doc = read_fields(resource, &self.top)?;
        for ext in &self.extensions {
            let object = Reflect::get(resource, &ext.field.key)?;
            if object.is_object() {
                let inner = read_fields(&object, &ext.attrs)?;
                doc.insert(ext.field.name.clone(), Value::Object(inner));
            }
        }
        Ok(Value::Object(doc))
    }
}

/// One attribute a compiled filter reads; `elements_only` for the attribute of `attr[filter]`,
/// whose values are only looked into.
struct Need {
    location: AttrLocation,
    attr: String,
    sub: Option<String>,
    elements_only: bool,
}

impl Field {
    fn new(name: &str) -> Field {
        Field {
            name: name.into(),
            key: JsValue::from_str(name),
            whole: true,
            subs: Vec::new(),
        }
    }
}

/// Every attribute reference in the compiled tree, flagged when only its values' insides are
/// read (the attribute of a value filter).
fn collect_refs<'n>(node: &'n Node, out: &mut Vec<(&'n AttrRef, bool)>) {
    match node {
        Node::Present(r) => out.push((r, false)),
        Node::Compare(c) => out.push((&c.attr, false)),
        Node::Not(inner) => collect_refs(inner, out),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| collect_refs(n, out)),
        Node::ValuePath { attr, filter } => {
            out.push((attr, true));
            collect_refs(filter, out);
        }
        Node::Const(_) => {}
    }
}

/// The named properties of a JS object that are defined, converted to JSON: whole, or only
/// the sub-attributes the filter reads.
fn read_fields(object: &JsValue, fields: &[Field]) -> Result<Map<String, Value>, JsValue> {
    let mut map = Map::new();
    for f in fields {
        let value = Reflect::get(object, &f.key)?;
        if value.is_undefined() {
            continue;
        }
        let json = if f.whole {
            to_json(&value)?
        } else if Array::is_array(&value) {
            let items: &Array = value.unchecked_ref();
            let mut out = Vec::with_capacity(items.length() as usize);
            for item in items.iter() {
                out.push(read_element(&item, &f.subs)?);
            }
            Value::Array(out)
        } else {
            read_element(&value, &f.subs)?
        };
        map.insert(f.name.clone(), json);
    }
    Ok(map)
}

/// One value of a complex attribute: only the sub-attributes `subs`, when it is an object.
fn read_element(value: &JsValue, subs: &[Field]) -> Result<Value, JsValue> {
    if value.is_object() && !Array::is_array(value) {
        read_fields(value, subs).map(Value::Object)
    } else {
        to_json(value)
    }
}

/// One JS value as JSON: primitives directly, anything else through `JSON.stringify`.
fn to_json(value: &JsValue) -> Result<Value, JsValue> {
    if value.is_null() {
        Ok(Value::Null)
    } else if let Some(s) = value.as_string() {
        Ok(Value::String(s))
    } else if let Some(b) = value.as_bool() {
        Ok(Value::Bool(b))
    } else if let Some(n) = value.as_f64() {
        Ok(number(n))
    } else {
        from_js(value, "resource")
    }
}

/// A JS number as JSON: whole numbers as integers (as `JSON.parse` would give them).
fn number(n: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= SAFE {
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A filter error, with its byte position turned into a JS string index.
fn filter_error(text: &str, err: &ScimError) -> JsValue {
    let position = match err {
        ScimError::InvalidFilter { pos, .. } => Some(utf16_offset(text, *pos)),
        _ => None,
    };
    to_js_error(err, position)
}

/// The UTF-16 index of byte offset `byte` in `text`.
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let units: usize = text
        .char_indices()
        .take_while(|(i, c)| i + c.len_utf8() <= byte)
        .map(|(_, c)| c.len_utf16())
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{number, utf16_offset};
    use serde_json::json;

    #[test]
    fn byte_offsets_become_js_string_indexes() {
        assert_eq!(utf16_offset("userName eq", 8), 8);
        assert_eq!(utf16_offset("é eq (", 6), 5);
        assert_eq!(
            utf16_offset("😀 x", 5),
            3,
            "an astral character is two UTF-16 units"
        );
        assert_eq!(utf16_offset("é", 1), 0, "inside a character: its start");
        assert_eq!(utf16_offset("ab", 99), 2);
    }

    #[test]
    fn whole_js_numbers_become_json_integers() {
        assert_eq!(number(42.0), json!(42));
        assert_eq!(number(-3.0), json!(-3));
        assert_eq!(number(1.5), json!(1.5));
        assert_eq!(number(1e300), json!(1e300));
        assert_eq!(number(f64::NAN), json!(null));
    }
}
