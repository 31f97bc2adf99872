//! Discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`.
//!
//! Lists are `ListResponse`s; single items are plain objects; every item has `meta` with
//! `resourceType` and an absolute `location`. Paging and sorting parameters are ignored, and a
//! `filter` is refused with 403 as RFC 7644 §4 recommends (so a client never mistakes an
//! unfiltered list for a filtered one).

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Value};

use super::config::ServiceConfig;
use super::messages::list_response;
use crate::error::ScimError;
use crate::schema::{Registry, ResourceType, Schema};

/// 403 when the query string carries a `filter` (RFC 7644 §4).
pub fn refuse_filter(params: &[(String, String)]) -> Result<(), ScimError> {
    if params.iter().any(|(n, _)| n.eq_ignore_ascii_case("filter")) {
        return Err(ScimError::Forbidden(
            "filtering is not supported on discovery endpoints (RFC 7644 section 4)".into(),
        ));
    }
    Ok(())
}

fn with_meta(mut body: Value, resource_type: &str, location: String) -> Value {
    if let Value::Object(map) = &mut body {
        map.insert(
            "meta".into(),
            json!({"resourceType": resource_type, "location": location}),
        );
    }
    body
}

/// The `/ServiceProviderConfig` document of `config`.
pub fn service_provider_config(config: &ServiceConfig, base: &str) -> Value {
    let mut body = config.to_json();
    if let Value::Object(map) = &mut body {
        map.insert(
            "meta".into(),
            json!({
                "resourceType": "ServiceProviderConfig",
                "location": alloc::format!("{base}/ServiceProviderConfig"),
            }),
        );
    }
    body
}

fn resource_type_json(rt: &ResourceType, base: &str) -> Value {
    let location = alloc::format!("{base}/ResourceTypes/{}", rt.id);
    with_meta(rt.to_scim_json(), "ResourceType", location)
}

fn schema_json(schema: &Schema, base: &str) -> Value {
    let location = alloc::format!("{base}/Schemas/{}", schema.id);
    with_meta(schema.to_scim_json(), "Schema", location)
}

/// `/ResourceTypes` (a `ListResponse`) or `/ResourceTypes/{id}`.
pub fn resource_types(
    registry: &Registry,
    base: &str,
    id: Option<&str>,
) -> Result<Value, ScimError> {
    match id {
        Some(id) => registry
            .resource_types()
            .iter()
            .find(|rt| rt.id.eq_ignore_ascii_case(id))
            .map(|rt| resource_type_json(rt, base))
            .ok_or_else(|| ScimError::NotFound(alloc::format!("resource type '{id}'"))),
        None => {
            let all: Vec<Value> = registry
                .resource_types()
                .iter()
                .map(|rt| resource_type_json(rt, base))
                .collect();
            Ok(list_response(all.len(), 1, all))
        }
    }
}

/// `/Schemas` (a `ListResponse`) or `/Schemas/{urn}`.
pub fn schemas(registry: &Registry, base: &str, id: Option<&str>) -> Result<Value, ScimError> {
    match id {
        Some(id) => registry
            .schema(id)
            .map(|s| schema_json(s, base))
            .ok_or_else(|| ScimError::NotFound(alloc::format!("schema '{id}'"))),
        None => {
            let all: Vec<Value> = registry
                .schemas()
                .iter()
                .map(|s| schema_json(s, base))
                .collect();
            Ok(list_response(all.len(), 1, all))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{RESOURCE_TYPE_URN, SCHEMA_URN, USER_URN};
    use crate::service::testing::registry;

    const BASE: &str = "http://h/scim/v2";

    #[test]
    fn service_provider_config_has_meta_location() {
        let v = service_provider_config(&ServiceConfig::default(), BASE);
        assert_eq!(v["meta"]["resourceType"], "ServiceProviderConfig");
        assert_eq!(
            v["meta"]["location"],
            "http://h/scim/v2/ServiceProviderConfig"
        );
        assert_eq!(v["patch"]["supported"], true);
    }

    #[test]
    fn resource_types_list_and_single() {
        let reg = registry();
        let list = resource_types(&reg, BASE, None).unwrap();
        assert_eq!(list["totalResults"], 2);
        assert_eq!(list["Resources"][0]["id"], "User");
        assert_eq!(list["Resources"][0]["endpoint"], "/Users");
        assert_eq!(list["Resources"][0]["schemas"][0], RESOURCE_TYPE_URN);
        let one = resource_types(&reg, BASE, Some("group")).unwrap();
        assert_eq!(
            one["meta"]["location"],
            "http://h/scim/v2/ResourceTypes/Group"
        );
        assert_eq!(
            resource_types(&reg, BASE, Some("Nope"))
                .unwrap_err()
                .status(),
            404
        );
    }

    #[test]
    fn schemas_list_and_single() {
        let reg = registry();
        let list = schemas(&reg, BASE, None).unwrap();
        assert_eq!(list["totalResults"], reg.schemas().len());
        let user = schemas(&reg, BASE, Some(USER_URN)).unwrap();
        assert_eq!(user["id"], USER_URN);
        assert_eq!(user["schemas"][0], SCHEMA_URN);
        assert_eq!(user["meta"]["resourceType"], "Schema");
        assert!(user["attributes"].as_array().is_some_and(|a| !a.is_empty()));
        assert_eq!(
            schemas(&reg, BASE, Some("urn:x")).unwrap_err().status(),
            404
        );
    }

    #[test]
    fn filter_on_discovery_is_forbidden() {
        let params = [("Filter".into(), "id eq \"x\"".into())];
        assert_eq!(refuse_filter(&params).unwrap_err().status(), 403);
        assert!(refuse_filter(&[("count".into(), "1".into())]).is_ok());
    }
}
