// The invoice pipeline, parse -> invoice lines -> CSV, over a partner dataset (an array of
// TrusteeBillingOverview JSON texts, as the API returns them), for the three JavaScript-side
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
