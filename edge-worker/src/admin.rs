//! Administration API under `/admin`, authorized by the `ADMIN_TOKEN` secret (bearer).
//!
//! ```text
//! GET    /admin/tenants/{t}                 the tenant's settings, token ids and OAuth clients
//! PUT    /admin/tenants/{t}                 create (201) or update (200): {"settings": {...}}
//! DELETE /admin/tenants/{t}                 delete config, tokens and clients (data is kept)
//! POST   /admin/tenants/{t}/tokens          new static token: {"label"?} -> 201 {"id","token"}
//! DELETE /admin/tenants/{t}/tokens/{id}     revoke a static token
//! POST   /admin/tenants/{t}/basic           new HTTP Basic credential (Okta): {"username"?, "label"?}
//!                                           -> 201 {"id","username","password"}
//! DELETE /admin/tenants/{t}/basic/{id}      revoke a Basic credential
//! POST   /admin/tenants/{t}/clients         new OAuth client: {"label"?}
//!                                           -> 201 {"client_id","client_secret","token_endpoint"}
//! DELETE /admin/tenants/{t}/clients/{id}    delete a client and the tokens issued to it
//! ```
//! Without an `ADMIN_TOKEN` secret every admin request is refused.

use scim_core::query::Instant;
use scim_core::ScimError;
use serde::Deserialize;
use serde_json::json;
use worker::{D1Database, Env, KvStore, Method, Request, Response};

use crate::auth::bearer_token;
use crate::codec::ct_eq;
use crate::crypto::{random_id, random_token, sha256_hex};
use crate::http::{json, sent_method, Failure, Outcome};
use crate::limits::read_body;
use crate::route::{valid_tenant_name, DEFAULT_TENANT};
use crate::tenants::{self, BasicEntry, Settings, TenantConfig, TokenEntry};

/// Prefix of static tenant tokens made by the admin API.
const TENANT_TOKEN_PREFIX: &str = "scimt_";
/// Prefix of HTTP Basic passwords.
const BASIC_PASSWORD_PREFIX: &str = "scimp_";
/// Longest accepted Basic user name.
const MAX_USERNAME_CHARS: usize = 128;
/// Prefix of OAuth client secrets.
const CLIENT_SECRET_PREFIX: &str = "scims_";
/// Largest accepted admin request body (settings may carry custom schemas).
const MAX_ADMIN_BODY: usize = 256 * 1024;

/// What an admin request addresses.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    Tenant(&'a str),
    Tokens(&'a str),
    Token(&'a str, &'a str),
    Basics(&'a str),
    Basic(&'a str, &'a str),
    Clients(&'a str),
    Client(&'a str, &'a str),
}

/// The target of a path below `/admin`.
fn target(path: &str) -> Option<Target<'_>> {
    let mut parts = path.strip_prefix("/tenants/")?.split('/');
    let tenant = parts.next().filter(|t| valid_tenant_name(t))?;
    let target = match (parts.next(), parts.next()) {
        (None, _) => Target::Tenant(tenant),
        (Some("tokens"), None) => Target::Tokens(tenant),
        (Some("tokens"), Some(id)) if !id.is_empty() => Target::Token(tenant, id),
        (Some("basic"), None) => Target::Basics(tenant),
        (Some("basic"), Some(id)) if !id.is_empty() => Target::Basic(tenant, id),
        (Some("clients"), None) => Target::Clients(tenant),
        (Some("clients"), Some(id)) if !id.is_empty() => Target::Client(tenant, id),
        _ => return None,
    };
    parts.next().is_none().then_some(target)
}

/// Optional `label` of a created token or client.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct LabelBody {
    label: Option<String>,
}

/// Body of `POST /admin/tenants/{t}/basic`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct BasicBody {
    username: Option<String>,
    label: Option<String>,
}

/// Checks a requested Basic user name: 1 to 128 printable characters without `:` (RFC 7617
/// §2 forbids it in the user-id).
fn check_username(name: &str) -> Result<(), Failure> {
    let count = name.chars().count();
    if count == 0 || count > MAX_USERNAME_CHARS || name.chars().any(|c| c == ':' || c.is_control())
    {
        return Err(Failure::Scim(ScimError::invalid_value(
            "username",
            "must be 1 to 128 printable characters without ':'",
        )));
    }
    Ok(())
}

/// Body of `PUT /admin/tenants/{t}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TenantBody {
    settings: Settings,
}

/// Parses an optional JSON body (empty means the default).
fn parse_body<T: Default + for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Failure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| Failure::Scim(ScimError::InvalidSyntax(format!("admin request body: {e}"))))
}

fn not_found(what: &str) -> Failure {
    Failure::Scim(ScimError::NotFound(what.to_owned()))
}

/// Context of one admin request.
struct Admin<'a> {
    kv: KvStore,
    db: D1Database,
    origin: &'a str,
    now_ms: u64,
}

impl Admin<'_> {
    fn now(&self) -> String {
        Instant::from_unix_millis(i64::try_from(self.now_ms).unwrap_or(i64::MAX)).to_string()
    }

    async fn existing(&self, tenant: &str) -> Result<TenantConfig, Failure> {
        tenants::load(&self.kv, tenant, self.now_ms, 0)
            .await?
            .map(|c| (*c).clone())
            .ok_or_else(|| not_found(&format!("tenant {tenant}")))
    }

    async fn describe(&self, tenant: &str) -> Outcome {
        let config = self.existing(tenant).await?;
        #[derive(Deserialize)]
        struct Client {
            client_id: String,
            label: Option<String>,
            created: String,
        }
        let clients: Vec<Client> = self
            .db
            .prepare("SELECT client_id, label, created FROM oauth_clients WHERE tenant = ?1")
            .bind(&[tenant.into()])?
            .all()
            .await?
            .results()?;
        let base = if tenant == DEFAULT_TENANT {
            format!("{}/scim/v2", self.origin)
        } else {
            format!("{}/{tenant}/scim/v2", self.origin)
        };
        let body = json!({
            "name": tenant,
            "scimBaseUrl": base,
            "settings": config.settings,
            "tokens": config.tokens.iter().map(|t| json!({
                "id": t.id, "label": t.label, "created": t.created,
            })).collect::<Vec<_>>(),
            "basicCredentials": config.basic_credentials.iter().map(|b| json!({
                "id": b.id, "username": b.username, "label": b.label, "created": b.created,
            })).collect::<Vec<_>>(),
            "clients": clients.iter().map(|c| json!({
                "client_id": c.client_id, "label": c.label, "created": c.created,
            })).collect::<Vec<_>>(),
        });
        Ok(json(200, &body, "application/json"))
    }

    async fn put_tenant(&self, tenant: &str, body: &[u8]) -> Outcome {
        let TenantBody { settings } = parse_body(body)?;
        // Refuse custom schemas the service could not load, now rather than on every request.
        settings.registry()?;
        let stored = tenants::fetch(&self.kv, tenant).await?;
        let created = stored.is_none();
        let mut config = stored.unwrap_or_default();
        config.settings = settings;
        tenants::save(&self.kv, tenant, config, self.now_ms).await?;
        let response = self.describe(tenant).await?;
        Ok(if created {
            response.with_status(201)
        } else {
            response
        })
    }

    async fn delete_tenant(&self, tenant: &str) -> Outcome {
        self.existing(tenant).await?;
        tenants::remove(&self.kv, tenant, self.now_ms).await?;
        self.db
            .batch(vec![
                self.db
                    .prepare("DELETE FROM tokens WHERE tenant = ?1")
                    .bind(&[tenant.into()])?,
                self.db
                    .prepare("DELETE FROM oauth_clients WHERE tenant = ?1")
                    .bind(&[tenant.into()])?,
            ])
            .await?;
        Ok(Response::empty()?.with_status(204))
    }

    async fn add_token(&self, tenant: &str, body: &[u8]) -> Outcome {
        let LabelBody { label } = parse_body(body)?;
        let mut config = self.existing(tenant).await?;
        let token = random_token(TENANT_TOKEN_PREFIX)?;
        let entry = TokenEntry {
            id: random_id()?,
            sha256: sha256_hex(token.as_bytes()).await?,
            label,
            created: self.now(),
        };
        let body = json!({"id": entry.id, "token": token, "label": entry.label, "tenant": tenant});
        config.tokens.push(entry);
        tenants::save(&self.kv, tenant, config, self.now_ms).await?;
        Ok(json(201, &body, "application/json"))
    }

    async fn revoke_token(&self, tenant: &str, id: &str) -> Outcome {
        let mut config = self.existing(tenant).await?;
        let before = config.tokens.len();
        config.tokens.retain(|t| t.id != id);
        if config.tokens.len() == before {
            return Err(not_found(&format!("token {id}")));
        }
        tenants::save(&self.kv, tenant, config, self.now_ms).await?;
        Ok(Response::empty()?.with_status(204))
    }

    async fn add_basic(&self, tenant: &str, body: &[u8]) -> Outcome {
        let BasicBody { username, label } = parse_body(body)?;
        let mut config = self.existing(tenant).await?;
        let username = match username {
            Some(name) => {
                check_username(&name)?;
                name
            }
            None => format!("scim_{}", random_id()?),
        };
        if config
            .basic_credentials
            .iter()
            .any(|b| b.username == username)
        {
            return Err(Failure::Scim(ScimError::Conflict(format!(
                "username {username} already exists"
            ))));
        }
        let password = random_token(BASIC_PASSWORD_PREFIX)?;
        let entry = BasicEntry {
            id: random_id()?,
            username,
            sha256: sha256_hex(password.as_bytes()).await?,
            label,
            created: self.now(),
        };
        let body = json!({
            "id": entry.id, "username": entry.username, "password": password,
            "label": entry.label, "tenant": tenant,
        });
        config.basic_credentials.push(entry);
        tenants::save(&self.kv, tenant, config, self.now_ms).await?;
        Ok(json(201, &body, "application/json"))
    }

    async fn revoke_basic(&self, tenant: &str, id: &str) -> Outcome {
        let mut config = self.existing(tenant).await?;
        let before = config.basic_credentials.len();
        config.basic_credentials.retain(|b| b.id != id);
        if config.basic_credentials.len() == before {
            return Err(not_found(&format!("basic credential {id}")));
        }
        tenants::save(&self.kv, tenant, config, self.now_ms).await?;
        Ok(Response::empty()?.with_status(204))
    }

    async fn add_client(&self, tenant: &str, body: &[u8]) -> Outcome {
        let LabelBody { label } = parse_body(body)?;
        self.existing(tenant).await?;
        let client_id = format!("client_{}", random_id()?);
        let secret = random_token(CLIENT_SECRET_PREFIX)?;
        let secret_hash = sha256_hex(secret.as_bytes()).await?;
        self.db
            .prepare(
                "INSERT INTO oauth_clients (client_id, tenant, secret_sha256, label, created) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .bind(&[
                client_id.as_str().into(),
                tenant.into(),
                secret_hash.into(),
                label
                    .as_deref()
                    .map_or(worker::wasm_bindgen::JsValue::NULL, Into::into),
                self.now().into(),
            ])?
            .run()
            .await?;
        let body = json!({
            "client_id": client_id,
            "client_secret": secret,
            "token_endpoint": format!("{}/oauth/token", self.origin),
            "label": label,
            "tenant": tenant,
        });
        Ok(json(201, &body, "application/json"))
    }

    async fn delete_client(&self, tenant: &str, id: &str) -> Outcome {
        let results = self
            .db
            .batch(vec![
                self.db
                    .prepare("DELETE FROM tokens WHERE client_id = ?1 AND tenant = ?2")
                    .bind(&[id.into(), tenant.into()])?,
                self.db
                    .prepare("DELETE FROM oauth_clients WHERE client_id = ?1 AND tenant = ?2")
                    .bind(&[id.into(), tenant.into()])?,
            ])
            .await?;
        let deleted = results
            .get(1)
            .and_then(|r| r.meta().ok().flatten())
            .and_then(|m| m.changes)
            .unwrap_or(0);
        if deleted == 0 {
            return Err(not_found(&format!("client {id}")));
        }
        Ok(Response::empty()?.with_status(204))
    }
}

/// Whether the request carries the admin token.
async fn authorized(env: &Env, req: &Request) -> Result<(), Failure> {
    let header = req.headers().get("Authorization")?;
    let token = bearer_token(header.as_deref())?;
    let expected = env
        .secret("ADMIN_TOKEN")
        .map(|s| s.to_string())
        .unwrap_or_default();
    let rejected = Failure::Unauthorized {
        token_presented: true,
    };
    if expected.is_empty() {
        return Err(rejected);
    }
    let (a, b) = (
        sha256_hex(token.as_bytes()).await?,
        sha256_hex(expected.as_bytes()).await?,
    );
    if ct_eq(a.as_bytes(), b.as_bytes()) {
        Ok(())
    } else {
        Err(rejected)
    }
}

/// Handles a request to `/admin{path}`.
pub async fn handle(mut req: Request, env: &Env, path: &str, origin: &str, now_ms: u64) -> Outcome {
    authorized(env, &req).await?;
    let target = target(path).ok_or_else(|| not_found(&format!("/admin{path}")))?;
    let body = read_body(&mut req, MAX_ADMIN_BODY).await?;
    let admin = Admin {
        kv: env.kv("TENANTS")?,
        db: env.d1("DB")?,
        origin,
        now_ms,
    };
    let Some(method) = sent_method(&req) else {
        let sent = req.inner().method();
        return Err(ScimError::MethodNotAllowed(format!("{sent} /admin{path}")).into());
    };
    match (target, method) {
        (Target::Tenant(t), Method::Get) => admin.describe(t).await,
        (Target::Tenant(t), Method::Put) => admin.put_tenant(t, &body).await,
        (Target::Tenant(t), Method::Delete) => admin.delete_tenant(t).await,
        (Target::Tokens(t), Method::Post) => admin.add_token(t, &body).await,
        (Target::Token(t, id), Method::Delete) => admin.revoke_token(t, id).await,
        (Target::Basics(t), Method::Post) => admin.add_basic(t, &body).await,
        (Target::Basic(t, id), Method::Delete) => admin.revoke_basic(t, id).await,
        (Target::Clients(t), Method::Post) => admin.add_client(t, &body).await,
        (Target::Client(t, id), Method::Delete) => admin.delete_client(t, id).await,
        (_, m) => Err(ScimError::MethodNotAllowed(format!("{m} /admin{path}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_paths_parse_into_targets() {
        assert_eq!(target("/tenants/acme"), Some(Target::Tenant("acme")));
        assert_eq!(target("/tenants/acme/tokens"), Some(Target::Tokens("acme")));
        assert_eq!(
            target("/tenants/acme/tokens/ab12"),
            Some(Target::Token("acme", "ab12"))
        );
        assert_eq!(target("/tenants/acme/basic"), Some(Target::Basics("acme")));
        assert_eq!(
            target("/tenants/acme/basic/cd34"),
            Some(Target::Basic("acme", "cd34"))
        );
        assert_eq!(
            target("/tenants/acme/clients"),
            Some(Target::Clients("acme"))
        );
        assert_eq!(
            target("/tenants/acme/clients/client_1"),
            Some(Target::Client("acme", "client_1"))
        );
    }

    #[test]
    fn bad_admin_paths_have_no_target() {
        assert_eq!(target(""), None);
        assert_eq!(target("/tenants/"), None);
        assert_eq!(target("/tenants/Bad_Name"), None);
        assert_eq!(target("/tenants/acme/other"), None);
        assert_eq!(target("/tenants/acme/tokens/"), None);
        assert_eq!(target("/tenants/acme/tokens/a/b"), None);
        assert_eq!(target("/tenant/acme"), None);
    }

    #[test]
    fn empty_bodies_mean_defaults_and_unknown_fields_are_refused() {
        let b: TenantBody = parse_body(b"  ").unwrap();
        assert_eq!(b.settings, Settings::default());
        let b: TenantBody = parse_body(br#"{"settings":{"softDelete":true}}"#).unwrap();
        assert!(b.settings.soft_delete);
        assert!(parse_body::<TenantBody>(br#"{"setting":{}}"#).is_err());
        assert!(parse_body::<LabelBody>(b"{").is_err());
        let b: BasicBody = parse_body(br#"{"username":"okta"}"#).unwrap();
        assert_eq!(b.username.as_deref(), Some("okta"));
        assert!(parse_body::<BasicBody>(br#"{"password":"x"}"#).is_err());
    }

    #[test]
    fn basic_user_names_are_checked() {
        assert!(check_username("okta-provisioning@acme").is_ok());
        assert!(check_username(&"é".repeat(128)).is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("a:b").is_err());
        assert!(check_username("a\nb").is_err());
        assert!(check_username(&"x".repeat(129)).is_err());
    }
}
