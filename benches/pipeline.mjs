#!/usr/bin/env node
// Part 1 of `make bench`: the invoice pipeline (parse -> invoice lines -> CSV) over a partner
// dataset, for (a) native Rust (benches/native, release; also a′ its JSON round trip and a″ one
// merged invoice), (b) the wasm package under Node through the plain-object API
// (invoiceFromOverview + invoiceToCsv), (c) exact-decimal JavaScript (decimal.js), (d) JavaScript
// with Number, (e) the package's Invoice class per org (Invoice.fromOverview(text).toCsv(), then
// free()) and (f) the Invoice class for all orgs at once (Invoice.fromOverviews(texts).toCsv());
// and the JS -> wasm boundary (JSON text vs JS object as input, the class's two halves).
//
//   node --expose-gc benches/pipeline.mjs DATASET.jsonl --native BIN --native-csv FILE
//        [--native-merged-csv FILE] [--runs 5] [--boundary-orgs 2000] [--out target/bench/pipeline.json]
//
// First it checks, untimed: (c) has the same total as (b) for every org and the same CSV byte
// for byte, (a) wrote the same CSV as (b) (and a″ too, given --native-merged-csv), (e)'s CSV
// equals invoiceToCsv(invoiceFromOverview(text)) byte for byte for every org and the joined
// CSVs equal (b)'s, (f)'s one CSV equals (b)'s (header once, then every org's rows in dataset
// order), and counts how many amounts (d) gets wrong. It fails (exit 1) if any of these
// disagree, or if pkg/ has no Invoice class. Then it times `runs` rounds; in each round every
// contestant runs once (after one warm-up each, the native binary warms up inside its own
// process), in a rotating order, so that the ratios of a round are measured side by side.
// Reports medians (and min/max) over the rounds.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Decimal from '../tests/node_modules/decimal.js/decimal.mjs';
import { loadWasm } from './js/load-wasm.mjs';
import {
  decimalPipeline, invoiceClassPipeline, invoiceMergedPipeline, numberPipeline, readDataset, requireInvoiceClass, wasmPipeline,
} from './js/pipelines.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    native: { type: 'string' },
    'native-csv': { type: 'string' },
    'native-merged-csv': { type: 'string' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: 'target/bench/pipeline.json' },
    'boundary-orgs': { type: 'string', default: '2000' },
  },
});
const datasetPath = positionals[0];
const RUNS = Number(values.runs);
if (!datasetPath || !values.native || !values['native-csv'] || !(RUNS >= 1)) {
  console.error('usage: node --expose-gc benches/pipeline.mjs DATASET.jsonl --native BIN --native-csv FILE [--runs 5]');
  process.exit(2);
}
const gc = globalThis.gc ?? (() => {});
const log = (...a) => console.error('[pipeline]', ...a);
const now = () => performance.now();
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs });

const { api, memoryBytes } = await loadWasm();
try {
  requireInvoiceClass(api);
} catch (e) {
  console.error(`[pipeline] FAILED: ${e.message}`);
  process.exit(1);
}
const { Invoice } = api;
const texts = readDataset(datasetPath, readFileSync);
const ORGS = texts.length;
log(`${ORGS} orgs, ${(texts.reduce((n, t) => n + t.length, 0) / 1e6).toFixed(1)} MB of JSON`);

// ---------------------------------------------------------------------------------------------
// Correctness first: a benchmark of a wrong implementation is worthless.

function collect(run) {
  const invoices = new Array(ORGS);
  const csv = run((i, inv) => { invoices[i] = inv; });
  return { csv, invoices };
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const lineStart = a.lastIndexOf('\n', i) + 1;
  return { offset: i, expected: a.slice(lineStart, a.indexOf('\n', i) + 1), got: b.slice(lineStart, b.indexOf('\n', i) + 1) };
}

const warningCodes = (inv) => inv.warnings.map((w) => w.code).sort().join(',');

log('verifying decimal.js against the wasm for every org ...');
const wasmRef = collect((sink) => wasmPipeline(api, texts, sink));
const decRef = collect((sink) => decimalPipeline(texts, sink));
const verification = { orgs: ORGS, lines: 0, totalsCompared: 0, totalMismatches: 0, warningMismatches: 0 };
for (let i = 0; i < ORGS; i++) {
  const w = wasmRef.invoices[i];
  const d = decRef.invoices[i];
  verification.lines += w.lines.length;
  const key = (t) => `${t.organizationId}|${t.organizationName}|${t.currency}|${t.amount}|${t.complete}`;
  if (w.totals.length !== d.totals.length || w.totals.some((t, k) => key(t) !== key(d.totals[k]))) {
    if (verification.totalMismatches++ < 5) log(`total mismatch, org #${i}: wasm ${JSON.stringify(w.totals)} decimal.js ${JSON.stringify(d.totals)}`);
  }
  verification.totalsCompared += w.totals.length;
  if (warningCodes(w) !== warningCodes(d) && verification.warningMismatches++ < 5) {
    log(`warning mismatch, org #${i}: wasm [${warningCodes(w)}] decimal.js [${warningCodes(d)}]`);
  }
}
verification.csvBytes = Buffer.byteLength(wasmRef.csv);
verification.decimalCsvIdentical = decRef.csv === wasmRef.csv;
if (!verification.decimalCsvIdentical) log('decimal.js CSV differs from the wasm CSV:', firstDifference(wasmRef.csv, decRef.csv));
const nativeCsv = readFileSync(values['native-csv'], 'utf8');
verification.nativeCsvIdentical = nativeCsv === wasmRef.csv;
if (!verification.nativeCsvIdentical) log('native CSV differs from the wasm CSV:', firstDifference(wasmRef.csv, nativeCsv));

// The Invoice class. (e): per org, Invoice.fromOverview(text).toCsv() must be exactly
// invoiceToCsv(invoiceFromOverview(text)) (header included, the default of both), and the
// pipeline's joined CSV (header with the first org only) must be (b)'s.
log('verifying Invoice.fromOverview(text).toCsv() against invoiceToCsv(invoiceFromOverview(text)) for every org ...');
verification.invoiceClassOrgMismatches = 0;
for (let i = 0; i < ORGS; i++) {
  const expected = api.invoiceToCsv(wasmRef.invoices[i]);
  const invoice = Invoice.fromOverview(texts[i]);
  let got;
  try { got = invoice.toCsv(); } finally { invoice.free(); }
  if (got !== expected && verification.invoiceClassOrgMismatches++ < 5) {
    log(`Invoice class CSV differs for org #${i}:`, firstDifference(expected, got));
  }
}
const classCsv = invoiceClassPipeline(api, texts);
verification.invoiceClassCsvIdentical = classCsv === wasmRef.csv;
if (!verification.invoiceClassCsvIdentical) log('(e) joined CSV differs from the wasm CSV:', firstDifference(wasmRef.csv, classCsv));

// A merged CSV is compared with the concatenation of the per-org CSVs, header once. If it is not
// byte-identical, it must at least hold the same rows (then only the order differs, recorded).
function compareMerged(what, merged) {
  const r = { identical: merged === wasmRef.csv, sameRows: true, bytes: Buffer.byteLength(merged), difference: null };
  if (!r.identical) {
    r.difference = firstDifference(wasmRef.csv, merged);
    const rows = (csv) => csv.split('\r\n').sort().join('\r\n');
    r.sameRows = rows(merged) === rows(wasmRef.csv);
    log(`${what} is not byte-identical to the per-org CSVs joined (header once)${r.sameRows ? ', but has the same rows in another order' : ''}:`, r.difference);
  }
  return r;
}
const mergedInvoice = Invoice.fromOverviews(texts);
let mergedCsv;
try { mergedCsv = mergedInvoice.toCsv(); } finally { mergedInvoice.free(); }
verification.invoiceMerged = compareMerged('Invoice.fromOverviews(texts).toCsv()', mergedCsv);
mergedCsv = null;
if (values['native-merged-csv']) {
  verification.nativeMerged = compareMerged('the native merged CSV', readFileSync(values['native-merged-csv'], 'utf8'));
}

// How far the Number implementation is off, against the exact (verified) result.
log('comparing the Number implementation with the exact result ...');
const numRef = collect((sink) => numberPipeline(texts, sink));
const errors = { pricedLines: 0, wrongLines: 0, totals: 0, wrongTotals: 0, orgsWithWrongAmounts: 0, wrongQuantities: 0, structureMismatches: 0, maxErrorMinorUnits: 0, csvIdentical: numRef.csv === wasmRef.csv };
const minorUnits = (a, b, exp) => new Decimal(a).minus(b).abs().times(Decimal.pow(10, exp)).toNumber();
const EXP = { JPY: 0, KWD: 3 };
for (let i = 0; i < ORGS; i++) {
  const e = decRef.invoices[i];
  const n = numRef.invoices[i];
  const exp = EXP[e.totals[0].currency] ?? 2;
  let wrong = false;
  if (e.lines.length !== n.lines.length) { errors.structureMismatches++; wrong = true; }
  for (let k = 0; k < Math.min(e.lines.length, n.lines.length); k++) {
    const el = e.lines[k];
    const nl = n.lines[k];
    if (el.kind !== nl.kind || el.licenseType !== nl.licenseType) { errors.structureMismatches++; wrong = true; continue; }
    if (!new Decimal(el.quantity).eq(nl.quantity)) errors.wrongQuantities++;
    if (el.amount === null) continue;
    errors.pricedLines++;
    const off = minorUnits(el.amount, nl.amount, exp);
    if (off >= 1) { errors.wrongLines++; wrong = true; }
    errors.maxErrorMinorUnits = Math.max(errors.maxErrorMinorUnits, off);
  }
  errors.totals++;
  const off = minorUnits(e.totals[0].amount, n.totals[0].amount, exp);
  if (off >= 1) { errors.wrongTotals++; wrong = true; }
  errors.maxErrorMinorUnits = Math.max(errors.maxErrorMinorUnits, off);
  if (wrong) errors.orgsWithWrongAmounts++;
}
log('verification:', JSON.stringify(verification));
log('Number implementation errors:', JSON.stringify(errors));
const verified = verification.totalMismatches === 0 && verification.warningMismatches === 0
  && verification.decimalCsvIdentical && verification.nativeCsvIdentical
  && verification.invoiceClassOrgMismatches === 0 && verification.invoiceClassCsvIdentical
  && verification.invoiceMerged.sameRows && (verification.nativeMerged?.sameRows ?? true);
if (!verified) {
  log('VERIFICATION FAILED: the implementations disagree; not timing them.');
  process.exit(1);
}
const objects = texts.map((t) => JSON.parse(t));
const totalLines = verification.lines;
wasmRef.invoices.length = 0; decRef.invoices.length = 0; numRef.invoices.length = 0;
gc();

// ---------------------------------------------------------------------------------------------
// The JS -> wasm boundary: the same overviews as JSON text and as JS objects; and the two halves
// of the wasm pipeline (invoiceFromOverview, invoiceToCsv) timed apart. On the first
// --boundary-orgs orgs only, to keep `make bench` short (figures are per org).
const B = Math.min(Number(values['boundary-orgs']), ORGS);
const bTexts = texts.slice(0, B);
const bObjects = objects.slice(0, B);

function timeIt(fn) {
  gc();
  const t = now();
  const result = fn();
  return [now() - t, result];
}

const boundary = { fromText: [], fromObject: [], parseThenObject: [], toCsvFromObject: [], classFromText: [], classToCsv: [] };
const fromTexts = () => bTexts.map((t) => api.invoiceFromOverview(t));
fromTexts(); bObjects.map((o) => api.invoiceFromOverview(o)); bTexts.map((t) => Invoice.fromOverview(t).free()); // warm-up
for (let r = 0; r < RUNS; r++) {
  const [a, invoices] = timeIt(fromTexts);
  const [b] = timeIt(() => bObjects.map((o) => api.invoiceFromOverview(o)));
  const [c] = timeIt(() => bTexts.map((t) => api.invoiceFromOverview(JSON.parse(t))));
  const [d] = timeIt(() => invoices.map((inv, i) => api.invoiceToCsv(inv, i ? { includeHeader: false } : undefined)).join(''));
  // The Invoice class's two halves: fromOverview(text) for every org (handles kept), then toCsv.
  const [e, handles] = timeIt(() => bTexts.map((t) => Invoice.fromOverview(t)));
  const [f] = timeIt(() => handles.map((inv, i) => inv.toCsv(i ? { includeHeader: false } : undefined)).join(''));
  for (const h of handles) h.free();
  boundary.fromText.push(a); boundary.fromObject.push(b); boundary.parseThenObject.push(c); boundary.toCsvFromObject.push(d);
  boundary.classFromText.push(e); boundary.classToCsv.push(f);
  log(`boundary round ${r + 1}/${RUNS}: text ${a.toFixed(0)} ms, object ${b.toFixed(0)} ms, JSON.parse+object ${c.toFixed(0)} ms, invoiceToCsv ${d.toFixed(0)} ms, `
    + `Invoice.fromOverview ${e.toFixed(0)} ms, invoice.toCsv ${f.toFixed(0)} ms`);
}

// ---------------------------------------------------------------------------------------------
// The pipeline, side by side.

// The native binary runs in its own process: one warm-up and one timed run of each mode. Its
// roundtrip mode is the same Rust work the JS API makes the wasm do, its merged mode what (f)
// does (Invoice::merge, one CSV; see benches/native).
let nativeRoundtripMs = null;
let nativeMergedMs = null;
function runNative() {
  const out = execFileSync(values.native, [datasetPath, '--runs', '1', '--warmup', '1', '--mode', 'per-org,roundtrip,merged'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const [direct, roundtrip, merged] = out.trim().split('\n').map((l) => JSON.parse(l));
  for (const r of [direct, roundtrip, merged]) {
    if (r.orgs !== ORGS || r.lines !== totalLines) throw new Error(`native ${r.mode} run saw ${r.orgs} orgs and ${r.lines} lines`);
  }
  nativeRoundtripMs = roundtrip.runsMs[0];
  nativeMergedMs = merged.runsMs[0];
  return direct.runsMs[0];
}
const contestants = {
  native: runNative,
  wasm: () => timeIt(() => wasmPipeline(api, texts))[0],
  decimal: () => timeIt(() => decimalPipeline(texts))[0],
  number: () => timeIt(() => numberPipeline(texts))[0],
  invoice: () => timeIt(() => invoiceClassPipeline(api, texts))[0],
  invoiceMerged: () => timeIt(() => invoiceMergedPipeline(api, texts))[0],
};
// One untimed warm-up of each JS contestant (the verification pass above was one too).
for (const name of ['wasm', 'decimal', 'number', 'invoice', 'invoiceMerged']) contestants[name]();
const names = Object.keys(contestants);
const times = Object.fromEntries([...names, 'nativeRoundtrip', 'nativeMerged'].map((n) => [n, []]));
const ratios = {
  'b/a': [], 'b/c': [], 'b/d': [], "b/a'": [], "a'/a": [], 'a″/a': [],
  'e/a': [], 'e/c': [], 'e/d': [], 'e/b': [], 'f/a': [], 'f/c': [], 'f/d': [], 'f/b': [], 'f/a″': [], 'f/e': [],
};
const LETTER = { native: 'a', wasm: 'b', decimal: 'c', number: 'd', invoice: 'e', invoiceMerged: 'f' };
for (let r = 0; r < RUNS; r++) {
  const round = {};
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + r) % names.length];
    round[name] = contestants[name]();
    times[name].push(round[name]);
  }
  times.nativeRoundtrip.push(nativeRoundtripMs);
  times.nativeMerged.push(nativeMergedMs);
  round["a'"] = nativeRoundtripMs;
  round['a″'] = nativeMergedMs;
  for (const [k, v] of Object.entries(LETTER)) round[v] = round[k];
  for (const key of Object.keys(ratios)) {
    const [x, y] = key.split('/');
    ratios[key].push(round[x] / round[y]);
  }
  log(`round ${r + 1}/${RUNS}: ${names.map((n) => `${n} ${round[n].toFixed(0)} ms`).join(', ')}, native roundtrip ${nativeRoundtripMs.toFixed(0)} ms, native merged ${nativeMergedMs.toFixed(0)} ms`);
}
// The targets, for the faster of (e) and (f) by median time over the rounds.
const best = median(times.invoice) <= median(times.invoiceMerged) ? 'e' : 'f';
const targets = {
  contestant: best,
  vsNative: { ratio: `${best}/a`, target: 1.5, met: median(ratios[`${best}/a`]) <= 1.5 },
  vsDecimal: { ratio: `${best}/c`, target: 1 / 3, met: median(ratios[`${best}/c`]) <= 1 / 3 },
  vsNumber: { ratio: `${best}/d`, target: 1, met: median(ratios[`${best}/d`]) <= 1 },
};
for (const [k, t] of Object.entries(targets)) {
  if (k !== 'contestant') log(`target ${k}: ${t.ratio} = ${median(ratios[t.ratio]).toFixed(2)} (target ≤ ${t.target.toFixed(2)}): ${t.met ? 'met' : 'NOT met'}`);
}

const result = {
  dataset: { path: datasetPath, orgs: ORGS, usagesPerOrg: objects[0].usages.length, lines: totalLines, jsonBytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0), csvBytes: verification.csvBytes },
  verification,
  numberErrors: errors,
  runs: RUNS,
  timesMs: Object.fromEntries(Object.keys(times).map((n) => [n, stats(times[n])])),
  ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, stats(v)])),
  invoiceClassTargets: targets,
  boundaryOrgs: B,
  boundaryMs: Object.fromEntries(Object.entries(boundary).map(([k, v]) => [k, stats(v)])),
  wasmMemoryBytesAfter: memoryBytes(),
  loadavg: (await import('node:os')).loadavg(),
};
writeFileSync(values.out, JSON.stringify(result, null, 2));
log(`wrote ${values.out}`);
