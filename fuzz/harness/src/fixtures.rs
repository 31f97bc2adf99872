//! The fixed schemas and resources every target runs against, built once per process.

use std::sync::OnceLock;

use scim_core::resource::validate::{validate, Mode, ValidateOptions};
use scim_core::schema::{Registry, ResourceType, ENTERPRISE_USER_URN};
use serde_json::{json, Value};

/// The built-in registry and resources in the engine's canonical stored form.
pub struct Fixtures {
    /// The built-in registry (User, Group, EnterpriseUser).
    pub registry: Registry,
    /// Users, as stored: the RFC 7643 §8.2 full user, a minimal user, an Entra-style user.
    pub users: Vec<Value>,
    /// A group with two members, as stored.
    pub group: Value,
    /// A resource whose values have the wrong JSON types (evaluation must still cope).
    pub odd: Value,
}

impl Fixtures {
    /// The `User` resource type.
    pub fn user_type(&self) -> &ResourceType {
        resource_type(&self.registry, "User")
    }

    /// The `Group` resource type.
    pub fn group_type(&self) -> &ResourceType {
        resource_type(&self.registry, "Group")
    }
}

/// The fixtures, built on first use.
pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(build)
}

/// The built-in resource type `name`; the built-in registry always has User and Group.
fn resource_type<'r>(registry: &'r Registry, name: &str) -> &'r ResourceType {
    match registry.resource_type(name) {
        Some(rt) => rt,
        None => panic!("the built-in registry lacks the {name} resource type"),
    }
}

fn build() -> Fixtures {
    let registry = Registry::builtin();
    let user_rt = resource_type(&registry, "User");
    let group_rt = resource_type(&registry, "Group");
    let users = [full_user(), minimal_user(), entra_user()]
        .into_iter()
        .enumerate()
        .map(|(i, body)| stored(&registry, user_rt, body, i + 1))
        .collect();
    let group = stored(&registry, group_rt, group_body(), 4);
    Fixtures {
        registry,
        users,
        group,
        odd: odd_resource(),
    }
}

/// `body` validated for creation, with the `id` and `meta` the service would add.
fn stored(registry: &Registry, rt: &ResourceType, body: Value, n: usize) -> Value {
    let options = ValidateOptions { lenient: false };
    let mut map = match validate(registry, rt, body, Mode::Create, &options) {
        Ok(map) => map,
        Err(violations) => panic!("fixture {n} of {} is invalid: {violations}", rt.name),
    };
    map.insert("id".into(), Value::String(format!("{n:08}")));
    map.insert(
        "meta".into(),
        json!({
            "resourceType": rt.name,
            "created": "2024-05-01T10:00:00.000Z",
            "lastModified": "2024-05-01T10:00:00.000Z",
            "version": "W/\"1\"",
        }),
    );
    Value::Object(map)
}

/// The full user of RFC 7643 §8.2 (certificate shortened), with the enterprise extension.
pub fn full_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER_URN],
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
        "addresses": [{
            "type": "work",
            "streetAddress": "100 Universal City Plaza",
            "locality": "Hollywood",
            "region": "CA",
            "postalCode": "91608",
            "country": "USA",
            "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA",
            "primary": true
        }],
        "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "photos": [{"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"}],
        "userType": "Employee",
        "title": "Tour Guide",
        "preferredLanguage": "en-US",
        "locale": "en-US",
        "timezone": "America/Los_Angeles",
        "active": true,
        "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
        ENTERPRISE_USER_URN: {
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {"value": "00000002", "$ref": "../Users/00000002"}
        }
    })
}

/// A user with only `userName`, inactive.
pub fn minimal_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "jsmith",
        "active": false
    })
}

/// A user as Microsoft Entra ID creates it.
pub fn entra_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER_URN],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com",
        "active": true,
        "displayName": "Test User",
        "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
        "name": {"familyName": "User", "givenName": "Test"},
        ENTERPRISE_USER_URN: {"department": "Sales"}
    })
}

/// A group holding the first two users.
pub fn group_body() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "externalId": "okta-group-1",
        "displayName": "Tour Guides",
        "members": [
            {"value": "00000001", "display": "Babs Jensen", "type": "User"},
            {"value": "00000002", "type": "User"}
        ]
    })
}

/// A document of wrongly typed values under known attribute names.
fn odd_resource() -> Value {
    json!({
        "schemas": "urn:ietf:params:scim:schemas:core:2.0:User",
        "id": 7,
        "userName": 5,
        "name": [1, {"givenName": true}],
        "emails": "x@example.com",
        "active": "TRUE",
        "displayName": {"value": "x"},
        "members": [null, 3, {"value": ["a"]}],
        "meta": {"created": "not a date", "lastModified": 17},
        ENTERPRISE_USER_URN: [{"employeeNumber": 1}],
        "urn:ietf:params:scim:schemas:core:2.0:User": {"userName": "qualified"}
    })
}
