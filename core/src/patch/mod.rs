//! PATCH (RFC 7644 §3.5.2): PatchOp parsing with client quirks and atomic application.
//!
//! [`PatchRequest::parse`] turns the body into typed operations once; [`apply`] (or
//! [`CompiledPatch::new`] then [`CompiledPatch::apply`], to run one request on many resources)
//! resolves their paths against the schema and applies them, in order, to a copy of the
//! resource: any error leaves the caller's resource untouched. [`apply_in_place`] patches a
//! resource the caller owns, restoring it on error. Resources are in canonical form (names in
//! schema case, extensions under their URN); names in paths and values match
//! case-insensitively and are written in canonical case. [`PatchOutcome::changed`] tells the
//! service whether to touch `meta.lastModified` and `meta.version`.
//!
//! # Semantics (RFC 7644 §3.5.2.1–3), and choices where the RFC leaves room
//! - No path: each key of the value object is applied as if it were the path (an attribute,
//!   an extension URN whose object holds that extension's attributes, a URN-qualified
//!   attribute; any path with [`PatchOptions::path_keys`]).
//! - `add` appends to a multi-valued attribute; a value already there is not added twice
//!   (complex values are the same when their `value` sub-attributes are equal, and their
//!   `type`s when both have one; the new one's sub-attributes are merged into the old one,
//!   except immutable ones). On a single-valued attribute `add` replaces; on a complex one it
//!   merges sub-attributes, as `replace` does (null sub-attributes unassign).
//! - `replace` of a multi-valued attribute replaces every value; of a complex one merges the
//!   given sub-attributes (§3.5.2.3); on `attr[filter]` replaces each matching value whole; on
//!   `attr[filter].sub` sets `sub` of each matching value. A null value unassigns.
//! - `add` on `attr[filter]` merges the value into each matching value.
//! - `attr.sub` on a multi-valued attribute (no filter) targets `sub` of every value; `add`
//!   or `replace` on an attribute without values creates one.
//! - `remove` without path is `noTarget` (§3.5.2.2). A filter that matches nothing is
//!   `noTarget` for `remove` and `replace` (§3.12; also `add`, for which the RFC defines no
//!   filtered form), unless [`PatchOptions::create_missing_value`] or
//!   [`PatchOptions::remove_unmatched_ok`] say otherwise. Values and attributes left empty
//!   are unassigned: removed, like an extension object left empty, whose URN then leaves
//!   `schemas`; an extension written to joins `schemas`.
//! - Mutability (§3.5.2, RFC 7643 §2.2): a readOnly attribute may only be "written" with the
//!   value it has (Okta sends the group `id` back in a rename), otherwise `mutability`; an
//!   immutable attribute or sub-attribute may be set when unassigned, never changed or
//!   removed; removing (or nulling) a required attribute or sub-attribute is `mutability`
//!   (§3.5.2.2), and so is removing `schemas` or a required extension. Values of
//!   multi-valued attributes with immutable sub-attributes (`members`) may be added and
//!   removed whole.
//! - A value set with `primary: true` clears `primary` on the attribute's other values.
//! - Written values are type-checked as [`validate`](crate::resource::validate::validate)
//!   checks them (types, `canonicalValues` when strict, required sub-attributes and
//!   extension attributes, one primary), so the result is a valid resource; errors are
//!   `invalidValue`, bad paths `invalidPath` (`invalidFilter` for a bad filter inside one).
//!
//! The quirks of Microsoft Entra ID and Okta are listed on [`PatchOptions`].

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
