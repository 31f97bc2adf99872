//! npm package host.
