//! Microsoft Entra ID's SCIM provisioning sequence, with the request shapes of Microsoft's
//! "develop a SCIM endpoint" tutorial: lookups by `userName` and `externalId`, create with
//! `meta` and empty `roles`, capitalised PATCH ops, `"False"` strings, manager by id, group
//! membership with `"$ref": null`, `excludedAttributes=members`.

use scim_core::service::ServiceConfig;
use scim_e2e::*;
use serde_json::json;

fn entra_user(name: &str, external: &str) -> serde_json::Value {
    json!({
        "schemas": [USER, ENTERPRISE],
        "externalId": external,
        "userName": name,
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": format!("{name}@testuser.com")}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": []
    })
}

#[test]
fn entra_user_lifecycle() {
    let h = host();
    let name = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1";
    let external = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef";

    // Matching: Entra looks the user up by its matching attribute first.
    let by_name = format!("/Users?filter={}", enc(&format!("userName eq \"{name}\"")));
    let r = h.get(&by_name);
    assert_eq!((r.status, r.body["totalResults"].as_u64()), (200, Some(0)));
    assert_eq!(r.body["Resources"], json!([]));
    let by_ext = format!(
        "/Users?filter={}",
        enc(&format!("externalId eq \"{external}\""))
    );
    assert_eq!(h.get(&by_ext).body["totalResults"], 0);

    // Create.
    let created = h.post("/Users", &entra_user(name, external));
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    let path = format!("/Users/{id}");
    assert_eq!(created.body["meta"]["resourceType"], "User");
    assert!(created.body.get("roles").is_none());

    // Found by both attributes; the userName match ignores case.
    assert_eq!(h.get(&by_ext).body["Resources"][0]["id"], id.as_str());
    let upper = format!(
        "/Users?filter={}",
        enc(&format!("userName eq \"{}\"", name.to_uppercase()))
    );
    assert_eq!(h.get(&upper).body["totalResults"], 1);

    // Duplicate create is 409.
    assert_error(
        &h.post("/Users", &entra_user(name, "other")),
        409,
        Some("uniqueness"),
    );

    // Update attributes the way Entra does (capitalised ops, filtered path).
    let op = patch_op(json!([
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
    ]));
    let r = h.patch(&path, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["emails"][0]["value"], "updatedEmail@microsoft.com");
    assert_eq!(r.body["name"]["familyName"], "updatedFamilyName");

    // Add a work address that does not exist yet (Entra expects it to be created).
    let op = patch_op(json!([
        {"op": "Add", "path": "addresses[type eq \"work\"].streetAddress", "value": "1 Main St"}
    ]));
    let r = h.patch(&path, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["addresses"][0]["streetAddress"], "1 Main St");

    // Manager by id, then removed.
    let boss = h.post("/Users", &entra_user("boss", "boss-ext")).id();
    let manager = format!("{ENTERPRISE}:manager");
    let op = patch_op(json!([{"op": "Add", "path": manager, "value": boss}]));
    let r = h.patch(&path, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body[ENTERPRISE]["manager"]["value"], boss.as_str());
    let op = patch_op(json!([{"op": "Remove", "path": manager}]));
    let r = h.patch(&path, &op);
    assert!(r
        .body
        .get(ENTERPRISE)
        .is_none_or(|e| e.get("manager").is_none()));

    // Disable with the string "False" Entra sends.
    let op = patch_op(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    let r = h.patch(&path, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["active"], false);
    assert_eq!(h.get(&by_name).body["Resources"][0]["active"], false);

    // Delete, then the user is gone.
    assert_eq!(h.delete(&path).status, 204);
    assert_error(&h.get(&path), 404, None);
    assert_eq!(h.get(&by_name).body["totalResults"], 0);
}

#[test]
fn entra_group_lifecycle() {
    let h = host();
    let user = h.post("/Users", &entra_user("member1", "m1")).id();
    let group = json!({
        "schemas": [GROUP],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "displayName",
        "meta": {"resourceType": "Group"}
    });
    let created = h.post("/Groups", &group);
    assert_eq!(created.status, 201, "{}", created.body);
    let gid = created.id();
    let gpath = format!("/Groups/{gid}");

    // Lookups without members.
    let r = h.get(&format!("{gpath}?excludedAttributes=members"));
    assert_eq!(
        (r.status, r.body["displayName"].as_str()),
        (200, Some("displayName"))
    );
    let filter = enc("displayName eq \"displayName\"");
    let r = h.get(&format!(
        "/Groups?excludedAttributes=members&filter={filter}"
    ));
    assert_eq!(r.body["totalResults"], 1);

    // Add a member with "$ref": null.
    let op = patch_op(
        json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": user}]}]),
    );
    let r = h.patch(&gpath, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["members"][0]["$ref"],
        format!("{BASE}/Users/{user}").as_str()
    );
    let r = h.get(&format!(
        "/Groups?filter={}",
        enc(&format!("members.value eq \"{user}\""))
    ));
    assert_eq!(r.body["totalResults"], 1);

    // A member that does not exist is refused.
    let op = patch_op(json!([{"op": "Add", "path": "members", "value": [{"value": "ghost"}]}]));
    assert_error(&h.patch(&gpath, &op), 400, Some("invalidValue"));

    // Rename.
    let op = patch_op(
        json!([{"op": "Replace", "path": "displayName", "value": "1879db59updatedDisplayName"}]),
    );
    assert_eq!(
        h.patch(&gpath, &op).body["displayName"],
        "1879db59updatedDisplayName"
    );

    // Remove the member the way Entra does (path members + value list).
    let op = patch_op(
        json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": user}]}]),
    );
    let r = h.patch(&gpath, &op);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.get("members").is_none());

    assert_eq!(h.delete(&gpath).status, 204);
    assert_error(&h.delete(&gpath), 404, None);
}

#[test]
fn entra_lenient_tenant_accepts_unquoted_filter_and_unknown_attributes() {
    let h = host_with(ServiceConfig {
        lenient: true,
        ..ServiceConfig::default()
    });
    let mut body = entra_user("jyoung", "jyoung-ext");
    body["urn:ietf:params:scim:schemas:extension:custom:2.0:User"] = json!({"x": 1});
    body["nickName2"] = json!("unknown attribute");
    let r = h.post("/Users", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let r = h.get(&format!(
        "/Users?filter={}",
        enc("externalId eq jyoung-ext")
    ));
    assert_eq!(r.body["totalResults"], 1, "{}", r.body);

    let strict = host();
    assert_error(&strict.post("/Users", &body), 400, Some("invalidValue"));
    let r = strict.get(&format!(
        "/Users?filter={}",
        enc("externalId eq jyoung-ext")
    ));
    assert_error(&r, 400, Some("invalidFilter"));
}
