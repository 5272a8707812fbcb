// The packed tarball where users are: `npm pack ./pkg`, installed with `npm install --offline` into a
// scratch project, then used from Node (every export path), a Vite app (built with `vite build`
// and under the dev server), a plain <script type="module"> page, a Genesys Cloud client app that
// signs in with PKCE (against the mock), and TypeScript (`tsc --strict`, bundler and node16
// resolution). The fixtures are in tests/consumers/; the npm README's examples are those files
// (checked below). vite, typescript and playwright-core come from tests/node_modules: nothing is
// downloaded. The Node scripts run on every Node version in node-versions.mjs (20, 22, 24, 26;
// scripts/setup.sh installs them); the rest once. Needs `make build` first (pkg/) and /usr/bin/chromium.
//
//   node --test tests/js/consumers.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import Decimal from "decimal.js";
import { startStatic } from "../../scripts/static-server.mjs";
import { startMock } from "../mock/genesys-mock.mjs";
import { TESTED_MAJORS, eachNode, nodeVersions, runNode, testNodeMatrix } from "./node-versions.mjs";

const root = new URL("../..", import.meta.url).pathname;
const fixtures = join(root, "tests/consumers");
const bin = join(root, "tests/node_modules/.bin");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// tests/consumers/overview.json (KWD, 3 decimals) with markupPercent "12.5", by hand:
// prepay 5 × (10.1235 × 1.125 = 11.3889375) = 56.9446875 → 56.945;
// on-demand (7 − 5) × (12.0005 × 1.125 = 13.5005625) = 27.001125 → 27.001; total 83.946.
const EXPECTED_TOTAL = "83.946 KWD";

let scratch, project, packed, mock, browser;
const cleanups = [];

const run = promisify(execFile);
/** Runs a command in the scratch project; resolves to {code, stdout, stderr} without throwing. */
async function sh(file, args, { cwd = project, env = {}, timeout = 60_000 } = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, ...env }, timeout, encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== "number") throw e;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  assert.ok(existsSync(join(root, "pkg/package.json")), "pkg/ is missing: run `make build` first");
  scratch = mkdtempSync(join(tmpdir(), "genesys-billing-consumers-"));
  [packed] = JSON.parse(execFileSync("npm", ["pack", join(root, "pkg"), "--pack-destination", scratch, "--json"], {
    encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
  }));
  project = join(scratch, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer-project", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(scratch, packed.filename)], { cwd: project, stdio: "pipe" });
  // The project as a user would lay it out: the plain page at the root next to node_modules/.
  cpSync(join(fixtures, "script-page/index.html"), join(project, "index.html"));
  cpSync(join(fixtures, "overview.json"), join(project, "overview.json"));
  cpSync(join(fixtures, "vite-app"), join(project, "vite-app"), { recursive: true });
  cpSync(join(fixtures, "overview.json"), join(project, "vite-app/overview.json"));
  cpSync(join(fixtures, "client-app"), join(project, "client-app"), { recursive: true });
  cpSync(join(fixtures, "node/partner-invoice.mjs"), join(project, "partner-invoice.mjs"));
  cpSync(join(fixtures, "node/xero-export.mjs"), join(project, "xero-export.mjs"));
  for (const f of readdirSync(join(fixtures, "types"))) cpSync(join(fixtures, "types", f), join(project, f));
  // A Stripe server job: stripe-node's own types (and the Node types it needs as a peer), as
  // installed from the npm registry into tests/node_modules by scripts/setup.sh.
  cpSync(join(fixtures, "stripe/stripe-job.ts"), join(project, "stripe-job.ts"));
  for (const dep of ["stripe", "@types/node", "undici-types"]) {
    cpSync(join(root, "tests/node_modules", dep), join(project, "node_modules", dep), { recursive: true });
  }
  mock = await startMock({ port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  for (const close of cleanups.reverse()) await close().catch(() => {});
  await browser?.close();
  await mock?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A static server over `dir`, closed after the tests. */
async function serve(dir, files) {
  const server = await startStatic({ root: dir, port: 0, files });
  cleanups.push(() => server.close());
  return server;
}

/**
 * A new page that records what would show a user something went wrong: console errors, uncaught
 * exceptions, failed requests and HTTP errors (a favicon the mock's login page does not have aside).
 */
async function newPage() {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const problems = []; // {text, url}
  const problem = (text, url = "") => problems.push({ text, url });
  const wasm = [];
  const favicon = (url) => URL.canParse(url) && new URL(url).pathname === "/favicon.ico";
  page.on("console", (m) => {
    if (m.type() === "error" && !favicon(m.location().url)) problem(`console: ${m.text()} (${m.location().url})`, m.location().url);
  });
  page.on("pageerror", (e) => problem(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => problem(`request failed: ${r.url()} ${r.failure()?.errorText}`, r.url()));
  page.on("response", (r) => {
    if (r.status() >= 400 && !favicon(r.url())) problem(`HTTP ${r.status()}: ${r.url()}`, r.url());
    if (new URL(r.url()).pathname.endsWith(".wasm")) wasm.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] });
  });
  return { page, problems, wasm };
}

const texts = (problems) => problems.map((p) => p.text);

/** Opens `url` and returns the text of #total once the page has written it. */
async function totalOf(url) {
  const { page, problems, wasm } = await newPage();
  await page.goto(url);
  await page.waitForFunction(() => { const t = document.querySelector("#total")?.textContent; return t && t !== "…"; }, null, { timeout: 15_000 })
    .catch(() => assert.fail(`no total written; problems: ${texts(problems).join("; ") || "none"}`));
  return { total: await page.textContent("#total"), problems, wasm };
}

// ---------------------------------------------------------------------------------------------
// The package itself

test("package.json: exports map with types first, sideEffects, files, license, repository, keywords, engines", () => {
  const pkg = JSON.parse(readFileSync(join(project, "node_modules/genesys-billing/package.json"), "utf8"));
  assert.equal(pkg.name, "genesys-billing");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.match(pkg.repository?.url ?? "", /^https:\/\/github\.com\/.+/);
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.includes("genesys-cloud"), "keywords");
  assert.ok(Array.isArray(pkg.files) && pkg.files.length > 0, "files list");
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], "no dependencies");
  assert.deepEqual(pkg.engines, { node: `>=${Math.min(...TESTED_MAJORS)}` }, "engines says what is tested (node-versions.mjs)");
  // Conditions match in object order: wherever a condition leads to a JS file, a "types" condition
  // comes before it in the same object, so TypeScript always finds the types of the JS it gets.
  const walk = (node, at) => {
    const keys = Object.keys(node);
    for (const k of keys) {
      if (typeof node[k] === "object") walk(node[k], `${at}["${k}"]`);
      else if (/\.[cm]?js$/.test(node[k])) {
        const t = keys.indexOf("types");
        assert.ok(t >= 0 && t < keys.indexOf(k), `exports${at}: "types" must come before "${k}"`);
      }
    }
  };
  walk(pkg.exports, "");
  // Node (ESM and CommonJS) before the browser default, so Vite's browser build never sees "node".
  const dot = pkg.exports["."];
  assert.deepEqual(Object.keys(dot), ["node", "types", "default"]);
  assert.deepEqual(dot.node, {
    import: { types: "./node/index.d.mts", default: "./node/index.mjs" },
    require: { types: "./node/genesys_billing.d.ts", default: "./node/genesys_billing.js" },
  });
  assert.equal(dot.default, "./genesys_billing.js");
  assert.deepEqual(pkg.exports["./web"], { types: "./genesys_billing.d.ts", default: "./genesys_billing.js" });
  assert.equal(pkg.exports["./genesys_billing_bg.wasm"], "./genesys_billing_bg.wasm");
  assert.equal(pkg.exports["./package.json"], "./package.json");
});

test("npm pack: exactly the package's files, and every file package.json points to is in it", () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "bin/genesys-billing.mjs",
    "genesys_billing.d.ts", "genesys_billing.js", "genesys_billing_bg.wasm",
    "node/genesys_billing.d.ts", "node/genesys_billing.js", "node/genesys_billing_bg.wasm",
    "node/index.d.mts", "node/index.mjs", "node/package.json",
    "package.json",
  ]);
  const pkg = JSON.parse(readFileSync(join(project, "node_modules/genesys-billing/package.json"), "utf8"));
  const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})];
  const collect = (node) => (typeof node === "string" ? targets.push(node) : Object.values(node).forEach(collect));
  collect(pkg.exports);
  for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, "")), `${t} is not in the tarball`);
});

test("the npm README is pkg-template/README.md, and each of its examples is a tested fixture", () => {
  const readme = readFileSync(join(project, "node_modules/genesys-billing/README.md"), "utf8");
  assert.equal(readme, readFileSync(join(root, "pkg-template/README.md"), "utf8"), "merge-pkg must copy the template over the crate README");
  for (const topic of ["Concurrent-license peaks", "partner endpoint", "telco", "pre-tax", "PKCE", "Vite", "init()"]) {
    assert.ok(readme.includes(topic), `README mentions ${topic}`);
  }
  const dedent = (lines) => {
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
    return lines.map((l) => l.slice(indent)).join("\n");
  };
  const blocks = [...readme.matchAll(/(?:<!-- example: (\S+) -->\n)?```(\w*)\n([^]*?)```/g)];
  let examples = 0;
  for (const [, source, lang, code] of blocks) {
    if (lang === "sh") continue;
    assert.ok(source, `a ${lang} block in the README is not marked as a tested example:\n${code}`);
    // The block must be the fixture, or a contiguous run of its lines (same code, any indentation).
    const want = dedent(code.trimEnd().split("\n"));
    const lines = readFileSync(join(root, source), "utf8").trimEnd().split("\n");
    const n = want.split("\n").length;
    const found = lines.some((_, i) => i + n <= lines.length && dedent(lines.slice(i, i + n)) === want);
    assert.ok(found, `the README example marked ${source} is not in that file`);
    examples++;
  }
  assert.ok(examples >= 7, `only ${examples} examples`);
});

// ---------------------------------------------------------------------------------------------
// Node: each test runs its script on every tested Node version

testNodeMatrix(test);

eachNode(test, "Node resolves every entry: ESM, CommonJS, ./web (init with the wasm's bytes), the wasm, package.json", async (node) => {
  writeFileSync(join(project, `resolve-${node.major}.mjs`), `
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    const require = createRequire(import.meta.url);
    const init = (await import("genesys-billing/web")).default;
    const { invoiceFromOverview } = await import("genesys-billing/web");
    const wasm = import.meta.resolve("genesys-billing/genesys_billing_bg.wasm");
    await init({ module_or_path: readFileSync(new URL(wasm)) });
    const { amount, currency } = invoiceFromOverview(readFileSync("overview.json", "utf8"), { markupPercent: "12.5" }).totals[0];
    const cjs = require("genesys-billing");
    console.log(JSON.stringify({
      esm: import.meta.resolve("genesys-billing"), cjs: require.resolve("genesys-billing"),
      web: import.meta.resolve("genesys-billing/web"), wasm, total: amount + " " + currency,
      cjsHasInit: "default" in cjs, cjsExports: Object.keys(cjs).sort(),
      version: require("genesys-billing/package.json").version, node: process.version,
    }));
  `);
  const r = await runNode(node, [`resolve-${node.major}.mjs`], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "no warnings (deprecation, experimental) from any entry");
  const out = JSON.parse(r.stdout);
  assert.equal(out.node, node.version);
  const base = `file://${project}/node_modules/genesys-billing`;
  assert.equal(out.esm, `${base}/node/index.mjs`);
  assert.equal(out.cjs, `${project}/node_modules/genesys-billing/node/genesys_billing.js`);
  assert.equal(out.web, `${base}/genesys_billing.js`);
  assert.equal(out.wasm, `${base}/genesys_billing_bg.wasm`);
  assert.equal(out.total, EXPECTED_TOTAL, "the web build, loaded from bytes in Node");
  assert.equal(out.cjsHasInit, false);
  assert.deepEqual(out.cjsExports, ["BillingClient", "Invoice", "checkDecimal", "clientCredentialsToken", "compareInvoices", "comparisonToCsv", "invoiceFromOverview", "invoiceFromUsage", "invoiceToCsv",
    "invoiceToFocus", "invoiceToQuickBooksCsv", "invoiceToStripeItems", "invoiceToXeroCsv", "parseOverviewPriceBook", "parseUsagePriceBook", "regions"]);
  assert.equal(out.version, packed.version);
});

/** A minimal RFC 4180 reader for the checks below. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

eachNode(test, "README Node example: a partner's CSV from the mock, failures on stderr, exit code 1", async (node) => {
  const r = await runNode(node, ["partner-invoice.mjs"], { cwd: project, env: { GENESYS_TOKEN: mock.staticToken, GENESYS_API_URL: mock.url } });
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  const failures = r.stderr.trim().split("\n");
  assert.deepEqual(failures.map((l) => l.match(/^not invoiced: .+?: (\w+): /)?.[1]).sort(), ["forbidden", "http_error", "invalid_json"]);
  assert.ok(!r.stderr.includes(mock.staticToken), "the token is never in a message");
  const [header, ...rows] = parseCsv(r.stdout);
  assert.deepEqual(header, ["Company", "Company ID", "License Type", "Part Number", "Charge", "Quantity", "Unit", "Rate", "Amount", "Currency", "Period Start", "Period End"]);
  const enabled = mock.dataset.orgs.filter((o) => o.enabled).length;
  assert.equal(new Set(rows.map((row) => row[1])).size, enabled - 3, "every other enabled org is invoiced");
  // Each priced line: Amount = Quantity × Rate, rounded half-up to the Amount's decimals.
  let priced = 0;
  for (const row of rows) {
    const [quantity, rate, amount] = [row[5], row[7], row[8]];
    if (!rate) continue;
    const dp = amount.split(".")[1]?.length ?? 0;
    assert.equal(new Decimal(quantity).times(rate).toFixed(dp, Decimal.ROUND_HALF_UP), amount, row.join(","));
    priced++;
  }
  assert.ok(priced > 10, `only ${priced} priced lines`);
}, { concurrency: true }); // the client paces its requests (mostly waiting): the versions run side by side

test("the README's Xero example writes an import file from an overview, with its warnings on stderr", async () => {
  const overview = {
    organization: { id: "org-1", name: "Acme, Inc." }, currency: "USD", enabledProducts: [], subscriptionType: "PREPAY",
    billingPeriodStartDate: "2026-10-01T00:00:00Z", billingPeriodEndDate: "2026-10-31T23:59:59.999Z",
    usages: [{ name: "CX 3", partNumber: "PC-1", grouping: "g", unitOfMeasureType: "seat", usageQuantity: "13",
      prepayQuantity: "10", prepayPrice: "150.00", overagePrice: "0.835" }],
  };
  writeFileSync(join(project, "xero-overview.json"), JSON.stringify(overview));
  const r = await runNode(nodeVersions[0], ["xero-export.mjs", "xero-overview.json"], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = parseCsv(r.stdout);
  assert.equal(header[0], "*ContactName");
  assert.ok(header.includes("*TaxType"));
  const col = (name) => header.indexOf(name);
  // 10 × 150.00 as it is; 3 × 0.835 = 2.505 is a midpoint, so 1 × 2.51 with a warning.
  assert.deepEqual(rows.map((row) => [row[col("*ContactName")], row[col("*InvoiceDate")], row[col("*DueDate")], row[col("*Quantity")], row[col("*UnitAmount")], row[col("*TaxType")]]), [
    ["Acme, Inc.", "01/11/2026", "15/11/2026", "10", "150.00", "Tax Exempt"],
    ["Acme, Inc.", "01/11/2026", "15/11/2026", "1", "2.51", "Tax Exempt"],
  ]);
  assert.match(r.stderr, /^single_unit_line Xero keeps 4 decimals/);
});

// ---------------------------------------------------------------------------------------------
// Browsers

test("Vite: `vite build` of an app importing genesys-billing, served statically, computes the total in Chromium", async () => {
  const app = join(project, "vite-app");
  const r = await sh(join(bin, "vite"), ["build", "--logLevel", "warn"], { cwd: app });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/warn|error/i.test(r.stdout + r.stderr), `vite build reported: ${r.stdout}${r.stderr}`);
  const assets = readdirSync(join(app, "dist/assets"));
  assert.ok(assets.some((f) => /^genesys_billing_bg-.+\.wasm$/.test(f)), `no .wasm asset emitted: ${assets}`);
  const server = await serve(join(app, "dist"));
  const { total, problems, wasm } = await totalOf(`${server.url}/`);
  assert.equal(total, EXPECTED_TOTAL);
  assert.deepEqual(texts(problems), []);
  assert.equal(wasm.length, 1);
  assert.match(wasm[0].url, /\/assets\/genesys_billing_bg-.+\.wasm$/);
  assert.equal(wasm[0].type, "application/wasm");
});

test("Vite dev server: the same app works unbuilt (no optimizeDeps or plugin config)", async () => {
  const { createServer } = await import("vite");
  const server = await createServer({ root: join(project, "vite-app"), configFile: false, logLevel: "silent",
    server: { host: "127.0.0.1", port: 0, strictPort: false } });
  cleanups.push(() => server.close());
  await server.listen();
  const { total, problems, wasm } = await totalOf(server.resolvedUrls.local[0]);
  assert.equal(total, EXPECTED_TOTAL);
  assert.deepEqual(texts(problems), []);
  assert.deepEqual(wasm.map((w) => [w.status, w.type]), [[200, "application/wasm"]]);
});

test("plain <script type=module> page: init() from ./node_modules/genesys-billing/genesys_billing.js", async () => {
  const server = await serve(project);
  const { total, problems, wasm } = await totalOf(`${server.url}/index.html`);
  assert.equal(total, EXPECTED_TOTAL);
  assert.deepEqual(texts(problems), []);
  assert.deepEqual(wasm, [{ url: `${server.url}/node_modules/genesys-billing/genesys_billing_bg.wasm`, status: 200, type: "application/wasm" }]);
});

test("Genesys Cloud client app: PKCE sign-in on the (mock) login page, then a partner run in Chromium", async () => {
  // The README's config.js points at a real region; here it points at the mock.
  const config = `export const clientId = "consumer-test";\nexport const loginUrl = "${mock.url}";\nexport const apiBaseUrl = "${mock.url}";\n`;
  const server = await serve(project, { "/client-app/config.js": config });
  const { page, problems } = await newPage();
  const appUrl = `${server.url}/client-app/`;
  await page.goto(appUrl);
  await page.waitForURL((u) => u.href.startsWith(`${mock.url}/oauth/authorize?`), { timeout: 15_000 });
  const authorize = new URL(page.url()).searchParams;
  assert.equal(authorize.get("code_challenge_method"), "S256");
  assert.equal(authorize.get("redirect_uri"), appUrl);
  await page.click("#mock-sign-in");
  await page.waitForSelector("#csv:not([hidden])", { timeout: 20_000 })
    .catch(() => assert.fail(`no result; problems: ${texts(problems).join("; ") || "none"}`));
  assert.equal(page.url(), appUrl, "the one-time code is dropped from the address bar");
  const result = await page.evaluate(async () => ({
    totals: [...document.querySelectorAll("#totals li")].map((li) => li.textContent),
    failures: [...document.querySelectorAll("#failures li")].map((li) => li.textContent),
    progress: document.querySelector("progress").value,
    csv: await (await fetch(document.querySelector("#csv").href)).text(),
    pkceLeft: sessionStorage.getItem("pkce"),
  }));
  const enabled = mock.dataset.orgs.filter((o) => o.enabled);
  assert.equal(result.totals.length + result.failures.length, enabled.length, "every enabled org is invoiced or failed");
  assert.equal(result.failures.length, 3);
  for (const t of result.totals) assert.match(t, /^.+: \d+(\.\d+)? (USD|EUR|JPY|KWD)$/);
  assert.equal(result.progress, 1);
  assert.ok(result.csv.startsWith("Company,Company ID,License Type,"), result.csv.slice(0, 80));
  assert.equal(result.pkceLeft, null, "the verifier is removed after use");
  // The browser logs every HTTP error, including those of the orgs the mock fails on purpose
  // (403 and 500; the third answers 200 with truncated JSON). Nothing else may go wrong.
  const failedOrg = (p) => p.url.startsWith(`${mock.url}/api/v2/billing/trusteebillingoverview/`) && /^(HTTP \d+|console: Failed to load resource)/.test(p.text);
  assert.deepEqual(texts(problems.filter((p) => !failedOrg(p))), []);
  assert.deepEqual(texts(problems.filter(failedOrg)).map((t) => t.match(/^HTTP (\d+)/)?.[1]).filter(Boolean).sort(), ["403", "500"]);
});

// ---------------------------------------------------------------------------------------------
// TypeScript

/**
 * Compiles `files` with tsc --strict --noEmit; then compiles copies without the `@ts-expect-error`
 * directives and checks that exactly the directed lines fail, with the codes the directives name.
 */
async function typecheck(files, flags) {
  const common = ["--strict", "--noEmit", "--target", "es2022", "--lib", "es2022,dom", ...flags];
  const ok = await sh(join(bin, "tsc"), [...common, "--explainFiles", ...files]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const expected = [];
  const stripped = files.map((f) => {
    const lines = readFileSync(join(project, f), "utf8").split("\n");
    const copy = `stripped-${f}`;
    lines.forEach((l, i) => {
      const m = l.match(/^\s*\/\/ @ts-expect-error (TS\d+):/);
      if (m) expected.push(`${copy}:${i + 2}:${m[1]}`);
    });
    writeFileSync(join(project, copy), lines.map((l) => l.replace(/\/\/ @ts-expect-error.*/, "//")).join("\n"));
    return copy;
  });
  assert.ok(expected.length > 0);
  const bad = await sh(join(bin, "tsc"), [...common, ...stripped]);
  const got = [...bad.stdout.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map(([, f, line, code]) => `${f}:${line}:${code}`);
  assert.deepEqual(got.sort(), expected.sort(), bad.stdout);
  return ok.stdout;
}

test("types: a strict consumer of the web build (bundler resolution) uses every export; wrong uses fail", async () => {
  const explained = await typecheck(["consumer.ts"], ["--module", "preserve", "--moduleResolution", "bundler"]);
  assert.match(explained, /node_modules\/genesys-billing\/genesys_billing\.d\.ts/);
  assert.doesNotMatch(explained, /genesys-billing\/node\//);
});

test("types: Node ESM and CommonJS consumers (node16) get the Node entries' own types", async () => {
  const explained = await typecheck(["node-esm.mts", "node-cjs.cts"], ["--module", "node16"]);
  assert.match(explained, /Imported via "genesys-billing" from file 'node-esm\.mts'.*node\/index\.d\.mts/);
  assert.match(explained, /Imported via "genesys-billing" from file 'node-cjs\.cts'.*node\/genesys_billing\.d\.ts/);
});

test("types: a Stripe job passes our items to stripe-node's create() through the README's adapter", async () => {
  const explained = await typecheck(["stripe-job.ts"], ["--module", "node16", "--types", "node"]);
  assert.match(explained, /node_modules\/stripe\/esm\/resources\/InvoiceItems\.d\.ts/);
  const readme = readFileSync(join(root, "pkg-template/README.md"), "utf8");
  const adapter = readFileSync(join(fixtures, "stripe/stripe-job.ts"), "utf8").match(/export function toStripeParams[^]*?\n}\n/)[0];
  assert.ok(readme.includes(adapter), "the npm README shows the tested adapter");
});

test("types: no `any` or `unknown` in the shipped .d.ts files; error and warning codes match the Rust source", () => {
  const dir = join(project, "node_modules/genesys-billing");
  for (const f of ["genesys_billing.d.ts", "node/genesys_billing.d.ts", "node/index.d.mts"]) {
    const code = readFileSync(join(dir, f), "utf8").replace(/\/\*[^]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const hits = code.split("\n").filter((l) => /\b(any|unknown)\b/.test(l));
    assert.deepEqual(hits, [], `${f} has any/unknown`);
  }
  const dts = readFileSync(join(dir, "genesys_billing.d.ts"), "utf8");
  const union = dts.match(/export type GenesysBillingErrorCode =([^;]+);/)?.[1];
  assert.ok(union, "GenesysBillingErrorCode is declared");
  const typed = [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]).sort();
  const errorRs = readFileSync(join(root, "src/error.rs"), "utf8");
  const codeFn = errorRs.slice(errorRs.indexOf("pub fn code(&self)"), errorRs.indexOf("pub fn status(&self)"));
  const rust = [...codeFn.matchAll(/=> "(\w+)"/g)].map((m) => m[1]).sort();
  assert.ok(rust.length > 10, "found the codes in src/error.rs");
  assert.deepEqual(typed, rust);
  // The README documents every code the Rust source has (src/error.rs's code() is the one list).
  const readme = readFileSync(join(root, "README.md"), "utf8");
  assert.deepEqual(rust.filter((c) => !readme.includes(`\`${c}\``)), [], "error codes missing from README.md");
  // Warning codes: each declared union is exactly the codes its Rust files write.
  const codesIn = (files) => [...new Set(files.flatMap((f) => [...readFileSync(join(root, f), "utf8").matchAll(/code: "(\w+)"\.into\(\)|file_warning\(\s*"(\w+)"/g)].map((m) => m[1] ?? m[2])))].sort();
  const declared = (name) => {
    const union = dts.match(new RegExp(`export interface ${name} \\{[^}]*?code: ([^;]+);`))?.[1];
    assert.ok(union, `${name}.code is declared`);
    return [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]).sort();
  };
  const invoiceFiles = readdirSync(join(root, "src/invoice")).map((f) => `src/invoice/${f}`);
  assert.deepEqual(declared("InvoiceWarning"), codesIn(invoiceFiles));
  assert.deepEqual(declared("AccountingWarning"), codesIn(["src/export/accounting.rs", "src/export/xero.rs", "src/export/quickbooks.rs"]));
});
