#!/usr/bin/env bash
# What would bring the wasm closer to native (not part of `make bench`; ~6 min on 2 cores):
#   benches/profile/experiment-direct-export.sh [DATASET.jsonl] [ROUNDS]
# Builds the crate twice in a scratch copy with direct-csv-export.patch applied (an extra
# export, overviewToCsv(text, includeHeader), that goes from the overview to CSV rows inside
# wasm, as the native benchmark does): as shipped (opt-level z, wasm-opt -Oz), for speed
# (opt-level 3, wasm-opt -O3), and mixed (opt-level z, but 3 for the hot crates: this crate,
# serde_json, serde_core, rust_decimal; wasm-opt -O3). Then times, interleaved, the package
# API path and the direct path of each build and the native binary; prints gzip -9 sizes.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/tests/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
DATA=${1:-target/bench/dataset-2000x40.jsonl}
ROUNDS=${2:-5}
[ -f "$DATA" ] || node benches/gen-dataset.mjs --orgs 2000 --out "$DATA" >&2
SCRATCH=$(mktemp -d /tmp/genesys-billing-exp.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
cp -r Cargo.toml Cargo.lock src "$SCRATCH/"
(cd "$SCRATCH" && patch --quiet -p1 < "$OLDPWD/benches/profile/direct-csv-export.patch")
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
HOT="genesys-billing serde_json serde_core rust_decimal"
for v in z 3 mixed; do
  echo "== $v" >&2
  opt=$v; level=-O3; extra=()
  case $v in
    z) level=-Oz ;;
    mixed) opt=z; for c in $HOT; do extra+=(--config "profile.release.package.$c.opt-level=3"); done ;;
  esac
  CARGO_TARGET_DIR="$PWD/target/bench/exp-build" CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" \
    cargo build --quiet --lib --release --target wasm32-unknown-unknown --manifest-path "$SCRATCH/Cargo.toml" "${extra[@]}"
  dir=target/bench/exp/$v
  rm -rf "$dir"
  wasm-bindgen --target nodejs --out-dir "$dir" --out-name genesys_billing \
    target/bench/exp-build/wasm32-unknown-unknown/release/genesys_billing.wasm
  # shellcheck disable=SC2086
  wasm-opt $level $FEATURES "$dir/genesys_billing_bg.wasm" -o "$dir/genesys_billing_bg.wasm"
  node -e 'const fs=require("fs"),z=require("zlib");const b=fs.readFileSync(process.argv[1]);console.error(`${process.argv[2]}: .wasm ${(b.length/1000).toFixed(1)} KB raw, ${(z.gzipSync(b,{level:9}).length/1000).toFixed(1)} KB gzip -9`)' "$dir/genesys_billing_bg.wasm" "$v"
done
CARGO_TARGET_DIR="$PWD/target/bench" cargo build --quiet --release --manifest-path benches/native/Cargo.toml
node --expose-gc benches/profile/compare-variants.mjs "$DATA" "$ROUNDS" \
  api-z=target/bench/exp/z direct:direct-z=target/bench/exp/z \
  api-3=target/bench/exp/3 direct:direct-3=target/bench/exp/3 \
  api-mixed=target/bench/exp/mixed direct:direct-mixed=target/bench/exp/mixed \
  native:native=target/bench/release/genesys-billing-bench-native
