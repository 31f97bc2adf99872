//! Two requests racing on one resource, interleaved at every storage call: no update is lost.
//! Without `If-Match` the loser of the compare-and-swap re-reads and re-applies its change;
//! with `If-Match` it gets 412.

use scim_core::service::{MemoryStore, ServiceConfig};
use scim_e2e::*;
use serde_json::json;

fn racing_host() -> Host<YieldingStore<MemoryStore>> {
    Host::new(
        ServiceConfig::default(),
        YieldingStore::new(MemoryStore::new()),
    )
}

#[test]
fn concurrent_patches_of_different_attributes_both_land() {
    let h = racing_host();
    let id = h
        .post("/Users", &json!({"schemas": [USER], "userName": "alice"}))
        .id();
    let path = format!("/Users/{id}");
    let title = patch_op(json!([{"op": "add", "path": "title", "value": "Engineer"}]));
    let nick = patch_op(json!([{"op": "add", "path": "nickName", "value": "Al"}]));
    let (a, b) = join(
        h.send("PATCH", &path, Some(&title), &[]),
        h.send("PATCH", &path, Some(&nick), &[]),
    );
    assert_eq!((a.status, b.status), (200, 200), "{} {}", a.body, b.body);
    let versions = [
        a.body["meta"]["version"].clone(),
        b.body["meta"]["version"].clone(),
    ];
    assert!(versions.contains(&json!("W/\"2\"")) && versions.contains(&json!("W/\"3\"")));
    let now = h.get(&path);
    assert_eq!(now.body["title"], "Engineer");
    assert_eq!(now.body["nickName"], "Al");
    assert_eq!(now.body["meta"]["version"], "W/\"3\"");
}

#[test]
fn concurrent_member_adds_both_land() {
    let h = racing_host();
    let u1 = h
        .post("/Users", &json!({"schemas": [USER], "userName": "u1"}))
        .id();
    let u2 = h
        .post("/Users", &json!({"schemas": [USER], "userName": "u2"}))
        .id();
    let gid = h
        .post("/Groups", &json!({"schemas": [GROUP], "displayName": "g"}))
        .id();
    let path = format!("/Groups/{gid}");
    let add =
        |id: &str| patch_op(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    let (a, b) = join(
        h.send("PATCH", &path, Some(&add(&u1)), &[]),
        h.send("PATCH", &path, Some(&add(&u2)), &[]),
    );
    assert_eq!((a.status, b.status), (200, 200));
    let members = h.get(&path).body["members"].clone();
    assert_eq!(members.as_array().map(Vec::len), Some(2), "{members}");
}

#[test]
fn concurrent_writers_with_the_same_if_match_one_gets_412() {
    let h = racing_host();
    let id = h
        .post("/Users", &json!({"schemas": [USER], "userName": "alice"}))
        .id();
    let path = format!("/Users/{id}");
    let etag = [("If-Match", "W/\"1\"")];
    let put = |title: &str| json!({"schemas": [USER], "userName": "alice", "title": title});
    let (a, b) = join(
        h.send("PUT", &path, Some(&put("A")), &etag),
        h.send("PUT", &path, Some(&put("B")), &etag),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 412], "{} {}", a.body, b.body);
    let winner = if a.status == 200 { "A" } else { "B" };
    assert_eq!(h.get(&path).body["title"], winner);
}

#[test]
fn concurrent_creates_of_one_user_name_conflict() {
    let h = racing_host();
    let body = json!({"schemas": [USER], "userName": "same"});
    let upper = json!({"schemas": [USER], "userName": "SAME"});
    let (a, b) = join(
        h.send("POST", "/Users", Some(&body), &[]),
        h.send("POST", "/Users", Some(&upper), &[]),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    assert_eq!(h.get("/Users").body["totalResults"], 1);
}

#[test]
fn delete_racing_a_patch_leaves_no_resurrected_resource() {
    let h = racing_host();
    let id = h
        .post("/Users", &json!({"schemas": [USER], "userName": "alice"}))
        .id();
    let path = format!("/Users/{id}");
    let op = patch_op(json!([{"op": "add", "path": "title", "value": "x"}]));
    let (patched, deleted) = join(
        h.send("PATCH", &path, Some(&op), &[]),
        h.send("DELETE", &path, None, &[]),
    );
    assert_eq!(deleted.status, 204);
    assert!(
        patched.status == 200 || patched.status == 404,
        "{}",
        patched.status
    );
    assert_eq!(h.get(&path).status, 404);
}
