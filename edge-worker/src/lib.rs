//! Cloudflare Worker host of the SCIM engine: routes a request (see `route.rs`), authenticates
//! it for its tenant, applies the tenant's limits, and hands it to the core service.
//!
//! Bindings (`wrangler.toml`): D1 `DB` (resources, memberships, OAuth clients and tokens),
//! KV `TENANTS` (tenant configuration), rate limiter `RATE_LIMITER` (Worker-wide ceiling).
//! Secrets: `SCIM_TOKEN` (default tenant's bearer token), `ADMIN_TOKEN` (admin API).

mod admin;
mod auth;
mod codec;
mod crypto;
mod d1_store;
mod environment;
mod http;
mod limits;
mod oauth;
mod route;
mod scim;
mod tenants;

use scim_core::ScimError;
use worker::{event, Context, Date, Env, Request, Response};

use crate::http::{split_url, Failure};
use crate::route::Route;

/// Host settings read from the Worker's vars, with their defaults.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// How long an isolate trusts its cached tenant configuration (`TENANT_CACHE_SECONDS`).
    tenant_cache_ms: u64,
    /// Largest SCIM request body (`MAX_BODY_BYTES`).
    max_body_bytes: usize,
}

impl Settings {
    fn from_env(env: &Env) -> Settings {
        let number = |name: &str, default: u64| {
            env.var(name)
                .ok()
                .and_then(|v| v.to_string().trim().parse::<u64>().ok())
                .unwrap_or(default)
        };
        Settings {
            tenant_cache_ms: number("TENANT_CACHE_SECONDS", 10).saturating_mul(1000),
            max_body_bytes: usize::try_from(number("MAX_BODY_BYTES", 1_048_576))
                .unwrap_or(usize::MAX),
        }
    }
}

/// Entry point of every HTTP request.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let url = req.inner().url();
    let (origin, path, query) = split_url(&url);
    let now_ms = Date::now().as_millis();
    let outcome = match route::route(path) {
        Route::Scim { tenant, base, rest } => {
            let settings = Settings::from_env(&env);
            let base_url = format!("{origin}{base}");
            let target = scim::Target {
                tenant,
                base_url: &base_url,
                rest,
                query,
            };
            scim::handle(req, &env, &settings, target, now_ms).await
        }
        Route::OAuthToken => oauth::token(req, &env, now_ms / 1000).await,
        Route::Admin(rest) => admin::handle(req, &env, rest, origin, now_ms).await,
        Route::NotFound => Err(Failure::Scim(ScimError::NotFound(format!(
            "no endpoint at {path}"
        )))),
    };
    Ok(outcome.unwrap_or_else(Failure::into_response))
}
