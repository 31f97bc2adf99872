//! RFC 7643 schemas: the attribute model, built-in schemas and the registry.

pub mod model;
pub mod registry;

pub use model::{
    AttrType, Attribute, Mutability, ResourceType, Returned, Schema, SchemaExtension, Uniqueness,
};
pub use registry::{Location, Registry, Resolved};
