//! Reading the optional fields of a JS options object (`undefined` options mean defaults).

use js_sys::Reflect;
use scim_core::schema::{Registry, ResourceType};
use wasm_bindgen::prelude::*;

use crate::error::bad_argument;

/// The field `name` of `options`, or `None` when the options or the field are undefined/null.
pub fn field(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    if !options.is_object() {
        return Err(bad_argument("options", "options must be an object"));
    }
    let value = Reflect::get(options, &JsValue::from_str(name))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// A string option.
pub fn string(options: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    field(options, name)?
        .map(|v| {
            v.as_string()
                .ok_or_else(|| bad_argument(name, "must be a string"))
        })
        .transpose()
}

/// A boolean option, `false` when absent.
pub fn flag(options: &JsValue, name: &str) -> Result<bool, JsValue> {
    field(options, name)?
        .map(|v| {
            v.as_bool()
                .ok_or_else(|| bad_argument(name, "must be a boolean"))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The resource type named by the `resourceType` option (default `User`).
pub fn resource_type<'r>(
    registry: &'r Registry,
    options: &JsValue,
) -> Result<&'r ResourceType, JsValue> {
    let name = string(options, "resourceType")?;
    let name = name.as_deref().unwrap_or("User");
    registry
        .resource_type(name)
        .ok_or_else(|| bad_argument("resourceType", &format!("unknown resource type '{name}'")))
}
