//! `applyPatch`: a PatchOp applied to a copy of a resource, with core's client quirks.

use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use scim_core::patch::{CompiledPatch, PatchOptions, PatchRequest};
use scim_core::schema::Registry;
use scim_core::ScimError;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, throw};
use crate::json::{from_js, to_js};
use crate::options;
use crate::registry::SchemaRegistry;

#[wasm_bindgen]
impl SchemaRegistry {
    /// Applies the PatchOp `patch` to `resource`; returns the new resource (input untouched).
    /// Only the members the PATCH reads or writes cross into wasm, and only those it changed
    /// come back; the others are the input's own values, shared by the new resource.
    #[wasm_bindgen(js_name = applyPatch)]
    pub fn apply_patch(
        &self,
        resource: JsValue,
        patch: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        let quirks = quirks(&options)?;
        if !resource.is_object() || Array::is_array(&resource) {
            return Err(throw(ScimError::invalid_value(
                "",
                "a resource must be a JSON object",
            )));
        }
        let request = PatchRequest::parse(&from_js(&patch, "patch")?, &quirks).map_err(throw)?;
        let compiled = CompiledPatch::new(&request, registry, rt, &quirks).map_err(throw)?;
        let members = compiled.members();
        let keys: Vec<JsValue> = members.iter().map(|m| JsValue::from_str(m)).collect();
        let mut part = Map::new();
        for (name, key) in members.iter().zip(&keys) {
            let value = Reflect::get(&resource, key)?;
            if !value.is_undefined() {
                part.insert((*name).into(), from_js(&value, name)?);
            }
        }
        let before = part.clone();
        let mut part = Value::Object(part);
        compiled.apply_in_place(&mut part).map_err(throw)?;
        let out = Object::assign(&Object::new(), resource.unchecked_ref::<Object>());
        for (name, key) in members.iter().zip(&keys) {
            let value = part.get(*name);
            if value == before.get(*name) {
                continue;
            }
            match value {
                Some(value) => {
                    Reflect::set(&out, key, &to_js(value))?;
                }
                None => {
                    Reflect::delete_property(&out, key)?;
                }
            }
        }
        Ok(out.into())
    }
}

/// A PatchOp parsed and checked for one resource type, with the top-level members it reads
/// or writes: the JS side copies just those out of a resource into one JSON text for
/// [`PatchPlan::apply`], and merges back what changed.
#[wasm_bindgen]
pub struct PatchPlan {
    registry: Rc<Registry>,
    resource_type: String,
    request: PatchRequest,
    quirks: PatchOptions,
    members: Vec<String>,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// Parses and compiles the PatchOp `patch` for the options' resource type and quirks.
    #[wasm_bindgen(js_name = compilePatch)]
    pub fn compile_patch(&self, patch: JsValue, options: JsValue) -> Result<PatchPlan, JsValue> {
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        let quirks = quirks(&options)?;
        let request = PatchRequest::parse(&from_js(&patch, "patch")?, &quirks).map_err(throw)?;
        let compiled = CompiledPatch::new(&request, registry, rt, &quirks).map_err(throw)?;
        let members = compiled.members().into_iter().map(String::from).collect();
        Ok(PatchPlan {
            registry: self.shared(),
            resource_type: rt.name.clone(),
            request,
            quirks,
            members,
        })
    }
}

#[wasm_bindgen]
impl PatchPlan {
    /// The top-level members of a resource the PATCH reads or writes.
    #[wasm_bindgen(getter)]
    pub fn members(&self) -> Vec<String> {
        self.members.clone()
    }

    /// The PATCH as JavaScript source (see `scim_core::js`): an expression for
    /// `(resource) => object | undefined`, `undefined` where core must decide. Written when
    /// asked for (most PatchOps are applied once and never need it).
    #[wasm_bindgen(getter, js_name = jsSource)]
    pub fn js_source(&self) -> String {
        self.emit(scim_core::js::patch::patch_source, "(() => undefined)")
    }

    /// [`Self::js_source`] without its runtime: an expression for
    /// `(runtime) => (resource) => object | undefined`, given the value of
    /// `patchRuntimeSource()` (instantiated once for every plan).
    #[wasm_bindgen(getter, js_name = jsBody)]
    pub fn js_body(&self) -> String {
        self.emit(
            scim_core::js::patch::patch_body_source,
            "(() => () => undefined)",
        )
    }

    /// Applies the PATCH to `json`, the JSON object of a resource's planned members; returns
    /// the JSON text `[changed, removed]`: the members whose values changed, and the names of
    /// those it removed. Throws the PATCH's `ScimError`, changing nothing.
    pub fn apply(&self, json: &str) -> Result<String, JsValue> {
        let mut part: Value = serde_json::from_str(json)
            .map_err(|_| throw(ScimError::InvalidSyntax("resource is not JSON".into())))?;
        let rt = self
            .registry
            .resource_type(&self.resource_type)
            .ok_or_else(|| bad_argument("resourceType", "unknown resource type"))?;
        let before = part.clone();
        CompiledPatch::new(&self.request, &self.registry, rt, &self.quirks)
            .and_then(|compiled| compiled.apply_in_place(&mut part))
            .map_err(throw)?;
        let mut changed = Map::new();
        let mut removed = Vec::new();
        for name in &self.members {
            match part.get(name) {
                now if now == before.get(name) => {}
                Some(value) => {
                    changed.insert(name.clone(), value.clone());
                }
                None => removed.push(name.as_str()),
            }
        }
        serde_json::to_string(&(changed, removed))
            .map_err(|_| throw(ScimError::InvalidSyntax("resource is not JSON".into())))
    }
}

impl PatchPlan {
    /// `emit` applied to the compiled PATCH, or `undecided` when it no longer compiles.
    fn emit(&self, emit: fn(&CompiledPatch<'_>) -> String, undecided: &str) -> String {
        self.registry
            .resource_type(&self.resource_type)
            .and_then(|rt| CompiledPatch::new(&self.request, &self.registry, rt, &self.quirks).ok())
            .map_or_else(|| String::from(undecided), |compiled| emit(&compiled))
    }
}

/// The runtime every PATCH body (`PatchPlan.jsBody`) is given, as JavaScript source.
#[wasm_bindgen(js_name = patchRuntimeSource)]
pub fn patch_runtime_source() -> String {
    scim_core::js::patch::runtime_source()
}

/// The `quirks` option: `'default'`, `'strict'`, `'lenient'`, or an object of flags over the
/// defaults.
fn quirks(options: &JsValue) -> Result<PatchOptions, JsValue> {
    let Some(quirks) = options::field(options, "quirks")? else {
        return Ok(PatchOptions::default());
    };
    if let Some(preset) = quirks.as_string() {
        return match preset.as_str() {
            "default" => Ok(PatchOptions::default()),
            "strict" => Ok(PatchOptions::STRICT),
            "lenient" => Ok(PatchOptions::LENIENT),
            _ => Err(bad_argument(
                "quirks",
                "quirks must be 'default', 'strict', 'lenient' or an object of flags",
            )),
        };
    }
    let mut o = PatchOptions::default();
    let flags: [(&str, &mut bool); 8] = [
        ("opAnyCase", &mut o.op_any_case),
        ("stringBooleans", &mut o.string_booleans),
        ("pathKeys", &mut o.path_keys),
        ("scalarAsValue", &mut o.scalar_as_value),
        ("removeListedValues", &mut o.remove_listed_values),
        ("createMissingValue", &mut o.create_missing_value),
        ("removeUnmatchedOk", &mut o.remove_unmatched_ok),
        ("lenientPaths", &mut o.lenient_paths),
    ];
    for (name, flag) in flags {
        if let Some(v) = options::field(&quirks, name)? {
            *flag = v
                .as_bool()
                .ok_or_else(|| bad_argument("quirks", &format!("{name} must be a boolean")))?;
        }
    }
    Ok(o)
}
