//! cargo-fuzz target `filter`: see `scim_fuzz_harness::filter` for what it runs and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_harness::filter::run(data));
