//! Fixtures shared by the differential tests (resident collection, SQL translation): a
//! deterministic random generator and a registry whose User extension has every type.

use alloc::string::ToString;

use serde_json::json;

use crate::schema::{Registry, SchemaExtension};

/// URN of the test extension on User (dateTime, number, boolean, binary and case-exact
/// attributes).
pub const TEST_URN: &str = "urn:example:params:scim:schemas:extension:test:2.0:User";

/// The built-in registry with the test extension on User.
pub fn registry() -> Registry {
    let schema = json!([{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": TEST_URN,
        "name": "TestUser",
        "attributes": [
            {"name": "hired", "type": "dateTime"},
            {"name": "shifts", "type": "dateTime", "multiValued": true},
            {"name": "score", "type": "decimal"},
            {"name": "level", "type": "integer"},
            {"name": "badge", "type": "string", "caseExact": true},
            {"name": "tags", "type": "string", "multiValued": true},
            {"name": "vip", "type": "boolean"},
            {"name": "blob", "type": "binary"}
        ]
    }]);
    let mut reg = Registry::builtin();
    reg.load_schemas_json(&schema.to_string())
        .unwrap_or_else(|e| panic!("test schema: {e}"));
    reg.add_extension(
        "User",
        SchemaExtension {
            schema: TEST_URN.into(),
            required: false,
        },
    )
    .unwrap_or_else(|e| panic!("test extension: {e}"));
    reg
}

/// SplitMix64: small, fast and deterministic.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}
