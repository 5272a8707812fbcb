// The command line as a user runs it: `npm pack ./pkg`, installed with `npm install --offline` into
// a scratch project, then `genesys-billing …` (the installed bin) against the mock Genesys Cloud
// started in this process, on every Node version of node-versions.mjs (NODE_BIN=/path/to/node
// runs one binary instead). Client-credentials clients of the mock: one with the default scenario
// (3 failing orgs), one clean, one slow (for Ctrl-C mid-run). No output of any run may contain a
// secret or token (checked per run and once more at the end). Needs `make build` first (pkg/).
//
//   node --test tests/js/cli.test.mjs
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMock } from "../mock/genesys-mock.mjs";
import { createToken, getStats } from "../mock/http-helpers.mjs";
import { nodeEnv, nodeVersions, runNode, testNodeMatrix } from "./node-versions.mjs";

const root = new URL("../..", import.meta.url).pathname;
const PERIOD_END_NEXT_DAY = "2026-11-01"; // the mock's billing period 0 is 2026-10
const secret = (label) => `${label}-${randomBytes(12).toString("hex")}`;
const CLIENTS = {
  failing: { clientId: "cli-job", clientSecret: secret("secret-failing") },
  clean: { clientId: "cli-clean", clientSecret: secret("secret-clean"), scenario: {} },
  slow: { clientId: "cli-slow", clientSecret: secret("secret-slow"), scenario: { slowMs: 800 } },
};
const WRONG_SECRET = secret("secret-wrong");
const SECRETS = [...Object.values(CLIENTS).map((c) => c.clientSecret), WRONG_SECRET];

// NODE_BIN=/path/to/node: that binary only; else every tested Node that is installed.
const NODES = process.env.NODE_BIN
  ? [{ major: Number(/^v(\d+)/.exec(execFileSync(process.env.NODE_BIN, ["--version"], { encoding: "utf8" }))[1]),
      version: execFileSync(process.env.NODE_BIN, ["--version"], { encoding: "utf8" }).trim(), bin: process.env.NODE_BIN }]
  : nodeVersions;

let scratch, project, packed, mock, enabled, failingIds;
const outputs = []; // every stdout and stderr, for the secret check at the end

before(async () => {
  assert.ok(existsSync(join(root, "pkg/package.json")), "pkg/ is missing: run `make build` first");
  scratch = mkdtempSync(join(tmpdir(), "genesys-billing-cli-"));
  [packed] = JSON.parse(execFileSync("npm", ["pack", join(root, "pkg"), "--pack-destination", scratch, "--json"], {
    encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
  }));
  project = join(scratch, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "billing-job", private: true }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(scratch, packed.filename)], { cwd: project, stdio: "pipe" });
  mock = await startMock({ port: 0, clientCredentials: Object.values(CLIENTS) });
  enabled = mock.dataset.orgs.filter((o) => o.enabled);
  const d = mock.defaultScenario;
  failingIds = new Set([...(d.forbiddenOrgs ?? []), ...(d.truncatedOrgs ?? []), ...Object.keys(d.failOrgs ?? {})]);
});

after(async () => {
  await mock?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Running the installed CLI

const BIN = () => join(project, "node_modules/.bin/genesys-billing");
const noCredentials = { GENESYS_CLIENT_ID: "", GENESYS_CLIENT_SECRET: "", GENESYS_ACCESS_TOKEN: "" };
const as = (client, secretOverride) => ({ ...noCredentials, GENESYS_CLIENT_ID: client.clientId, GENESYS_CLIENT_SECRET: secretOverride ?? client.clientSecret });
const withToken = (token) => ({ ...noCredentials, GENESYS_ACCESS_TOKEN: token });
// --requests-per-minute 0: no pacing (the default 300/min spaces requests 200 ms apart).
const at = () => ["--api-base-url", mock.url, "--login-base-url", mock.url, "--requests-per-minute", "0"];

/** A fresh folder for one run's files. */
function folder(node, name) {
  const dir = join(project, "runs", `node${node.major}`, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function checkNoSecret(r, extra = []) {
  outputs.push(r.stdout, r.stderr);
  for (const s of [...SECRETS, ...extra]) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), "a secret or token was printed");
  }
}

/** Runs the installed bin with `node`; resolves to {code, signal, stdout, stderr}. */
async function cli(node, args, { env = {}, cwd = project, secrets = [] } = {}) {
  const r = await runNode(node, [BIN(), ...args], { cwd, env });
  checkNoSecret(r, secrets);
  return r;
}

const show = (r) => `exit ${r.code ?? r.signal}\n--- stderr\n${r.stderr}`;
const filesIn = (dir) => readdirSync(dir).sort();

// ---------------------------------------------------------------------------------------------
// Expected values, by hand from the mock's dataset (exact decimals in BigInt)

function dec(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
  assert.ok(m, `not a decimal: ${text}`);
  const v = BigInt(m[2] + (m[3] ?? ""));
  return { v: m[1] ? -v : v, scale: (m[3] ?? "").length };
}
const ZERO = dec("0");
const align = (a, scale) => a.v * 10n ** BigInt(scale - a.scale);
const add = (a, b) => ({ v: align(a, Math.max(a.scale, b.scale)) + align(b, Math.max(a.scale, b.scale)), scale: Math.max(a.scale, b.scale) });
const sub = (a, b) => add(a, { v: -b.v, scale: b.scale });
const mul = (a, b) => ({ v: a.v * b.v, scale: a.scale + b.scale });
const cmp = (a, b) => Math.sign(Number(sub(a, b).v));
function round(a, dp) {
  if (a.scale <= dp) return a;
  const f = 10n ** BigInt(a.scale - dp);
  let q = a.v / f;
  const r = a.v % f;
  if ((r < 0n ? -r : r) * 2n >= f) q += a.v < 0n ? -1n : 1n; // half-up: midpoint away from zero
  return { v: q, scale: dp };
}
/** Canonical text (no trailing zeros), so "37.50" and "37.5" compare equal. */
function canon(a) {
  let { v, scale } = typeof a === "string" ? dec(a) : a;
  while (scale > 0 && v % 10n === 0n) {
    v /= 10n;
    scale -= 1;
  }
  const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, "0");
  return `${v < 0n ? "-" : ""}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
}
const EXPONENT = { USD: 2, EUR: 2, JPY: 0, KWD: 3 };

/** Per org: lines (prepay, on-demand, minimum top-up) and the total, for billing period 0. */
function expectedPartner(excluded) {
  const totals = [];
  let lineCount = 0;
  for (const org of enabled) {
    if (excluded.has(org.id)) continue;
    const o = org.overview(0);
    const exp = EXPONENT[o.currency];
    assert.notEqual(exp, undefined, `no exponent for ${o.currency}`);
    let total = ZERO;
    let complete = true;
    for (const u of o.usages) {
      const usage = dec(u.usageQuantity);
      const prepay = dec(u.prepayQuantity);
      const onDemand = cmp(usage, prepay) > 0 ? sub(usage, prepay) : ZERO;
      for (const [quantity, price] of [[prepay, u.prepayPrice], [onDemand, u.overagePrice]]) {
        if (cmp(quantity, ZERO) <= 0) continue;
        lineCount += 1;
        if (price === undefined) complete = false;
        else total = add(total, round(mul(quantity, dec(price)), exp));
      }
    }
    if (o.minimumMonthlyAmount !== undefined) {
      const min = dec(o.minimumMonthlyAmount);
      if (cmp(min, ZERO) > 0 && cmp(total, min) < 0 && cmp(round(sub(min, total), exp), ZERO) > 0) {
        total = add(total, round(sub(min, total), exp));
        lineCount += 1;
      }
    }
    totals.push({ organizationId: org.id, currency: o.currency, amount: canon(total), complete });
  }
  const byCurrency = {};
  for (const t of totals) byCurrency[t.currency] = canon(add(dec(byCurrency[t.currency] ?? "0"), dec(t.amount)));
  return { totals, byCurrency, lineCount };
}

/** "totals: 1.50 USD (2 orgs), 7 JPY (1 org)" on stderr → {USD: "1.5", JPY: "7"}. */
function summaryTotals(stderr) {
  const line = stderr.split("\n").find((l) => l.startsWith("genesys-billing: totals: "));
  assert.ok(line, `no totals line in:\n${stderr}`);
  return Object.fromEntries([...line.matchAll(/(-?\d+(?:\.\d+)?) ([A-Z]{3})/g)].map((m) => [m[2], canon(m[1])]));
}

/** Minimal RFC 4180 reader. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The tests

testNodeMatrix(test);

test("the tarball ships the bin executable; the installed bin runs by its shebang and with npx", async () => {
  const entry = packed.files.find((f) => f.path === "bin/genesys-billing.mjs");
  assert.ok(entry, "bin/genesys-billing.mjs is in the tarball");
  assert.equal(entry.mode & 0o111, 0o111, "executable in the tarball");
  const installed = JSON.parse(readFileSync(join(project, "node_modules/genesys-billing/package.json"), "utf8"));
  assert.deepEqual(installed.bin, { "genesys-billing": "bin/genesys-billing.mjs" });
  assert.ok(statSync(BIN()).mode & 0o111, "node_modules/.bin/genesys-billing is executable");
  const shebang = execFileSync(BIN(), ["--version"], { encoding: "utf8", env: { ...process.env, ...noCredentials } });
  assert.equal(shebang, `genesys-billing ${installed.version}\n`);
  const npx = execFileSync("npx", ["--offline", "--no-install", "genesys-billing", "--help"], { cwd: project, encoding: "utf8", env: { ...process.env, ...noCredentials } });
  assert.match(npx, /^Usage:\n {2}genesys-billing partner --region R/);
  assert.match(npx, /Exit status: 0 all billed; 3 file written, some orgs failed; 2 bad arguments; 1 nothing written/);
});

for (const node of NODES) {
  describe(`Node ${node.version}`, () => {
    test("partner run with failing orgs: exit 3, the file, the failures file and the totals are right", async () => {
      const dir = folder(node, "partner-failing");
      const r = await cli(node, ["partner", ...at(), "--period", "0", "--format", "json", "--out", "invoice.json", "--failures", "failures.json"],
        { env: as(CLIENTS.failing), cwd: dir });
      assert.equal(r.code, 3, show(r));
      assert.equal(r.stdout, "");
      assert.deepEqual(filesIn(dir), ["failures.json", "invoice.json"], "no temporary file left");

      const expected = expectedPartner(failingIds);
      const invoice = JSON.parse(readFileSync(join(dir, "invoice.json"), "utf8"));
      assert.deepEqual(Object.keys(invoice), ["lines", "totals", "warnings", "failures", "skipped"]);
      assert.deepEqual(invoice.totals.map((t) => ({ organizationId: t.organizationId, currency: t.currency, amount: canon(t.amount), complete: t.complete })),
        expected.totals);
      assert.equal(invoice.lines.length, expected.lineCount);
      assert.deepEqual(invoice.skipped.sort(), mock.dataset.orgs.filter((o) => !o.enabled).map((o) => o.id).sort());

      const failures = JSON.parse(readFileSync(join(dir, "failures.json"), "utf8"));
      assert.deepEqual(failures, invoice.failures);
      assert.deepEqual(new Set(failures.map((f) => f.organizationId)), failingIds);
      const byId = Object.fromEntries(failures.map((f) => [f.organizationId, f]));
      const d = mock.defaultScenario;
      assert.equal(byId[d.forbiddenOrgs[0]].code, "forbidden");
      assert.equal(byId[d.forbiddenOrgs[0]].status, 403);
      assert.equal(byId[Object.keys(d.failOrgs)[0]].status, 500);
      assert.equal(byId[d.truncatedOrgs[0]].code, "invalid_json");
      for (const f of failures) assert.equal(f.organizationName, mock.dataset.orgs.find((o) => o.id === f.organizationId).name);

      // stderr: each failed org, the counts, the per-currency totals.
      for (const f of failures) assert.match(r.stderr, new RegExp(`not billed: .*\\(${f.organizationId}\\): ${f.code}`));
      const billed = enabled.length - failingIds.size;
      assert.match(r.stderr, new RegExp(`billed ${billed} customer orgs, ${failingIds.size} failed, ${mock.dataset.orgs.length - enabled.length} skipped`));
      assert.deepEqual(summaryTotals(r.stderr), expected.byCurrency);
      // Not a terminal: a line per 10 %.
      const progress = r.stderr.split("\n").filter((l) => / orgs \(\d+ %\)$/.test(l));
      assert.ok(progress.length >= 5 && progress.length <= 10, progress.join("\n"));
      assert.equal(progress.at(-1), `genesys-billing: ${enabled.length}/${enabled.length} orgs (100 %)`);
    });

    test("a clean run: exit 0, the CSV has every org's lines, --failures is []; --requests-per-minute paces", async () => {
      const dir = folder(node, "partner-clean");
      const started = Date.now();
      const r = await cli(node, ["partner", ...at(), "--requests-per-minute", "1200", "--out", "invoice.csv", "--failures", "failures.json", "--concurrency", "8"],
        { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(r.code, 0, show(r));
      // 1 trustor page + 18 overviews at 1200/min: at least 18 gaps of 50 ms.
      assert.ok(Date.now() - started >= 850, `paced: ${Date.now() - started} ms`);
      assert.deepEqual(filesIn(dir), ["failures.json", "invoice.csv"]);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, "failures.json"), "utf8")), []);
      const expected = expectedPartner(new Set());
      const rows = parseCsv(readFileSync(join(dir, "invoice.csv"), "utf8"));
      assert.equal(rows[0].join(","), "Company,Company ID,License Type,Part Number,Charge,Quantity,Unit,Rate,Amount,Currency,Period Start,Period End");
      assert.equal(rows.length - 1, expected.lineCount);
      assert.deepEqual(new Set(rows.slice(1).map((row) => row[1])), new Set(enabled.map((o) => o.id)));
      assert.deepEqual(summaryTotals(r.stderr), expected.byCurrency);
      assert.match(r.stderr, new RegExp(`billed ${enabled.length} customer orgs, 0 failed`));
    });

    test("--out - writes stdout only (GENESYS_ACCESS_TOKEN, a clean scenario token), the same CSV as a file", async () => {
      const token = await createToken(mock, {});
      const dir = folder(node, "stdout");
      const r = await cli(node, ["partner", ...at(), "--out", "-", "--quiet"], { env: withToken(token), cwd: dir, secrets: [token] });
      assert.equal(r.code, 0, show(r));
      assert.equal(r.stderr, "", "--quiet: nothing on stderr for a clean run");
      assert.deepEqual(filesIn(dir), [], "no file");
      const file = readFileSync(join(project, "runs", `node${node.major}`, "partner-clean", "invoice.csv"), "utf8");
      assert.equal(r.stdout, file);
      // No --out at all: stdout too.
      const json = await cli(node, ["partner", ...at(), "--format", "json"], { env: withToken(token), cwd: dir, secrets: [token] });
      assert.equal(json.code, 0, show(json));
      assert.deepEqual(JSON.parse(json.stdout).failures, []);
      assert.match(json.stderr, /wrote stdout \(json, \d+ invoice lines\)/);
      assert.deepEqual(filesIn(dir), []);
    });

    test("usage run: the org's report priced from a CSV or JSON price book, exactly", async () => {
      const dir = folder(node, "usage");
      const report = mock.dataset.usageReport("2026-10-01T00:00:00.000Z", "2026-10-31T23:59:59.999Z");
      const [a, b] = report.usages.filter((u) => Number(u.totalUsage) > 0);
      // CSV: a header row, a quoted name, a comment; JSON: a number keeps its text ("0.10", not 0.1).
      writeFileSync(join(dir, "book.csv"), `License,Rate\n"${a.name}",12.345\n# not priced: the others\n${b.name};0.10\n`);
      writeFileSync(join(dir, "book.json"), `{"${a.name}": 12.345, "${b.name}": 0.10}`);
      for (const book of ["book.csv", "book.json"]) {
        const out = `usage-${book}.json`;
        const r = await cli(node, ["usage", ...at(), "--start", "2026-10-01", "--end", "2026-10-31", "--currency", "usd",
          "--price-book", book, "--company", "Acme, Inc.", "--format", "json", "--out", out], { env: as(CLIENTS.failing), cwd: dir });
        assert.equal(r.code, 0, show(r));
        const invoice = JSON.parse(readFileSync(join(dir, out), "utf8"));
        assert.equal(invoice.lines.length, report.usages.length);
        const line = (name) => invoice.lines.find((l) => l.licenseType === name);
        assert.equal(line(a.name).rate, "12.345");
        assert.equal(canon(line(a.name).amount), canon(round(mul(dec(a.totalUsage), dec("12.345")), 2)));
        assert.equal(line(b.name).rate, "0.10", `${book}: the rate as written`);
        assert.equal(line(a.name).organizationName, "Acme, Inc.");
        assert.equal(line(a.name).currency, "USD");
        const total = add(round(mul(dec(a.totalUsage), dec("12.345")), 2), round(mul(dec(b.totalUsage), dec("0.10")), 2));
        assert.deepEqual(invoice.totals.map((t) => [t.currency, canon(t.amount), t.complete]), [["USD", canon(total), false]]);
        assert.deepEqual(summaryTotals(r.stderr), { USD: canon(total) });
        assert.match(r.stderr, /no rate in the price book for: /);
      }
    });

    test("Xero and QuickBooks: the invoice date defaults to the day after the period; notes on stderr unless --quiet", async () => {
      const dir = folder(node, "accounting");
      const report = mock.dataset.usageReport("2026-10-01T00:00:00.000Z", "2026-10-31T23:59:59.999Z");
      const priced = report.usages.filter((u) => Number(u.totalUsage) > 1);
      // A rate with 5 decimals: Xero keeps 4, so such a line becomes 1 × its amount, with a note.
      writeFileSync(join(dir, "book.csv"), priced.map((u, i) => `${u.name},${i === 0 ? "12.34567" : "10.5"}`).join("\n"));
      const usage = ["usage", ...at(), "--start", "2026-10-01", "--end", "2026-10-31", "--currency", "EUR", "--price-book", "book.csv", "--company", "Acme, Inc."];
      const xero = await cli(node, [...usage, "--format", "xero", "--allow-unpriced", "--date-format", "YYYY-MM-DD", "--out", "xero.csv"],
        { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(xero.code, 0, show(xero));
      const rows = parseCsv(readFileSync(join(dir, "xero.csv"), "utf8"));
      const col = (name) => rows[0].indexOf(name);
      assert.equal(rows.length - 1, priced.length, "unpriced lines left out");
      assert.deepEqual(new Set(rows.slice(1).map((row) => row[col("*InvoiceDate")])), new Set([PERIOD_END_NEXT_DAY]));
      assert.deepEqual(new Set(rows.slice(1).map((row) => row[col("*ContactName")])), new Set(["Acme, Inc."]));
      assert.match(xero.stderr, /genesys-billing: xero note: single_unit_line: /);
      const qbo = await cli(node, [...usage, "--format", "quickbooks", "--allow-unpriced", "--invoice-date", "2026-11-05", "--quiet", "--out", "qbo.csv"],
        { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(qbo.code, 0, show(qbo));
      assert.equal(qbo.stderr, "", "--quiet");
      const q = parseCsv(readFileSync(join(dir, "qbo.csv"), "utf8"));
      assert.deepEqual(new Set(q.slice(1).map((row) => row[q[0].indexOf("Invoice date")])), new Set(["11/05/2026"]));
      // Without --allow-unpriced an unpriced line refuses the file: exit 1, nothing written.
      const refused = await cli(node, [...usage, "--format", "focus", "--out", "focus.csv"], { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(refused.code, 1, show(refused));
      assert.match(refused.stderr, /nothing written: unpriced_line: .*--allow-unpriced/);
      assert.deepEqual(filesIn(dir), ["book.csv", "qbo.csv", "xero.csv"]);
    });

    test("bad arguments: exit 2, the message names the flag and its values, nothing written, no request", async () => {
      const dir = folder(node, "bad-arguments");
      writeFileSync(join(dir, "book.json"), '{"X": {"prepay": "1,5"}}');
      const before = (await getStats(mock)).requests;
      const usage = ["usage", ...at(), "--start", "2026-10-01", "--end", "2026-10-31", "--currency", "USD", "--price-book", "book.json"];
      const cases = [
        [["partner", ...at(), "--format", "pdf"], /--format "pdf".*one of csv, json, focus, stripe, xero, quickbooks/],
        [["partner", "--region", "nowhere"], /--region "nowhere".*mypurecloud\.ie \(eu-west-1\)/],
        [["partner", "--region", "mypurecloud.ie", "--api-base-url", mock.url], /--region and --api-base-url exclude each other/],
        [["partner", "--api-base-url", "http://example.com", "--login-base-url", mock.url], /--api-base-url "http:\/\/example.com".*plain http is only allowed for localhost/],
        [["partner", "--api-base-url", mock.url], /--login-base-url is required with --api-base-url/],
        [["partner", ...at(), "--concurrency", "0"], /--concurrency "0".*a whole number from 1 to 32/],
        [["partner", ...at(), "--markup", "12,5"], /--markup "12,5".*a decimal percentage/],
        [["partner", ...at(), "--markup", "-5"], /--markup: write a value starting with "-" as --markup=VALUE/],
        [["partner", ...at(), "--rounding", "half-down"], /--rounding "half-down".*one of half-up, half-even/],
        [["partner", ...at(), "--period", "last"], /--period "last".*a whole number/],
        [["partner", ...at(), "--requests-per-minute=-1"], /--requests-per-minute "-1".*0 \(no pacing\) to 1000000/],
        [["partner", ...at(), "--price-book", "book.json"], /--price-book "book.json".*1,5/],
        [["partner", ...at(), "--price-book", "missing.json"], /--price-book "missing.json": cannot read it \(ENOENT\)/],
        [["partner", ...at(), "--out", "no/such/folder/x.csv"], /--out "no\/such\/folder\/x.csv": the folder .* does not exist/],
        [["partner", ...at(), "--out", "same.json", "--failures", "same.json"], /--failures and --out must be different files/],
        [["partner", ...at(), "--invoice-date", "2026-11-01"], /--invoice-date is for --format xero or quickbooks, not csv/],
        [["partner", ...at(), "--format", "xero", "--invoice-date", "2026-02-30"], /--invoice-date "2026-02-30": no such day; it takes a date YYYY-MM-DD/],
        [["partner", ...at(), "--format", "xero", "--date-format", "D.M.Y"], /--date-format "D.M.Y".*DD\/MM\/YYYY, MM\/DD\/YYYY, YYYY-MM-DD/],
        [["partner", ...at(), "--start", "2026-10-01"], /--start is for `genesys-billing usage`, not `partner`/],
        [["partner", ...at(), "--bogus"], /unknown option --bogus/],
        [["partner", ...at(), "--quiet=yes"], /--quiet takes no value/],
        [["invoice", ...at()], /unknown command "invoice": partner or usage/],
        [[], /a command is required: partner or usage/],
        [["usage", ...at(), "--start", "2026-10-01", "--currency", "USD", "--price-book", "book.json"], /--end is required: a date YYYY-MM-DD/],
        [usage.map((a) => (a === "2026-10-31" ? "2026-09-30" : a)), /--end "2026-09-30": it is before --start 2026-10-01/],
        [usage.map((a) => (a === "USD" ? "US$" : a)), /--currency "US\$".*three-letter ISO 4217 code/],
        [usage.map((a) => (a === "USD" ? "ABC" : a)), /--currency "ABC": not an ISO 4217 currency code/],
        [[...usage, "--markup", "5"], /--markup is for `genesys-billing partner`, not `usage`/],
        [[...usage, "--format", "quickbooks"], /--company is required with --format quickbooks/],
      ];
      const results = await Promise.all(cases.map(([args]) => cli(node, args, { env: as(CLIENTS.failing), cwd: dir })));
      results.forEach((r, i) => {
        const [args, message] = cases[i];
        assert.equal(r.code, 2, `${args.join(" ")}: ${show(r)}`);
        assert.match(r.stderr, /^genesys-billing: /, args.join(" "));
        assert.match(r.stderr, message, args.join(" "));
        assert.equal(r.stdout, "", args.join(" "));
      });
      // Credentials: the environment only, and both parts of a client.
      for (const [env, message] of [
        [noCredentials, /no credentials: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET .*, or GENESYS_ACCESS_TOKEN/],
        [{ ...noCredentials, GENESYS_CLIENT_ID: "cli-job" }, /GENESYS_CLIENT_SECRET is not set/],
      ]) {
        const r = await cli(node, ["partner", ...at()], { env, cwd: dir });
        assert.equal(r.code, 2, show(r));
        assert.match(r.stderr, message);
      }
      assert.deepEqual(filesIn(dir), ["book.json"], "nothing written");
      assert.equal((await getStats(mock)).requests, before, "no API request for bad arguments");
    });

    test("a refused secret or token: exit 1, sign-in refused with Genesys' error, no file, the secret never printed", async () => {
      const dir = folder(node, "refused");
      const r = await cli(node, ["partner", ...at(), "--out", "invoice.csv", "--failures", "failures.json"],
        { env: as(CLIENTS.failing, WRONG_SECRET), cwd: dir });
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /sign-in refused: token_request_failed.*invalid_client/);
      assert.match(r.stderr, /GENESYS_CLIENT_SECRET/);
      assert.deepEqual(filesIn(dir), [], "no file, no temporary file");
      // A token the API refuses: the trustor list fails, nothing is written either.
      const bogus = secret("token-bogus");
      const t = await cli(node, ["partner", ...at(), "--out", "invoice.csv"], { env: withToken(bogus), cwd: dir, secrets: [bogus] });
      assert.equal(t.code, 1, show(t));
      assert.match(t.stderr, /nothing written: token_expired, HTTP 401/);
      assert.deepEqual(filesIn(dir), []);
    });

    test("Ctrl-C mid-run: requests in flight are aborted, exit 130, no file left", async () => {
      const dir = folder(node, "sigint");
      const { slowMs } = CLIENTS.slow.scenario;
      const start = (await getStats(mock)).overviewRequests;
      const child = spawn(node.bin, [BIN(), "partner", ...at(), "--concurrency", "2", "--out", "invoice.csv", "--failures", "failures.json"],
        { cwd: dir, env: nodeEnv(node, as(CLIENTS.slow)), stdio: ["ignore", "pipe", "pipe"] });
      const r = { stdout: "", stderr: "" };
      child.stdout.on("data", (c) => { r.stdout += c; });
      const closed = once(child, "close");
      // Wait for the first 10 % line: the run is under way, with requests in flight (each takes slowMs).
      await new Promise((resolve, reject) => {
        child.stderr.on("data", (c) => {
          r.stderr += c;
          if (/orgs \(\d+ %\)/.test(r.stderr)) resolve();
        });
        child.once("exit", () => reject(new Error(`exited before any progress:\n${r.stderr}`)));
      });
      const overviewsBefore = (await getStats(mock)).overviewRequests;
      const sent = Date.now();
      child.kill("SIGINT");
      const [code] = await closed;
      const took = Date.now() - sent;
      checkNoSecret(r);
      assert.equal(code, 130, `exit ${code}\n${r.stderr}`);
      assert.ok(took < slowMs * 0.75, `exited ${took} ms after SIGINT: the requests in flight (${slowMs} ms each) were aborted, not awaited`);
      assert.match(r.stderr, /interrupted; nothing written/);
      assert.deepEqual(filesIn(dir), [], "no file, no temporary file");
      const stats = await getStats(mock);
      assert.ok(stats.overviewRequests - start < enabled.length, "the run did not finish");
      assert.ok(stats.overviewRequests <= overviewsBefore + 2, "no request started after the signal");
      for (let i = 0; i < 50 && (await getStats(mock)).inFlight > 0; i++) await new Promise((res) => setTimeout(res, 20));
      assert.equal((await getStats(mock)).inFlight, 0, "nothing left in flight");
    });
  });
}

// On a terminal the progress is a bar redrawn in place, with done/total and an ETA. util-linux's
// `script` gives the run a pseudo-terminal (once, on this Node: the drawing is plain JS).
const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));
test("on a terminal: a progress bar with done/total and an ETA", { skip: SCRIPT ? false : "no `script` (util-linux) to give the run a terminal" }, async () => {
  const dir = folder({ major: "tty" }, "bar");
  const quote = (a) => `'${a.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, BIN(), "partner", ...at(), "--concurrency", "1", "--out", "invoice.csv"].map(quote).join(" ");
  const r = await new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ["-qec", command, "/dev/null"], { cwd: dir, env: { ...process.env, ...as(CLIENTS.clean) }, stdio: ["ignore", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    child.stdout.on("data", (c) => { out.stdout += c; });
    child.stderr.on("data", (c) => { out.stderr += c; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ...out, code }));
  });
  checkNoSecret(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const frames = r.stdout.split("\r").filter((f) => f.includes(" orgs "));
  const n = enabled.length;
  assert.ok(frames.length >= n, `a frame per org:\n${r.stdout}`);
  assert.match(r.stdout, new RegExp(`\\x1b\\[2K\\[#+-+\\] \\d+/${n} orgs +\\d+ % ETA \\d+:\\d\\d`));
  assert.match(r.stdout, new RegExp(`\\[#{30}\\] ${n}/${n} orgs 100 % in \\d+:\\d\\d\\r?\\n`));
  assert.doesNotMatch(r.stdout, /orgs \(\d+ %\)/, "no 10 % lines on a terminal");
  assert.deepEqual(filesIn(dir), ["invoice.csv"]);
});

test("no output of any run contains a secret or token", () => {
  assert.ok(outputs.length > 0);
  for (const text of outputs) for (const s of SECRETS) assert.ok(!text.includes(s), "a secret was printed");
});
