//! Custom schemas, extensions and resource types added to a registry, with their checks.
//!
//! Schemas are loaded in the format `/Schemas` serves: one schema object, an array of them, or
//! a `ListResponse` whose `Resources` holds them. A schema is rejected when its id is not a
//! `urn:` URI or is already registered (case-insensitively), when an attribute name breaks
//! RFC 7643 §2.1 `ATTRNAME` (`$ref` is the one allowed exception) or appears twice
//! (case-insensitively), when a complex attribute has no sub-attributes, when a sub-attribute
//! is complex itself (RFC 7643 §2.3.8), or when a non-complex attribute has sub-attributes.
//! Errors are [`ScimError::InvalidValue`] whose path is `<schema id>:<attribute>[.<sub>]`, or
//! [`ScimError::InvalidSyntax`] when the JSON is not a schema document at all.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::model::{AttrType, Attribute, ResourceType, Schema, SchemaExtension};
use super::registry::Registry;
use crate::error::{Result, ScimError};

/// Whether `name` is an RFC 7643 §2.1 `ATTRNAME` (`ALPHA *(nameChar)`) or `$ref`.
pub fn is_valid_attr_name(name: &str) -> bool {
    if name == "$ref" {
        return true;
    }
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn invalid(schema: &str, path: &str, message: impl Into<String>) -> ScimError {
    ScimError::invalid_value(format!("{schema}:{path}"), message)
}

fn check_attributes(schema: &str, parent: Option<&str>, attrs: &[Attribute]) -> Result<()> {
    for (i, attr) in attrs.iter().enumerate() {
        let path = match parent {
            Some(p) => format!("{p}.{}", attr.name),
            None => attr.name.clone(),
        };
        if !is_valid_attr_name(&attr.name) {
            return Err(invalid(
                schema,
                &path,
                "attribute name must match ATTRNAME (RFC 7643 section 2.1)",
            ));
        }
        if attrs[..i]
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(&attr.name))
        {
            return Err(invalid(schema, &path, "attribute defined twice"));
        }
        match (attr.ty, attr.sub_attributes.is_empty()) {
            (AttrType::Complex, true) => {
                return Err(invalid(
                    schema,
                    &path,
                    "complex attribute without subAttributes",
                ))
            }
            (AttrType::Complex, false) if parent.is_some() => {
                return Err(invalid(
                    schema,
                    &path,
                    "a sub-attribute cannot be complex (RFC 7643 section 2.3.8)",
                ))
            }
            (AttrType::Complex, false) => {
                check_attributes(schema, Some(&path), &attr.sub_attributes)?
            }
            (_, false) => {
                return Err(invalid(
                    schema,
                    &path,
                    "only complex attributes have subAttributes",
                ))
            }
            (_, true) => {}
        }
    }
    Ok(())
}

/// Checks a custom schema document on its own (not against a registry).
pub fn check_schema(schema: &Schema) -> Result<()> {
    if !starts_with_ignore_case(&schema.id, "urn:")
        || schema.id.len() <= 4
        || schema.id.bytes().any(|b| b.is_ascii_whitespace())
    {
        return Err(ScimError::invalid_value(
            "id",
            format!("schema id '{}' is not a URN", schema.id),
        ));
    }
    check_attributes(&schema.id, None, &schema.attributes)
}

/// The schema objects of a `/Schemas`-style document: one object, an array, or a ListResponse.
fn schema_values(doc: Value) -> Result<Vec<Value>> {
    match doc {
        Value::Array(items) => Ok(items),
        Value::Object(mut obj) => {
            let key = obj
                .keys()
                .find(|k| k.eq_ignore_ascii_case("Resources"))
                .cloned();
            match key.and_then(|k| obj.remove(&k)) {
                Some(Value::Array(items)) => Ok(items),
                Some(_) => Err(ScimError::InvalidSyntax(
                    "ListResponse 'Resources' must be an array".into(),
                )),
                None => Ok(alloc::vec![Value::Object(obj)]),
            }
        }
        _ => Err(ScimError::InvalidSyntax(
            "a schema document is an object, an array or a ListResponse".into(),
        )),
    }
}

fn parse_json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| ScimError::InvalidSyntax(format!("{e}")))
}

/// Removes null members (unassigned, RFC 7643 §2.5) from a schema or resource type document
/// and its attribute definitions, down to `depth` levels of `attributes`/`subAttributes`.
fn strip_nulls(value: &mut Value, depth: u8) {
    let Value::Object(obj) = value else { return };
    obj.retain(|_, v| !v.is_null());
    if depth == 0 {
        return;
    }
    for (key, v) in obj.iter_mut() {
        if let Value::Array(items) = v {
            if key == "attributes" || key == "subAttributes" || key == "schemaExtensions" {
                items
                    .iter_mut()
                    .for_each(|item| strip_nulls(item, depth - 1));
            }
        }
    }
}

impl Registry {
    /// Adds a custom schema after checking it (see the module documentation).
    pub fn add_schema(&mut self, schema: Schema) -> Result<()> {
        check_schema(&schema)?;
        if self.schema(&schema.id).is_some() {
            return Err(ScimError::invalid_value(
                "id",
                format!("schema '{}' is already registered", schema.id),
            ));
        }
        self.schemas.push(schema);
        Ok(())
    }

    /// Attaches a registered extension schema to the resource type with this id or name.
    pub fn add_extension(&mut self, resource_type: &str, extension: SchemaExtension) -> Result<()> {
        let Some(urn) = self.schema(&extension.schema).map(|s| s.id.clone()) else {
            return Err(ScimError::invalid_value(
                "schemaExtensions",
                format!("schema '{}' is not registered", extension.schema),
            ));
        };
        let Some(rt) = self.resource_types.iter_mut().find(|r| {
            r.id.eq_ignore_ascii_case(resource_type) || r.name.eq_ignore_ascii_case(resource_type)
        }) else {
            return Err(ScimError::NotFound(format!(
                "resource type '{resource_type}'"
            )));
        };
        if rt.schema.eq_ignore_ascii_case(&urn)
            || rt
                .schema_extensions
                .iter()
                .any(|e| e.schema.eq_ignore_ascii_case(&urn))
        {
            return Err(ScimError::invalid_value(
                "schemaExtensions",
                format!("'{urn}' is already a schema of '{}'", rt.id),
            ));
        }
        rt.schema_extensions.push(SchemaExtension {
            schema: urn,
            required: extension.required,
        });
        Ok(())
    }

    /// Adds a resource type whose schema and extensions are registered; URNs are stored in
    /// their registered case and the endpoint gets a leading `/`.
    pub fn add_resource_type(&mut self, mut rt: ResourceType) -> Result<()> {
        if !is_valid_attr_name(&rt.id) || rt.name.is_empty() {
            return Err(ScimError::invalid_value(
                "id",
                "a resource type needs an id (ATTRNAME) and a name",
            ));
        }
        if !rt.endpoint.starts_with('/') {
            rt.endpoint.insert(0, '/');
        }
        if rt.endpoint.len() < 2 {
            return Err(ScimError::invalid_value("endpoint", "endpoint is empty"));
        }
        let clash = self.resource_types.iter().any(|r| {
            r.id.eq_ignore_ascii_case(&rt.id)
                || r.name.eq_ignore_ascii_case(&rt.name)
                || r.endpoint.eq_ignore_ascii_case(&rt.endpoint)
        });
        if clash {
            return Err(ScimError::invalid_value(
                "id",
                format!(
                    "resource type '{}' clashes with a registered id, name or endpoint",
                    rt.id
                ),
            ));
        }
        let Some(core) = self.schema(&rt.schema) else {
            return Err(ScimError::invalid_value(
                "schema",
                format!("schema '{}' is not registered", rt.schema),
            ));
        };
        rt.schema = core.id.clone();
        let extensions = core::mem::take(&mut rt.schema_extensions);
        for ext in extensions {
            let Some(schema) = self.schema(&ext.schema) else {
                return Err(ScimError::invalid_value(
                    "schemaExtensions",
                    format!("schema '{}' is not registered", ext.schema),
                ));
            };
            let urn = &schema.id;
            if urn.eq_ignore_ascii_case(&rt.schema)
                || rt.schema_extensions.iter().any(|e| &e.schema == urn)
            {
                return Err(ScimError::invalid_value(
                    "schemaExtensions",
                    format!("'{urn}' is listed twice"),
                ));
            }
            rt.schema_extensions.push(SchemaExtension {
                schema: urn.clone(),
                required: ext.required,
            });
        }
        self.resource_types.push(rt);
        Ok(())
    }

    /// Loads schemas from a `/Schemas`-style JSON document, all or none; returns how many.
    pub fn load_schemas_json(&mut self, text: &str) -> Result<usize> {
        let mut items = schema_values(parse_json(text)?)?;
        items.iter_mut().for_each(|item| strip_nulls(item, 3));
        let mut staged = self.clone();
        for item in items.iter() {
            let schema: Schema = serde::Deserialize::deserialize(item)
                .map_err(|e| ScimError::InvalidSyntax(format!("schema: {e}")))?;
            staged.add_schema(schema)?;
        }
        *self = staged;
        Ok(items.len())
    }

    /// Loads resource types from a `/ResourceTypes`-style JSON document, all or none; returns
    /// how many.
    pub fn load_resource_types_json(&mut self, text: &str) -> Result<usize> {
        let mut items = schema_values(parse_json(text)?)?;
        items.iter_mut().for_each(|item| strip_nulls(item, 1));
        let mut staged = self.clone();
        for item in items.iter() {
            let rt: ResourceType = serde::Deserialize::deserialize(item)
                .map_err(|e| ScimError::InvalidSyntax(format!("resource type: {e}")))?;
            staged.add_resource_type(rt)?;
        }
        *self = staged;
        Ok(items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Mutability, ENTERPRISE_USER_URN, USER_URN};
    use alloc::string::ToString;
    use serde_json::json;

    const ACME: &str = "urn:acme:params:scim:schemas:extension:2.0:User";

    fn acme_schema() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": ACME,
            "name": "AcmeUser",
            "description": "Acme extension",
            "attributes": [
                {"name": "manager", "type": "reference", "referenceTypes": ["User"],
                 "multiValued": false, "required": false, "caseExact": false,
                 "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
                {"name": "licenses", "type": "string", "multiValued": true,
                 "canonicalValues": ["E3", "E5"]},
                {"name": "badge", "type": "complex", "subAttributes": [
                    {"name": "number", "type": "integer", "required": true},
                    {"name": "issued", "type": "dateTime", "mutability": "immutable"}
                ]}
            ],
            "meta": {"resourceType": "Schema", "location": "/v2/Schemas/x"}
        })
    }

    fn load(doc: Value) -> Result<usize> {
        Registry::builtin().load_schemas_json(&doc.to_string())
    }

    fn err_path(doc: Value) -> String {
        match load(doc) {
            Err(e) => e.path().unwrap_or("").into(),
            Ok(n) => panic!("loaded {n} schemas"),
        }
    }

    #[test]
    fn loads_a_single_schema_object_with_schemas_and_meta() {
        let mut reg = Registry::builtin();
        assert_eq!(reg.load_schemas_json(&acme_schema().to_string()), Ok(1));
        let s = reg.schema(ACME).unwrap();
        assert_eq!(
            s.attribute("LICENSES").unwrap().canonical_values,
            ["E3", "E5"]
        );
        let issued = s
            .attribute("badge")
            .unwrap()
            .sub_attribute("issued")
            .unwrap();
        assert_eq!(issued.mutability, Mutability::Immutable);
    }

    #[test]
    fn loads_an_array_and_a_list_response() {
        let mut other = acme_schema();
        other["id"] = json!("urn:acme:other");
        assert_eq!(load(json!([acme_schema(), other.clone()])), Ok(2));
        let list = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 2,
            "Resources": [acme_schema(), other]
        });
        assert_eq!(load(list), Ok(2));
    }

    #[test]
    fn loading_is_all_or_nothing() {
        let mut reg = Registry::builtin();
        let mut bad = acme_schema();
        bad["id"] = json!("urn:acme:bad");
        bad["attributes"][0]["name"] = json!("9lives");
        let doc = json!([acme_schema(), bad]).to_string();
        assert!(reg.load_schemas_json(&doc).is_err());
        assert!(reg.schema(ACME).is_none());
    }

    #[test]
    fn null_characteristics_count_as_unassigned() {
        let mut doc = acme_schema();
        doc["description"] = Value::Null;
        doc["attributes"][0]["canonicalValues"] = Value::Null;
        doc["attributes"][0]["description"] = Value::Null;
        doc["attributes"][2]["subAttributes"][0]["referenceTypes"] = Value::Null;
        let mut reg = Registry::builtin();
        assert_eq!(reg.load_schemas_json(&doc.to_string()), Ok(1));
        let badge = reg.schema(ACME).unwrap().attribute("badge").unwrap();
        assert!(badge.sub_attributes[0].reference_types.is_empty());
    }

    #[test]
    fn rejects_duplicate_urn_case_insensitively() {
        let mut doc = acme_schema();
        doc["id"] = json!(USER_URN.to_ascii_uppercase());
        assert_eq!(err_path(doc), "id");
    }

    #[test]
    fn rejects_invalid_attribute_names() {
        for name in ["9lives", "has space", "", "na.me", "ünï", "$other"] {
            let mut doc = acme_schema();
            doc["attributes"][0]["name"] = json!(name);
            assert_eq!(err_path(doc), format!("{ACME}:{name}"), "{name:?}");
        }
    }

    #[test]
    fn accepts_dollar_ref_hyphen_and_underscore_names() {
        for name in ["$ref", "a-b", "a_b", "x1"] {
            let mut doc = acme_schema();
            doc["attributes"][0]["name"] = json!(name);
            assert_eq!(load(doc), Ok(1), "{name}");
        }
    }

    #[test]
    fn rejects_attributes_defined_twice_in_any_case() {
        let mut doc = acme_schema();
        doc["attributes"][1]["name"] = json!("MANAGER");
        assert_eq!(err_path(doc), format!("{ACME}:MANAGER"));
    }

    #[test]
    fn rejects_complex_without_sub_attributes() {
        let mut doc = acme_schema();
        doc["attributes"][2]["subAttributes"] = json!([]);
        assert_eq!(err_path(doc), format!("{ACME}:badge"));
    }

    #[test]
    fn rejects_sub_attributes_of_sub_attributes() {
        let mut doc = acme_schema();
        doc["attributes"][2]["subAttributes"][0] = json!({
            "name": "deep", "type": "complex",
            "subAttributes": [{"name": "x", "type": "string"}]
        });
        assert_eq!(err_path(doc), format!("{ACME}:badge.deep"));
    }

    #[test]
    fn rejects_sub_attributes_on_simple_types() {
        let mut doc = acme_schema();
        doc["attributes"][1]["subAttributes"] = json!([{"name": "x", "type": "string"}]);
        assert_eq!(err_path(doc), format!("{ACME}:licenses"));
    }

    #[test]
    fn rejects_ids_that_are_not_urns() {
        let mut doc = acme_schema();
        doc["id"] = json!("Acme");
        assert_eq!(err_path(doc), "id");
    }

    #[test]
    fn unknown_types_and_bad_json_are_syntax_errors() {
        let mut doc = acme_schema();
        doc["attributes"][0]["type"] = json!("uuid");
        assert!(matches!(load(doc), Err(ScimError::InvalidSyntax(_))));
        let mut reg = Registry::builtin();
        assert!(matches!(
            reg.load_schemas_json("{"),
            Err(ScimError::InvalidSyntax(_))
        ));
        assert!(matches!(
            reg.load_schemas_json("42"),
            Err(ScimError::InvalidSyntax(_))
        ));
        assert!(matches!(
            reg.load_schemas_json(r#"{"Resources": 1}"#),
            Err(ScimError::InvalidSyntax(_))
        ));
    }

    #[test]
    fn extension_attaches_to_a_resource_type_in_registered_case() {
        let mut reg = Registry::builtin();
        reg.load_schemas_json(&acme_schema().to_string()).unwrap();
        let ext = SchemaExtension {
            schema: ACME.to_ascii_lowercase(),
            required: true,
        };
        reg.add_extension("user", ext.clone()).unwrap();
        let user = reg.resource_type("User").unwrap();
        assert_eq!(user.schema_extensions[1].schema, ACME);
        assert!(user.schema_extensions[1].required);
        assert!(reg.add_extension("User", ext.clone()).is_err());
        assert!(matches!(
            reg.add_extension("Device", ext),
            Err(ScimError::NotFound(_))
        ));
        let unknown = SchemaExtension {
            schema: "urn:nope".into(),
            required: false,
        };
        assert!(reg.add_extension("Group", unknown).is_err());
    }

    #[test]
    fn custom_resource_type_from_json() {
        let mut reg = Registry::builtin();
        reg.load_schemas_json(
            &json!({"id": "urn:acme:Device", "name": "Device", "attributes": [
                {"name": "serial", "type": "string", "required": true, "uniqueness": "server"}
            ]})
            .to_string(),
        )
        .unwrap();
        let doc = json!({"Resources": [{
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Device", "name": "Device", "endpoint": "Devices",
            "schema": "URN:ACME:DEVICE",
            "schemaExtensions": [{"schema": ENTERPRISE_USER_URN, "required": false}]
        }]});
        assert_eq!(reg.load_resource_types_json(&doc.to_string()), Ok(1));
        let rt = reg.resource_type_by_endpoint("/Devices").unwrap();
        assert_eq!(rt.endpoint, "/Devices");
        assert_eq!(rt.schema, "urn:acme:Device");
        assert!(reg.load_resource_types_json(&doc.to_string()).is_err());
    }

    #[test]
    fn resource_type_with_unregistered_schema_is_rejected() {
        let mut reg = Registry::builtin();
        let rt = ResourceType {
            id: "Device".into(),
            name: "Device".into(),
            endpoint: "/Devices".into(),
            description: String::new(),
            schema: "urn:acme:Device".into(),
            schema_extensions: Vec::new(),
        };
        assert_eq!(
            reg.add_resource_type(rt).unwrap_err().path(),
            Some("schema")
        );
    }
}
