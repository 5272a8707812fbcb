// A TypeScript ES module for Node (module "node16"): `import "genesys-billing"` gets the Node build's
// types (node/index.d.mts), where init() is a no-op kept for isomorphic code. Never run, only checked.
import init, { BillingClient, Invoice, invoiceFromOverview, invoiceToCsv, type PlainInvoice } from "genesys-billing";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): T | void {}
check<Equal<Awaited<ReturnType<typeof init>>, void>>();
check<Equal<ReturnType<typeof invoiceFromOverview>, PlainInvoice>>();
check<Equal<ReturnType<typeof Invoice.fromOverview>, Invoice>>();

await init();
const text = '{"organization":{},"currency":"EUR","enabledProducts":[],"subscriptionType":"PREPAY","usages":[]}';
const invoice = invoiceFromOverview(text);
export const csv: string = invoiceToCsv(invoice) + Invoice.fromOverview(text).toCsv();
export const client = new BillingClient({ accessToken: "token", region: "mypurecloud.ie" });
// @ts-expect-error TS2554: nothing to load in Node, so init() takes no module or path
await init({ module_or_path: "genesys_billing_bg.wasm" });
