/** A decimal number as a string ("12", "23.74", "-3.50"): money and quantities never pass through JS Numbers. */
export type DecimalString = string;

export type Rounding = "half-up" | "half-even";
export type LineKind = "prepay" | "on-demand" | "minimum-commitment" | "usage";

export interface NamedEntity { id?: string; name?: string }

export interface BillingUsageResource { name: string; date: string }
export interface BillingUsage { name: string; totalUsage: DecimalString; resources: BillingUsageResource[] }
export interface BillingUsageReport {
  id?: string; name?: string; startDate: string; endDate: string;
  /** "InProgress" | "Complete", or a value newer than this package. */
  status?: "InProgress" | "Complete" | (string & {});
  usages: BillingUsage[]; selfUri?: string;
}

export interface SubscriptionOverviewUsage {
  name: string; partNumber: string; grouping: string; unitOfMeasureType: string;
  usageQuantity: DecimalString; overagePrice?: DecimalString; prepayQuantity: DecimalString;
  prepayPrice?: DecimalString; usageNotes?: string; isCancellable?: boolean;
  bundleQuantity?: DecimalString; isThirdParty?: boolean;
}
export interface TrusteeBillingOverview {
  id?: string; name?: string; organization: NamedEntity; currency: string; enabledProducts: string[];
  subscriptionType: "ININ" | "MONTH_TO_MONTH" | "FREE_TRIAL_MONTH_TO_MONTH" | "PREPAY_MONTHLY_COMMITMENT" | "PREPAY"
    | "DEV_ORG_MONTH_TO_MONTH" | "DEV_ORG_PREPAY_MONTHLY_COMMITMENT" | "DEV_ORG_PREPAY" | (string & {});
  rampPeriodStartDate?: string; rampPeriodEndDate?: string;
  billingPeriodStartDate?: string; billingPeriodEndDate?: string;
  usages: SubscriptionOverviewUsage[];
  contractAmendmentDate?: string; contractEffectiveDate?: string; contractEndDate?: string;
  minimumMonthlyAmount?: DecimalString; inRampPeriod?: boolean; selfUri?: string;
}
export interface Trustor { id?: string; enabled: boolean; dateCreated?: string; organization?: NamedEntity }

export interface InvoiceLine {
  organizationId: string | null; organizationName: string | null;
  licenseType: string; partNumber: string | null; grouping: string | null; unitOfMeasure: string | null;
  kind: LineKind; quantity: DecimalString;
  /** null when the line is unpriced: it is then listed in `warnings` and not counted in its total. */
  rate: DecimalString | null; amount: DecimalString | null;
  currency: string; periodStart: string | null; periodEnd: string | null;
  bundleQuantity: DecimalString | null; isThirdParty: boolean | null;
  /** The users or devices behind a `usage` line. */
  resources?: BillingUsageResource[];
}
export interface InvoiceTotal {
  organizationId: string | null; organizationName: string | null; currency: string;
  amount: DecimalString;
  /** false when some line of this org and currency is unpriced. */
  complete: boolean;
}
export interface InvoiceWarning {
  /**
   * "unpriced": a line without a rate; "report_in_progress": the usage report was not complete yet;
   * "minimum_over_incomplete": a minimum-commitment top-up computed while some lines are unpriced;
   * "ramp_period": the overview says the org is in its ramp period, whose prices the API does not carry.
   */
  code: "unpriced" | "report_in_progress" | "minimum_over_incomplete" | "ramp_period";
  message: string; organizationId?: string; licenseType?: string;
}
/**
 * An invoice as plain data: what `Invoice#toJSON()` and the free functions
 * `invoiceFromOverview`/`invoiceFromUsage` return, and what `Invoice.from` and
 * the export functions accept back.
 */
export interface PlainInvoice { lines: InvoiceLine[]; totals: InvoiceTotal[]; warnings: InvoiceWarning[] }

export interface RateOverride { prepay?: DecimalString; onDemand?: DecimalString }
export interface OverviewInvoiceOptions {
  /** Keyed by partNumber (looked up first) or usage name. */
  priceBook?: Record<string, RateOverride>;
  /** Multiplies every rate by (1 + m/100); negative for a discount. */
  markupPercent?: DecimalString;
  rounding?: Rounding;
  applyMinimum?: boolean;
  /** Minor-unit exponent, for a currency ISO 4217 does not know (or to override it). */
  currencyExponent?: number;
}
export interface UsageInvoiceOptions {
  /** Usage name → unit rate. */
  priceBook: Record<string, DecimalString>;
  currency: string;
  organization?: NamedEntity;
  rounding?: Rounding;
  currencyExponent?: number;
}

/** A Genesys Cloud region; `region` options take its domain, id or client-app environment name. */
export interface Region {
  /** AWS-style name, e.g. "eu-west-1". */
  id: string;
  /** e.g. "mypurecloud.ie": the api., login. and apps. hosts hang off it. */
  domain: string;
  name: string;
  /** What a client app is given as `gcTargetEnv`, e.g. "prod-euw1". */
  clientAppEnvironment: string;
}

export interface RequestOptions { signal?: AbortSignal }
export interface BillableUsageOptions extends RequestOptions {
  /** Wait between polls while the report is InProgress (default 3000). */
  pollIntervalMs?: number;
  /** Give up polling after this long (default 300000) with a `timeout` error. */
  timeoutMs?: number;
}
export type BillingClientOptions = {
  accessToken: string;
  /** Requests per call, the first included (default 8). */
  maxAttempts?: number;
  /** Most time one call waits between retries (default 600000). */
  maxRetryWaitMs?: number;
  /** First backoff delay, doubled per retry (default 500). */
  retryBaseDelayMs?: number;
  /** A 429 asking to wait longer than this fails at once (default 180). */
  retryAfterCapSeconds?: number;
  /**
   * Requests are spaced to stay under this many a minute (default 300, Genesys Cloud's documented
   * limit per token; 0 turns pacing off). 429s that still come are waited out as before.
   */
  requestsPerMinute?: number;
} & ({ region: string; apiBaseUrl?: never } | { apiBaseUrl: string; region?: never });

/**
 * Client-credentials sign-in, for a server-side job (never a browser): the OAuth client's id and
 * secret, and the region's login service or an explicit `loginBaseUrl` (plain `http` only for
 * localhost).
 */
export type ClientCredentialsOptions = {
  clientId: string;
  clientSecret: string;
} & ({ region: string; loginBaseUrl?: never } | { loginBaseUrl: string; region?: never });
/** A token from `clientCredentialsToken`. */
export interface AccessToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
  tokenType: string;
}

export interface Progress { done: number; total: number }
export interface PartnerInvoicesOptions extends OverviewInvoiceOptions, RequestOptions {
  billingPeriodIndex?: number;
  /** Overviews fetched at once (default 4, at most 32). */
  concurrency?: number;
  onProgress?: (progress: Progress) => void;
}
export interface OrgFailure {
  organizationId: string; organizationName: string | null; code: GenesysBillingErrorCode; message: string; status?: number;
  /** In a comparison run, the billing period that failed. */
  billingPeriodIndex?: number;
}
export interface PartnerInvoices {
  /** Every billed org's lines, kept in wasm (`free()` it when done, or let the GC). */
  invoice: Invoice;
  /** Every enabled org that is not in the invoice is here, with the reason. */
  failures: OrgFailure[];
  /** Ids of trustors skipped because their trust is disabled. */
  skipped: string[];
}

/** The stable `code` of every error this package throws (and of every `OrgFailure`). */
export type GenesysBillingErrorCode =
  | "invalid_json" | "missing_field" | "wrong_type" | "invalid_decimal" | "negative_quantity"
  | "unknown_currency" | "overflow" | "invalid_option" | "invalid_date" | "invalid_invoice"
  | "unpriced_line" | "stripe_limit" | "target_limit" | "unknown_region" | "invalid_base_url"
  | "browser_secret" | "token_request_failed" | "token_expired" | "forbidden"
  | "not_found" | "rate_limited" | "http_error" | "retries_exhausted" | "network_error"
  | "timeout" | "aborted";

/**
 * Every error this package throws: an `Error` whose `name` is "GenesysBillingError".
 * A type only (there is no such class at run time): narrow with
 * `e instanceof Error && e.name === "GenesysBillingError"`.
 */
export interface GenesysBillingError extends Error {
  name: "GenesysBillingError";
  code: GenesysBillingErrorCode;
  status?: number;
  apiCode?: string;
  apiMessage?: string;
  contextId?: string;
  correlationId?: string;
  permission?: string;
  /** The position of the failed element in `Invoice.fromOverviews`' array. */
  index?: number;
  // Where the error is, as data (the message says the same in words); each error sets what it knows.
  /** The customer org: of a failed `trusteeBillingOverview` call, a `fromOverviews` element, a usage or an exported line. */
  organizationId?: string;
  /** 0-based position of the usage in the overview's or report's `usages`. */
  usageIndex?: number;
  usageName?: string;
  partNumber?: string;
  /** 0-based position of the line in the invoice's `lines` (an export's error). */
  lineIndex?: number;
  /** The field or option whose value is at fault (`usageQuantity`, `markupPercent`, …). */
  field?: string;
}

export interface CsvOptions {
  /** Write the header row first (default true). */
  includeHeader?: boolean;
}
export interface FocusOptions {
  /** The FOCUS version whose Cost and Usage columns are written (default "1.4", the current version). */
  focusVersion?: "1.2" | "1.3" | "1.4";
  /** Who issues the invoice: the partner reselling Genesys Cloud (default "Genesys Cloud partner"). */
  invoiceIssuerName?: string;
  /** Who provides, publishes and hosts the service (default "Genesys"). */
  providerName?: string;
  /** The InvoiceId of every row (empty when not given: not yet tied to an invoice). */
  invoiceId?: string;
  /** Write unpriced lines with empty cost cells instead of failing (the file is then not conformant FOCUS). */
  allowUnpriced?: boolean;
}
export interface StripeOptions {
  /** Genesys org id → Stripe customer id (cus_…); unmapped orgs get a "{{CUSTOMER:<orgId>}}" placeholder. */
  customers?: Record<string, string>;
  /** Leave unpriced lines out instead of failing with `unpriced_line`. */
  skipUnpriced?: boolean;
  /** Rounding where Stripe's minor unit is coarser than the invoice's (default "half-up"). */
  rounding?: Rounding;
  /** Stripe's exponent for a currency this package does not know. */
  currencyExponent?: number;
  /**
   * "amount" (default): `amount` is exactly the invoice line's amount, with quantity × rate in the
   * description and metadata. "quantity": `quantity_decimal` × `unit_amount_decimal`, multiplied by
   * Stripe; where that may not give the line's amount, `metadata.genesys_warning` says by how much.
   */
  mode?: "amount" | "quantity";
  /** The items' `tax_behavior` (default "exclusive": Genesys prices are pre-tax). */
  taxBehavior?: "exclusive" | "inclusive" | "unspecified";
}
/** Thresholds of a period comparison's alerts; decimals as strings. */
export interface CompareOptions {
  /** An on-demand line with at least this current amount is an `overage` alert (default: any amount above zero). */
  overageAmount?: DecimalString;
  /** …or one whose quantity rose by at least this much. */
  overageQuantityIncrease?: DecimalString;
  /** An org whose total rose by at least this percent is a `total_increase` alert (default "20"). */
  totalIncreasePercent?: DecimalString;
}
/**
 * One (organization, currency, part number — or license type where there is none —, kind) in
 * either period. A side that lacks the line has `null` quantity and amount; an unpriced side has
 * `null` amounts. Changes count a missing side as zero.
 */
export interface ComparisonRow {
  organizationId: string | null;
  organizationName: string | null;
  currency: string;
  licenseType: string;
  partNumber: string | null;
  kind: LineKind;
  previousQuantity: DecimalString | null;
  currentQuantity: DecimalString | null;
  quantityChange: DecimalString;
  previousAmount: DecimalString | null;
  currentAmount: DecimalString | null;
  amountChange: DecimalString | null;
  /** (current − previous) / previous × 100, half-up to 2 decimals; null without a previous amount above zero. */
  amountChangePercent: DecimalString | null;
  status: "new" | "gone" | "changed" | "same";
}
/** One organization's total in one currency, in both periods (currencies are never mixed). */
export interface ComparisonTotal {
  organizationId: string | null;
  organizationName: string | null;
  currency: string;
  previous: DecimalString | null;
  current: DecimalString | null;
  change: DecimalString;
  percent: DecimalString | null;
  /** False where either period's total leaves out unpriced lines. */
  complete: boolean;
}
export interface ComparisonAlert {
  code: "overage" | "total_increase" | "new_license" | "gone_license" | "ramp_period";
  organizationId: string | null;
  organizationName: string | null;
  currency: string;
  message: string;
  licenseType?: string;
  partNumber?: string;
}
/** What changed between two periods' invoices: `compareInvoices`, `invoice.compareWith`. */
/** Every org's totals in one currency, in both periods. */
export interface ComparisonCurrency {
  currency: string;
  /** null when no org had a total in this currency in the period. */
  previous: DecimalString | null;
  current: DecimalString | null;
  change: DecimalString;
  percent: DecimalString | null;
  complete: boolean;
}
export interface Comparison {
  rows: ComparisonRow[];
  totals: ComparisonTotal[];
  /** The totals summed per currency (never across currencies). */
  currencies: ComparisonCurrency[];
  alerts: ComparisonAlert[];
}
/** An invoice's org totals summed per currency (`invoice.currencyTotals`). */
export interface CurrencyTotal {
  currency: string;
  amount: DecimalString;
  /** Organizations with a total in this currency. */
  organizations: number;
  /** Of those, how many totals leave out unpriced lines. */
  incomplete: number;
}
export interface PartnerComparisonOptions extends OverviewInvoiceOptions, CompareOptions, RequestOptions {
  /** The earlier billing period (required; 1 = the period before the current one). */
  previousPeriodIndex: number;
  /** The later billing period (default 0, the current one). */
  currentPeriodIndex?: number;
  /** Orgs fetched at once (default 4, at most 32); each org's two overviews are fetched one after the other. */
  concurrency?: number;
  onProgress?: (progress: Progress) => void;
}
export interface PartnerComparison {
  comparison: Comparison;
  /** The two periods' invoices, kept in wasm (`free()` them when done). */
  previous: Invoice;
  current: Invoice;
  /** Orgs that failed in either period (`billingPeriodIndex` says which); they are in neither invoice. */
  failures: OrgFailure[];
  skipped: string[];
}
/** A calendar day, `YYYY-MM-DD` (e.g. "2026-11-01"). */
export type DateString = string;
/** What the Xero and QuickBooks Online imports share. */
export interface AccountingInvoiceOptions {
  /** The invoices' date (required). The demo proposes the day after the billing period. */
  invoiceDate: DateString;
  /** The due date; or give `paymentTermsDays`; neither: 30 days after `invoiceDate`. */
  dueDate?: DateString;
  /** Days from `invoiceDate` to the due date (default 30). */
  paymentTermsDays?: number;
  /** Replaces the default `GC-<yyyyMM>-` before each invoice's 3-digit sequence number. */
  invoiceNumberPrefix?: string;
  /**
   * How dates are written: as the target organisation reads them (the target may swap day and
   * month silently). Xero's default "DD/MM/YYYY" (AU, NZ, UK), QuickBooks Online's "MM/DD/YYYY".
   */
  dateFormat?: "DD/MM/YYYY" | "MM/DD/YYYY" | "YYYY-MM-DD";
  /** Leave unpriced lines out instead of failing with `unpriced_line`. */
  skipUnpriced?: boolean;
}
export interface XeroOptions extends AccountingInvoiceOptions {
  /** The revenue account code of every line (default "200", Sales in Xero's default chart). */
  accountCode?: string;
  /** The tax rate's display name in the Xero organisation (e.g. "Tax Exempt"); left out, the column is omitted. */
  taxType?: string;
}
export interface QuickBooksOptions extends AccountingInvoiceOptions {
  /** The Product/Service every line is booked to, as named in QuickBooks Online. */
  item?: string;
}
/**
 * An accounting import: the CSV and what to read before importing it (`single_unit_line` where a
 * line is written as 1 × its amount so the target's arithmetic gives ours; `import_limit`;
 * `customer_currency`).
 */
export interface AccountingExport {
  csv: string;
  warnings: AccountingWarning[];
}
/** What to read before importing an accounting file. */
export interface AccountingWarning {
  code: "single_unit_line" | "import_limit" | "customer_currency";
  message: string;
  /** The org of a line warning (`single_unit_line`). */
  organizationId?: string;
  licenseType?: string;
}
/** Unix seconds, both inclusive, as Stripe documents `period`. */
export interface StripePeriod { start: number; end: number }
/**
 * The parameters of one Stripe invoice item (POST /v1/invoiceitems), to be posted by a server-side
 * job. Either `amount` (mode "amount") or `quantity_decimal` with `unit_amount_decimal` (mode
 * "quantity"), never both: Stripe refuses the two together. With stripe-node 21 or later, turn the
 * decimal strings into `Stripe.Decimal` (the README shows the adapter).
 */
export interface StripeInvoiceItem {
  customer: string;
  /** Lower-case ISO code. */
  currency: string;
  /** Integer, in Stripe's minor units for the currency (mode "amount"). */
  amount?: number;
  /** Mode "quantity", at most 12 decimal places. */
  quantity_decimal?: DecimalString;
  /** Mode "quantity": the rate in minor units, at most 12 decimal places. */
  unit_amount_decimal?: DecimalString;
  description: string;
  period?: StripePeriod;
  tax_behavior: "exclusive" | "inclusive" | "unspecified";
  metadata: Record<string, string>;
}
