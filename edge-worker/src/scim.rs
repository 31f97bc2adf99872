//! SCIM requests: authenticate for the tenant, apply its limits, then hand the request to the
//! core service over the tenant's D1 store.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use scim_core::service::{self, Method, Service};
use worker::{Env, Request};

use crate::auth::{authenticate, bearer};
use crate::d1_store::{unique_columns, D1Store, UniqueColumns};
use crate::environment::WorkerEnvironment;
use crate::http::{from_core, Failure, Outcome};
use crate::limits::{check_rate, read_body};
use crate::tenants::{self, TenantConfig};
use crate::Settings;

/// A tenant's service, built from one version of its configuration.
struct Built {
    config: Rc<TenantConfig>,
    service: Rc<TenantService>,
}

/// What serving one tenant needs besides its store: the core service and the attributes its
/// `unique_key` column holds.
pub struct TenantService {
    service: Service<WorkerEnvironment>,
    unique: UniqueColumns,
}

thread_local! {
    static SERVICES: RefCell<BTreeMap<String, Built>> = const { RefCell::new(BTreeMap::new()) };
}

/// The service of `tenant` for `config`, built once per configuration and isolate.
fn service_for(
    tenant: &str,
    config: &Rc<TenantConfig>,
    settings: &Settings,
) -> Result<Rc<TenantService>, Failure> {
    let cached = SERVICES.with(|s| {
        s.borrow()
            .get(tenant)
            .filter(|b| Rc::ptr_eq(&b.config, config))
            .map(|b| b.service.clone())
    });
    if let Some(service) = cached {
        return Ok(service);
    }
    let registry = config.settings.registry()?;
    let service_config = config.settings.service_config(settings.max_body_bytes);
    let unique = unique_columns(&registry, &service_config);
    let service = Rc::new(TenantService {
        service: Service::new(registry, service_config, WorkerEnvironment),
        unique,
    });
    SERVICES.with(|s| {
        s.borrow_mut().insert(
            tenant.to_owned(),
            Built {
                config: config.clone(),
                service: service.clone(),
            },
        )
    });
    Ok(service)
}

/// A SCIM request as the router found it.
pub struct Target<'a> {
    /// The tenant's name.
    pub tenant: &'a str,
    /// The tenant's absolute SCIM base URL.
    pub base_url: &'a str,
    /// The path below the base.
    pub rest: &'a str,
    /// The raw query string.
    pub query: &'a str,
}

/// Handles a request to a tenant's SCIM API.
pub async fn handle(
    mut req: Request,
    env: &Env,
    settings: &Settings,
    target: Target<'_>,
    now_ms: u64,
) -> Outcome {
    let header = req.headers().get("Authorization")?;
    let token = bearer(header.as_deref())?;
    let kv = env.kv("TENANTS")?;
    let config = tenants::load(&kv, target.tenant, now_ms, settings.tenant_cache_ms)
        .await?
        .ok_or(Failure::Unauthorized {
            token_presented: true,
        })?;
    let db = env.d1("DB")?;
    authenticate(env, &db, target.tenant, &config, token, now_ms / 1000).await?;
    check_rate(env, target.tenant, config.settings.rate_limit, now_ms).await?;
    let built = service_for(target.tenant, &config, settings)?;
    let service = &built.service;
    let limit = service
        .config()
        .max_body_size
        .max(service.config().bulk_max_payload_size);
    let body = read_body(&mut req, limit).await?;
    let headers: Vec<(String, String)> = req.headers().entries().collect();
    // The method as sent: workers-rs's `Request::method` turns methods it does not know
    // (PROPFIND, TRACE, ...) into GET, which would serve them as reads instead of 405.
    let method = Method::parse(&req.inner().method());
    let request = service::Request {
        method,
        base_url: target.base_url,
        path: target.rest,
        query: target.query,
        headers: &headers,
        body: &body,
    };
    let store = D1Store::new(db, target.tenant, &built.unique);
    Ok(from_core(service.handle(&store, &request).await))
}
