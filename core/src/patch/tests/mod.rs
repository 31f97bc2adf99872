//! Tests of the PATCH engine: RFC 7644 §3.5.2 examples, client payloads, errors, properties.

mod clients;
mod custom;
mod errors;
mod parse;
mod properties;
mod rfc;

use serde_json::{json, Value};
use std::sync::OnceLock;

use super::{apply, CompiledPatch, PatchOptions, PatchOutcome, PatchRequest};
use crate::error::ScimError;
use crate::schema::{Registry, ResourceType};

/// The built-in registry, built once.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::builtin)
}

/// The resource type of `resource` (a Group when its schemas say so, else a User).
fn rt_of(resource: &Value) -> &'static ResourceType {
    let group = resource["schemas"].as_array().is_some_and(|s| {
        s.iter()
            .any(|u| u.as_str().is_some_and(|u| u.ends_with(":Group")))
    });
    registry()
        .resource_type(if group { "Group" } else { "User" })
        .expect("built-in resource type")
}

/// Parses `body` and applies it to `resource` with `options`; asserts the input is untouched.
fn run(resource: &Value, body: Value, options: &PatchOptions) -> Result<PatchOutcome, ScimError> {
    let before = resource.clone();
    let result = PatchRequest::parse(&body, options)
        .and_then(|req| apply(resource, &req, registry(), rt_of(resource), options));
    assert_eq!(*resource, before, "the input resource must never change");
    assert_members_suffice(resource, &body, options, &result);
    result
}

/// Applying the PATCH to only the members `CompiledPatch::members` names gives the same
/// members and the same error as applying it to the whole resource (what the npm package
/// relies on to copy only those members across the JS/wasm boundary).
fn assert_members_suffice(
    resource: &Value,
    body: &Value,
    options: &PatchOptions,
    full: &Result<PatchOutcome, ScimError>,
) {
    let (Some(whole), Ok(req)) = (resource.as_object(), PatchRequest::parse(body, options)) else {
        return;
    };
    let compiled = match CompiledPatch::new(&req, registry(), rt_of(resource), options) {
        Ok(compiled) => compiled,
        Err(e) => {
            assert_eq!(full.as_ref().err(), Some(&e), "compile errors agree");
            return;
        }
    };
    let members = compiled.members();
    let mut part = Value::Object(
        members
            .iter()
            .filter_map(|k| {
                whole
                    .get(*k)
                    .map(|v| (alloc::string::String::from(*k), v.clone()))
            })
            .collect(),
    );
    let outcome = compiled.apply_in_place(&mut part);
    match full {
        Ok(full) => {
            assert_eq!(outcome.as_ref().ok(), Some(&full.changed), "changed agrees");
            let keys = whole
                .keys()
                .chain(full.resource.as_object().into_iter().flat_map(|o| o.keys()));
            for key in keys {
                let expected = full.resource.get(key);
                let got = if members.contains(&key.as_str()) {
                    part.get(key)
                } else {
                    whole.get(key)
                };
                assert_eq!(got, expected, "member {key} agrees");
            }
        }
        Err(e) => assert_eq!(outcome.err().as_ref(), Some(e), "errors agree"),
    }
}

/// A PatchOp body with these operations.
fn body(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

/// Applies `ops` with default options; returns the new resource, asserting it changed.
fn patched(resource: &Value, ops: Value) -> Value {
    let out = run(resource, body(ops), &PatchOptions::default()).expect("patch applies");
    assert!(out.changed, "the patch should change the resource");
    out.resource
}

/// Applies `ops` with default options, expecting an error.
fn failed(resource: &Value, ops: Value) -> ScimError {
    failed_with(resource, ops, &PatchOptions::default())
}

/// Applies `ops` with `options`, expecting an error.
fn failed_with(resource: &Value, ops: Value, options: &PatchOptions) -> ScimError {
    match run(resource, body(ops), options) {
        Ok(out) => panic!("expected an error, got {}", out.resource),
        Err(e) => e,
    }
}

/// RFC 7643 §8.2 full user (with an enterprise extension as in §8.3), in canonical form.
fn bjensen() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
            "honorificPrefix": "Ms.",
            "honorificSuffix": "III"
        },
        "displayName": "Babs Jensen",
        "nickName": "Babs",
        "profileUrl": "https://login.example.com/bjensen",
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
             "region": "CA", "postalCode": "91608", "country": "USA",
             "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA", "primary": true},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood",
             "region": "CA", "postalCode": "91608", "country": "USA",
             "formatted": "456 Hollywood Blvd\nHollywood, CA 91608 USA"}
        ],
        "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
        ],
        "userType": "Employee",
        "title": "Tour Guide",
        "preferredLanguage": "en-US",
        "locale": "en-US",
        "timezone": "America/Los_Angeles",
        "active": true,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {
                "value": "26118915-6090-4610-87e4-49d8ca9f808d",
                "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d",
                "displayName": "John Smith"
            }
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff591\"",
            "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
        }
    })
}

/// A user with only what Entra and Okta create at first.
fn minimal_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "5171a35d82074e068ce2",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        "active": true,
        "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z",
                 "lastModified": "2024-01-01T00:00:00Z", "version": "W/\"1\""}
    })
}

/// RFC 7643 §8.4 group with two members.
fn tour_guides() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646",
             "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
             "display": "Babs Jensen"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a",
             "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a",
             "display": "Mandy Pepperidge"}
        ],
        "meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22Z",
                 "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"3694e05e9dff592\"",
                 "location": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a"}
    })
}

/// The enterprise extension URN.
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
