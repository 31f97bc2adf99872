//! `SchemaRegistry`: the schemas and resource types the other exports work with.

use std::rc::Rc;

use js_sys::{Array, JSON};
use scim_core::schema::{Registry, SchemaExtension};
use scim_core::ScimError;
use wasm_bindgen::prelude::*;

use crate::error::{bad_argument, throw};
use crate::json::to_js;
use crate::options;

thread_local! {
    static BUILTIN: Rc<Registry> = Rc::new(Registry::builtin());
}

/// Schemas and resource types: the RFC 7643 built-ins, plus custom ones when loaded.
#[wasm_bindgen]
pub struct SchemaRegistry {
    inner: Rc<Registry>,
}

impl SchemaRegistry {
    /// The core registry.
    pub fn registry(&self) -> &Registry {
        &self.inner
    }

    /// The core registry, shared.
    pub fn shared(&self) -> Rc<Registry> {
        Rc::clone(&self.inner)
    }
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// The built-in registry, plus the custom `schemas`, `resourceTypes` and `extensions` of
    /// `definitions` (all checked; all or nothing). `builtin: false` starts empty.
    #[wasm_bindgen(constructor)]
    pub fn new(definitions: JsValue) -> Result<SchemaRegistry, JsValue> {
        let schemas = options::field(&definitions, "schemas")?;
        let resource_types = options::field(&definitions, "resourceTypes")?;
        let extensions = options::field(&definitions, "extensions")?;
        let builtin = options::field(&definitions, "builtin")?
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| bad_argument("builtin", "must be a boolean"))
            })
            .transpose()?
            .unwrap_or(true);
        if builtin && schemas.is_none() && resource_types.is_none() && extensions.is_none() {
            return Ok(SchemaRegistry::default());
        }
        let mut registry = if builtin {
            Registry::builtin()
        } else {
            Registry::new()
        };
        if let Some(schemas) = schemas {
            registry
                .load_schemas_json(&json_text(&schemas, "schemas")?)
                .map_err(throw)?;
        }
        if let Some(types) = resource_types {
            registry
                .load_resource_types_json(&json_text(&types, "resourceTypes")?)
                .map_err(throw)?;
        }
        if let Some(extensions) = extensions {
            if !Array::is_array(&extensions) {
                return Err(bad_argument("extensions", "must be an array"));
            }
            for ext in extensions.unchecked_ref::<Array>().iter() {
                let resource_type = options::string(&ext, "resourceType")?
                    .ok_or_else(|| bad_argument("extensions", "each needs a resourceType"))?;
                let schema = options::string(&ext, "schema")?
                    .ok_or_else(|| bad_argument("extensions", "each needs a schema"))?;
                let required = options::flag(&ext, "required")?;
                registry
                    .add_extension(&resource_type, SchemaExtension { schema, required })
                    .map_err(throw)?;
            }
        }
        Ok(SchemaRegistry {
            inner: Rc::new(registry),
        })
    }

    /// Every schema, in the `/Schemas` JSON form.
    #[wasm_bindgen(getter)]
    pub fn schemas(&self) -> JsValue {
        to_js(&self.inner.schemas())
    }

    /// Every resource type, in the `/ResourceTypes` JSON form.
    #[wasm_bindgen(getter, js_name = resourceTypes)]
    pub fn resource_types(&self) -> JsValue {
        to_js(&self.inner.resource_types())
    }

    /// The schema with this URN (case-insensitive), or `undefined`.
    pub fn schema(&self, id: &str) -> JsValue {
        self.inner.schema(id).map_or(JsValue::UNDEFINED, to_js)
    }

    /// The resource type with this id or name (case-insensitive), or `undefined`.
    #[wasm_bindgen(js_name = resourceType)]
    pub fn resource_type(&self, name: &str) -> JsValue {
        self.inner
            .resource_type(name)
            .map_or(JsValue::UNDEFINED, to_js)
    }
}

impl Default for SchemaRegistry {
    /// The built-in registry, shared by every instance made this way.
    fn default() -> Self {
        SchemaRegistry {
            inner: BUILTIN.with(Rc::clone),
        }
    }
}

/// `value` as JSON text, for core's loaders.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| throw(ScimError::InvalidSyntax(format!("{what} is not JSON"))))
}
