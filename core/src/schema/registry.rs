//! The registry of schemas and resource types, with case-insensitive attribute resolution.

use alloc::vec::Vec;

use super::model::{Attribute, ResourceType, Schema};

/// Where a resolved attribute's values sit in a resource document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location<'r> {
    /// At the top level of the resource (core schema and common attributes).
    Top,
    /// Inside the object keyed by this extension schema URN.
    Extension(&'r str),
}

/// An attribute path resolved against a resource type.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'r> {
    /// Where the top-level attribute lives in the document.
    pub location: Location<'r>,
    /// The top-level attribute.
    pub attr: &'r Attribute,
    /// The sub-attribute, when the path names one.
    pub sub: Option<&'r Attribute>,
}

/// The schemas and resource types a service knows.
#[derive(Debug, Clone)]
pub struct Registry {
    pub(crate) schemas: Vec<Schema>,
    pub(crate) resource_types: Vec<ResourceType>,
    pub(crate) common: Schema,
}

impl Registry {
    /// All registered schemas, built-in first.
    pub fn schemas(&self) -> &[Schema] {
        &self.schemas
    }

    /// All registered resource types.
    pub fn resource_types(&self) -> &[ResourceType] {
        &self.resource_types
    }

    /// The common attributes every resource has (`id`, `externalId`, `meta`; RFC 7643 §3.1).
    pub fn common(&self) -> &Schema {
        &self.common
    }

    /// The schema with this URN, compared case-insensitively.
    pub fn schema(&self, urn: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The resource type with this id or name, compared case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(name) || r.name.eq_ignore_ascii_case(name))
    }

    /// The resource type served at `endpoint` (e.g. `/Users` or `Users`).
    pub fn resource_type_by_endpoint(&self, endpoint: &str) -> Option<&ResourceType> {
        let wanted = endpoint.trim_start_matches('/');
        self.resource_types.iter().find(|r| {
            r.endpoint
                .trim_start_matches('/')
                .eq_ignore_ascii_case(wanted)
        })
    }

    /// Resolves `urn:name.sub` for `rt`; `None` when no such attribute exists.
    ///
    /// Without a URN, the core schema and then the common attributes are searched. A URN
    /// selects the core schema or one of the resource type's extensions.
    pub fn resolve<'r>(
        &'r self,
        rt: &'r ResourceType,
        urn: Option<&str>,
        name: &str,
        sub: Option<&str>,
    ) -> Option<Resolved<'r>> {
        let (location, attr) = match urn {
            None => {
                let core = self.schema(&rt.schema)?;
                (
                    Location::Top,
                    core.attribute(name)
                        .or_else(|| self.common.attribute(name))?,
                )
            }
            Some(urn) if urn.eq_ignore_ascii_case(&rt.schema) => {
                let core = self.schema(&rt.schema)?;
                (
                    Location::Top,
                    core.attribute(name)
                        .or_else(|| self.common.attribute(name))?,
                )
            }
            Some(urn) => {
                let ext = rt
                    .schema_extensions
                    .iter()
                    .find(|e| e.schema.eq_ignore_ascii_case(urn))?;
                let schema = self.schema(&ext.schema)?;
                (
                    Location::Extension(schema.id.as_str()),
                    schema.attribute(name)?,
                )
            }
        };
        let sub = match sub {
            None => None,
            Some(s) => Some(attr.sub_attribute(s)?),
        };
        Some(Resolved {
            location,
            attr,
            sub,
        })
    }

    /// The extension schema of `rt` whose URN is exactly `urn:name` (e.g. a bare extension URN
    /// a parser split at its last colon), if any.
    pub fn extension_urn<'r>(
        &'r self,
        rt: &'r ResourceType,
        urn: &str,
        name: &str,
    ) -> Option<&'r str> {
        rt.schema_extensions
            .iter()
            .map(|e| e.schema.as_str())
            .find(|id| {
                id.len() == urn.len() + 1 + name.len()
                    && id
                        .get(..urn.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(urn))
                    && id
                        .get(urn.len() + 1..)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && id.as_bytes()[urn.len()] == b':'
            })
    }
}
