#!/usr/bin/env node
// Part 4 of `make bench`: memory of one pipeline run over the dataset, in a fresh process per
// contestant so that peaks do not mix:
//   node benches/memory.mjs DATASET.jsonl wasm|decimal|number
// Prints one JSON line: peak RSS of the process (process.resourceUsage().maxRSS, the kernel's
// ru_maxrss) after loading the dataset and after the run, and for the wasm the module's linear
// memory (exports.memory.buffer.byteLength, reached by wrapping WebAssembly.Instance while
// the package loads; wasm memory never shrinks, so its size after the run is its peak).
import { readFileSync } from 'node:fs';
import { loadWasm } from './js/load-wasm.mjs';
import { decimalPipeline, numberPipeline, readDataset, wasmPipeline } from './js/pipelines.mjs';

const [path, which] = process.argv.slice(2);
const kb = () => process.resourceUsage().maxRSS;
const { api, memoryBytes } = which === 'wasm' ? await loadWasm() : { api: null, memoryBytes: () => null };
const wasmAtLoad = memoryBytes();
const texts = readDataset(path, readFileSync);
const rssLoaded = kb();
const t = performance.now();
const csv = { wasm: () => wasmPipeline(api, texts), decimal: () => decimalPipeline(texts), number: () => numberPipeline(texts) }[which]();
const ms = performance.now() - t;
console.log(JSON.stringify({
  which,
  orgs: texts.length,
  ms,
  csvChars: csv.length,
  maxRssKbAfterLoad: rssLoaded,
  maxRssKbPeak: kb(),
  wasmMemoryBytesAtLoad: wasmAtLoad,
  wasmMemoryBytesPeak: memoryBytes(),
}));
