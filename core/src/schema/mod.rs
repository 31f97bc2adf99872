//! RFC 7643 schemas: the attribute model, built-in schemas and the registry.

pub mod builtin;
pub mod custom;
pub mod model;
pub mod registry;
pub mod representation;
pub mod uniqueness;

pub use builtin::{
    ENTERPRISE_USER_URN, GROUP_URN, RESOURCE_TYPE_URN, SCHEMA_URN, SERVICE_PROVIDER_CONFIG_URN,
    USER_URN,
};
pub use model::{
    AttrType, Attribute, Mutability, ResourceType, Returned, Schema, SchemaExtension, Uniqueness,
};
pub use registry::{Location, Registry, Resolved};
