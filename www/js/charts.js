// @ts-check
// Inline SVG bar charts built with DOM APIs (no inline styles: the CSP forbids them). The one place
// that reads an amount as a Number: only to size the bars. Labels show the exact decimal strings.

import { make, svg } from "./dom.js";
import { formatDecimal } from "./format.js";

/**
 * One bar: its label and its value, a decimal string (null for an unpriced line).
 * @typedef {{ label: string, value: string | null | undefined }} Bar
 */

/**
 * Approximate size of a decimal string, for sizing chart bars ONLY.
 * @param {string | null | undefined} decimal
 */
function approxMagnitude(decimal) {
  if (typeof decimal !== "string") return 0;
  const value = Math.abs(parseFloat(decimal));
  return Number.isFinite(value) ? value : 0;
}

/**
 * A bar chart in a figure. Bar lengths are approximate; labels are the exact values in the locale's
 * digit grouping. `signed` writes changes with their sign; negative values get the "negative" bar
 * colour.
 * @param {string} title
 * @param {Bar[]} bars
 * @param {string} currency
 * @param {{ signed?: boolean }} [options]
 * @returns {HTMLElement}
 */
export function barChart(title, bars, currency, { signed = false } = {}) {
  const rowHeight = 38;
  const top = 8;
  const height = top + bars.length * rowHeight + 4;
  const maxBarPercent = 68;
  const max = Math.max(0, ...bars.map((b) => approxMagnitude(b.value)));
  const titleId = `chart-title-${Math.random().toString(36).slice(2)}`;
  /** @param {string | null | undefined} value */
  const shown = (value) => (value === null || value === undefined ? "no rate" : `${formatDecimal(value, { signed })} ${currency}`);
  const root = svg("svg", {
    class: "bar-chart",
    width: "100%",
    height,
    role: "img",
    "aria-labelledby": titleId,
  });
  root.append(svg("title", { id: titleId }, `${title}: ${bars.map((b) => `${b.label} ${shown(b.value)}`).join("; ")}`));
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const magnitude = approxMagnitude(bar.value);
    const percent = max > 0 ? (magnitude / max) * maxBarPercent : 0;
    const group = svg("g", { class: bar.value === null || bar.value === undefined ? "bar unpriced" : "bar" });
    group.append(svg("title", {}, `${bar.label}: ${shown(bar.value)}`));
    group.append(svg("text", { x: 0, y: y + 11, class: "bar-label" }, bar.label));
    group.append(svg("rect", { x: 0, y: y + 16, width: `${Math.max(percent, bar.value ? 0.4 : 0)}%`, height: 14, rx: 2, class: String(bar.value ?? "").startsWith("-") ? "negative" : "" }));
    group.append(svg("text", { x: `${percent}%`, dx: 6, y: y + 27, class: "bar-value" }, shown(bar.value)));
    root.append(group);
  });
  return make("figure", { class: "chart-figure" }, make("figcaption", { text: title }), root);
}

/**
 * Bars grouped by currency, in the order of their first bar (currencies are never mixed in one chart).
 * @returns {{ add: (currency: string, bar: Bar) => void, groups: Map<string, Bar[]> }}
 */
export function barsByCurrency() {
  /** @type {Map<string, Bar[]>} */
  const groups = new Map();
  return {
    groups,
    add(currency, bar) {
      const list = groups.get(currency);
      if (list) list.push(bar);
      else groups.set(currency, [bar]);
    },
  };
}
