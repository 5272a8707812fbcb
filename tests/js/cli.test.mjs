// The command line as a user runs it: `npm pack ./pkg`, installed with `npm install --offline` into
// a scratch project, then `genesys-billing …` (the installed bin) against the mock Genesys Cloud
// started in this process, on every Node version of node-versions.mjs (NODE_BIN=/path/to/node
// runs one binary instead). Client-credentials clients of the mock: one with the default scenario
// (3 failing orgs), one clean, one slow (for Ctrl-C mid-run). No output of any run may contain a
// secret or token (checked per run and once more at the end). Comparison runs (`--compare-with`,
// the mock serving every billing period) are checked row by row, total by total and alert count by
// alert count against the same computation by hand (BigInt). Needs `make build` first (pkg/).
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

/** One org's invoice lines for a billing period (prepay, on-demand, minimum top-up): amount null where unpriced. */
function expectedLines(org, period) {
  const o = org.overview(period);
  const exp = EXPONENT[o.currency];
  assert.notEqual(exp, undefined, `no exponent for ${o.currency}`);
  const lines = [];
  let priced = ZERO;
  for (const u of o.usages) {
    const usage = dec(u.usageQuantity);
    const prepay = dec(u.prepayQuantity);
    const onDemand = cmp(usage, prepay) > 0 ? sub(usage, prepay) : ZERO;
    for (const [kind, quantity, price] of [["prepay", prepay, u.prepayPrice], ["on-demand", onDemand, u.overagePrice]]) {
      if (cmp(quantity, ZERO) <= 0) continue;
      const amount = price === undefined ? null : round(mul(quantity, dec(price)), exp);
      if (amount) priced = add(priced, amount);
      lines.push({ licenseType: u.name, partNumber: u.partNumber, kind, quantity, amount });
    }
  }
  if (o.minimumMonthlyAmount !== undefined) {
    const min = dec(o.minimumMonthlyAmount);
    if (cmp(min, ZERO) > 0 && cmp(priced, min) < 0 && cmp(round(sub(min, priced), exp), ZERO) > 0) {
      lines.push({ licenseType: "Minimum monthly commitment", partNumber: null, kind: "minimum-commitment", quantity: dec("1"), amount: round(sub(min, priced), exp) });
    }
  }
  const total = lines.reduce((sum, l) => (l.amount ? add(sum, l.amount) : sum), ZERO);
  return { name: o.organization.name, currency: o.currency, lines, total, complete: lines.every((l) => l.amount), inRamp: o.inRampPeriod === true };
}

/** Per org: lines (prepay, on-demand, minimum top-up) and the total, for a billing period (default 0). */
function expectedPartner(excluded, period = 0) {
  const totals = [];
  let lineCount = 0;
  for (const org of enabled) {
    if (excluded.has(org.id)) continue;
    const { currency, lines, total, complete } = expectedLines(org, period);
    lineCount += lines.length;
    totals.push({ organizationId: org.id, currency, amount: canon(total), complete });
  }
  const byCurrency = {};
  for (const t of totals) byCurrency[t.currency] = canon(add(dec(byCurrency[t.currency] ?? "0"), dec(t.amount)));
  return { totals, byCurrency, lineCount };
}

/** (current − previous) / previous × 100, half-up to 2 decimals, exactly; null without a previous amount above zero. */
function percentChange(previous, current) {
  if (!previous || !current || previous.v === 0n) return null;
  const scale = Math.max(previous.scale, current.scale);
  const p = align(previous, scale);
  const n = (align(current, scale) - p) * 10000n; // × 100 for percent, × 100 for 2 decimals
  let q = n / p;
  const r = n % p;
  if ((r < 0n ? -r : r) * 2n >= (p < 0n ? -p : p)) q += (n < 0n) !== (p < 0n) ? -1n : 1n;
  return { v: q, scale: 2 };
}

/**
 * The comparison of billing period `previous` with `current`, by hand: rows keyed by org, currency,
 * part number (or license type) and charge; totals per org and currency; alert counts by code.
 */
function expectedComparison(excluded, previous, current, { overageAmount, overageQuantityIncrease, totalIncreasePercent = "20" } = {}) {
  const rows = new Map();
  const totals = new Map();
  const alerts = {};
  const alert = (code) => (alerts[code] = (alerts[code] ?? 0) + 1);
  for (const org of enabled) {
    if (excluded.has(org.id)) continue;
    const sides = { current: expectedLines(org, current), previous: expectedLines(org, previous) };
    for (const side of ["current", "previous"]) {
      const { name, currency, lines, total, complete } = sides[side];
      for (const l of lines) {
        const key = [org.id, currency, l.partNumber || l.licenseType, l.kind].join(" | ");
        const row = rows.get(key) ?? { organizationId: org.id, organizationName: name, currency, licenseType: l.licenseType, partNumber: l.partNumber, kind: l.kind, previous: null, current: null };
        const was = row[side];
        row[side] = was ? { quantity: add(was.quantity, l.quantity), amount: was.amount && l.amount ? add(was.amount, l.amount) : null } : { quantity: l.quantity, amount: l.amount };
        rows.set(key, row);
      }
      const tkey = `${org.id} | ${currency}`;
      const t = totals.get(tkey) ?? { organizationId: org.id, organizationName: name, currency, previous: null, current: null, complete: true };
      t[side] = total;
      t.complete &&= complete;
      totals.set(tkey, t);
    }
    if (sides.current.inRamp) alert("ramp_period");
  }
  const licenses = new Map();
  for (const row of rows.values()) {
    const quantity = (side) => side?.quantity ?? ZERO;
    const amount = (side) => (side ? side.amount : ZERO); // a missing side counts as zero, an unpriced one is unknown
    row.quantityChange = sub(quantity(row.current), quantity(row.previous));
    row.amountChange = amount(row.current) && amount(row.previous) ? sub(amount(row.current), amount(row.previous)) : null;
    row.amountChangePercent = percentChange(row.previous?.amount, amount(row.current));
    const same = row.previous && row.current && cmp(row.previous.quantity, row.current.quantity) === 0 &&
      (row.previous.amount && row.current.amount ? cmp(row.previous.amount, row.current.amount) === 0 : row.previous.amount === row.current.amount);
    row.status = !row.previous ? "new" : !row.current ? "gone" : same ? "same" : "changed";
    if (row.kind === "on-demand" && row.current) {
      const { quantity: q, amount: a } = row.current;
      const byAmount = overageAmount !== undefined ? a !== null && cmp(a, dec(overageAmount)) >= 0 : cmp(q, ZERO) > 0 && (a === null || cmp(a, ZERO) > 0);
      const byQuantity = overageQuantityIncrease !== undefined && cmp(dec(overageQuantityIncrease), ZERO) !== 0 &&
        cmp(row.quantityChange, dec(overageQuantityIncrease)) >= 0;
      if (byAmount || byQuantity) alert("overage");
    }
    const license = [row.organizationId, row.currency, row.partNumber || row.licenseType].join(" | ");
    const seen = licenses.get(license) ?? { before: false, now: false };
    seen.before ||= Boolean(row.previous);
    seen.now ||= Boolean(row.current);
    licenses.set(license, seen);
  }
  for (const { before, now } of licenses.values()) if (before !== now) alert(now ? "new_license" : "gone_license");
  for (const t of totals.values()) {
    t.change = sub(t.current ?? ZERO, t.previous ?? ZERO);
    t.percent = percentChange(t.previous, t.current ?? ZERO);
    if (t.percent && cmp(t.percent, ZERO) > 0 && cmp(t.percent, dec(totalIncreasePercent)) >= 0) alert("total_increase");
  }
  return { rows, totals, alerts };
}

const cell = (d) => (d === null || d === undefined ? "" : canon(d));
/** An expected row as the comparison CSV's cells (decimals canonical, null as empty). */
const expectedCells = (r) => [r.organizationName, r.organizationId, r.currency, r.licenseType, r.partNumber ?? "", r.kind,
  cell(r.previous?.quantity), cell(r.current?.quantity), cell(r.quantityChange), cell(r.previous?.amount), cell(r.current?.amount),
  cell(r.amountChange), cell(r.amountChangePercent), r.status];
/** A comparison row of the JSON output as the same cells. */
const jsonCells = (r) => [r.organizationName, r.organizationId, r.currency, r.licenseType, r.partNumber ?? "", r.kind,
  cell(r.previousQuantity), cell(r.currentQuantity), cell(r.quantityChange), cell(r.previousAmount), cell(r.currentAmount),
  cell(r.amountChange), cell(r.amountChangePercent), r.status];
const rowKey = (cells) => [cells[1], cells[2], cells[4] || cells[3], cells[5]].join(" | ");
const COMPARISON_HEADER = "Company,Company ID,Currency,License Type,Part Number,Charge,Previous Quantity,Current Quantity,Quantity Change," +
  "Previous Amount,Current Amount,Amount Change,Amount Change %,Status";

/** The comparison CSV's rows (decimals canonical) keyed as expectedComparison's. */
function comparisonCsvRows(text) {
  const rows = parseCsv(text);
  assert.equal(rows[0].join(","), COMPARISON_HEADER);
  const decimals = new Set([6, 7, 8, 9, 10, 11, 12]);
  const byKey = new Map();
  for (const row of rows.slice(1)) {
    const cells = row.map((c, i) => (decimals.has(i) && c !== "" ? canon(c) : c));
    assert.ok(!byKey.has(rowKey(cells)), `one row per key: ${rowKey(cells)}`);
    byKey.set(rowKey(cells), cells);
  }
  return byKey;
}

/** The rows (cells keyed by rowKey) are exactly the expected comparison's. */
function assertComparisonRows(actual, expected) {
  const want = new Map([...expected.rows.values()].map((row) => {
    const cells = expectedCells(row);
    return [rowKey(cells), cells];
  }));
  assert.deepEqual([...actual.keys()].sort(), [...want.keys()].sort());
  for (const [key, cells] of want) assert.deepEqual(actual.get(key), cells, key);
}

/** "alerts: 3 overage, 1 new_license" on stderr → {overage: 3, new_license: 1}. */
function summaryAlerts(stderr) {
  const line = stderr.split("\n").find((l) => l.startsWith("genesys-billing: alerts: "));
  assert.ok(line, `no alerts line in:\n${stderr}`);
  return Object.fromEntries([...line.matchAll(/(\d+) ([a-z_]+)/g)].map((m) => [m[2], Number(m[1])]));
}

/** "totals: 1.50 USD (2 orgs), 7 JPY (1 org)" on stderr → {USD: "1.5", JPY: "7"} (prefix: another line's start). */
function summaryTotals(stderr, prefix = "genesys-billing: totals: ") {
  const line = stderr.split("\n").find((l) => l.startsWith(prefix));
  assert.ok(line, `no totals line in:\n${stderr}`);
  return Object.fromEntries([...line.slice(prefix.length).matchAll(/([-+]?\d+(?:\.\d+)?) ([A-Z]{3})/g)].map((m) => [m[2], canon(m[1].replace(/^\+/, ""))]));
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
  assert.match(npx, /--compare-with M .*\n[^]*--overage-amount A[^]*--overage-quantity-increase Q[^]*--total-increase-percent P/);
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

    test("a partner run to Xero leaves out the orgs whose amounts Xero cannot hold, as failures (exit 3), and writes the rest", async () => {
      const dir = folder(node, "partner-xero");
      const r = await cli(node, ["partner", ...at(), "--format", "xero", "--allow-unpriced", "--date-format", "YYYY-MM-DD",
        "--out", "xero.csv", "--failures", "failures.json"], { env: as(CLIENTS.clean), cwd: dir });
      // By hand: an org is refused exactly when one of its priced amounts has a third decimal
      // that is not 0 (Xero keeps 2); the others are all in the file.
      const expected = expectedPartner(new Set());
      const refused = new Set(enabled.filter((o) => expectedLines(o, 0).lines.some((l) => l.amount && /\.\d\d[1-9]$/.test(canon(l.amount)))).map((o) => o.id));
      assert.ok(refused.size > 0, "the mock has 3-decimal amounts Xero cannot hold");
      assert.equal(r.code, 3, show(r));
      const failures = JSON.parse(readFileSync(join(dir, "failures.json"), "utf8"));
      assert.deepEqual(new Set(failures.map((f) => f.organizationId)), refused);
      assert.ok(failures.every((f) => f.code === "target_limit" && /Xero cannot take the amount/.test(f.message)), JSON.stringify(failures));
      const rows = parseCsv(readFileSync(join(dir, "xero.csv"), "utf8"));
      const names = new Set(rows.slice(1).map((row) => row[0]));
      const billedNames = new Set(enabled.filter((o) => !refused.has(o.id)).map((o) => o.name));
      assert.deepEqual(names, billedNames);
      assert.ok(expected.lineCount > rows.length - 1);
      assert.match(r.stderr, new RegExp(`billed ${enabled.length - refused.size} customer orgs, ${refused.size} failed`));
    });

    test("comparison with failing orgs: exit 3, the comparison CSV's rows and totals by hand, failures name the period, alerts", async () => {
      const dir = folder(node, "comparison-failing");
      const r = await cli(node, ["partner", ...at(), "--period", "1", "--compare-with", "2", "--format", "comparison-csv",
        "--out", "comparison.csv", "--failures", "failures.json"], { env: as(CLIENTS.failing), cwd: dir });
      assert.equal(r.code, 3, show(r));
      assert.equal(r.stdout, "");
      assert.deepEqual(filesIn(dir), ["comparison.csv", "failures.json"], "no temporary file left");

      // Every row, by hand (BigInt): both quantities and amounts, the changes, the percent half-up, the status.
      const expected = expectedComparison(failingIds, 2, 1);
      const rows = comparisonCsvRows(readFileSync(join(dir, "comparison.csv"), "utf8"));
      assertComparisonRows(rows, expected);
      const cells = [...rows.values()];
      assert.deepEqual(new Set(cells.map((c) => c[13])), new Set(["new", "gone", "changed", "same"]), "every status occurs");
      assert.ok(cells.some((c) => c[12] !== "" && !/^-?(0|100)$/.test(c[12])), "a percent other than 0 and ±100");
      assert.ok(cells.some((c) => c[9] === "" && c[6] !== ""), "an unpriced previous side: an empty amount, not 0");
      // Totals per org and currency: each period's amounts in the CSV add up to that period's invoice totals, by hand.
      for (const [period, column] of [[2, 9], [1, 10]]) {
        const sums = new Map();
        for (const c of cells) {
          const key = `${c[1]} | ${c[2]}`;
          sums.set(key, c[column] === "" ? sums.get(key) ?? ZERO : add(sums.get(key) ?? ZERO, dec(c[column])));
        }
        const totals = expectedPartner(failingIds, period).totals;
        for (const t of totals) assert.equal(canon(sums.get(`${t.organizationId} | ${t.currency}`) ?? ZERO), t.amount, `${t.organizationId} in period ${period}`);
        assert.ok([...sums.keys()].every((key) => totals.some((t) => key === `${t.organizationId} | ${t.currency}`)), "no other org");
      }

      // An org that fails in either period is in neither; the failures file names the period.
      const failures = JSON.parse(readFileSync(join(dir, "failures.json"), "utf8"));
      assert.deepEqual(new Set(failures.map((f) => f.organizationId)), failingIds);
      assert.ok(!cells.some((c) => failingIds.has(c[1])), "no row of a failed org");
      const byId = Object.fromEntries(failures.map((f) => [f.organizationId, f]));
      const d = mock.defaultScenario;
      assert.equal(byId[d.forbiddenOrgs[0]].code, "forbidden");
      assert.equal(byId[Object.keys(d.failOrgs)[0]].status, 500);
      assert.equal(byId[d.truncatedOrgs[0]].code, "invalid_json");
      for (const f of failures) {
        assert.ok([1, 2].includes(f.billingPeriodIndex), `the period of ${f.organizationId}: ${f.billingPeriodIndex}`);
        assert.match(r.stderr, new RegExp(`not compared: .*\\(${f.organizationId}\\): ${f.code}: billing period ${f.billingPeriodIndex}: `));
      }

      // stderr: the counts, both periods' totals per currency and the change, the alerts by code and one line each.
      const compared = enabled.length - failingIds.size;
      assert.match(r.stderr, new RegExp(`comparing ${enabled.length} customer orgs\n`));
      assert.match(r.stderr, new RegExp(`compared ${compared} customer orgs \\(billing period 2 with 1\\), ${failingIds.size} failed, ` +
        `${mock.dataset.orgs.length - enabled.length} skipped`));
      const before = expectedPartner(failingIds, 2).byCurrency;
      const after = expectedPartner(failingIds, 1).byCurrency;
      assert.deepEqual(summaryTotals(r.stderr, "genesys-billing: totals, billing period 2: "), before);
      assert.deepEqual(summaryTotals(r.stderr, "genesys-billing: totals, billing period 1: "), after);
      const changeLine = r.stderr.split("\n").find((l) => l.startsWith("genesys-billing: change: "));
      const changes = Object.fromEntries([...(changeLine ?? "").matchAll(/([-+]\d+(?:\.\d+)?) ([A-Z]{3}) \(([-+]\d+\.\d\d) %\)/g)]
        .map((m) => [m[2], [canon(m[1].replace(/^\+/, "")), canon(m[3].replace(/^\+/, ""))]]));
      assert.deepEqual(changes, Object.fromEntries(Object.keys(after).map((c) =>
        [c, [canon(sub(dec(after[c]), dec(before[c]))), canon(percentChange(dec(before[c]), dec(after[c])))]])), changeLine);
      assert.deepEqual(summaryAlerts(r.stderr), expected.alerts);
      const alertLines = r.stderr.split("\n").filter((l) => /^genesys-billing: alert [a-z_]+: /.test(l));
      assert.equal(alertLines.length, Object.values(expected.alerts).reduce((a, b) => a + b, 0));
      assert.match(r.stderr, /wrote .*comparison\.csv \(comparison-csv, \d+ comparison rows\); failures in .*failures\.json/);
    });

    test("a clean comparison in json with thresholds: exit 0, the comparison and both invoices by hand; --quiet comparison-csv to stdout", async () => {
      const dir = folder(node, "comparison-clean");
      // Thresholds that some lines and orgs meet exactly (at least: the boundary is in): the median
      // on-demand amount, on-demand quantity rise and positive org increase of the data set.
      const byDefault = expectedComparison(new Set(), 1, 0);
      const median = (list) => {
        const positive = list.filter((d) => d && cmp(d, ZERO) > 0).sort(cmp);
        return canon(positive[Math.floor(positive.length / 2)]);
      };
      const onDemand = [...byDefault.rows.values()].filter((row) => row.kind === "on-demand" && row.current);
      const thresholds = {
        overageAmount: median(onDemand.map((row) => row.current.amount)),
        overageQuantityIncrease: median(onDemand.map((row) => row.quantityChange)),
        totalIncreasePercent: median([...byDefault.totals.values()].map((t) => t.percent)),
      };
      const r = await cli(node, ["partner", ...at(), "--compare-with", "1", "--format", "json", "--out", "comparison.json", "--failures", "failures.json",
        "--overage-amount", thresholds.overageAmount, "--overage-quantity-increase", thresholds.overageQuantityIncrease,
        "--total-increase-percent", `${thresholds.totalIncreasePercent} %`], { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(r.code, 0, show(r));
      assert.deepEqual(filesIn(dir), ["comparison.json", "failures.json"]);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, "failures.json"), "utf8")), []);
      const out = JSON.parse(readFileSync(join(dir, "comparison.json"), "utf8"));
      assert.deepEqual(Object.keys(out), ["comparison", "previous", "current", "failures", "skipped"]);
      assert.deepEqual(out.failures, []);
      assert.deepEqual(out.skipped.sort(), mock.dataset.orgs.filter((o) => !o.enabled).map((o) => o.id).sort());

      const expected = expectedComparison(new Set(), 1, 0, thresholds);
      assertComparisonRows(new Map(out.comparison.rows.map((row) => {
        const cells = jsonCells(row);
        return [rowKey(cells), cells];
      })), expected);
      const totalCells = (t) => [t.organizationId, t.organizationName, t.currency, cell(t.previous), cell(t.current), cell(t.change), cell(t.percent), t.complete];
      assert.deepEqual(out.comparison.totals.map(totalCells).sort(), [...expected.totals.values()].map(totalCells).sort());
      const counts = {};
      for (const a of out.comparison.alerts) {
        counts[a.code] = (counts[a.code] ?? 0) + 1;
        assert.ok(enabled.some((o) => o.id === a.organizationId) && a.currency && a.message, JSON.stringify(a));
      }
      assert.deepEqual(counts, expected.alerts);
      assert.deepEqual(summaryAlerts(r.stderr), expected.alerts);
      assert.ok(expected.alerts.overage > 0 && expected.alerts.overage < byDefault.alerts.overage, "the thresholds matter");
      assert.ok(expected.alerts.total_increase > 0, "an org at the --total-increase-percent threshold is alerted");
      // Both periods' invoices, as a partner run of each would write them.
      for (const [side, period] of [["previous", 1], ["current", 0]]) {
        const want = expectedPartner(new Set(), period);
        assert.deepEqual(Object.keys(out[side]), ["lines", "totals", "warnings"]);
        assert.deepEqual(out[side].totals.map((t) => ({ organizationId: t.organizationId, currency: t.currency, amount: canon(t.amount), complete: t.complete })),
          want.totals, side);
        assert.equal(out[side].lines.length, want.lineCount, side);
        assert.deepEqual(summaryTotals(r.stderr, `genesys-billing: totals, billing period ${period}: `), want.byCurrency);
      }
      assert.match(r.stderr, new RegExp(`compared ${enabled.length} customer orgs \\(billing period 1 with 0\\), 0 failed`));

      // --quiet, no --format (comparison-csv) and --out -: the CSV on stdout; on stderr only the alert counts.
      const q = await cli(node, ["partner", ...at(), "--compare-with", "1", "--quiet", "--out", "-"], { env: as(CLIENTS.clean), cwd: dir });
      assert.equal(q.code, 0, show(q));
      assertComparisonRows(comparisonCsvRows(q.stdout), byDefault);
      assert.deepEqual(summaryAlerts(q.stderr), byDefault.alerts);
      assert.equal(q.stderr.trimEnd().split("\n").length, 1, q.stderr);
      assert.deepEqual(filesIn(dir), ["comparison.json", "failures.json"]);
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
        [["partner", ...at(), "--period", "1001"], /--period "1001".*up to 1000/],
        [["partner", ...at(), "--compare-with", "2", "--format", "csv"], /--format "csv" does not go with --compare-with: a comparison takes --format comparison-csv \(the default\) or json/],
        [["partner", ...at(), "--compare-with", "2", "--format", "xero"], /--format "xero" does not go with --compare-with/],
        [["partner", ...at(), "--format", "comparison-csv"], /--format comparison-csv needs --compare-with M/],
        [["partner", ...at(), "--period", "1", "--compare-with", "1"], /--compare-with "1": it is --period 1 itself; it takes a whole number up to 1000: an earlier billing period/],
        [["partner", ...at(), "--compare-with", "0"], /--compare-with "0": it is the default --period 0 itself/],
        [["partner", ...at(), "--period", "2", "--compare-with", "1"], /--compare-with "1": it is later than --period 2/],
        [["partner", ...at(), "--compare-with", "last"], /--compare-with "last" is not valid; it takes a whole number up to 1000/],
        [["partner", ...at(), "--overage-amount", "100"], /--overage-amount is for comparisons: add --compare-with M/],
        [["partner", ...at(), "--compare-with", "1", "--overage-amount", "12,5"], /--overage-amount "12,5": .*plain decimal.*; it takes a decimal amount/],
        [["partner", ...at(), "--compare-with", "1", "--overage-quantity-increase", "lots"], /--overage-quantity-increase "lots": .*; it takes a decimal quantity/],
        [["partner", ...at(), "--compare-with", "1", "--total-increase-percent=-5"], /--total-increase-percent "-5": .*negative; it takes a decimal percentage/],
        [["partner", ...at(), "--compare-with", "1", "--format", "json", "--allow-unpriced"], /--allow-unpriced is for --format focus, stripe, xero or quickbooks .*, not json/],
        [[...usage, "--compare-with", "1"], /--compare-with is for `genesys-billing partner`, not `usage`/],
        [[...usage, "--format", "comparison-csv"], /--format comparison-csv needs --compare-with M \(`genesys-billing partner/],
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
