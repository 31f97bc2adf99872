//! The world the host injects: the clock and id generation.

use alloc::format;
use alloc::string::String;
use core::cell::Cell;

use crate::query::datetime::Instant;

/// Time and ids, provided by the host so the core stays deterministic.
pub trait Environment {
    /// The current time.
    fn now(&self) -> Instant;

    /// A new resource id, unique in the tenant (e.g. a random UUID). Ids containing the text
    /// `bulkId` are refused by the service, which then asks again.
    fn new_id(&self) -> String;
}

/// A deterministic environment: a clock that advances one millisecond per reading from a start
/// instant, and ids `00000001`, `00000002`, … (for tests and demos).
#[derive(Debug)]
pub struct SequentialEnvironment {
    millis: Cell<i64>,
    next_id: Cell<u64>,
}

impl SequentialEnvironment {
    /// Starts the clock at `start_millis` milliseconds after the Unix epoch.
    pub fn new(start_millis: i64) -> SequentialEnvironment {
        SequentialEnvironment {
            millis: Cell::new(start_millis),
            next_id: Cell::new(1),
        }
    }
}

impl Environment for SequentialEnvironment {
    fn now(&self) -> Instant {
        let now = self.millis.get();
        self.millis.set(now.saturating_add(1));
        Instant::from_unix_millis(now)
    }

    fn new_id(&self) -> String {
        let n = self.next_id.get();
        self.next_id.set(n.wrapping_add(1));
        format!("{n:08}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_environment_advances_clock_and_ids() {
        let env = SequentialEnvironment::new(1_714_557_600_000);
        let a = env.now();
        let b = env.now();
        assert!(b > a);
        assert_eq!(a.unix_seconds(), 1_714_557_600);
        assert_eq!(env.new_id(), "00000001");
        assert_eq!(env.new_id(), "00000002");
    }
}
