#!/usr/bin/env node
// How invoiceToCsv scales with one merged partner invoice (what partnerInvoices returns and the
// README then exports), against the same orgs exported one invoice at a time:
//   node --expose-gc benches/profile/merged-scaling.mjs DATASET.jsonl [ROUNDS=5] [SIZES=1000,2000,4000]
// Invoice::check (run by every export on its input) and Invoice::merge (partnerInvoices) build
// totals with a linear search over the totals so far, per line: O(lines x orgs).
import { readFileSync } from 'node:fs';
import { readDataset } from '../js/pipelines.mjs';

const [path, rounds = '5', sizes = '1000,2000,4000'] = process.argv.slice(2);
const api = await import('../../pkg/node/index.mjs');
const all = readDataset(path, readFileSync);
const gc = globalThis.gc ?? (() => {});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
for (const size of sizes.split(',').map(Number)) {
  const invoices = all.slice(0, size).map((t) => api.invoiceFromOverview(t));
  const merged = { lines: invoices.flatMap((i) => i.lines), totals: invoices.flatMap((i) => i.totals), warnings: invoices.flatMap((i) => i.warnings) };
  const one = [];
  const each = [];
  for (let r = 0; r < Number(rounds); r++) {
    gc();
    let t = performance.now();
    api.invoiceToCsv(merged);
    one.push(performance.now() - t);
    gc();
    t = performance.now();
    invoices.map((inv, i) => api.invoiceToCsv(inv, { includeHeader: i === 0 })).join('');
    each.push(performance.now() - t);
  }
  console.log(`${size} orgs, ${merged.lines.length} lines: invoiceToCsv(merged) median ${median(one).toFixed(0)} ms; per-org invoiceToCsv median ${median(each).toFixed(0)} ms`);
}
