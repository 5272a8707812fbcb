// @ts-check
// Running the two modes with a BillingClient: "My organization" (billable usage priced with the
// price book, Invoice.fromUsage) and "Partner" (every customer's billing overview:
// partnerInvoices, or partnerComparison with "Compare with"), with progress and cancellation.

import { Invoice } from "../pkg/genesys_billing.js";
import { clearError, el, setStatus, showError } from "./dom.js";
import { describeError, errorFields, messageOf } from "./errors.js";
import { savePrefs } from "./prefs.js";
import { isDecimal, parseOverrides, parseUsagePriceBook } from "./pricebook.js";
import { showResults } from "./results.js";
import { newClient } from "./session.js";

/** @import { BillingClient, Invoice as InvoiceType, OrgFailure, PartnerComparisonOptions, PartnerInvoicesOptions, Rounding, UsageInvoiceOptions } from "../pkg/genesys_billing.js" */

/**
 * What a run needs from the page around it.
 * @typedef {object} RunHooks
 * @property {(message: string) => void} onTokenRefused  Genesys Cloud refused the token: sign out
 */

/**
 * AbortController of the running request, if any.
 * @type {AbortController | null}
 */
let running = null;

/** Cancels the running request, if any (its run then says "Cancelled."). */
export function cancelRun() {
  running?.abort();
}

/**
 * @param {"usage" | "partner"} form
 * @param {boolean} busy
 */
function setBusy(form, busy) {
  const run = form === "usage" ? el["run-usage"] : el["run-partner"];
  const cancel = form === "usage" ? el["cancel-usage"] : el["cancel-partner"];
  run.disabled = busy;
  cancel.hidden = !busy;
  el["mode-usage"].disabled = busy;
  el["mode-partner"].disabled = busy;
  el.results.setAttribute("aria-busy", busy ? "true" : "false");
}

/**
 * @param {unknown} err
 * @param {RunHooks} hooks
 */
function handleRunError(err, hooks) {
  const { code } = errorFields(err);
  if (code === "aborted") {
    setStatus("Cancelled.");
    return;
  }
  setStatus("");
  showError(describeError(err));
  if (code === "token_expired") hooks.onTokenRefused("Your sign-in has expired. Sign in again.");
}

/**
 * "2026-10" when the range is inside one month, else "2026-10-01_2026-11-15".
 * @param {string} startDate
 * @param {string} endDate
 */
function periodLabel(startDate, endDate) {
  if (startDate.slice(0, 7) === endDate.slice(0, 7)) return startDate.slice(0, 7);
  return `${startDate}_${endDate}`;
}

/**
 * "2026-10": the month the invoice's lines start in, or "period-<index>" when it has none.
 * @param {InvoiceType} invoice
 * @param {number} index
 */
function periodOf(invoice, index) {
  const firstStart = invoice.lines[0]?.periodStart;
  return firstStart ? String(firstStart).slice(0, 7) : `period-${index}`;
}

/**
 * The usage form's submit: billable usage of the signed-in organization, priced with the price book.
 * @param {SubmitEvent} event
 * @param {RunHooks} hooks
 */
export async function runUsage(event, hooks) {
  event.preventDefault();
  if (running) return;
  clearError();
  const startDate = el["start-date"].value;
  const endDate = el["end-date"].value;
  const currency = el.currency.value.trim().toUpperCase();
  if (!startDate || !endDate) {
    showError("Choose the start and end dates.");
    (startDate ? el["end-date"] : el["start-date"]).focus();
    return;
  }
  if (endDate < startDate) {
    showError("The end date is before the start date.");
    el["end-date"].focus();
    return;
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    showError("The currency must be a three-letter ISO 4217 code such as USD.");
    el.currency.focus();
    return;
  }
  let priceBook;
  try {
    priceBook = parseUsagePriceBook(el["price-book"].value);
  } catch (err) {
    showError(messageOf(err));
    el["price-book"].focus();
    return;
  }
  savePrefs({ currency, priceBook: el["price-book"].value, company: el.company.value });

  running = new AbortController();
  setBusy("usage", true);
  setStatus("Fetching billable usage from Genesys Cloud (the report may take a few seconds to be ready)...");
  /** @type {BillingClient | undefined} */
  let client;
  try {
    client = newClient();
    const report = await client.billableUsage(`${startDate}T00:00:00.000Z`, `${endDate}T23:59:59.999Z`, {
      signal: running.signal,
    });
    /** @type {UsageInvoiceOptions} */
    const options = { priceBook, currency, rounding: /** @type {Rounding} */ (el["usage-rounding"].value) };
    const company = el.company.value.trim();
    if (company) options.organization = { name: company };
    const invoice = Invoice.fromUsage(report, options);
    showResults({ invoice, failures: [], period: periodLabel(startDate, endDate), mode: "usage" });
    setStatus(`Done: ${invoice.lines.length} invoice lines for ${startDate} to ${endDate}.`);
  } catch (err) {
    handleRunError(err, hooks);
  } finally {
    client?.free?.();
    running = null;
    setBusy("usage", false);
  }
}

/**
 * The partner form's submit: every customer organization's invoice lines, and with "Compare with"
 * the comparison with the earlier period.
 * @param {SubmitEvent} event
 * @param {RunHooks} hooks
 */
export async function runPartner(event, hooks) {
  event.preventDefault();
  if (running) return;
  clearError();
  const billingPeriodIndex = Number(el["period-index"].value);
  const compareWith = el["compare-with"].value === "" ? null : Number(el["compare-with"].value);
  const totalIncrease = el["total-increase"].value.trim().replace(/%$/, "").trim();
  const markup = el.markup.value.trim().replace(/%$/, "").trim();
  if (compareWith !== null && compareWith <= billingPeriodIndex) {
    showError("Compare with a period before the billing period (for example the previous period).");
    el["compare-with"].focus();
    return;
  }
  if (compareWith !== null && totalIncrease && (!isDecimal(totalIncrease) || totalIncrease.startsWith("-"))) {
    showError("The alert threshold must be a positive percentage such as 20.");
    el["total-increase"].focus();
    return;
  }
  const concurrency = Number(el.concurrency.value || 4);
  if (markup && !isDecimal(markup)) {
    showError("The markup must be a decimal percentage such as 10 or -5.");
    el.markup.focus();
    return;
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) {
    showError("Parallel requests must be a whole number from 1 to 10.");
    el.concurrency.focus();
    return;
  }
  let priceBook;
  try {
    priceBook = parseOverrides(el.overrides.value);
  } catch (err) {
    showError(messageOf(err));
    el.overrides.focus();
    return;
  }

  running = new AbortController();
  setBusy("partner", true);
  el["progress-area"].hidden = false;
  el["progress-bar"].max = 1;
  el["progress-bar"].value = 0;
  el["progress-text"].textContent = "Listing customer organizations...";
  setStatus("Fetching the billing overview of every customer organization...");
  /** @type {BillingClient | undefined} */
  let client;
  try {
    client = newClient();
    /** @type {PartnerInvoicesOptions} */
    const options = {
      billingPeriodIndex,
      concurrency,
      signal: running.signal,
      rounding: /** @type {Rounding} */ (el["partner-rounding"].value),
      applyMinimum: el["apply-minimum"].checked,
      onProgress: ({ done, total }) => {
        el["progress-bar"].max = Math.max(1, total);
        el["progress-bar"].value = done;
        el["progress-text"].textContent = `${done} of ${total} customers done${compareWith === null ? "" : ", both periods"}`;
      },
    };
    if (markup) options.markupPercent = markup;
    if (priceBook) options.priceBook = priceBook;
    /** @param {OrgFailure[] | undefined} failures */
    const failed = (failures) => (failures?.length ? `, ${failures.length} could not be billed` : "");
    if (compareWith === null) {
      const { invoice, failures, skipped } = await client.partnerInvoices(options);
      const period = periodOf(invoice, billingPeriodIndex);
      showResults({ invoice, failures: failures ?? [], skipped: skipped ?? [], period, mode: "partner" });
      setStatus(`Done: ${invoice.totals.length} customer totals, ${invoice.lines.length} lines${failed(failures)}.`);
    } else {
      const { billingPeriodIndex: _, ...shared } = options;
      /** @type {PartnerComparisonOptions} */
      const comparisonOptions = { ...shared, currentPeriodIndex: billingPeriodIndex, previousPeriodIndex: compareWith };
      if (totalIncrease) comparisonOptions.totalIncreasePercent = totalIncrease;
      const run = await client.partnerComparison(comparisonOptions);
      const { comparison } = run;
      const previousPeriod = periodOf(run.previous, compareWith);
      showResults({
        invoice: run.current,
        previous: run.previous,
        comparison,
        failures: run.failures ?? [],
        skipped: run.skipped ?? [],
        period: periodOf(run.current, billingPeriodIndex),
        previousPeriod,
        totalIncrease: totalIncrease || "20",
        mode: "partner",
      });
      const alerts = comparison.alerts.length;
      setStatus(
        `Done: ${run.current.totals.length} customer totals, ${run.current.lines.length} lines, compared with ${previousPeriod}: ` +
          `${alerts} ${alerts === 1 ? "alert" : "alerts"}${failed(run.failures)}.`,
      );
    }
  } catch (err) {
    handleRunError(err, hooks);
  } finally {
    client?.free?.();
    running = null;
    setBusy("partner", false);
  }
}
