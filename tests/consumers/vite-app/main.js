import init, { Invoice } from "genesys-billing";
import overview from "./overview.json"; // a saved GET /api/v2/billing/trusteebillingoverview/{id}

await init(); // loads genesys_billing_bg.wasm: Vite emits it as an asset, no plugin or config needed
const invoice = Invoice.fromOverview(overview, { markupPercent: "12.5" });
const { amount, currency } = invoice.totals[0];
document.querySelector("#total").textContent = `${amount} ${currency}`;
