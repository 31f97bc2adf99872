//! SCIM 2.0 engine (RFC 7643 schemas, RFC 7644 protocol), `no_std` with `alloc`.
//!
//! Every host (the Cloudflare Worker, the npm package, the browser page) runs this crate;
//! hosts only translate requests and provide storage, time and ids.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod error;
#[cfg(feature = "js")]
pub mod js;
pub mod patch;
pub mod query;
pub mod resource;
pub mod schema;
pub mod service;
#[cfg(test)]
mod test_support;

pub use error::{Result, ScimError, ScimType};
