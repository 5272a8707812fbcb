// A TypeScript consumer of the web build (moduleResolution "bundler", as in a Vite app), checked
// with `tsc --strict --noEmit` against the installed tarball by tests/js/consumers.test.mjs.
// It is never run: it proves that every export has real types (no `any`), and that each wrong use
// below a `@ts-expect-error TSnnnn` comment is rejected: tsc fails on an unused directive, and the
// test also compiles a copy without the directives and expects exactly those error codes there.
import init, {
  BillingClient,
  Invoice,
  checkDecimal,
  clientCredentialsToken,
  compareInvoices,
  comparisonToCsv,
  initSync,
  invoiceFromOverview,
  invoiceFromUsage,
  invoiceToCsv,
  invoiceToFocus,
  invoiceToStripeItems,
  invoiceToXeroCsv,
  invoiceToQuickBooksCsv,
  parseOverviewPriceBook,
  parseUsagePriceBook,
  regions,
  type AccessToken,
  type AccountingExport,
  type AccountingWarning,
  type BillingUsageReport,
  type Comparison,
  type CurrencyTotal,
  type ComparisonRow,
  type PartnerComparison,
  type DecimalString,
  type GenesysBillingError,
  type GenesysBillingErrorCode,
  type InitOutput,
  type InvoiceLine,
  type InvoiceTotal,
  type InvoiceWarning,
  type PlainInvoice,
  type OrgFailure,
  type PartnerInvoices,
  type Progress,
  type RateOverride,
  type Region,
  type StripeInvoiceItem,
  type TrusteeBillingOverview,
  type Trustor,
} from "genesys-billing";

// Type-level checks: `Equal` fails on `any`, which IsAny makes explicit.
type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): T | void {}

check<Equal<Awaited<ReturnType<typeof init>>, InitOutput>>();
check<Equal<ReturnType<typeof initSync>, InitOutput>>();
check<Equal<ReturnType<typeof Invoice.fromOverview>, Invoice>>();
check<Equal<ReturnType<typeof Invoice.fromOverviews>, Invoice>>();
check<Equal<ReturnType<typeof Invoice.fromUsage>, Invoice>>();
check<Equal<ReturnType<typeof Invoice.from>, Invoice>>();
check<Equal<Invoice["lines"], InvoiceLine[]>>();
check<Equal<Invoice["totals"], InvoiceTotal[]>>();
check<Equal<Invoice["warnings"], InvoiceWarning[]>>();
check<Equal<ReturnType<Invoice["toJSON"]>, PlainInvoice>>();
check<Equal<ReturnType<Invoice["toCsv"]>, string>>();
check<Equal<ReturnType<Invoice["toFocus"]>, string>>();
check<Equal<ReturnType<Invoice["toStripeItems"]>, StripeInvoiceItem[]>>();
check<Equal<ReturnType<Invoice["toXeroCsv"]>, AccountingExport>>();
check<Equal<ReturnType<Invoice["toQuickBooksCsv"]>, AccountingExport>>();
check<Equal<ReturnType<typeof invoiceToXeroCsv>, AccountingExport>>();
check<Equal<ReturnType<typeof invoiceToQuickBooksCsv>, AccountingExport>>();
check<Equal<AccountingExport["warnings"], AccountingWarning[]>>();
check<Equal<AccountingWarning["code"], "single_unit_line" | "import_limit" | "customer_currency">>();
check<Equal<PartnerInvoices["invoice"], Invoice>>();
check<Equal<IsAny<Parameters<typeof Invoice.fromOverviews>[0]>, false>>();
check<Equal<ReturnType<typeof invoiceFromOverview>, PlainInvoice>>();
check<Equal<ReturnType<typeof invoiceFromUsage>, PlainInvoice>>();
check<Equal<ReturnType<typeof invoiceToCsv>, string>>();
check<Equal<ReturnType<typeof invoiceToFocus>, string>>();
check<Equal<ReturnType<typeof invoiceToStripeItems>, StripeInvoiceItem[]>>();
check<Equal<ReturnType<typeof regions>, Region[]>>();
check<Equal<ReturnType<typeof clientCredentialsToken>, Promise<AccessToken>>>();
check<Equal<AccessToken["expiresIn"], number>>();
check<Equal<ReturnType<typeof compareInvoices>, Comparison>>();
check<Equal<ReturnType<typeof checkDecimal>, void>>();
check<Equal<ReturnType<typeof parseUsagePriceBook>, Record<string, DecimalString>>>();
check<Equal<ReturnType<typeof parseOverviewPriceBook>, Record<string, RateOverride>>>();
check<Equal<ReturnType<Invoice["compareWith"]>, Comparison>>();
check<Equal<ReturnType<typeof comparisonToCsv>, string>>();
check<Equal<ReturnType<BillingClient["partnerComparison"]>, Promise<PartnerComparison>>>();
check<Equal<ComparisonRow["amountChangePercent"], DecimalString | null>>();
check<Equal<Comparison["currencies"][number]["percent"], DecimalString | null>>();
check<Equal<Invoice["currencyTotals"], CurrencyTotal[]>>();
check<Equal<ComparisonRow["status"], "new" | "gone" | "changed" | "same">>();
check<Equal<ReturnType<BillingClient["partnerInvoices"]>, Promise<PartnerInvoices>>>();
check<Equal<ReturnType<BillingClient["billableUsage"]>, Promise<BillingUsageReport>>>();
check<Equal<ReturnType<BillingClient["trusteeBillingOverview"]>, Promise<TrusteeBillingOverview>>>();
check<Equal<ReturnType<BillingClient["trustors"]>, Promise<Trustor[]>>>();
check<Equal<InvoiceLine["amount"], DecimalString | null>>();
check<Equal<DecimalString, string>>();
check<Equal<IsAny<Parameters<typeof invoiceFromOverview>[0]>, false>>();
check<Equal<IsAny<Parameters<typeof invoiceFromOverview>[1]>, false>>();
check<Equal<IsAny<ConstructorParameters<typeof BillingClient>[0]>, false>>();
check<Equal<GenesysBillingError["code"], GenesysBillingErrorCode>>();
check<Equal<OrgFailure["code"], GenesysBillingErrorCode>>();

declare const overview: TrusteeBillingOverview;
declare const report: BillingUsageReport;
declare const accessToken: string;

export async function everyExport(): Promise<string[]> {
  await init();
  // The class first: the invoice stays in wasm; exports read it there.
  const handle = Invoice.fromOverview(overview, { markupPercent: "12.5" });
  const batch = Invoice.fromOverviews([overview, JSON.stringify(overview)], { rounding: "half-even" });
  const mine = Invoice.fromUsage(report, { priceBook: { "Genesys Cloud CX 3": "150.00" }, currency: "EUR" });
  const copy = Invoice.from(JSON.stringify(handle));
  const plainCopy: PlainInvoice = handle.toJSON();
  const handleCsv: string = handle.toCsv({ includeHeader: false }) + batch.toFocus({ allowUnpriced: true });
  const handleItems: StripeInvoiceItem[] = mine.toStripeItems({ skipUnpriced: true });
  const viaFree: string = invoiceToCsv(copy) + invoiceToCsv(plainCopy);
  const firstAmount: DecimalString | null = handle.lines[0].amount;
  handle.free();
  batch.free();
  const invoice = invoiceFromOverview(overview, {
    priceBook: { "PC-170-NV-USR3C": { prepay: "9.50", onDemand: "11" } },
    markupPercent: "12.5",
    rounding: "half-even",
    applyMinimum: false,
    currencyExponent: 3,
  });
  const own = invoiceFromUsage(JSON.stringify(report), {
    priceBook: { "Genesys Cloud CX 3": "150.00" },
    currency: "EUR",
    organization: { id: "org-1", name: "Acme" },
    rounding: "half-up",
  });
  const amount: DecimalString | null = invoice.lines[0].amount;
  const total: string = own.totals[0].amount;
  const csv: string = invoiceToCsv(invoice, { includeHeader: false });
  const focus: string = invoiceToFocus(own, { invoiceIssuerName: "Partner Ltd", providerName: "Genesys", allowUnpriced: true });
  const items = invoiceToStripeItems(invoice, { customers: { "org-1": "cus_123" }, skipUnpriced: true, rounding: "half-up", currencyExponent: 2 });
  const minorUnits: number | undefined = items[0].amount; // mode "amount" (the default)
  const xero: AccountingExport = invoiceToXeroCsv(invoice, {
    invoiceDate: "2026-11-01", paymentTermsDays: 14, dateFormat: "MM/DD/YYYY", accountCode: "4000",
    taxType: "Tax Exempt", invoiceNumberPrefix: "INV-", skipUnpriced: true,
  });
  const qbo: string = invoiceToQuickBooksCsv(invoice, { invoiceDate: "2026-11-01", dueDate: "2026-12-01", item: "Genesys Cloud" }).csv
    + mine.toQuickBooksCsv({ invoiceDate: "2026-11-01" }).warnings.map((w) => w.code).join()
    + mine.toXeroCsv({ invoiceDate: "2026-11-01", dateFormat: "YYYY-MM-DD" }).csv;
  const domains: string[] = regions().map((r) => `${r.domain} ${r.clientAppEnvironment}`);
  checkDecimal("12.50", "priceBook.CX");
  const fromFile = Invoice.fromUsage(report, { priceBook: parseUsagePriceBook("Usage,Rate\nGenesys Cloud CX 3,150.00"), currency: "EUR" });
  const overrides = invoiceFromOverview(overview, { priceBook: parseOverviewPriceBook('{"PC-1": {"prepay": "9.50"}}') });
  domains.push(fromFile.totals[0].amount, overrides.totals[0].amount);
  fromFile.free();

  const client = new BillingClient({ accessToken, region: "mypurecloud.ie", maxAttempts: 4, maxRetryWaitMs: 60_000, retryBaseDelayMs: 250, retryAfterCapSeconds: 60 });
  const local = new BillingClient({ accessToken, apiBaseUrl: "http://127.0.0.1:18787", requestsPerMinute: 0 });
  const issued: AccessToken = await clientCredentialsToken({ clientId: "id", clientSecret: "secret", region: "mypurecloud.ie" });
  const viaLogin = await clientCredentialsToken({ clientId: "id", clientSecret: "secret", loginBaseUrl: "http://127.0.0.1:18787" }, { signal: new AbortController().signal });
  const paced = new BillingClient({ accessToken: issued.accessToken, region: "mypurecloud.ie", requestsPerMinute: 300 });
  const compared = await paced.partnerComparison({ previousPeriodIndex: 1, currentPeriodIndex: 0, markupPercent: "10", totalIncreasePercent: "15", concurrency: 4, signal: AbortSignal.timeout(60_000) });
  const changes: string = comparisonToCsv(compared.comparison) + comparisonToCsv(compareInvoices(compared.previous, compared.current.toJSON(), { overageAmount: "100" }))
    + compared.current.compareWith(compared.previous).alerts.map((a) => a.code).join();
  compared.previous.free();
  compared.current.free();
  const controller = new AbortController();
  const seen: Progress[] = [];
  const run = await client.partnerInvoices({
    billingPeriodIndex: 1,
    concurrency: 8,
    onProgress: (p) => seen.push({ done: p.done, total: p.total }),
    signal: controller.signal,
    markupPercent: "-5",
    rounding: "half-up",
  });
  const failed: string[] = run.failures.map((f) => `${f.organizationName ?? f.organizationId}: ${f.code} ${f.status ?? ""}`);
  const skipped: string[] = run.skipped;
  const runCsv: string = run.invoice.toCsv();
  run.invoice.free();
  const usage = await local.billableUsage(new Date("2026-10-01T00:00:00Z"), "2026-10-31T23:59:59.999Z", { pollIntervalMs: 1000, timeoutMs: 60_000, signal: controller.signal });
  const one = await local.trusteeBillingOverview("org-1", 0, { signal: controller.signal });
  const trustors = await local.trustors({ signal: controller.signal });
  const ids: (string | undefined)[] = trustors.filter((t) => t.enabled).map((t) => t.id);
  const origin: string = client.apiBaseUrl + paced.apiBaseUrl + viaLogin.tokenType + changes;
  client.free();

  try {
    invoiceFromOverview("{}");
  } catch (e) {
    if (isBillingError(e)) {
      switch (e.code) {
        case "token_expired":
          return ["sign in again"];
        case "forbidden":
          return [`missing permission ${e.permission ?? "?"}`];
        // @ts-expect-error TS2678: not an error code (they are snake_case)
        case "tokenExpired":
          return [];
      }
      const status: number | undefined = e.status;
      const details: (string | undefined)[] = [e.apiCode, e.apiMessage, e.contextId, e.correlationId, e.organizationId, e.usageName, e.partNumber, e.field];
      const where: (number | undefined)[] = [e.usageIndex, e.lineIndex, e.index];
      details.push(...where.map((n) => (n === undefined ? undefined : String(n))));
      return [e.message, String(status), ...details.map(String)];
    }
    throw e;
  }
  return [xero.csv, qbo, handleCsv, viaFree, firstAmount ?? "", String(handleItems.length), runCsv, amount ?? "", total, csv, focus, String(minorUnits), ...domains, ...failed, ...skipped, usage.startDate, one.currency, ...ids.map(String), origin, String(seen.length)];
}

/** Errors are `Error`s named "GenesysBillingError"; a type guard narrows `unknown` to the type. */
function isBillingError(e: unknown): e is GenesysBillingError {
  return e instanceof Error && e.name === "GenesysBillingError";
}

export function initFromBytes(bytes: ArrayBuffer): InitOutput {
  return initSync({ module: bytes });
}

export function wrongUses(invoice: Invoice) {
  // @ts-expect-error TS2322: decimals are strings, never JS numbers
  invoiceFromOverview(overview, { markupPercent: 12.5 });
  // @ts-expect-error TS2322: a price-book rate is a decimal string
  invoiceFromOverview(overview, { priceBook: { "PC-1": { prepay: 10 } } });
  // @ts-expect-error TS2322: unknown rounding mode
  invoiceFromOverview(overview, { rounding: "half-down" });
  // @ts-expect-error TS2353: misspelt option
  invoiceFromOverview(overview, { markup: "12.5" });
  // @ts-expect-error TS2554: the overview is required
  invoiceFromOverview();
  // @ts-expect-error TS2741: invoiceFromUsage needs the currency of the price book
  invoiceFromUsage(report, { priceBook: { "Genesys Cloud CX 3": "150.00" } });
  // @ts-expect-error TS2554: invoiceFromUsage needs options
  invoiceFromUsage(report);
  // @ts-expect-error TS2322: a usage price is a decimal string
  invoiceFromUsage(report, { priceBook: { "Genesys Cloud CX 3": 150 }, currency: "EUR" });
  // @ts-expect-error TS2345: give region or apiBaseUrl, not both
  new BillingClient({ accessToken, region: "mypurecloud.ie", apiBaseUrl: "https://api.mypurecloud.ie" });
  // @ts-expect-error TS2345: give region or apiBaseUrl
  new BillingClient({ accessToken });
  // @ts-expect-error TS2322: thresholds are decimal strings
  compareInvoices(invoice, invoice, { totalIncreasePercent: 20 });
  // @ts-expect-error TS2345: give region or loginBaseUrl, not both
  void clientCredentialsToken({ clientId: "id", clientSecret: "s", region: "mypurecloud.ie", loginBaseUrl: "http://127.0.0.1:1" });
  // @ts-expect-error TS2345: the secret is required
  void clientCredentialsToken({ clientId: "id", region: "mypurecloud.ie" });
  // @ts-expect-error TS2322: requestsPerMinute is a number
  new BillingClient({ accessToken, region: "mypurecloud.ie", requestsPerMinute: "300" });
  // @ts-expect-error TS2345: the token is required
  new BillingClient({ region: "mypurecloud.ie" });
  const client = new BillingClient({ accessToken, region: "mypurecloud.ie" });
  // @ts-expect-error TS2741: a comparison run needs the previous period
  void client.partnerComparison({ currentPeriodIndex: 0 });
  // @ts-expect-error TS2322: concurrency is a number
  void client.partnerInvoices({ concurrency: "4" });
  // @ts-expect-error TS2322: onProgress receives {done, total}
  void client.partnerInvoices({ onProgress: (p: string) => p });
  // @ts-expect-error TS2740: a signal is an AbortSignal, not its controller
  void client.trustors({ signal: new AbortController() });
  // @ts-expect-error TS2345: dates are ISO strings or Dates
  void client.billableUsage(1759276800000, "2026-10-31T23:59:59.999Z");
  // @ts-expect-error TS2345: the org id is a string
  void client.trusteeBillingOverview(42);
  // @ts-expect-error TS2551: amounts are decimal strings, not numbers
  invoice.totals[0].amount.toFixed(2);
  // @ts-expect-error TS2322: a rate may be null (unpriced line)
  const rate: string = invoice.lines[0].rate;
  // @ts-expect-error TS2353: unknown CSV option
  invoiceToCsv(invoice, { header: false });
  // @ts-expect-error TS2322: unknown Stripe rounding mode
  invoiceToStripeItems(invoice, { rounding: "up" });
  // @ts-expect-error TS2322: Stripe customers map org ids to customer ids (strings)
  invoiceToStripeItems(invoice, { customers: { "org-1": 1 } });
  // @ts-expect-error TS2741: an accounting import needs its invoice date
  invoiceToXeroCsv(invoice, {});
  // @ts-expect-error TS2820: the date format is one of three spellings
  invoice.toXeroCsv({ invoiceDate: "2026-11-01", dateFormat: "dd.mm.yyyy" });
  // @ts-expect-error TS2353: accountCode is Xero's, not QuickBooks'
  invoice.toQuickBooksCsv({ invoiceDate: "2026-11-01", accountCode: "200" });
  // @ts-expect-error TS2540: an Invoice's lines are read-only
  invoice.lines = [];
  // @ts-expect-error TS2740: fromOverviews takes an array of overviews
  Invoice.fromOverviews(overview);
  // @ts-expect-error TS2353: misspelt CSV option on the method too
  invoice.toCsv({ header: false });
  // @ts-expect-error TS2554: regions take no argument
  regions("eu");
  return rate;
}
