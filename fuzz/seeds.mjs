// Writes the realistic seed inputs of every fuzz target into
// tests/fuzz-corpus/<target>/seed-*, from the mock's deterministic dataset
// (tests/mock/dataset.mjs), so the fuzzer starts from what the API really
// sends instead of from nothing. The files are committed; rerun this only
// when the dataset or a target's input format changes:
//
//   node fuzz/seeds.mjs          # invoice seeds need a built pkg/ (make build)
//
// Formats (see fuzz/src/lib.rs): `overview` and `usage` take a document,
// optionally followed by a NUL byte and the options JSON.

import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDataset } from '../tests/mock/dataset.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = (target, name, text) => {
  const dir = join(root, 'tests', 'fuzz-corpus', target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `seed-${name}`), text);
};
const withOptions = (doc, options) => `${JSON.stringify(doc)}\0${JSON.stringify(options)}`;

// Four orgs cover USD, EUR, JPY and KWD and, between them, every usage shape
// of the dataset (overage, unpriced, idle prepay, ...).
const data = buildDataset({ orgs: 4, usages: 8 });
const overviews = data.orgs.map((org) => org.overview(0));
overviews.forEach((o, i) => out('overview', `org${i}-${o.currency}`, JSON.stringify(o)));
const o0 = overviews[0];
out('overview', 'markup-half-even', withOptions(o0, {
  markupPercent: '12.5',
  rounding: 'half-even',
  priceBook: { [o0.usages[0].partNumber]: { prepay: '70.125' }, [o0.usages[1].name]: { onDemand: '0.0075' } },
}));
out('overview', 'discount-no-minimum', withOptions(overviews[1], { markupPercent: '-100', applyMinimum: false }));
// 28 significant digits: parses, but × a price no longer fits (overflow).
const max = '79228162514264337593543950335';
out('overview', 'overflow', JSON.stringify({ ...o0, usages: [{ ...o0.usages[0], usageQuantity: max, prepayQuantity: '0', overagePrice: '2' }] }));
out('overview', 'unknown-currency-exponent',
  withOptions({ ...overviews[2], currency: 'XBT', minimumMonthlyAmount: '99999.123456' }, { currencyExponent: 8 }));

const report = data.usageReport('2026-10-01T00:00:00.000Z', '2026-10-31T23:59:59.999Z');
// Three resources per usage are enough to reach every path and keep the seed small.
const small = { ...report, usages: report.usages.map((u) => ({ ...u, resources: u.resources.slice(0, 3) })) };
const book = Object.fromEntries(small.usages.slice(0, -2).map((u, i) => [u.name, ['155', '0.0075', '12.5', '0'][i % 4]]));
out('usage', 'complete-usd', withOptions(small, { currency: 'USD', priceBook: book, organization: { id: 'org-1', name: 'Müller & Söhne' } }));
out('usage', 'in-progress-jpy', withOptions({ ...small, status: 'InProgress' }, { currency: 'jpy', priceBook: book, rounding: 'half-even' }));
out('usage', 'overflow', withOptions({ ...small, usages: [{ ...small.usages[0], totalUsage: max }] },
  { currency: 'USD', priceBook: { [small.usages[0].name]: '1.5' } }));
out('usage', 'kwd-no-book', withOptions(small, { currency: 'KWD', priceBook: {} }));

const options = {
  'overview-full': { priceBook: { 'PC-170-NV-CX1NU': { prepay: '70', onDemand: '84.50' }, 'Speech Analytics': {} }, markupPercent: '-12.5', rounding: 'half-up', applyMinimum: true, currencyExponent: 3 },
  'usage-full': { priceBook: { 'Genesys Cloud CX 3 Named User': '155', 'BYOC Cloud minutes': '0.004' }, currency: 'EUR', organization: { id: 'o', name: 'n' }, rounding: 'half-even', currencyExponent: 2 },
  'focus': { invoiceIssuerName: 'Acme Partners', providerName: 'Genesys', allowUnpriced: true },
  'stripe': { customers: { 'org-1': 'cus_123' }, skipUnpriced: true, rounding: 'half-even', currencyExponent: 0 },
  'csv': { includeHeader: false },
};
for (const [name, value] of Object.entries(options)) out('options', name, JSON.stringify(value));

for (const [name, value] of Object.entries({
  domain: 'mypurecloud.ie', aws: 'eu_west_1', host: 'https://api.mypurecloud.com.au/api/v2?x=1#y',
  local: 'http://127.0.0.1:18787/', proxy: 'https://proxy.example.com/genesys/', millis: '2018-08-31T23:59:59.999Z',
  offset: '2026-10-01T02:00:00.123456789+02:00', day: '2024-02-29', retry: '120',
  body: '{"message":"You must have at least one of the following permissions assigned: [affiliateOrganization:clientBilling:view]","code":"missing.any.permissions","contextId":"c-1"}',
})) out('hosts_dates', name, value);

// Invoices as the library returns them, for the export target.
const wasmPath = join(root, 'pkg', 'genesys_billing_bg.wasm');
if (existsSync(wasmPath)) {
  const lib = await import('../pkg/genesys_billing.js');
  lib.initSync({ module: readFileSync(wasmPath) });
  out('invoice', 'overview-usd', JSON.stringify(lib.invoiceFromOverview(o0, { markupPercent: '7' })));
  out('invoice', 'overview-kwd', JSON.stringify(lib.invoiceFromOverview(overviews[3])));
  // Every line priced (the dataset always has unpriced ones), and two orgs
  // in one invoice as a partner run returns them.
  const priced = { ...o0, usages: o0.usages.map((u) => ({ ...u, prepayPrice: u.prepayPrice ?? '1.00', overagePrice: u.overagePrice ?? '2.00' })) };
  out('invoice', 'all-priced', JSON.stringify(lib.invoiceFromOverview(priced, { applyMinimum: false })));
  const [a, b] = [lib.invoiceFromOverview(priced), lib.invoiceFromOverview(overviews[1])];
  out('invoice', 'two-orgs', JSON.stringify({ lines: [...a.lines, ...b.lines], totals: [...a.totals, ...b.totals], warnings: [...a.warnings, ...b.warnings] }));
  out('invoice', 'usage-jpy', JSON.stringify(lib.invoiceFromUsage(small, { currency: 'JPY', priceBook: book })));
} else {
  console.warn('seeds: no pkg/ (run make build): invoice seeds left as they are');
}
console.log('seeds written to tests/fuzz-corpus/');
