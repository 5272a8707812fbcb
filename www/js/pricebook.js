// @ts-check
// Price books: the usage mode's `license,rate` CSV or `{"license": "rate"}` JSON, the partner
// mode's price overrides, and loading a price-book file. The package reads them
// (parseUsagePriceBook, parseOverviewPriceBook: the command line's reader too), so rates stay
// strings exactly as typed and the form refuses what the package would refuse ("+5", ".5", "5.",
// "1e3"), saying which line and entry. Other fields use `checkDecimal`, the same rule.

import {
  checkDecimal,
  parseOverviewPriceBook as readOverviewPriceBook,
  parseUsagePriceBook as readUsagePriceBook,
} from "../pkg/genesys_billing.js";
import { clearError, el, setStatus, showError } from "./dom.js";
import { messageOf } from "./errors.js";

/** @import { RateOverride } from "../pkg/genesys_billing.js" */

/**
 * Whether `text` is a decimal by the package's rule: digits, an optional "." and digits, a leading "-".
 * @param {string} text
 */
export function isDecimal(text) {
  try {
    checkDecimal(text);
    return true;
  } catch {
    return false;
  }
}

/** How to write a rate, for the messages about one that is not a decimal. */
const DECIMAL_HINT = 'Write digits with an optional "." and decimals, such as 12.50 (no "+", no exponent, digits on both sides of the ".").';

/**
 * The package's error about a price book, as the page says it.
 * @param {unknown} err
 * @param {string} what
 */
function priceBookError(err, what) {
  const message = messageOf(err);
  const hint = err && typeof err === "object" && "code" in err && err.code === "invalid_decimal" ? ` ${DECIMAL_HINT}` : "";
  return new Error(`${what}: ${message}${hint}`);
}

/**
 * A price book from the textarea: CSV `license,rate` lines or JSON `{"license": "rate"}`, read by
 * the package (`parseUsagePriceBook`: the same reader as the command line's), rates as strings
 * exactly as typed. Throws an Error whose message names the line or license at fault.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseUsagePriceBook(text) {
  try {
    return readUsagePriceBook(text);
  } catch (err) {
    throw priceBookError(err, "Price book");
  }
}

/**
 * Partner price overrides: JSON {"partNumber or name": {"prepay": "1.00", "onDemand": "2.00"}},
 * read by the package (`parseOverviewPriceBook`); `undefined` when the box is empty.
 * @param {string} text
 * @returns {Record<string, RateOverride> | undefined}
 */
export function parseOverrides(text) {
  if (!text.trim()) return undefined;
  try {
    return readOverviewPriceBook(text);
  } catch (err) {
    throw priceBookError(err, "Price overrides");
  }
}

/** The price-book file input's change: its text replaces the textarea's once it parses. */
export async function loadPriceBookFile() {
  const file = el["price-book-file"].files?.[0];
  if (!file) return;
  clearError();
  try {
    const text = await file.text();
    parseUsagePriceBook(text); // validate before replacing what was typed
    el["price-book"].value = text.trim();
    setStatus(`Loaded the price book ${file.name}.`);
  } catch (err) {
    showError(`Could not use ${file.name}: ${messageOf(err)}`);
  }
}
