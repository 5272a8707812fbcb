#!/usr/bin/env node
// Attributes every sample of a V8 .cpuprofile to a category by its nearest categorised frame
// (leaf first), so that malloc, memcpy or core::fmt under serde count as serde:
//   node benches/profile/cpuprofile-categories.mjs FILE.cpuprofile
// Needs a build with function names (benches/profile/build-wasm-variants.sh).
import { readFileSync } from 'node:fs';

const CATEGORIES = [
  ['JS glue: JSON.parse of results', (f) => /genesys_billing\.js$/.test(f.url) && f.lineNumber + 1 >= 415 && f.lineNumber + 1 <= 420],
  ['JS glue: JSON.stringify of inputs', (f) => /genesys_billing\.js$/.test(f.url) && f.lineNumber + 1 >= 494 && f.lineNumber + 1 <= 498],
  ['JS glue: strings into/out of wasm', (f) => /passStringToWasm0|string_get|getStringFromWasm0|decodeText|^decode$|encodeInto/.test(f.functionName)],
  ['wasm: CSV writer (rfc4180, export::csv)', (f) => /rfc4180|export::csv/.test(f.functionName)],
  ['wasm: Invoice::check / totals', (f) => /Invoice.*::check|invoice::totals/.test(f.functionName)],
  ['wasm: money::parse_decimal', (f) => /money::parse_decimal|money::parse_quantity/.test(f.functionName)],
  ['wasm: money::to_plain (Decimal Display)', (f) => /money::to_plain/.test(f.functionName)],
  ['wasm: serde_json serialize (results)', (f) => /serde_json::ser|ser::Serializer|SerializeMap|SerializeStruct|serialize_str|serialize_entry|decimal_str::serialize|decimal_str::option::serialize/.test(f.functionName)],
  ['wasm: serde_json deserialize (inputs)', (f) => /serde_json::de|Deserialize|deserialize|MapAccess|SeqAccess|parse_json/.test(f.functionName)],
  ['wasm: invoice::from_overview (rules, decimals)', (f) => /invoice::from_overview|rust_decimal|money::/.test(f.functionName)],
  ['wasm: wasm-bindgen exports (wasm::*)', (f) => /genesys_billing::wasm::/.test(f.functionName)],
  ['JS: harness (pipelines.mjs, join)', (f) => /pipelines\.mjs|run-pipeline\.mjs/.test(f.url)],
  ['GC', (f) => f.functionName === '(garbage collector)'],
];
const [file] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const memo = new Map();
function category(id) {
  if (memo.has(id)) return memo.get(id);
  const n = byId.get(id);
  let cat = null;
  for (const [name, test] of CATEGORIES) if (test(n.callFrame)) { cat = name; break; }
  if (!cat) {
    const up = parent.get(id);
    cat = up === undefined ? (n.callFrame.url.startsWith('wasm') || /^[<a-z_]/.test(n.callFrame.functionName) && n.callFrame.url === '' ? 'other wasm' : 'other') : category(up);
  }
  memo.set(id, cat);
  return cat;
}
const totals = new Map();
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const d = p.timeDeltas[i] ?? 0;
  total += d;
  const c = category(p.samples[i]);
  totals.set(c, (totals.get(c) ?? 0) + d);
}
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [c, t] of [...totals.entries()].sort((a, b) => b[1] - a[1])) {
  console.log(`${(100 * t / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${c}`);
}
