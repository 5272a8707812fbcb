// A TypeScript CommonJS module for Node (module "node16"): `require("genesys-billing")` gets the
// CommonJS build's types (node/genesys_billing.d.ts), with no init at all. Never run, only checked.
import billing = require("genesys-billing");

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): T | void {}
check<Equal<ReturnType<typeof billing.invoiceFromOverview>, billing.PlainInvoice>>();
check<Equal<ReturnType<typeof billing.Invoice.fromOverview>, billing.Invoice>>();
check<Equal<ReturnType<typeof billing.regions>, billing.Region[]>>();

const invoice: billing.PlainInvoice = billing.invoiceFromOverview('{"organization":{},"currency":"EUR","enabledProducts":[],"subscriptionType":"PREPAY","usages":[]}', { rounding: "half-even" });
export const csv: string = billing.invoiceToCsv(invoice) + billing.Invoice.from(invoice).toCsv();
export const client = new billing.BillingClient({ accessToken: "token", apiBaseUrl: "http://127.0.0.1:18787" });
// @ts-expect-error TS2339: the CommonJS build has no init: the module is ready when require() returns
billing.default();
// @ts-expect-error TS2322: a markup is a decimal string
billing.invoiceFromOverview("{}", { markupPercent: 5 });
