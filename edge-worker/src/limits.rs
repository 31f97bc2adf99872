//! Request limits: per-tenant rate limiting (429) and the request body cap (413).
//!
//! Two rate limits apply, both keyed by tenant:
//! - the tenant's own `rateLimit` setting, a token bucket kept in the isolate (exact for one
//!   isolate, e.g. under `wrangler dev`; on Cloudflare each isolate counts on its own);
//! - the Worker-wide ceiling of the `RATE_LIMITER` binding (Cloudflare's rate limiting API,
//!   counted per Cloudflare location across isolates), configured in `wrangler.toml`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use js_sys::{futures::JsFuture, Function, Promise, Reflect, Uint8Array};
use scim_core::ScimError;
use wasm_bindgen::{JsCast, JsValue};
use worker::{Env, Request};

use crate::http::Failure;
use crate::tenants::RateLimit;

/// A token bucket: `capacity` tokens, refilled continuously at `capacity / period`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenBucket {
    tokens: f64,
    updated_ms: u64,
}

impl TokenBucket {
    /// A full bucket for `limit` at time `now_ms`.
    pub fn full(limit: RateLimit, now_ms: u64) -> TokenBucket {
        TokenBucket {
            tokens: f64::from(limit.requests),
            updated_ms: now_ms,
        }
    }

    /// Takes one token at `now_ms`; `Err(seconds)` to wait when the bucket is empty.
    pub fn take(&mut self, limit: RateLimit, now_ms: u64) -> Result<(), u32> {
        let capacity = f64::from(limit.requests);
        let period_ms = f64::from(limit.period_seconds.max(1)) * 1000.0;
        let elapsed = now_ms.saturating_sub(self.updated_ms) as f64;
        self.tokens = (self.tokens + elapsed * capacity / period_ms).min(capacity);
        self.updated_ms = self.updated_ms.max(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        if capacity <= 0.0 {
            return Err(limit.period_seconds.max(1));
        }
        let wait_ms = (1.0 - self.tokens) * period_ms / capacity;
        Err(((wait_ms / 1000.0).ceil() as u32).max(1))
    }
}

thread_local! {
    static BUCKETS: RefCell<BTreeMap<String, TokenBucket>> = const { RefCell::new(BTreeMap::new()) };
}

/// Applies `tenant`'s own rate limit (if any), then the Worker-wide `RATE_LIMITER` ceiling.
pub async fn check_rate(
    env: &Env,
    tenant: &str,
    limit: Option<RateLimit>,
    now_ms: u64,
) -> Result<(), Failure> {
    if let Some(limit) = limit {
        BUCKETS
            .with(|b| {
                b.borrow_mut()
                    .entry(tenant.to_owned())
                    .or_insert_with(|| TokenBucket::full(limit, now_ms))
                    .take(limit, now_ms)
            })
            .map_err(|retry_after| ScimError::TooManyRequests { retry_after })?;
    }
    if let Ok(ceiling) = env.rate_limiter("RATE_LIMITER") {
        if !ceiling.limit(tenant.to_owned()).await?.success {
            return Err(ScimError::TooManyRequests { retry_after: 10 }.into());
        }
    }
    Ok(())
}

/// Calls the JavaScript method `name` of `target` without arguments.
fn call(target: &JsValue, name: &str) -> Result<JsValue, worker::Error> {
    let method: Function = Reflect::get(target, &JsValue::from_str(name))?.dyn_into()?;
    Ok(method.call0(target)?)
}

/// The request body, refused with 413 when it exceeds `max_bytes`: by `Content-Length` before
/// reading, or while reading, chunk by chunk, so a body without a length (chunked) is never
/// held in memory beyond the limit.
pub async fn read_body(req: &mut Request, max_bytes: usize) -> Result<Vec<u8>, Failure> {
    let too_large = || {
        Failure::from(ScimError::PayloadTooLarge(format!(
            "the request body exceeds {max_bytes} bytes"
        )))
    };
    let declared = req.headers().get("Content-Length")?;
    if declared
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > max_bytes as u64)
    {
        return Err(too_large());
    }
    let Some(stream) = req.inner().body() else {
        return Ok(Vec::new());
    };
    let reader = call(&stream, "getReader")?;
    let mut body = Vec::new();
    loop {
        let read: Promise = call(&reader, "read")?.dyn_into()?;
        let chunk = JsFuture::from(read).await?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))?.is_truthy() {
            return Ok(body);
        }
        let value = Uint8Array::new(&Reflect::get(&chunk, &JsValue::from_str("value"))?);
        let start = body.len();
        let end = start.saturating_add(value.length() as usize);
        if end > max_bytes {
            // Stop the upload; the answer does not depend on whether cancelling worked.
            let _ = call(&reader, "cancel");
            return Err(too_large());
        }
        body.resize(end, 0);
        if let Some(slot) = body.get_mut(start..end) {
            value.copy_to(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR_PER_SECOND: RateLimit = RateLimit {
        requests: 4,
        period_seconds: 1,
    };

    #[test]
    fn bucket_allows_a_burst_then_refuses() {
        let mut b = TokenBucket::full(FOUR_PER_SECOND, 0);
        for _ in 0..4 {
            assert_eq!(b.take(FOUR_PER_SECOND, 0), Ok(()));
        }
        assert_eq!(b.take(FOUR_PER_SECOND, 0), Err(1));
    }

    #[test]
    fn bucket_refills_with_time() {
        let mut b = TokenBucket::full(FOUR_PER_SECOND, 0);
        for _ in 0..4 {
            b.take(FOUR_PER_SECOND, 0).unwrap();
        }
        assert!(b.take(FOUR_PER_SECOND, 100).is_err());
        assert_eq!(b.take(FOUR_PER_SECOND, 250), Ok(()));
        assert!(b.take(FOUR_PER_SECOND, 250).is_err());
        assert_eq!(b.take(FOUR_PER_SECOND, 10_000), Ok(()));
    }

    #[test]
    fn retry_after_covers_the_wait_in_whole_seconds() {
        let slow = RateLimit {
            requests: 1,
            period_seconds: 60,
        };
        let mut b = TokenBucket::full(slow, 0);
        b.take(slow, 0).unwrap();
        assert_eq!(b.take(slow, 0), Err(60));
        assert_eq!(b.take(slow, 30_000), Err(30));
    }

    #[test]
    fn zero_requests_always_refuses() {
        let none = RateLimit {
            requests: 0,
            period_seconds: 5,
        };
        let mut b = TokenBucket::full(none, 0);
        assert_eq!(b.take(none, 0), Err(5));
        assert_eq!(b.take(none, 99_000), Err(5));
    }

    #[test]
    fn clock_going_backwards_does_not_refill() {
        let mut b = TokenBucket::full(FOUR_PER_SECOND, 1_000);
        for _ in 0..4 {
            b.take(FOUR_PER_SECOND, 1_000).unwrap();
        }
        assert!(b.take(FOUR_PER_SECOND, 0).is_err());
    }
}
