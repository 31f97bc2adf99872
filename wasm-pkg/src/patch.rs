//! `applyPatch`: a PatchOp applied to a copy of a resource, with core's client quirks.

use scim_core::patch::{apply, PatchOptions, PatchRequest};
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, throw};
use crate::json::{from_js, to_js};
use crate::options;
use crate::registry::SchemaRegistry;

#[wasm_bindgen]
impl SchemaRegistry {
    /// Applies the PatchOp `patch` to `resource`; returns the new resource (input untouched).
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
        let resource = from_js(&resource, "resource")?;
        let request = PatchRequest::parse(&from_js(&patch, "patch")?, &quirks).map_err(throw)?;
        let outcome = apply(&resource, &request, registry, rt, &quirks).map_err(throw)?;
        Ok(to_js(&outcome.resource))
    }
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
