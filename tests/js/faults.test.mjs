// The fault matrix, end to end through the built package in Node against the
// mock server: for each fault mode, one org and a partner run over 50+ orgs
// account for every org, retries stay inside the budget, and an abort in the
// middle of a run leaves no request running. Plus the token's boundaries: it
// never follows a redirect to another host and never appears in an error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { existsSync } from "node:fs";
import { startMock } from "../mock/genesys-mock.mjs";

const pkgEntry = new URL("../../pkg/node/index.mjs", import.meta.url);
let BillingClient;
let mock;
let enabled;

const MAX_ATTEMPTS = 4;

before(async () => {
  assert.ok(existsSync(pkgEntry), "pkg/ is missing: run `make build` first");
  ({ BillingClient } = await import(pkgEntry));
  mock = await startMock({ port: 0, orgs: 60, failingOrgs: 0 });
  enabled = mock.dataset.orgs.filter((o) => o.enabled).map((o) => o.id);
  assert.ok(enabled.length >= 50, `need 50 enabled orgs, have ${enabled.length}`);
});

after(() => mock?.close());

async function tokenFor(scenario) {
  const r = await fetch(`${mock.url}/__mock/tokens`, { method: "POST", body: JSON.stringify({ scenario }) });
  return (await r.json()).token;
}

async function stats(token) {
  return (await fetch(`${mock.url}/__mock/stats?token=${encodeURIComponent(token)}`)).json();
}

function client(token) {
  return new BillingClient({ accessToken: token, apiBaseUrl: mock.url, maxAttempts: MAX_ATTEMPTS, retryBaseDelayMs: 2 });
}

// Each fault mode, with what a single overview call must give. Counts are
// kept below the budget where the fault is meant to be survived.
const FAULTS = [
  { name: "none", scenario: {}, single: "ok" },
  { name: "429 burst with Retry-After", scenario: { status429: { count: 3, retryAfter: 0 } }, single: "ok" },
  { name: "429 burst without Retry-After", scenario: { status429: { count: 3, retryAfter: null } }, single: "ok" },
  { name: "429 with a daily-quota Retry-After", scenario: { status429: { count: 1000, retryAfter: 3600 } }, single: "rate_limited" },
  { name: "503s within the budget", scenario: { status5xx: { count: 2, status: 503 } }, single: "ok" },
  { name: "502s beyond the budget", scenario: { status5xx: { count: 100000, status: 502 } }, single: "retries_exhausted" },
  { name: "slow answers", scenario: { slowMs: 20 }, single: "ok" },
  { name: "401", scenario: { unauthorized: true }, single: "token_expired" },
  { name: "403 for some orgs", scenario: { forbiddenOrgCount: 10 }, single: "forbidden" },
  { name: "truncated JSON for some orgs", scenario: { truncatedOrgCount: 10 }, single: "invalid_json", org: "last" },
  { name: "a per-minute rate limit", scenario: { ratePerMinute: 30, timeScale: 60 }, single: "ok" },
];

for (const fault of FAULTS) {
  test(`fault matrix: ${fault.name}`, async () => {
    // One org.
    const t1 = await tokenFor(fault.scenario);
    const org = fault.org === "last" ? enabled.at(-1) : enabled[0];
    let code = "ok";
    try {
      await client(t1).trusteeBillingOverview(org);
    } catch (e) {
      code = e.code;
      assert.equal(e.organizationId, org);
      assert.ok(!e.message.includes(t1), "the token is not in the message");
    }
    assert.equal(code, fault.single);
    const s1 = await stats(t1);
    assert.ok(s1.requests <= MAX_ATTEMPTS, `one call made ${s1.requests} requests`);

    // A partner run.
    const t2 = await tokenFor(fault.scenario);
    let result;
    let runError;
    try {
      result = await client(t2).partnerInvoices({ concurrency: 4 });
    } catch (e) {
      runError = e;
    }
    const s2 = await stats(t2);
    if (runError) {
      // Only the trustor listing can fail a whole run; then nothing was fetched per org.
      assert.ok(["token_expired", "rate_limited", "retries_exhausted"].includes(runError.code), runError.code);
      assert.equal(s2.overviewRequests, 0);
    } else {
      const invoiced = new Set(result.invoice.totals.map((t) => t.organizationId));
      const failed = result.failures.map((f) => f.organizationId);
      assert.equal(invoiced.size + failed.length, enabled.length, "every enabled org is invoiced or failed");
      for (const id of enabled) assert.ok(invoiced.has(id) !== failed.includes(id), `org ${id} exactly once`);
      for (const f of result.failures) assert.ok(!f.message.includes(t2));
    }
    const pages = 1;
    assert.ok(s2.requests <= (enabled.length + pages) * MAX_ATTEMPTS, `${s2.requests} requests exceed the retry budget`);
    assert.equal(s2.inFlight, 0);
  });
}

test("an abort in the middle of a partner run stops it and leaves no request running", async () => {
  const token = await tokenFor({ slowMs: 1000 });
  const controller = new AbortController();
  const started = Date.now();
  const run = client(token).partnerInvoices({
    concurrency: 4,
    signal: controller.signal,
    onProgress: ({ done }) => {
      if (done >= 4) controller.abort();
    },
  });
  await assert.rejects(run, (e) => e.code === "aborted");
  const elapsed = Date.now() - started;
  // The trustor list and the first 4 answers take 1 s each; the abort then
  // cuts the next 4, which would otherwise be answered a second later.
  assert.ok(elapsed < 2800, `took ${elapsed} ms`);
  // The mock counts a request in flight until its connection closes: within
  // a moment of the abort, long before the slow answers were due.
  await new Promise((r) => setTimeout(r, 250));
  const s = await stats(token);
  assert.equal(s.inFlight, 0);
  assert.ok(s.overviewRequests < enabled.length, `${s.overviewRequests} overviews were requested`);
});

test("the token never follows a redirect to another host", async () => {
  const seen = [];
  const other = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? null);
    res.end("{}");
  });
  await new Promise((r) => other.listen(0, "127.0.0.1", r));
  const redirector = http.createServer((req, res) => {
    res.writeHead(302, { location: `http://localhost:${other.address().port}${req.url}` });
    res.end();
  });
  await new Promise((r) => redirector.listen(0, "127.0.0.1", r));
  try {
    const c = new BillingClient({ accessToken: "secret-token-123", apiBaseUrl: `http://127.0.0.1:${redirector.address().port}` });
    await assert.rejects(c.trustors(), (e) => e.code === "network_error" && !e.message.includes("secret-token-123"));
    assert.deepEqual(seen, [], "nothing reached the other host");
  } finally {
    other.close();
    redirector.close();
  }
});

test("the client only talks to the configured origin over https, or http on loopback", () => {
  assert.throws(() => new BillingClient({ accessToken: "t", apiBaseUrl: "http://example.com" }), (e) => e.code === "invalid_base_url");
  assert.throws(() => new BillingClient({ accessToken: "t", region: "example.com" }), (e) => e.code === "unknown_region");
  assert.equal(new BillingClient({ accessToken: "t", region: "eu-west-1" }).apiBaseUrl, "https://api.mypurecloud.ie");
});
