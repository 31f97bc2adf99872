//! cargo-fuzz target `path`: see `scim_fuzz_harness::path` for what it runs and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_harness::path::run(data));
