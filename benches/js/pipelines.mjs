// The invoice pipeline, parse -> invoice lines -> CSV, over a partner dataset (an array of
// TrusteeBillingOverview JSON texts, as the API returns them), for the JavaScript-side
// contestants. Each returns the whole CSV (header once, then every org's rows) as one string.

import { invoiceCsv } from './csv.mjs';
import * as exact from './ref-decimal.mjs';
import * as float from './ref-number.mjs';

const NO_HEADER = { includeHeader: false };

/** The package: invoiceFromOverview(text) then invoiceToCsv(invoice) per org. */
export function wasmPipeline(api, texts, sink) {
  const parts = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const invoice = api.invoiceFromOverview(texts[i]);
    parts[i] = api.invoiceToCsv(invoice, i === 0 ? undefined : NO_HEADER);
    if (sink) sink(i, invoice);
  }
  return parts.join('');
}

/** Throws a clear error unless the package exports the `Invoice` class the (e)/(f) contestants use. */
export function requireInvoiceClass(api) {
  const I = api.Invoice;
  const missing = typeof I !== 'function'
    ? ['the class itself']
    : ['fromOverview', 'fromOverviews'].filter((m) => typeof I[m] !== 'function')
      .concat(['toCsv', 'free'].filter((m) => typeof I.prototype?.[m] !== 'function').map((m) => `prototype.${m}`));
  if (missing.length) {
    throw new Error(`the package in pkg/ has no usable \`Invoice\` class (missing: ${missing.join(', ')}; typeof Invoice = ${typeof I}). `
      + 'The (e) Invoice.fromOverview(text).toCsv() and (f) Invoice.fromOverviews(texts).toCsv() contestants need it: '
      + 'rebuild pkg/ (make build) from a src/wasm.rs that exports it.');
  }
}

/** (e) The Invoice class per org: Invoice.fromOverview(text).toCsv(), freed after use. */
export function invoiceClassPipeline(api, texts, sink) {
  const { Invoice } = api;
  const parts = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const invoice = Invoice.fromOverview(texts[i]);
    try {
      parts[i] = invoice.toCsv(i === 0 ? undefined : NO_HEADER);
      if (sink) sink(i, invoice);
    } finally {
      invoice.free();
    }
  }
  return parts.join('');
}

/** (f) The Invoice class for all orgs at once: Invoice.fromOverviews(texts).toCsv(), one CSV. */
export function invoiceMergedPipeline(api, texts) {
  const invoice = api.Invoice.fromOverviews(texts);
  try {
    return invoice.toCsv();
  } finally {
    invoice.free();
  }
}

function jsPipeline(impl, texts, sink) {
  const parts = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const invoice = impl.invoiceFromOverview(JSON.parse(texts[i]));
    parts[i] = invoiceCsv(invoice, i === 0);
    if (sink) sink(i, invoice);
  }
  return parts.join('');
}

export const decimalPipeline = (texts, sink) => jsPipeline(exact, texts, sink);
export const numberPipeline = (texts, sink) => jsPipeline(float, texts, sink);

export function readDataset(path, readFileSync) {
  const texts = readFileSync(path, 'utf8').split('\n');
  if (texts.at(-1) === '') texts.pop();
  return texts;
}
