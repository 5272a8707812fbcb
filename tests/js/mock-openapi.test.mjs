// Every kind of answer of the mock Genesys Cloud server conforms to tests/mock/billing-openapi.json,
// and the validator used for that does reject non-conforming answers.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMock } from '../mock/genesys-mock.mjs';
import { createValidator, loadSpec } from '../mock/openapi-validate.mjs';
import { OCTOBER, api, createToken, overviewPath } from '../mock/http-helpers.mjs';

const validator = createValidator();
let mock;
let enabled;
let disabled;

before(async () => {
  mock = await startMock({ port: 0, orgs: 12, usages: 9, seed: 3, failingOrgs: 0, currencies: ['USD', 'EUR', 'JPY', 'KWD', 'GBP'] });
  enabled = mock.dataset.orgs.filter((org) => org.enabled);
  disabled = mock.dataset.orgs.filter((org) => !org.enabled);
});
after(() => mock.close());

function assertConforms(path, res) {
  const errors = validator.validateResponse({ path, status: res.status, headers: res.headers, body: res.text });
  assert.deepEqual(errors, [], `GET ${path} -> ${res.status} does not conform:\n${errors.join('\n')}`);
}

// An ErrorBody that conforms, carries the HTTP status and code, and whose contextId is the
// ININ-Correlation-ID header.
async function assertError(path, token, status, code) {
  const res = await api(mock, path, token);
  assert.equal(res.status, status, `GET ${path}: ${res.text}`);
  assertConforms(path, res);
  const body = res.json();
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  assert.equal(body.contextId, res.headers['inin-correlation-id']);
  return res;
}

describe('the spec copy', () => {
  test('is a self-contained OpenAPI 3.0 document with the paths the mock serves', () => {
    const spec = loadSpec();
    assert.match(spec.openapi, /^3\.0\./);
    for (const path of ['/api/v2/billing/reports/billableusage', '/api/v2/billing/trusteebillingoverview/{trustorOrgId}',
      '/api/v2/orgauthorization/trustors', '/api/v2/organizations/me']) {
      assert.ok(spec.paths[path]?.get, `${path} is in the spec`);
    }
    const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 50);
    for (const ref of new Set(refs)) {
      const target = JSON.parse(`{${ref}}`).$ref;
      assert.match(target, /^#\//, `${target} is local`);
      const resolved = target.slice(2).split('/').reduce((node, part) => node?.[part], spec);
      assert.ok(resolved, `${target} resolves`);
    }
  });
});

describe('successful answers conform', () => {
  test('GET /api/v2/organizations/me', async () => {
    const res = await api(mock, '/api/v2/organizations/me', mock.staticToken);
    assert.equal(res.status, 200);
    assertConforms('/api/v2/organizations/me', res);
    assert.equal(res.json().version, 1);
  });

  test('GET /api/v2/orgauthorization/trustors, every page of several page sizes', async () => {
    for (const pageSize of [1, 5, 12, 25, 500]) {
      const pageCount = Math.ceil(mock.dataset.orgs.length / pageSize);
      for (let pageNumber = 1; pageNumber <= pageCount + 1; pageNumber++) {
        const path = `/api/v2/orgauthorization/trustors?pageSize=${pageSize}&pageNumber=${pageNumber}`;
        const res = await api(mock, path, mock.staticToken);
        assert.equal(res.status, 200);
        assertConforms(path, res);
      }
    }
    assertConforms('/api/v2/orgauthorization/trustors', await api(mock, '/api/v2/orgauthorization/trustors', mock.staticToken));
  });

  test('GET /api/v2/billing/trusteebillingoverview/{id}, every enabled org, four periods', async () => {
    for (const org of enabled) {
      for (const periodIndex of [undefined, 1, 2, 3]) {
        const path = overviewPath(org.id, periodIndex);
        const res = await api(mock, path, mock.staticToken);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assertConforms(path, res);
      }
    }
  });

  test('GET /api/v2/billing/reports/billableusage, InProgress then Complete', async () => {
    const token = await createToken(mock, { inProgressPolls: 1 });
    const first = await api(mock, OCTOBER, token);
    assert.equal(first.json().status, 'InProgress');
    assertConforms(OCTOBER, first);
    const second = await api(mock, OCTOBER, token);
    assert.equal(second.json().status, 'Complete');
    assert.ok(second.json().usages.length > 0);
    assertConforms(OCTOBER, second);
  });
});

describe('every ErrorBody conforms', () => {
  test('400 invalid.date and invalid.value', async () => {
    const token = mock.staticToken;
    await assertError('/api/v2/billing/reports/billableusage?startDate=2026-10-01&endDate=2026-10-31T00:00:00Z', token, 400, 'invalid.date');
    await assertError('/api/v2/billing/reports/billableusage?endDate=2026-10-31T00:00:00Z', token, 400, 'invalid.date');
    await assertError('/api/v2/billing/reports/billableusage?startDate=2026-02-30T00:00:00Z&endDate=2026-03-31T00:00:00Z', token, 400, 'invalid.date');
    await assertError('/api/v2/billing/reports/billableusage?startDate=2026-11-01T00:00:00Z&endDate=2026-10-01T00:00:00Z', token, 400, 'invalid.value');
    await assertError(overviewPath(enabled[0].id, -1), token, 400, 'invalid.value');
    await assertError(overviewPath(enabled[0].id, 'abc'), token, 400, 'invalid.value');
    await assertError('/api/v2/orgauthorization/trustors?pageSize=0', token, 400, 'invalid.value');
    await assertError('/api/v2/orgauthorization/trustors?pageNumber=x', token, 400, 'invalid.value');
  });

  test('401 authentication.required and bad.credentials', async () => {
    await assertError('/api/v2/organizations/me', undefined, 401, 'authentication.required');
    await assertError('/api/v2/organizations/me', 'not-a-token', 401, 'bad.credentials');
    const token = await createToken(mock, { unauthorized: true });
    await assertError(OCTOBER, token, 401, 'bad.credentials');
  });

  test('403 missing.any.permissions and not.authorized', async () => {
    const token = await createToken(mock, { forbiddenOrgs: [enabled[0].id] });
    await assertError(overviewPath(enabled[0].id), token, 403, 'missing.any.permissions');
    assert.ok(disabled.length > 0);
    await assertError(overviewPath(disabled[0].id), token, 403, 'not.authorized');
  });

  test('404 not.found', async () => {
    await assertError(overviewPath('00000000-0000-4000-8000-000000000000'), mock.staticToken, 404, 'not.found');
  });

  test('429 too.many.requests, scripted and from the rate limit', async () => {
    const scripted = await createToken(mock, { status429: { count: 1, retryAfter: 7 } });
    const res = await assertError('/api/v2/organizations/me', scripted, 429, 'too.many.requests');
    assert.equal(res.headers['retry-after'], '7');

    const limited = await createToken(mock, { ratePerMinute: 1 });
    assert.equal((await api(mock, '/api/v2/organizations/me', limited)).status, 200);
    const over = await assertError('/api/v2/organizations/me', limited, 429, 'too.many.requests');
    assert.deepEqual(over.json().limit, { key: 'token.rate.per.minute', namespace: 'platform.api', value: 1 });
  });

  test('5xx: 500, 503 and 504 as declared; 502 (undeclared) against the ErrorBody schema', async () => {
    for (const [status, code] of [[500, 'internal.server.error'], [503, 'service.unavailable'], [504, 'request.timeout']]) {
      const token = await createToken(mock, { status5xx: { count: 1, status } });
      await assertError(overviewPath(enabled[0].id), token, status, code);
    }
    const token = await createToken(mock, { status5xx: { count: 1, status: 502 } });
    const res = await api(mock, OCTOBER, token);
    assert.equal(res.status, 502);
    assert.deepEqual(validator.validateResponse({ path: OCTOBER, status: 502, headers: res.headers, body: res.text }),
      ['status 502 is not declared for GET /api/v2/billing/reports/billableusage']);
    assert.deepEqual(validator.validateSchema('ErrorBody', res.json()), []);
    assert.equal(res.json().code, 'bad.gateway');
  });

  test('other statuses from failOrgs', async () => {
    const statuses = [408, 409, 413, 415, 500, 503, 504];
    const failOrgs = Object.fromEntries(statuses.map((status, i) => [enabled[i].id, status]));
    const token = await createToken(mock, { failOrgs });
    for (const [id, status] of Object.entries(failOrgs)) {
      const res = await api(mock, overviewPath(id), token);
      assert.equal(res.status, status);
      assertConforms(overviewPath(id), res);
    }
  });
});

describe('the validator rejects what does not conform', () => {
  const path = (id) => overviewPath(id);
  const json = { 'content-type': 'application/json', 'inin-correlation-id': 'x' };
  const overview = () => enabled[0].overview(0);
  const check = (body, status = 200, headers = json, at = path(enabled[0].id)) =>
    validator.validateResponse({ path: at, status, headers, body: JSON.stringify(body) });
  const rejects = (errors, pattern) => {
    assert.ok(errors.length > 0, 'validation must fail');
    assert.ok(errors.some((e) => pattern.test(e)), `an error matches ${pattern}: ${errors.join('; ')}`);
  };

  test('a genuine overview passes (the baseline of the cases below)', () => {
    assert.deepEqual(check(overview()), []);
  });

  test('an overview without usages', () => {
    const body = overview();
    delete body.usages;
    rejects(check(body), /must have required property 'usages'/);
  });

  test('a quantity sent as a number, a price as a number', () => {
    const body = overview();
    body.usages[0].usageQuantity = 12;
    rejects(check(body), /usages\/0\/usageQuantity must be string/);
    const priced = overview();
    priced.usages.find((u) => u.overagePrice).overagePrice = 23.74;
    rejects(check(priced), /overagePrice must be string/);
  });

  test('an undeclared field, an unknown subscriptionType, a date without zone', () => {
    rejects(check({ ...overview(), invoiceTotal: '10.00' }), /must NOT have additional properties 'invoiceTotal'/);
    rejects(check({ ...overview(), subscriptionType: 'PAYG' }), /subscriptionType must be equal to one of the allowed values/);
    rejects(check({ ...overview(), billingPeriodStartDate: '2026-10-01T00:00:00' }), /billingPeriodStartDate must match format "date-time"/);
    rejects(check({ ...overview(), billingPeriodEndDate: '2026-10-31' }), /billingPeriodEndDate must match format "date-time"/);
  });

  test('a trustor without enabled, an organization without version, a usage without totalUsage', () => {
    const page = '/api/v2/orgauthorization/trustors';
    const trustor = structuredClone(enabled[0].trustor);
    delete trustor.enabled;
    rejects(check({ entities: [trustor], pageSize: 25, pageNumber: 1, total: 1 }, 200, json, page), /entities\/0 must have required property 'enabled'/);
    const me = structuredClone(mock.dataset.partnerOrg.organization);
    delete me.version;
    rejects(check(me, 200, json, '/api/v2/organizations/me'), /must have required property 'version'/);
    const report = mock.dataset.usageReport('2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z');
    delete report.usages[0].totalUsage;
    rejects(check(report, 200, json, OCTOBER), /usages\/0 must have required property 'totalUsage'/);
  });

  test('ErrorBody with a string status or an unknown limit namespace', () => {
    rejects(check({ message: 'x', code: 'not.found', status: '404' }, 404), /status must be integer/);
    rejects(check({ code: 'too.many.requests', status: 429, limit: { namespace: 'billing' } }, 429, { ...json, 'retry-after': '1' }),
      /limit\/namespace must be equal to one of the allowed values/);
  });

  test('a 429 with a missing or non-integer Retry-After', () => {
    const body = { code: 'too.many.requests', status: 429 };
    rejects(check(body, 429), /header Retry-After missing/);
    rejects(check(body, 429, { ...json, 'retry-after': 'soon' }), /header Retry-After: "soon" is not an integer/);
  });

  test('an undeclared status, a wrong content type, a truncated body, a missing correlation id', () => {
    rejects(check(overview(), 418), /status 418 is not declared/);
    rejects(check(overview(), 200, { ...json, 'content-type': 'text/html' }), /content type "text\/html" is not declared/);
    const text = JSON.stringify(overview());
    rejects(validator.validateResponse({ path: path(enabled[0].id), status: 200, headers: json, body: text.slice(0, text.length / 2) }), /body is not JSON/);
    rejects(check(overview(), 200, { 'content-type': 'application/json' }), /header ININ-Correlation-ID missing/);
  });

  test('OpenAPI nullable is honoured', () => {
    const spec = { openapi: '3.0.3', paths: {}, components: { schemas: { Thing: { type: 'object', properties: { a: { type: 'string', nullable: true }, b: { type: 'string' } } } } } };
    const v = createValidator(spec);
    assert.deepEqual(v.validateSchema('Thing', { a: null, b: 'x' }), []);
    rejects(v.validateSchema('Thing', { b: null }), /Thing\/b must be string/);
  });
});
