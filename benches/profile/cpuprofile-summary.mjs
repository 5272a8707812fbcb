#!/usr/bin/env node
// Self time by function of a V8 .cpuprofile (node --cpu-prof), and the share of wasm code:
//   node benches/profile/cpuprofile-summary.mjs FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i]);
  const d = dt[i] ?? 0;
  total += d;
  const f = n.callFrame;
  const wasm = f.url.startsWith('wasm://') || /^\$?wasm-function|^\$/.test(f.functionName) || f.url.endsWith('.wasm');
  const name = `${wasm ? '[wasm] ' : ''}${f.functionName || '(anonymous)'}${wasm ? '' : ` ${f.url.split('/').slice(-1)[0]}:${f.lineNumber + 1}`}`;
  self.set(name, (self.get(name) ?? 0) + d);
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
const wasmShare = rows.filter(([n]) => n.startsWith('[wasm]')).reduce((s, [, v]) => s + v, 0);
const gcShare = rows.filter(([n]) => n.startsWith('(garbage collector)')).reduce((s, [, v]) => s + v, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled; wasm code ${(100 * wasmShare / total).toFixed(1)} %, GC ${(100 * gcShare / total).toFixed(1)} %`);
for (const [name, t] of rows.slice(0, Number(top))) console.log(`${(100 * t / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${name}`);
