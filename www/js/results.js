// @ts-check
// The results view: summary, customers that could not be billed, warnings, totals, the amounts
// chart and the lines table. The comparison (compare.js) and the downloads (exports.js) have their
// own parts of the view.

import { amountCell, completeCell } from "./cells.js";
import { barChart, barsByCurrency } from "./charts.js";
import { showComparison } from "./compare.js";
import { currentResult, setCurrent } from "./current.js";
import { el, make } from "./dom.js";
import { ERROR_TEXT } from "./errors.js";
import { prepareExports } from "./exports.js";
import { companyLabel, formatDecimal, kindName } from "./format.js";
import { groupedList } from "./groups.js";

/** @import { Invoice, InvoiceLine } from "../pkg/genesys_billing.js" */
/** @import { Result } from "./current.js" */
/** @import { GroupSpec } from "./groups.js" */

/** @type {Record<string, GroupSpec>} What each warning of the invoice is called on the page. */
const WARNING_GROUPS = {
  unpriced: { title: "Unpriced lines", unit: ["line", "lines"] },
  minimum_over_incomplete: { title: "Minimum top-ups computed over unpriced lines", unit: ["top-up", "top-ups"] },
  ramp_period: { title: "In the ramp period (its prices are not in the API)", unit: ["notice", "notices"], perOrg: true },
  report_in_progress: { title: "Usage report not complete yet", unit: ["notice", "notices"] },
};

/**
 * Organization ids behind the chart's company picker (an id may be null: "Your organization").
 * @type {(string | null)[]}
 */
let chartOrgIds = [];

/**
 * Every organization of the invoice, id → name, in invoice order.
 * @param {Invoice} invoice
 * @returns {Map<string | null, string | null>}
 */
function orgNames(invoice) {
  const names = new Map();
  for (const t of invoice.totals) names.set(t.organizationId, t.organizationName);
  for (const l of invoice.lines) if (!names.has(l.organizationId)) names.set(l.organizationId, l.organizationName);
  return names;
}

/**
 * Shows a new result, replacing (and freeing) the one shown before.
 * @param {Result} result
 */
export function showResults(result) {
  setCurrent(result);
  const { invoice, failures } = result;
  const names = orgNames(invoice);
  /** @param {string} id */
  const nameOf = (id) => companyLabel(id ? names.get(id) : names.get(null), id || null);

  el["results-title"].textContent = `Invoice lines, ${result.period}`;
  el["results-summary"].textContent =
    `${invoice.lines.length} lines for ${names.size} ${names.size === 1 ? "organization" : "organizations"}` +
    (result.comparison ? `, compared with ${result.previousPeriod}` : "") +
    (failures.length ? `; ${failures.length} could not be billed` : "") +
    (result.skipped?.length ? `; ${result.skipped.length} skipped because their trust is disabled` : "") +
    (invoice.warnings.length ? `; ${invoice.warnings.length} ${invoice.warnings.length === 1 ? "warning" : "warnings"}` : "") +
    ".";

  // Failures (partner mode)
  el.failures.hidden = failures.length === 0;
  el["failures-title"].textContent = `Customers that could not be billed (${failures.length})`;
  el["failures-list"].replaceChildren(
    ...failures.map((f) => {
      const detail = [f.code && `code ${f.code}`, f.status && `HTTP ${f.status}`].filter(Boolean).join(", ");
      return make(
        "li",
        {},
        make("strong", { text: companyLabel(f.organizationName, f.organizationId) }),
        ` (${f.organizationId}): ${f.message || ERROR_TEXT[f.code] || "failed"}${detail ? ` [${detail}]` : ""}`,
      );
    }),
  );

  // Warnings, grouped by kind and organization (the package's messages name the org and the license).
  el.warnings.hidden = invoice.warnings.length === 0;
  el["warnings-title"].textContent = `Warnings (${invoice.warnings.length})`;
  el["warnings-list"].replaceChildren(...groupedList(invoice.warnings, WARNING_GROUPS, nameOf, 8));

  // Totals
  el["totals-table"].tBodies[0].replaceChildren(
    ...invoice.totals.map((t) =>
      make(
        "tr",
        {},
        make("th", { scope: "row", "data-col": "company", text: companyLabel(t.organizationName, t.organizationId) }),
        make("td", { "data-col": "currency", text: t.currency }),
        make("td", { class: "num", "data-col": "amount", "data-value": t.amount, text: formatDecimal(t.amount) }),
        completeCell(t.complete),
      ),
    ),
  );

  prepareExports(result);

  // Lines
  el["lines-title"].textContent = `Lines (${invoice.lines.length})`;
  el["lines-table"].tBodies[0].replaceChildren(...invoice.lines.map(lineRow));

  // Chart controls
  // Option values are indexes into chartOrgIds: an organization id may be null ("My organization").
  chartOrgIds = [...names.keys()];
  el["chart-org"].replaceChildren(
    ...[...names].map(([id, name], i) => make("option", { value: String(i), text: companyLabel(name, id) })),
  );
  el["chart-by"].value = names.size > 1 ? "org" : "license";
  drawChart();

  showComparison(result);
  el.results.hidden = false;
}

/**
 * One row of the lines table; the "more" columns show with "More columns".
 * @param {InvoiceLine} line
 */
function lineRow(line) {
  return make(
    "tr",
    { class: line.rate === null || line.rate === undefined ? "row-unpriced" : "" },
    make("td", { "data-col": "company", text: companyLabel(line.organizationName, line.organizationId) }),
    make("td", { "data-col": "license", text: line.licenseType }),
    make("td", { class: "num", "data-col": "quantity", "data-value": line.quantity, text: formatDecimal(line.quantity) }),
    amountCell(line.rate, null, "rate"),
    amountCell(line.amount, line.currency, "amount"),
    make("td", { class: "more", text: kindName(line.kind) }),
    make("td", { class: "more", text: line.currency }),
    make("td", { class: "more", text: line.unitOfMeasure ?? "" }),
    make("td", { class: "more", text: line.partNumber ?? "" }),
    make("td", { class: "more", text: line.grouping ?? "" }),
    make("td", { class: "more num", text: line.bundleQuantity ?? "" }),
    make("td", { class: "more", text: line.isThirdParty ? "Yes" : "No" }),
    make("td", { class: "more", text: line.periodStart ?? "" }),
    make("td", { class: "more", text: line.periodEnd ?? "" }),
    make("td", { class: "more", text: line.organizationId ?? "" }),
  );
}

export function toggleMoreColumns() {
  const on = el["more-columns"].getAttribute("aria-pressed") !== "true";
  el["more-columns"].setAttribute("aria-pressed", String(on));
  el["more-columns"].textContent = on ? "Fewer columns" : "More columns";
  el["lines-table"].classList.toggle("show-more", on);
}

/**
 * Bars for the chart, grouped by currency, in invoice order.
 * @param {Invoice} invoice
 */
function chartGroups(invoice) {
  const { add, groups } = barsByCurrency();
  if (el["chart-by"].value === "org") {
    for (const t of invoice.totals) add(t.currency, { label: companyLabel(t.organizationName, t.organizationId), value: t.amount });
  } else {
    const orgId = chartOrgIds[Number(el["chart-org"].value)] ?? null;
    /** @type {Record<string, string>} */
    const kinds = { prepay: "prepay", "on-demand": "on demand", "minimum-commitment": "minimum", usage: "" };
    for (const l of invoice.lines) {
      if ((l.organizationId ?? null) !== orgId) continue;
      const kind = kinds[l.kind] ?? l.kind;
      add(l.currency, { label: kind ? `${l.licenseType} (${kind})` : l.licenseType, value: l.amount });
    }
  }
  return [...groups].map(([currency, bars]) => ({ currency, bars }));
}

/** Draws the amounts chart as the chart controls say. */
export function drawChart() {
  const current = currentResult();
  if (!current) return;
  const byOrg = el["chart-by"].value === "org";
  el["chart-org-field"].hidden = byOrg || el["chart-org"].options.length < 2;
  const groups = chartGroups(current.invoice);
  const orgName = el["chart-org"].selectedOptions[0]?.textContent ?? "";
  el.chart.replaceChildren(
    ...groups.map(({ currency, bars }) =>
      barChart(
        byOrg ? `Total amount per company, ${currency}` : `Amount per license type for ${orgName}, ${currency}`,
        bars,
        currency,
      ),
    ),
  );
  if (groups.length === 0) el.chart.append(make("p", { class: "muted", text: "Nothing to chart." }));
}
