#!/usr/bin/env bash
# Builds and runs every cargo-fuzz target, one after another, for
# FUZZ_SECONDS each (default 600). Exits non-zero if any target finds a
# crash; the input is then in fuzz/artifacts/<target>/ (copy it into
# tests/fuzz-corpus/<target>/ once fixed, so `cargo test` replays it).
#
#   fuzz/run.sh                         # every target, 10 minutes each
#   FUZZ_SECONDS=60 fuzz/run.sh usage   # one target, one minute
#
# One libFuzzer process per target, one target at a time: the machines this
# runs on share two cores. The corpus grows in fuzz/corpus/<target>/
# (git-ignored) and starts from the committed seeds and regressions in
# tests/fuzz-corpus/<target>/, which libFuzzer reads but never writes.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SECONDS_PER_TARGET=${FUZZ_SECONDS:-600}
ALL_TARGETS=(overview usage options invoice hosts_dates json)
[ $# -gt 0 ] && TARGETS=("$@") || TARGETS=("${ALL_TARGETS[@]}")

log() { echo "fuzz: $*"; }

# cargo-fuzz needs nightly (sanitizer flags) and the cargo-fuzz subcommand.
if ! rustup toolchain list | grep -q '^nightly'; then
  log "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
  log "installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# Optimised, with debug assertions and overflow checks (cargo-fuzz's
# default), but without AddressSanitizer: the crate has no unsafe code of
# its own, and on two shared cores ASan's slowdown costs more coverage than
# it could find in safe Rust.
BUILD=(--sanitizer none)
log "building ${TARGETS[*]}"
for t in "${TARGETS[@]}"; do
  cargo +nightly fuzz build "${BUILD[@]}" "$t"
done

failed=()
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log "running $t for ${SECONDS_PER_TARGET}s"
  # One in-process fuzzer: libFuzzer's default is a single process on one
  # core, which is what -jobs=1 -workers=1 would ask for, minus the
  # redirection of all output to fuzz-0.log that -jobs brings.
  # -timeout: an input taking over 10 s is a hang, reported as a crash.
  # -rss_limit_mb: a 2 GB ceiling makes runaway allocation a crash too.
  if ! cargo +nightly fuzz run "${BUILD[@]}" "$t" "corpus/$t" "../tests/fuzz-corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 2>&1 | tee "artifacts/$t/last-run.log"; then
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  log "crashes in: ${failed[*]} (inputs in fuzz/artifacts/<target>/)"
  exit 1
fi
log "no crash in ${TARGETS[*]} (${SECONDS_PER_TARGET}s each)"
