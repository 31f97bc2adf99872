//! Compiled PATCH requests as JavaScript functions over JS resources.
//!
//! The emitted function runs on a small runtime (`patch/runtime.js`) that runs the steps of
//! [`exec`](crate::patch::exec) on plain JS values, copy-on-write: [`patch_source`] carries it,
//! or a host instantiates [`runtime_source`] once and gives it to each [`patch_body_source`]
//! (so the runtime is compiled and optimised once for every plan). Attribute descriptors (name,
//! type, mutability, case rules, sub-attributes) and the normalised step values are written in
//! as constants and literals, so nothing is looked up or parsed per call, and each step value
//! is a literal evaluated afresh per call (no two results share an object). The members the
//! PATCH reads are first checked to be plain JSON (what crosses into wasm unchanged); any
//! value that is not, any case core answers with an error, and any string the runtime cannot
//! case-fold for sure make the function return `undefined`, and the package asks wasm.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use serde_json::Value;

use super::filter::value_filter_source;
use super::literal;
use crate::patch::compile::{AttrTarget, Select, Step, Target};
use crate::patch::{CompiledPatch, OpKind};
use crate::schema::{AttrType, Attribute, Location, Mutability};

/// The runtime every emitted PATCH function runs on.
const RUNTIME: &str = include_str!("patch/runtime.js");

/// A function that leaves every decision to core.
const UNDECIDED: &str = "(() => undefined)";

/// A body (see [`patch_body_source`]) whose function leaves every decision to core.
const UNDECIDED_BODY: &str = "(() => () => undefined)";

/// The runtime functions emitted bodies call.
const RUNTIME_EXPORTS: &str = "fail, part, finish, tidy, ext, settle, writeWhole, removeWhole, \
     writeSubEverywhere, removeSubEverywhere, writeSelected, removeSelected, removeExt, writeSchemas";

/// Properties of `Object.prototype`: a name the runtime reads on plain objects must not be one.
const PROTOTYPE_NAMES: [&str; 12] = [
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// A JavaScript expression for `(resource) => object | undefined`: a new resource with the
/// PATCH applied (the input untouched), or `undefined` where core must decide (every PATCH
/// that fails among them).
pub fn patch_source(patch: &CompiledPatch<'_>) -> String {
    match Emitter::default().emit(patch) {
        Some(body) => format!("({body})({})", runtime_source()),
        None => String::from(UNDECIDED),
    }
}

/// A JavaScript expression for the PATCH runtime: an object of the functions every body
/// calls. A host running many PATCH functions instantiates it once and passes it to each body,
/// so the runtime is compiled (and optimised) once.
pub fn runtime_source() -> String {
    format!(
        "(() => {{\n{}{RUNTIME}return {{{RUNTIME_EXPORTS}}};\n}})()",
        super::FOLD
    )
}

/// A JavaScript expression for `(runtime) => (resource) => object | undefined`: the function of
/// [`patch_source`] without its runtime, given the value of [`runtime_source`].
pub fn patch_body_source(patch: &CompiledPatch<'_>) -> String {
    Emitter::default()
        .emit(patch)
        .unwrap_or_else(|| String::from(UNDECIDED_BODY))
}

/// The source being written: hoisted constants, then one function per step.
#[derive(Default)]
struct Emitter<'r> {
    /// Constant declarations (descriptors, value filters, created values).
    consts: String,
    /// Step functions `s0`, `s1`, …
    steps: String,
    /// The attributes described so far; `A{i}` describes `described[i]`.
    described: Vec<&'r Attribute>,
    /// Count of other constants (`F{i}`, `M{i}`).
    other: usize,
}

impl<'r> Emitter<'r> {
    /// The body expression, or `None` when some step has no JavaScript form.
    fn emit(mut self, patch: &CompiledPatch<'r>) -> Option<String> {
        let mut calls = String::new();
        for (i, step) in patch.steps.iter().enumerate() {
            let body = self.step(patch, step)?;
            writeln!(self.steps, "function s{i}(w) {{ {body} }}").ok()?;
            write!(calls, "s{i}(w); ").ok()?;
        }
        let members = patch.members();
        if members.iter().any(|m| !safe_name(m)) {
            return None;
        }
        let members: Vec<Value> = members.into_iter().map(Value::from).collect();
        let mut exts = String::new();
        for ext in &patch.rt.schema_extensions {
            let Some(schema) = patch.registry.schema(&ext.schema) else {
                continue;
            };
            let urn = schema.id.as_str();
            let touched = patch.steps.iter().any(|s| match &s.target {
                Target::Schemas => false,
                Target::Extension { urn: u, .. } => *u == urn,
                Target::Attr(t) => t.location == Location::Extension(urn),
            });
            let mut required = Vec::new();
            for attr in &schema.attributes {
                if attr.required && attr.mutability != Mutability::ReadOnly {
                    if !safe_name(&attr.name) {
                        return None;
                    }
                    required.push(Value::from(attr.name.as_str()));
                }
            }
            write!(
                exts,
                "{{urn: {}, touched: {touched}, rs: {}}}, ",
                literal::string(urn),
                literal::value(&Value::Array(required))
            )
            .ok()?;
        }
        Some(format!(
            "((R) => {{\nconst {{{RUNTIME_EXPORTS}}} = R;\n{consts}{steps}const MEMBERS = {members};\nconst EXTS = [{exts}];\n\
             return function patch(resource) {{\n\
             if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return undefined;\n\
             const p = Object.getPrototypeOf(resource);\n\
             if (p !== Object.prototype && p !== null) return undefined;\n\
             try {{\n\
             const w = part(resource, MEMBERS);\n\
             if (w === null) return undefined;\n\
             {calls}\n\
             tidy(w, resource, EXTS, {core});\n\
             return finish(resource, w, MEMBERS);\n\
             }} catch {{\n\
             return undefined;\n\
             }}\n\
             }};\n}})",
            consts = self.consts,
            steps = self.steps,
            members = literal::value(&Value::Array(members)),
            core = literal::string(&patch.rt.schema),
        ))
    }

    /// The body of one step function over the working document `w`.
    fn step(&mut self, patch: &CompiledPatch<'r>, step: &Step<'r>) -> Option<String> {
        let t = match &step.target {
            Target::Schemas => return Some(schemas(patch, step)),
            Target::Extension { urn, required } => {
                return Some(format!(
                    "removeExt(w, {}, {required});",
                    literal::string(urn)
                ))
            }
            Target::Attr(t) => t,
        };
        let a = self.attribute(t.attr, true)?;
        let s = match t.sub {
            Some(sub) => self.attribute(sub, false)?,
            None => String::from("null"),
        };
        let container = match t.location {
            Location::Top => String::from("w"),
            Location::Extension(urn) => format!("ext(w, {})", literal::string(urn)),
        };
        let value = match &step.value {
            Some(v) => Some(value_literal(v)?),
            None => None,
        };
        let call = match (&t.select, step.kind, value) {
            (Some(select), OpKind::Remove, _) => format!(
                "removeSelected(c, {a}, {s}, {}, {})",
                self.filter(select)?,
                patch.options.remove_unmatched_ok
            ),
            (Some(select), kind, Some(value)) => {
                let filter = self.filter(select)?;
                let make = self.created(patch, t, select, step)?;
                format!(
                    "writeSelected(c, {a}, {s}, {}, {value}, {filter}, {make})",
                    kind == OpKind::Replace
                )
            }
            (None, OpKind::Remove, _) if t.sub.is_some() => {
                format!("removeSubEverywhere(c, {a}, {s})")
            }
            (None, OpKind::Remove, listed) => match (&step.value, listed) {
                (Some(Value::Array(_)), Some(listed)) => format!("removeWhole(c, {a}, {listed})"),
                (None, _) => format!("removeWhole(c, {a}, null)"),
                _ => return None,
            },
            (None, _, Some(value)) if t.sub.is_some() => {
                format!("writeSubEverywhere(c, {a}, {s}, {value})")
            }
            (None, kind, Some(value)) => {
                format!("writeWhole(c, {a}, {}, {value})", kind == OpKind::Add)
            }
            (_, _, None) => return None,
        };
        Some(format!("const c = {container}; {call}; settle(c, {a});"))
    }

    /// The constant describing `attr` (and, for a top-level attribute, its sub-attributes).
    fn attribute(&mut self, attr: &'r Attribute, with_subs: bool) -> Option<String> {
        if let Some(i) = self.described.iter().position(|d| core::ptr::eq(*d, attr)) {
            return Some(format!("A{i}"));
        }
        if !safe_name(&attr.name) {
            return None;
        }
        let mut subs = String::from("{__proto__: null");
        let mut required = String::new();
        let mut fixed = String::new();
        let (mut value_sub, mut type_sub) = (String::from("null"), String::from("null"));
        if with_subs {
            for sub in &attr.sub_attributes {
                let d = self.attribute(sub, false)?;
                write!(subs, ", {}: {d}", literal::string(&sub.name)).ok()?;
                if sub.required && sub.mutability != Mutability::ReadOnly {
                    write!(required, "{}, ", literal::string(&sub.name)).ok()?;
                }
                if matches!(sub.mutability, Mutability::ReadOnly | Mutability::Immutable) {
                    write!(fixed, "{d}, ").ok()?;
                }
            }
            if let Some(sub) = attr.sub_attribute("value") {
                value_sub = self.attribute(sub, false)?;
            }
            if let Some(sub) = attr.sub_attribute("type") {
                type_sub = self.attribute(sub, false)?;
            }
        }
        subs.push('}');
        let i = self.described.len();
        self.described.push(attr);
        writeln!(
            self.consts,
            "const A{i} = {{n: {}, multi: {}, cx: {}, req: {}, ro: {}, im: {}, ce: {}, subs: {subs}, \
             rs: [{required}], fx: [{fixed}], vs: {value_sub}, ts: {type_sub}}};",
            literal::string(&attr.name),
            attr.multi_valued,
            attr.ty == AttrType::Complex,
            attr.required,
            attr.mutability == Mutability::ReadOnly,
            attr.mutability == Mutability::Immutable,
            attr.case_exact,
        )
        .ok()?;
        Some(format!("A{i}"))
    }

    /// The constant holding the value filter of `select`.
    fn filter(&mut self, select: &Select) -> Option<String> {
        let name = format!("F{}", self.other);
        self.other += 1;
        writeln!(
            self.consts,
            "const {name} = ({});",
            value_filter_source(&select.filter)
        )
        .ok()?;
        Some(name)
    }

    /// The function giving the value `attr[filter]` creates when it matches nothing: a fresh
    /// literal, `null` (nothing to write), or `fail` (core answers an error).
    fn created(
        &mut self,
        patch: &CompiledPatch<'r>,
        t: &AttrTarget<'r>,
        select: &Select,
        step: &Step<'r>,
    ) -> Option<String> {
        let value = step.value.as_ref()?;
        let body = match patch.created_item(t, select, value, &step.path) {
            Err(_) => return Some(String::from("fail")),
            Ok(None) => String::from("null"),
            Ok(Some(created)) => value_literal(&created)?,
        };
        let name = format!("M{}", self.other);
        self.other += 1;
        writeln!(self.consts, "const {name} = () => ({body});").ok()?;
        Some(name)
    }
}

/// The body of a step on `schemas` (`CompiledPatch::write_schemas`): the URNs it names are
/// known here, so only the merge into the stored list is left to run.
fn schemas(patch: &CompiledPatch<'_>, step: &Step<'_>) -> String {
    let Some(Value::Array(urns)) = &step.value else {
        return String::from("fail();");
    };
    let mut known = Vec::with_capacity(urns.len());
    for urn in urns.iter().filter_map(Value::as_str) {
        match patch.known_urn(urn) {
            Some(urn) => known.push(Value::from(urn)),
            None => return String::from("fail();"),
        }
    }
    let names_core = known.iter().any(|u| {
        u.as_str()
            .is_some_and(|u| u.eq_ignore_ascii_case(&patch.rt.schema))
    });
    format!(
        "writeSchemas(w, {}, {}, {names_core});",
        step.kind == OpKind::Replace,
        literal::value(&Value::Array(known))
    )
}

/// Whether the runtime may read `name` as a property of a plain object.
fn safe_name(name: &str) -> bool {
    !PROTOTYPE_NAMES.contains(&name)
}

/// `v` as a JavaScript literal, unless it holds a `__proto__` key (an object literal would set
/// the prototype where JSON makes a property).
fn value_literal(v: &Value) -> Option<String> {
    let mut stack = alloc::vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(object) => {
                if object.contains_key("__proto__") {
                    return None;
                }
                stack.extend(object.values());
            }
            _ => {}
        }
    }
    Some(literal::value(v))
}

#[cfg(test)]
mod tests;
