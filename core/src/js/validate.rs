//! Resource validation for create as a JavaScript function over JS resources.
//!
//! The emitted function mirrors [`validate`](crate::resource::validate::validate) with
//! [`Mode::Create`](crate::resource::validate::Mode::Create) for one resource type and one
//! leniency, specialised to the schemas: a switch on member names per object (canonical case
//! first, then ASCII case-insensitive), `typeof` checks per attribute type, hoisted regexes
//! and helpers. It returns the normalised resource (fresh objects and arrays, keys in the byte
//! order of core's maps) only for a body it can prove valid, and `undefined` for every other
//! body, which the host then sends to core: every invalid body, a second spelling of one
//! attribute, a value JSON would carry differently (`Date`, BigInt, a lone surrogate, a
//! non-plain object; NaN and infinities are decided, as the `null` JSON makes of them), an
//! integer outside what serde_json reads as one, a blank required string, a non-ASCII spelling
//! of a canonical value, core attributes under the core URN as an object, any body while
//! `Object.prototype` has an enumerable property.

mod emit;
mod scope;
mod top;

use alloc::string::String;

use crate::resource::validate::ValidateOptions;
use crate::schema::{Registry, ResourceType};

/// The helpers every emitted validator starts with (`const`s and functions of its closure).
const PRELUDE: &str = include_str!("validate/prelude.js");

/// A validator that leaves every body to core.
const UNDECIDED: &str = "(() => undefined)";

/// A JavaScript expression for `(resource) => object | undefined`: the normalised resource
/// [`validate`](crate::resource::validate::validate) returns for a valid create body, or
/// `undefined` where core must decide (every invalid body among them).
pub fn validator_source(
    registry: &Registry,
    rt: &ResourceType,
    options: &ValidateOptions,
) -> String {
    top::Shape::new(registry, rt)
        .and_then(|shape| top::source(&shape, options.lenient))
        .unwrap_or_else(|| String::from(UNDECIDED))
}

#[cfg(test)]
mod tests;
