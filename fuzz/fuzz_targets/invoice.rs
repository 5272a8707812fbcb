//! cargo-fuzz target `invoice`: see `harness::invoice` (fuzz/src/lib.rs) for what
//! it feeds the library and which invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::invoice(data));
