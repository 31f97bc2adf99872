//! Canonical text of parsed filters and paths.
