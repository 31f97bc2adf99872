//! OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4), `POST /oauth/token`.
//!
//! Clients authenticate with HTTP Basic (`client_id:client_secret`, RFC 6749 §2.3.1) or, as
//! some identity providers do, with `client_id` and `client_secret` form fields. The form body
//! must have `grant_type=client_credentials`; `scope`, when sent, must include `scim`.
//! Clients live in D1 (`oauth_clients`, secret as SHA-256); issued tokens are opaque random
//! strings stored as SHA-256 in D1 (`tokens`) with their expiry, so they work at once.

use serde_json::{json, Value};
use worker::{D1Database, Env, Method, Request, Response};

use crate::auth::{basic_pair, OAUTH_TOKEN_PREFIX};
use crate::codec::{ct_eq, form_decode, form_field};
use crate::crypto::{random_token, sha256_hex};
use crate::http::{json, sent_method, Failure};
use crate::limits::read_body;

/// Lifetime of issued access tokens when `OAUTH_TOKEN_TTL_SECONDS` is not set.
const DEFAULT_TTL_SECONDS: u64 = 3600;

/// Largest accepted token request body.
const MAX_FORM_BYTES: usize = 4096;

/// An RFC 6749 §5.2 error response.
fn oauth_error(status: u16, code: &str, description: &str) -> Response {
    let response = json(
        status,
        &json!({"error": code, "error_description": description}),
        "application/json",
    );
    let _ = response.headers().set("Cache-Control", "no-store");
    if status == 401 {
        let _ = response
            .headers()
            .set("WWW-Authenticate", "Basic realm=\"oauth\"");
    }
    response
}

/// The client id and secret of a `Basic` authorization header value.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (id, secret) = basic_pair(header)?;
    // RFC 6749 §2.3.1: the id and secret are form-encoded before Base64.
    Some((form_decode(&id)?, form_decode(&secret)?))
}

/// Whether a requested `scope` value grants SCIM access (absent scope means the default, `scim`).
fn scope_allowed(scope: Option<&str>) -> bool {
    scope.is_none_or(|s| s.split(' ').any(|item| item == "scim"))
}

/// The tenant of client `client_id` if `secret` is its secret.
async fn verify_client(
    db: &D1Database,
    client_id: &str,
    secret: &str,
) -> Result<Option<String>, Failure> {
    #[derive(serde::Deserialize)]
    struct Row {
        tenant: String,
        secret_sha256: String,
    }
    let row: Option<Row> = db
        .prepare("SELECT tenant, secret_sha256 FROM oauth_clients WHERE client_id = ?1")
        .bind(&[client_id.into()])?
        .first(None)
        .await?;
    let presented = sha256_hex(secret.as_bytes()).await?;
    Ok(row
        .filter(|r| ct_eq(r.secret_sha256.as_bytes(), presented.as_bytes()))
        .map(|r| r.tenant))
}

/// Handles a request to the token endpoint.
pub async fn token(mut req: Request, env: &Env, now_seconds: u64) -> Result<Response, Failure> {
    if sent_method(&req) != Some(Method::Post) {
        return Ok(oauth_error(
            405,
            "invalid_request",
            "the token endpoint accepts POST only",
        ));
    }
    let header = req.headers().get("Authorization")?;
    let body = read_body(&mut req, MAX_FORM_BYTES).await?;
    let form = String::from_utf8(body).unwrap_or_default();
    let credentials = match header.as_deref() {
        Some(h) => basic_credentials(h),
        None => form_field(&form, "client_id").zip(form_field(&form, "client_secret")),
    };
    let Some((client_id, secret)) = credentials else {
        return Ok(oauth_error(
            401,
            "invalid_client",
            "client authentication is required (HTTP Basic)",
        ));
    };
    match form_field(&form, "grant_type").as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Ok(oauth_error(
                400,
                "unsupported_grant_type",
                "only client_credentials is supported",
            ))
        }
        None => return Ok(oauth_error(400, "invalid_request", "grant_type is missing")),
    }
    let scope = form_field(&form, "scope");
    if !scope_allowed(scope.as_deref()) {
        return Ok(oauth_error(400, "invalid_scope", "the only scope is scim"));
    }
    let db = env.d1("DB")?;
    let Some(tenant) = verify_client(&db, &client_id, &secret).await? else {
        return Ok(oauth_error(
            401,
            "invalid_client",
            "unknown client or wrong secret",
        ));
    };
    let ttl = env
        .var("OAUTH_TOKEN_TTL_SECONDS")
        .ok()
        .and_then(|v| v.to_string().parse::<u64>().ok())
        .unwrap_or(DEFAULT_TTL_SECONDS);
    let access_token = random_token(OAUTH_TOKEN_PREFIX)?;
    let hash = sha256_hex(access_token.as_bytes()).await?;
    let now = now_seconds as f64;
    db.batch(vec![
        db.prepare("DELETE FROM tokens WHERE expires_at <= ?1")
            .bind(&[now.into()])?,
        db.prepare(
            "INSERT INTO tokens (sha256, tenant, client_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(&[
            hash.into(),
            tenant.into(),
            client_id.into(),
            (now + ttl as f64).into(),
        ])?,
    ])
    .await?;
    let body: Value = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": "scim",
    });
    let response = json(200, &body, "application/json");
    let _ = response.headers().set("Cache-Control", "no-store");
    let _ = response.headers().set("Pragma", "no-cache");
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_decode_id_and_secret() {
        assert_eq!(
            basic_credentials("Basic Y2xpZW50OnMzY3JldDp4"),
            Some(("client".into(), "s3cret:x".into()))
        );
        // "a%2Bb:c+d" with form-encoding undone
        assert_eq!(
            basic_credentials("basic YSUyQmI6Yytk"),
            Some(("a+b".into(), "c d".into()))
        );
    }

    #[test]
    fn basic_credentials_reject_other_schemes_and_garbage() {
        assert_eq!(basic_credentials("Bearer Y2xpZW50OnM="), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
        assert_eq!(basic_credentials("Basic bm9jb2xvbg=="), None);
        assert_eq!(basic_credentials("Basic"), None);
    }

    #[test]
    fn scope_must_include_scim_when_given() {
        assert!(scope_allowed(None));
        assert!(scope_allowed(Some("scim")));
        assert!(scope_allowed(Some("openid scim")));
        assert!(!scope_allowed(Some("admin")));
        assert!(!scope_allowed(Some("")));
    }
}
