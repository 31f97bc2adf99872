//! RFC 7644 endpoints, status codes and error bodies, end to end over the in-memory store.

use scim_core::service::{MemoryStore, ServiceConfig};
use scim_e2e::*;
use serde_json::json;

const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

fn user(name: &str) -> serde_json::Value {
    json!({"schemas": [USER], "userName": name})
}

#[test]
fn service_provider_config_reflects_the_configuration() {
    let h = host_with(ServiceConfig {
        max_results: 25,
        bulk_max_operations: 10,
        bulk_max_payload_size: 2048,
        ..ServiceConfig::default()
    });
    let r = h.get("/ServiceProviderConfig");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/scim+json; charset=utf-8")
    );
    let b = &r.body;
    assert_eq!(
        b["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
    );
    assert_eq!(b["patch"]["supported"], true);
    assert_eq!(
        b["bulk"],
        json!({"supported": true, "maxOperations": 10, "maxPayloadSize": 2048})
    );
    assert_eq!(b["filter"], json!({"supported": true, "maxResults": 25}));
    assert_eq!(b["changePassword"]["supported"], false);
    assert_eq!(b["sort"]["supported"], true);
    assert_eq!(b["etag"]["supported"], true);
    assert_eq!(b["authenticationSchemes"][0]["type"], "oauthbearertoken");
    assert_eq!(
        b["meta"]["location"],
        format!("{BASE}/ServiceProviderConfig").as_str()
    );
}

#[test]
fn resource_types_and_schemas_are_discoverable() {
    let h = host();
    let r = h.get("/ResourceTypes");
    assert_eq!(r.body["schemas"], json!([LIST]));
    assert_eq!(r.body["totalResults"], 2);
    let user_rt = h.get("/ResourceTypes/User");
    assert_eq!(user_rt.body["endpoint"], "/Users");
    assert_eq!(user_rt.body["schemaExtensions"][0]["schema"], ENTERPRISE);
    assert_eq!(user_rt.body["meta"]["resourceType"], "ResourceType");
    assert_error(&h.get("/ResourceTypes/Device"), 404, None);

    let r = h.get("/Schemas");
    let ids: Vec<&str> = r.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(ids.contains(&USER) && ids.contains(&GROUP) && ids.contains(&ENTERPRISE));
    let s = h.get(&format!("/Schemas/{ENTERPRISE}"));
    assert_eq!(
        s.body["meta"]["location"],
        format!("{BASE}/Schemas/{ENTERPRISE}").as_str()
    );
    assert_error(&h.get("/Schemas/urn:nope"), 404, None);
    assert_error(
        &h.get(&format!("/Schemas?filter={}", enc("id pr"))),
        403,
        None,
    );
}

#[test]
fn routing_errors() {
    let h = host();
    assert_error(&h.get("/Devices"), 404, None);
    assert_error(&h.get("/Users/a/b"), 404, None);
    let r = h.call("PUT", "/Users", Some(&user("x")), &[]);
    assert_error(&r, 405, None);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    assert_error(
        &h.call("POST", "/Users/1", Some(&user("x")), &[]),
        405,
        None,
    );
    assert_error(&h.get("/.search"), 405, None);
    assert_error(&h.get("/Me"), 501, None);
}

#[test]
fn body_errors() {
    let h = host();
    let r = h.call(
        "POST",
        "/Users",
        Some(&user("x")),
        &[("Content-Type", "text/plain")],
    );
    assert_error(&r, 415, None);
    let r = h.call(
        "POST",
        "/Users",
        Some(&user("x")),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(r.status, 201);
    let r = h.call("POST", "/Users", None, &[("Content-Type", SCIM_JSON)]);
    assert_error(&r, 400, Some("invalidSyntax"));
    assert_error(
        &h.post("/Users", &json!([1, 2])),
        400,
        Some("invalidSyntax"),
    );
    let small = host_with(ServiceConfig {
        max_body_size: 64,
        ..ServiceConfig::default()
    });
    let big = json!({"schemas": [USER], "userName": "x".repeat(100)});
    assert_error(&small.post("/Users", &big), 413, None);
}

#[test]
fn schema_violations_are_400_with_scim_types() {
    let h = host();
    assert_error(
        &h.post("/Users", &json!({"schemas": [USER]})),
        400,
        Some("invalidValue"),
    );
    assert_error(
        &h.post(
            "/Users",
            &json!({"schemas": [USER], "userName": "a", "active": "maybe"}),
        ),
        400,
        Some("invalidValue"),
    );
    assert_error(
        &h.post("/Users", &json!({"userName": "a"})),
        400,
        Some("invalidValue"),
    );
    let id = h.post("/Users", &user("a")).id();
    let op = patch_op(json!([{"op": "replace", "path": "id", "value": "other"}]));
    assert_error(
        &h.patch(&format!("/Users/{id}"), &op),
        400,
        Some("mutability"),
    );
    let op = patch_op(json!([{"op": "remove", "path": "emails[type eq \"work\"]"}]));
    assert_error(
        &h.patch(&format!("/Users/{id}"), &op),
        400,
        Some("noTarget"),
    );
    let op = patch_op(json!([{"op": "replace", "path": "emails[type eq", "value": "x"}]));
    let r = h.patch(&format!("/Users/{id}"), &op);
    assert_eq!(r.status, 400);
    assert_error(
        &h.patch(&format!("/Users/{id}"), &json!({"Operations": []})),
        400,
        Some("invalidSyntax"),
    );
}

#[test]
fn put_keeps_read_only_and_checks_immutable() {
    let h = host();
    let alice = h.post("/Users", &user("alice")).id();
    let gid = h
        .post(
            "/Groups",
            &json!({"schemas": [GROUP], "displayName": "g", "members": [{"value": alice}]}),
        )
        .id();
    let before = h.get(&format!("/Users/{alice}"));
    let body = json!({"schemas": [USER], "id": "ignored", "userName": "alice", "groups": [],
                      "meta": {"created": "2000-01-01T00:00:00Z"}, "title": "t"});
    let r = h.put(&format!("/Users/{alice}"), &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["id"], alice.as_str());
    assert_eq!(r.body["meta"]["created"], before.body["meta"]["created"]);
    assert_eq!(r.body["groups"][0]["value"], gid.as_str());
    assert_eq!(r.body["title"], "t");
}

#[test]
fn etags_and_conditional_requests() {
    let h = host();
    let created = h.post("/Users", &user("alice"));
    let id = created.id();
    let path = format!("/Users/{id}");
    assert_eq!(created.header("etag"), Some("W/\"1\""));
    assert_eq!(created.body["meta"]["version"], "W/\"1\"");
    let r = h.call("GET", &path, None, &[("If-None-Match", "W/\"1\"")]);
    assert_eq!((r.status, r.len), (304, 0));
    let op = patch_op(json!([{"op": "add", "path": "title", "value": "x"}]));
    assert_error(
        &h.call("PATCH", &path, Some(&op), &[("If-Match", "W/\"5\"")]),
        412,
        None,
    );
    let r = h.call("PATCH", &path, Some(&op), &[("If-Match", "W/\"1\"")]);
    assert_eq!((r.status, r.header("etag")), (200, Some("W/\"2\"")));
    // A PATCH that changes nothing keeps the version.
    let r = h.patch(&path, &op);
    assert_eq!(r.header("etag"), Some("W/\"2\""));
    assert_eq!(
        h.call("GET", &path, None, &[("If-None-Match", "W/\"1\"")])
            .status,
        200
    );
    assert_eq!(
        h.call("DELETE", &path, None, &[("If-Match", "*")]).status,
        204
    );
}

#[test]
fn attributes_parameters_apply_to_every_response() {
    let h = host();
    let body = json!({"schemas": [USER, ENTERPRISE], "userName": "a", "title": "t",
                      ENTERPRISE: {"department": "R&D"}});
    let r = h.post("/Users?attributes=title", &body);
    assert_eq!(r.status, 201);
    assert_eq!(r.body["title"], "t");
    assert!(r.body.get("userName").is_none() && r.body.get("meta").is_none());
    let path = format!("/Users/{}", r.id());
    let r = h.put(&format!("{path}?excludedAttributes={ENTERPRISE}"), &body);
    assert!(r.body.get(ENTERPRISE).is_none());
    assert_eq!(r.body["userName"], "a");
    let op = patch_op(json!([{"op": "replace", "path": "title", "value": "u"}]));
    let r = h.patch(&format!("{path}?attributes={ENTERPRISE}:department"), &op);
    assert_eq!(r.body[ENTERPRISE]["department"], "R&D");
    assert!(r.body.get("title").is_none());
    let r = h.get(&format!(
        "/Users?attributes=userName&filter={}",
        enc("title eq \"u\"")
    ));
    assert_eq!(
        r.body["Resources"][0],
        json!({"schemas": [USER, ENTERPRISE], "id": r.body["Resources"][0]["id"], "userName": "a"})
    );
}

#[test]
fn listing_paging_sorting_and_searching() {
    let h = host_with(ServiceConfig {
        max_results: 2,
        ..ServiceConfig::default()
    });
    for name in ["carol", "alice", "bob"] {
        h.post("/Users", &user(name));
    }
    h.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "admins"}),
    );
    let r = h.get("/Users?count=50");
    assert_eq!(r.body["totalResults"], 3);
    assert_eq!(r.body["itemsPerPage"], 2);
    let r = h.get("/Users?startIndex=3");
    assert_eq!(r.body["Resources"][0]["userName"], "bob");
    let r = h.get("/Users?sortBy=userName&sortOrder=descending&count=1");
    assert_eq!(r.body["Resources"][0]["userName"], "carol");
    assert_error(
        &h.get(&format!("/Users?filter={}", enc("userName eq"))),
        400,
        Some("invalidFilter"),
    );
    let r = h.post(
        "/Users/.search",
        &json!({"schemas": [SEARCH], "filter": "userName sw \"a\""}),
    );
    assert_eq!(r.body["totalResults"], 1);
    let r = h.post("/.search", &json!({"schemas": [SEARCH], "filter": "meta.resourceType eq \"Group\" or userName eq \"bob\""}));
    assert_eq!(r.body["totalResults"], 2, "{}", r.body);
    let r = h.post("/.search", &json!({"schemas": [SEARCH], "count": 0}));
    assert_eq!(
        (
            r.body["totalResults"].as_u64(),
            r.body["itemsPerPage"].as_u64()
        ),
        (Some(4), Some(0))
    );
}

#[test]
fn tenants_are_isolated() {
    let db = MemoryStore::new();
    let acme = Host::new(ServiceConfig::default(), db.tenant("acme"));
    let globex = Host::new(ServiceConfig::default(), db.tenant("globex"));
    acme.post("/Users", &user("first"));
    let id = acme.post("/Users", &user("alice")).id();
    assert_error(&globex.get(&format!("/Users/{id}")), 404, None);
    assert_error(&globex.delete(&format!("/Users/{id}")), 404, None);
    assert_eq!(globex.get("/Users").body["totalResults"], 0);
    assert_eq!(globex.post("/Users", &user("alice")).status, 201);
    let g = globex.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "g", "members": [{"value": id}]}),
    );
    assert_error(&g, 400, Some("invalidValue"));
    assert_eq!(acme.get(&format!("/Users/{id}")).status, 200);
}

#[test]
fn soft_delete_keeps_data_hidden() {
    let h = host_with(ServiceConfig {
        soft_delete: true,
        ..ServiceConfig::default()
    });
    let id = h.post("/Users", &user("alice")).id();
    let gid = h
        .post(
            "/Groups",
            &json!({"schemas": [GROUP], "displayName": "g", "members": [{"value": id}]}),
        )
        .id();
    assert_eq!(h.delete(&format!("/Users/{id}")).status, 204);
    assert_error(&h.get(&format!("/Users/{id}")), 404, None);
    assert_eq!(
        h.get(&format!("/Users?filter={}", enc("active eq false")))
            .body["totalResults"],
        0
    );
    assert!(h
        .get(&format!("/Groups/{gid}"))
        .body
        .get("members")
        .is_none());
    assert_eq!(h.post("/Users", &user("alice")).status, 201);
    // Groups have no `active`: deleting one removes it.
    assert_eq!(h.delete(&format!("/Groups/{gid}")).status, 204);
    assert_eq!(h.store.len("Group"), 0);
}

#[test]
fn nested_groups_and_member_types() {
    let h = host();
    let u = h.post("/Users", &user("u")).id();
    let inner = h
        .post(
            "/Groups",
            &json!({"schemas": [GROUP], "displayName": "inner", "members": [{"value": u}]}),
        )
        .id();
    let outer = h.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "outer",
        "members": [{"value": inner, "type": "Group"}]}),
    );
    assert_eq!(outer.status, 201, "{}", outer.body);
    assert_eq!(
        outer.body["members"][0]["$ref"],
        format!("{BASE}/Groups/{inner}").as_str()
    );
    let wrong = h.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "x",
        "members": [{"value": u, "type": "Group"}]}),
    );
    assert_error(&wrong, 400, Some("invalidValue"));
    // A user lists direct memberships only.
    let groups = h.get(&format!("/Users/{u}")).body["groups"].clone();
    assert_eq!(groups.as_array().map(Vec::len), Some(1));
    // Deleting the inner group removes it from the outer one.
    assert_eq!(h.delete(&format!("/Groups/{inner}")).status, 204);
    assert!(h
        .get(&format!("/Groups/{}", outer.id()))
        .body
        .get("members")
        .is_none());
}
