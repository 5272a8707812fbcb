#!/usr/bin/env bash
# Builds Node variants of the wasm package for profiling (not part of `make bench`):
#   benches/profile/build-wasm-variants.sh [z|3|s ...]     (default: z 3)
# Each variant is the crate's release profile with opt-level overridden, function names kept
# (no wasm-opt name stripping), wasm-bindgen --target nodejs, into
# target/bench/wasm-variants/<opt>/ (and <opt>-wasm-opt/ after wasm-opt with the package's own
# flags plus -g, to see what wasm-opt changes). Uses its own CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/tests/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
OUT=target/bench/wasm-variants
for opt in "${@:-z 3}"; do
  for o in $opt; do
    echo "== opt-level $o" >&2
    CARGO_TARGET_DIR=target/bench/wasm-build CARGO_PROFILE_RELEASE_OPT_LEVEL="$o" \
      cargo build --quiet --lib --release --target wasm32-unknown-unknown
    rm -rf "$OUT/$o" "$OUT/$o-wasm-opt"
    wasm-bindgen --target nodejs --keep-debug --out-dir "$OUT/$o" --out-name genesys_billing \
      target/bench/wasm-build/wasm32-unknown-unknown/release/genesys_billing.wasm
    mkdir -p "$OUT/$o-wasm-opt"
    cp "$OUT/$o/genesys_billing.js" "$OUT/$o-wasm-opt/"
    wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$OUT/$o/genesys_billing_bg.wasm" -o "$OUT/$o-wasm-opt/genesys_billing_bg.wasm"
    ls -l "$OUT/$o/genesys_billing_bg.wasm" "$OUT/$o-wasm-opt/genesys_billing_bg.wasm" >&2
  done
done
