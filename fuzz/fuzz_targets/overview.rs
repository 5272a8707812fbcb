//! cargo-fuzz target `overview`: see `harness::overview` (fuzz/src/lib.rs) for what
//! it feeds the library and which invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::overview(data));
