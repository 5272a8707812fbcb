// node xero-export.mjs overview.json > xero.csv   (an overview as GET trusteebillingoverview returned it)
import { readFileSync } from "node:fs";
import { Invoice } from "genesys-billing";

const invoice = Invoice.fromOverview(readFileSync(process.argv[2], "utf8"));
const { csv, warnings } = invoice.toXeroCsv({
  invoiceDate: "2026-11-01",    // required, YYYY-MM-DD
  paymentTermsDays: 14,         // or dueDate: "2026-11-15"; default 30 days
  dateFormat: "DD/MM/YYYY",     // as your Xero organisation reads dates (US: "MM/DD/YYYY")
  accountCode: "200",           // default: Sales in Xero's default chart
  taxType: "Tax Exempt",        // the tax rate's name in your Xero; left out, the account's default
  skipUnpriced: true,           // else an unpriced line is an `unpriced_line` error
});
for (const w of warnings) console.warn(w.code, w.message);
process.stdout.write(csv);
invoice.free();
