//! Compiled filters as JavaScript predicates over JS resources.

use alloc::string::String;

use crate::query::compile::{CompiledFilter, CompiledValueFilter};

/// A JavaScript expression for `(resource) => true | false | undefined`: whether a resource
/// (canonical attribute names) satisfies `filter`, or `undefined` where core must decide.
pub fn filter_source(filter: &CompiledFilter) -> String {
    let _ = filter;
    String::from(UNDECIDED)
}

/// A JavaScript expression for `(value) => true | false | undefined`: whether one value of the
/// filtered attribute satisfies `filter`, or `undefined` where core must decide.
pub fn value_filter_source(filter: &CompiledValueFilter) -> String {
    let _ = filter;
    String::from(UNDECIDED)
}

/// A function that leaves every decision to core.
const UNDECIDED: &str = "(() => undefined)";
