//! Resources: validation against schemas and the `meta` attribute.

pub mod meta;
pub mod validate;
