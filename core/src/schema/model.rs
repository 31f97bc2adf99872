//! The typed schema model of RFC 7643 §7, in the JSON form `/Schemas` serves.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// An attribute's data type (RFC 7643 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AttrType {
    /// A Unicode string.
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number with a fractional part.
    Decimal,
    /// A whole number.
    Integer,
    /// An RFC 3339 date-time string.
    DateTime,
    /// Base64-encoded binary data.
    Binary,
    /// A URI referring to a resource.
    Reference,
    /// A value made of sub-attributes.
    Complex,
}

/// When an attribute may be changed (RFC 7643 §7 `mutability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mutability {
    /// Set only by the service provider.
    ReadOnly,
    /// Freely updated.
    #[default]
    ReadWrite,
    /// Set once, then never changed.
    Immutable,
    /// Written, never returned (e.g. `password`).
    WriteOnly,
}

/// When an attribute is returned (RFC 7643 §7 `returned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Returned {
    /// Always returned, whatever `attributes`/`excludedAttributes` say.
    Always,
    /// Never returned.
    Never,
    /// Returned unless excluded.
    #[default]
    Default,
    /// Returned only when requested in `attributes`.
    Request,
}

/// How unique a value must be (RFC 7643 §7 `uniqueness`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Uniqueness {
    /// No uniqueness required.
    #[default]
    None,
    /// Unique within the service provider (tenant).
    Server,
    /// Globally unique.
    Global,
}

/// One attribute definition with every RFC 7643 §7 characteristic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribute {
    /// The attribute's name, in its canonical case.
    pub name: String,
    /// The data type.
    #[serde(rename = "type")]
    pub ty: AttrType,
    /// Whether the attribute holds an array of values.
    #[serde(default)]
    pub multi_valued: bool,
    /// Human-readable description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether the attribute must be present.
    #[serde(default)]
    pub required: bool,
    /// Whether string comparisons are case-sensitive.
    #[serde(default)]
    pub case_exact: bool,
    /// When the attribute may change.
    #[serde(default)]
    pub mutability: Mutability,
    /// When the attribute is returned.
    #[serde(default)]
    pub returned: Returned,
    /// How unique values must be.
    #[serde(default)]
    pub uniqueness: Uniqueness,
    /// Suggested (or, with `strict_canonical`, required) values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canonical_values: Vec<String>,
    /// Resource types a reference may point to (`User`, `Group`, `external`, `uri`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_types: Vec<String>,
    /// Sub-attributes of a complex attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_attributes: Vec<Attribute>,
    /// Extension: when true, values outside `canonicalValues` are rejected.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub strict_canonical: bool,
}

impl Attribute {
    /// The sub-attribute named `name`, compared case-insensitively (RFC 7643 §2.1).
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        self.sub_attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Whether `text` cannot be this attribute's value because the attribute is required and
    /// the text is empty or only whitespace (an empty `userName` identifies nobody).
    pub fn refuses_blank(&self, text: &str) -> bool {
        self.required && text.trim().is_empty()
    }
}

/// A schema: an id URN and its attributes (RFC 7643 §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`.
    pub id: String,
    /// Human-readable name.
    #[serde(default)]
    pub name: String,
    /// Human-readable description.
    #[serde(default)]
    pub description: String,
    /// Top-level attributes.
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// The top-level attribute named `name`, compared case-insensitively.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// A schema extension attached to a resource type (RFC 7643 §6 `schemaExtensions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaExtension {
    /// The extension schema URN.
    pub schema: String,
    /// Whether resources must carry the extension.
    #[serde(default)]
    pub required: bool,
}

/// A resource type: endpoint, core schema and extensions (RFC 7643 §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceType {
    /// The resource type id, e.g. `User`.
    pub id: String,
    /// The resource type name, e.g. `User`.
    pub name: String,
    /// The endpoint relative to the base URL, e.g. `/Users`.
    pub endpoint: String,
    /// Human-readable description.
    #[serde(default)]
    pub description: String,
    /// The core schema URN.
    pub schema: String,
    /// Extension schemas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_extensions: Vec<SchemaExtension>,
}
