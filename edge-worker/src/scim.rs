//! SCIM requests: authenticate for the tenant, apply its limits, then answer.

use scim_core::ScimError;
use worker::{Env, Request};

use crate::auth::{authenticate, bearer};
use crate::http::{Failure, Outcome};
use crate::limits::{check_rate, read_body};
use crate::tenants;
use crate::Settings;

/// Handles a request to `tenant`'s SCIM API; `rest` is the path below the tenant's base.
pub async fn handle(
    mut req: Request,
    env: &Env,
    settings: &Settings,
    tenant: &str,
    rest: &str,
    now_ms: u64,
) -> Outcome {
    let header = req.headers().get("Authorization")?;
    let token = bearer(header.as_deref())?;
    let kv = env.kv("TENANTS")?;
    let config = tenants::load(&kv, tenant, now_ms, settings.tenant_cache_ms)
        .await?
        .ok_or(Failure::Unauthorized {
            token_presented: true,
        })?;
    let db = env.d1("DB")?;
    authenticate(env, &db, tenant, &config, token, now_ms / 1000).await?;
    check_rate(env, tenant, config.settings.rate_limit, now_ms).await?;
    read_body(&mut req, settings.max_body_bytes).await?;
    Err(ScimError::NotFound(format!("no SCIM endpoint at {rest}")).into())
}
