//! cargo-fuzz target `patch`: see `scim_fuzz_harness::patch` for what it runs and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_harness::patch::run(data));
