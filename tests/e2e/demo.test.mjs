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
        own.push({ orgId: org.id, company: o.organization.name, license: u.name, partNumber: u.partNumber ?? null, kind, quantity, rate, amount, currency: o.currency });
      }
    }
    const priced = own.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
    if (o.minimumMonthlyAmount !== undefined) {
      const min = dec(o.minimumMonthlyAmount);
      if (cmp(min, ZERO) > 0 && cmp(priced, min) < 0) {
        const topUp = round(sub(min, priced), exp);
        if (cmp(topUp, ZERO) > 0) {
          own.push({ orgId: org.id, company: o.organization.name, license: "Minimum monthly commitment", partNumber: null, kind: "minimum-commitment", quantity: dec("1"), rate: topUp, amount: topUp, currency: o.currency });
        }
      }
    }
    const total = own.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
    totals.push({ orgId: org.id, company: o.organization.name, currency: o.currency, amount: total, complete: own.every((l) => l.rate) });
    lines.push(...own);
  }
  return { lines, totals };
}

/** (a − b) / b × 100, rounded half-up (away from zero) to 2 decimals, exactly. */
function percentChange(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const n = (align(a, scale) - align(b, scale)) * 100n * 100n; // the percent in hundredths, times b
  const d = align(b, scale);
  const abs = (x) => (x < 0n ? -x : x);
  const q = (2n * abs(n) + abs(d)) / (2n * abs(d));
  return { v: (n < 0n) !== (d < 0n) ? -q : q, scale: 2 };
}

/**
 * The comparison of two expected invoices, by the rules of issue 14: one row per (org, currency,
 * part number or license type, kind); a missing side counts as zero in the changes; an unpriced side
 * leaves the amount change unknown; the percent only over a previous amount other than zero.
 * Alerts: overage (every on-demand line with quantity and an amount above zero or unknown), a license
 * in one period only (new_license / gone_license, once per org, currency and license), an org total
 * up by at least `totalIncreasePercent` (total_increase), and the orgs in their ramp period.
 */
function expectedComparison(previous, current, { totalIncreasePercent = "20", rampOrgIds = [] } = {}) {
  const rows = new Map();
  for (const [side, invoice] of [["cur", current], ["prev", previous]]) {
    for (const l of invoice.lines) {
      const key = [l.orgId, l.currency, l.partNumber || l.license, l.kind].join("|");
      if (!rows.has(key)) rows.set(key, { key, orgId: l.orgId, company: l.company, currency: l.currency, license: l.license, partNumber: l.partNumber, kind: l.kind, prev: null, cur: null });
      const row = rows.get(key);
      const was = row[side];
      row[side] = was
        ? { q: add(was.q, l.quantity), a: was.a && l.amount ? add(was.a, l.amount) : null }
        : { q: l.quantity, a: l.amount };
    }
  }
  for (const r of rows.values()) {
    r.quantityChange = sub(r.cur?.q ?? ZERO, r.prev?.q ?? ZERO);
    const amountOf = (side) => (side ? side.a : ZERO);
    r.amountChange = amountOf(r.cur) && amountOf(r.prev) ? sub(amountOf(r.cur), amountOf(r.prev)) : null;
    r.percent = r.prev?.a && cmp(r.prev.a, ZERO) !== 0 && amountOf(r.cur) ? percentChange(amountOf(r.cur), r.prev.a) : null;
    r.status = !r.prev ? "new" : !r.cur ? "gone"
      : cmp(r.prev.q, r.cur.q) === 0 && (r.prev.a === null ? r.cur.a === null : r.cur.a !== null && cmp(r.prev.a, r.cur.a) === 0) ? "same" : "changed";
  }
  const totals = new Map();
  for (const [side, invoice] of [["cur", current], ["prev", previous]]) {
    for (const t of invoice.totals) {
      const key = `${t.orgId}|${t.currency}`;
      if (!totals.has(key)) totals.set(key, { orgId: t.orgId, company: t.company, currency: t.currency, prev: null, cur: null, complete: true });
      const total = totals.get(key);
      total[side] = total[side] ? add(total[side], t.amount) : t.amount;
      total.complete &&= t.complete;
    }
  }
  for (const t of totals.values()) {
    t.change = sub(t.cur ?? ZERO, t.prev ?? ZERO);
    t.percent = t.prev && cmp(t.prev, ZERO) !== 0 ? percentChange(t.cur ?? ZERO, t.prev) : null;
  }
  const alerts = [];
  const licenses = new Map();
  for (const r of rows.values()) {
    if (r.kind === "on-demand" && r.cur && cmp(r.cur.q, ZERO) > 0 && (r.cur.a === null || cmp(r.cur.a, ZERO) > 0)) {
      alerts.push({ code: "overage", orgId: r.orgId });
    }
    const key = [r.orgId, r.currency, r.partNumber || r.license].join("|");
    const seen = licenses.get(key) ?? { orgId: r.orgId, before: false, now: false };
    seen.before ||= Boolean(r.prev);
    seen.now ||= Boolean(r.cur);
    licenses.set(key, seen);
  }
  for (const l of licenses.values()) if (l.before !== l.now) alerts.push({ code: l.now ? "new_license" : "gone_license", orgId: l.orgId });
  for (const t of totals.values()) {
    if (t.percent && cmp(t.percent, ZERO) > 0 && cmp(t.percent, dec(totalIncreasePercent)) >= 0) alerts.push({ code: "total_increase", orgId: t.orgId });
  }
  for (const orgId of rampOrgIds) alerts.push({ code: "ramp_period", orgId });
  return { rows: [...rows.values()], totals: [...totals.values()], alerts };
}

/** Count per code and, within each, per organization: {code: {count, orgs: {orgId: n}}}. */
function countByCodeAndOrg(items) {
  const out = {};
  for (const { code, orgId } of items) {
    out[code] ??= { count: 0, orgs: {} };
    out[code].count += 1;
    out[code].orgs[orgId] = (out[code].orgs[orgId] ?? 0) + 1;
  }
  return out;
}

/** A plain decimal as en-US or de-DE write it: digits grouped by three, the locale's separators. */
const EN_US = { group: ",", decimal: "." };
const DE_DE = { group: ".", decimal: "," };
function localized(plain, { group, decimal }, { signed = false } = {}) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(plain);
  assert.ok(m, `a plain decimal: ${plain}`);
  let out = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, group) + (m[3] === undefined ? "" : decimal + m[3]);
  const zero = !/[1-9]/.test(m[2] + (m[3] ?? ""));
  if (m[1] && !zero) out = `-${out}`;
  else if (signed && !zero) out = `+${out}`;
  return out;
}

/** The default scenario's failing orgs: id → the error code the page shows. */
function failingOrgs() {
  const scenario = demo.mock.defaultScenario;
  const failing = new Map();
  for (const id of scenario.forbiddenOrgs ?? []) failing.set(id, "forbidden");
  for (const [id, status] of Object.entries(scenario.failOrgs ?? {})) failing.set(id, status === 404 ? "not_found" : "http_error");
  for (const id of scenario.truncatedOrgs ?? []) failing.set(id, "invalid_json");
  return failing;
}

/** Chromium logs each failed fetch ("Failed to load resource ... 403/500"): expected for the failing orgs. */
function failedFetchOf(failing) {
  const urls = [...failing.keys()].map((id) => `/api/v2/billing/trusteebillingoverview/${id}`);
  return (msg) => /Failed to load resource/.test(msg.text()) && urls.some((u) => msg.location().url.includes(u));
}

/** The grouped list under `selector`: per code its count, organizations, title and per-org counts. */
function readGroups(page, selector) {
  return page.$$eval(`${selector} > li.group`, (groups) =>
    groups.map((g) => ({
      code: g.dataset.code,
      count: Number(g.dataset.count),
      orgCount: Number(g.dataset.orgs),
      title: g.querySelector(".group-title").textContent,
      orgs: Object.fromEntries([...g.querySelectorAll("li.group-org")].map((li) => [li.dataset.org, Number(li.dataset.count)])),
      messages: [...g.querySelectorAll("li[data-code]")].map((li) => li.textContent),
    })),
  );
}

/** Rows of the changes table, in the order shown. */
function readChanges(page) {
  return page.$$eval("#changes-table tbody tr", (rows) =>
    rows.map((tr) => {
      const cell = (col) => tr.querySelector(`[data-col="${col}"]`);
      return {
        orgId: cell("company").dataset.org,
        company: cell("company").textContent,
        currency: tr.dataset.currency,
        license: cell("license").textContent,
        partNumber: cell("license").dataset.part,
        kind: cell("kind").dataset.value,
        previousQuantity: cell("previous-quantity").dataset.value,
        currentQuantity: cell("current-quantity").dataset.value,
        previousAmount: cell("previous-amount").dataset.value,
        currentAmount: cell("current-amount").dataset.value,
        amountChange: cell("amount-change").dataset.value,
        amountChangeText: cell("amount-change").textContent,
        percent: cell("percent").dataset.value,
        status: cell("status").dataset.value,
        statusText: cell("status").textContent,
      };
    }),
  );
}

/** One comparison row as text, for comparing sets: key, then the exact values ("-" for none). */
function changeKey(r, { quantityChange = false } = {}) {
  const v = (x) => (x === null || x === undefined || x === "" ? "-" : canon(x));
  return [r.orgId, r.currency, r.partNumber || r.license, r.kind, v(r.previousQuantity), v(r.currentQuantity),
    ...(quantityChange ? [v(r.quantityChange)] : []), v(r.previousAmount), v(r.currentAmount), v(r.amountChange), v(r.percent), r.status].join(" | ");
}

function expectedChangeKey(r, options) {
  return changeKey({
    ...r,
    previousQuantity: r.prev?.q, currentQuantity: r.cur?.q, quantityChange: r.quantityChange,
    previousAmount: r.prev?.a, currentAmount: r.cur?.a,
  }, options);
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
async function openPage(t, { width = 1280, height = 900, allowConsole = () => false, locale = "en-US" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale });
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
        quantity: cell("quantity").dataset.value,
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
  // The chart has one bar per line, labelled with the exact amounts (en-US digit grouping).
  const chartText = await page.textContent("#chart svg");
  for (const l of expected.lines) {
    if (l.amount) assert.ok(chartText.includes(`${localized(lines.find((x) => x.license === l.license).amount, EN_US)} USD`), `chart label of ${l.license}`);
  }

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

test("a rate or markup the package would refuse is refused in the form, naming the entry", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t);
  let usageRequests = 0;
  page.on("request", (req) => {
    if (req.url().includes("/api/v2/billing/")) usageRequests += 1;
  });
  await signIn(page);
  await page.check("#mode-usage");
  const refused = async (text, pattern) => {
    await page.fill("#price-book", text);
    await page.click("#run-usage");
    assert.ok(await page.isVisible("#error"), `refused: ${text}`);
    assert.match(await page.textContent("#error-text"), pattern);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "price-book", "the price book has the focus");
    await page.click("#error-dismiss");
  };
  // The package reads the price book (parseUsagePriceBook) by its decimal rule: "+5", ".5", "5." and "1e3" are not decimals.
  await refused("license,rate\nGenesys Cloud CX 1,10.00\nGenesys Cloud CX 3,+5", /^Price book: invalid decimal in `priceBook\["Genesys Cloud CX 3"\]` of line 3 of the price book: "\+5" is not a plain decimal number .*Write digits/);
  await refused('{"Genesys Cloud CX 1": ".5"}', /^Price book: invalid decimal in `priceBook\["Genesys Cloud CX 1"\]` of the price book: "\.5"/);
  await refused('{"Genesys Cloud CX 1": 1e3}', /`priceBook\["Genesys Cloud CX 1"\]` of the price book: "1e3" is not a plain decimal number/);
  // A first line with a number in its rate is a price, not a header row.
  await refused("Genesys Cloud CX 2;5.", /^Price book: invalid decimal in `priceBook\["Genesys Cloud CX 2"\]` of line 1 of the price book: "5\."/);
  // Uploaded files are checked the same way before they replace what was typed.
  await page.fill("#price-book", "Genesys Cloud CX 1,12.50");
  await page.setInputFiles("#price-book-file", { name: "prices.csv", mimeType: "text/csv", buffer: Buffer.from("license,rate\nWEM,.75\n") });
  await page.locator("#error").waitFor({ state: "visible" });
  assert.match(await page.textContent("#error-text"), /^Could not use prices\.csv: Price book: invalid decimal in `priceBook\["WEM"\]` of line 2 of the price book: "\.75"/);
  assert.equal(await page.inputValue("#price-book"), "Genesys Cloud CX 1,12.50", "the typed price book is kept");
  await page.click("#error-dismiss");

  // Partner mode: the markup and the alert threshold by the same rule.
  await page.check("#mode-partner");
  await page.fill("#markup", "+10");
  await page.click("#run-partner");
  assert.match(await page.textContent("#error-text"), /The markup must be a decimal percentage such as 10 or -5\./);
  await page.click("#error-dismiss");
  await page.fill("#markup", "10");
  await page.selectOption("#compare-with", "1");
  await page.fill("#total-increase", ".5 %");
  await page.click("#run-partner");
  assert.match(await page.textContent("#error-text"), /The alert threshold must be a positive percentage such as 20\./);
  assert.equal(usageRequests, 0, "nothing was fetched for a refused form");
  assert.deepEqual(consoleErrors, []);
});

test("without the package's script the page says how to build it", async (t) => {
  requirePackage();
  const { page, consoleErrors } = await openPage(t, {
    allowConsole: (msg) => /Failed to load resource.*404/.test(msg.text()) && msg.location().url.endsWith("/pkg/genesys_billing.js"),
  });
  await page.route("**/pkg/genesys_billing.js", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "not found" }));
  await page.goto(demo.demoUrl);
  await page.waitForSelector("html[data-ready]");
  assert.equal(await page.getAttribute("html", "data-ready"), "error");
  assert.ok(await page.isVisible("#error"));
  assert.match(await page.textContent("#error-text"), /genesys-billing package \(pkg\/genesys_billing\.js\) could not be loaded.*make demo/);
  assert.deepEqual(consoleErrors, []);
});

test("Partner: 20 customer orgs, 3 failing, with progress, failures and exact totals", async (t) => {
  requirePackage();
  const failing = failingOrgs();
  assert.equal(failing.size, 3, "the demo mock has 3 failing orgs");
  const { page, consoleErrors } = await openPage(t, { allowConsole: failedFetchOf(failing) });
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
  // The mock's month looks like a real partner's: most customers are fully priced, a few are not.
  const complete = expected.totals.filter((x) => x.complete).length;
  assert.ok(complete > expected.totals.length / 2 && complete < expected.totals.length, `${complete} of ${expected.totals.length} complete`);
  // Warnings are grouped by kind, then by organization with counts: unpriced lines, a minimum
  // top-up computed over an org whose lines are not all priced, and the orgs in their ramp period.
  const unpriced = expected.lines.filter((l) => !l.rate);
  assert.ok(unpriced.length > 0);
  const unpricedOrgs = new Set(unpriced.map((l) => l.orgId));
  const topUps = expected.lines.filter((l) => l.kind === "minimum-commitment" && unpricedOrgs.has(l.orgId));
  const ramps = enabled.filter((o) => !failing.has(o.id) && o.overview(0).inRampPeriod);
  const expectedWarnings = countByCodeAndOrg([
    ...unpriced.map((l) => ({ code: "unpriced", orgId: l.orgId })),
    ...topUps.map((l) => ({ code: "minimum_over_incomplete", orgId: l.orgId })),
    ...ramps.map((o) => ({ code: "ramp_period", orgId: o.id })),
  ]);
  const groups = await readGroups(page, "#warnings-list");
  assert.deepEqual(Object.fromEntries(groups.map((g) => [g.code, { count: g.count, orgs: g.orgs }])), expectedWarnings);
  const unpricedGroup = groups.find((g) => g.code === "unpriced");
  assert.equal(unpricedGroup.title, `Unpriced lines: ${unpriced.length} in ${unpricedOrgs.size} organizations`);
  assert.equal(await page.textContent("#warnings-title"), `Warnings (${unpriced.length + topUps.length + ramps.length})`);
  // An org with one warning shows it; one with several is named with its count and opens (keyboard)
  // on its messages, which name the licenses.
  assert.equal(unpricedGroup.messages.length, unpriced.length, "every message is there");
  const [firstOrg, firstCount] = Object.entries(unpricedGroup.orgs).find(([, n]) => n > 1);
  const orgEntry = page.locator(`#warnings-list li.group[data-code="unpriced"] li.group-org[data-org="${firstOrg}"]`);
  const orgName = dataset.orgs.find((o) => o.id === firstOrg).name;
  assert.equal(await orgEntry.locator("summary").textContent(), `${orgName}: ${firstCount} ${firstCount === 1 ? "line" : "lines"}`);
  assert.equal(await orgEntry.locator("details li").first().isVisible(), false, "closed until opened");
  await orgEntry.locator("summary").focus();
  await page.keyboard.press("Enter");
  assert.ok(await orgEntry.locator("details li").first().isVisible());
  const messages = await orgEntry.locator("details li").allTextContents();
  assert.equal(messages.length, firstCount);
  for (const l of unpriced.filter((x) => x.orgId === firstOrg)) assert.ok(messages.some((m) => m.includes(l.license)), `${l.license} is named`);
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

test("Partner compared with the previous period: alerts, changes table, chart and comparison CSV, exact", async (t) => {
  requirePackage();
  const failing = failingOrgs();
  const { page, consoleErrors } = await openPage(t, { allowConsole: failedFetchOf(failing) });
  await signIn(page);
  const dataset = demo.mock.dataset;
  const billed = dataset.orgs.filter((o) => o.enabled && !failing.has(o.id));
  // By hand: both periods' invoices from the dataset, then their comparison (threshold 10 %).
  const excluded = new Set(failing.keys());
  const previous = expectedPartnerInvoice(dataset, excluded, { periodIndex: 1 });
  const currentInvoice = expectedPartnerInvoice(dataset, excluded, { periodIndex: 0 });
  const rampOrgIds = billed.filter((o) => o.overview(0).inRampPeriod).map((o) => o.id);
  const expected = expectedComparison(previous, currentInvoice, { totalIncreasePercent: "10", rampOrgIds });
  // The mock's month has something to show in every kind of row and alert.
  const statuses = new Set(expected.rows.map((r) => r.status));
  assert.deepEqual([...statuses].sort(), ["changed", "gone", "new", "same"], "every row status occurs");
  const expectedAlerts = countByCodeAndOrg(expected.alerts);
  for (const code of ["overage", "new_license", "gone_license", "total_increase"]) assert.ok(expectedAlerts[code], `the dataset gives a ${code} alert`);

  await page.check("#mode-partner");
  await page.selectOption("#period-index", "0");
  assert.equal(await page.inputValue("#compare-with"), "", "no comparison by default");
  assert.equal(await page.isVisible("#total-increase-field"), false);
  // A "previous" period that is not earlier is refused before any request.
  await page.selectOption("#period-index", "2");
  await page.selectOption("#compare-with", "1");
  await page.click("#run-partner");
  assert.match(await page.textContent("#error-text"), /Compare with a period before the billing period/);
  await page.click("#error-dismiss");
  await page.selectOption("#period-index", "0");
  assert.ok(await page.isVisible("#total-increase-field"), "the alert threshold is offered with a comparison");
  await page.fill("#total-increase", "10");
  const overviewRequests = [];
  page.on("request", (req) => {
    if (req.url().includes("/api/v2/billing/trusteebillingoverview/")) overviewRequests.push(new URL(req.url()).searchParams.get("billingPeriodIndex"));
  });
  await page.click("#run-partner");
  await page.locator("#comparison").waitFor({ state: "visible", timeout: 60000 });
  const enabled = dataset.orgs.filter((o) => o.enabled).length;
  assert.equal(await page.textContent("#progress-text"), `${enabled} of ${enabled} customers done, both periods`);
  assert.deepEqual([...new Set(overviewRequests)].sort(), ["0", "1"], "both periods were fetched");

  assert.equal(await page.textContent("#results-title"), "Invoice lines, 2026-10");
  assert.equal(await page.textContent("#comparison-title"), "Changes from 2026-09 to 2026-10");
  assert.match(await page.textContent("#results-summary"), /compared with 2026-09; 3 could not be billed/);
  assert.equal(await page.$$eval("#failures-list li", (li) => li.length), 3);

  // Alerts on top, grouped by code with counts, then per organization.
  const alertGroups = await readGroups(page, "#alerts-list");
  assert.deepEqual(Object.fromEntries(alertGroups.map((g) => [g.code, { count: g.count, orgs: g.orgs }])), expectedAlerts);
  assert.deepEqual(alertGroups.map((g) => g.code), ["total_increase", "overage", "new_license", "gone_license", "ramp_period"].filter((c) => expectedAlerts[c]));
  const overage = alertGroups.find((g) => g.code === "overage");
  assert.equal(overage.title, `On-demand overage: ${expectedAlerts.overage.count} in ${Object.keys(expectedAlerts.overage.orgs).length} organizations`);
  const increases = alertGroups.find((g) => g.code === "total_increase");
  const increased = Object.keys(expectedAlerts.total_increase.orgs).length;
  assert.equal(increases.title, `Totals up by 10 % or more: ${increased} ${increased === 1 ? "organization" : "organizations"}`);
  const increaseTexts = await page.locator('#alerts-list li.group[data-code="total_increase"] li.group-org').allTextContents();
  for (const id of Object.keys(expectedAlerts.total_increase.orgs)) {
    const t = expected.totals.find((x) => x.orgId === id);
    assert.ok(increaseTexts.some((x) => x.includes(t.company) && x.includes(`${canon(t.percent)}%`)), `${t.company} rose ${canon(t.percent)} %`);
  }
  assert.equal(await page.textContent("#alerts-title"), `Alerts (${expected.alerts.length})`);

  // Change per company: both totals, the change and the percent, exactly.
  const changeTotals = await page.$$eval("#change-totals-table tbody tr", (rows) =>
    rows.map((tr) => {
      const cell = (col) => tr.querySelector(`[data-col="${col}"]`);
      return ["company", "currency", "previous", "current", "change", "percent"].map((c) => cell(c).dataset.value ?? cell(c).textContent)
        .concat(cell("status").dataset.complete);
    }),
  );
  const v = (x) => (x === null || x === undefined || x === "" ? "-" : canon(x));
  assert.deepEqual(
    changeTotals.map(([company, currency, p, c, change, percent, complete]) => [company, currency, v(p), v(c), v(change), v(percent), complete]).sort(),
    expected.totals.map((x) => [x.company, x.currency, v(x.prev), v(x.cur), v(x.change), v(x.percent), String(x.complete)]).sort(),
  );

  // The changes table: the changed, new and gone rows first; then every row with "Show unchanged lines".
  const moved = expected.rows.filter((r) => r.status !== "same");
  let rows = await readChanges(page);
  assert.deepEqual(rows.map((r) => changeKey(r)).sort(), moved.map((r) => expectedChangeKey(r)).sort());
  assert.match(await page.textContent("#changes-caption"), new RegExp(`^${moved.length} lines, largest increase first, per currency; ${expected.rows.length - moved.length} unchanged hidden$`));
  await page.check("#show-unchanged");
  rows = await readChanges(page);
  assert.deepEqual(rows.map((r) => changeKey(r)).sort(), expected.rows.map((r) => expectedChangeKey(r)).sort());
  assert.deepEqual(new Set(rows.map((r) => r.statusText)), new Set(["New", "Gone", "Changed", "Same"]), "the status is shown");

  // Sorted by amount change, largest increase first, within each currency (alphabetical); unknown changes last.
  const amountHeader = page.locator('#changes-table th:has(button[data-sort="amountChange"])');
  assert.equal(await amountHeader.getAttribute("aria-sort"), "descending");
  const checkAmountOrder = (list, descending) => {
    for (let i = 1; i < list.length; i += 1) {
      const [a, b] = [list[i - 1], list[i]];
      assert.ok(a.currency <= b.currency, `currencies in order: ${a.currency} before ${b.currency}`);
      if (a.currency !== b.currency) continue;
      if (a.amountChange === "") assert.equal(b.amountChange, "", "unknown changes last");
      else if (b.amountChange !== "") assert.ok(cmp(dec(a.amountChange), dec(b.amountChange)) * (descending ? 1 : -1) >= 0, `${a.amountChange} then ${b.amountChange}`);
    }
  };
  checkAmountOrder(rows, true);
  const byCurrency = (currency) => expected.rows.filter((r) => r.currency === currency && r.amountChange);
  const firstCurrency = [...new Set(expected.rows.map((r) => r.currency))].sort()[0];
  const largest = byCurrency(firstCurrency).reduce((m, r) => (cmp(r.amountChange, m.amountChange) > 0 ? r : m));
  assert.equal(canon(rows[0].amountChange), canon(largest.amountChange), "the largest increase comes first");
  // The change as the locale writes it (en-US), signed, with its currency.
  for (const r of rows.filter((x) => x.amountChange !== "")) {
    assert.equal(r.amountChangeText, `${localized(r.amountChange, EN_US, { signed: true })} ${r.currency}`);
  }
  await screenshot(page, "09-partner-comparison");

  // Keyboard: the header buttons sort; the same one again reverses.
  await page.focus('#changes-table button[data-sort="amountChange"]');
  await page.keyboard.press("Enter");
  assert.equal(await amountHeader.getAttribute("aria-sort"), "ascending");
  checkAmountOrder(await readChanges(page), false);
  await page.focus('#changes-table button[data-sort="percent"]');
  await page.keyboard.press("Space");
  assert.equal(await page.getAttribute('#changes-table th:has(button[data-sort="percent"])', "aria-sort"), "descending");
  assert.equal(await amountHeader.getAttribute("aria-sort"), "none");
  const byPercent = await readChanges(page);
  for (let i = 1; i < byPercent.length; i += 1) {
    const [a, b] = [byPercent[i - 1].percent, byPercent[i].percent];
    if (a === "") assert.equal(b, "", "rows without a percent last");
    else if (b !== "") assert.ok(cmp(dec(a), dec(b)) >= 0, `${a} % then ${b} %`);
  }
  await page.focus('#changes-table button[data-sort="company"]');
  await page.keyboard.press("Enter");
  const byCompany = (await readChanges(page)).map((r) => r.company);
  assert.deepEqual(byCompany, [...byCompany].sort((a, b) => a.localeCompare(b, "en-US", { sensitivity: "base", numeric: true })));
  await page.click('#changes-table button[data-sort="amountChange"]');
  assert.equal(await amountHeader.getAttribute("aria-sort"), "descending");

  // The chart of the largest increases and decreases: per currency, increases first, at most 5 of each.
  const currencies = [...new Set(expected.rows.filter((r) => r.amountChange && cmp(r.amountChange, ZERO) !== 0).map((r) => r.currency))].sort();
  const figures = await page.$$eval("#changes-chart figure", (list) => list.map((f) => ({
    caption: f.querySelector("figcaption").textContent,
    values: [...f.querySelectorAll("g.bar text.bar-value")].map((x) => x.textContent),
    negative: [...f.querySelectorAll("g.bar rect")].map((r) => r.classList.contains("negative")),
  })));
  assert.deepEqual(figures.map((f) => f.caption), currencies.map((c) => `Largest line increases and decreases, ${c}`));
  for (const [i, currency] of currencies.entries()) {
    // The changes as the table holds them (already checked exact above).
    const changes = rows.filter((r) => r.currency === currency && r.amountChange !== "" && cmp(dec(r.amountChange), ZERO) !== 0).map((r) => r.amountChange);
    const up = changes.filter((x) => cmp(dec(x), ZERO) > 0).sort((a, b) => cmp(dec(b), dec(a))).slice(0, 5);
    const down = changes.filter((x) => cmp(dec(x), ZERO) < 0).sort((a, b) => cmp(dec(a), dec(b))).slice(0, 5);
    assert.deepEqual(figures[i].values, [...up, ...down].map((x) => `${localized(x, EN_US, { signed: true })} ${currency}`));
    assert.deepEqual(figures[i].negative, [...up.map(() => false), ...down.map(() => true)]);
  }
  await page.locator("#changes-chart").screenshot({ path: path.join(screenshotDir, "10-changes-chart.png") });
  await page.selectOption("#changes-chart-by", "company");
  assert.match(await page.textContent("#changes-chart figcaption"), /^Largest company total increases and decreases, /);
  // Nothing styled inline (the CSP would refuse it; Playwright's screenshots leave an empty style="").
  assert.equal(await page.$$eval('#results [style]:not([style=""])', (n) => n.length), 0, "no inline styles");

  // The comparison CSV: every row, plain decimals, from comparisonToCsv.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#dl-comparison")]);
  assert.equal(download.suggestedFilename(), "comparison-2026-09-to-2026-10.csv");
  const csv = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) => r.length > 1);
  const header = csv[0];
  assert.deepEqual(header, ["Company", "Company ID", "Currency", "License Type", "Part Number", "Charge", "Previous Quantity", "Current Quantity",
    "Quantity Change", "Previous Amount", "Current Amount", "Amount Change", "Amount Change %", "Status"]);
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const csvRows = csv.slice(1).map((r) => ({
    orgId: r[col["Company ID"]], currency: r[col.Currency], license: r[col["License Type"]], partNumber: r[col["Part Number"]], kind: r[col.Charge],
    previousQuantity: r[col["Previous Quantity"]], currentQuantity: r[col["Current Quantity"]], quantityChange: r[col["Quantity Change"]],
    previousAmount: r[col["Previous Amount"]], currentAmount: r[col["Current Amount"]], amountChange: r[col["Amount Change"]],
    percent: r[col["Amount Change %"]], status: r[col.Status],
  }));
  assert.ok(csvRows.every((r) => [r.previousAmount, r.currentAmount, r.amountChange].every((x) => x === "" || /^-?\d+(\.\d+)?$/.test(x))), "plain decimals in the file");
  assert.deepEqual(csvRows.map((r) => changeKey(r, { quantityChange: true })).sort(), expected.rows.map((r) => expectedChangeKey(r, { quantityChange: true })).sort());

  // The current period's invoice still works: its totals and CSV are period 0's.
  const totals = await readTotals(page);
  assert.deepEqual(totals.map((x) => `${x.company} ${x.currency} ${canon(x.amount)}`).sort(), currentInvoice.totals.map((x) => `${x.company} ${x.currency} ${canon(x.amount)}`).sort());
  for (const row of await page.$$eval("#totals-table tbody tr", (trs) => trs.map((tr) => [tr.querySelector('[data-col="amount"]').dataset.value, tr.querySelector('[data-col="amount"]').textContent]))) {
    assert.equal(row[1], localized(row[0], EN_US), "totals in en-US digit grouping");
  }
  const [invoiceCsv] = await Promise.all([page.waitForEvent("download"), page.click("#dl-csv")]);
  assert.equal(invoiceCsv.suggestedFilename(), "invoice-2026-10.csv");
  assert.equal(parseCsv(readFileSync(await invoiceCsv.path(), "utf8")).slice(1).filter((r) => r.length > 1).length, currentInvoice.lines.length);

  // Both invoices are freed when a plain run replaces them: only the new result stays.
  await page.selectOption("#compare-with", "");
  assert.equal(await page.isVisible("#total-increase-field"), false);
  await page.click("#run-partner");
  await page.locator("#comparison").waitFor({ state: "hidden", timeout: 60000 });
  assert.equal(await page.textContent("#results-title"), "Invoice lines, 2026-10");

  // Narrow client-app frame (400px): no horizontal page scroll.
  await page.selectOption("#compare-with", "1");
  await page.click("#run-partner");
  await page.locator("#comparison").waitFor({ state: "visible", timeout: 60000 });
  await page.setViewportSize({ width: 400, height: 900 });
  await page.locator("#comparison").scrollIntoViewIfNeeded();
  await screenshot(page, "11-partner-comparison-400px");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal page scroll at 400px (overflow ${overflow}px)`);
  assert.deepEqual(consoleErrors, []);
});

test("amounts in the user's locale: de-DE groups 1.234,50 on screen, the exports keep plain decimals", async (t) => {
  requirePackage();
  const failing = failingOrgs();
  const { page, consoleErrors } = await openPage(t, { locale: "de-DE", allowConsole: failedFetchOf(failing) });
  await signIn(page);
  assert.equal(await page.evaluate(() => navigator.language), "de-DE");
  const expected = expectedPartnerInvoice(demo.mock.dataset, new Set(failing.keys()), { periodIndex: 0 });
  await page.check("#mode-partner");
  await page.selectOption("#compare-with", "1");
  await page.click("#run-partner");
  await page.locator("#comparison").waitFor({ state: "visible", timeout: 60000 });

  // Totals: every amount as de-DE writes it; one known amount of each decimal kind checked by pattern too.
  const totals = await page.$$eval("#totals-table tbody tr", (trs) => trs.map((tr) => ({
    currency: tr.querySelector('[data-col="currency"]').textContent,
    plain: tr.querySelector('[data-col="amount"]').dataset.value,
    text: tr.querySelector('[data-col="amount"]').textContent,
  })));
  assert.equal(totals.length, expected.totals.length);
  for (const x of totals) assert.equal(x.text, localized(x.plain, DE_DE), `${x.plain} ${x.currency}`);
  const eur = totals.find((x) => x.currency === "EUR" && /^\d{4,}\./.test(x.plain));
  assert.match(eur.text, /^\d{1,3}(\.\d{3})+,\d{2}$/, `EUR ${eur.plain} is written ${eur.text}`);
  const jpy = totals.find((x) => x.currency === "JPY");
  assert.match(jpy.text, /^\d{1,3}(\.\d{3})+$/, `JPY ${jpy.plain} (no minor unit) is written ${jpy.text}`);
  const kwd = totals.find((x) => x.currency === "KWD");
  assert.match(kwd.text, /^\d{1,3}(\.\d{3})*,\d{3}$/, `KWD ${kwd.plain} keeps its 3 decimals: ${kwd.text}`);
  // Lines: quantity, rate and amount.
  const lines = await page.$$eval("#lines-table tbody tr", (trs) => trs.map((tr) => ["quantity", "rate", "amount"].map((c) => {
    const cell = tr.querySelector(`[data-col="${c}"]`);
    return [cell.dataset.value, cell.childNodes[0].textContent];
  })));
  for (const line of lines) for (const [plain, text] of line) if (plain) assert.equal(text, localized(plain, DE_DE));
  // A change in the changes table: signed, de-DE separators.
  const change = await page.$$eval('#changes-table tbody tr [data-col="amount-change"]', (cells) =>
    cells.filter((c) => c.dataset.value).map((c) => [c.dataset.value, c.childNodes[0].textContent])[0]);
  assert.equal(change[1], localized(change[0], DE_DE, { signed: true }));
  await screenshot(page, "12-locale-de-DE");

  // The downloads keep plain decimals whatever the locale.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#dl-csv")]);
  const csv = parseCsv(readFileSync(await download.path(), "utf8"));
  const amountCol = csv[0].indexOf("Amount");
  const amounts = csv.slice(1).filter((r) => r.length > 1).map((r) => r[amountCol]);
  assert.deepEqual(amounts.map((a) => (a ? canon(a) : "-")), expected.lines.map((l) => (l.amount ? canon(l.amount) : "-")));
  assert.ok(amounts.every((a) => a === "" || /^-?\d+(\.\d+)?$/.test(a)), "no grouping in the CSV");
  const [comparison] = await Promise.all([page.waitForEvent("download"), page.click("#dl-comparison")]);
  const comparisonCsv = parseCsv(readFileSync(await comparison.path(), "utf8")).filter((r) => r.length > 1);
  const numeric = comparisonCsv[0].map((h, i) => [h, i]).filter(([h]) => /Quantity|Amount/.test(h)).map(([, i]) => i);
  assert.equal(numeric.length, 7);
  for (const row of comparisonCsv.slice(1)) {
    for (const i of numeric) assert.match(row[i], /^(-?\d+(\.\d+)?)?$/, `a plain decimal in the comparison CSV: ${row.join(",")}`);
  }
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
  // The environment names are regions()' clientAppEnvironment: EU sovereign is one of the 18.
  await gotoDemo(page, "?gcTargetEnv=eusc-edee1-core");
  assert.equal(await page.$$eval("#region option", (options) => options.filter((o) => o.value !== "local").length), 18);
  assert.match(await selectedDomain(), /\(edee1\.eusc-pure\.cloud\)$/);
  assert.equal(await page.inputValue("#region"), "eusc-de-east-1");
  assert.match(await page.textContent("#client-app-note"), /edee1\.eusc-pure\.cloud.*from gcTargetEnv eusc-edee1-core/);
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
