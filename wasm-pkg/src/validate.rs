//! `validate`: a resource checked against its resource type, every violation reported.

use scim_core::resource::validate::{validate, Mode, ValidateOptions};
use scim_core::ScimError;
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::error::bad_argument;
use crate::json::{from_js, to_js};
use crate::options;
use crate::registry::SchemaRegistry;

#[wasm_bindgen]
impl SchemaRegistry {
    /// Validates `resource` for create or replace; returns `{ valid, errors, resource? }`.
    pub fn validate(&self, resource: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        let validate_options = ValidateOptions {
            lenient: options::flag(&options, "lenient")?,
        };
        let existing = match options::string(&options, "mode")?.as_deref() {
            None | Some("create") => None,
            Some("replace") => Some(
                options::field(&options, "existing")?
                    .ok_or_else(|| {
                        bad_argument("existing", "replace mode needs the existing resource")
                    })
                    .and_then(|v| from_js(&v, "existing"))?,
            ),
            Some(_) => return Err(bad_argument("mode", "mode must be 'create' or 'replace'")),
        };
        let mode = match &existing {
            None => Mode::Create,
            Some(existing) => Mode::Replace { existing },
        };
        let outcome = match from_js(&resource, "resource") {
            Ok(input) => {
                validate(registry, rt, input, mode, &validate_options).map_err(|v| v.into_errors())
            }
            Err(_) => Err(vec![ScimError::InvalidSyntax(
                "a resource must be a JSON object".into(),
            )]),
        };
        Ok(to_js(&report(outcome)))
    }
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// Validation for create as JavaScript source (see `scim_core::js`): an expression for
    /// `(resource) => object | undefined`, the normalised resource of a valid body, `undefined`
    /// where core must decide.
    #[wasm_bindgen(js_name = validatorSource)]
    pub fn validator_source(&self, options: JsValue) -> Result<String, JsValue> {
        let registry = self.registry();
        let rt = options::resource_type(registry, &options)?;
        let validate_options = ValidateOptions {
            lenient: options::flag(&options, "lenient")?,
        };
        Ok(scim_core::js::validate::validator_source(
            registry,
            rt,
            &validate_options,
        ))
    }
}

/// The result object: `{ valid, errors, resource? }`, serialised straight from the
/// normalised resource (no intermediate copy).
#[derive(Serialize)]
struct Report {
    valid: bool,
    errors: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<Map<String, Value>>,
}

/// The result object: the normalised resource, or the list of violations.
fn report(outcome: Result<Map<String, Value>, Vec<ScimError>>) -> Report {
    match outcome {
        Ok(resource) => Report {
            valid: true,
            errors: Vec::new(),
            resource: Some(resource),
        },
        Err(errors) => Report {
            valid: false,
            errors: errors.iter().map(error_entry).collect(),
            resource: None,
        },
    }
}

/// One violation as `{ path?, scimType?, detail, status }`.
fn error_entry(err: &ScimError) -> Value {
    let mut entry = Map::new();
    if let Some(path) = err.path() {
        entry.insert("path".into(), path.into());
    }
    if let Some(t) = err.scim_type() {
        entry.insert("scimType".into(), t.as_str().into());
    }
    entry.insert("detail".into(), err.to_string().into());
    entry.insert("status".into(), err.status().into());
    Value::Object(entry)
}
