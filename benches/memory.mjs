#!/usr/bin/env node
// Part 4 of `make bench`: memory, in a fresh process per measurement so that peaks do not mix.
//
//   node benches/memory.mjs DATASET.jsonl wasm|decimal|number
// One pipeline run over the dataset. Prints one JSON line: peak RSS of the process
// (process.resourceUsage().maxRSS, the kernel's ru_maxrss) after loading the dataset and after
// the run, and for the wasm the module's linear memory (exports.memory.buffer.byteLength,
// reached by wrapping WebAssembly.Instance while the package loads; wasm memory never shrinks,
// so its size after the run is its peak).
//
//   node --expose-gc benches/memory.mjs DATASET.jsonl invoice-drop|invoice-free|invoice-drop-nogc [--count 100000] [--orgs 100]
// Whether the package's Invoice class leaks when its handles are dropped without free():
// creates `count` invoices with Invoice.fromOverview(text), cycling through the dataset's first
// `orgs` orgs, and drops every one (invoice-drop: never calls free(), leaving them to the glue's
// FinalizationRegistry) or frees it at once (invoice-free, for comparison). Every 1,000
// invoices, and before each reading, it calls gc() and awaits a few macrotask turns so that
// finalization callbacks run. invoice-drop-nogc is invoice-drop without those gc() calls (the
// loop still yields to the event loop every 1,000 invoices; readings are taken without gc(),
// only the last one after it): what a program that never calls gc() gets from V8's own
// collections. Records the wasm linear memory after 0, 10k, 50k and 100k invoices (scaled with
// --count). Prints one JSON line. An invoice is tens of KB of linear memory, so a leak shows at
// once; wasm memory never shrinks, so "bounded" means it reached a plateau: the last half of the
// loop (50k -> 100k) added less than a tenth of what the first tenth (0 -> 10k) did. If the
// module runs out of memory the loop stops and the JSON says where.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadWasm } from './js/load-wasm.mjs';
import { decimalPipeline, numberPipeline, readDataset, requireInvoiceClass, wasmPipeline } from './js/pipelines.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { count: { type: 'string', default: '100000' }, orgs: { type: 'string', default: '100' } },
});
const [path, which] = positionals;
const kb = () => process.resourceUsage().maxRSS;
const PIPELINES = ['wasm', 'decimal', 'number'];
const LOOPS = ['invoice-drop', 'invoice-free', 'invoice-drop-nogc'];
if (!path || ![...PIPELINES, ...LOOPS].includes(which)) {
  console.error(`usage: node benches/memory.mjs DATASET.jsonl ${PIPELINES.join('|')}\n       node --expose-gc benches/memory.mjs DATASET.jsonl ${LOOPS.join('|')} [--count 100000] [--orgs 100]`);
  process.exit(2);
}
const { api, memoryBytes } = which !== 'decimal' && which !== 'number' ? await loadWasm() : { api: null, memoryBytes: () => null };

if (LOOPS.includes(which)) {
  if (typeof globalThis.gc !== 'function') {
    console.error('[memory] FAILED: run with node --expose-gc (the Invoice loop calls gc() so that finalizers can run)');
    process.exit(1);
  }
  try {
    requireInvoiceClass(api);
  } catch (e) {
    console.error(`[memory] FAILED: ${e.message}`);
    process.exit(1);
  }
  const COUNT = Number(values.count);
  const all = readDataset(path, readFileSync);
  const texts = all.slice(0, Math.min(Number(values.orgs), all.length));
  all.length = 0;
  const free = which === 'invoice-free';
  const explicitGc = which !== 'invoice-drop-nogc';
  // 0, 10k, 50k, 100k for the default count.
  const checkpoints = [0, COUNT / 10, COUNT / 2, COUNT].map(Math.round);
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const settle = async (gc = explicitGc) => {
    for (let k = 0; k < 3; k++) {
      if (gc) globalThis.gc();
      for (let j = 0; j < 4; j++) await turn();
    }
  };
  const readings = [];
  const read = async (n, gc = explicitGc) => {
    await settle(gc);
    readings.push({ invoices: n, afterGc: gc, wasmMemoryBytes: memoryBytes(), heapUsedBytes: process.memoryUsage().heapUsed, maxRssKb: kb(), ms: performance.now() - t0 });
    console.error(`[memory] ${which}: ${n} invoices, wasm memory ${(memoryBytes() / 1048576).toFixed(2)} MiB${gc ? '' : ' (no gc() called)'}`);
  };
  let t0 = performance.now();
  await read(0);
  t0 = performance.now();
  let trapped = null;
  let made = 0;
  try {
    for (let i = 1; i <= COUNT; i++) {
      const invoice = api.Invoice.fromOverview(texts[(i - 1) % texts.length]);
      if (free) invoice.free();
      made = i;
      if (checkpoints.includes(i)) await read(i);
      else if (i % 1000 === 0) await settle();
    }
  } catch (e) {
    trapped = { afterInvoices: made, error: String(e?.message ?? e) };
    console.error(`[memory] ${which}: stopped after ${made} invoices: ${trapped.error}`);
    try { await read(made); } catch { /* the module may be unusable after a trap */ }
  }
  if (!explicitGc && !trapped) await read(COUNT, true); // the end: gc() once
  const at = (n) => readings.find((r) => r.invoices === n)?.wasmMemoryBytes ?? null; // the first reading at n
  const growthFirstTenth = at(checkpoints[1]) - at(0);
  const growthLastHalf = trapped ? null : at(COUNT) - at(checkpoints[2]);
  console.log(JSON.stringify({
    which,
    count: COUNT,
    orgsCycled: texts.length,
    freed: free,
    explicitGc,
    readings,
    trapped,
    growthFirstTenthBytes: growthFirstTenth,
    growthLastHalfBytes: growthLastHalf,
    bounded: !trapped && growthLastHalf <= growthFirstTenth / 10,
  }));
} else {
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
}
