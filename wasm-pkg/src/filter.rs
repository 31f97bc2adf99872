//! `Filter`: a SCIM filter compiled once, evaluated against JS objects.
//!
//! A JS resource is never serialised whole: the filter publishes which attributes its
//! compiled program reads (`plan`), the package's JS side (`api.js`) copies only those out of
//! each object, and the copies cross as one JSON text per call (one for a whole array).

use js_sys::Array;
use scim_core::query::compile::{
    compile, AttrLocation, AttrRef, CompileOptions, CompiledFilter, Node,
};
use scim_core::query::parser::{parse_filter, ParseOptions};
use scim_core::ScimError;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, to_js_error};
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
    /// What the filter reads, for the JS side to copy out of resources before one batched
    /// call: `[fields, extensions]`, where a field is `[name, whole, subNames]` (the whole
    /// value, or only those sub-attributes of its values) and an extension `[urn, fields]`.
    #[wasm_bindgen(getter)]
    pub fn plan(&self) -> Array {
        let extensions: Array = self
            .extensions
            .iter()
            .map(|e| -> JsValue { Array::of2(&e.field.key, &fields_plan(&e.attrs)).into() })
            .collect();
        Array::of2(&fields_plan(&self.top), &extensions)
    }

    /// Whether the JSON document `json` (the planned fields of one resource) satisfies the
    /// filter.
    #[wasm_bindgen(js_name = matchesJson)]
    pub fn matches_json(&self, json: &str) -> bool {
        serde_json::from_str::<Value>(json)
            .is_ok_and(|doc| doc.is_object() && self.compiled.matches(&doc))
    }

    /// The indexes of the documents of the JSON array `json` (planned fields of resources,
    /// `null` for anything that is not a resource) that satisfy the filter.
    #[wasm_bindgen(js_name = filterJson)]
    pub fn filter_json(&self, json: &str) -> Result<Vec<u32>, JsValue> {
        let docs: Vec<Value> = serde_json::from_str(json)
            .map_err(|_| bad_argument("resources", "filter() takes an array of JSON objects"))?;
        Ok(docs
            .iter()
            .enumerate()
            .filter(|(_, doc)| doc.is_object() && self.compiled.matches(doc))
            .filter_map(|(at, _)| u32::try_from(at).ok())
            .collect())
    }

    /// The filter as JavaScript source (see `scim_core::js`): an expression for
    /// `(resource) => true | false | undefined`, `undefined` where core must decide.
    #[wasm_bindgen(getter, js_name = jsSource)]
    pub fn js_source(&self) -> String {
        scim_core::js::filter::filter_source(&self.compiled)
    }

    /// The filter in canonical text (RFC 7644 syntax; parsing it gives the same filter).
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        self.ast.to_string()
    }
}

impl Filter {
    /// The compiled program.
    pub(crate) fn compiled(&self) -> &CompiledFilter {
        &self.compiled
    }

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

/// Fields as `[name, whole, subNames]` arrays.
fn fields_plan(fields: &[Field]) -> Array {
    fields
        .iter()
        .map(|f| -> JsValue {
            let subs: Array = f.subs.iter().map(|s| s.key.clone()).collect();
            Array::of3(&f.key, &JsValue::from_bool(f.whole), &subs).into()
        })
        .collect()
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
    use super::utf16_offset;

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
}
