//! Resident collection tests.
