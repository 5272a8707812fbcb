#!/usr/bin/env node
// Part 3 of `make bench`: the partner fan-out against the mock Genesys Cloud under a per-token
// rate limit of 300 requests per minute.
//
//   node benches/fanout.mjs [--runs 5] [--time-scale 10] [--extra-scales 4] [--orgs 1000]
//        [--out target/bench/fanout.json]
//
// The mock (tests/mock/genesys-mock.mjs, `--orgs 1000 --failing-orgs 0`, in its own process)
// issues one token per run with the scenario {ratePerMinute: 300, timeScale: k}: a sliding
// window of 300 requests per 60/k seconds. k = 10 makes the "minute" 6 s, so a run of ~910
// requests (10 trustor pages + 900 enabled orgs) takes ~20 s instead of ~3 min. The mock's
// Retry-After is in REAL whole seconds (ceil, at least 1) until the oldest request leaves the
// window, so a client that honours it gets the speed-up, but its one-second granularity weighs
// k times more against the window than it would against a real minute; --extra-scales runs
// once at other k to show that effect.
//
// The package's BillingClient.partnerInvoices (default options: concurrency 4) fetches every
// overview, once with the pacer (requestsPerMinute = 300 × k) and once without (0), alternating. globalThis.fetch is wrapped (the client calls the global fetch) to record the time,
// status and Retry-After of every answer. Reported per run: accepted requests per (scaled)
// minute as a fraction of the limit, 429s received, orgs lost (enabled orgs missing from the
// invoice or in `failures`), the pauses the client took and how much of each was spent after the
// window had already freed up.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'time-scale': { type: 'string', default: '10' },
    'extra-scales': { type: 'string', default: '' },
    orgs: { type: 'string', default: '1000' },
    concurrency: { type: 'string' },
    out: { type: 'string', default: 'target/bench/fanout.json' },
  },
});
const RUNS = Number(values.runs);
const SCALE = Number(values['time-scale']);
const EXTRA = values['extra-scales'].split(',').filter(Boolean).map(Number);
const LIMIT = 300;
const log = (...a) => console.error('[fanout]', ...a);
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

// BENCH_PKG=DIR: a copy of pkg/ (see benches/js/load-wasm.mjs).
const { BillingClient } = await import(process.env.BENCH_PKG ? (await import('node:url')).pathToFileURL((await import('node:path')).resolve(process.env.BENCH_PKG, 'node/index.mjs')).href : '../pkg/node/index.mjs');

// The mock, in its own process so that its work does not share the client's event loop.
const mockPath = fileURLToPath(new URL('../tests/mock/genesys-mock.mjs', import.meta.url));
const mock = spawn(process.execPath, [mockPath, '--port', '0', '--orgs', values.orgs, '--failing-orgs', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockUrl = await new Promise((resolve, reject) => {
  let buf = '';
  mock.stdout.on('data', (d) => {
    buf += d;
    const m = /listening on (\S+)/.exec(buf);
    if (m) resolve(m[1]);
  });
  mock.once('exit', (code) => reject(new Error(`mock exited with ${code}`)));
});
const stopMock = () => { if (mock.exitCode === null) mock.kill('SIGTERM'); };
process.once('exit', stopMock);

const realFetch = globalThis.fetch;
let answers = null;
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  if (answers) answers.push({ t: performance.now(), status: res.status, retryAfter: res.headers.get('retry-after') });
  return res;
};

async function control(path, body) {
  const res = await realFetch(`${mockUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

// Every enabled org, with the static token (no scenario, no limit).
const trustors = await new BillingClient({ accessToken: 'mock-token', apiBaseUrl: mockUrl, requestsPerMinute: 0 }).trustors();
const enabled = new Set(trustors.filter((t) => t.enabled).map((t) => t.organization.id));

// paced: the client's pacer at the limit, scaled like the mock's minute (300 × k per real
// minute); unpaced: requestsPerMinute 0, the client meets the limit's 429s and waits them out.
async function run(scale, paced) {
  const windowMs = 60000 / scale;
  const { token } = await control('/__mock/tokens', { scenario: { ratePerMinute: LIMIT, timeScale: scale } });
  const client = new BillingClient({ accessToken: token, apiBaseUrl: mockUrl, requestsPerMinute: paced ? LIMIT * scale : 0 });
  answers = [];
  const opts = values.concurrency ? { concurrency: Number(values.concurrency) } : {};
  const t0 = performance.now();
  const result = await client.partnerInvoices(opts);
  const elapsedMs = performance.now() - t0;
  const seen = answers;
  answers = null;
  const stats = await control(`/__mock/stats?token=${encodeURIComponent(token)}`);

  const invoiced = new Set(result.invoice.totals.map((t) => t.organizationId));
  const lost = [...enabled].filter((id) => !invoiced.has(id)).length;
  const accepted = stats.requests - stats.status429;
  const perScaledMinute = accepted / (elapsedMs / windowMs);

  // Pauses: a run of 429s, then the next accepted answer. Waste: time from the moment the
  // window had a free slot again (the oldest accepted request within the window + window) to
  // the next accepted answer.
  const okTimes = seen.filter((a) => a.status !== 429).map((a) => a.t);
  const pauses = [];
  for (let i = 0; i < seen.length; i++) {
    if (seen[i].status !== 429) continue;
    const first = seen[i];
    let j = i;
    while (j + 1 < seen.length && seen[j + 1].status === 429) j++;
    const next = seen.slice(j + 1).find((a) => a.status !== 429);
    const inWindow = okTimes.filter((t) => t <= first.t && t > first.t - windowMs);
    const freeAt = inWindow.length ? inWindow[0] + windowMs : first.t;
    pauses.push({
      at: first.t - t0,
      count429: j - i + 1,
      retryAfter: [...new Set(seen.slice(i, j + 1).map((a) => a.retryAfter))].join(','),
      pauseMs: next ? next.t - first.t : null,
      afterFreeMs: next ? next.t - freeAt : null,
    });
    i = j;
  }
  result.invoice.free();
  client.free();
  return {
    paced,
    timeScale: scale,
    windowMs,
    elapsedMs,
    requests: stats.requests,
    accepted,
    status429: stats.status429,
    byStatus: stats.byStatus,
    maxConcurrent: stats.maxConcurrent,
    fractionOfLimit: perScaledMinute / LIMIT,
    enabledOrgs: enabled.size,
    invoicedOrgs: invoiced.size,
    failures: result.failures.length,
    skipped: result.skipped.length,
    lost,
    pauses,
  };
}

// Paced and unpaced runs alternate, so both see the same machine.
const results = [];
const unpacedResults = [];
const describe = (res) => `${res.accepted} accepted in ${(res.elapsedMs / 1000).toFixed(1)} s = ${(100 * res.fractionOfLimit).toFixed(1)} % of the limit; ${res.status429} x 429; lost ${res.lost}`;
for (let r = 0; r < RUNS; r++) {
  for (const paced of [true, false]) {
    const res = await run(SCALE, paced);
    (paced ? results : unpacedResults).push(res);
    log(`k=${SCALE} ${paced ? 'paced  ' : 'unpaced'} run ${r + 1}/${RUNS}: ${describe(res)}; pauses ${res.pauses.map((p) => `${(p.pauseMs / 1000).toFixed(2)}s(RA ${p.retryAfter}, +${(p.afterFreeMs / 1000).toFixed(2)}s after free)`).join(' ')}`);
  }
}
const extra = [];
for (const k of EXTRA) {
  for (const paced of [true, false]) {
    const res = await run(k, paced);
    extra.push(res);
    log(`k=${k} ${paced ? 'paced' : 'unpaced'} (1 run): ${describe(res)}`);
  }
}
stopMock();
const medians = (rs) => ({
  fractionOfLimit: median(rs.map((r) => r.fractionOfLimit)),
  elapsedMs: median(rs.map((r) => r.elapsedMs)),
  status429: median(rs.map((r) => r.status429)),
  maxStatus429: Math.max(...rs.map((r) => r.status429)),
  lost: Math.max(...rs.map((r) => r.lost + r.failures)),
});
const summary = {
  limitPerMinute: LIMIT,
  timeScale: SCALE,
  runs: RUNS,
  concurrency: values.concurrency ? Number(values.concurrency) : 'default (4)',
  // `median` is the paced client (the default); `unpaced` the same runs with requestsPerMinute 0.
  median: medians(results),
  unpaced: medians(unpacedResults),
  results,
  unpacedResults,
  extra,
  loadavg: loadavg(),
};
writeFileSync(values.out, JSON.stringify(summary, null, 2));
log(`wrote ${values.out}`);
process.exit(0);
