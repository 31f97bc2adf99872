//! The RFC 7643 §7 and §6 JSON representations served by `/Schemas` and `/ResourceTypes`.

use serde_json::{Map, Value};

use super::builtin::{RESOURCE_TYPE_URN, SCHEMA_URN};
use super::model::{ResourceType, Schema};

/// Serializes `item` to an object and adds `"schemas": [urn]`; `meta` is left to the service.
fn with_schemas<T: serde::Serialize>(item: &T, urn: &str) -> Value {
    let mut obj = match serde_json::to_value(item) {
        Ok(Value::Object(obj)) => obj,
        _ => Map::new(),
    };
    obj.insert(
        "schemas".into(),
        Value::Array(alloc::vec![Value::String(urn.into())]),
    );
    Value::Object(obj)
}

impl Schema {
    /// The schema as `/Schemas` returns it (every attribute characteristic spelled out), with
    /// `schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"]` and without `meta`.
    pub fn to_scim_json(&self) -> Value {
        with_schemas(self, SCHEMA_URN)
    }
}

impl ResourceType {
    /// The resource type as `/ResourceTypes` returns it, with
    /// `schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"]` and without `meta`.
    pub fn to_scim_json(&self) -> Value {
        with_schemas(self, RESOURCE_TYPE_URN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Registry, USER_URN};
    use alloc::string::ToString;
    use alloc::vec::Vec;
    use serde_json::json;

    #[test]
    fn schema_json_spells_out_every_characteristic() {
        let reg = Registry::builtin();
        let user = reg.schema(USER_URN).unwrap().to_scim_json();
        assert_eq!(user["schemas"], json!([SCHEMA_URN]));
        assert_eq!(user["id"], USER_URN);
        assert_eq!(user["name"], "User");
        let user_name = &user["attributes"][0];
        assert_eq!(
            user_name,
            &json!({
                "name": "userName", "type": "string", "multiValued": false,
                "description": reg.schema(USER_URN).unwrap().attributes[0].description,
                "required": true, "caseExact": false, "mutability": "readWrite",
                "returned": "default", "uniqueness": "server"
            })
        );
        let emails = &user["attributes"][12];
        assert_eq!(emails["name"], "emails");
        assert_eq!(emails["multiValued"], true);
        assert_eq!(
            emails["subAttributes"][2]["canonicalValues"],
            json!(["work", "home", "other"])
        );
        assert_eq!(user["attributes"][4]["referenceTypes"], json!(["external"]));
        assert!(user_name.get("strictCanonical").is_none());
    }

    #[test]
    fn schema_json_round_trips_through_the_loader() {
        let reg = Registry::builtin();
        let docs: Vec<Value> = reg.schemas().iter().map(Schema::to_scim_json).collect();
        let mut fresh = Registry::new();
        let n = fresh
            .load_schemas_json(&Value::Array(docs).to_string())
            .unwrap_or(0);
        // The Schema meta-schema nests sub-attributes, which custom schemas may not.
        assert_eq!(n, 0);
        let without_meta: Vec<Value> = reg.schemas()[..5]
            .iter()
            .map(Schema::to_scim_json)
            .collect();
        let n = fresh
            .load_schemas_json(&Value::Array(without_meta).to_string())
            .unwrap();
        assert_eq!(n, 5);
        assert_eq!(fresh.schemas(), &reg.schemas()[..5]);
    }

    #[test]
    fn resource_type_json_matches_rfc_7643_section_8_6() {
        let reg = Registry::builtin();
        let user = reg.resource_type("User").unwrap().to_scim_json();
        assert_eq!(
            user,
            json!({
                "schemas": [RESOURCE_TYPE_URN],
                "id": "User", "name": "User", "endpoint": "/Users",
                "description": "User Account",
                "schema": USER_URN,
                "schemaExtensions": [{
                    "schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    "required": false
                }]
            })
        );
        let group = reg.resource_type("Group").unwrap().to_scim_json();
        assert!(group.get("schemaExtensions").is_none());
    }
}
