//! cargo-fuzz target `hosts_dates`: see `harness::hosts_dates` (fuzz/src/lib.rs) for what
//! it feeds the library and which invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::hosts_dates(data));
