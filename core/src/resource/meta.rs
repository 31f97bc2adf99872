//! The `meta` attribute: resource type, timestamps, location and version (RFC 7643 §3.1).
//!
//! Versions are counters kept by the service (1 on create, +1 on every real change); the
//! `meta.version` and the `ETag` header carry them as weak entity tags, `W/"<n>"`. A version
//! covers the stored document: a User's computed `groups` can change (a group adds or drops
//! it) without changing the User's version.
//! Timestamps are fixed-width UTC text with milliseconds (`2024-05-01T10:00:00.000Z`), so the
//! text order is the time order. `meta.location` is not stored: it depends on the base URL of
//! the request and is added when a resource is returned.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use crate::query::datetime::Instant;

/// The weak entity tag of version `version`: `W/"<version>"`.
pub fn etag(version: u64) -> String {
    format!("W/\"{version}\"")
}

/// `instant` as fixed-width UTC text with milliseconds: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn timestamp(instant: Instant) -> String {
    let nanos = instant.subsec_nanos();
    let truncated =
        Instant::from_unix(instant.unix_seconds(), nanos - nanos % 1_000_000).unwrap_or(instant);
    let text = truncated.to_string();
    if text.contains('.') {
        text
    } else {
        format!("{}.000Z", text.trim_end_matches('Z'))
    }
}

/// The absolute URL of resource `id` at `endpoint` (e.g. `/Users`) under `base_url`.
pub fn location(base_url: &str, endpoint: &str, id: &str) -> String {
    format!(
        "{}/{}/{}",
        base_url.trim_end_matches('/'),
        endpoint.trim_matches('/'),
        id
    )
}

/// The stored `meta` object (everything but `location`).
pub fn meta_object(resource_type: &str, created: &str, last_modified: &str, version: u64) -> Value {
    json!({
        "resourceType": resource_type,
        "created": created,
        "lastModified": last_modified,
        "version": etag(version),
    })
}

/// Sets `meta.location` of `resource` (creating `meta` when missing).
pub fn set_location(resource: &mut Map<String, Value>, location: String) {
    let meta = resource
        .entry("meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(meta) = meta {
        meta.insert("location".into(), Value::String(location));
    }
}

/// `meta.created` of a stored resource, if present.
pub fn created(resource: &Value) -> Option<&str> {
    resource.get("meta")?.get("created")?.as_str()
}

/// An `If-Match` / `If-None-Match` header value: `*` or a list of entity tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EtagCondition {
    /// `*`: any current version.
    Any,
    /// The versions named by the listed tags (tags that are not versions are kept out).
    Versions(Vec<u64>),
}

impl EtagCondition {
    /// Parses a comma-separated list of (weak or strong) entity tags, or `*`.
    ///
    /// Tags are compared by their opaque value, ignoring the weak prefix `W/`, as SCIM uses
    /// weak tags for `If-Match` (RFC 7644 §3.14). Unquoted values are accepted too.
    pub fn parse(header: &str) -> EtagCondition {
        if header.trim() == "*" {
            return EtagCondition::Any;
        }
        EtagCondition::Versions(
            header
                .split(',')
                .filter_map(|tag| {
                    let tag = tag.trim();
                    let tag = tag
                        .strip_prefix("W/")
                        .or_else(|| tag.strip_prefix("w/"))
                        .unwrap_or(tag);
                    let tag = tag
                        .strip_prefix('"')
                        .and_then(|t| t.strip_suffix('"'))
                        .unwrap_or(tag);
                    tag.parse().ok()
                })
                .collect(),
        )
    }

    /// Whether the condition matches a resource currently at `version`.
    pub fn matches(&self, version: u64) -> bool {
        match self {
            EtagCondition::Any => true,
            EtagCondition::Versions(v) => v.contains(&version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_weak_and_quoted() {
        assert_eq!(etag(3), "W/\"3\"");
    }

    #[test]
    fn timestamps_are_fixed_width_with_millis() {
        let whole = Instant::parse("2024-05-01T10:00:00Z").unwrap();
        assert_eq!(timestamp(whole), "2024-05-01T10:00:00.000Z");
        let fine = Instant::parse("2024-05-01T10:00:00.123456789Z").unwrap();
        assert_eq!(timestamp(fine), "2024-05-01T10:00:00.123Z");
        let ms = Instant::parse("2024-05-01T12:00:00.5+02:00").unwrap();
        assert_eq!(timestamp(ms), "2024-05-01T10:00:00.500Z");
    }

    #[test]
    fn location_joins_base_endpoint_and_id() {
        assert_eq!(
            location("http://h/acme/scim/v2/", "/Users", "42"),
            "http://h/acme/scim/v2/Users/42"
        );
    }

    #[test]
    fn meta_object_carries_type_times_and_version() {
        let m = meta_object("User", "a", "b", 2);
        assert_eq!(
            m,
            json!({"resourceType": "User", "created": "a", "lastModified": "b", "version": "W/\"2\""})
        );
        assert_eq!(created(&json!({"meta": m})), Some("a"));
    }

    #[test]
    fn set_location_adds_to_meta() {
        let mut r = Map::new();
        set_location(&mut r, "http://x/Users/1".into());
        assert_eq!(r["meta"]["location"], "http://x/Users/1");
    }

    #[test]
    fn etag_conditions_parse_lists_star_and_weak_or_strong_tags() {
        assert_eq!(EtagCondition::parse(" * "), EtagCondition::Any);
        assert!(EtagCondition::Any.matches(9));
        let c = EtagCondition::parse("W/\"1\", \"2\", w/\"x\", 3");
        assert_eq!(c, EtagCondition::Versions(alloc::vec![1, 2, 3]));
        assert!(c.matches(2));
        assert!(!c.matches(4));
        assert!(!EtagCondition::parse("\"abc\"").matches(0));
    }
}
