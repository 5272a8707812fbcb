// @ts-check
// Table cells for decimal strings: the value in the locale's digit grouping on screen, the exact
// string in `data-value` (what the e2e tests and a screen reader's "copy" read), "—" where there is
// no value, with a visually hidden reason.

import { make } from "./dom.js";
import { formatDecimal, signOf } from "./format.js";

/**
 * A Rate or Amount cell: the decimal in the locale's digit grouping (data-value keeps the exact string), or "—".
 * @param {string | null | undefined} value
 * @param {string | null} currency  written after the value when given
 * @param {string} column  data-col
 * @param {string} [missing]  what "—" means, for screen readers ("no rate": an unpriced line)
 */
export function amountCell(value, currency, column, missing = "no rate") {
  if (value === null || value === undefined) {
    return make("td", { class: `num ${missing === "no rate" ? "unpriced" : "muted"}`, "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: ` ${missing}` }));
  }
  return make("td", { class: "num", "data-col": column, "data-value": value }, formatDecimal(value), currency ? make("span", { class: "cur", text: ` ${currency}` }) : null);
}

/**
 * A signed change: "+1,234.50 USD" / "-12.00 USD"; "—" when unknown (an unpriced side).
 * @param {string | null | undefined} value
 * @param {string} column
 * @param {string | null} [currency]
 */
export function changeCell(value, column, currency = null) {
  if (value === null || value === undefined) {
    return make("td", { class: "num unpriced", "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " unknown: unpriced" }));
  }
  const sign = signOf(value);
  return make(
    "td",
    { class: `num ${sign > 0 ? "up" : sign < 0 ? "down" : ""}`.trim(), "data-col": column, "data-value": value },
    formatDecimal(value, { signed: true }),
    currency ? make("span", { class: "cur", text: ` ${currency}` }) : null,
  );
}

/**
 * A change in percent: "+12.50 %"; "—" without a previous amount.
 * @param {string | null | undefined} value
 * @param {string} column
 */
export function percentCell(value, column) {
  if (value === null || value === undefined) {
    return make("td", { class: "num muted", "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " no previous amount" }));
  }
  const sign = signOf(value);
  return make("td", { class: `num ${sign > 0 ? "up" : sign < 0 ? "down" : ""}`.trim(), "data-col": column, "data-value": value, text: `${formatDecimal(value, { signed: true })} %` });
}

/**
 * One side's quantity in the changes table ("—" where the period has no such line).
 * @param {string | null | undefined} value
 * @param {string} column
 */
export function quantityCell(value, column) {
  if (value === null || value === undefined) {
    return make("span", { "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " none" }));
  }
  return make("span", { "data-col": column, "data-value": value, text: formatDecimal(value) });
}

/**
 * The Status cell of a total: complete, or incomplete because of unpriced lines.
 * @param {boolean} complete
 */
export function completeCell(complete) {
  return make("td", {
    class: complete ? "" : "incomplete",
    "data-col": "status",
    "data-complete": String(Boolean(complete)),
    text: complete ? "Complete" : "Incomplete: unpriced lines",
  });
}
