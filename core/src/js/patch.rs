//! Compiled PATCH requests as JavaScript functions over JS resources.

use alloc::string::String;

use crate::patch::CompiledPatch;

/// A JavaScript expression for `(resource) => object | undefined`: a new resource with the
/// PATCH applied (the input untouched), or `undefined` where core must decide (every PATCH
/// that fails among them).
pub fn patch_source(patch: &CompiledPatch<'_>) -> String {
    let _ = patch;
    String::from("(() => undefined)")
}
