//! cargo-fuzz target `usage`: see `harness::usage` (fuzz/src/lib.rs) for what
//! it feeds the library and which invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::usage(data));
