//! PATCH (RFC 7644 §3.5.2): PatchOp parsing with client quirks and atomic application.
//!
//! [`PatchRequest::parse`] turns the body into typed operations once; [`apply`] (or
//! [`CompiledPatch::new`] then [`CompiledPatch::apply`], to run one request on many resources)
//! resolves their paths against the schema and applies them, in order, to a copy of the
//! resource: any error leaves the caller's resource untouched. [`apply_in_place`] patches a
//! resource the caller owns, restoring it on error.

pub mod compile;
pub mod exec;
pub mod options;
pub mod request;
mod undo;
mod value;

pub use compile::CompiledPatch;
pub use exec::PatchOutcome;
pub use options::PatchOptions;
pub use request::{OpKind, PatchOperation, PatchRequest, PATCH_OP_URN};

use serde_json::Value;

use crate::error::Result;
use crate::schema::{Registry, ResourceType};

/// Applies `request` to `resource` (a resource of type `rt` in canonical form).
pub fn apply(
    resource: &Value,
    request: &PatchRequest,
    registry: &Registry,
    rt: &ResourceType,
    options: &PatchOptions,
) -> Result<PatchOutcome> {
    CompiledPatch::new(request, registry, rt, options)?.apply(resource)
}

/// Applies `request` to `resource` in place and tells whether it changed; on error `resource`
/// is restored as it was. Cheaper than [`apply`] for a resource the caller owns: only the
/// members the PATCH touches are copied.
pub fn apply_in_place(
    resource: &mut Value,
    request: &PatchRequest,
    registry: &Registry,
    rt: &ResourceType,
    options: &PatchOptions,
) -> Result<bool> {
    CompiledPatch::new(request, registry, rt, options)?.apply_in_place(resource)
}

#[cfg(test)]
mod tests;
