//! PATCH operations resolved against the schema once: targets, compiled value filters and
//! normalised values, ready to run on any number of resources.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::options::PatchOptions;
use super::request::{expand_value, OpKind, PatchOperation, PatchRequest};
use super::value::{path_text, single, whole};
use crate::error::{Result, ScimError};
use crate::query::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
use crate::query::compile::{compile_value_filter, CompiledValueFilter};
use crate::schema::{AttrType, Attribute, Location, Registry, ResourceType};

/// A PATCH request compiled for one resource type; [`CompiledPatch::apply`] runs it.
#[derive(Debug)]
pub struct CompiledPatch<'r> {
    pub(crate) registry: &'r Registry,
    pub(crate) rt: &'r ResourceType,
    pub(crate) options: PatchOptions,
    pub(crate) steps: Vec<Step<'r>>,
}

/// One resolved operation.
#[derive(Debug)]
pub(crate) struct Step<'r> {
    /// What to do.
    pub kind: OpKind,
    /// Where.
    pub target: Target<'r>,
    /// The normalised value (see [`CompiledPatch::value`] for its shape per target); `None` for a
    /// `remove` that carries no value.
    pub value: Option<Value>,
    /// The path as shown in errors.
    pub path: String,
}

/// What a step operates on.
#[derive(Debug)]
pub(crate) enum Target<'r> {
    /// The `schemas` attribute.
    Schemas,
    /// A whole extension object (only `remove`: `add`/`replace` are split into its attributes).
    Extension {
        /// The extension URN in canonical case.
        urn: &'r str,
        /// Whether the resource type requires the extension.
        required: bool,
    },
    /// An attribute of the core schema, the common attributes or an extension.
    Attr(AttrTarget<'r>),
}

/// An attribute target: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
#[derive(Debug)]
pub(crate) struct AttrTarget<'r> {
    /// Where the attribute sits in the document.
    pub location: Location<'r>,
    /// The top-level attribute.
    pub attr: &'r Attribute,
    /// The values selected by a filter; `None` selects the attribute as a whole.
    pub select: Option<Box<Select>>,
    /// The sub-attribute targeted.
    pub sub: Option<&'r Attribute>,
}

/// The values `attr[filter]` selects.
#[derive(Debug)]
pub(crate) struct Select {
    /// The filter compiled to test one value.
    pub filter: CompiledValueFilter,
    /// The sub-attributes a value created for an unmatched filter gets (the filter's `eq`
    /// terms); `None` when the filter is not a conjunction of `eq` terms.
    pub template: Option<Map<String, Value>>,
}

impl<'r> CompiledPatch<'r> {
    /// Resolves every operation of `request` for resources of type `rt`: unknown attributes
    /// are `invalidPath`, bad filters `invalidFilter`, values that cannot fit their target
    /// `invalidValue`.
    pub fn new(
        request: &PatchRequest,
        registry: &'r Registry,
        rt: &'r ResourceType,
        options: &PatchOptions,
    ) -> Result<CompiledPatch<'r>> {
        let mut cx = CompiledPatch {
            registry,
            rt,
            options: *options,
            steps: Vec::with_capacity(request.operations.len()),
        };
        for op in &request.operations {
            cx.operation(op)?;
        }
        Ok(cx)
    }

    /// The top-level members of a resource this PATCH may read or write: `schemas`, every
    /// extension URN of the resource type, and the attributes its operations target (canonical
    /// names). Applying it to a document holding only these members changes exactly what
    /// applying it to the whole resource changes, so a host can copy just these in and out.
    pub fn members(&self) -> Vec<&'r str> {
        let mut out: Vec<&'r str> = Vec::with_capacity(self.steps.len() + 2);
        let mut add = |key: &'r str| {
            if !out.contains(&key) {
                out.push(key);
            }
        };
        add("schemas");
        for ext in &self.rt.schema_extensions {
            if let Some(schema) = self.registry.schema(&ext.schema) {
                add(schema.id.as_str());
            }
        }
        for step in &self.steps {
            match &step.target {
                Target::Schemas => {}
                Target::Extension { urn, .. } => add(urn),
                Target::Attr(t) => add(match t.location {
                    Location::Top => t.attr.name.as_str(),
                    Location::Extension(urn) => urn,
                }),
            }
        }
        out
    }

    /// Compiles one operation into one or more steps.
    fn operation(&mut self, op: &PatchOperation) -> Result<()> {
        match &op.path {
            Some(path) => self.path(op.op, path, op.value.as_ref()),
            None => match (op.op, &op.value) {
                (OpKind::Remove, _) => Err(ScimError::NoTarget("remove requires a path".into())),
                (_, None) => Err(ScimError::InvalidSyntax(format!(
                    "{} requires a value",
                    op.op.as_str()
                ))),
                (kind, Some(value)) => {
                    for (path, value) in expand_value(value, &self.options)? {
                        self.path(kind, &path, Some(&value))?;
                    }
                    Ok(())
                }
            },
        }
    }

    /// Compiles an operation on `path`.
    fn path(&mut self, kind: OpKind, path: &PatchPath, value: Option<&Value>) -> Result<()> {
        let (attr_path, filter, sub) = match path {
            PatchPath::Attr(p) => (p, None, p.sub.as_deref()),
            PatchPath::Filtered { path, filter, sub } => (path, Some(filter), sub.as_deref()),
        };
        if let (Some(urn), None, None) = (attr_path.urn.as_deref(), filter, sub) {
            if let Some(ext) = self.registry.extension_urn(self.rt, urn, &attr_path.name) {
                return self.extension(kind, ext, value);
            }
        }
        if attr_path.urn.is_none() && attr_path.name.eq_ignore_ascii_case("schemas") {
            return self.schemas(kind, filter.is_some() || sub.is_some(), value);
        }
        self.attribute(kind, attr_path, filter, sub, value)
    }

    /// Compiles an operation on an attribute: `attr`, `attr.sub`, `attr[filter]`,
    /// `attr[filter].sub`, each optionally URN-qualified.
    fn attribute(
        &mut self,
        kind: OpKind,
        attr_path: &AttrPath,
        filter: Option<&Filter>,
        sub: Option<&str>,
        value: Option<&Value>,
    ) -> Result<()> {
        let (registry, rt) = (self.registry, self.rt);
        let shown = path_text(attr_path.urn.as_deref(), &attr_path.name, sub);
        let resolved = registry
            .resolve(rt, attr_path.urn.as_deref(), &attr_path.name, None)
            .ok_or_else(|| invalid_path(&shown, "no such attribute"))?;
        let attr = resolved.attr;
        let sub = match sub {
            None => None,
            Some(name) => Some(
                attr.sub_attribute(name)
                    .ok_or_else(|| invalid_path(&shown, "no such sub-attribute"))?,
            ),
        };
        let select = match filter {
            None => None,
            Some(filter) => {
                if !attr.multi_valued {
                    return Err(invalid_path(
                        &shown,
                        "a filter needs a multi-valued attribute",
                    ));
                }
                let base = AttrPath {
                    urn: attr_path.urn.clone(),
                    name: attr_path.name.clone(),
                    sub: None,
                };
                Some(Box::new(Select {
                    filter: compile_value_filter(filter, registry, rt, &base)?,
                    template: template(attr, filter),
                }))
            }
        };
        let shown = match filter {
            None => path_text(
                location_urn(resolved.location),
                &attr.name,
                sub.map(|s| s.name.as_str()),
            ),
            Some(filter) => {
                let mut text = path_text(location_urn(resolved.location), &attr.name, None);
                text.push_str(&format!("[{filter}]"));
                if let Some(sub) = sub {
                    text.push('.');
                    text.push_str(&sub.name);
                }
                text
            }
        };
        let target = AttrTarget {
            location: resolved.location,
            attr,
            select,
            sub,
        };
        let value = match value {
            None => None,
            Some(v) => self.value(kind, &target, v, &shown)?,
        };
        self.steps.push(Step {
            kind,
            target: Target::Attr(target),
            value,
            path: shown,
        });
        Ok(())
    }

    /// Normalises `value` for `target`: a whole attribute value (an array for a multi-valued
    /// one), one value of a filtered attribute, or a sub-attribute value. A `remove` keeps a
    /// value only to list the values to remove ([`PatchOptions::remove_listed_values`]).
    fn value(
        &self,
        kind: OpKind,
        target: &AttrTarget<'_>,
        value: &Value,
        path: &str,
    ) -> Result<Option<Value>> {
        let opts = &self.options;
        let listed = target.attr.multi_valued && opts.remove_listed_values;
        match (kind, target.sub, &target.select) {
            (OpKind::Remove, None, None) if listed && !value.is_null() => {
                whole(target.attr, value, opts, path).map(Some)
            }
            (OpKind::Remove, _, _) => Ok(None),
            (_, Some(sub), _) => single(sub, value, opts, path).map(Some),
            (_, None, Some(_)) => match single(target.attr, value, opts, path)? {
                v @ (Value::Object(_) | Value::Null) => Ok(Some(v)),
                _ => Err(ScimError::invalid_value(
                    path,
                    "a filtered value takes an object of sub-attributes",
                )),
            },
            (_, None, None) => whole(target.attr, value, opts, path).map(Some),
        }
    }

    /// Compiles an operation on a whole extension object.
    fn extension(&mut self, kind: OpKind, urn: &'r str, value: Option<&Value>) -> Result<()> {
        let (registry, rt) = (self.registry, self.rt);
        let ext = rt
            .schema_extensions
            .iter()
            .find(|e| e.schema.eq_ignore_ascii_case(urn));
        let schema = registry
            .schema(urn)
            .ok_or_else(|| invalid_path(urn, "unknown schema"))?;
        if kind == OpKind::Remove {
            self.steps.push(Step {
                kind,
                target: Target::Extension {
                    urn: schema.id.as_str(),
                    required: ext.is_some_and(|e| e.required),
                },
                value: None,
                path: schema.id.clone(),
            });
            return Ok(());
        }
        let object = match value {
            Some(Value::Object(object)) => object,
            Some(Value::Null) => {
                return Err(ScimError::invalid_value(
                    &schema.id,
                    "use remove to delete an extension",
                ))
            }
            _ => {
                return Err(ScimError::invalid_value(
                    &schema.id,
                    "an extension takes an object of its attributes",
                ))
            }
        };
        for (key, v) in object {
            let path = AttrPath {
                urn: Some(schema.id.clone()),
                name: key.clone(),
                sub: None,
            };
            self.attribute(kind, &path, None, None, Some(v))?;
        }
        Ok(())
    }

    /// Compiles an operation on `schemas`.
    fn schemas(&mut self, kind: OpKind, narrowed: bool, value: Option<&Value>) -> Result<()> {
        if narrowed {
            return Err(invalid_path(
                "schemas",
                "schemas has no sub-attributes or filters",
            ));
        }
        let value = match (kind, value) {
            (OpKind::Remove, _) => None,
            (_, Some(Value::String(s))) => {
                Some(Value::Array(alloc::vec![Value::String(s.clone())]))
            }
            (_, Some(Value::Array(items))) if items.iter().all(Value::is_string) => {
                Some(Value::Array(items.clone()))
            }
            _ => {
                return Err(ScimError::invalid_value(
                    "schemas",
                    "schemas takes an array of schema URNs",
                ))
            }
        };
        self.steps.push(Step {
            kind,
            target: Target::Schemas,
            value,
            path: "schemas".into(),
        });
        Ok(())
    }
}

/// The URN shown in a path for an attribute at `location`.
pub(crate) fn location_urn(location: Location<'_>) -> Option<&str> {
    match location {
        Location::Top => None,
        Location::Extension(urn) => Some(urn),
    }
}

/// An `invalidPath` error.
fn invalid_path(path: &str, message: &str) -> ScimError {
    ScimError::InvalidPath {
        path: path.into(),
        message: message.into(),
    }
}

/// The value `filter` describes when it is `sub eq literal` terms joined by `and`: what a
/// value created for an unmatched filter holds.
fn template(attr: &Attribute, filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let terms = match filter {
        Filter::And(terms) => terms.as_slice(),
        other => core::slice::from_ref(other),
    };
    for term in terms {
        let Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } = term
        else {
            return None;
        };
        if path.sub.is_some() {
            return None;
        }
        let sub = attr.sub_attribute(&path.name)?;
        let value = match value {
            CompValue::String(s) if sub.ty == AttrType::Boolean => match s.as_str() {
                s if s.eq_ignore_ascii_case("true") => Value::Bool(true),
                s if s.eq_ignore_ascii_case("false") => Value::Bool(false),
                _ => return None,
            },
            CompValue::String(s) => Value::String(s.clone()),
            CompValue::Bool(b) => Value::Bool(*b),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::Null => return None,
        };
        out.insert(sub.name.clone(), value);
    }
    Some(out)
}
