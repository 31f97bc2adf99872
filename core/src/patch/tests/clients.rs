//! The PATCH payloads Microsoft Entra ID and Okta send, exactly as their documentation shows
//! them, each asserting the resulting document.

use serde_json::json;

use super::*;

/// The user Entra's SCIM validator creates before patching.
fn entra_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "5171a35d82074e068ce2",
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com",
        "active": true,
        "displayName": "Test User",
        "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
        "name": {"familyName": "familyName", "givenName": "givenName", "formatted": "givenName familyName"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "1", "department": "Sales"},
        "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z",
                 "lastModified": "2024-01-01T00:00:00Z", "version": "W/\"1\""}
    })
}

/// A group with one member, as Entra and Okta create it.
fn group_with(member: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
        "displayName": "Test SCIMv2",
        "members": [{"value": member, "display": "first.member@example.com"}],
        "meta": {"resourceType": "Group", "created": "2024-01-01T00:00:00Z",
                 "lastModified": "2024-01-01T00:00:00Z", "version": "W/\"1\""}
    })
}

// ---- Microsoft Entra ID ----

#[test]
fn entra_update_user_multi_valued_properties() {
    let out = patched(
        &entra_user(),
        json!([
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
            {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
        ]),
    );
    assert_eq!(
        out["emails"],
        json!([{"primary": true, "type": "work", "value": "updatedEmail@microsoft.com"}])
    );
    assert_eq!(out["name"]["familyName"], "updatedFamilyName");
    assert_eq!(out["name"]["givenName"], "givenName");
}

#[test]
fn entra_update_user_single_valued_property() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Replace", "path": "userName", "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]),
    );
    assert_eq!(
        out["userName"],
        "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    );
}

#[test]
fn entra_disable_user_with_boolean() {
    let out = run(
        &entra_user(),
        json!({"Operations": [{"op": "Replace", "path": "active", "value": false}],
               "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(out.changed);
    assert_eq!(out.resource["active"], false);
}

#[test]
fn entra_disable_user_with_string_false() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
    );
    assert_eq!(out["active"], false);
}

#[test]
fn entra_enable_user_with_string_true_in_pathless_value() {
    let mut user = entra_user();
    user["active"] = json!(false);
    let out = patched(
        &user,
        json!([{"op": "Replace", "value": {"active": "True"}}]),
    );
    assert_eq!(out["active"], true);
}

#[test]
fn entra_string_boolean_for_primary_sub_attribute() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "path": "roles", "value": [{"primary": "True", "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]}]),
    );
    assert_eq!(
        out["roles"],
        json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}])
    );
}

#[test]
fn entra_add_work_email_when_user_has_none() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "someone@contoso.com"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"type": "work", "value": "someone@contoso.com"}])
    );
}

#[test]
fn entra_add_work_email_and_its_primary_flag() {
    let out = patched(
        &minimal_user(),
        json!([
            {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "someone@contoso.com"},
            {"op": "Add", "path": "emails[type eq \"work\"].primary", "value": "True"}
        ]),
    );
    assert_eq!(
        out["emails"],
        json!([{"type": "work", "value": "someone@contoso.com", "primary": true}])
    );
}

#[test]
fn entra_add_work_email_when_it_exists_replaces_its_value() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "new@contoso.com"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"primary": true, "type": "work", "value": "new@contoso.com"}])
    );
}

#[test]
fn entra_add_mobile_phone_number_to_user_without_one() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 425 555 0100"}]),
    );
    assert_eq!(
        out["phoneNumbers"],
        json!([{"type": "mobile", "value": "+1 425 555 0100"}])
    );
}

#[test]
fn entra_replace_work_address_parts_creates_the_address() {
    let out = patched(
        &entra_user(),
        json!([
            {"op": "Replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1 Microsoft Way"},
            {"op": "Replace", "path": "addresses[type eq \"work\"].locality", "value": "Redmond"},
            {"op": "Replace", "path": "addresses[type eq \"work\"].region", "value": "WA"},
            {"op": "Replace", "path": "addresses[type eq \"work\"].postalCode", "value": "98052"},
            {"op": "Replace", "path": "addresses[type eq \"work\"].country", "value": "US"}
        ]),
    );
    assert_eq!(
        out["addresses"],
        json!([{"type": "work", "streetAddress": "1 Microsoft Way", "locality": "Redmond",
                "region": "WA", "postalCode": "98052", "country": "US"}])
    );
}

#[test]
fn entra_replace_work_street_address_of_existing_address() {
    let out = patched(
        &bjensen(),
        json!([{"op": "Replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1 Microsoft Way"}]),
    );
    assert_eq!(out["addresses"][0]["streetAddress"], "1 Microsoft Way");
    assert_eq!(out["addresses"][0]["locality"], "Hollywood");
    assert_eq!(out["addresses"].as_array().map(|a| a.len()), Some(2));
}

#[test]
fn entra_add_given_name() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "Add", "path": "name.givenName", "value": "Jane"}]),
    );
    assert_eq!(out["name"], json!({"givenName": "Jane"}));
}

#[test]
fn entra_add_nickname_with_capitalised_op() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "path": "nickName", "value": "Babs"}]),
    );
    assert_eq!(out["nickName"], "Babs");
}

#[test]
fn entra_pathless_replace_with_path_keys() {
    let out = patched(
        &entra_user(),
        json!([{"op": "replace", "value": {
            "displayName": "Pvlo",
            "emails[type eq \"work\"].value": "TestBcwqnm@test.microsoft.com",
            "name.givenName": "Gtfd",
            "name.familyName": "Pkqf",
            "externalId": "Eqpj",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Wfgh"
        }}]),
    );
    let mut expected = entra_user();
    expected["displayName"] = json!("Pvlo");
    expected["emails"][0]["value"] = json!("TestBcwqnm@test.microsoft.com");
    expected["name"]["givenName"] = json!("Gtfd");
    expected["name"]["familyName"] = json!("Pkqf");
    expected["externalId"] = json!("Eqpj");
    expected[ENTERPRISE]["employeeNumber"] = json!("Wfgh");
    assert_eq!(out, expected);
}

#[test]
fn entra_separate_replaces_equal_the_pathless_form() {
    let ops = json!([
        {"op": "Replace", "path": "displayName", "value": "Pvlo"},
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "TestBcwqnm@test.microsoft.com"},
        {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
        {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
        {"op": "Replace", "path": "externalId", "value": "Eqpj"},
        {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "Wfgh"}
    ]);
    let separate = patched(&entra_user(), ops);
    let pathless = patched(
        &entra_user(),
        json!([{"op": "replace", "value": {
            "displayName": "Pvlo",
            "emails[type eq \"work\"].value": "TestBcwqnm@test.microsoft.com",
            "name.givenName": "Gtfd",
            "name.familyName": "Pkqf",
            "externalId": "Eqpj",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Wfgh"
        }}]),
    );
    assert_eq!(separate, pathless);
}

#[test]
fn entra_pathless_add_with_urn_keys_on_user_without_extension() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "Add", "value": {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "1234",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Finance"
        }}]),
    );
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "1234", "department": "Finance"})
    );
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE])
    );
}

#[test]
fn entra_pathless_manager_key_with_plain_id() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "value": {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": "26118915-6090-4610-87e4-49d8ca9f808d"
        }}]),
    );
    assert_eq!(
        out[ENTERPRISE]["manager"],
        json!({"value": "26118915-6090-4610-87e4-49d8ca9f808d"})
    );
}

#[test]
fn entra_set_manager_with_plain_id() {
    let out = patched(
        &entra_user(),
        json!([{"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": "26118915-6090-4610-87e4-49d8ca9f808d"}]),
    );
    assert_eq!(
        out[ENTERPRISE]["manager"],
        json!({"value": "26118915-6090-4610-87e4-49d8ca9f808d"})
    );
    assert_eq!(out[ENTERPRISE]["employeeNumber"], "1");
}

#[test]
fn entra_replace_manager_with_plain_id_keeps_other_sub_attributes() {
    let out = patched(
        &bjensen(),
        json!([{"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": "00000000-6090-4610-87e4-49d8ca9f808d"}]),
    );
    assert_eq!(
        out[ENTERPRISE]["manager"]["value"],
        "00000000-6090-4610-87e4-49d8ca9f808d"
    );
}

#[test]
fn entra_set_manager_as_object() {
    let out = patched(
        &entra_user(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}]),
    );
    assert_eq!(
        out[ENTERPRISE]["manager"],
        json!({"value": "26118915-6090-4610-87e4-49d8ca9f808d"})
    );
}

#[test]
fn entra_remove_manager() {
    let out = patched(
        &bjensen(),
        json!([{"op": "Remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]),
    );
    assert!(out[ENTERPRISE].get("manager").is_none());
    assert_eq!(out[ENTERPRISE]["department"], "Tour Operations");
}

#[test]
fn entra_remove_manager_with_value() {
    let out = patched(
        &bjensen(),
        json!([{"op": "Remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": [{"value": "26118915-6090-4610-87e4-49d8ca9f808d"}]}]),
    );
    assert!(out[ENTERPRISE].get("manager").is_none());
}

#[test]
fn entra_update_group_display_name() {
    let out = patched(
        &group_with("f648f8d5ea4e4cd38e9c"),
        json!([{"op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]),
    );
    assert_eq!(
        out["displayName"],
        "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    );
    assert_eq!(
        out["members"],
        group_with("f648f8d5ea4e4cd38e9c")["members"]
    );
}

#[test]
fn entra_add_member_with_null_ref() {
    let out = patched(
        &group_with("a1"),
        json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "f648f8d5ea4e4cd38e9c"}]}]),
    );
    assert_eq!(
        out["members"],
        json!([{"value": "a1", "display": "first.member@example.com"}, {"value": "f648f8d5ea4e4cd38e9c"}])
    );
}

#[test]
fn entra_add_member_to_group_without_members() {
    let mut group = group_with("a1");
    group.as_object_mut().unwrap().remove("members");
    let out = patched(
        &group,
        json!([{"op": "Add", "path": "members", "value": [{"value": "f648f8d5ea4e4cd38e9c"}]}]),
    );
    assert_eq!(out["members"], json!([{"value": "f648f8d5ea4e4cd38e9c"}]));
}

#[test]
fn entra_remove_member_listed_in_value() {
    let mut group = group_with("a1");
    group["members"]
        .as_array_mut()
        .unwrap()
        .push(json!({"value": "f648f8d5ea4e4cd38e9c"}));
    let out = patched(
        &group,
        json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "f648f8d5ea4e4cd38e9c"}]}]),
    );
    assert_eq!(out["members"], group_with("a1")["members"]);
}

#[test]
fn entra_remove_last_listed_member_unassigns_members() {
    let out = patched(
        &group_with("f648f8d5ea4e4cd38e9c"),
        json!([{"op": "Remove", "path": "members", "value": [{"value": "f648f8d5ea4e4cd38e9c"}]}]),
    );
    assert!(out.get("members").is_none());
}

#[test]
fn entra_remove_listed_member_that_is_absent_changes_nothing() {
    let out = run(
        &group_with("a1"),
        body(json!([{"op": "Remove", "path": "members", "value": [{"value": "not-there"}]}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(!out.changed);
}

#[test]
fn strict_remove_with_value_list_removes_all_members_as_the_rfc_says() {
    let out = run(
        &group_with("a1"),
        body(json!([{"op": "remove", "path": "members", "value": [{"value": "other"}]}])),
        &PatchOptions::STRICT,
    )
    .unwrap();
    assert!(out.resource.get("members").is_none());
}

#[test]
fn entra_remove_member_by_filter() {
    let out = patched(
        &group_with("7f4bc1a3-285e-48ae-8202-5accb43efb0e"),
        json!([{"op": "remove", "path": "members[value eq \"7f4bc1a3-285e-48ae-8202-5accb43efb0e\"]"}]),
    );
    assert!(out.get("members").is_none());
}

// ---- Okta ----

#[test]
fn okta_deactivate_user_pathless() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "value": {"active": false}}]),
    );
    let mut expected = bjensen();
    expected["active"] = json!(false);
    assert_eq!(out, expected);
}

#[test]
fn okta_reactivate_user_pathless() {
    let mut user = bjensen();
    user["active"] = json!(false);
    let out = patched(&user, json!([{"op": "replace", "value": {"active": true}}]));
    assert_eq!(out, bjensen());
}

#[test]
fn okta_deactivate_user_with_path() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "active", "value": false}]),
    );
    assert_eq!(out["active"], false);
}

#[test]
fn okta_password_push_pathless() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "replace", "value": {"password": "t1meMa$heen"}}]),
    );
    assert_eq!(out["password"], "t1meMa$heen");
}

#[test]
fn okta_profile_push_pathless_replace() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "value": {
            "name": {"givenName": "Barbara", "familyName": "Jensen-Smith"},
            "emails": [{"primary": true, "value": "bjensen-smith@example.com", "type": "work"}],
            "displayName": "Barbara Jensen-Smith"
        }}]),
    );
    assert_eq!(out["name"]["familyName"], "Jensen-Smith");
    assert_eq!(out["name"]["middleName"], "Jane");
    assert_eq!(
        out["emails"],
        json!([{"primary": true, "value": "bjensen-smith@example.com", "type": "work"}])
    );
    assert_eq!(out["displayName"], "Barbara Jensen-Smith");
}

#[test]
fn okta_rename_group_pathless_with_id() {
    let out = patched(
        &group_with("a1"),
        json!([{"op": "replace", "value": {"id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", "displayName": "Test SCIMv2 renamed"}}]),
    );
    assert_eq!(out["displayName"], "Test SCIMv2 renamed");
    assert_eq!(out["id"], "abf4dd94-a4c0-4f67-89c9-76b03340cb9b");
}

#[test]
fn okta_add_member_with_display() {
    let out = patched(
        &group_with("89bb1940-b905-4575-9e7f-6f887cfb368e"),
        json!([{"op": "add", "path": "members", "value": [
            {"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}]}]),
    );
    assert_eq!(
        out["members"],
        json!([{"value": "89bb1940-b905-4575-9e7f-6f887cfb368e", "display": "first.member@example.com"},
               {"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}])
    );
}

#[test]
fn okta_add_existing_member_with_new_display_keeps_the_member_once() {
    let out = run(
        &group_with("89bb1940-b905-4575-9e7f-6f887cfb368e"),
        body(json!([{"op": "add", "path": "members", "value": [
            {"value": "89bb1940-b905-4575-9e7f-6f887cfb368e", "display": "renamed@okta.local"}]}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(
        !out.changed,
        "members sub-attributes are immutable: the member stays as it was"
    );
    assert_eq!(out.resource["members"].as_array().map(|m| m.len()), Some(1));
}

#[test]
fn okta_remove_member_by_filter() {
    let mut group = group_with("89bb1940-b905-4575-9e7f-6f887cfb368e");
    group["members"].as_array_mut().unwrap().push(
        json!({"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}),
    );
    let out = patched(
        &group,
        json!([{"op": "remove", "path": "members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"}]),
    );
    assert_eq!(
        out["members"],
        json!([{"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}])
    );
}

#[test]
fn okta_remove_and_add_members_in_one_request() {
    let out = patched(
        &group_with("89bb1940-b905-4575-9e7f-6f887cfb368e"),
        json!([
            {"op": "remove", "path": "members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"},
            {"op": "add", "path": "members", "value": [
                {"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}]}
        ]),
    );
    assert_eq!(
        out["members"],
        json!([{"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"}])
    );
}

#[test]
fn okta_replace_all_members() {
    let out = patched(
        &group_with("89bb1940-b905-4575-9e7f-6f887cfb368e"),
        json!([{"op": "replace", "path": "members", "value": [
            {"value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local"},
            {"value": "0de2c8c6-2e19-47d4-a4f6-3a0f0a1b2c3d", "display": "other.user@okta.local"}]}]),
    );
    assert_eq!(out["members"].as_array().map(|m| m.len()), Some(2));
    assert_eq!(
        out["members"][0]["value"],
        "23a35c27-23d3-4c03-b4c5-6443c09e7173"
    );
}

#[test]
fn single_member_object_instead_of_array_is_one_member() {
    let out = patched(
        &group_with("a1"),
        json!([{"op": "add", "path": "members", "value": {"value": "b2", "display": "b"}}]),
    );
    assert_eq!(out["members"][1], json!({"value": "b2", "display": "b"}));
}

#[test]
fn plain_ids_as_members_become_member_values() {
    let out = patched(
        &group_with("a1"),
        json!([{"op": "add", "path": "members", "value": ["b2", "c3"]}]),
    );
    assert_eq!(out["members"][1], json!({"value": "b2"}));
    assert_eq!(out["members"][2], json!({"value": "c3"}));
}

#[test]
fn unmatched_and_combined_eq_filter_creates_the_value_with_every_term() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "Add", "path": "emails[type eq \"work\" and primary eq true].value", "value": "w@contoso.com"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"type": "work", "primary": true, "value": "w@contoso.com"}])
    );
}

#[test]
fn unmatched_filter_replace_with_whole_value_creates_it_with_the_filter_terms() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]",
                "value": {"streetAddress": "1 Main St", "locality": "Springfield"}}]),
    );
    assert_eq!(
        out["addresses"],
        json!([{"type": "work", "streetAddress": "1 Main St", "locality": "Springfield"}])
    );
}

#[test]
fn created_primary_value_clears_the_previous_primary() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "emails[type eq \"other\" and primary eq true].value", "value": "o@example.com"}]),
    );
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(
        out["emails"][2],
        json!({"type": "other", "primary": true, "value": "o@example.com"})
    );
}
