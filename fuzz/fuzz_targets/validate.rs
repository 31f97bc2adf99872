//! cargo-fuzz target `validate`: see `scim_fuzz_harness::validate` for what it runs and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_harness::validate::run(data));
