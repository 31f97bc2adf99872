//! Tenant configuration: one JSON document per tenant in KV (key `tenant:<name>`), cached per
//! isolate for a few seconds.
//!
//! KV suits it: it is read on every request and changes rarely, and KV reads are served from
//! the edge cache. The price is propagation: a change can take 60 s (plus this cache's TTL) to
//! reach every location, which is why OAuth clients and issued tokens live in D1 instead.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use scim_core::schema::{Registry, SchemaExtension};
use scim_core::service::{AuthenticationScheme, ServiceConfig};
use scim_core::ScimError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::KvStore;

use crate::route::DEFAULT_TENANT;

/// A tenant's stored configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantConfig {
    /// The tenant's static bearer tokens (hashes only).
    pub tokens: Vec<TokenEntry>,
    /// The tenant's HTTP Basic credentials (password hashes only); none means Basic is off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub basic_credentials: Vec<BasicEntry>,
    /// Behaviour switches of the tenant's SCIM service.
    pub settings: Settings,
}

/// An HTTP Basic credential, kept as the user name and the SHA-256 of the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BasicEntry {
    /// Public identifier, used to revoke the credential.
    pub id: String,
    /// The user name, unique in the tenant.
    pub username: String,
    /// Lower-case hex SHA-256 of the password.
    pub sha256: String,
    /// Free text naming the credential's holder, e.g. `okta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Creation time (RFC 3339).
    pub created: String,
}

/// A static bearer token, kept as the SHA-256 of the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenEntry {
    /// Public identifier, used to revoke the token.
    pub id: String,
    /// Lower-case hex SHA-256 of the token.
    pub sha256: String,
    /// Free text naming the token's holder, e.g. `okta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Creation time (RFC 3339).
    pub created: String,
}

/// Per-tenant behaviour of the SCIM service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// DELETE of a User marks it inactive and hides it instead of removing it.
    pub soft_delete: bool,
    /// A successful PATCH answers 204 without a body.
    pub patch_returns_no_content: bool,
    /// Accept sloppy client input where known clients send it.
    pub lenient: bool,
    /// Group `displayName` is unique in the tenant (case-insensitively).
    pub group_display_name_unique: bool,
    /// Request rate limit; none means unlimited (below the Worker-wide ceiling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Extra schemas (RFC 7643 §7 schema representations) the tenant's resources may use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_schemas: Vec<Value>,
    /// Extension schemas attached to resource types (e.g. a custom User extension).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionBinding>,
    /// Extra resource types (RFC 7643 §6 representations) over registered schemas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<Value>,
    /// Whether the tenant has HTTP Basic credentials, so `/ServiceProviderConfig` lists
    /// `httpbasic`: derived from [`TenantConfig::basic_credentials`] on every load and save,
    /// never stored nor accepted from the admin API.
    #[serde(skip)]
    pub http_basic: bool,
}

/// An extension schema attached to a resource type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtensionBinding {
    /// Id or name of the resource type, e.g. `User`.
    pub resource_type: String,
    /// URN of the extension schema (built-in or in `customSchemas`).
    pub schema: String,
    /// Whether resources must carry the extension.
    #[serde(default)]
    pub required: bool,
}

impl Settings {
    /// The tenant's schema registry: the RFC 7643 built-ins plus its custom schemas,
    /// extensions and resource types.
    pub fn registry(&self) -> Result<Registry, ScimError> {
        let mut registry = Registry::builtin();
        if !self.custom_schemas.is_empty() {
            let text = serde_json::to_string(&self.custom_schemas)
                .map_err(|e| ScimError::InvalidSyntax(e.to_string()))?;
            registry.load_schemas_json(&text)?;
        }
        for ext in &self.extensions {
            registry.add_extension(
                &ext.resource_type,
                SchemaExtension {
                    schema: ext.schema.clone(),
                    required: ext.required,
                },
            )?;
        }
        if !self.resource_types.is_empty() {
            let text = serde_json::to_string(&self.resource_types)
                .map_err(|e| ScimError::InvalidSyntax(e.to_string()))?;
            registry.load_resource_types_json(&text)?;
        }
        Ok(registry)
    }

    /// The core service settings for this tenant; `max_body_size` comes from the host.
    pub fn service_config(&self, max_body_size: usize) -> ServiceConfig {
        ServiceConfig {
            max_body_size,
            patch_returns_no_content: self.patch_returns_no_content,
            soft_delete: self.soft_delete,
            lenient: self.lenient,
            group_display_name_unique: self.group_display_name_unique,
            authentication_schemes: if self.http_basic {
                vec![
                    AuthenticationScheme::oauth_bearer_token(),
                    AuthenticationScheme::http_basic(),
                ]
            } else {
                vec![AuthenticationScheme::oauth_bearer_token()]
            },
            ..ServiceConfig::default()
        }
    }
}

/// At most `requests` per `period_seconds`, with bursts up to `requests`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// Length of the period in seconds.
    #[serde(default = "one_second")]
    pub period_seconds: u32,
}

fn one_second() -> u32 {
    1
}

/// `config` with its derived settings filled in ([`Settings::http_basic`]).
fn derived(mut config: TenantConfig) -> TenantConfig {
    config.settings.http_basic = !config.basic_credentials.is_empty();
    config
}

/// The KV key of a tenant's configuration.
pub fn kv_key(name: &str) -> String {
    format!("tenant:{name}")
}

struct Cached {
    fetched_ms: u64,
    config: Option<Rc<TenantConfig>>,
}

thread_local! {
    static CACHE: RefCell<BTreeMap<String, Cached>> = const { RefCell::new(BTreeMap::new()) };
}

fn cache_put(name: &str, now_ms: u64, config: Option<Rc<TenantConfig>>) {
    CACHE.with(|c| {
        c.borrow_mut().insert(
            name.to_owned(),
            Cached {
                fetched_ms: now_ms,
                config,
            },
        )
    });
}

/// The configuration of tenant `name`, or `None` if no such tenant exists. The default tenant
/// always exists (with default settings until configured).
pub async fn load(
    kv: &KvStore,
    name: &str,
    now_ms: u64,
    ttl_ms: u64,
) -> worker::Result<Option<Rc<TenantConfig>>> {
    let hit = CACHE.with(|c| {
        c.borrow()
            .get(name)
            .filter(|e| now_ms.saturating_sub(e.fetched_ms) < ttl_ms)
            .map(|e| e.config.clone())
    });
    if let Some(config) = hit {
        return Ok(config);
    }
    let config = match fetch(kv, name).await? {
        Some(config) => Some(Rc::new(config)),
        None if name == DEFAULT_TENANT => Some(Rc::new(TenantConfig::default())),
        None => None,
    };
    cache_put(name, now_ms, config.clone());
    Ok(config)
}

/// The stored configuration of tenant `name`, read from KV (no cache, no implicit default).
pub async fn fetch(kv: &KvStore, name: &str) -> worker::Result<Option<TenantConfig>> {
    match kv.get(&kv_key(name)).text().await? {
        Some(text) => Ok(Some(derived(serde_json::from_str(&text)?))),
        None => Ok(None),
    }
}

/// Stores tenant `name`'s configuration (and refreshes this isolate's cache).
pub async fn save(
    kv: &KvStore,
    name: &str,
    config: TenantConfig,
    now_ms: u64,
) -> worker::Result<()> {
    kv.put(&kv_key(name), serde_json::to_string(&config)?)?
        .execute()
        .await?;
    cache_put(name, now_ms, Some(Rc::new(derived(config))));
    Ok(())
}

/// Deletes tenant `name`'s configuration (and forgets it in this isolate's cache).
pub async fn remove(kv: &KvStore, name: &str, now_ms: u64) -> worker::Result<()> {
    kv.delete(&kv_key(name)).await?;
    cache_put(name, now_ms, None);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn config_round_trips_through_json() {
        let config = TenantConfig {
            tokens: vec![TokenEntry {
                id: "ab12".into(),
                sha256: "00ff".into(),
                label: Some("okta".into()),
                created: "2025-01-01T00:00:00Z".into(),
            }],
            basic_credentials: vec![BasicEntry {
                id: "cd34".into(),
                username: "okta".into(),
                sha256: "11ee".into(),
                label: None,
                created: "2025-01-01T00:00:00Z".into(),
            }],
            settings: Settings {
                soft_delete: true,
                rate_limit: Some(RateLimit {
                    requests: 4,
                    period_seconds: 1,
                }),
                ..Settings::default()
            },
        };
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<TenantConfig>(&text).unwrap(), config);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["settings"]["softDelete"], true);
        assert_eq!(v["basicCredentials"][0]["username"], "okta");
        assert!(serde_json::from_str::<TenantConfig>(r#"{"tokens":[]}"#)
            .unwrap()
            .basic_credentials
            .is_empty());
        assert_eq!(v["settings"]["rateLimit"]["requests"], 4);
        assert!(v["settings"].get("customSchemas").is_none());
    }

    #[test]
    fn settings_default_missing_fields_and_reject_unknown_ones() {
        let s: Settings = serde_json::from_value(json!({"lenient": true})).unwrap();
        assert!(s.lenient && !s.soft_delete && s.rate_limit.is_none());
        let r: Settings = serde_json::from_value(json!({"rateLimit": {"requests": 9}})).unwrap();
        assert_eq!(r.rate_limit.map(|l| l.period_seconds), Some(1));
        assert!(serde_json::from_value::<Settings>(json!({"softDelet": true})).is_err());
        assert!(serde_json::from_value::<Settings>(json!({"lenient": "yes"})).is_err());
    }

    #[test]
    fn settings_build_a_registry_with_custom_extensions() {
        let settings: Settings = serde_json::from_value(json!({
            "customSchemas": [{
                "id": "urn:acme:params:scim:schemas:extension:2.0:User",
                "name": "AcmeUser",
                "attributes": [{"name": "badge", "type": "string", "multiValued": false}]
            }],
            "extensions": [{
                "resourceType": "User",
                "schema": "urn:acme:params:scim:schemas:extension:2.0:User"
            }]
        }))
        .unwrap();
        let registry = settings.registry().unwrap();
        let user = registry.resource_type("User").unwrap();
        assert!(user
            .schema_extensions
            .iter()
            .any(|e| e.schema.starts_with("urn:acme:")));
        assert!(Settings::default().registry().is_ok());
    }

    #[test]
    fn invalid_custom_schemas_are_refused() {
        let settings = Settings {
            custom_schemas: vec![json!({"id": "not-a-urn", "attributes": []})],
            ..Settings::default()
        };
        assert!(settings.registry().is_err());
        let unknown_extension = Settings {
            extensions: vec![ExtensionBinding {
                resource_type: "User".into(),
                schema: "urn:x:missing".into(),
                required: false,
            }],
            ..Settings::default()
        };
        assert!(unknown_extension.registry().is_err());
    }

    #[test]
    fn service_config_carries_the_switches() {
        let settings = Settings {
            soft_delete: true,
            patch_returns_no_content: true,
            ..Settings::default()
        };
        let config = settings.service_config(4096);
        assert!(config.soft_delete && config.patch_returns_no_content && !config.lenient);
        assert_eq!(config.max_body_size, 4096);
    }

    #[test]
    fn basic_credentials_add_httpbasic_to_the_advertised_schemes() {
        let entry = BasicEntry {
            id: "i".into(),
            username: "okta".into(),
            sha256: "00".into(),
            label: None,
            created: String::new(),
        };
        let config = derived(TenantConfig {
            basic_credentials: vec![entry],
            ..TenantConfig::default()
        });
        let kinds = |c: &TenantConfig| {
            c.settings
                .service_config(1)
                .authentication_schemes
                .into_iter()
                .map(|s| s.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(&config), ["oauthbearertoken", "httpbasic"]);
        assert_eq!(
            kinds(&derived(TenantConfig::default())),
            ["oauthbearertoken"]
        );
        let text = serde_json::to_string(&config).unwrap();
        assert!(!text.contains("httpBasic"));
        assert!(serde_json::from_value::<Settings>(json!({"httpBasic": true})).is_err());
    }

    #[test]
    fn kv_keys_are_prefixed_by_tenant() {
        assert_eq!(kv_key("acme"), "tenant:acme");
    }
}
