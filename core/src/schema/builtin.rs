//! The built-in schemas of RFC 7643 §8.7 and the resource types `User` and `Group`.
//!
//! The schemas are embedded as compact JSON (`builtin.json`, in the `/Schemas` format with
//! every characteristic that equals its RFC 7643 §2.2 default left out) and parsed with serde
//! when a registry is built. JSON text is smaller in wasm than the equivalent Rust
//! constructors, and it is the same format custom schemas are loaded from.
//!
//! The transcription follows RFC 7643 §8.7.1 and §8.7.2 with its errata (`groups` and its
//! sub-attributes are readOnly, `members` sub-attributes are immutable, every `$ref` is of type
//! `reference`), plus these additions where the RFC's own text and examples go beyond its
//! schema listing:
//! - `addresses.primary` (§4.1.2 and the §8.2 example use it);
//! - `members.display` (§4.2 and the §8.4 example use it; immutable like the other members
//!   sub-attributes, so it is kept exactly as sent);
//! - `ServiceProviderConfig.etag`, `authenticationSchemes.type` and `.primary` (§5);
//! - `binary` among the canonical values of an attribute's `type` in the `Schema` schema;
//! - `ResourceType.schemaExtensions` is multi-valued and optional, as §6 describes it (the
//!   §8.7.2 listing says single-valued and required, which contradicts its own examples).

use alloc::vec;
use alloc::vec::Vec;

use super::model::{ResourceType, Schema, SchemaExtension};
use super::registry::Registry;

/// URN of the core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// URN of the core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// URN of the enterprise User extension.
pub const ENTERPRISE_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// URN of the ServiceProviderConfig schema.
pub const SERVICE_PROVIDER_CONFIG_URN: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// URN of the ResourceType schema.
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// URN of the Schema schema.
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The RFC 7643 §8.7 schemas in compact JSON.
const BUILTIN_JSON: &str = include_str!("builtin.json");

/// The RFC 7643 §3.1 common attributes (`id`, `externalId`, `meta`) in compact JSON.
const COMMON_JSON: &str = r#"{"id":"","name":"Common","description":"Attributes common to all resources (RFC 7643 section 3.1)","attributes":[
{"name":"id","type":"string","description":"A unique identifier for a SCIM resource as defined by the service provider.","required":true,"caseExact":true,"mutability":"readOnly","returned":"always","uniqueness":"server"},
{"name":"externalId","type":"string","description":"A String that is an identifier for the resource as defined by the provisioning client.","caseExact":true},
{"name":"meta","type":"complex","description":"A complex attribute containing resource metadata.","mutability":"readOnly","subAttributes":[
{"name":"resourceType","type":"string","description":"The name of the resource type of the resource.","caseExact":true,"mutability":"readOnly"},
{"name":"created","type":"dateTime","description":"The DateTime that the resource was added to the service provider.","mutability":"readOnly"},
{"name":"lastModified","type":"dateTime","description":"The most recent DateTime that the details of this resource were updated at the service provider.","mutability":"readOnly"},
{"name":"location","type":"reference","referenceTypes":["uri"],"description":"The URI of the resource being returned.","caseExact":true,"mutability":"readOnly"},
{"name":"version","type":"string","description":"The version of the resource being returned.","caseExact":true,"mutability":"readOnly"}]}]}"#;

/// The common attributes of RFC 7643 §3.1 as a schema (its `id` is empty: it is no real schema).
pub fn common_schema() -> Schema {
    serde_json::from_str(COMMON_JSON).unwrap_or_else(|_| Schema {
        id: Default::default(),
        name: Default::default(),
        description: Default::default(),
        attributes: Vec::new(),
    })
}

/// The RFC 7643 §8.7.1 and §8.7.2 schemas, in that order.
pub fn builtin_schemas() -> Vec<Schema> {
    serde_json::from_str(BUILTIN_JSON).unwrap_or_default()
}

/// The `User` resource type: `/Users`, core User schema, optional enterprise extension.
pub fn user_resource_type() -> ResourceType {
    ResourceType {
        id: "User".into(),
        name: "User".into(),
        endpoint: "/Users".into(),
        description: "User Account".into(),
        schema: USER_URN.into(),
        schema_extensions: vec![SchemaExtension {
            schema: ENTERPRISE_USER_URN.into(),
            required: false,
        }],
    }
}

/// The `Group` resource type: `/Groups`, core Group schema.
pub fn group_resource_type() -> ResourceType {
    ResourceType {
        id: "Group".into(),
        name: "Group".into(),
        endpoint: "/Groups".into(),
        description: "Group".into(),
        schema: GROUP_URN.into(),
        schema_extensions: Vec::new(),
    }
}

impl Registry {
    /// A registry with only the common attributes: no schemas, no resource types.
    pub fn new() -> Registry {
        Registry {
            schemas: Vec::new(),
            resource_types: Vec::new(),
            common: common_schema(),
        }
    }

    /// The RFC 7643 registry: schemas User, Group, EnterpriseUser, ServiceProviderConfig,
    /// ResourceType, Schema; resource types `User` (with the optional enterprise extension)
    /// and `Group`.
    pub fn builtin() -> Registry {
        Registry {
            schemas: builtin_schemas(),
            resource_types: vec![user_resource_type(), group_resource_type()],
            common: common_schema(),
        }
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::model::{AttrType, Mutability, Returned, Uniqueness};

    fn sub<'a>(
        reg: &'a Registry,
        urn: &str,
        attr: &str,
        sub: &str,
    ) -> &'a crate::schema::Attribute {
        reg.schema(urn)
            .and_then(|s| s.attribute(attr))
            .and_then(|a| a.sub_attribute(sub))
            .unwrap_or_else(|| panic!("{urn}:{attr}.{sub} missing"))
    }

    #[test]
    fn builtin_has_the_six_rfc_schemas_in_order() {
        let reg = Registry::builtin();
        let ids: Vec<&str> = reg.schemas().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                USER_URN,
                GROUP_URN,
                ENTERPRISE_USER_URN,
                SERVICE_PROVIDER_CONFIG_URN,
                RESOURCE_TYPE_URN,
                SCHEMA_URN
            ]
        );
    }

    #[test]
    fn user_schema_has_every_rfc_attribute() {
        let reg = Registry::builtin();
        let user = reg.schema(USER_URN).unwrap();
        let names: Vec<&str> = user.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "userName",
                "name",
                "displayName",
                "nickName",
                "profileUrl",
                "title",
                "userType",
                "preferredLanguage",
                "locale",
                "timezone",
                "active",
                "password",
                "emails",
                "phoneNumbers",
                "ims",
                "photos",
                "addresses",
                "groups",
                "entitlements",
                "roles",
                "x509Certificates"
            ]
        );
    }

    #[test]
    fn user_name_is_required_and_server_unique() {
        let reg = Registry::builtin();
        let a = reg.schema(USER_URN).unwrap().attribute("USERNAME").unwrap();
        assert!(a.required);
        assert!(!a.case_exact);
        assert_eq!(a.uniqueness, Uniqueness::Server);
        assert_eq!(a.mutability, Mutability::ReadWrite);
    }

    #[test]
    fn password_is_write_only_and_never_returned() {
        let reg = Registry::builtin();
        let a = reg.schema(USER_URN).unwrap().attribute("password").unwrap();
        assert_eq!(a.mutability, Mutability::WriteOnly);
        assert_eq!(a.returned, Returned::Never);
    }

    #[test]
    fn errata_groups_read_only_members_immutable_refs_are_references() {
        let reg = Registry::builtin();
        let groups = reg.schema(USER_URN).unwrap().attribute("groups").unwrap();
        assert_eq!(groups.mutability, Mutability::ReadOnly);
        assert!(groups
            .sub_attributes
            .iter()
            .all(|s| s.mutability == Mutability::ReadOnly));
        let value = sub(&reg, GROUP_URN, "members", "value");
        assert_eq!(value.mutability, Mutability::Immutable);
        for (urn, attr) in [
            (USER_URN, "groups"),
            (GROUP_URN, "members"),
            (ENTERPRISE_USER_URN, "manager"),
        ] {
            let r = sub(&reg, urn, attr, "$ref");
            assert_eq!(r.ty, AttrType::Reference, "{attr}.$ref");
        }
    }

    #[test]
    fn canonical_values_and_reference_types_are_transcribed() {
        let reg = Registry::builtin();
        assert_eq!(
            sub(&reg, USER_URN, "phoneNumbers", "type").canonical_values,
            ["work", "home", "mobile", "fax", "pager", "other"]
        );
        assert_eq!(sub(&reg, USER_URN, "ims", "type").canonical_values.len(), 8);
        assert_eq!(
            sub(&reg, GROUP_URN, "members", "$ref").reference_types,
            ["User", "Group"]
        );
        assert_eq!(
            sub(&reg, USER_URN, "x509Certificates", "value").ty,
            AttrType::Binary
        );
        assert_eq!(
            sub(&reg, ENTERPRISE_USER_URN, "manager", "displayName").mutability,
            Mutability::ReadOnly
        );
    }

    #[test]
    fn schema_schema_nests_sub_attributes_of_sub_attributes() {
        let reg = Registry::builtin();
        let subs = sub(&reg, SCHEMA_URN, "attributes", "subAttributes");
        assert_eq!(subs.sub_attributes.len(), 11);
        assert!(subs.sub_attribute("referenceTypes").is_some());
    }

    #[test]
    fn common_attributes_follow_rfc_7643_section_3_1() {
        let reg = Registry::builtin();
        let id = reg.common().attribute("id").unwrap();
        assert_eq!(id.mutability, Mutability::ReadOnly);
        assert_eq!(id.returned, Returned::Always);
        assert!(id.case_exact);
        assert_eq!(id.uniqueness, Uniqueness::Server);
        let ext = reg.common().attribute("externalId").unwrap();
        assert!(ext.case_exact);
        assert_eq!(ext.mutability, Mutability::ReadWrite);
        let meta = reg.common().attribute("meta").unwrap();
        assert_eq!(meta.mutability, Mutability::ReadOnly);
        assert_eq!(
            meta.sub_attribute("lastModified").unwrap().ty,
            AttrType::DateTime
        );
        assert_eq!(
            meta.sub_attribute("location").unwrap().ty,
            AttrType::Reference
        );
    }

    #[test]
    fn resource_types_user_and_group() {
        let reg = Registry::builtin();
        let user = reg.resource_type_by_endpoint("/Users").unwrap();
        assert_eq!(user.schema, USER_URN);
        assert_eq!(user.schema_extensions[0].schema, ENTERPRISE_USER_URN);
        assert!(!user.schema_extensions[0].required);
        let group = reg.resource_type("group").unwrap();
        assert_eq!(group.endpoint, "/Groups");
        assert!(group.schema_extensions.is_empty());
    }

    #[test]
    fn resolve_finds_extension_and_common_attributes() {
        let reg = Registry::builtin();
        let user = reg.resource_type("User").unwrap();
        let r = reg
            .resolve(user, Some(ENTERPRISE_USER_URN), "manager", Some("value"))
            .unwrap();
        assert_eq!(
            r.location,
            crate::schema::Location::Extension(ENTERPRISE_USER_URN)
        );
        assert!(reg.resolve(user, None, "meta", Some("created")).is_some());
        assert!(reg.resolve(user, None, "nope", None).is_none());
    }

    #[test]
    fn new_registry_is_empty_but_has_common_attributes() {
        let reg = Registry::new();
        assert!(reg.schemas().is_empty());
        assert!(reg.resource_types().is_empty());
        assert_eq!(reg.common().attributes.len(), 3);
    }
}
