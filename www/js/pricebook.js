// @ts-check
// Price books: the usage mode's `license,rate` CSV or `{"license": "rate"}` JSON, the partner
// mode's price overrides, and loading a price-book file. Rates stay strings exactly as typed, and
// each is checked by the package's own decimal rule (`checkDecimal`), so the form refuses what the
// package would refuse ("+5", ".5", "5.", "1e3") and says which entry it is.

import { checkDecimal } from "../pkg/genesys_billing.js";
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
 * Parse JSON keeping every number's exact source text (no float rounding of rates): the reviver's
 * `context.source` (JSON.parse source text access), else the number as JS writes it.
 * @param {string} text
 * @returns {any}
 */
function parseJsonExact(text) {
  /** @type {(key: string, value: unknown, context?: { source?: unknown }) => unknown} */
  const reviver = (key, value, context) => {
    if (typeof value === "number") return context && typeof context.source === "string" ? context.source : String(value);
    return value;
  };
  return JSON.parse(text, reviver);
}

/**
 * Split one CSV record into fields (RFC 4180 quotes, comma or semicolon separated).
 * @param {string} line
 * @param {string} separator
 * @returns {string[]}
 */
function splitCsvLine(line, separator) {
  const fields = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === separator) {
      fields.push(field.trim());
      field = "";
    } else field += ch;
  }
  if (quoted) throw new Error("an unclosed quote");
  fields.push(field.trim());
  return fields;
}

/**
 * A price book from the textarea: CSV `license,rate` lines or JSON `{"license": "rate"}`.
 * Returns {"license": "rate"} with rates as strings exactly as typed. Throws an Error whose message
 * names the line or license at fault.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseUsagePriceBook(text) {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith("{")) {
    let data;
    try {
      data = parseJsonExact(trimmed);
    } catch (err) {
      throw new Error(`The price book is not valid JSON: ${messageOf(err)}`);
    }
    /** @type {Record<string, string>} */
    const book = {};
    for (const [name, rate] of Object.entries(data)) {
      if (typeof rate !== "string") throw new Error(`Price book: the rate of "${name}" must be a number or a string.`);
      const value = rate.trim();
      if (!isDecimal(value)) throw new Error(`Price book: the rate of "${name}" is "${value}", which is not a decimal. ${DECIMAL_HINT}`);
      book[name] = value;
    }
    return book;
  }
  /** @type {Record<string, string>} */
  const book = {};
  const lines = trimmed.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const separator = line.includes(",") || !line.includes(";") ? "," : ";";
    let fields;
    try {
      fields = splitCsvLine(line, separator);
    } catch (err) {
      throw new Error(`Price book line ${index + 1} has ${messageOf(err)}.`);
    }
    const [name, rate] = fields;
    // A first line whose rate has no digit at all ("license,rate") is a header row.
    if (index === 0 && rate !== undefined && !/\d/.test(rate)) return;
    if (!name || rate === undefined || rate === "") {
      throw new Error(`Price book line ${index + 1} should be "license,rate": ${line}`);
    }
    if (!isDecimal(rate)) {
      throw new Error(`Price book line ${index + 1}: the rate of "${name}" is "${rate}", which is not a decimal. ${DECIMAL_HINT}`);
    }
    book[name] = rate;
  });
  return book;
}

/**
 * Partner price overrides: JSON {"partNumber or name": {"prepay": "1.00", "onDemand": "2.00"}}.
 * The rates themselves are checked by the package, whose error names the override.
 * @param {string} text
 * @returns {Record<string, RateOverride> | undefined}
 */
export function parseOverrides(text) {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let data;
  try {
    data = parseJsonExact(trimmed);
  } catch (err) {
    throw new Error(`The price overrides are not valid JSON: ${messageOf(err)}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new Error('The price overrides must be a JSON object like {"PART-NUMBER": {"prepay": "1.00", "onDemand": "2.00"}}.');
  }
  for (const [key, value] of Object.entries(data)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`Price override "${key}" must be an object with "prepay" and/or "onDemand".`);
    }
  }
  return data;
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
