// Behaviour of the mock Genesys Cloud server: dataset, paging, auth, CORS, OAuth (implicit,
// PKCE and client credentials), scenario fault modes, rate limit, stats, control API and CLI.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { buildDataset, startMock } from '../mock/genesys-mock.mjs';
import { SUBSCRIPTION_TYPES } from '../mock/dataset.mjs';
import { OCTOBER, api, createToken, getStats, overviewPath, pkcePair, postForm, request, sleep } from '../mock/http-helpers.mjs';

const MOCK_PATH = fileURLToPath(new URL('../mock/genesys-mock.mjs', import.meta.url));
const DECIMAL = /^\d+(\.\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ME = '/api/v2/organizations/me';
const TRUSTORS = '/api/v2/orgauthorization/trustors';

// The default demo server: 20 orgs, 8 usages, 3 failing orgs for the static token.
let mock;
let enabled;
before(async () => {
  mock = await startMock({ port: 0 });
  enabled = mock.dataset.orgs.filter((org) => org.enabled);
});
after(() => mock.close());

describe('dataset', () => {
  const snapshot = (dataset) => JSON.stringify({
    partner: dataset.partnerOrg,
    orgs: dataset.orgs.map((org) => ({ trustor: org.trustor, periods: [0, 1, 2, 13].map((p) => org.overview(p)) })),
    usage: dataset.usageReport('2026-10-01T00:00:00Z', '2026-10-31T23:59:59.999Z'),
  });

  test('is deterministic: the same options give identical JSON, another seed does not', () => {
    const options = { seed: 42, orgs: 30, usages: 10, currencies: ['USD', 'EUR', 'JPY', 'KWD', 'GBP'] };
    assert.equal(snapshot(buildDataset(options)), snapshot(buildDataset({ ...options })));
    assert.notEqual(snapshot(buildDataset(options)), snapshot(buildDataset({ ...options, seed: 43 })));
    assert.equal(snapshot(buildDataset()), snapshot(mock.dataset));
  });

  test('the server answers what buildDataset computes', async () => {
    const expected = buildDataset();
    const org = expected.orgs.find((o) => o.enabled && !mock.defaultScenario.forbiddenOrgs.includes(o.id)
      && !mock.defaultScenario.truncatedOrgs.includes(o.id) && !(o.id in mock.defaultScenario.failOrgs));
    for (const periodIndex of [0, 4]) {
      const res = await api(mock, overviewPath(org.id, periodIndex), mock.staticToken);
      assert.deepEqual(res.json(), org.overview(periodIndex));
    }
    assert.deepEqual((await api(mock, ME, mock.staticToken)).json(), expected.partnerOrg.organization);
    assert.deepEqual((await api(mock, OCTOBER, mock.staticToken)).json(),
      expected.usageReport('2026-10-01T00:00:00.000Z', '2026-10-31T23:59:59.999Z'));
  });

  test('holds every case an invoice computation must handle', () => {
    const { orgs } = mock.dataset;
    assert.equal(orgs.length, 20);
    assert.equal(new Set(orgs.map((o) => o.name)).size, 20, 'names are unique');
    assert.ok(orgs.some((o) => /[&,]/.test(o.name)) && orgs.some((o) => /[^\x00-\x7f]/.test(o.name)), 'names with &, comma or non-ASCII letters');
    for (const org of orgs) assert.match(org.id, UUID);
    assert.deepEqual([...new Set(orgs.map((o) => o.currency))], ['USD', 'EUR', 'JPY', 'KWD']);
    assert.deepEqual(new Set(orgs.map((o) => o.subscriptionType)), new Set(SUBSCRIPTION_TYPES));

    const overviews = orgs.map((o) => o.overview(0));
    const usages = overviews.flatMap((o) => o.usages);
    assert.equal(usages.length, 20 * 8);
    for (const u of usages) {
      for (const field of ['usageQuantity', 'prepayQuantity', 'prepayPrice', 'overagePrice', 'bundleQuantity']) {
        if (u[field] !== undefined) assert.match(u[field], DECIMAL, `${field} ${u[field]}`);
      }
    }
    const n = (s) => Number(s);
    const has = (label, predicate) => assert.ok(usages.some(predicate), label);
    has('usage 0 and prepay 0', (u) => u.usageQuantity === '0' && u.prepayQuantity === '0');
    has('prepay > usage', (u) => n(u.prepayQuantity) > n(u.usageQuantity));
    has('usage > prepay (overage)', (u) => n(u.usageQuantity) > n(u.prepayQuantity) && n(u.prepayQuantity) > 0);
    has('no prepayPrice with a prepay quantity', (u) => u.prepayPrice === undefined && n(u.prepayQuantity) > 0);
    has('no overagePrice with an overage', (u) => u.overagePrice === undefined && n(u.usageQuantity) > n(u.prepayQuantity));
    has('no price at all', (u) => u.prepayPrice === undefined && u.overagePrice === undefined);
    has('a fractional quantity', (u) => u.usageQuantity.includes('.'));
    has('a sub-cent price', (u) => /\.\d{4,}$/.test(u.overagePrice ?? ''));
    has('minutes', (u) => u.unitOfMeasureType === 'minute' && u.name === 'Genesys Cloud Voice minutes');
    has('a third-party add-on', (u) => u.isThirdParty === true);
    has('Genesys Cloud CX 3 Concurrent User', (u) => u.name === 'Genesys Cloud CX 3 Concurrent User' && u.partNumber === 'PC-170-NV-CX3CU'
      && u.grouping === 'billable-license' && u.unitOfMeasureType === 'seat');
    assert.ok(overviews.every((o) => o.usages.some((u) => u.grouping === 'billable-license')), 'every org has a core license');
    assert.ok(overviews.some((o) => o.minimumMonthlyAmount !== undefined && DECIMAL.test(o.minimumMonthlyAmount)));
    assert.ok(overviews.some((o) => o.minimumMonthlyAmount === undefined));
    assert.ok(overviews.some((o) => /\.999Z$/.test(o.billingPeriodEndDate)) && overviews.some((o) => /:59Z$/.test(o.billingPeriodEndDate)));
    assert.ok(overviews.some((o) => o.billingPeriodStartDate === '2026-10-01T00:00:00Z'));
    const jpySeats = overviews.filter((o) => o.currency === 'JPY').flatMap((o) => o.usages.filter((u) => u.unitOfMeasureType === 'seat'));
    assert.ok(jpySeats.length > 0);
    for (const u of jpySeats) assert.match(`${u.prepayPrice ?? '0'} ${u.overagePrice ?? '0'}`, /^\d+ \d+$/, 'JPY seat prices have no decimals');
    const kwdSeat = overviews.find((o) => o.currency === 'KWD').usages.find((u) => u.unitOfMeasureType === 'seat' && u.overagePrice);
    assert.match(kwdSeat.overagePrice, /^\d+\.\d{3}$/, 'KWD prices have three decimals');
  });

  test('about one org in ten is disabled, whatever failingOrgs is', async () => {
    assert.equal(mock.dataset.orgs.filter((o) => !o.enabled).length, 2);
    const other = await startMock({ port: 0, failingOrgs: 0 });
    try {
      assert.deepEqual(other.dataset.orgs.map((o) => o.trustor), mock.dataset.orgs.map((o) => o.trustor));
    } finally {
      await other.close();
    }
  });

  test('billingPeriodIndex shifts the period back by months and changes quantities', () => {
    for (const org of mock.dataset.orgs) {
      const [now, before1, before12] = [0, 1, 12].map((p) => org.overview(p));
      const month = (iso) => iso.slice(0, 7);
      const shift = (iso, months) => {
        const d = new Date(iso);
        return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1)).toISOString().slice(0, 7);
      };
      assert.equal(month(before1.billingPeriodStartDate), shift(now.billingPeriodStartDate, 1));
      assert.equal(month(before12.billingPeriodStartDate), shift(now.billingPeriodStartDate, 12));
      assert.ok(Date.parse(before1.billingPeriodEndDate) < Date.parse(now.billingPeriodStartDate));
      assert.deepEqual(before1.usages.map((u) => [u.name, u.prepayPrice, u.overagePrice, u.prepayQuantity]),
        now.usages.map((u) => [u.name, u.prepayPrice, u.overagePrice, u.prepayQuantity]), 'contract lines stay');
    }
    const quantities = (p) => mock.dataset.orgs.flatMap((org) => org.overview(p).usages.map((u) => u.usageQuantity));
    assert.notDeepEqual(quantities(0), quantities(1));
  });

  test('the usage report lists users or devices and decimal totals', () => {
    const report = mock.dataset.usageReport('2026-10-01T00:00:00Z', '2026-10-31T23:59:59.999Z');
    assert.equal(report.status, 'Complete');
    assert.equal(report.usages.length, 8);
    assert.ok(report.usages.some((u) => u.totalUsage === '0' && u.resources.length === 0));
    for (const usage of report.usages) {
      assert.match(usage.totalUsage, DECIMAL);
      for (const r of usage.resources) {
        assert.match(r.name, /^[a-z]+\.[a-z]+@[a-z-]+\.example$|^[0-9a-f-]{36}$/);
        assert.ok(r.date >= report.startDate && r.date <= report.endDate);
      }
    }
  });

  test('bad options are refused', () => {
    assert.throws(() => buildDataset({ usages: 1000 }), /usages/);
    assert.throws(() => buildDataset({ currencies: ['usd'] }), /currencies/);
    assert.throws(() => buildDataset({ period: '2026-13' }), /period/);
    assert.throws(() => buildDataset().orgs[0].overview(-1), /periodIndex/);
  });
});

describe('trustors paging', () => {
  test('covers all orgs exactly once, following nextUri, for several page sizes', async () => {
    const ids = mock.dataset.orgs.map((o) => o.id);
    for (const pageSize of [1, 3, 7, 20, 25, 500]) {
      const seen = [];
      let path = `${TRUSTORS}?pageSize=${pageSize}&pageNumber=1`;
      let pages = 0;
      while (path) {
        const res = await api(mock, path, mock.staticToken);
        assert.equal(res.status, 200);
        const page = res.json();
        pages++;
        assert.equal(page.pageNumber, pages);
        assert.equal(page.pageSize, pageSize);
        assert.equal(page.total, ids.length);
        assert.equal(page.pageCount, Math.ceil(ids.length / pageSize));
        assert.equal(page.selfUri, path);
        assert.equal(page.firstUri, `${TRUSTORS}?pageSize=${pageSize}&pageNumber=1`);
        assert.equal(page.lastUri, `${TRUSTORS}?pageSize=${pageSize}&pageNumber=${page.pageCount}`);
        assert.equal(page.previousUri, pages > 1 ? `${TRUSTORS}?pageSize=${pageSize}&pageNumber=${pages - 1}` : undefined);
        seen.push(...page.entities.map((t) => t.id));
        path = page.nextUri;
      }
      assert.equal(pages, Math.ceil(ids.length / pageSize));
      assert.deepEqual(seen, ids, `pageSize ${pageSize}`);
    }
  });

  test('defaults to 25 per page; a page past the end is empty; disabled trustors are listed', async () => {
    const page = (await api(mock, TRUSTORS, mock.staticToken)).json();
    assert.equal(page.pageSize, 25);
    assert.equal(page.entities.length, 20);
    assert.equal(page.nextUri, undefined);
    const disabledTrustors = page.entities.filter((t) => t.enabled === false);
    assert.equal(disabledTrustors.length, 2);
    for (const t of page.entities) {
      assert.equal(typeof t.enabled, 'boolean');
      assert.equal(t.organization.id, t.id);
      assert.equal(t.organization.version, 1);
      assert.equal(typeof t.organization.name, 'string');
    }
    const past = (await api(mock, `${TRUSTORS}?pageSize=25&pageNumber=3`, mock.staticToken)).json();
    assert.deepEqual(past.entities, []);
    assert.equal(past.nextUri, undefined);
    assert.equal(past.previousUri, `${TRUSTORS}?pageSize=25&pageNumber=2`);
  });
});

describe('authentication and CORS', () => {
  test('401 without a token or with an unknown one, with a correlation id', async () => {
    for (const [headers, code] of [[{}, 'authentication.required'], [{ Authorization: 'Bearer nope' }, 'bad.credentials'],
      [{ Authorization: 'Basic abc' }, 'authentication.required']]) {
      const res = await request(`${mock.url}${ME}`, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.json().code, code);
      assert.equal(res.json().status, 401);
      assert.match(res.headers['inin-correlation-id'], /^[0-9a-f-]{36}$/);
      assert.equal(res.json().contextId, res.headers['inin-correlation-id']);
      assert.equal(res.headers['content-type'], 'application/json');
    }
  });

  test('the static token works; staticToken can be changed', async () => {
    assert.equal((await api(mock, ME, 'mock-token')).status, 200);
    const other = await startMock({ port: 0, staticToken: 'another-token' });
    try {
      assert.equal((await api(other, ME, 'another-token')).status, 200);
      assert.equal((await api(other, ME, 'mock-token')).status, 401);
    } finally {
      await other.close();
    }
  });

  test('preflight answers 204 with the allowed origin, headers and methods', async () => {
    const res = await request(`${mock.url}${OCTOBER}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:8080');
    assert.equal(res.headers['access-control-allow-headers'], 'Authorization, Content-Type, Accept');
    assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
    assert.match(res.headers['access-control-max-age'], /^\d+$/);
    const control = await request(`${mock.url}/__mock/tokens`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:9' } });
    assert.equal(control.headers['access-control-allow-origin'], 'http://127.0.0.1:9');
  });

  test('answers expose ININ-Correlation-ID and Retry-After, unless hideRetryAfter', async () => {
    const origin = { Origin: 'http://localhost:8080' };
    const res = await api(mock, ME, mock.staticToken, origin);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:8080');
    assert.equal(res.headers['access-control-expose-headers'], 'ININ-Correlation-ID, Retry-After');
    assert.equal((await api(mock, ME, mock.staticToken)).headers['access-control-allow-origin'], '*');
    const hidden = await createToken(mock, { hideRetryAfter: true, status429: { count: 1, retryAfter: 2 } });
    const limited = await api(mock, ME, hidden, origin);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '2');
    assert.equal(limited.headers['access-control-expose-headers'], 'ININ-Correlation-ID');
  });
});

describe('OAuth', () => {
  const redirectUri = 'http://localhost:8080/app/callback.html';
  const authorize = (params) => `${mock.url}/oauth/authorize?${new URLSearchParams(params)}`;

  async function codeFor(challenge, state = 'xyz') {
    const params = { client_id: 'client-1', redirect_uri: redirectUri, response_type: 'code', state, code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await request(authorize(params));
    assert.equal(page.status, 200);
    const res = await postForm(`${mock.url}/oauth/authorize`, { ...params, username: 'someone@example.com' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location);
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(location.hash, '');
    return location.searchParams.get('code');
  }

  const exchange = (code, verifier, overrides = {}) => postForm(`${mock.url}/oauth/token`,
    { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'client-1', redirect_uri: redirectUri, ...overrides });

  test('the login page has a prefilled username and a #mock-sign-in button that posts the parameters back', async () => {
    const res = await request(authorize({ client_id: 'c', redirect_uri: redirectUri, response_type: 'token', state: 'a"<b' }));
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.match(res.text, /<form method="post" action="\/oauth\/authorize">/);
    assert.match(res.text, /<button id="mock-sign-in" type="submit">Sign in<\/button>/);
    assert.match(res.text, /name="username" type="email" value="admin@[a-z-]+\.example"/);
    assert.match(res.text, /name="redirect_uri" value="http:\/\/localhost:8080\/app\/callback.html"/);
    assert.match(res.text, /name="state" value="a&#34;&#60;b"/, 'values are escaped');
  });

  test('PKCE: authorize -> code -> token with the right verifier; the token works', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(challenge, 'state with spaces & more');
    const res = await exchange(code, verifier);
    assert.equal(res.status, 200, res.text);
    const body = res.json();
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal((await api(mock, ME, body.access_token)).status, 200);
  });

  test('PKCE: a wrong verifier fails, a replayed code fails, mismatched client or redirect fails', async () => {
    const { verifier, challenge } = pkcePair();
    const wrong = await exchange(await codeFor(challenge), pkcePair().verifier);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json().error, 'invalid_grant');

    const code = await codeFor(challenge);
    assert.equal((await exchange(code, verifier)).status, 200);
    const replay = await exchange(code, verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.json().error, 'invalid_grant');

    for (const overrides of [{ client_id: 'client-2' }, { redirect_uri: 'http://localhost:8080/other' }, { code_verifier: 'short' }]) {
      const res = await exchange(await codeFor(challenge), verifier, overrides);
      assert.equal(res.status, 400, JSON.stringify(overrides));
      assert.equal(res.json().error, 'invalid_grant');
    }
    const grant = await exchange(await codeFor(challenge), verifier, { grant_type: 'password' });
    assert.equal(grant.status, 400);
    assert.equal(grant.json().error, 'unsupported_grant_type');
  });

  test('the token endpoint answers browsers cross-origin', async () => {
    const { verifier, challenge } = pkcePair();
    const res = await request(`${mock.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost:8080' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: await codeFor(challenge), code_verifier: verifier, client_id: 'client-1', redirect_uri: redirectUri }).toString(),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:8080');
  });

  test('implicit grant: the token, state, expiry and type come back in the fragment', async () => {
    const res = await postForm(`${mock.url}/oauth/authorize`, { client_id: 'client-1', redirect_uri: `${redirectUri}?keep=1`, response_type: 'token', state: 's 1/2' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location);
    assert.equal(location.search, '?keep=1');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get('state'), 's 1/2');
    assert.equal(fragment.get('expires_in'), '86400');
    assert.equal(fragment.get('token_type'), 'bearer');
    assert.match(location.hash, /state=s%201%2F2/, 'percent-encoded');
    const token = fragment.get('access_token');
    assert.equal((await api(mock, ME, token)).status, 200);
    // OAuth tokens get the default scenario: the failing orgs fail for them too.
    const forbidden = await api(mock, overviewPath(mock.defaultScenario.forbiddenOrgs[0]), token);
    assert.equal(forbidden.status, 403);
  });

  test('bad authorize requests answer a 400 page', async () => {
    const { challenge } = pkcePair();
    const base = { client_id: 'c', redirect_uri: redirectUri, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' };
    const bad = [
      { ...base, client_id: undefined },
      { ...base, redirect_uri: undefined },
      { ...base, redirect_uri: 'not a url' },
      { ...base, redirect_uri: 'javascript:alert(1)' },
      { ...base, response_type: 'id_token' },
      { ...base, code_challenge: undefined },
      { ...base, code_challenge_method: 'plain' },
      { ...base, code_challenge_method: undefined },
    ].map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
    for (const params of bad) {
      const page = await request(authorize(params));
      assert.equal(page.status, 400, JSON.stringify(params));
      assert.match(page.text, /id="mock-error"/);
      const post = await postForm(`${mock.url}/oauth/authorize`, params);
      assert.equal(post.status, 400);
      assert.equal(post.headers.location, undefined);
    }
  });
});

describe('OAuth client credentials', () => {
  const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const grant = (authorization, fields = { grant_type: 'client_credentials' }, headers = {}) => request(`${mock.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(authorization && { Authorization: authorization }), ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  test('the default client (mock-client / mock-secret) gets a bearer token with the default scenario', async () => {
    assert.deepEqual(mock.clientCredentials, [{ clientId: 'mock-client', clientSecret: 'mock-secret' }]);
    const res = await grant(basic('mock-client', 'mock-secret'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    assert.match(body.access_token, /^[A-Za-z0-9_-]{20,}$/);
    assert.equal((await api(mock, ME, body.access_token)).status, 200);
    // Like the authorization-code tokens: the failing orgs fail for it too.
    assert.equal((await api(mock, overviewPath(mock.defaultScenario.forbiddenOrgs[0]), body.access_token)).status, 403);
    const again = (await grant(basic('mock-client', 'mock-secret'))).json().access_token;
    assert.notEqual(again, body.access_token, 'a new token per grant');
    assert.equal((await api(mock, ME, again)).status, 200);
  });

  test('a wrong or missing secret, an unknown client or no Basic header: 401 invalid_client, nothing echoed', async () => {
    const cases = {
      'wrong secret': basic('mock-client', 'not-the-secret'),
      'empty secret': basic('mock-client', ''),
      'no secret': `Basic ${Buffer.from('mock-client').toString('base64')}`,
      'unknown client': basic('someone-else', 'mock-secret'),
      'secret as the id': basic('mock-secret', 'mock-client'),
      'bearer instead of basic': `Bearer ${mock.staticToken}`,
      'no header': undefined,
    };
    for (const [label, authorization] of Object.entries(cases)) {
      const res = await grant(authorization);
      assert.equal(res.status, 401, label);
      assert.match(res.headers['www-authenticate'], /^Basic /, label);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['description', 'error', 'error_description'], label);
      assert.equal(body.error, 'invalid_client', label);
      assert.equal(body.description, body.error_description, label);
      assert.match(body.description, /client/, label);
      assert.ok(!res.text.includes('not-the-secret') && !res.text.includes('mock-secret') && !res.text.includes(mock.staticToken), `${label}: nothing sent is echoed`);
    }
    // Credentials in the form instead of the Basic header are not accepted either.
    const inForm = await grant(undefined, { grant_type: 'client_credentials', client_id: 'mock-client', client_secret: 'mock-secret' });
    assert.equal(inForm.status, 401);
    assert.equal(inForm.json().error, 'invalid_client');
  });

  test('another grant type is 400 unsupported_grant_type; a body that is not a form is 400 invalid_request', async () => {
    for (const fields of [{ grant_type: 'password', username: 'u', password: 'p' }, { grant_type: 'refresh_token' }, {}]) {
      const res = await grant(basic('mock-client', 'mock-secret'), fields);
      assert.equal(res.status, 400, JSON.stringify(fields));
      const body = res.json();
      assert.equal(body.error, 'unsupported_grant_type');
      assert.equal(typeof body.description, 'string');
      assert.equal(body.description, body.error_description);
    }
    const json = await grant(basic('mock-client', 'mock-secret'), {}, { 'Content-Type': 'application/json' });
    assert.equal(json.status, 400);
    assert.equal(json.json().error, 'invalid_request');
  });

  test('clients are configurable, each with an optional scenario for its tokens; a secret may contain ":"', async () => {
    const other = await startMock({
      port: 0,
      orgs: 6,
      clientCredentials: [
        { clientId: 'job', clientSecret: 's3cret:with:colons' },
        { clientId: 'clean-job', clientSecret: 'x', scenario: {} },
        { clientId: 'slow-job', clientSecret: 'y', scenario: { slowMs: 150 } },
      ],
    });
    try {
      const token = async (id, secret) => {
        const res = await request(`${other.url}/oauth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(id, secret) },
          body: 'grant_type=client_credentials',
        });
        return { status: res.status, token: res.status === 200 ? res.json().access_token : undefined };
      };
      assert.equal((await token('job', 's3cret:with:colons')).status, 200);
      assert.equal((await token('job', 's3cret')).status, 401);
      assert.equal((await token('mock-client', 'mock-secret')).status, 401, 'the default client is replaced');
      const failing = other.defaultScenario.forbiddenOrgs[0];
      const withDefault = (await token('job', 's3cret:with:colons')).token;
      assert.equal((await api(other, overviewPath(failing), withDefault)).status, 403);
      const clean = (await token('clean-job', 'x')).token;
      assert.equal((await api(other, overviewPath(failing), clean)).status, 200, 'scenario {}: no failing orgs');
      const slow = (await token('slow-job', 'y')).token;
      const started = Date.now();
      assert.equal((await api(other, ME, slow)).status, 200);
      assert.ok(Date.now() - started >= 140, "the slow client's tokens are slow");
    } finally {
      await other.close();
    }
    const bad = [
      { clientId: 'a:b', clientSecret: 'x' },
      { clientId: '', clientSecret: 'x' },
      { clientId: 'a', clientSecret: '' },
      [{ clientId: 'a', clientSecret: 'x' }, { clientId: 'a', clientSecret: 'y' }],
      { clientId: 'a', clientSecret: 'x', scenario: { slowMs: -1 } },
      'mock-client',
    ];
    for (const clientCredentials of bad) {
      await assert.rejects(startMock({ port: 0, clientCredentials }), /clientCredentials/, JSON.stringify(clientCredentials));
    }
  });
});

describe('scenarios', () => {
  test('status429 then status5xx, in that order, then success', async () => {
    const token = await createToken(mock, { status429: { count: 2, retryAfter: 3 }, status5xx: { count: 2, status: 502 } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api(mock, ME, token));
    assert.deepEqual(answers.map((r) => r.status), [429, 429, 502, 502, 200]);
    assert.equal(answers[0].headers['retry-after'], '3');
    assert.match(answers[0].json().message, /Retry the request in \[3\] seconds/);
    assert.equal(answers[2].headers['retry-after'], undefined);
    const stats = await getStats(mock, token);
    assert.equal(stats.status429, 2);
    assert.equal(stats.status5xx, 2);
    assert.deepEqual(stats.byStatus, { 200: 1, 429: 2, 502: 2 });
  });

  test('status429 without Retry-After, and a daily-quota Retry-After', async () => {
    const none = await api(mock, ME, await createToken(mock, { status429: { count: 1, retryAfter: null } }));
    assert.equal(none.status, 429);
    assert.equal(none.headers['retry-after'], undefined);
    const daily = await api(mock, ME, await createToken(mock, { status429: { count: 1, retryAfter: 3600 } }));
    assert.equal(daily.headers['retry-after'], '3600');
    const defaulted = await api(mock, ME, await createToken(mock, { status429: { count: 1 } }));
    assert.equal(defaulted.headers['retry-after'], '1');
  });

  test('status5xx with each status and an optional Retry-After', async () => {
    for (const status of [500, 502, 503, 504]) {
      const res = await api(mock, OCTOBER, await createToken(mock, { status5xx: { count: 1, status, retryAfter: 5 } }));
      assert.equal(res.status, status);
      assert.equal(res.headers['retry-after'], '5');
    }
  });

  test('inProgressPolls: InProgress with no usages, then Complete; other endpoints do not count', async () => {
    const token = await createToken(mock, { inProgressPolls: 2 });
    await api(mock, ME, token);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const body = (await api(mock, OCTOBER, token)).json();
      statuses.push(body.status);
      if (body.status === 'InProgress') assert.deepEqual(body.usages, []);
    }
    assert.deepEqual(statuses, ['InProgress', 'InProgress', 'Complete']);
  });

  test('unauthorized: every API call answers 401', async () => {
    const token = await createToken(mock, { unauthorized: true });
    for (const path of [ME, TRUSTORS, OCTOBER, overviewPath(enabled[0].id)]) {
      const res = await api(mock, path, token);
      assert.equal(res.status, 401);
      assert.equal(res.json().code, 'bad.credentials');
    }
  });

  test('forbiddenOrgs and forbiddenOrgCount (the first N enabled orgs)', async () => {
    const message = 'You are not authorized to perform the requested action. You must have at least one of the following permissions assigned: [affiliateOrganization:clientBilling:view]';
    const token = await createToken(mock, { forbiddenOrgCount: 2, forbiddenOrgs: [enabled[5].id] });
    const statuses = [];
    for (const org of enabled.slice(0, 6)) {
      const res = await api(mock, overviewPath(org.id), token);
      statuses.push(res.status);
      if (res.status === 403) {
        assert.equal(res.json().code, 'missing.any.permissions');
        assert.equal(res.json().message, message);
      }
    }
    assert.deepEqual(statuses, [403, 403, 200, 200, 200, 403]);
  });

  test('truncatedOrgs and truncatedOrgCount (the last N enabled orgs): 200 with half a JSON body', async () => {
    const last = enabled.at(-1);
    const token = await createToken(mock, { truncatedOrgCount: 1, truncatedOrgs: [enabled[0].id] });
    for (const org of [enabled[0], last]) {
      const res = await api(mock, overviewPath(org.id, 1), token);
      assert.equal(res.status, 200);
      const full = JSON.stringify(org.overview(1));
      assert.equal(res.text, full.slice(0, Math.floor(full.length / 2)));
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
      assert.throws(() => JSON.parse(res.text), SyntaxError);
    }
    const untouched = await api(mock, overviewPath(enabled[1].id), token);
    assert.equal(untouched.status, 200);
    assert.deepEqual(untouched.json(), enabled[1].overview(0));
  });

  test('failOrgs: that org answers that status', async () => {
    const failOrgs = { [enabled[0].id]: 503, [enabled[1].id]: 404, [enabled[2].id]: 429, [enabled[3].id]: 500 };
    const token = await createToken(mock, { failOrgs });
    for (const [id, status] of Object.entries(failOrgs)) {
      const res = await api(mock, overviewPath(id), token);
      assert.equal(res.status, status);
      assert.equal(res.json().status, status);
    }
    assert.equal((await api(mock, overviewPath(enabled[4].id), token)).status, 200);
  });

  test('the default scenario (failingOrgs 3) fails three enabled orgs in different ways', async () => {
    const outcomes = [];
    for (const org of mock.dataset.orgs) {
      const res = await api(mock, overviewPath(org.id), mock.staticToken);
      let kind = String(res.status);
      if (res.status === 200) {
        try { JSON.parse(res.text); kind = 'ok'; } catch { kind = 'truncated'; }
      }
      if (res.status === 403) kind = res.json().code;
      outcomes.push(kind);
    }
    const counts = outcomes.reduce((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
    assert.deepEqual(counts, { ok: 15, 'not.authorized': 2, 'missing.any.permissions': 1, 500: 1, truncated: 1 });
    const four = await startMock({ port: 0, failingOrgs: 4 });
    try {
      assert.equal(Object.values(four.defaultScenario.failOrgs).sort().join(), '404,500');
    } finally {
      await four.close();
    }
  });

  test('slowMs delays every answer, errors included', async () => {
    const token = await createToken(mock, { slowMs: 150, status429: { count: 1 } });
    for (const expected of [429, 200]) {
      const started = performance.now();
      const res = await api(mock, ME, token);
      assert.equal(res.status, expected);
      assert.ok(performance.now() - started >= 140, `${expected} was delayed`);
    }
  });

  test('ratePerMinute with timeScale: a sliding window per token, Retry-After in real seconds', async () => {
    // timeScale 60: a "minute" lasts one second.
    const token = await createToken(mock, { ratePerMinute: 5, timeScale: 60 });
    const other = await createToken(mock, { ratePerMinute: 5, timeScale: 60 });
    const first = [];
    for (let i = 0; i < 7; i++) first.push((await api(mock, ME, token)).status);
    assert.deepEqual(first, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal((await api(mock, ME, other)).status, 200, 'the limit is per token');
    const limited = await api(mock, ME, token);
    assert.equal(limited.headers['retry-after'], '1');
    assert.equal(limited.json().limit.value, 5);
    await sleep(1050);
    assert.equal((await api(mock, ME, token)).status, 200, 'slots free up after the window');

    const slow = await createToken(mock, { ratePerMinute: 2 });
    await api(mock, ME, slow);
    await api(mock, ME, slow);
    const retryAfter = Number((await api(mock, ME, slow)).headers['retry-after']);
    assert.ok(retryAfter >= 59 && retryAfter <= 60, `Retry-After ${retryAfter} for an unscaled minute`);
  });

  test('invalid scenarios are refused with 400', async () => {
    for (const scenario of [
      { statusCode: 500 },
      { status429: 3 },
      { status429: { count: -1 } },
      { status429: { count: 1, wait: 2 } },
      { status5xx: { count: 1, status: 501 } },
      { forbiddenOrgs: ['no-such-org'] },
      { failOrgs: { [enabled[0].id]: 200 } },
      { slowMs: 'fast' },
      { timeScale: 0 },
      { hideRetryAfter: 'yes' },
      [],
    ]) {
      const res = await request(`${mock.url}/__mock/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scenario }) });
      assert.equal(res.status, 400, JSON.stringify(scenario));
      assert.equal(res.json().error, 'invalid_scenario');
    }
    const broken = await request(`${mock.url}/__mock/tokens`, { method: 'POST', body: '{' });
    assert.equal(broken.status, 400);
  });
});

describe('stats and control API', () => {
  test('maxConcurrent counts parallel requests in flight, slow delay included', async () => {
    const token = await createToken(mock, { slowMs: 300 });
    const started = performance.now();
    const pending = Array.from({ length: 6 }, (_, i) => api(mock, overviewPath(enabled[i].id), token));
    await sleep(150);
    const during = await getStats(mock, token);
    assert.equal(during.inFlight, 6);
    await Promise.all(pending);
    assert.ok(performance.now() - started >= 290);
    const stats = await getStats(mock, token);
    assert.equal(stats.maxConcurrent, 6);
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.requests, 6);
    assert.equal(stats.overviewRequests, 6);
    assert.equal(Object.keys(stats.overviewByOrg).length, 6);

    const reset = await request(`${mock.url}/__mock/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    assert.equal(reset.status, 204);
    for (let i = 0; i < 3; i++) await api(mock, ME, token);
    const sequential = await getStats(mock, token);
    assert.equal(sequential.maxConcurrent, 1);
    assert.equal(sequential.requests, 3);
    assert.deepEqual(sequential.byPath, { [ME]: 3 });
  });

  test('stats are per token; startMock().stats agrees with GET /__mock/stats', async () => {
    const a = await createToken(mock);
    const b = await createToken(mock);
    await api(mock, ME, a);
    await api(mock, TRUSTORS, a);
    await api(mock, ME, b);
    assert.equal((await getStats(mock, a)).requests, 2);
    assert.equal((await getStats(mock, b)).requests, 1);
    assert.deepEqual(mock.stats(a), await getStats(mock, a));
    assert.ok(mock.stats().requests >= 3, 'global stats count every API request');
    assert.equal((await request(`${mock.url}/__mock/stats?token=unknown`)).status, 404);
    assert.throws(() => mock.stats('unknown'), /unknown token/);
  });

  test('reset restarts scenario progress; a global reset clears every token', async () => {
    const token = await createToken(mock, { status429: { count: 1 } });
    assert.equal((await api(mock, ME, token)).status, 429);
    assert.equal((await api(mock, ME, token)).status, 200);
    await request(`${mock.url}/__mock/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    assert.equal((await api(mock, ME, token)).status, 429, 'the 429 count starts again');
    const isolated = await startMock({ port: 0, orgs: 2, failingOrgs: 0 });
    try {
      const t = await createToken(isolated);
      await api(isolated, ME, t);
      assert.equal((await request(`${isolated.url}/__mock/reset`, { method: 'POST' })).status, 204);
      assert.equal((await getStats(isolated, t)).requests, 0);
      assert.equal((await getStats(isolated)).requests, 0);
    } finally {
      await isolated.close();
    }
  });

  test('unknown paths and methods', async () => {
    const res = await api(mock, '/api/v2/billing/nothing', mock.staticToken);
    assert.equal(res.status, 404);
    assert.equal(res.json().code, 'not.found');
    const post = await request(`${mock.url}${ME}`, { method: 'POST', headers: { Authorization: `Bearer ${mock.staticToken}` } });
    assert.equal(post.status, 405);
    assert.equal((await request(`${mock.url}/elsewhere`)).status, 404);
  });

  test('only loopback hosts are accepted', async () => {
    await assert.rejects(startMock({ port: 0, host: '0.0.0.0' }), /loopback/);
    await assert.rejects(startMock({ port: 0, failingOrgs: 100 }), /failingOrgs/);
  });
});

describe('CLI', () => {
  function run(args) {
    const child = spawn(process.execPath, [MOCK_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => { output.stdout += chunk; });
    child.stderr.on('data', (chunk) => { output.stderr += chunk; });
    return { child, output };
  }

  async function listening({ child, output }) {
    while (!output.stdout.includes('\n')) {
      await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => { throw new Error(`exited: ${output.stderr}`); })]);
    }
    return output.stdout.split('\n')[0];
  }

  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`prints one line, serves, never prints the token, exits cleanly on ${signal}`, async () => {
      const secret = 'cli-secret-token-123';
      const clientSecret = 'cli-client-secret-456';
      const proc = run(['--port', '0', '--orgs', '4', '--usages', '3', '--currencies', 'CHF,SEK', '--seed', '9', '--failing-orgs', '1', '--token', secret,
        '--client-id', 'cron-job', '--client-secret', clientSecret]);
      const line = await listening(proc);
      const m = /^genesys-mock listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      assert.ok(m, line);
      const cli = { url: m[1] };
      const trustors = (await api(cli, TRUSTORS, secret)).json();
      assert.equal(trustors.total, 4);
      const expected = buildDataset({ orgs: 4, usages: 3, currencies: ['CHF', 'SEK'], seed: 9 });
      assert.deepEqual(trustors.entities, expected.orgs.map((o) => o.trustor));
      assert.equal((await api(cli, overviewPath(expected.orgs[1].id), secret)).json().currency, 'SEK');
      const { verifier, challenge } = pkcePair();
      const location = (await postForm(`${cli.url}/oauth/authorize`, { client_id: 'c', redirect_uri: 'http://localhost/cb', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' })).headers.location;
      const issued = (await postForm(`${cli.url}/oauth/token`, { grant_type: 'authorization_code', code: new URL(location).searchParams.get('code'), code_verifier: verifier, client_id: 'c', redirect_uri: 'http://localhost/cb' })).json().access_token;
      assert.equal((await api(cli, ME, issued)).status, 200);
      const grant = (id, secret) => request(`${cli.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      assert.equal((await grant('mock-client', 'mock-secret')).status, 401, '--client-id/--client-secret replace the default client');
      assert.equal((await grant('cron-job', 'wrong')).status, 401);
      const granted = (await grant('cron-job', clientSecret)).json().access_token;
      assert.equal((await api(cli, ME, granted)).status, 200);

      proc.child.kill(signal);
      const [code] = await once(proc.child, 'close');
      assert.equal(code, 0);
      assert.equal(proc.output.stdout, `${line}\n`, 'exactly one line');
      for (const text of [proc.output.stdout, proc.output.stderr]) {
        assert.ok(!text.includes(secret) && !text.includes(issued) && !text.includes(granted), 'no token printed');
        assert.ok(!text.includes(clientSecret), 'no client secret printed');
      }
    });
  }

  test('bad arguments exit with status 2 and a message', async () => {
    for (const args of [['--orgs', 'many'], ['--host', '0.0.0.0', '--port', '0'], ['--unknown']]) {
      const proc = run(args);
      const [code] = await once(proc.child, 'close');
      assert.equal(code, 2, args.join(' '));
      assert.match(proc.output.stderr, /^genesys-mock: /);
    }
  });
});
