//! Bulk (RFC 7644 §3.7) end to end: bulkId references (forward and circular), a failing
//! operation, failOnErrors, limits.

use scim_core::service::ServiceConfig;
use scim_e2e::*;
use serde_json::{json, Value};

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

fn id_of(op: &Value) -> String {
    op["location"]
        .as_str()
        .and_then(|l| l.rsplit('/').next())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn rfc_example_with_forward_reference_and_a_failing_operation() {
    let h = host();
    let existing = h
        .post(
            "/Users",
            &json!({"schemas": [USER], "userName": "existing"}),
        )
        .id();
    let body = json!({
        "schemas": [BULK_REQUEST],
        "Operations": [
            {"method": "POST", "path": "/Groups", "bulkId": "ytrewq", "data": {
                "schemas": [GROUP], "displayName": "Tour Guides",
                "members": [{"type": "User", "value": "bulkId:qwerty"}]}},
            {"method": "POST", "path": "/Users", "bulkId": "qwerty", "data": {
                "schemas": [USER], "userName": "Alice"}},
            {"method": "POST", "path": "/Users", "bulkId": "dup", "data": {
                "schemas": [USER], "userName": "EXISTING"}},
            {"method": "PATCH", "path": format!("/Users/{existing}"), "data": {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "add", "path": "title", "value": "Guide"}]}},
            {"method": "DELETE", "path": "/Users/bulkId:dup"}
        ]
    });
    let r = h.post("/Bulk", &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["schemas"], json!([BULK_RESPONSE]));
    let ops = r.body["Operations"].as_array().unwrap();
    let statuses: Vec<&str> = ops.iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["201", "201", "409", "200", "409"]);
    assert_eq!(ops[0]["method"], "POST");
    assert_eq!(ops[0]["bulkId"], "ytrewq");
    assert_eq!(ops[2]["response"]["scimType"], "uniqueness");
    assert_eq!(ops[2]["response"]["status"], "409");
    assert_eq!(ops[3]["version"], "W/\"2\"");

    let alice = id_of(&ops[1]);
    let group = h.get(&format!("/Groups/{}", id_of(&ops[0])));
    assert_eq!(group.body["members"][0]["value"], alice.as_str());
    assert_eq!(
        group.body["members"][0]["$ref"],
        format!("{BASE}/Users/{alice}").as_str()
    );
    assert_eq!(
        h.get(&format!("/Users/{alice}")).body["groups"][0]["display"],
        "Tour Guides"
    );
}

#[test]
fn fail_on_errors_stops_processing() {
    let h = host();
    let bad =
        json!({"method": "POST", "path": "/Users", "bulkId": "b", "data": {"schemas": [USER]}});
    let good = |n: &str| {
        json!({"method": "POST", "path": "/Users", "bulkId": n,
                                "data": {"schemas": [USER], "userName": n}})
    };
    let body = json!({"schemas": [BULK_REQUEST], "failOnErrors": 2, "Operations": [
        good("a"), bad.clone(), bad, good("d"), good("e")
    ]});
    let r = h.post("/Bulk", &body);
    let statuses: Vec<&str> = r.body["Operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["201", "400", "400"]);
    assert_eq!(h.get("/Users").body["totalResults"], 1);
}

#[test]
fn circular_group_references_are_resolved() {
    let h = host();
    let group = |bid: &str, other: &str| {
        json!({"method": "POST", "path": "/Groups", "bulkId": bid,
        "data": {"schemas": [GROUP], "displayName": bid, "members": [{"value": format!("bulkId:{other}"), "type": "Group"}]}})
    };
    let body = json!({"schemas": [BULK_REQUEST], "Operations": [group("a", "b"), group("b", "a")]});
    let r = h.post("/Bulk", &body);
    let ops = r.body["Operations"].as_array().unwrap();
    assert_eq!(
        (ops[0]["status"].as_str(), ops[1]["status"].as_str()),
        (Some("201"), Some("201"))
    );
    let (a, b) = (id_of(&ops[0]), id_of(&ops[1]));
    assert_eq!(
        h.get(&format!("/Groups/{a}")).body["members"][0]["value"],
        b.as_str()
    );
    assert_eq!(
        h.get(&format!("/Groups/{b}")).body["members"][0]["value"],
        a.as_str()
    );
    assert_eq!(
        ops[0]["version"],
        h.get(&format!("/Groups/{a}")).body["meta"]["version"]
    );
}

#[test]
fn limits_are_413() {
    let h = host_with(ServiceConfig {
        bulk_max_operations: 2,
        bulk_max_payload_size: 1024,
        ..ServiceConfig::default()
    });
    let op = json!({"method": "DELETE", "path": "/Users/x"});
    let three = json!({"schemas": [BULK_REQUEST], "Operations": [op, op, op]});
    assert_error(&h.post("/Bulk", &three), 413, None);
    let big = json!({"schemas": [BULK_REQUEST], "Operations": [
        {"method": "POST", "path": "/Users", "bulkId": "x",
         "data": {"schemas": [USER], "userName": "x".repeat(2000)}}]});
    assert_error(&h.post("/Bulk", &big), 413, None);
    let one = json!({"schemas": [BULK_REQUEST], "Operations": [op]});
    let r = h.post("/Bulk", &one);
    assert_eq!(r.body["Operations"][0]["status"], "404");
}
