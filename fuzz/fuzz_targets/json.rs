//! cargo-fuzz target `json`: the crate's JSON reader and writer against
//! serde_json as the oracle; see `fuzz/src/json_diff.rs` for what is
//! compared. The check is included here rather than called through
//! `harness`, which `tests/fuzz_regressions.rs` includes whole.
#![no_main]

#[path = "../src/json_diff.rs"]
mod json_diff;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    json_diff::check_bytes(data);
});
