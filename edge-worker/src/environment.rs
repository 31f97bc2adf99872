//! The world the core service sees from the Worker: the clock and resource id generation.

use scim_core::query::Instant;
use scim_core::service::Environment;
use worker::Date;

use crate::codec::uuid_v4;
use crate::crypto::random_bytes;

/// `Date.now()` and random UUIDs from Web Crypto.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkerEnvironment;

impl Environment for WorkerEnvironment {
    fn now(&self) -> Instant {
        Instant::from_unix_millis(i64::try_from(Date::now().as_millis()).unwrap_or(i64::MAX))
    }

    fn new_id(&self) -> String {
        // Web Crypto does not fail for 16 bytes; should it, Math.random still gives unique ids.
        let bytes = random_bytes::<16>().unwrap_or_else(|_| {
            core::array::from_fn(|_| (worker::js_sys::Math::random() * 256.0) as u8)
        });
        uuid_v4(bytes)
    }
}
