#!/usr/bin/env node
// Runs one contestant's pipeline a few times, for a CPU profile:
//   node --cpu-prof --cpu-prof-dir DIR benches/profile/run-pipeline.mjs DATASET.jsonl wasm|decimal|number [PKG_NODE_DIR] [repeats]
// PKG_NODE_DIR: a Node build of the package to load instead of pkg/node (e.g. one built with
// function names kept, see benches/profile/build-wasm-variants.sh).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { decimalPipeline, numberPipeline, readDataset, wasmPipeline } from '../js/pipelines.mjs';

const [path, which = 'wasm', pkgDir, repeats = '3'] = process.argv.slice(2);
const texts = readDataset(path, readFileSync);
let api;
if (which === 'wasm') {
  api = pkgDir ? createRequire(import.meta.url)(resolve(pkgDir, 'genesys_billing.js')) : await import('../../pkg/node/index.mjs');
}
const run = { wasm: () => wasmPipeline(api, texts), decimal: () => decimalPipeline(texts), number: () => numberPipeline(texts) }[which];
for (let i = 0; i < Number(repeats); i++) {
  const t = performance.now();
  const csv = run();
  console.log(`${which} run ${i + 1}: ${(performance.now() - t).toFixed(0)} ms, ${(csv.length / 1e6).toFixed(1)} M chars`);
}
