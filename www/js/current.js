// @ts-check
// The result on screen, which the results, comparison and download views read. Its invoices are
// `Invoice` handles whose lines live in the wasm module: they are freed when a new result replaces
// them or the user logs out.

/** @import { Comparison, Invoice, OrgFailure } from "../pkg/genesys_billing.js" */

/**
 * @typedef {object} Result
 * @property {Invoice} invoice  the (later) period's invoice
 * @property {OrgFailure[]} failures  partner mode: customers that could not be billed
 * @property {string[]} [skipped]  partner mode: customers whose trust is disabled
 * @property {string} period  "2026-10", for titles and file names
 * @property {"usage" | "partner"} mode
 * @property {Invoice} [previous]  a comparison's earlier period
 * @property {Comparison} [comparison]
 * @property {string} [previousPeriod]
 * @property {string} [totalIncrease]  the alert threshold in percent
 */

/** @type {Result | null} */
let current = null;

/** The result shown, or null. */
export function currentResult() {
  return current;
}

/**
 * Keeps `result` as the one shown (null: none), freeing the wasm memory of the invoices it replaces.
 * @param {Result | null} result
 */
export function setCurrent(result) {
  if (current && current.invoice !== result?.invoice) current.invoice.free();
  if (current?.previous && current.previous !== result?.previous) current.previous.free();
  current = result;
}
