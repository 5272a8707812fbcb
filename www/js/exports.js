// @ts-check
// Downloads: the invoice as CSV, FOCUS CSV, JSON, Stripe items, Xero and QuickBooks Online CSV, and
// a comparison as CSV, all written by the package (amounts as plain decimals, whatever the locale),
// with the export settings and the notes an accounting export asks to read before importing it.

import { comparisonToCsv } from "../pkg/genesys_billing.js";
import { currentResult } from "./current.js";
import { el, make, setStatus, showError } from "./dom.js";
import { describeError } from "./errors.js";

/** @import { AccountingInvoiceOptions, AccountingWarning, FocusOptions, InvoiceLine } from "../pkg/genesys_billing.js" */
/** @import { Result } from "./current.js" */

/** @typedef {"csv" | "focus" | "json" | "stripe" | "xero" | "quickbooks" | "comparison"} DownloadKind */

/** @type {Record<DownloadKind, string>} */
const LABELS = { csv: "CSV", focus: "FOCUS", json: "JSON", stripe: "Stripe items", xero: "Xero", quickbooks: "QuickBooks Online", comparison: "comparison CSV" };

/**
 * JSON.stringify's replacer: a Map (none today) is written as an object.
 * @param {string} key
 * @param {unknown} value
 */
function jsonReplacer(key, value) {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/**
 * The day after the lines' billing period ends (`YYYY-MM-DD`), or today when no line has a period.
 * Genesys periods end on their last instant (…23:59:59.999Z or …23:59:59Z): one second later is
 * the next day in either form.
 * @param {InvoiceLine[]} lines
 */
function dayAfterPeriod(lines) {
  const end = lines.find((l) => l.periodEnd)?.periodEnd;
  const ms = end ? Date.parse(end) : NaN;
  return new Date(Number.isNaN(ms) ? Date.now() : ms + 1000).toISOString().slice(0, 10);
}

/**
 * Sets the export settings for a new result: the proposed invoice date, and the note and opt-in
 * for unpriced lines.
 * @param {Result} result
 */
export function prepareExports(result) {
  const { invoice } = result;
  // Xero and QuickBooks need an invoice date: proposed, the day after the billing period.
  el["invoice-date"].value = dayAfterPeriod(invoice.lines);
  el["export-notes"].hidden = true;

  // FOCUS and Stripe files need every line priced, unless the user opts out.
  const unpriced = invoice.lines.filter((l) => l.rate === null || l.rate === undefined).length;
  el["unpriced-export"].hidden = unpriced === 0;
  el["export-unpriced"].checked = false;
  el["unpriced-note"].textContent = unpriced
    ? `${unpriced} ${unpriced === 1 ? "line has" : "lines have"} no rate (see the warnings). FOCUS, Stripe, Xero and QuickBooks files need every line priced: ` +
      (result.mode === "usage" ? "add the missing rates to the price book, or export anyway." : "add price overrides for them, or export anyway.")
    : "";
}

/**
 * Options for the Xero and QuickBooks exports from the settings.
 * @returns {AccountingInvoiceOptions}
 */
function accountingOptions() {
  const invoiceDate = el["invoice-date"].value;
  if (!invoiceDate) throw new Error("choose an invoice date first (Export settings)");
  /** @type {AccountingInvoiceOptions} */
  const options = { invoiceDate, skipUnpriced: el["export-unpriced"].checked };
  // The select's values are the package's date formats.
  if (el["date-format"].value) options.dateFormat = /** @type {AccountingInvoiceOptions["dateFormat"]} */ (el["date-format"].value);
  return options;
}

/**
 * Shows what an accounting export says to read before importing it.
 * @param {string} target
 * @param {AccountingWarning[]} warnings
 */
function showExportNotes(target, warnings) {
  el["export-notes"].hidden = warnings.length === 0;
  el["export-notes-title"].textContent = `${target}: ${warnings.length} ${warnings.length === 1 ? "note" : "notes"} before importing`;
  el["export-notes-list"].replaceChildren(...warnings.map((w) => make("li", { "data-code": w.code, text: w.message })));
}

/**
 * Writes the shown result as `kind` and hands it to the browser as a download.
 * @param {DownloadKind} kind
 */
export function download(kind) {
  const current = currentResult();
  if (!current) return;
  const { invoice, period } = current;
  let text;
  let name;
  let type;
  try {
    switch (kind) {
      case "csv":
        text = invoice.toCsv();
        name = `invoice-${period}.csv`;
        type = "text/csv";
        break;
      case "focus":
        // The select's values are the FOCUS versions the package writes.
        text = invoice.toFocus({
          allowUnpriced: el["export-unpriced"].checked,
          focusVersion: /** @type {FocusOptions["focusVersion"]} */ (el["focus-version"].value),
        });
        name = `invoice-${period}-focus.csv`;
        type = "text/csv";
        break;
      case "json":
        text = JSON.stringify(
          current.mode === "partner"
            ? { ...invoice.toJSON(), failures: current.failures, skipped: current.skipped ?? [] }
            : invoice,
          jsonReplacer,
          2,
        );
        name = `invoice-${period}.json`;
        type = "application/json";
        break;
      case "stripe":
        text = JSON.stringify(invoice.toStripeItems({ skipUnpriced: el["export-unpriced"].checked }), jsonReplacer, 2);
        name = `invoice-${period}-stripe-items.json`;
        type = "application/json";
        break;
      case "comparison":
        if (!current.comparison) return;
        text = comparisonToCsv(current.comparison);
        name = `comparison-${current.previousPeriod}-to-${period}.csv`;
        type = "text/csv";
        break;
      case "xero":
      case "quickbooks": {
        const target = kind === "xero" ? "Xero" : "QuickBooks Online";
        const out = kind === "xero" ? invoice.toXeroCsv(accountingOptions()) : invoice.toQuickBooksCsv(accountingOptions());
        showExportNotes(target, out.warnings);
        text = out.csv;
        name = `invoice-${period}-${kind}.csv`;
        type = "text/csv";
        break;
      }
      default:
        return;
    }
  } catch (err) {
    showError(`Could not create the ${LABELS[kind]} file: ${describeError(err)}`);
    return;
  }
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = make("a", { href: url, download: name, class: "visually-hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  setStatus(`Downloaded ${name}.`);
}
