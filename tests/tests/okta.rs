//! Okta's SCIM 2.0 provisioning sequence, with the request shapes of Okta's SCIM 2.0 reference
//! (connector test, import, create, read, update by PUT, deactivate by path-less PATCH, group
//! push with member add/remove, group rename, group delete).

use scim_e2e::*;
use serde_json::json;

fn okta_user() -> serde_json::Value {
    json!({
        "schemas": [USER],
        "userName": "test.user@okta.local",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
        "displayName": "Test User",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true
    })
}

#[test]
fn okta_user_lifecycle() {
    let h = host();
    // Connection test: Okta lists one user.
    let r = h.get("/Users?startIndex=1&count=1");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["totalResults"], 0);
    assert_eq!(r.body["Resources"], json!([]));

    // Does the user exist?
    let filter = enc("userName eq \"test.user@okta.local\"");
    let r = h.get(&format!("/Users?filter={filter}&startIndex=1&count=100"));
    assert_eq!((r.status, r.body["totalResults"].as_u64()), (200, Some(0)));

    // Create it.
    let created = h.post("/Users", &okta_user());
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    assert_eq!(
        created.header("Location"),
        Some(format!("{BASE}/Users/{id}").as_str())
    );
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["externalId"], "00ujl29u0le5T6Aj10h7");
    assert!(created.body.get("password").is_none());
    assert!(created.body["meta"]["created"].as_str().is_some());

    // Read it back, and find it by userName.
    let r = h.get(&format!("/Users/{id}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["name"]["familyName"], "User");
    let r = h.get(&format!("/Users?filter={filter}&startIndex=1&count=100"));
    assert_eq!(r.body["totalResults"], 1);
    assert_eq!(r.body["Resources"][0]["id"], id.as_str());

    // A second create of the same userName is a conflict.
    let dup = h.post("/Users", &okta_user());
    assert_error(&dup, 409, Some("uniqueness"));

    // Profile update: Okta PUTs the whole user, with id.
    let mut updated = okta_user();
    updated["id"] = json!(id);
    updated["name"]["givenName"] = json!("Another");
    updated["displayName"] = json!("Another User");
    let r = h.put(&format!("/Users/{id}"), &updated);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["name"]["givenName"], "Another");
    assert_eq!(r.body["meta"]["version"], "W/\"2\"");

    // Deactivate: path-less replace.
    let op = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    let r = h.patch(&format!("/Users/{id}"), &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["active"], false);

    // Inactive users are still returned by reads and filters.
    assert_eq!(h.get(&format!("/Users/{id}")).body["active"], false);
    let r = h.get(&format!("/Users?filter={filter}"));
    assert_eq!(r.body["totalResults"], 1);
    let r = h.get(&format!("/Users?filter={}", enc("active eq false")));
    assert_eq!(r.body["totalResults"], 1);

    // Reactivate with a path.
    let op = patch_op(json!([{"op": "replace", "path": "active", "value": true}]));
    assert_eq!(h.patch(&format!("/Users/{id}"), &op).body["active"], true);

    // An unknown id is 404.
    assert_error(&h.get("/Users/010101"), 404, None);
}

#[test]
fn okta_group_push() {
    let h = host();
    let alice = h.post("/Users", &okta_user()).id();
    let mut bob_body = okta_user();
    bob_body["userName"] = json!("bob@okta.local");
    let bob = h.post("/Users", &bob_body).id();

    // Create the group with no members.
    let g = h.post(
        "/Groups",
        &json!({"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []}),
    );
    assert_eq!(g.status, 201, "{}", g.body);
    let gid = g.id();
    let gpath = format!("/Groups/{gid}");

    // Find it by displayName.
    let filter = enc("displayName eq \"Test SCIMv2\"");
    let r = h.get(&format!("/Groups?filter={filter}&startIndex=1&count=100"));
    assert_eq!(r.body["totalResults"], 1);

    // Add members, as Okta sends them.
    let op = patch_op(json!([{"op": "add", "path": "members", "value": [
        {"value": alice, "display": "test.user@okta.local"},
        {"value": bob, "display": "bob@okta.local"}
    ]}]));
    let r = h.patch(&gpath, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["members"].as_array().map(Vec::len), Some(2));
    let member = &r.body["members"][0];
    assert_eq!(member["display"], "test.user@okta.local");
    assert_eq!(member["type"], "User");
    assert_eq!(member["$ref"], format!("{BASE}/Users/{alice}").as_str());

    // The user shows its group.
    let u = h.get(&format!("/Users/{alice}"));
    assert_eq!(u.body["groups"][0]["value"], gid.as_str());
    assert_eq!(u.body["groups"][0]["display"], "Test SCIMv2");
    assert_eq!(u.body["groups"][0]["type"], "direct");

    // Remove one member with a filtered path.
    let op = patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{alice}\"]")}]));
    let r = h.patch(&gpath, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["members"],
        json!([{
            "value": bob, "display": "bob@okta.local", "type": "User",
            "$ref": format!("{BASE}/Users/{bob}")
        }])
    );
    assert!(h
        .get(&format!("/Users/{alice}"))
        .body
        .get("groups")
        .is_none());

    // Rename: Okta's path-less replace carries the id too.
    let op = patch_op(json!([{"op": "replace", "value": {"id": gid, "displayName": "Renamed"}}]));
    let r = h.patch(&gpath, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["displayName"], "Renamed");
    assert_eq!(
        h.get(&format!("/Users/{bob}")).body["groups"][0]["display"],
        "Renamed"
    );

    // Delete the group.
    assert_eq!(h.delete(&gpath).status, 204);
    assert_error(&h.get(&gpath), 404, None);
    assert!(h.get(&format!("/Users/{bob}")).body.get("groups").is_none());
}
