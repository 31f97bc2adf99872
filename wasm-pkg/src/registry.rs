//! `SchemaRegistry`: the schemas and resource types the other exports work with.

use std::rc::Rc;

use scim_core::schema::Registry;
use wasm_bindgen::prelude::*;

use crate::json::to_js;

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
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// The built-in registry: User (with the enterprise extension) and Group.
    #[wasm_bindgen(constructor)]
    pub fn new() -> SchemaRegistry {
        SchemaRegistry {
            inner: BUILTIN.with(Rc::clone),
        }
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
    fn default() -> Self {
        SchemaRegistry::new()
    }
}
