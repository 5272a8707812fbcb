// The built npm package, used the way a user would: `npm pack ./pkg`,
// installed into a scratch project, then imported from Node (ESM and
// CommonJS) with no init call, and driven against the mock server. Each test runs its script on
// every Node version in node-versions.mjs (20, 22, 24, 26; scripts/setup.sh installs them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMock } from "../mock/genesys-mock.mjs";
import { eachNode, runNode, testNodeMatrix } from "./node-versions.mjs";

const root = new URL("../..", import.meta.url).pathname;
let scratch, mock;

before(async () => {
  assert.ok(existsSync(join(root, "pkg/package.json")), "pkg/ is missing: run `make build` first");
  scratch = mkdtempSync(join(tmpdir(), "genesys-billing-consumer-"));
  const tarball = execFileSync("npm", ["pack", join(root, "pkg"), "--pack-destination", scratch, "--silent"], {
    encoding: "utf8",
  }).trim().split("\n").pop();
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, tarball)], {
    cwd: scratch,
    stdio: "pipe",
  });
  mock = await startMock({ port: 0 });
});

after(async () => {
  await mock?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * Runs a module with one Node version in the scratch project, so "genesys-billing" resolves
 * from its node_modules; returns its stdout and fails on a non-zero exit. Asynchronously: the
 * mock server lives in this process.
 */
async function run(node, file, source, env = {}) {
  const path = join(scratch, `node${node.major}-${file}`);
  writeFileSync(path, source);
  const r = await runNode(node, [path], { cwd: scratch, env });
  assert.equal(r.code, 0, `${node.version} ${file}: exit ${r.code ?? r.signal}\n${r.stderr}`);
  return r.stdout;
}

testNodeMatrix(test);

const OVERVIEW = {
  organization: { id: "org-1", name: "Acme Logistics" },
  currency: "KWD",
  enabledProducts: [],
  subscriptionType: "PREPAY",
  usages: [
    { name: "CX 3", partNumber: "PC-1", grouping: "g", unitOfMeasureType: "seat",
      usageQuantity: "7", prepayQuantity: "5", prepayPrice: "10.1235", overagePrice: "12.0005" },
  ],
};

eachNode(test, "ESM import works with no init call and prices exactly", async (node) => {
  const out = await run(node, "esm.mjs", `
    import { invoiceFromOverview, invoiceToCsv } from "genesys-billing";
    const inv = invoiceFromOverview(${JSON.stringify(JSON.stringify(OVERVIEW))});
    console.log(JSON.stringify({ amounts: inv.lines.map(l => l.amount), total: inv.totals[0].amount,
      csvLines: invoiceToCsv(inv).trim().split(/\\r?\\n/).length }));
  `);
  // 5 × 10.1235 = 50.6175 → 50.618 (KWD has 3 decimals, half-up);
  // 2 × 12.0005 = 24.0010 → 24.001; total 74.619.
  assert.deepEqual(JSON.parse(out), { amounts: ["50.618", "24.001"], total: "74.619", csvLines: 3 });
});

eachNode(test, "the Invoice class: same lines, CSV and JSON as the free functions, exports take it as is", async (node) => {
  const other = { ...OVERVIEW, organization: { id: "org-2", name: "Zeta" }, currency: "USD" };
  const out = await run(node, "invoice-class.mjs", `
    import { Invoice, invoiceFromOverview, invoiceToCsv, invoiceToFocus } from "genesys-billing";
    const text = ${JSON.stringify(JSON.stringify(OVERVIEW))};
    const inv = Invoice.fromOverview(text);
    const plain = invoiceFromOverview(text);
    const merged = Invoice.fromOverviews([text, ${JSON.stringify(other)}]);
    let bad;
    try { Invoice.fromOverviews([text, { ...${JSON.stringify(other)}, currency: "" }]); } catch (e) { bad = e; }
    const back = Invoice.from(JSON.stringify(inv));
    const csv = inv.toCsv();
    console.log(JSON.stringify({
      isInvoice: inv instanceof Invoice,
      sameJson: JSON.stringify(inv) === JSON.stringify(plain),
      sameCsv: csv === invoiceToCsv(plain) && csv === invoiceToCsv(inv),
      sameFocus: inv.toFocus() === invoiceToFocus(plain),
      cached: inv.lines === inv.lines,
      amounts: inv.lines.map(l => l.amount),
      mergedTotals: merged.totals.map(t => t.organizationId + ":" + t.amount),
      mergedCsvRows: merged.toCsv().trim().split(/\\r?\\n/).length,
      roundTrip: JSON.stringify(back) === JSON.stringify(inv),
      bad: bad && { name: bad.name, code: bad.code, index: bad.index, org: bad.organizationId },
    }));
    inv.free(); merged.free(); back.free();
    let freed;
    try { invoiceToCsv(inv); } catch (e) { freed = e.code; }
    console.log(JSON.stringify({ freed }));
  `);
  const [r, f] = out.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(r, {
    isInvoice: true, sameJson: true, sameCsv: true, sameFocus: true, cached: true,
    amounts: ["50.618", "24.001"],
    // USD: 5 × 10.1235 = 50.6175 → 50.62; 2 × 12.0005 = 24.001 → 24.00.
    mergedTotals: ["org-1:74.619", "org-2:74.62"],
    mergedCsvRows: 5,
    roundTrip: true,
    bad: { name: "GenesysBillingError", code: "unknown_currency", index: 1, org: "org-2" },
  });
  assert.deepEqual(f, { freed: "invalid_invoice" });
});

eachNode(test, "Xero and QuickBooks imports from the installed package: {csv, warnings}, refusals with a code", async (node) => {
  const out = await run(node, "accounting.mjs", `
    import { Invoice, invoiceToXeroCsv } from "genesys-billing";
    const kwd = Invoice.fromOverview(${JSON.stringify(JSON.stringify(OVERVIEW))});
    const usd = Invoice.fromOverview(${JSON.stringify(JSON.stringify({ ...OVERVIEW, currency: "USD" }))});
    const opts = { invoiceDate: "2026-11-01", dateFormat: "YYYY-MM-DD" };
    let refused;
    try { kwd.toXeroCsv(opts); } catch (e) { refused = { name: e.name, code: e.code }; }
    const xero = invoiceToXeroCsv(usd, opts);
    const qbo = usd.toQuickBooksCsv({ ...opts, item: "Genesys Cloud" });
    console.log(JSON.stringify({
      refused,
      xeroRows: xero.csv.trim().split("\\r\\n").map((r) => r.split(",").filter((c, i) => [12, 13, 16, 17, 18].includes(i))),
      xeroWarnings: xero.warnings.map((w) => w.code),
      qboAmounts: qbo.csv.trim().split("\\r\\n").slice(1).map((r) => r.split(",").slice(-4, -1)),
    }));
    kwd.free(); usd.free();
  `);
  assert.deepEqual(JSON.parse(out), {
    // 50.618 KWD has 3 decimals: Xero keeps 2.
    refused: { name: "GenesysBillingError", code: "target_limit" },
    xeroRows: [
      ["*InvoiceDate", "*DueDate", "*Description", "*Quantity", "*UnitAmount"],
      // 5 × 10.1235 = 50.6175 → 50.62 and 2 × 12.0005 = 24.001 → 24.00 USD: 4-decimal rates whose
      // products round to the invoice's amounts under either midpoint rule, so written as they are.
      ["2026-11-01", "2026-12-01", "CX 3 — prepay (PC-1)", "5", "10.1235"],
      ["2026-11-01", "2026-12-01", "CX 3 — on-demand (PC-1)", "2", "12.0005"],
    ],
    xeroWarnings: [],
    qboAmounts: [["5", "10.1235", "50.62"], ["2", "12.0005", "24.00"]],
  });
});

eachNode(test, "comparisons from the installed package: compareInvoices, compareWith, comparisonToCsv; partnerComparison against the mock", async (node) => {
  const more = { ...OVERVIEW, usages: [{ ...OVERVIEW.usages[0], usageQuantity: "9" }] };
  const out = await run(node, "compare.mjs", `
    import { BillingClient, Invoice, compareInvoices, comparisonToCsv } from "genesys-billing";
    const previous = Invoice.fromOverview(${JSON.stringify(JSON.stringify(OVERVIEW))});
    const current = Invoice.fromOverview(${JSON.stringify(JSON.stringify(more))});
    const c = current.compareWith(previous);
    const same = JSON.stringify(compareInvoices(previous.toJSON(), current)) === JSON.stringify(c);
    const client = new BillingClient({ accessToken: process.env.TOKEN, apiBaseUrl: process.env.MOCK_URL, requestsPerMinute: 0 });
    const run = await client.partnerComparison({ previousPeriodIndex: 1, concurrency: 4 });
    console.log(JSON.stringify({
      same,
      rows: c.rows.map((r) => [r.kind, r.previousQuantity, r.currentQuantity, r.previousAmount, r.currentAmount, r.amountChange, r.amountChangePercent, r.status]),
      total: [c.totals[0].previous, c.totals[0].current, c.totals[0].change, c.totals[0].percent],
      alerts: c.alerts.map((a) => a.code),
      csvRows: comparisonToCsv(c).trim().split("\\r\\n").length,
      partner: { rows: run.comparison.rows.length > 0, failures: run.failures.map((f) => [f.code, f.billingPeriodIndex]).sort(),
        both: run.previous instanceof Invoice && run.current instanceof Invoice },
    }));
    previous.free(); current.free(); run.previous.free(); run.current.free(); client.free();
  `, { TOKEN: mock.staticToken, MOCK_URL: mock.url });
  assert.deepEqual(JSON.parse(out), {
    same: true,
    // KWD: used 7 → 9 of 5 prepaid; on demand 2 × 12.0005 = 24.001 → 4 × 12.0005 = 48.002:
    // +24.001, +100.00 %; prepay 5 × 10.1235 = 50.618 unchanged.
    rows: [
      ["prepay", "5", "5", "50.618", "50.618", "0.000", "0.00", "same"],
      ["on-demand", "2", "4", "24.001", "48.002", "24.001", "100.00", "changed"],
    ],
    // 74.619 → 98.620: +24.001 = 32.16… % → 32.16.
    total: ["74.619", "98.620", "24.001", "32.16"],
    alerts: ["overage", "total_increase"],
    csvRows: 3,
    // The default mock fails 3 orgs in every period: each is reported with the period that failed first.
    partner: { rows: true, failures: [["forbidden", 1], ["http_error", 1], ["invalid_json", 1]], both: true },
  });
}, { concurrency: true });

eachNode(test, "CommonJS require works too", async (node) => {
  const out = await run(node, "cjs.cjs", `
    const { invoiceFromOverview } = require("genesys-billing");
    const inv = invoiceFromOverview(${JSON.stringify(OVERVIEW)}, { rounding: "half-even" });
    console.log(inv.totals[0].amount);
  `);
  // 50.6175 → 50.618 (7 is odd: half-even rounds up too); 24.0010 → 24.001.
  assert.equal(out.trim(), "74.619");
});

eachNode(test, "errors are Error objects with a code, and the module keeps working", async (node) => {
  const out = await run(node, "err.mjs", `
    import { invoiceFromOverview } from "genesys-billing";
    const bad = ${JSON.stringify(OVERVIEW)};
    bad.usages[0].usageQuantity = "12,5";
    let caught;
    try { invoiceFromOverview(bad); } catch (e) { caught = e; }
    const good = invoiceFromOverview(${JSON.stringify(OVERVIEW)});
    console.log(JSON.stringify({ isError: caught instanceof Error, code: caught.code,
      names: caught.message.includes("usageQuantity"), after: good.totals[0].amount }));
  `);
  assert.deepEqual(JSON.parse(out), { isError: true, code: "invalid_decimal", names: true, after: "74.619" });
});

eachNode(test, "BillingClient fetches a partner run from the mock in Node", async (node) => {
  const out = await run(node, "client.mjs", `
    import { BillingClient } from "genesys-billing";
    const client = new BillingClient({ accessToken: process.env.TOKEN, apiBaseUrl: process.env.MOCK_URL });
    const progress = [];
    const run = await client.partnerInvoices({ concurrency: 4, onProgress: p => progress.push(p.done + "/" + p.total) });
    const { Invoice, invoiceToCsv } = await import("genesys-billing");
    console.log(JSON.stringify({ totals: run.invoice.totals.length, failures: run.failures.map(f => f.code).sort(),
      last: progress.at(-1), skipped: run.skipped.length, isInvoice: run.invoice instanceof Invoice,
      csvSame: run.invoice.toCsv() === invoiceToCsv(JSON.parse(JSON.stringify(run.invoice))),
      lines: run.invoice.lines.length > 0 }));
    run.invoice.free();
  `, { TOKEN: mock.staticToken, MOCK_URL: mock.url });
  const r = JSON.parse(out);
  const enabled = mock.dataset.orgs.filter((o) => o.enabled).length;
  assert.equal(r.totals + r.failures.length, enabled, "every enabled org is invoiced or failed");
  assert.equal(r.failures.length, 3, "the default mock fails 3 orgs");
  assert.equal(r.last, `${enabled}/${enabled}`);
  assert.equal(r.skipped, mock.dataset.orgs.length - enabled);
  assert.deepEqual([r.isInvoice, r.csvSame, r.lines], [true, true, true], "the run's invoice is an Invoice");
}, { concurrency: true }); // the client paces its requests (mostly waiting): the versions run side by side

eachNode(test, "an API error reaches JS with its code, status, API details and the org", async (node) => {
  const forbidden = [...mock.defaultScenario.forbiddenOrgs][0];
  const out = await run(node, "apierr.mjs", `
    import { BillingClient } from "genesys-billing";
    const client = new BillingClient({ accessToken: process.env.TOKEN, apiBaseUrl: process.env.MOCK_URL });
    try { await client.trusteeBillingOverview(process.env.ORG); console.log("no error"); }
    catch (e) {
      console.log(JSON.stringify({ isError: e instanceof Error, name: e.name, code: e.code, status: e.status,
        apiCode: e.apiCode, org: e.organizationId, permission: e.permission,
        hasContext: typeof e.contextId === "string", hasCorrelation: typeof e.correlationId === "string",
        leaksToken: e.message.includes(process.env.TOKEN) }));
    }
  `, { TOKEN: mock.staticToken, MOCK_URL: mock.url, ORG: forbidden });
  assert.deepEqual(JSON.parse(out), {
    isError: true, name: "GenesysBillingError", code: "forbidden", status: 403,
    apiCode: "missing.any.permissions", org: forbidden,
    permission: "affiliateOrganization:clientBilling:view",
    hasContext: true, hasCorrelation: true, leaksToken: false,
  });
});
