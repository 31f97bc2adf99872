//! Settings of one service (usually one tenant), advertised by `/ServiceProviderConfig`.
//!
//! Hosts may keep the settings as JSON (e.g. per tenant in KV): [`ServiceConfig`] reads from
//! camelCase keys, every one optional (`{"maxResults": 100, "softDelete": true}`), with the
//! defaults of [`ServiceConfig::default`] for the rest.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An authentication scheme advertised in `/ServiceProviderConfig` (RFC 7643 §5).
///
/// Authentication itself is the host's job; this only describes it to clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationScheme {
    /// The scheme type, e.g. `oauthbearertoken` or `httpbasic`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Human-readable name.
    pub name: String,
    /// Human-readable description.
    #[serde(default)]
    pub description: String,
    /// URL of the scheme's specification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_uri: Option<String>,
    /// URL of the scheme's documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_uri: Option<String>,
    /// Whether this is the preferred scheme.
    #[serde(default)]
    pub primary: bool,
}

impl AuthenticationScheme {
    /// OAuth 2.0 bearer tokens (RFC 6750), the scheme the hosts implement.
    pub fn oauth_bearer_token() -> AuthenticationScheme {
        AuthenticationScheme {
            kind: "oauthbearertoken".into(),
            name: "OAuth Bearer Token".into(),
            description: "Authentication with an OAuth 2.0 bearer token (RFC 6750)".into(),
            spec_uri: Some("https://www.rfc-editor.org/rfc/rfc6750".into()),
            documentation_uri: None,
            primary: true,
        }
    }

    /// HTTP Basic (RFC 7617), which a host may offer besides bearer tokens (Okta can use it).
    pub fn http_basic() -> AuthenticationScheme {
        AuthenticationScheme {
            kind: "httpbasic".into(),
            name: "HTTP Basic".into(),
            description: "Authentication with a user name and password (RFC 7617)".into(),
            spec_uri: Some("https://www.rfc-editor.org/rfc/rfc7617".into()),
            documentation_uri: None,
            primary: false,
        }
    }

    /// The scheme as a `ServiceProviderConfig.authenticationSchemes` value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Limits and behaviour switches of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceConfig {
    /// Largest page a list or search returns (`filter.maxResults`); also the default `count`.
    /// A larger requested `count` is capped, not refused.
    pub max_results: usize,
    /// Most operations in one Bulk request (`bulk.maxOperations`).
    pub bulk_max_operations: usize,
    /// Largest Bulk request body in bytes (`bulk.maxPayloadSize`).
    pub bulk_max_payload_size: usize,
    /// Largest body of any other request in bytes (413 above).
    pub max_body_size: usize,
    /// Answer a successful PATCH with 204 and no body instead of 200 with the resource.
    pub patch_returns_no_content: bool,
    /// DELETE of a resource with an `active` attribute (Users) keeps it with `active: false`,
    /// hidden from every read, list and uniqueness check, instead of removing it.
    pub soft_delete: bool,
    /// Accept what strict parsing would reject where clients are known to be sloppy:
    /// unknown attributes are dropped, and lenient filter syntax is accepted.
    pub lenient: bool,
    /// Group `displayName` must be unique in the tenant (case-insensitively).
    pub group_display_name_unique: bool,
    /// The authentication schemes advertised to clients.
    pub authentication_schemes: Vec<AuthenticationScheme>,
    /// URL of human-readable documentation (`documentationUri`).
    pub documentation_uri: Option<String>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_results: 200,
            bulk_max_operations: 1000,
            bulk_max_payload_size: 1_048_576,
            max_body_size: 1_048_576,
            patch_returns_no_content: false,
            soft_delete: false,
            lenient: false,
            group_display_name_unique: false,
            authentication_schemes: vec![AuthenticationScheme::oauth_bearer_token()],
            documentation_uri: None,
        }
    }
}

impl ServiceConfig {
    /// The body of `/ServiceProviderConfig` (RFC 7643 §5), without `meta`.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": true},
            "bulk": {
                "supported": true,
                "maxOperations": self.bulk_max_operations,
                "maxPayloadSize": self.bulk_max_payload_size,
            },
            "filter": {"supported": true, "maxResults": self.max_results},
            "changePassword": {"supported": false},
            "sort": {"supported": true},
            "etag": {"supported": true},
            "authenticationSchemes": self
                .authentication_schemes
                .iter()
                .map(AuthenticationScheme::to_json)
                .collect::<Vec<_>>(),
        });
        if let Some(uri) = &self.documentation_uri {
            v["documentationUri"] = Value::String(uri.clone());
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_provider_config_reflects_settings() {
        let config = ServiceConfig {
            max_results: 50,
            bulk_max_operations: 7,
            bulk_max_payload_size: 4096,
            documentation_uri: Some("https://docs".into()),
            ..ServiceConfig::default()
        };
        let v = config.to_json();
        assert_eq!(v["filter"]["maxResults"], 50);
        assert_eq!(v["bulk"]["maxOperations"], 7);
        assert_eq!(v["bulk"]["maxPayloadSize"], 4096);
        assert_eq!(v["changePassword"]["supported"], false);
        assert_eq!(v["etag"]["supported"], true);
        assert_eq!(v["documentationUri"], "https://docs");
        assert_eq!(v["authenticationSchemes"][0]["type"], "oauthbearertoken");
        assert_eq!(v["authenticationSchemes"][0]["primary"], true);
    }

    #[test]
    fn config_reads_from_partial_camel_case_json() {
        let config: ServiceConfig = serde_json::from_value(json!({
            "maxResults": 10,
            "softDelete": true,
            "patchReturnsNoContent": true,
            "authenticationSchemes": [{"type": "httpbasic", "name": "Basic"}]
        }))
        .unwrap();
        assert_eq!(config.max_results, 10);
        assert!(config.soft_delete && config.patch_returns_no_content);
        assert_eq!(
            config.bulk_max_operations,
            ServiceConfig::default().bulk_max_operations
        );
        assert_eq!(config.authentication_schemes[0].kind, "httpbasic");
        let scheme = config.authentication_schemes[0].to_json();
        assert_eq!(
            scheme,
            json!({"type": "httpbasic", "name": "Basic", "description": "", "primary": false})
        );
    }

    #[test]
    fn no_documentation_uri_means_none_advertised() {
        let v = ServiceConfig::default().to_json();
        assert!(v.get("documentationUri").is_none());
        assert!(v["authenticationSchemes"][0]
            .get("documentationUri")
            .is_none());
    }
}
