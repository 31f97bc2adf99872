//! Resource validation for create as a JavaScript function over JS resources.

use alloc::string::String;

use crate::resource::validate::ValidateOptions;
use crate::schema::{Registry, ResourceType};

/// A JavaScript expression for `(resource) => object | undefined`: the normalised resource
/// [`validate`](crate::resource::validate::validate) returns for a valid create body, or
/// `undefined` where core must decide (every invalid body among them).
pub fn validator_source(registry: &Registry, rt: &ResourceType, options: &ValidateOptions) -> String {
    let _ = (registry, rt, options);
    String::from("(() => undefined)")
}
