//! Bearer-token authentication of SCIM requests (RFC 6750 §2.1).
//!
//! A token is valid for exactly one tenant. It is accepted when its SHA-256 equals (compared in
//! constant time) one of:
//! - the default tenant's `SCIM_TOKEN` secret (default tenant only);
//! - a static token hash in the tenant's KV configuration (created by the admin API);
//! - an unexpired token issued by `/oauth/token` for the tenant (D1 `tokens`, looked up by hash;
//!   only tokens with the [`OAUTH_TOKEN_PREFIX`] are looked up, so static tokens never touch D1).

use std::cell::RefCell;

use worker::{D1Database, Env};

use crate::codec::ct_eq;
use crate::crypto::sha256_hex;
use crate::http::Failure;
use crate::route::DEFAULT_TENANT;
use crate::tenants::TenantConfig;

/// Prefix of access tokens issued by the OAuth endpoint.
pub const OAUTH_TOKEN_PREFIX: &str = "scimo_";

/// The bearer token of an `Authorization` header value.
pub fn bearer(header: Option<&str>) -> Result<&str, Failure> {
    let header = header.ok_or(Failure::Unauthorized {
        token_presented: false,
    })?;
    let (scheme, token) = header.trim().split_once(' ').unwrap_or((header, ""));
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer")
        || token.is_empty()
        || token
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(Failure::Unauthorized {
            token_presented: true,
        });
    }
    Ok(token)
}

thread_local! {
    /// The `SCIM_TOKEN` secret and its SHA-256, computed once per isolate.
    static SECRET_HASH: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// The hex SHA-256 of `secret`, cached for the isolate (secrets change only with a deploy).
async fn secret_hash(secret: &str) -> worker::Result<String> {
    let cached = SECRET_HASH.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(s, _)| s == secret)
            .map(|(_, h)| h.clone())
    });
    if let Some(hash) = cached {
        return Ok(hash);
    }
    let hash = sha256_hex(secret.as_bytes()).await?;
    SECRET_HASH.with(|c| *c.borrow_mut() = Some((secret.to_owned(), hash.clone())));
    Ok(hash)
}

/// Whether `hash` (hex SHA-256 of the presented token) is one of the tenant's static tokens.
fn static_token_matches(config: &TenantConfig, hash: &str) -> bool {
    config.tokens.iter().fold(false, |hit, t| {
        ct_eq(t.sha256.as_bytes(), hash.as_bytes()) | hit
    })
}

/// Checks `token` for `tenant`; `Ok(())` when it is valid, else a 401 failure.
pub async fn authenticate(
    env: &Env,
    db: &D1Database,
    tenant: &str,
    config: &TenantConfig,
    token: &str,
    now_seconds: u64,
) -> Result<(), Failure> {
    let hash = sha256_hex(token.as_bytes()).await?;
    if tenant == DEFAULT_TENANT {
        if let Ok(secret) = env.secret("SCIM_TOKEN") {
            let secret_hash = secret_hash(&secret.to_string()).await?;
            if ct_eq(secret_hash.as_bytes(), hash.as_bytes()) {
                return Ok(());
            }
        }
    }
    if static_token_matches(config, &hash) {
        return Ok(());
    }
    if token.starts_with(OAUTH_TOKEN_PREFIX) {
        let owner: Option<String> = db
            .prepare("SELECT tenant FROM tokens WHERE sha256 = ?1 AND expires_at > ?2")
            .bind(&[hash.into(), (now_seconds as f64).into()])?
            .first(Some("tenant"))
            .await?;
        if owner.as_deref() == Some(tenant) {
            return Ok(());
        }
    }
    Err(Failure::Unauthorized {
        token_presented: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::TokenEntry;

    fn presented(r: Result<&str, Failure>) -> Option<bool> {
        match r {
            Err(Failure::Unauthorized { token_presented }) => Some(token_presented),
            _ => None,
        }
    }

    #[test]
    fn bearer_extracts_the_token_case_insensitively() {
        assert_eq!(bearer(Some("Bearer abc.def")).ok(), Some("abc.def"));
        assert_eq!(bearer(Some("bearer  abc ")).ok(), Some("abc"));
        assert_eq!(bearer(Some("BEARER x")).ok(), Some("x"));
    }

    #[test]
    fn bearer_rejects_missing_and_malformed_headers() {
        assert_eq!(presented(bearer(None)), Some(false));
        assert_eq!(presented(bearer(Some("Basic dXNlcjpwYXNz"))), Some(true));
        assert_eq!(presented(bearer(Some("Bearer"))), Some(true));
        assert_eq!(presented(bearer(Some("Bearer "))), Some(true));
        assert_eq!(presented(bearer(Some("Bearer a b"))), Some(true));
        assert_eq!(presented(bearer(Some("abc"))), Some(true));
    }

    #[test]
    fn static_tokens_match_by_hash() {
        let entry = |h: &str| TokenEntry {
            id: "i".into(),
            sha256: h.into(),
            label: None,
            created: String::new(),
        };
        let config = TenantConfig {
            tokens: vec![entry("aa11"), entry("bb22")],
            ..TenantConfig::default()
        };
        assert!(static_token_matches(&config, "bb22"));
        assert!(!static_token_matches(&config, "bb2"));
        assert!(!static_token_matches(&TenantConfig::default(), "aa11"));
    }
}
