//! Authentication of SCIM requests: bearer tokens (RFC 6750 §2.1) and, for tenants that have
//! Basic credentials, HTTP Basic (RFC 7617), which Okta can be configured to send.
//!
//! A token is valid for exactly one tenant. It is accepted when its SHA-256 equals (compared in
//! constant time) one of:
//! - the default tenant's `SCIM_TOKEN` secret (default tenant only);
//! - a static token hash in the tenant's KV configuration (created by the admin API);
//! - an unexpired token issued by `/oauth/token` for the tenant (D1 `tokens`, looked up by hash;
//!   only tokens with the [`OAUTH_TOKEN_PREFIX`] are looked up, so static tokens never touch D1).
//!
//! Basic credentials (`Authorization: Basic base64(username:password)`) are accepted when the
//! tenant's KV configuration holds that username with the SHA-256 of that password (both
//! compared in constant time). Passwords are made by the admin API (256 random bits), like
//! tokens, so a plain SHA-256 is as strong as the password itself.

use std::cell::RefCell;

use worker::{D1Database, Env};

use crate::codec::{base64_decode, ct_eq};
use crate::crypto::sha256_hex;
use crate::http::Failure;
use crate::route::DEFAULT_TENANT;
use crate::tenants::TenantConfig;

/// Prefix of access tokens issued by the OAuth endpoint.
pub const OAUTH_TOKEN_PREFIX: &str = "scimo_";

/// Credentials of a SCIM request.
#[derive(Debug, PartialEq, Eq)]
pub enum Credentials<'a> {
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name (before the first `:`).
        username: String,
        /// The password (after the first `:`).
        password: String,
    },
}

/// The credentials of a SCIM request's `Authorization` header value: a bearer token, or HTTP
/// Basic. A missing header is 401 without `invalid_token`, a malformed one 401 with it.
pub fn bearer(header: Option<&str>) -> Result<Credentials<'_>, Failure> {
    let presented = Failure::Unauthorized {
        token_presented: true,
    };
    match header {
        Some(h) if scheme_is(h, "basic") => basic_pair(h)
            .map(|(username, password)| Credentials::Basic { username, password })
            .ok_or(presented),
        _ => bearer_token(header).map(Credentials::Bearer),
    }
}

/// Whether an `Authorization` header value uses `scheme` (any case).
fn scheme_is(header: &str, scheme: &str) -> bool {
    header
        .trim()
        .split_once(' ')
        .is_some_and(|(s, _)| s.eq_ignore_ascii_case(scheme))
}

/// The decoded `user:password` pair of a `Basic` authorization header value (RFC 7617), split
/// at the first `:`; `None` for another scheme or a malformed value.
pub fn basic_pair(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The token of a `Bearer` authorization header value (the admin API takes nothing else).
pub fn bearer_token(header: Option<&str>) -> Result<&str, Failure> {
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

/// Whether `username` with a password hashing to `hash` is one of the tenant's Basic
/// credentials (every entry is compared, in constant time).
fn basic_matches(config: &TenantConfig, username: &str, hash: &str) -> bool {
    config.basic_credentials.iter().fold(false, |hit, c| {
        (ct_eq(c.username.as_bytes(), username.as_bytes())
            & ct_eq(c.sha256.as_bytes(), hash.as_bytes()))
            | hit
    })
}

/// Checks `credentials` for `tenant`; `Ok(())` when they are valid, else a 401 failure.
pub async fn authenticate(
    env: &Env,
    db: &D1Database,
    tenant: &str,
    config: &TenantConfig,
    credentials: Credentials<'_>,
    now_seconds: u64,
) -> Result<(), Failure> {
    let token = match credentials {
        Credentials::Bearer(token) => token,
        Credentials::Basic { username, password } => {
            let hash = sha256_hex(password.as_bytes()).await?;
            return if basic_matches(config, &username, &hash) {
                Ok(())
            } else {
                Err(Failure::Unauthorized {
                    token_presented: true,
                })
            };
        }
    };
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
    use crate::tenants::{BasicEntry, TokenEntry};

    fn presented<T>(r: Result<T, Failure>) -> Option<bool> {
        match r {
            Err(Failure::Unauthorized { token_presented }) => Some(token_presented),
            _ => None,
        }
    }

    #[test]
    fn bearer_token_extracts_the_token_case_insensitively() {
        assert_eq!(bearer_token(Some("Bearer abc.def")).ok(), Some("abc.def"));
        assert_eq!(bearer_token(Some("bearer  abc ")).ok(), Some("abc"));
        assert_eq!(bearer_token(Some("BEARER x")).ok(), Some("x"));
        assert_eq!(
            bearer(Some("Bearer abc")).ok(),
            Some(Credentials::Bearer("abc"))
        );
    }

    #[test]
    fn bearer_token_rejects_missing_and_malformed_headers() {
        assert_eq!(presented(bearer_token(None)), Some(false));
        assert_eq!(
            presented(bearer_token(Some("Basic dXNlcjpwYXNz"))),
            Some(true)
        );
        assert_eq!(presented(bearer_token(Some("Bearer"))), Some(true));
        assert_eq!(presented(bearer_token(Some("Bearer "))), Some(true));
        assert_eq!(presented(bearer_token(Some("Bearer a b"))), Some(true));
        assert_eq!(presented(bearer_token(Some("abc"))), Some(true));
        assert_eq!(presented(bearer(None)), Some(false));
        assert_eq!(presented(bearer(Some("abc"))), Some(true));
    }

    #[test]
    fn basic_credentials_are_decoded_without_form_decoding() {
        // "okta:p+ss:w%rd"
        assert_eq!(
            bearer(Some("Basic b2t0YTpwK3NzOnclcmQ=")).ok(),
            Some(Credentials::Basic {
                username: "okta".into(),
                password: "p+ss:w%rd".into()
            })
        );
        assert_eq!(presented(bearer(Some("basic !!!"))), Some(true));
        assert_eq!(presented(bearer(Some("Basic bm9jb2xvbg=="))), Some(true));
        assert_eq!(basic_pair("Bearer b2t0YTpw"), None);
    }

    #[test]
    fn basic_credentials_match_user_and_password_hash() {
        let config = TenantConfig {
            basic_credentials: vec![BasicEntry {
                id: "i".into(),
                username: "okta".into(),
                sha256: "aa11".into(),
                label: None,
                created: String::new(),
            }],
            ..TenantConfig::default()
        };
        assert!(basic_matches(&config, "okta", "aa11"));
        assert!(!basic_matches(&config, "okta", "aa12"));
        assert!(!basic_matches(&config, "Okta", "aa11"));
        assert!(!basic_matches(&TenantConfig::default(), "okta", "aa11"));
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
