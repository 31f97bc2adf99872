//! Compiled filters as JavaScript predicates over JS resources.
//!
//! The emitted expression is an immediately invoked function: the runtime helpers it needs
//! (`filter/*.js`), the literals as hoisted constants, one function per compiled node, and the
//! predicate it returns. Every answer is `true`, `false` or `undefined` (core decides), combined
//! in three-valued logic (`and`, `or`, `not` and "any value" as Kleene's), so an undecided value
//! only matters where it could change the outcome. The module `emit` says what stays undecided.

mod emit;

use alloc::string::String;

use crate::query::compile::{CompiledFilter, CompiledValueFilter};
use emit::{Emitter, Scope};

/// A JavaScript expression for `(resource) => true | false | undefined`: whether a resource
/// (canonical attribute names) satisfies `filter`, or `undefined` where core must decide.
pub fn filter_source(filter: &CompiledFilter) -> String {
    Emitter::default().program(filter.root(), Scope::Resource)
}

/// A JavaScript expression for `(value) => true | false | undefined`: whether one value of the
/// filtered attribute satisfies `filter`, or `undefined` where core must decide.
pub fn value_filter_source(filter: &CompiledValueFilter) -> String {
    Emitter::default().program(filter.root(), Scope::Element)
}

#[cfg(test)]
mod tests;
