// @ts-check
// How values are written on screen. Money values (quantity, rate, amount, change) stay decimal
// STRINGS from the package to the screen and the downloads: nothing here turns them into numbers
// or sums them. They are written with the user's locale's digit grouping by splitting the string
// (formatDecimal), and sorted by comparing the strings exactly (compareDecimal, BigInt).

/** @import { LineKind } from "../pkg/genesys_billing.js" */

/**
 * A plain decimal as this page receives it from the package: sign, integer digits, fraction.
 * Wider than the package's rule (it accepts "+"), as it only reads what the package wrote.
 */
const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** The user's locale (Playwright's `locale`, the browser's language). */
export function userLocale() {
  return navigator.language || undefined;
}

/**
 * @typedef {object} NumberSymbols
 * @property {string | undefined} locale
 * @property {string} group
 * @property {string} decimal
 * @property {number} primary
 * @property {number} secondary
 * @property {number} minimumGrouping
 * @property {string} minus
 * @property {string} plus
 * @property {string[]} digits
 */

/** @type {NumberSymbols | null} */
let symbolsCache = null;

/**
 * How the user's locale writes numbers, read from Intl once with a sample number (no amount ever goes
 * through Intl): group and decimal separators, group sizes (3, or 3 then 2 in en-IN), whether a 4-digit
 * number is grouped (not in es or pl), the minus and plus signs and the digits.
 * @returns {NumberSymbols}
 */
function numberSymbols() {
  const locale = userLocale();
  if (symbolsCache && symbolsCache.locale === locale) return symbolsCache;
  let format;
  try {
    format = new Intl.NumberFormat(locale);
  } catch {
    format = new Intl.NumberFormat("en-US");
  }
  const parts = format.formatToParts(1234567.5);
  /** @type {(list: Intl.NumberFormatPart[], type: Intl.NumberFormatPartTypes, fallback: string) => string} */
  const part = (list, type, fallback) => list.find((p) => p.type === type)?.value ?? fallback;
  const integers = parts.filter((p) => p.type === "integer").map((p) => p.value);
  const primary = integers.length > 1 ? integers[integers.length - 1].length : 3;
  const secondary = integers.length > 2 ? integers[integers.length - 2].length : primary;
  const signs = new Intl.NumberFormat(format.resolvedOptions().locale, { signDisplay: "always" });
  symbolsCache = {
    locale,
    group: part(parts, "group", ""),
    decimal: part(parts, "decimal", "."),
    primary,
    secondary,
    minimumGrouping: format.formatToParts(1234.5).some((p) => p.type === "group") ? 1 : 2,
    minus: part(signs.formatToParts(-1), "minusSign", "-"),
    plus: part(signs.formatToParts(1), "plusSign", "+"),
    digits: "0123456789".split("").map((d) => format.format(Number(d))),
  };
  return symbolsCache;
}

/**
 * A decimal string as the user's locale writes it ("1234567.50" is "1,234,567.50" in en-US and
 * "1.234.567,50" in de-DE), by splitting the string: every digit is kept. `signed` adds a plus sign
 * to a positive value (for changes). Anything that is not a plain decimal is returned as it is.
 * @param {string | null | undefined} value
 * @param {{ signed?: boolean }} [options]
 * @returns {string}
 */
export function formatDecimal(value, { signed = false } = {}) {
  if (typeof value !== "string") return "";
  const m = PLAIN_DECIMAL.exec(value);
  if (!m) return value;
  const [, sign, integer, fraction] = m;
  const s = numberSymbols();
  const groups = [];
  let rest = integer;
  if (s.group && rest.length >= s.primary + s.minimumGrouping) {
    groups.unshift(rest.slice(-s.primary));
    rest = rest.slice(0, -s.primary);
    while (rest.length > s.secondary) {
      groups.unshift(rest.slice(-s.secondary));
      rest = rest.slice(0, -s.secondary);
    }
  }
  groups.unshift(rest);
  /** @param {string} text */
  const digits = (text) => text.replace(/[0-9]/g, (d) => s.digits[Number(d)]);
  let out = groups.map(digits).join(s.group);
  if (fraction !== undefined) out += s.decimal + digits(fraction);
  const zero = !/[1-9]/.test(integer + (fraction ?? ""));
  if (sign === "-" && !zero) return s.minus + out;
  if (signed && !zero) return s.plus + out;
  return out;
}

/**
 * Exact order of two decimal strings (-1, 0, 1), with BigInt: "10.5" > "9.75", "-0.10" < "0".
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareDecimal(a, b) {
  /** @param {string} text */
  const parse = (text) => {
    const m = PLAIN_DECIMAL.exec(text);
    if (!m) throw new Error(`not a decimal: ${text}`);
    const fraction = m[3] ?? "";
    const v = BigInt(m[2] + fraction);
    return { v: m[1] === "-" ? -v : v, scale: fraction.length };
  };
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = x.v * 10n ** BigInt(scale - x.scale) - y.v * 10n ** BigInt(scale - y.scale);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/**
 * The sign of a decimal string: 1, 0 or -1.
 * @param {string} decimal
 */
export function signOf(decimal) {
  return compareDecimal(decimal, "0");
}

/**
 * "1 line", "3 lines".
 * @param {number} n
 * @param {string} one
 * @param {string} many
 */
export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * The Company column: the organization's name, else its id, else the signed-in organization.
 * @param {string | null | undefined} name
 * @param {string | null | undefined} id
 */
export function companyLabel(name, id) {
  return name || id || "Your organization";
}

/** @type {Record<LineKind, string>} */
const KIND_NAMES = { prepay: "Prepay", "on-demand": "On demand", "minimum-commitment": "Minimum commitment", usage: "Usage" };

/**
 * A line's kind as the tables write it ("On demand"); a kind newer than this page as it is.
 * @param {LineKind} kind
 */
export function kindName(kind) {
  return KIND_NAMES[kind] ?? kind;
}

/** @param {Date} date */
export function formatTime(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** @param {number} ms */
export function formatDuration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
