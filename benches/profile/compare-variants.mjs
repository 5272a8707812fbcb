#!/usr/bin/env node
// Times the wasm pipeline of several builds of the package, and native binaries, interleaved:
//   node --expose-gc benches/profile/compare-variants.mjs DATASET.jsonl ROUNDS name=PKG_NODE_DIR...
//        direct:name=PKG_NODE_DIR... native:name=BIN...
// name=DIR times the package's API (invoiceFromOverview + invoiceToCsv per org); direct:name=DIR
// times the experimental overviewToCsv(text, includeHeader) export of direct-csv-export.patch.
// Prints the median ms per org of each, over ROUNDS rounds (one warm-up first).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { readDataset, wasmPipeline } from '../js/pipelines.mjs';

const [path, rounds, ...specs] = process.argv.slice(2);
const texts = readDataset(path, readFileSync);
const require = createRequire(import.meta.url);
const gc = globalThis.gc ?? (() => {});
const runners = specs.map((spec) => {
  const m = /^(native|direct):(.*)$/.exec(spec);
  const [kind, rest] = m ? [m[1], m[2]] : ['wasm', spec];
  const [name, target] = rest.split('=');
  if (kind === 'native') {
    return { name, run: () => JSON.parse(execFileSync(target, [path, '--runs', '1', '--warmup', '1'], { encoding: 'utf8' })).runsMs[0] };
  }
  const api = require(resolve(target, 'genesys_billing.js'));
  const pipeline = kind === 'direct'
    ? () => texts.map((text, i) => api.overviewToCsv(text, i === 0)).join('')
    : () => wasmPipeline(api, texts);
  pipeline();
  return { name, run: () => { gc(); const t = performance.now(); pipeline(); return performance.now() - t; } };
});
const times = Object.fromEntries(runners.map((r) => [r.name, []]));
for (let i = 0; i < Number(rounds); i++) {
  for (let k = 0; k < runners.length; k++) {
    const r = runners[(k + i) % runners.length];
    times[r.name].push(r.run());
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(16)} median ${(1000 * median(xs) / texts.length).toFixed(1).padStart(7)} µs/org   runs ${xs.map((x) => x.toFixed(0)).join(' ')} ms`);
}
