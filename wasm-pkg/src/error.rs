//! Errors thrown to JavaScript: core's `ScimError` becomes an instance of the package's JS
//! `ScimError` class (`scim-error.js`), so callers can use `instanceof`.

use scim_core::ScimError;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "./scim-error.js")]
extern "C" {
    /// The JavaScript `ScimError` class.
    #[wasm_bindgen(js_name = ScimError)]
    type JsScimError;

    #[wasm_bindgen(constructor, js_class = "ScimError")]
    fn new(
        status: u16,
        scim_type: Option<&str>,
        detail: &str,
        path: Option<&str>,
        position: Option<u32>,
    ) -> JsScimError;
}

/// The JS `ScimError` for `err`; `position` is a UTF-16 offset into the text that failed.
pub fn to_js_error(err: &ScimError, position: Option<u32>) -> JsValue {
    let detail = err.to_string();
    JsScimError::new(
        err.status(),
        err.scim_type().map(|t| t.as_str()),
        &detail,
        err.path(),
        position,
    )
    .into()
}

/// The JS `ScimError` for a core error that carries no text position.
pub fn throw(err: ScimError) -> JsValue {
    to_js_error(&err, None)
}

/// A 400 `invalidValue` error about an argument or option the caller passed.
pub fn bad_argument(path: &str, message: &str) -> JsValue {
    throw(ScimError::invalid_value(path, message))
}
