#!/usr/bin/env bash
# `make bench` (after `make build`): every benchmark of BENCHMARKS.md, then its tables.
#   benches/run.sh                      # the full run (about 8 minutes on 2 cores before the Invoice
#                                       # contestants and loops; expect about 13 now, not measured)
#   BENCH_RUNS=3 BENCH_ORGS=2000 benches/run.sh   # a quicker look (not for BENCHMARKS.md)
#   (also BENCH_INVOICE_LOOP: invoices in the memory loop of the Invoice class, default 100000)
# Writes everything under target/bench/ (generated data included; nothing is committed) and
# prints the Markdown tables; target/bench/report.md keeps them. No timing is asserted: the
# run fails only if the implementations disagree (a benchmark of a wrong result is worthless).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
OUT=target/bench
RUNS=${BENCH_RUNS:-5}
ORGS=${BENCH_ORGS:-10000}
USAGES=40
FANOUT_ORGS=1000
TIME_SCALE=${BENCH_TIME_SCALE:-10}
EXTRA_SCALES=${BENCH_EXTRA_SCALES-4}
DATA="$OUT/dataset-${ORGS}x${USAGES}.jsonl"
BIN="$OUT/release/genesys-billing-bench-native"
started=$(date +%s)
BENCH_COMMAND="make bench"
for v in BENCH_RUNS BENCH_ORGS BENCH_TIME_SCALE BENCH_EXTRA_SCALES BENCH_INVOICE_LOOP; do
  [ -n "${!v+x}" ] && BENCH_COMMAND="$v=${!v} $BENCH_COMMAND"
done
export BENCH_COMMAND
mkdir -p "$OUT"
[ -f pkg/node/index.mjs ] && [ -f pkg/genesys_billing_bg.wasm ] || { echo "bench: pkg/ is missing; run make build" >&2; exit 1; }
step() { echo "== bench: $* ($(( $(date +%s) - started )) s)" >&2; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)

step "dataset: $ORGS orgs x $USAGES usages"
node benches/gen-dataset.mjs --orgs "$ORGS" --usages "$USAGES" --out "$DATA" >&2

step "native benchmark binary (release)"
CARGO_TARGET_DIR="$PWD/$OUT" cargo build --quiet --release --manifest-path benches/native/Cargo.toml
"$BIN" "$DATA" --runs 0 --warmup 0 --csv-out "$OUT/native.csv" >/dev/null
"$BIN" "$DATA" --runs 0 --warmup 0 --mode merged --csv-out "$OUT/native-merged.csv" >/dev/null

step "1. invoice pipeline ($RUNS rounds)"
node --expose-gc --max-old-space-size=8192 benches/pipeline.mjs "$DATA" --native "$BIN" \
  --native-csv "$OUT/native.csv" --native-merged-csv "$OUT/native-merged.csv" --runs "$RUNS" --out "$OUT/pipeline.json"
rm -f "$OUT/native.csv" "$OUT/native-merged.csv"

step "4. memory"
"$BIN" "$DATA" --runs 1 --warmup 0 > "$OUT/memory-native.json"
for w in wasm decimal number; do
  node --max-old-space-size=8192 benches/memory.mjs "$DATA" "$w" > "$OUT/memory-$w.json"
done
# The Invoice class: 100,000 invoices dropped without free() (finalizers; with and without
# periodic gc() calls), and freed.
for w in invoice-drop invoice-free invoice-drop-nogc; do
  node --expose-gc benches/memory.mjs "$DATA" "$w" --count "${BENCH_INVOICE_LOOP:-100000}" > "$OUT/memory-$w.json"
done

step "2. size"
node benches/size.mjs --out "$OUT/size.json"

step "3. partner fan-out ($RUNS runs at timeScale $TIME_SCALE${EXTRA_SCALES:+, 1 run at timeScale $EXTRA_SCALES})"
node benches/fanout.mjs --runs "$RUNS" --time-scale "$TIME_SCALE" --extra-scales "$EXTRA_SCALES" \
  --orgs "$FANOUT_ORGS" --out "$OUT/fanout.json"

node -e '
const os = require("os"); const fs = require("fs"); const cp = require("child_process");
const [out, loadStart, loadEnd, seconds] = process.argv.slice(1);
const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [, "unknown"])[1];
const osName = (fs.readFileSync("/etc/os-release", "utf8").match(/PRETTY_NAME="([^"]*)"/) || [, os.platform()])[1];
fs.writeFileSync(out, JSON.stringify({
  nproc: os.cpus().length, cpu, memGiB: Math.round(os.totalmem() / 2 ** 30), os: osName,
  node: process.version, rustc: cp.execSync("rustc --version").toString().trim(),
  loadStart, loadEnd, seconds: Number(seconds), date: new Date().toISOString().slice(0, 10),
  command: process.env.BENCH_COMMAND,
}, null, 2));
' "$OUT/machine.json" "$LOAD_START" "$(load)" "$(( $(date +%s) - started ))"

node benches/report.mjs "$OUT" | tee "$OUT/report.md"
step "done"
