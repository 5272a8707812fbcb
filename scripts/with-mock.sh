#!/usr/bin/env bash
# Runs a command with the mock Genesys Cloud server listening, and stops the
# server afterwards whatever happens. The server's URL is passed on as
# GENESYS_MOCK_URL (the wasm tests read it at compile time).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${MOCK_PORT:-18787}"
log=$(mktemp)
node tests/mock/genesys-mock.mjs --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  url=$(sed -n 's/^genesys-mock listening on \(http[^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; echo "with-mock: the mock server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; echo "with-mock: no URL from the mock server" >&2; exit 1; }
export GENESYS_MOCK_URL="$url"
"$@"
