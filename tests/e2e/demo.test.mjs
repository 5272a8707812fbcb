// End-to-end tests of the demo page (www/) in headless Chromium against the mock Genesys Cloud.
//
//   node --test tests/e2e/
//
// Needs: the built package copied to www/pkg/ (make build && cp -r pkg/. www/pkg/, or make demo),
// /usr/bin/chromium (Debian package) and tests/node_modules (playwright-core).
// Expected values are computed here by hand from the mock's dataset (tests/mock/dataset.mjs) with
// exact BigInt decimals, never by calling the package under test.
// Screenshots of the main views go to tests/e2e/screenshots/ (gitignored).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemo } from "../../scripts/demo.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const screenshotDir = path.join(here, "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// DEMO_ROOT serves another copy of the page (default: www/).
const wwwRoot = path.resolve(process.env.DEMO_ROOT || path.join(repoRoot, "www"));
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CONTRACT_EXPORTS = [
  "default",
  "regions",
  "BillingClient",
  "Invoice",
  "invoiceFromUsage",
  "invoiceFromOverview",
  "invoiceToCsv",
  "invoiceToFocus",
  "invoiceToStripeItems",
];

// ---------------------------------------------------------------------------------------------
// Exact decimals (BigInt), for the expected values

function dec(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const frac = m[3] ?? "";
  const v = BigInt(m[2] + frac);
  return { v: m[1] ? -v : v, scale: frac.length };
}
const ZERO = dec("0");
const pow10 = (n) => 10n ** BigInt(n);
function align(a, scale) {
  return a.v * pow10(scale - a.scale);
}
function add(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { v: align(a, scale) + align(b, scale), scale };
}
function sub(a, b) {
  return add(a, { v: -b.v, scale: b.scale });
}
function mul(a, b) {
  return { v: a.v * b.v, scale: a.scale + b.scale };
}
function cmp(a, b) {
  const d = sub(a, b).v;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}
/** Round to `dp` places; half-up = midpoint away from zero. */
function round(a, dp, mode = "half-up") {
  if (a.scale <= dp) return a;
  const f = pow10(a.scale - dp);
  let q = a.v / f; // truncates toward zero
  const r = a.v % f;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > f || (twice === f && (mode === "half-up" || q % 2n !== 0n))) q += a.v < 0n ? -1n : 1n;
  return { v: q, scale: dp };
}
/** Canonical text of a value (no trailing zeros), so "37.50" and "37.5" compare equal. */
function canon(a) {
  let { v, scale } = typeof a === "string" ? dec(a) : a;
  while (scale > 0 && v % 10n === 0n) {
    v /= 10n;
    scale -= 1;
  }
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString().padStart(scale + 1, "0");
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg && v !== 0n ? `-${digits}` : digits;
}
const EXPONENT = { USD: 2, EUR: 2, GBP: 2, JPY: 0, KWD: 3 };

// ---------------------------------------------------------------------------------------------
// Expected invoices, by hand from the dataset

/** My organization: one line per usage; quantity × price-book rate, rounded to the cent. */
function expectedUsageInvoice(report, book, currency, company) {
  const lines = report.usages.map((u) => {
    const rate = book[u.name] === undefined ? null : dec(book[u.name]);
    const quantity = dec(u.totalUsage);
    const amount = rate ? round(mul(quantity, rate), EXPONENT[currency]) : null;
    return { company, license: u.name, quantity, rate, amount };
  });
  const total = lines.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
  return { lines, totals: [{ company, currency, amount: total, complete: lines.every((l) => l.rate) }] };
}

/** Partner: prepay and on-demand lines with the markup on the rate, plus the minimum top-up. */
function expectedPartnerInvoice(dataset, failingIds, { periodIndex = 0, markupPercent = null } = {}) {
  const factor = markupPercent === null ? null : (() => {
    const f = add(dec("100"), dec(markupPercent));
    return { v: f.v, scale: f.scale + 2 }; // ÷ 100
  })();
  const lines = [];
  const totals = [];
  for (const org of dataset.orgs) {
    if (!org.enabled || failingIds.has(org.id)) continue;
    const o = org.overview(periodIndex);
    const exp = EXPONENT[o.currency];
    assert.notEqual(exp, undefined, `test table lacks the exponent of ${o.currency}`);
    const own = [];
    for (const u of o.usages) {
      const usage = dec(u.usageQuantity);
      const prepay = dec(u.prepayQuantity);
      const onDemand = cmp(usage, prepay) > 0 ? sub(usage, prepay) : ZERO;
      for (const [kind, quantity, price] of [
        ["prepay", prepay, u.prepayPrice],
        ["on-demand", onDemand, u.overagePrice],
      ]) {
        if (cmp(quantity, ZERO) <= 0) continue;
        let rate = price === undefined ? null : dec(price);
        if (rate && factor) rate = mul(rate, factor);
        const amount = rate ? round(mul(quantity, rate), exp) : null;
        own.push({ company: o.organization.name, license: u.name, kind, quantity, rate, amount, currency: o.currency });
      }
    }
    const priced = own.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
    if (o.minimumMonthlyAmount !== undefined) {
      const min = dec(o.minimumMonthlyAmount);
      if (cmp(min, ZERO) > 0 && cmp(priced, min) < 0) {
        const topUp = round(sub(min, priced), exp);
        if (cmp(topUp, ZERO) > 0) {
          own.push({ company: o.organization.name, license: "Minimum monthly commitment", kind: "minimum-commitment", quantity: dec("1"), rate: topUp, amount: topUp, currency: o.currency });
        }
      }
    }
    const total = own.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
    totals.push({ company: o.organization.name, currency: o.currency, amount: total, complete: own.every((l) => l.rate) });
    lines.push(...own);
  }
  return { lines, totals };
}

function lineKey(l) {
  return [l.company, l.license, canon(l.quantity), l.rate ? canon(l.rate) : "-", l.amount ? canon(l.amount) : "-"].join(" | ");
}

/** Minimal RFC 4180 parser for the downloaded CSV. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

let demo;
let browser;
let packageProblem = null;

function requirePackage() {
  if (packageProblem) assert.fail(packageProblem);
}

before(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  const wwwPkg = path.join(wwwRoot, "pkg/genesys_billing.js");
  const wwwWasm = path.join(wwwRoot, "pkg/genesys_billing_bg.wasm");
  if (!existsSync(wwwPkg) || !existsSync(wwwWasm)) {
    packageProblem =
      "The package is not built into www/pkg/ (genesys_billing.js and genesys_billing_bg.wasm are missing). " +
      "Run `make build && cp -r pkg/. www/pkg/` (or `make demo`), then run these tests again.";
  } else {
    const built = path.join(repoRoot, "pkg/genesys_billing_bg.wasm");
    if (existsSync(built) && statSync(built).mtimeMs > statSync(wwwWasm).mtimeMs + 1000) {
      console.warn("warning: pkg/ is newer than www/pkg/; run `cp -r pkg/. www/pkg/` to test the latest build");
    }
  }
  demo = await startDemo({ port: 0, mockPort: 0, writeConfig: false, root: wwwRoot });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/**
 * A fresh browser context (its own sessionStorage) and page, collecting console errors.
 * `allowConsole(message)` may excuse expected messages.
 */
async function openPage(t, { width = 1280, height = 900, allowConsole = () => false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error" && msg.type() !== "warning") return;
    if (msg.type() === "warning" && !/Content Security Policy|CSP/i.test(msg.text())) return;
    if (allowConsole(msg)) return;
    // The mock's own login page has no icon, so Chromium asks the mock for /favicon.ico.
    if (msg.location().url === `${demo.mockUrl}/favicon.ico`) return;
    consoleErrors.push(`${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`pageerror: ${err.message}`));
  t.after(() => context.close());
  return { context, page, consoleErrors };
}

async function gotoDemo(page, search = "") {
  await page.goto(demo.demoUrl + search);
  await page.waitForSelector("html[data-ready]");
  const ready = await page.getAttribute("html", "data-ready");
  if (ready !== "true") {
    assert.fail(`the page did not start: ${await page.textContent("#error-text")}`);
  }
}

/** Sign in through the mock login page. Returns the authorize URL the page built. */
async function signIn(page, { flow = "pkce" } = {}) {
  await gotoDemo(page);
  if (flow === "implicit") await page.check("#flow-implicit");
  await Promise.all([page.waitForURL((u) => u.pathname === "/oauth/authorize"), page.click("#sign-in")]);
  const authorizeUrl = new URL(page.url());
  await page.click("#mock-sign-in");
  await page.locator("#session").waitFor({ state: "visible" });
  await page.waitForSelector("html[data-ready]");
  return authorizeUrl;
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Rows of the lines table as {company, license, quantity, rate, amount} strings. */
function readLines(page) {
  return page.$$eval("#lines-table tbody tr", (rows) =>
    rows.map((tr) => {
      const cell = (col) => tr.querySelector(`[data-col="${col}"]`);
      return {
        company: cell("company").textContent,
        license: cell("license").textContent,
        quantity: cell("quantity").textContent,
        rate: cell("rate").dataset.value,
        amount: cell("amount").dataset.value,
      };
    }),
  );
}

function readTotals(page) {
  return page.$$eval("#totals-table tbody tr", (rows) =>
    rows.map((tr) => {
      const cell = (col) => tr.querySelector(`[data-col="${col}"]`);
      return {
        company: cell("company").textContent,
        currency: cell("currency").textContent,
        amount: cell("amount").dataset.value,
        complete: cell("status").dataset.complete === "true",
      };
    }),
  );
}

function lineKeyFromJson(l) {
  assert.ok(typeof l.quantity === "string" && (l.rate === null || typeof l.rate === "string") && (l.amount === null || typeof l.amount === "string"), "decimals are strings");
  return pageLineKey({ company: l.organizationName, license: l.licenseType, quantity: l.quantity, rate: l.rate ?? "", amount: l.amount ?? "" });
}

function pageLineKey(l) {
  return [l.company, l.license, canon(l.quantity), l.rate ? canon(l.rate) : "-", l.amount ? canon(l.amount) : "-"].join(" | ");
}

// ---------------------------------------------------------------------------------------------
// Tests

test("the package in www/pkg exports what the page uses", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  await gotoDemo(page);
  const exported = await page.evaluate(async () => Object.keys(await import("./pkg/genesys_billing.js")));
  for (const name of CONTRACT_EXPORTS) assert.ok(exported.includes(name), `www/pkg/genesys_billing.js does not export ${name}`);
  const regionCount = await page.$$eval("#region option", (options) => options.filter((o) => o.value !== "local").length);
  assert.equal(regionCount, 18, "every region from regions() is offered");
  assert.deepEqual(consoleErrors, []);
});

test("PKCE sign-in through the mock login page, then log out", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  const tokenRequests = [];
  page.on("request", (req) => {
    if (req.method() === "POST" && req.url() === `${demo.mockUrl}/oauth/token`) tokenRequests.push(req.postData());
  });

  await gotoDemo(page);
  assert.equal(await page.inputValue("#region"), "local", "Local demo is the default region");
  assert.equal(await page.inputValue("#client-id"), "local-demo-client", "the client id comes from local-config.json");
  assert.ok(await page.isChecked("#flow-pkce"), "PKCE is the default flow");
  assert.equal(await page.textContent("#redirect-uri"), demo.demoUrl);
  await screenshot(page, "01-sign-in");

  const authorize = await signIn(page);
  assert.equal(authorize.origin, demo.mockUrl);
  const q = authorize.searchParams;
  assert.equal(q.get("response_type"), "code");
  assert.equal(q.get("client_id"), "local-demo-client");
  assert.equal(q.get("redirect_uri"), demo.demoUrl);
  assert.equal(q.get("code_challenge_method"), "S256");
  assert.match(q.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(q.get("state")?.length >= 32, "a random state is sent");

  // The code was exchanged once, with a 128-character verifier matching the challenge.
  assert.equal(tokenRequests.length, 1);
  const form = new URLSearchParams(tokenRequests[0]);
  assert.equal(form.get("grant_type"), "authorization_code");
  assert.equal(form.get("client_id"), "local-demo-client");
  assert.equal(form.get("redirect_uri"), demo.demoUrl);
  const verifier = form.get("code_verifier");
  assert.match(verifier, /^[A-Za-z0-9\-._~]{128}$/);
  assert.equal(createHash("sha256").update(verifier).digest("base64url"), q.get("code_challenge"));

  // Signed in: URL cleaned, expiry shown, nothing left in storage but the session.
  assert.equal(page.url(), demo.demoUrl, "code and state are removed from the address bar");
  assert.match(await page.textContent("#session-region"), /Local demo/);
  assert.match(await page.textContent("#session-expiry"), /Token expires at .+\(in 24 h\)/);
  assert.ok(await page.isVisible("#workspace"));
  const storage = await page.evaluate(() => ({
    local: localStorage.length,
    pending: sessionStorage.getItem("genesysBilling.pendingLogin"),
    session: JSON.parse(sessionStorage.getItem("genesysBilling.session") ?? "null"),
  }));
  assert.equal(storage.local, 0, "nothing in localStorage");
  assert.equal(storage.pending, null, "the PKCE verifier is gone after the exchange");
  assert.ok(storage.session?.accessToken, "the token is in sessionStorage");
  assert.equal(JSON.stringify(storage.session).includes(verifier), false);
  await screenshot(page, "02-signed-in");

  // A reload keeps the session (same tab); log-out forgets the token.
  await page.reload();
  await page.locator("#session").waitFor({ state: "visible" });
  await page.click("#logout");
  assert.ok(await page.isVisible("#login"));
  assert.equal(await page.isVisible("#session"), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("genesysBilling.session")), null);
  assert.deepEqual(consoleErrors, []);
});

test("implicit-grant sign-in, by keyboard", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  await gotoDemo(page);
  // The first Tab reaches the skip link, with a visible focus outline.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    return { id: a.className, outline: getComputedStyle(a).outlineStyle, width: getComputedStyle(a).outlineWidth };
  });
  assert.equal(focused.id, "skip-link");
  assert.equal(focused.outline, "solid");
  assert.notEqual(focused.width, "0px");
  // Choose the implicit grant with the arrow keys and submit with Enter.
  await page.focus("#flow-pkce");
  await page.keyboard.press("ArrowDown");
  assert.ok(await page.isChecked("#flow-implicit"));
  await page.focus("#client-id");
  await Promise.all([page.waitForURL((u) => u.pathname === "/oauth/authorize"), page.keyboard.press("Enter")]);
  const authorize = new URL(page.url());
  await page.focus("#mock-sign-in");
  await page.keyboard.press("Enter");
  await page.locator("#session").waitFor({ state: "visible" });
  assert.equal(authorize.searchParams.get("response_type"), "token");
  assert.equal(authorize.searchParams.get("code_challenge"), null);
  assert.ok(authorize.searchParams.get("state"));
  assert.equal(page.url(), demo.demoUrl, "the token is removed from the fragment");
  assert.match(await page.textContent("#session-flow"), /implicit/);
  assert.match(await page.textContent("#session-expiry"), /Token expires at/);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.deepEqual(consoleErrors, []);
});

test("a sign-in answer whose state does not match is rejected", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  let tokenRequests = 0;
  page.on("request", (req) => {
    if (req.url().endsWith("/oauth/token")) tokenRequests += 1;
  });

  // Implicit: a token with a forged state in the fragment.
  await gotoDemo(page);
  await page.check("#flow-implicit");
  await Promise.all([page.waitForURL((u) => u.pathname === "/oauth/authorize"), page.click("#sign-in")]);
  await page.goto(`${demo.demoUrl}#access_token=stolen-token&expires_in=86400&token_type=bearer&state=forged`);
  await page.waitForSelector("html[data-ready]");
  assert.ok(await page.isVisible("#error"));
  assert.match(await page.textContent("#error-text"), /state .*does not match/);
  assert.ok(await page.isVisible("#login"), "still signed out");
  assert.equal(await page.isVisible("#session"), false);
  assert.equal(page.url(), demo.demoUrl, "the forged token is removed from the address bar");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("genesysBilling.session")), null);
  await screenshot(page, "03-state-mismatch");

  // PKCE: a code with a forged state is never exchanged.
  await gotoDemo(page);
  await page.check("#flow-pkce");
  await Promise.all([page.waitForURL((u) => u.pathname === "/oauth/authorize"), page.click("#sign-in")]);
  await page.goto(`${demo.demoUrl}?code=attacker-code&state=forged`);
  await page.waitForSelector("html[data-ready]");
  assert.match(await page.textContent("#error-text"), /state .*does not match/);
  assert.equal(tokenRequests, 0, "no token exchange for a mismatched state");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("genesysBilling.session")), null);

  // An answer with no sign-in started from this tab is rejected too.
  await page.goto("about:blank");
  await page.goto(`${demo.demoUrl}#access_token=x&expires_in=60&state=whatever`);
  await page.waitForSelector("html[data-ready]");
  assert.match(await page.textContent("#error-text"), /state .*does not match/);
  assert.equal(await page.isVisible("#session"), false);
  assert.deepEqual(consoleErrors, []);
});

test("a replayed PKCE callback is rejected and its code never exchanged again", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  let callback = null;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame() && frame.url().includes("code=")) callback ??= frame.url();
  });
  let tokenRequests = 0;
  page.on("request", (req) => {
    if (req.url().endsWith("/oauth/token")) tokenRequests += 1;
  });
  await signIn(page);
  assert.ok(callback, "the mock redirected back with a code");
  assert.equal(tokenRequests, 1);
  await page.click("#logout");

  // The same callback again, signed out: its state was used up.
  await page.goto(callback);
  await page.waitForSelector("html[data-ready]");
  assert.match(await page.textContent("#error-text"), /state .*does not match/);
  assert.equal(await page.isVisible("#session"), false);

  // And while a new sign-in is pending: the old code is for another state.
  await gotoDemo(page);
  await Promise.all([page.waitForURL((u) => u.pathname === "/oauth/authorize"), page.click("#sign-in")]);
  await page.goto(callback);
  await page.waitForSelector("html[data-ready]");
  assert.match(await page.textContent("#error-text"), /state .*does not match/);
  assert.equal(tokenRequests, 1, "the replayed code was never sent to the token endpoint");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("genesysBilling.session")), null);
  assert.deepEqual(consoleErrors, []);
});

test("My organization: billable usage priced with an uploaded JSON price book; CSV download", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  const usageRequests = [];
  page.on("request", (req) => {
    if (req.url().includes("/api/v2/billing/reports/billableusage")) usageRequests.push(new URL(req.url()));
  });
  await signIn(page);

  const start = "2026-10-01T00:00:00.000Z";
  const end = "2026-10-31T23:59:59.999Z";
  const report = demo.mock.dataset.usageReport(start, end);
  assert.ok(report.usages.length >= 3, "the mock report has enough licenses for this test");
  // Rates chosen to exercise rounding; one license with usage is left unpriced.
  const rates = ["12.50", "0.333", "7.125", "99.99", "1.005", "42", "0.015", "3.3333"];
  const unpriced = report.usages.find((u, i) => i > 0 && u.totalUsage !== "0").name;
  const book = {};
  report.usages.forEach((u, i) => {
    if (u.name !== unpriced) book[u.name] = rates[i % rates.length];
  });
  // Rates as bare JSON numbers: the page must keep "12.50" exactly, not 12.5 as a float.
  const jsonText = `{\n${Object.entries(book).map(([name, rate]) => `  ${JSON.stringify(name)}: ${rate}`).join(",\n")}\n}`;
  const company = demo.mock.dataset.partnerOrg.name;
  const expected = expectedUsageInvoice(report, book, "USD", company);

  await page.check("#mode-usage");
  await page.fill("#start-date", "2026-10-01");
  await page.fill("#end-date", "2026-10-31");
  await page.fill("#currency", "USD");
  await page.fill("#company", company);
  await page.setInputFiles("#price-book-file", { name: "prices.json", mimeType: "application/json", buffer: Buffer.from(jsonText) });
  await page.waitForFunction(() => document.getElementById("price-book").value.includes("{"));
  await page.click("#run-usage");
  await page.locator("#results").waitFor({ state: "visible" });

  assert.equal(usageRequests.length, 1);
  assert.equal(usageRequests[0].searchParams.get("startDate"), start);
  assert.equal(usageRequests[0].searchParams.get("endDate"), end);

  const lines = await readLines(page);
  assert.deepEqual(lines.map(pageLineKey), expected.lines.map(lineKey));
  const totals = await readTotals(page);
  assert.deepEqual(
    totals.map((x) => ({ ...x, amount: canon(x.amount) })),
    expected.totals.map((x) => ({ ...x, amount: canon(x.amount) })),
  );
  assert.equal(totals[0].complete, false, "an unpriced line makes the total incomplete");
  // The unpriced license is warned about in plain sight.
  assert.ok(await page.isVisible("#warnings"));
  assert.match(await page.textContent("#warnings-list"), new RegExp(unpriced.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.match(await page.textContent("#results-title"), /2026-10/);
  // The chart has one bar per line, labelled with the exact amounts.
  const chartText = await page.textContent("#chart svg");
  for (const l of expected.lines) if (l.amount) assert.ok(chartText.includes(lines.find((x) => x.license === l.license).amount));

  // "More columns" shows the extra columns.
  assert.equal(await page.isVisible("#lines-table th.more"), false);
  await page.click("#more-columns");
  assert.ok(await page.isVisible("#lines-table th.more"));
  assert.equal(await page.getAttribute("#more-columns", "aria-pressed"), "true");
  await screenshot(page, "04-my-organization");

  // CSV download: the period in the file name, the same lines as the table.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#dl-csv")]);
  assert.equal(download.suggestedFilename(), "invoice-2026-10.csv");
  const csv = parseCsv(readFileSync(await download.path(), "utf8"));
  const header = csv[0];
  const col = (name) => {
    const i = header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
    assert.ok(i >= 0, `the CSV has a ${name} column: ${header.join(",")}`);
    return i;
  };
  const [cCompany, cLicense, cQuantity, cRate, cAmount] = ["Company", "License Type", "Quantity", "Rate", "Amount"].map(col);
  const csvRows = csv.slice(1).filter((r) => r.length > 1);
  assert.deepEqual(
    csvRows.map((r) => pageLineKey({ company: r[cCompany], license: r[cLicense], quantity: r[cQuantity], rate: r[cRate], amount: r[cAmount] })),
    expected.lines.map(lineKey),
  );

  // FOCUS and Stripe refuse unpriced lines until the user opts in, and the page says why.
  assert.ok(await page.isVisible("#unpriced-export"));
  assert.match(await page.textContent("#unpriced-note"), /1 line has no rate/);
  await page.click("#dl-focus");
  assert.match(await page.textContent("#error-text"), /Could not create the FOCUS file: .*no rate/);
  await page.click("#error-dismiss");
  await page.check("#export-unpriced");

  // The other downloads are offered with the period in their names.
  for (const [button, name] of [["#dl-focus", "invoice-2026-10-focus.csv"], ["#dl-json", "invoice-2026-10.json"], ["#dl-stripe", "invoice-2026-10-stripe-items.json"]]) {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    assert.equal(d.suggestedFilename(), name);
    const text = readFileSync(await d.path(), "utf8");
    assert.ok(text.length > 10, `${name} is not empty`);
    if (name.endsWith(".json")) JSON.parse(text);
  }
  // FOCUS in the version chosen: 1.2 still has ProviderName, 1.4 does not.
  await page.selectOption("#focus-version", "1.2");
  const focus12 = readFileSync(await (await Promise.all([page.waitForEvent("download"), page.click("#dl-focus")]))[0].path(), "utf8");
  assert.ok(parseCsv(focus12)[0].includes("ProviderName"), "FOCUS 1.2 columns");
  await page.selectOption("#focus-version", "1.4");

  // Xero and QuickBooks: the invoice date proposed is the day after the period; every invoice,
  // recomputed as those packages do (quantity × unit price, rounded to the cent either way at a
  // midpoint), comes to the page's total for the priced lines.
  assert.equal(await page.inputValue("#invoice-date"), "2026-11-01");
  const pricedTotal = expected.lines.filter((l) => l.amount).reduce((sum, l) => add(sum, l.amount), ZERO);
  for (const [button, name, date, cols] of [
    ["#dl-xero", "invoice-2026-10-xero.csv", "01/11/2026", ["*InvoiceDate", "*Quantity", "*UnitAmount", "*ContactName"]],
    ["#dl-quickbooks", "invoice-2026-10-quickbooks.csv", "11/01/2026", ["Invoice date", "Item Quantity", "Item Rate", "Customer"]],
  ]) {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
    assert.equal(d.suggestedFilename(), name);
    const rows = parseCsv(readFileSync(await d.path(), "utf8")).filter((r) => r.length > 1);
    const [cDate, cQuantity, cUnit, cCustomer] = cols.map((c) => rows[0].indexOf(c));
    assert.ok([cDate, cQuantity, cUnit, cCustomer].every((i) => i >= 0), rows[0].join(","));
    const body = rows.slice(1);
    assert.equal(body.length, expected.lines.filter((l) => l.amount).length, `${name}: one row per priced line`);
    assert.ok(body.every((r) => r[cDate] === date && r[cCustomer] === company), name);
    const total = body.reduce((sum, r) => {
      const product = mul(dec(r[cQuantity]), dec(r[cUnit]));
      assert.equal(cmp(round(product, 2, "half-up"), round(product, 2, "half-even")), 0, `${name}: no midpoint in ${r.join(",")}`);
      return add(sum, round(product, 2));
    }, ZERO);
    assert.equal(canon(total), canon(pricedTotal), name);
    if (button === "#dl-xero") {
      // A line whose product is a midpoint at the cent, or whose rate has more than 4 decimals,
      // is written as 1 × amount; the page lists each one.
      const single = expected.lines.filter((l) => {
        if (!l.amount) return false;
        const product = mul(l.quantity, l.rate);
        const decimals = (x) => dec(canon(x)).scale;
        return decimals(l.rate) > 4 || decimals(l.quantity) > 4
          || cmp(round(product, 2, "half-up"), round(product, 2, "half-even")) !== 0 || cmp(round(product, 2), l.amount) !== 0;
      }).length;
      assert.equal(await page.isVisible("#export-notes"), single > 0);
      assert.equal(await page.$$eval("#export-notes-list li[data-code=single_unit_line]", (li) => li.length), single);
    }
  }
  await page.fill("#invoice-date", "");
  await page.click("#dl-xero");
  assert.match(await page.textContent("#error-text"), /Could not create the Xero file: .*invoice date/);
  await page.click("#error-dismiss");

  const json = JSON.parse(readFileSync(await (await Promise.all([page.waitForEvent("download"), page.click("#dl-json")]))[0].path(), "utf8"));
  assert.deepEqual(json.lines.map(lineKeyFromJson), expected.lines.map(lineKey), "the JSON has the exact decimal strings");
  const stripe = JSON.parse(readFileSync(await (await Promise.all([page.waitForEvent("download"), page.click("#dl-stripe")]))[0].path(), "utf8"));
  assert.equal(stripe.length, expected.lines.filter((l) => l.rate).length, "Stripe items leave the unpriced line out");

  // Narrow client-app frame (400px): still readable.
  await page.setViewportSize({ width: 400, height: 900 });
  await screenshot(page, "05-my-organization-400px");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal page scroll at 400px (overflow ${overflow}px)`);
  assert.deepEqual(consoleErrors, []);
});

test("Partner: 20 customer orgs, 3 failing, with progress, failures and exact totals", async (t) => {
  requirePackage();
  const scenario = demo.mock.defaultScenario;
  const failing = new Map();
  for (const id of scenario.forbiddenOrgs ?? []) failing.set(id, "forbidden");
  for (const [id, status] of Object.entries(scenario.failOrgs ?? {})) failing.set(id, status === 404 ? "not_found" : "http_error");
  for (const id of scenario.truncatedOrgs ?? []) failing.set(id, "invalid_json");
  assert.equal(failing.size, 3, "the demo mock has 3 failing orgs");
  // Chromium logs each failed fetch ("Failed to load resource ... 403/500") to the console: those are expected.
  const failingUrls = [...failing.keys()].map((id) => `/api/v2/billing/trusteebillingoverview/${id}`);
  const { page, consoleErrors } = await openPage(t, {
    allowConsole: (msg) => /Failed to load resource/.test(msg.text()) && failingUrls.some((u) => msg.location().url.includes(u)),
  });
  await signIn(page);

  const dataset = demo.mock.dataset;
  const enabled = dataset.orgs.filter((o) => o.enabled);
  assert.equal(dataset.orgs.length, 20);
  const expected = expectedPartnerInvoice(dataset, new Set(failing.keys()), { periodIndex: 0, markupPercent: "10" });

  // The mode switch is a pair of radio buttons: arrow keys move between them.
  await page.focus("#mode-usage");
  await page.keyboard.press("ArrowRight");
  assert.ok(await page.isVisible("#partner-form"));
  assert.equal(await page.isVisible("#usage-form"), false);
  await page.selectOption("#period-index", "0");
  await page.fill("#markup", "10");
  await page.fill("#concurrency", "3");
  // Record every progress text the page shows.
  await page.evaluate(() => {
    window.__progress = [];
    const target = document.getElementById("progress-text");
    new MutationObserver(() => window.__progress.push(target.textContent)).observe(target, { childList: true, characterData: true, subtree: true });
  });
  await page.click("#run-partner");
  await page.locator("#results").waitFor({ state: "visible", timeout: 60000 });

  // Progress went up to every enabled org.
  const progress = await page.evaluate(() => window.__progress);
  const done = progress.filter((text) => /customers done$/.test(text)).map((text) => Number(/^(\d+) of (\d+) customers done$/.exec(text)?.[1] ?? NaN));
  assert.ok(done.length >= 3, `several progress updates were shown: ${progress.join(" / ")}`);
  assert.ok(done.every((n, i) => Number.isInteger(n) && (i === 0 || n >= done[i - 1])), progress.join(" / "));
  assert.equal(progress.at(-1), `${enabled.length} of ${enabled.length} customers done`);
  assert.equal(await page.getAttribute("#progress-bar", "max"), String(enabled.length));
  assert.equal(await page.evaluate(() => document.getElementById("progress-bar").value), enabled.length);

  // The failures, with their reasons.
  assert.ok(await page.isVisible("#failures"));
  const failures = await page.$$eval("#failures-list li", (items) => items.map((li) => li.textContent));
  assert.equal(failures.length, 3);
  for (const [id, code] of failing) {
    const org = dataset.orgs.find((o) => o.id === id);
    const item = failures.find((f) => f.includes(id));
    assert.ok(item, `failure of ${org.name} listed`);
    assert.ok(item.includes(org.name), item);
    assert.ok(item.includes(`code ${code}`), `${item} names code ${code}`);
  }
  assert.match(await page.textContent("#results-summary"), /2 skipped because their trust is disabled/);

  // Totals and lines equal the hand computation.
  const totals = await readTotals(page);
  const byCompany = (list) => Object.fromEntries(list.map((x) => [x.company, `${x.currency} ${canon(x.amount)} ${x.complete ? "complete" : "incomplete"}`]));
  assert.equal(totals.length, enabled.length - 3);
  assert.deepEqual(byCompany(totals), byCompany(expected.totals));
  const lines = await readLines(page);
  assert.deepEqual(lines.map(pageLineKey).sort(), expected.lines.map(lineKey).sort());
  // Unpriced lines (the mock has some) are warned about, and so is a
  // minimum top-up computed over an org whose lines are not all priced.
  const unpricedCount = expected.lines.filter((l) => !l.rate).length;
  assert.ok(unpricedCount > 0);
  const unpricedCompanies = new Set(expected.lines.filter((l) => !l.rate).map((l) => l.company));
  const flaggedTopUps = expected.lines.filter((l) => l.kind === "minimum-commitment" && unpricedCompanies.has(l.company)).length;
  // An org the overview says is in its ramp period gets a warning too (ramp prices are not in the API).
  const rampOrgs = enabled.filter((o) => !failing.has(o.id) && o.overview(0).inRampPeriod).length;
  assert.equal(await page.$$eval("#warnings-list li", (li) => li.length), unpricedCount + flaggedTopUps + rampOrgs);
  await screenshot(page, "06-partner");

  // Chart by license type for one company.
  await page.selectOption("#chart-by", "license");
  assert.ok(await page.isVisible("#chart-org"));
  await page.locator("#chart").screenshot({ path: path.join(screenshotDir, "07-partner-chart-by-license.png") });

  // The CSV file is named after the period of the lines (billing period index 0 = 2026-10 in the mock).
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#dl-csv")]);
  assert.equal(download.suggestedFilename(), "invoice-2026-10.csv");
  const csvRows = parseCsv(readFileSync(await download.path(), "utf8")).slice(1).filter((r) => r.length > 1);
  assert.equal(csvRows.length, expected.lines.length);
  // The partner JSON: the invoice the page holds as an `Invoice` (in wasm), plus the failures.
  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.click("#dl-json")]);
  const partnerJson = JSON.parse(readFileSync(await jsonDownload.path(), "utf8"));
  assert.deepEqual(Object.keys(partnerJson), ["lines", "totals", "warnings", "failures", "skipped"]);
  assert.deepEqual(partnerJson.lines.map(lineKeyFromJson), expected.lines.map(lineKey));
  assert.equal(partnerJson.failures.length, failing.size);
  assert.deepEqual(consoleErrors, []);
});

test("client-app query parameters choose the region", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t, { width: 400, height: 800 });
  const selectedDomain = () => page.$eval("#region", (s) => s.selectedOptions[0].textContent);

  await gotoDemo(page, "?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcTargetEnv=prod-euw1");
  assert.match(await selectedDomain(), /mypurecloud\.ie/);
  assert.ok(await page.isVisible("#client-app-note"));
  assert.match(await page.textContent("#client-app-note"), /client app.*mypurecloud\.ie.*gcHostOrigin/);
  assert.equal(await page.inputValue("#client-id"), "", "the local demo client id is not offered for a real region");
  await screenshot(page, "08-client-app-400px");

  // Signing in goes to login.mypurecloud.ie with the page's own URL as redirect URI.
  let authorize = null;
  await page.route("https://login.mypurecloud.ie/**", (route) => {
    authorize = new URL(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>login</title>" });
  });
  await page.fill("#client-id", "real-client-id");
  await page.click("#sign-in");
  await page.waitForURL((u) => u.hostname === "login.mypurecloud.ie");
  assert.equal(authorize.pathname, "/oauth/authorize");
  assert.equal(authorize.searchParams.get("client_id"), "real-client-id");
  assert.equal(authorize.searchParams.get("redirect_uri"), demo.demoUrl);
  assert.equal(authorize.searchParams.get("response_type"), "code");

  // gcTargetEnv alone, and the legacy pcEnvironment.
  await gotoDemo(page, "?gcTargetEnv=prod-apne1");
  assert.match(await selectedDomain(), /mypurecloud\.jp/);
  assert.match(await page.textContent("#client-app-note"), /gcTargetEnv prod-apne1/);
  await gotoDemo(page, "?pcEnvironment=mypurecloud.de");
  assert.match(await selectedDomain(), /mypurecloud\.de/);
  // An unknown host is not trusted.
  await gotoDemo(page, "?gcHostOrigin=https%3A%2F%2Fapps.evil.example&gcTargetEnv=nowhere");
  assert.match(await page.textContent("#client-app-note"), /not known/);
  assert.doesNotMatch(await selectedDomain(), /evil/);
  assert.deepEqual(consoleErrors, []);
});

test("the Content-Security-Policy blocks injected inline scripts and styles", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t, {
    allowConsole: (msg) => /Content Security Policy/.test(msg.text()),
  });
  await gotoDemo(page);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  const domains = await page.$$eval("#region option", (options) =>
    options.map((o) => /\(([^)]+)\)$/.exec(o.textContent)?.[1]).filter((d) => d && d.includes(".")),
  );
  assert.equal(domains.length, 18);
  for (const d of domains) {
    assert.ok(csp.includes(`https://api.${d} `), `connect-src allows https://api.${d}`);
    assert.ok(csp.includes(`https://login.${d} `), `connect-src allows https://login.${d}`);
  }
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(csp, /style-src 'self';/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /base-uri 'none'/);

  const result = await page.evaluate(async (mockUrl) => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
    const script = document.createElement("script");
    script.textContent = "window.__injected = true;";
    document.body.append(script);
    const div = document.createElement("div");
    div.setAttribute("style", "color: rgb(255, 0, 0)");
    document.body.append(div);
    // A script from another origin (the mock) is not 'self' either.
    const external = document.createElement("script");
    external.src = `${mockUrl}/api/v2/organizations/me`;
    const externalLoaded = new Promise((resolve) => {
      external.onload = () => resolve(true);
      external.onerror = () => resolve(false);
    });
    document.body.append(external);
    const loaded = await externalLoaded;
    await new Promise((r) => setTimeout(r, 100));
    return { injected: window.__injected === true, color: getComputedStyle(div).color, loaded, violations };
  }, demo.mockUrl);
  assert.equal(result.injected, false, "the inline script did not run");
  assert.notEqual(result.color, "rgb(255, 0, 0)", "the inline style was not applied");
  assert.equal(result.loaded, false, "a script from another origin was not loaded");
  assert.ok(result.violations.some((d) => d.startsWith("script-src")), result.violations.join(","));
  assert.deepEqual(consoleErrors, []);
});
