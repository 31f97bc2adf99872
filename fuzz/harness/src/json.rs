//! Structured JSON values built from fuzz bytes with `arbitrary`, biased towards SCIM names.

use arbitrary::Arbitrary;
use serde_json::{Map, Number, Value};

/// Deepest nesting of arrays and objects a [`Json`] turns into (deeper values become `null`).
const MAX_DEPTH: usize = 5;

/// Attribute names and values the engine knows, so that mutations reach the schema rules.
pub const WORDS: [&str; 40] = [
    "userName",
    "name",
    "givenName",
    "familyName",
    "formatted",
    "displayName",
    "nickName",
    "title",
    "active",
    "emails",
    "phoneNumbers",
    "addresses",
    "streetAddress",
    "value",
    "type",
    "primary",
    "display",
    "$ref",
    "members",
    "groups",
    "roles",
    "x509Certificates",
    "externalId",
    "id",
    "meta",
    "created",
    "schemas",
    "work",
    "home",
    "True",
    "00000001",
    "00000002",
    "00000004",
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "emails[type eq \"work\"].value",
    "2024-05-01T10:00:00Z",
];

/// A string: a known word or any text.
#[derive(Debug, Arbitrary)]
pub enum Text {
    /// One of [`WORDS`].
    Word(u8),
    /// Free text.
    Free(String),
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Word(i) => word(*i),
            Text::Free(s) => s,
        }
    }
}

/// The word at `i`, modulo the vocabulary size.
pub fn word(i: u8) -> &'static str {
    WORDS[usize::from(i) % WORDS.len()]
}

/// A JSON value.
#[derive(Debug, Arbitrary)]
pub enum Json {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (non-finite ones become `null`).
    Float(f64),
    /// A string.
    Str(Text),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Vec<(Text, Json)>),
}

impl Json {
    /// The `serde_json` value, with nesting cut at [`MAX_DEPTH`].
    pub fn to_value(&self) -> Value {
        self.at_depth(0)
    }

    fn at_depth(&self, depth: usize) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Int(n) => Value::Number((*n).into()),
            Json::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Str(t) => Value::String(t.as_str().into()),
            Json::Array(_) | Json::Object(_) if depth >= MAX_DEPTH => Value::Null,
            Json::Array(items) => {
                Value::Array(items.iter().map(|j| j.at_depth(depth + 1)).collect())
            }
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.at_depth(depth + 1)))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}
