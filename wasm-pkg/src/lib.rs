//! npm package host of the SCIM engine: translates between JavaScript values and `scim-core`.
//!
//! No SCIM rule lives here; every export converts its arguments, calls core and converts back.
#![warn(missing_docs)]

mod collection;
mod error;
mod filter;
mod json;
mod options;
mod patch;
mod registry;
mod service;
mod store;
mod validate;

pub use collection::Collection;
pub use filter::Filter;
pub use registry::SchemaRegistry;
pub use service::ServiceHandle;

use wasm_bindgen::prelude::*;

/// The package version (the crate version, shared with the npm package).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
