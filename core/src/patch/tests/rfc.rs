//! The examples and rules of RFC 7644 §3.5.2, each asserting the resulting document.

use serde_json::json;

use super::*;

#[test]
fn rfc_add_member_to_group_appends_it() {
    let mut group = tour_guides();
    group["members"].as_array_mut().unwrap().remove(0);
    let out = patched(
        &group,
        json!([{"op": "add", "path": "members", "value": [{
            "display": "Babs Jensen",
            "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "value": "2819c223-7f76-453a-919d-413861904646"}]}]),
    );
    assert_eq!(
        out["members"],
        tour_guides()["members"]
            .as_array()
            .map(|m| json!([m[1], m[0]]))
            .unwrap()
    );
}

#[test]
fn rfc_add_existing_member_changes_nothing() {
    let group = tour_guides();
    let out = run(
        &group,
        body(json!([{"op": "add", "path": "members", "value": [{
            "display": "Babs Jensen",
            "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "value": "2819c223-7f76-453a-919d-413861904646"}]}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(!out.changed);
    assert_eq!(out.resource, group);
}

#[test]
fn rfc_pathless_add_appends_email_and_sets_nickname() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "add", "value": {
            "emails": [{"value": "babs@jensen.org", "type": "home"}],
            "nickname": "Babs"}}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
    assert_eq!(out["nickName"], "Babs");
    assert!(
        out.get("nickname").is_none(),
        "names are written in canonical case"
    );
}

#[test]
fn rfc_pathless_add_of_present_email_replaces_only_nickname() {
    let mut user = bjensen();
    user["nickName"] = json!("Barb");
    let out = patched(
        &user,
        json!([{"op": "add", "value": {
            "emails": [{"value": "babs@jensen.org", "type": "home"}],
            "nickname": "Babs"}}]),
    );
    assert_eq!(out["emails"], bjensen()["emails"]);
    assert_eq!(out, bjensen());
}

#[test]
fn rfc_add_single_valued_replaces_existing_value() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "title", "value": "Lead Guide"}]),
    );
    assert_eq!(out["title"], "Lead Guide");
}

#[test]
fn rfc_add_complex_merges_sub_attributes() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "name", "value": {"givenName": "Babs", "middleName": null}}]),
    );
    assert_eq!(
        out["name"],
        json!({"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Babs",
               "honorificPrefix": "Ms.", "honorificSuffix": "III"})
    );
}

#[test]
fn rfc_add_primary_email_clears_previous_primary() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "babs@universal.example", "type": "work", "primary": true}]}]),
    );
    assert_eq!(
        out["emails"],
        json!([
            {"value": "bjensen@example.com", "type": "work", "primary": false},
            {"value": "babs@jensen.org", "type": "home"},
            {"value": "babs@universal.example", "type": "work", "primary": true}
        ])
    );
}

#[test]
fn rfc_add_same_email_with_primary_merges_into_existing_value() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "BABS@jensen.org", "type": "home", "primary": true}]}]),
    );
    assert_eq!(
        out["emails"],
        json!([
            {"value": "bjensen@example.com", "type": "work", "primary": false},
            {"value": "babs@jensen.org", "type": "home", "primary": true}
        ])
    );
}

#[test]
fn rfc_remove_all_members() {
    let out = patched(&tour_guides(), json!([{"op": "remove", "path": "members"}]));
    assert!(out.get("members").is_none());
    assert_eq!(out["displayName"], "Tour Guides");
}

#[test]
fn rfc_remove_single_member() {
    let out = patched(
        &tour_guides(),
        json!([{"op": "remove", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]),
    );
    assert_eq!(out["members"], json!([tour_guides()["members"][1]]));
}

#[test]
fn rfc_remove_emails_by_type_and_domain() {
    let out = patched(
        &bjensen(),
        json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
}

#[test]
fn rfc_remove_multiple_members_in_one_request() {
    let out = patched(
        &tour_guides(),
        json!([
            {"op": "remove", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"},
            {"op": "remove", "path": "members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"]"}
        ]),
    );
    assert!(
        out.get("members").is_none(),
        "no values left: the attribute is unassigned"
    );
}

#[test]
fn rfc_remove_then_add_replaces_all_members() {
    let new_members = json!([
        {"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
         "value": "2819c223-7f76-453a-919d-413861904646"},
        {"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d-121c-4561-8b96-473d93df9210",
         "value": "08e1d05d-121c-4561-8b96-473d93df9210"}
    ]);
    let out = patched(
        &tour_guides(),
        json!([{"op": "remove", "path": "members"}, {"op": "add", "path": "members", "value": new_members}]),
    );
    assert_eq!(out["members"], new_members);
}

#[test]
fn rfc_replace_all_members() {
    let new_members = json!([
        {"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
         "value": "2819c223-7f76-453a-919d-413861904646"},
        {"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d-121c-4561-8b96-473d93df9210",
         "value": "08e1d05d-121c-4561-8b96-473d93df9210"}
    ]);
    let out = patched(
        &tour_guides(),
        json!([{"op": "replace", "path": "members", "value": new_members}]),
    );
    assert_eq!(out["members"], new_members);
}

#[test]
fn rfc_replace_work_address() {
    let address = json!({
        "type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood",
        "region": "CA", "postalCode": "91608", "country": "US",
        "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US", "primary": true});
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": address}]),
    );
    assert_eq!(
        out["addresses"],
        json!([address, bjensen()["addresses"][1]])
    );
}

#[test]
fn rfc_replace_work_street_address() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
    );
    let mut expected = bjensen();
    expected["addresses"][0]["streetAddress"] = json!("1010 Broadway Ave");
    assert_eq!(out, expected);
}

#[test]
fn rfc_pathless_replace_of_emails_and_nickname() {
    let mut user = minimal_user();
    user["emails"] = json!([{"value": "old@example.com", "type": "work"}]);
    let out = patched(
        &user,
        json!([{"op": "replace", "value": {
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                       {"value": "babs@jensen.org", "type": "home"}],
            "nickname": "Babs"}}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}])
    );
    assert_eq!(out["nickName"], "Babs");
}

#[test]
fn replace_of_missing_attribute_adds_it() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "replace", "path": "title", "value": "Guide"}]),
    );
    assert_eq!(out["title"], "Guide");
}

#[test]
fn replace_of_complex_keeps_unnamed_sub_attributes() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "name", "value": {"familyName": "Smith"}}]),
    );
    let mut expected = bjensen();
    expected["name"]["familyName"] = json!("Smith");
    assert_eq!(out, expected);
}

#[test]
fn replace_with_same_value_reports_no_change() {
    let out = run(
        &bjensen(),
        body(json!([{"op": "replace", "path": "displayName", "value": "Babs Jensen"}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(!out.changed);
    assert_eq!(out.resource, bjensen());
}

#[test]
fn add_then_remove_reports_no_change() {
    let out = run(
        &minimal_user(),
        body(json!([{"op": "add", "path": "title", "value": "x"}, {"op": "remove", "path": "title"}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(!out.changed);
}

#[test]
fn remove_single_valued_attribute() {
    let out = patched(&bjensen(), json!([{"op": "remove", "path": "nickName"}]));
    assert!(out.get("nickName").is_none());
}

#[test]
fn remove_sub_attribute_of_complex() {
    let out = patched(
        &bjensen(),
        json!([{"op": "remove", "path": "name.middleName"}]),
    );
    assert!(out["name"].get("middleName").is_none());
    assert_eq!(out["name"]["givenName"], "Barbara");
}

#[test]
fn removing_last_sub_attribute_unassigns_the_complex_attribute() {
    let mut user = minimal_user();
    user["name"] = json!({"givenName": "A"});
    let out = patched(&user, json!([{"op": "remove", "path": "name.givenName"}]));
    assert!(out.get("name").is_none());
}

#[test]
fn remove_sub_attribute_of_filtered_values() {
    let out = patched(
        &bjensen(),
        json!([{"op": "remove", "path": "addresses[type eq \"work\"].streetAddress"}]),
    );
    assert!(out["addresses"][0].get("streetAddress").is_none());
    assert_eq!(out["addresses"][0]["locality"], "Hollywood");
    assert_eq!(out["addresses"][1], bjensen()["addresses"][1]);
}

#[test]
fn remove_filtered_values_matching_several() {
    let mut user = bjensen();
    user["phoneNumbers"] = json!([
        {"value": "1", "type": "work"}, {"value": "2", "type": "mobile"}, {"value": "3", "type": "work"}]);
    let out = patched(
        &user,
        json!([{"op": "remove", "path": "phoneNumbers[type eq \"work\"]"}]),
    );
    assert_eq!(
        out["phoneNumbers"],
        json!([{"value": "2", "type": "mobile"}])
    );
}

#[test]
fn replace_filtered_values_replaces_every_match() {
    let mut user = bjensen();
    user["phoneNumbers"] = json!([
        {"value": "1", "type": "work"}, {"value": "2", "type": "mobile"}, {"value": "3", "type": "work"}]);
    let out = patched(
        &user,
        json!([{"op": "replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "9"}]),
    );
    assert_eq!(
        out["phoneNumbers"],
        json!([{"value": "9", "type": "work"}, {"value": "2", "type": "mobile"}, {"value": "9", "type": "work"}])
    );
}

#[test]
fn replace_filtered_primary_moves_the_primary_flag() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    );
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(out["emails"][1]["primary"], true);
}

#[test]
fn enterprise_attribute_by_urn_path() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                "value": "Sales"}]),
    );
    assert_eq!(out[ENTERPRISE]["department"], "Sales");
    assert_eq!(out[ENTERPRISE]["costCenter"], "4130");
}

#[test]
fn enterprise_sub_attribute_by_urn_path() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                "value": "f0"}]),
    );
    assert_eq!(out[ENTERPRISE]["manager"]["value"], "f0");
    assert_eq!(out[ENTERPRISE]["manager"]["displayName"], "John Smith");
}

#[test]
fn core_urn_qualified_path() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:displayName", "value": "B"}]),
    );
    assert_eq!(out["displayName"], "B");
}

#[test]
fn core_urn_qualified_sub_attribute_path() {
    let out = patched(
        &bjensen(),
        json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "value": "B"}]),
    );
    assert_eq!(out["name"]["givenName"], "B");
}

#[test]
fn add_to_enterprise_extension_creates_it_and_lists_its_schema() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                "value": "42"}]),
    );
    assert_eq!(out[ENTERPRISE], json!({"employeeNumber": "42"}));
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE])
    );
}

#[test]
fn add_whole_extension_object_by_bare_urn() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "add", "path": ENTERPRISE, "value": {"Department": "Ops", "manager": {"value": "m1"}}}]),
    );
    assert_eq!(
        out[ENTERPRISE],
        json!({"department": "Ops", "manager": {"value": "m1"}})
    );
    assert_eq!(out["schemas"][1], ENTERPRISE);
}

#[test]
fn replace_whole_extension_object_merges_attributes() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": ENTERPRISE, "value": {"division": "Parks"}}]),
    );
    assert_eq!(out[ENTERPRISE]["division"], "Parks");
    assert_eq!(out[ENTERPRISE]["employeeNumber"], "701984");
}

#[test]
fn pathless_add_with_extension_urn_key() {
    let out = patched(
        &minimal_user(),
        json!([{"op": "add", "value": {ENTERPRISE: {"costCenter": "77"}, "title": "T"}}]),
    );
    assert_eq!(out[ENTERPRISE], json!({"costCenter": "77"}));
    assert_eq!(out["title"], "T");
    assert_eq!(out["schemas"][1], ENTERPRISE);
}

#[test]
fn remove_whole_extension_unlists_its_schema() {
    let out = patched(&bjensen(), json!([{"op": "remove", "path": ENTERPRISE}]));
    assert!(out.get(ENTERPRISE).is_none());
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

#[test]
fn removing_last_extension_attribute_unlists_the_extension() {
    let mut user = minimal_user();
    user["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    user[ENTERPRISE] = json!({"department": "Ops"});
    let out = patched(
        &user,
        json!([{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}]),
    );
    assert_eq!(out, {
        let mut u = minimal_user();
        u["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User"]);
        u
    });
}

#[test]
fn names_in_paths_and_values_are_case_insensitive() {
    let out = patched(
        &bjensen(),
        json!([
            {"op": "replace", "path": "DISPLAYNAME", "value": "B"},
            {"op": "replace", "path": "Name.GivenName", "value": "G"},
            {"op": "replace", "path": "EMAILS[TYPE eq \"work\"].VALUE", "value": "w@example.com"},
            {"op": "add", "path": "phonenumbers", "value": [{"VALUE": "1", "Type": "home"}]}
        ]),
    );
    assert_eq!(out["displayName"], "B");
    assert_eq!(out["name"]["givenName"], "G");
    assert_eq!(out["emails"][0]["value"], "w@example.com");
    assert_eq!(
        out["phoneNumbers"][2],
        json!({"value": "1", "type": "home"})
    );
}

#[test]
fn filter_string_comparison_ignores_case_of_case_insensitive_sub_attributes() {
    let out = patched(
        &bjensen(),
        json!([{"op": "remove", "path": "emails[type eq \"WORK\"]"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
}

#[test]
fn operations_apply_in_order_on_the_result_of_the_previous() {
    let out = patched(
        &minimal_user(),
        json!([
            {"op": "add", "path": "emails", "value": [{"value": "a@example.com", "type": "work"}]},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@example.com"},
            {"op": "add", "path": "emails[value eq \"b@example.com\"].primary", "value": true}
        ]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "b@example.com", "type": "work", "primary": true}])
    );
}

#[test]
fn explicit_null_replace_unassigns_attribute() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "nickName", "value": null}]),
    );
    assert!(out.get("nickName").is_none());
}

#[test]
fn replace_multi_valued_with_empty_array_unassigns_it() {
    let out = patched(
        &bjensen(),
        json!([{"op": "replace", "path": "phoneNumbers", "value": []}]),
    );
    assert!(out.get("phoneNumbers").is_none());
}

#[test]
fn immutable_member_attributes_may_be_set_when_new() {
    let out = patched(
        &tour_guides(),
        json!([{"op": "add", "path": "members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].type",
                "value": "User"}]),
    );
    assert_eq!(out["members"][1]["type"], "User");
}

#[test]
fn readonly_attribute_written_with_its_current_value_is_accepted() {
    let out = run(
        &tour_guides(),
        body(
            json!([{"op": "replace", "value": {"id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
                                                 "displayName": "Tour Guides"}}]),
        ),
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(!out.changed);
}

#[test]
fn schemas_add_of_known_extension_urn() {
    let out = run(
        &minimal_user(),
        body(json!([{"op": "add", "path": "schemas", "value": [ENTERPRISE]}])),
        &PatchOptions::default(),
    )
    .unwrap();
    assert_eq!(
        out.resource["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE])
    );
}

#[test]
fn in_place_application_matches_copying_application() {
    let ops = body(json!([
        {"op": "add", "path": "emails", "value": [{"value": "n@example.com", "type": "other", "primary": true}]},
        {"op": "remove", "path": "phoneNumbers[type eq \"mobile\"]"},
        {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "R"}
    ]));
    let request = PatchRequest::parse(&ops, &PatchOptions::default()).unwrap();
    let rt = rt_of(&bjensen());
    let copied = apply(
        &bjensen(),
        &request,
        registry(),
        rt,
        &PatchOptions::default(),
    )
    .unwrap();
    let mut user = bjensen();
    let changed = crate::patch::apply_in_place(
        &mut user,
        &request,
        registry(),
        rt,
        &PatchOptions::default(),
    )
    .unwrap();
    assert!(changed && copied.changed);
    assert_eq!(user, copied.resource);
}

#[test]
fn urn_qualified_filtered_path() {
    let out = patched(
        &tour_guides(),
        json!([{"op": "remove",
                "path": "urn:ietf:params:scim:schemas:core:2.0:Group:members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"]"}]),
    );
    assert_eq!(out["members"], json!([tour_guides()["members"][0]]));
}

#[test]
fn pathless_add_of_members_to_group() {
    let out = patched(
        &tour_guides(),
        json!([{"op": "add", "value": {"members": [{"value": "n3", "display": "New"}]}}]),
    );
    assert_eq!(out["members"][2], json!({"value": "n3", "display": "New"}));
}
