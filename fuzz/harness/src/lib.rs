//! Fuzz target bodies for `scim-core`.
//!
//! Each public function takes the raw bytes of one fuzz input, runs the engine on them and
//! panics when an invariant breaks (a panic inside the engine counts too). The cargo-fuzz
//! targets in `fuzz/fuzz_targets/` call these functions, and `tests/replay.rs` runs every
//! committed corpus and regression file through them as ordinary tests.

mod fixtures;
mod json;

pub mod filter;
pub mod patch;
pub mod path;
pub mod service;
pub mod validate;

/// The body of a fuzz target: runs the engine on one input, panics on a broken invariant.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: the directory names under `fuzz/corpus/` and `fuzz/regressions/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("filter", filter::run),
    ("path", path::run),
    ("validate", validate::run),
    ("patch", patch::run),
    ("service", service::run),
];
