// @ts-check
// The page's elements, by the ids of index.html, and the small DOM helpers every module shares:
// building elements without innerHTML (the CSP forbids inline scripts and styles anyway), the
// status line and the error box.

/**
 * The element with `id`, checked to be a `type` (so a renamed id or changed tag fails at start-up,
 * not later on a click).
 * @template {Element} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return node;
}

const E = HTMLElement;
const button = HTMLButtonElement;
const input = HTMLInputElement;
const select = HTMLSelectElement;
const table = HTMLTableElement;

/** Every element the page reads or writes, keyed by its id. Module scripts run after parsing. */
export const el = {
  // Header, status and errors
  session: byId("session", E),
  "session-region": byId("session-region", E),
  "session-flow": byId("session-flow", E),
  "session-expiry": byId("session-expiry", E),
  logout: byId("logout", button),
  "client-app-note": byId("client-app-note", E),
  status: byId("status", E),
  error: byId("error", E),
  "error-text": byId("error-text", E),
  "error-dismiss": byId("error-dismiss", button),
  // Sign-in
  login: byId("login", E),
  "login-form": byId("login-form", HTMLFormElement),
  region: byId("region", select),
  "region-hosts": byId("region-hosts", E),
  "client-id": byId("client-id", input),
  "redirect-uri": byId("redirect-uri", E),
  "sign-in": byId("sign-in", button),
  "flow-pkce": byId("flow-pkce", input),
  "flow-implicit": byId("flow-implicit", input),
  // My organization
  workspace: byId("workspace", E),
  "mode-usage": byId("mode-usage", input),
  "mode-partner": byId("mode-partner", input),
  "usage-form": byId("usage-form", HTMLFormElement),
  "start-date": byId("start-date", input),
  "end-date": byId("end-date", input),
  currency: byId("currency", input),
  "usage-rounding": byId("usage-rounding", select),
  company: byId("company", input),
  "price-book": byId("price-book", HTMLTextAreaElement),
  "price-book-file": byId("price-book-file", input),
  "run-usage": byId("run-usage", button),
  "cancel-usage": byId("cancel-usage", button),
  // Partner
  "partner-form": byId("partner-form", HTMLFormElement),
  "period-index": byId("period-index", select),
  "compare-with": byId("compare-with", select),
  "total-increase-field": byId("total-increase-field", E),
  "total-increase": byId("total-increase", input),
  markup: byId("markup", input),
  "partner-rounding": byId("partner-rounding", select),
  concurrency: byId("concurrency", input),
  "apply-minimum": byId("apply-minimum", input),
  overrides: byId("overrides", HTMLTextAreaElement),
  "run-partner": byId("run-partner", button),
  "cancel-partner": byId("cancel-partner", button),
  "progress-area": byId("progress-area", E),
  "progress-bar": byId("progress-bar", HTMLProgressElement),
  "progress-text": byId("progress-text", E),
  // Results
  results: byId("results", E),
  "results-title": byId("results-title", E),
  "results-summary": byId("results-summary", E),
  failures: byId("failures", E),
  "failures-title": byId("failures-title", E),
  "failures-list": byId("failures-list", E),
  warnings: byId("warnings", E),
  "warnings-title": byId("warnings-title", E),
  "warnings-list": byId("warnings-list", E),
  "totals-table": byId("totals-table", table),
  "chart-by": byId("chart-by", select),
  "chart-org-field": byId("chart-org-field", E),
  "chart-org": byId("chart-org", select),
  chart: byId("chart", E),
  "more-columns": byId("more-columns", button),
  "lines-title": byId("lines-title", E),
  "lines-table": byId("lines-table", table),
  // Downloads
  "dl-csv": byId("dl-csv", button),
  "dl-focus": byId("dl-focus", button),
  "dl-json": byId("dl-json", button),
  "dl-stripe": byId("dl-stripe", button),
  "dl-xero": byId("dl-xero", button),
  "dl-quickbooks": byId("dl-quickbooks", button),
  "focus-version": byId("focus-version", select),
  "invoice-date": byId("invoice-date", input),
  "date-format": byId("date-format", select),
  "export-notes": byId("export-notes", E),
  "export-notes-title": byId("export-notes-title", E),
  "export-notes-list": byId("export-notes-list", E),
  "unpriced-export": byId("unpriced-export", E),
  "unpriced-note": byId("unpriced-note", E),
  "export-unpriced": byId("export-unpriced", input),
  // Comparison
  comparison: byId("comparison", E),
  "comparison-title": byId("comparison-title", E),
  "comparison-summary": byId("comparison-summary", E),
  alerts: byId("alerts", E),
  "alerts-title": byId("alerts-title", E),
  "alerts-list": byId("alerts-list", E),
  "change-totals-table": byId("change-totals-table", table),
  "changes-chart-by": byId("changes-chart-by", select),
  "changes-chart": byId("changes-chart", E),
  "changes-title": byId("changes-title", E),
  "show-unchanged": byId("show-unchanged", input),
  "changes-caption": byId("changes-caption", E),
  "changes-table": byId("changes-table", table),
  "dl-comparison": byId("dl-comparison", button),
};

/**
 * An element with attributes and children. `class` sets the class name, `text` the text content;
 * `true` is an empty attribute; `undefined`, `null` and `false` leave an attribute out, as `null`
 * and `undefined` children are left out.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [props]
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElement}
 */
export function make(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child);
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An SVG element with attributes and optional text.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string} [text]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, text) {
  const node = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {string} text the polite status line ("" clears it) */
export function setStatus(text) {
  el.status.textContent = text;
}

/** @param {string} text shown in the error box (an alert) until dismissed or cleared */
export function showError(text) {
  el["error-text"].textContent = text;
  el.error.hidden = false;
}

export function clearError() {
  el.error.hidden = true;
  el["error-text"].textContent = "";
}
