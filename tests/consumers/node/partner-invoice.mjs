// GENESYS_TOKEN=… node partner-invoice.mjs > invoice.csv   (a partner token: client credentials or a user's)
import { BillingClient } from "genesys-billing";

const client = new BillingClient({
  accessToken: process.env.GENESYS_TOKEN,
  apiBaseUrl: process.env.GENESYS_API_URL ?? "https://api.mypurecloud.ie",
});
const { invoice, failures } = await client.partnerInvoices({ billingPeriodIndex: 0, markupPercent: "12.5" });
process.stdout.write(invoice.toCsv()); // the invoice stays in wasm: no JSON round trip
for (const f of failures) console.error(`not invoiced: ${f.organizationName ?? f.organizationId}: ${f.code}: ${f.message}`);
process.exitCode = failures.length > 0 ? 1 : 0;
