#!/usr/bin/env bash
# Builds pkg/, the npm package `genesys-billing`: wasm-pack's web build at
# the root (browsers and bundlers), its Node build under node/ (loaded
# synchronously, so Node needs no init call), and pkg-template/ merged over
# both. Usage: scripts/build-pkg.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# wasm-pack takes the first wasm-opt on PATH: it must be npm binaryen's
# (Debian's binaryen 108 writes modules that fail to load).
case "$(command -v wasm-opt)" in
  "$PWD/tests/node_modules/.bin/wasm-opt") ;;
  *) echo "build-pkg: wasm-opt is not npm binaryen's; run scripts/setup.sh" >&2; exit 1 ;;
esac
PROFILE=--release
[ "${1:-}" = "--dev" ] && PROFILE=--dev

rm -rf pkg target/wasm-pack/node
wasm-pack --log-level warn build $PROFILE --target web --out-dir pkg --out-name genesys_billing
wasm-pack --log-level warn build $PROFILE --target nodejs --out-dir target/wasm-pack/node --out-name genesys_billing
mkdir -p pkg/node
cp target/wasm-pack/node/genesys_billing.js target/wasm-pack/node/genesys_billing_bg.wasm pkg/node/
node scripts/merge-pkg.mjs
echo "build-pkg: pkg/ ready ($(node -p 'require("./pkg/package.json").version'))"
