//! JSON values across the boundary: one `JSON.stringify`/`JSON.parse` per value, which is
//! faster and smaller than walking JS objects property by property.

use js_sys::JSON;
use scim_core::ScimError;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::throw;

/// Converts a JS value to JSON; `what` names the argument in the error thrown for values JSON
/// cannot carry (`undefined`, functions, BigInt, cycles).
pub fn from_js(value: &JsValue, what: &str) -> Result<Value, JsValue> {
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| throw(ScimError::InvalidSyntax(format!("{what} is not JSON"))))?;
    serde_json::from_str(&text)
        .map_err(|_| throw(ScimError::InvalidSyntax(format!("{what} is not JSON"))))
}

/// Converts `value` to a fresh JS value.
pub fn to_js(value: &impl serde::Serialize) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}
