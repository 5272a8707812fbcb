//! Replays the fuzz corpus kept in `tests/fuzz-corpus/<target>/` natively,
//! through the same functions the cargo-fuzz targets call
//! (`fuzz/src/lib.rs`, included below): each file is a realistic seed, an
//! input that reached a deep path, or one that once crashed (`crash-*`),
//! and each must run without a panic and keep the invariants. Run the fuzzer
//! itself with `make fuzz` (nightly; see fuzz/run.sh).
// Native only: the harness uses the `csv` dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

/// Runs `check` over every file of `tests/fuzz-corpus/<target>` and fails
/// naming each input that panicked, after trying them all.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable corpus entry").path())
        .collect();
    files.sort();
    // An empty directory would make this test pass without testing anything.
    assert!(files.len() >= 3, "{}: too few inputs", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("readable corpus file");
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "inputs that panic: {failed:#?}");
}

#[test]
fn overview_corpus() {
    replay("overview", harness::overview);
}

#[test]
fn usage_corpus() {
    replay("usage", harness::usage);
}

#[test]
fn options_corpus() {
    replay("options", harness::options);
}

#[test]
fn invoice_corpus() {
    replay("invoice", harness::invoice);
}

#[test]
fn hosts_dates_corpus() {
    replay("hosts_dates", harness::hosts_dates);
}
