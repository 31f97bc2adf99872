//! cargo-fuzz target `service`: see `scim_fuzz_harness::service` for what it runs and checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_harness::service::run(data));
