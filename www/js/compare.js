// @ts-check
// The comparison with an earlier period (partner mode, "Compare with"): alerts, change per company,
// the changes table (sortable, unchanged rows on request) and the chart of the largest changes.
// Amount changes are sorted within each currency, never across currencies, comparing the decimal
// strings exactly.

import { amountCell, changeCell, completeCell, percentCell, quantityCell } from "./cells.js";
import { barChart, barsByCurrency } from "./charts.js";
import { currentResult } from "./current.js";
import { el, make, setStatus } from "./dom.js";
import { companyLabel, compareDecimal, formatDecimal, kindName, plural, signOf, userLocale } from "./format.js";
import { groupedList } from "./groups.js";

/** @import { ComparisonRow } from "../pkg/genesys_billing.js" */
/** @import { Result } from "./current.js" */
/** @import { Bar } from "./charts.js" */
/** @import { GroupSpec } from "./groups.js" */

/** @type {Record<ComparisonRow["status"], string>} */
const STATUS_NAMES = { new: "New", gone: "Gone", changed: "Changed", same: "Same" };
/** @type {Record<ComparisonRow["status"], number>} */
const STATUS_ORDER = { new: 0, changed: 1, gone: 2, same: 3 };

/** @type {Record<string, GroupSpec>} What each alert of a comparison is called on the page. */
const ALERT_GROUPS = {
  total_increase: { title: "Total increases", unit: ["increase", "increases"], perOrg: true },
  overage: { title: "On-demand overage", unit: ["line", "lines"] },
  new_license: { title: "New licenses", unit: ["license", "licenses"] },
  gone_license: { title: "Licenses no longer billed", unit: ["license", "licenses"] },
  ramp_period: { title: "In the ramp period (prices may change)", unit: ["notice", "notices"], perOrg: true },
};

/** @typedef {"amountChange" | "percent" | "company" | "license" | "status"} SortKey */

/**
 * How the changes table is sorted.
 * @type {{ key: SortKey, descending: boolean }}
 */
let changeSort = { key: "amountChange", descending: true };

/**
 * Shows the result's comparison, or hides the comparison view when it has none.
 * @param {Result} result
 */
export function showComparison(result) {
  const { comparison } = result;
  el.comparison.hidden = !comparison;
  if (!comparison) return;
  const { rows, totals, alerts } = comparison;
  const moved = rows.filter((r) => r.status !== "same").length;
  el["comparison-title"].textContent = `Changes from ${result.previousPeriod} to ${result.period}`;
  el["comparison-summary"].textContent =
    `${plural(rows.length, "line", "lines")} compared: ${moved} new, gone or changed, ${rows.length - moved} unchanged; ` +
    `${plural(alerts.length, "alert", "alerts")}.`;

  el.alerts.hidden = alerts.length === 0;
  el["alerts-title"].textContent = `Alerts (${alerts.length})`;
  ALERT_GROUPS.total_increase.title = `Totals up by ${formatDecimal(result.totalIncrease)} % or more`;
  el["alerts-list"].replaceChildren(...groupedList(alerts, ALERT_GROUPS, (id, alert) => companyLabel(alert.organizationName, id || null), 5));

  el["change-totals-table"].tBodies[0].replaceChildren(
    ...totals.map((t) =>
      make(
        "tr",
        {},
        make("th", { scope: "row", "data-col": "company", text: companyLabel(t.organizationName, t.organizationId) }),
        make("td", { "data-col": "currency", text: t.currency }),
        amountCell(t.previous, null, "previous", "none"),
        amountCell(t.current, null, "current", "none"),
        changeCell(t.change, "change"),
        percentCell(t.percent, "percent"),
        completeCell(t.complete),
      ),
    ),
  );

  el["show-unchanged"].checked = false;
  changeSort = { key: "amountChange", descending: true };
  drawChanges();
  drawChangesChart();
}

/**
 * The order of two comparison rows for the current sort; ties keep the package's order.
 * @param {ComparisonRow} a
 * @param {ComparisonRow} b
 */
function changeOrder(a, b) {
  const { key, descending } = changeSort;
  const dir = descending ? -1 : 1;
  /** @type {(x: string, y: string) => number} */
  const text = (x, y) => x.localeCompare(y, userLocale(), { sensitivity: "base", numeric: true });
  // Unknown values (unpriced amounts, percents without a base) go last either way.
  /** @type {(x: string | null, y: string | null) => number} */
  const decimals = (x, y) => (x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : dir * compareDecimal(x, y));
  switch (key) {
    case "amountChange":
      // Amounts in different currencies are never compared: currencies in alphabetical order first.
      return (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) || decimals(a.amountChange, b.amountChange);
    case "percent":
      return decimals(a.amountChangePercent, b.amountChangePercent);
    case "company":
      return dir * text(companyLabel(a.organizationName, a.organizationId), companyLabel(b.organizationName, b.organizationId));
    case "license":
      return dir * text(a.licenseType, b.licenseType);
    case "status":
      return dir * (STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    default:
      return 0;
  }
}

/** Draws the changes table as sorted and filtered now. */
export function drawChanges() {
  const comparison = currentResult()?.comparison;
  if (!comparison) return;
  const { rows } = comparison;
  const showAll = el["show-unchanged"].checked;
  const shown = rows.filter((r) => showAll || r.status !== "same").sort(changeOrder);
  const hidden = rows.length - shown.length;
  el["changes-title"].textContent = showAll ? `Compared lines (${rows.length})` : `Changed lines (${shown.length})`;
  const order = {
    amountChange: changeSort.descending ? "largest increase first, per currency" : "largest decrease first, per currency",
    percent: changeSort.descending ? "largest percentage increase first" : "largest percentage decrease first",
    company: "by company", license: "by license type", status: "by status",
  }[changeSort.key];
  el["changes-caption"].textContent = `${plural(shown.length, "line", "lines")}, ${order}` + (hidden ? `; ${hidden} unchanged hidden` : "");
  for (const th of el["changes-table"].tHead?.querySelectorAll("th") ?? []) {
    const button = th.querySelector("button.sort");
    if (!(button instanceof HTMLButtonElement)) continue;
    th.setAttribute("aria-sort", button.dataset.sort === changeSort.key ? (changeSort.descending ? "descending" : "ascending") : "none");
  }
  el["changes-table"].tBodies[0].replaceChildren(
    ...shown.map((r) =>
      make(
        "tr",
        { class: `status-${r.status}`, "data-status": r.status, "data-currency": r.currency },
        make("td", { "data-col": "company", "data-org": r.organizationId ?? "", text: companyLabel(r.organizationName, r.organizationId) }),
        make(
          "td",
          {},
          make("span", { "data-col": "license", "data-part": r.partNumber ?? "", text: r.licenseType }),
          make("span", { class: "kind", "data-col": "kind", "data-value": r.kind, text: kindName(r.kind) }),
        ),
        make(
          "td",
          { class: "num" },
          quantityCell(r.previousQuantity, "previous-quantity"),
          make("span", { class: "arrow", "aria-hidden": "true", text: " → " }),
          make("span", { class: "visually-hidden", text: " to " }),
          quantityCell(r.currentQuantity, "current-quantity"),
        ),
        amountCell(r.previousAmount, r.currency, "previous-amount", r.previousQuantity === null ? "none" : "no rate"),
        amountCell(r.currentAmount, r.currency, "current-amount", r.currentQuantity === null ? "none" : "no rate"),
        changeCell(r.amountChange, "amount-change", r.currency),
        percentCell(r.amountChangePercent, "percent"),
        make("td", { "data-col": "status", "data-value": r.status }, make("span", { class: `status status-${r.status}`, text: STATUS_NAMES[r.status] ?? r.status })),
      ),
    ),
  );
}

/**
 * A click in the changes table's head: a sort button sorts by its column.
 * @param {MouseEvent} event
 */
export function sortChanges(event) {
  const button = event.target instanceof Element ? event.target.closest("button.sort") : null;
  if (!(button instanceof HTMLButtonElement)) return;
  const key = /** @type {SortKey} */ (button.dataset.sort);
  // The same column again reverses the order; a new column starts with its natural order.
  if (changeSort.key === key) changeSort.descending = !changeSort.descending;
  else changeSort = { key, descending: key === "amountChange" || key === "percent" };
  drawChanges();
  setStatus(`Changes sorted: ${el["changes-caption"].textContent}.`);
}

/**
 * Up to `n` largest increases and `n` largest decreases of one currency, increases first.
 * @param {Bar[]} items
 * @returns {Bar[]}
 */
function extremes(items, n = 5) {
  /** @type {{ label: string, value: string }[]} */
  const moved = [];
  for (const x of items) if (x.value !== null && x.value !== undefined && signOf(x.value) !== 0) moved.push({ label: x.label, value: x.value });
  const sorted = [...moved].sort((a, b) => compareDecimal(b.value, a.value));
  const increases = sorted.filter((x) => signOf(x.value) > 0).slice(0, n);
  const decreases = sorted.filter((x) => signOf(x.value) < 0).reverse().slice(0, n);
  return [...increases, ...decreases];
}

/** Draws the chart of the largest increases and decreases, by line or by company total. */
export function drawChangesChart() {
  const comparison = currentResult()?.comparison;
  if (!comparison) return;
  const { rows, totals } = comparison;
  const byLine = el["changes-chart-by"].value === "line";
  const { add, groups } = barsByCurrency();
  if (byLine) {
    for (const r of rows) {
      const kind = kindName(r.kind);
      add(r.currency, { label: `${companyLabel(r.organizationName, r.organizationId)}: ${r.licenseType} (${kind.toLowerCase()})`, value: r.amountChange });
    }
  } else {
    for (const t of totals) add(t.currency, { label: companyLabel(t.organizationName, t.organizationId), value: t.change });
  }
  const charts = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, bars]) => /** @type {const} */ ([currency, extremes(bars)]))
    .filter(([, bars]) => bars.length > 0)
    .map(([currency, bars]) =>
      barChart(`Largest ${byLine ? "line" : "company total"} increases and decreases, ${currency}`, bars, currency, { signed: true }),
    );
  el["changes-chart"].replaceChildren(...charts);
  if (charts.length === 0) el["changes-chart"].append(make("p", { class: "muted", text: "No amount changed." }));
}
