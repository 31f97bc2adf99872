//! Test support: a minimal executor and fixtures.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use crate::schema::Registry;

/// Runs `future` to completion on the current thread (stores used in tests never block).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// The built-in registry (User, Group, EnterpriseUser).
pub fn registry() -> Registry {
    Registry::builtin()
}
