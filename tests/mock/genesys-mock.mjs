#!/usr/bin/env node
// Local mock of the Genesys Cloud billing API and login host, for tests, the demo page and the
// benchmark. Node built-ins only. Responses follow tests/mock/billing-openapi.json (checked by
// tests/js/mock-openapi.test.mjs). API and login are served on one origin.
//
// USE
//   node tests/mock/genesys-mock.mjs [--port 18787] [--host 127.0.0.1] [--orgs 20] [--usages 8]
//        [--currencies USD,EUR,JPY,KWD] [--seed 1] [--failing-orgs 3] [--token mock-token]
//        [--period 2026-10] [--client-id mock-client] [--client-secret mock-secret]
//   prints one line "genesys-mock listening on http://127.0.0.1:PORT", exits on SIGTERM/SIGINT.
//   --port 0 picks a free port. Only loopback hosts are accepted.
//
//   import { startMock, buildDataset } from './genesys-mock.mjs';
//   const mock = await startMock({ port: 0, orgs: 5 });   // same options, camelCase
//   mock.url; mock.port; mock.staticToken; mock.dataset; mock.defaultScenario;
//   mock.clientCredentials (array of {clientId, clientSecret, scenario?});
//   mock.stats(token?); await mock.close();
//
// OPTIONS (startMock; CLI flag in brackets)
//   port 0 [--port, default 18787]   host '127.0.0.1' [--host]
//   orgs 20 [--orgs]                 customer (trustor) orgs; about 1 in 10 is disabled
//   usages 8 [--usages]              usage lines per org (at most the catalog size)
//   currencies [USD,EUR,JPY,KWD] [--currencies]   cycled over the orgs
//   seed 1 [--seed]                  the dataset is a pure function of these options
//   period '2026-10' [--period]      month of billingPeriodIndex 0 (fixed, not the clock)
//   failingOrgs 3 [--failing-orgs]   enabled orgs that fail for the default scenario, in turn:
//                                    403 missing.any.permissions, 500, truncated JSON, 404
//   staticToken 'mock-token' [--token]  always-valid bearer token with the default scenario
//   clientCredentials {clientId: 'mock-client', clientSecret: 'mock-secret'} [--client-id,
//                                    --client-secret]   the OAuth client(s) of type Client
//                                    Credentials: one {clientId, clientSecret, scenario?} or an
//                                    array of them (distinct clientIds, no ':' in a clientId). A
//                                    client's `scenario` (POST /__mock/tokens format) is that of
//                                    the tokens it is issued; without one, the default scenario.
//
// TOKENS
//   Valid bearer tokens: staticToken, tokens issued by the OAuth endpoints (both use the
//   default scenario, i.e. the failingOrgs faults, unless a client-credentials client has its
//   own scenario) and tokens from POST /__mock/tokens (their own scenario). Each token has its
//   own stats and scenario progress, so concurrent tests do not interfere. Tokens and client
//   secrets are never logged.
//
// API (JSON, ININ-Correlation-ID header on every answer, ErrorBody.contextId = that id)
//   GET /api/v2/billing/reports/billableusage?startDate&endDate   BillingUsageReport of the
//       partner org. Dates must be full ISO-8601 date-times, else 400 invalid.date;
//       startDate after endDate: 400 invalid.value.
//   GET /api/v2/billing/trusteebillingoverview/{trustorOrgId}?billingPeriodIndex=N
//       TrusteeBillingOverview; N in 0..1200 (else 400 invalid.value); unknown org: 404
//       not.found; disabled trustor: 403 not.authorized.
//   GET /api/v2/orgauthorization/trustors?pageSize=25&pageNumber=1   TrustorEntityListing;
//       pageSize 1..500, pageNumber >= 1, else 400 invalid.value.
//   GET /api/v2/organizations/me   the partner Organization.
//   No token: 401 authentication.required; unknown token: 401 bad.credentials.
//   CORS: OPTIONS answers 204 for any path; every answer has Access-Control-Allow-Origin
//   (the request Origin, or *); API answers expose ININ-Correlation-ID and Retry-After.
//
// OAUTH (as on login.{region}; PKCE only with S256)
//   GET  /oauth/authorize?client_id&redirect_uri&response_type=token|code&state
//        &code_challenge&code_challenge_method=S256   HTML login page; the form (button
//        #mock-sign-in) POSTs the same parameters to /oauth/authorize, which answers 302 to
//        redirect_uri: token -> #access_token&expires_in=86400&token_type=bearer&state,
//        code -> ?code&state. Bad parameters: 400 HTML page.
//   POST /oauth/token (form: grant_type=authorization_code, code, code_verifier, client_id,
//        redirect_uri) -> {access_token, token_type: "bearer", expires_in}. A code is
//        consumed by its first exchange attempt, right or wrong; failures answer 400
//        {error: "invalid_grant", error_description}.
//   POST /oauth/token (form: grant_type=client_credentials; header Authorization: Basic
//        base64(clientId:clientSecret), as Genesys Cloud takes it) -> the same 200 answer,
//        expires_in 86400. No or unreadable Basic credentials, an unknown client or a wrong
//        secret: 401 {error: "invalid_client", description, error_description} with
//        WWW-Authenticate: Basic (the answer never says which part was wrong, nor echoes it).
//   POST /oauth/token with any other grant_type (or none): 400 {error: "unsupported_grant_type",
//        description, error_description}. A body that is not a form (either grant): 400
//        {error: "invalid_request", message}.
//
// CONTROL API (for tests; no auth, CORS enabled)
//   POST /__mock/tokens {"scenario": {...}}  -> 201 {"token"}; a bad scenario -> 400.
//   GET  /__mock/stats?token=T  -> that token's stats (404 if unknown); without token: all API
//        requests, authenticated or not. Stats: {requests, byPath (by path template), byStatus,
//        maxConcurrent, inFlight, status429, status5xx, overviewRequests, overviewByOrg}.
//        A request is in flight from arrival until its response ends (slowMs included).
//   POST /__mock/reset [{"token": T}]  -> 204; clears the stats and scenario progress (429/5xx
//        counts, InProgress polls, rate-limit window) of that token, or of all tokens.
//
// SCENARIO FIELDS (all optional and composable; parsed by SCENARIO_FIELDS below). For each API
// request of a token, in this order:
//   unauthorized: true              every API call answers 401 bad.credentials
//   status429: {count, retryAfter}  the first `count` API requests answer 429
//                                   too.many.requests; Retry-After: retryAfter seconds
//                                   (default 1, up to 604800 for daily-quota cases; null: no header)
//   status5xx: {count, status, retryAfter}  the next `count` requests answer `status`
//                                   (500|502|503|504, default 503); Retry-After only if given
//   ratePerMinute: N, timeScale: k  sliding window: at most N requests per 60000/k ms; a request
//                                   beyond it answers 429 with ErrorBody.limit and Retry-After =
//                                   ceil(REAL seconds until the oldest request leaves the
//                                   window), at least 1 (HTTP semantics: a client that honours
//                                   it gets the speed-up). Rejected requests do not use a slot.
//   slowMs: N                       every API answer (errors too) is delayed by N ms
//   inProgressPolls: N              the first N billableusage answers have status "InProgress"
//                                   and usages []
//   forbiddenOrgs: [id] / forbiddenOrgCount: N (the first N enabled orgs)
//                                   overview answers 403 missing.any.permissions
//   failOrgs: {id: status}          overview answers that status (400..599) with an ErrorBody
//   truncatedOrgs: [id] / truncatedOrgCount: N (the LAST N enabled orgs, so it composes with
//                                   forbiddenOrgCount)   overview answers 200 with the first
//                                   half of its JSON body
//   hideRetryAfter: true            Retry-After is not listed in Access-Control-Expose-Headers

import http from 'node:http';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DATASET_DEFAULTS, MAX_PERIOD_INDEX, buildDataset } from './dataset.mjs';

export { buildDataset } from './dataset.mjs';

export const DEFAULTS = Object.freeze({
  ...DATASET_DEFAULTS,
  port: 0,
  host: '127.0.0.1',
  failingOrgs: 3,
  staticToken: 'mock-token',
  clientCredentials: Object.freeze({ clientId: 'mock-client', clientSecret: 'mock-secret' }),
});
const CLI_DEFAULT_PORT = 18787;

const TOKEN_LIFETIME_SECONDS = 86400;
const CODE_LIFETIME_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const TRUSTORS_MAX_PAGE_SIZE = 500;

const PATHS = {
  billableUsage: '/api/v2/billing/reports/billableusage',
  overview: '/api/v2/billing/trusteebillingoverview/{trustorOrgId}',
  trustors: '/api/v2/orgauthorization/trustors',
  me: '/api/v2/organizations/me',
};

// ErrorBody code and message by status: from billing-openapi.json x-inin-error-codes where it
// has them (405, 409, 413 and 502 codes are the mock's own).
const ERRORS = {
  400: ['bad.request', 'The request could not be understood by the server due to malformed syntax.'],
  401: ['bad.credentials', 'Invalid login credentials.'],
  403: ['not.authorized', 'You are not authorized to perform the requested action.'],
  404: ['not.found', 'The requested resource was not found.'],
  405: ['method.not.allowed', 'The HTTP method is not allowed for the requested resource.'],
  408: ['request.timeout', 'The client did not produce a request within the server timeout limit. This can be caused by a slow network connection and/or large payloads.'],
  409: ['conflict', 'The request conflicts with the current state of the target resource.'],
  413: ['request.too.large', `The request is over the size limit. Maximum bytes: ${MAX_BODY_BYTES}`],
  415: ['unsupported.media.type', 'Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.'],
  429: ['too.many.requests', 'Rate limit exceeded the maximum.'],
  500: ['internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.'],
  502: ['bad.gateway', 'The server received an invalid response from an upstream server.'],
  503: ['service.unavailable', 'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).'],
  504: ['request.timeout', 'The request timed out.'],
};
const NO_TOKEN_MESSAGE = 'No authentication bearer token specified in authorization header.';
const FORBIDDEN_MESSAGE = 'You are not authorized to perform the requested action. You must have at least one of the following permissions assigned: [affiliateOrganization:clientBilling:view]';
const INVALID_DATE_MESSAGE = 'Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ';

// ---------------------------------------------------------------------------------------------
// Scenarios

class ScenarioError extends Error {}

const integer = (min, max) => (value, name) => {
  if (!Number.isInteger(value) || value < min || value > max) throw new ScenarioError(`${name} must be an integer in ${min}..${max}`);
  return value;
};
const oneOf = (...allowed) => (value, name) => {
  if (!allowed.includes(value)) throw new ScenarioError(`${name} must be one of ${allowed.join(', ')}`);
  return value;
};
const nullable = (parse) => (value, name, ctx) => (value === null ? null : parse(value, name, ctx));
const flag = (value, name) => {
  if (typeof value !== 'boolean') throw new ScenarioError(`${name} must be true or false`);
  return value;
};
const positive = (value, name) => {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new ScenarioError(`${name} must be a number > 0`);
  return value;
};
const knownOrg = (id, name, ctx) => {
  if (!ctx.orgById.has(id)) throw new ScenarioError(`${name}: unknown org id ${JSON.stringify(id)}`);
  return id;
};
const orgIds = (value, name, ctx) => {
  if (!Array.isArray(value)) throw new ScenarioError(`${name} must be an array of org ids`);
  return value.map((id, i) => knownOrg(id, `${name}[${i}]`, ctx));
};
// An object with the given fields, each optional, filled from `defaults`.
const record = (fields, defaults) => (value, name, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError(`${name} must be an object`);
  const out = { ...defaults };
  for (const [key, field] of Object.entries(value)) {
    if (!Object.hasOwn(fields, key)) throw new ScenarioError(`${name}.${key} is not a known field (known: ${Object.keys(fields).join(', ')})`);
    out[key] = fields[key](field, `${name}.${key}`, ctx);
  }
  return out;
};

// To add a fault mode: add its parser here and its default in compileScenario(), act on it in
// answerApi() or a route handler, and document it in the header comment.
const SCENARIO_FIELDS = {
  unauthorized: flag,
  status429: record({ count: integer(0, 1e6), retryAfter: nullable(integer(0, 604800)) }, { count: 0, retryAfter: 1 }),
  status5xx: record({ count: integer(0, 1e6), status: oneOf(500, 502, 503, 504), retryAfter: nullable(integer(0, 604800)) },
    { count: 0, status: 503, retryAfter: null }),
  ratePerMinute: integer(1, 1e6),
  timeScale: positive,
  slowMs: integer(0, 60000),
  inProgressPolls: integer(0, 1e6),
  forbiddenOrgs: orgIds,
  forbiddenOrgCount: integer(0, 100000),
  failOrgs: (value, name, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError(`${name} must be an object {orgId: status}`);
    return new Map(Object.entries(value).map(([id, status]) => [knownOrg(id, name, ctx), integer(400, 599)(status, `${name}.${id}`)]));
  },
  truncatedOrgs: orgIds,
  truncatedOrgCount: integer(0, 100000),
  hideRetryAfter: flag,
};

function compileScenario(raw, ctx) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScenarioError('scenario must be an object');
  const s = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(SCENARIO_FIELDS, key)) throw new ScenarioError(`unknown scenario field ${JSON.stringify(key)} (known: ${Object.keys(SCENARIO_FIELDS).join(', ')})`);
    s[key] = SCENARIO_FIELDS[key](value, key, ctx);
  }
  const enabled = ctx.enabledIds;
  return {
    unauthorized: s.unauthorized ?? false,
    status429: s.status429 ?? { count: 0 },
    status5xx: s.status5xx ?? { count: 0 },
    ratePerMinute: s.ratePerMinute ?? null,
    windowMs: 60000 / (s.timeScale ?? 1),
    slowMs: s.slowMs ?? 0,
    inProgressPolls: s.inProgressPolls ?? 0,
    forbiddenOrgs: new Set([...(s.forbiddenOrgs ?? []), ...enabled.slice(0, s.forbiddenOrgCount ?? 0)]),
    failOrgs: s.failOrgs ?? new Map(),
    truncatedOrgs: new Set([...(s.truncatedOrgs ?? []), ...(s.truncatedOrgCount ? enabled.slice(-s.truncatedOrgCount) : [])]),
    hideRetryAfter: s.hideRetryAfter ?? false,
  };
}

// The scenario of the static and OAuth tokens: `count` enabled orgs, spread over the list,
// fail in turn with 403, 500, truncated JSON and 404.
function failingOrgsScenario(count, enabledIds) {
  if (count > enabledIds.length) throw new RangeError(`failingOrgs (${count}) exceeds the ${enabledIds.length} enabled orgs`);
  const scenario = {};
  for (let k = 0; k < count; k++) {
    const id = enabledIds[Math.floor(((k + 0.5) * enabledIds.length) / count)];
    switch (k % 4) {
      case 0: (scenario.forbiddenOrgs ??= []).push(id); break;
      case 1: (scenario.failOrgs ??= {})[id] = 500; break;
      case 2: (scenario.truncatedOrgs ??= []).push(id); break;
      default: (scenario.failOrgs ??= {})[id] = 404;
    }
  }
  return scenario;
}

// ---------------------------------------------------------------------------------------------
// Stats

function newStats() {
  return { requests: 0, byPath: {}, byStatus: {}, maxConcurrent: 0, inFlight: 0, status429: 0, status5xx: 0, overviewRequests: 0, overviewByOrg: {} };
}

// In place, because requests still in flight decrement `inFlight` of this same object.
function clearStats(stats) {
  Object.assign(stats, newStats(), { inFlight: stats.inFlight, maxConcurrent: stats.inFlight });
}

function newClient(scenario) {
  return { scenario, stats: newStats(), progress: newProgress() };
}

function newProgress() {
  return { apiCalls: 0, usageCalls: 0, window: [] };
}

function countRequest(statsList, res, pathKey, orgId) {
  for (const stats of statsList) {
    stats.requests++;
    stats.byPath[pathKey] = (stats.byPath[pathKey] ?? 0) + 1;
    if (orgId !== undefined) {
      stats.overviewRequests++;
      stats.overviewByOrg[orgId] = (stats.overviewByOrg[orgId] ?? 0) + 1;
    }
    stats.inFlight++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.inFlight);
  }
  res.once('close', () => { for (const stats of statsList) stats.inFlight--; });
}

function countStatus(statsList, status) {
  for (const stats of statsList) {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (status === 429) stats.status429++;
    if (status >= 500) stats.status5xx++;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

class HttpError extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

function corsHeaders(req) {
  return { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', Vary: 'Origin' };
}

function sendJson(req, res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...corsHeaders(req),
    ...headers,
  });
  res.end(payload);
}

function sendHtml(req, res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...corsHeaders(req),
  });
  res.end(html);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request_too_large', `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req) {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'invalid_json', 'the body must be a JSON object');
  return value;
}

async function readForm(req) {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new HttpError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  return Object.fromEntries(new URLSearchParams(await readBody(req)));
}

function sleep(ms, res) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => { clearTimeout(timer); resolve(); });
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function newToken() {
  return randomBytes(24).toString('base64url');
}

// A full ISO-8601 date-time with a real calendar date: yyyy-MM-ddTHH:mm:ss[.fff](Z|±hh:mm).
function isIsoDateTime(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/.exec(text ?? '');
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s
    && (m[9] === undefined || (Number(m[9]) < 24 && Number(m[10]) < 60));
}

// ---------------------------------------------------------------------------------------------
// API

// An API answer before it is written: {status, body} or {status, raw} (bytes sent as they are)
// or {status, error: {code, message, limit}}; `headers` optional.
const ok = (body) => ({ status: 200, body });
const fail = (status, code = ERRORS[status]?.[0] ?? 'error', message = ERRORS[status]?.[1] ?? `HTTP ${status}`, extra = {}) =>
  ({ status, error: { code, message, ...extra.body }, headers: extra.headers ?? {} });

function tooManyRequests(retryAfter, limit) {
  const message = retryAfter === null ? ERRORS[429][1] : `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`;
  return fail(429, 'too.many.requests', message, {
    body: limit ? { limit } : {},
    headers: retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
  });
}

function matchRoute(pathname) {
  if (pathname === PATHS.billableUsage) return { template: PATHS.billableUsage, handler: billableUsage };
  if (pathname === PATHS.trustors) return { template: PATHS.trustors, handler: trustors };
  if (pathname === PATHS.me) return { template: PATHS.me, handler: organizationMe };
  const m = /^\/api\/v2\/billing\/trusteebillingoverview\/([^/]+)$/.exec(pathname);
  if (m) {
    let orgId;
    try { orgId = decodeURIComponent(m[1]); } catch { orgId = m[1]; }
    return { template: PATHS.overview, handler: overview, orgId };
  }
  return null;
}

async function handleApi(ctx, req, res, url) {
  const correlationId = randomUUID();
  const route = matchRoute(url.pathname);
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const client = token === undefined ? undefined : ctx.clients.get(token);
  const statsList = client ? [ctx.globalStats, client.stats] : [ctx.globalStats];
  countRequest(statsList, res, route?.template ?? url.pathname, route?.orgId);

  let result;
  if (token === undefined) result = fail(401, 'authentication.required', NO_TOKEN_MESSAGE);
  else if (!client) result = fail(401, 'bad.credentials');
  else result = answerApi(ctx, client, req, url, route);

  if (client?.scenario.slowMs) await sleep(client.scenario.slowMs, res);
  if (res.destroyed) return;

  let payload;
  if (result.error) {
    payload = JSON.stringify({ message: result.error.message, code: result.error.code, status: result.status, messageParams: {}, contextId: correlationId, details: [], errors: [], ...(result.error.limit && { limit: result.error.limit }) });
  } else {
    payload = result.raw ?? JSON.stringify(result.body);
  }
  countStatus(statsList, result.status);
  res.writeHead(result.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'ININ-Correlation-ID': correlationId,
    'Cache-Control': 'no-store',
    ...corsHeaders(req),
    'Access-Control-Expose-Headers': client?.scenario.hideRetryAfter ? 'ININ-Correlation-ID' : 'ININ-Correlation-ID, Retry-After',
    ...result.headers,
  });
  res.end(payload);
}

// Scenario faults first (in the documented order), then the route.
function answerApi(ctx, client, req, url, route) {
  const { scenario, progress } = client;
  const call = ++progress.apiCalls;
  if (scenario.unauthorized) return fail(401, 'bad.credentials');
  if (call <= scenario.status429.count) return tooManyRequests(scenario.status429.retryAfter);
  if (call <= scenario.status429.count + scenario.status5xx.count) {
    const { status, retryAfter } = scenario.status5xx;
    return fail(status, undefined, undefined, { headers: retryAfter === null ? {} : { 'Retry-After': String(retryAfter) } });
  }
  if (scenario.ratePerMinute) {
    const now = Date.now();
    const window = progress.window;
    while (window.length && window[0] <= now - scenario.windowMs) window.shift();
    if (window.length >= scenario.ratePerMinute) {
      const retryAfter = Math.max(1, Math.ceil((window[0] + scenario.windowMs - now) / 1000));
      return tooManyRequests(retryAfter, { key: 'token.rate.per.minute', namespace: 'platform.api', value: scenario.ratePerMinute });
    }
    window.push(now);
  }
  if (!route) return fail(404);
  if (req.method !== 'GET') return fail(405);
  return route.handler(ctx, client, url, route);
}

function billableUsage(ctx, client, url) {
  const startDate = url.searchParams.get('startDate');
  const endDate = url.searchParams.get('endDate');
  if (!isIsoDateTime(startDate) || !isIsoDateTime(endDate)) return fail(400, 'invalid.date', INVALID_DATE_MESSAGE);
  if (Date.parse(startDate) > Date.parse(endDate)) return fail(400, 'invalid.value', 'startDate must not be after endDate');
  const report = ctx.dataset.usageReport(startDate, endDate);
  client.progress.usageCalls++;
  if (client.progress.usageCalls <= client.scenario.inProgressPolls) return ok({ ...report, status: 'InProgress', usages: [] });
  return ok(report);
}

function overview(ctx, client, url, { orgId }) {
  const raw = url.searchParams.get('billingPeriodIndex');
  const index = raw === null ? 0 : /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(index <= MAX_PERIOD_INDEX)) {
    return fail(400, 'invalid.value', `Value [${raw}] is not valid for field type [billingPeriodIndex]. Allowable values are: 0..${MAX_PERIOD_INDEX}`);
  }
  const org = ctx.orgById.get(orgId);
  const { scenario } = client;
  if (!org) return fail(404);
  if (!org.enabled) return fail(403, 'not.authorized', 'You are not authorized to perform the requested action. The trust with this organization is disabled.');
  if (scenario.forbiddenOrgs.has(org.id)) return fail(403, 'missing.any.permissions', FORBIDDEN_MESSAGE);
  const status = scenario.failOrgs.get(org.id);
  if (status === 429) return tooManyRequests(1);
  if (status) return fail(status);
  const body = org.overview(index);
  if (scenario.truncatedOrgs.has(org.id)) {
    const json = JSON.stringify(body);
    return { status: 200, raw: json.slice(0, Math.floor(json.length / 2)) };
  }
  return ok(body);
}

function trustors(ctx, client, url) {
  const param = (name, fallback, max) => {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max ? Number(raw) : NaN;
  };
  const pageSize = param('pageSize', 25, TRUSTORS_MAX_PAGE_SIZE);
  const pageNumber = param('pageNumber', 1, 1e9);
  if (Number.isNaN(pageSize)) return fail(400, 'invalid.value', `pageSize must be an integer in 1..${TRUSTORS_MAX_PAGE_SIZE}`);
  if (Number.isNaN(pageNumber)) return fail(400, 'invalid.value', 'pageNumber must be an integer >= 1');

  const orgs = ctx.dataset.orgs;
  const pageCount = Math.ceil(orgs.length / pageSize);
  const uri = (n) => `${PATHS.trustors}?pageSize=${pageSize}&pageNumber=${n}`;
  const listing = {
    entities: orgs.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((org) => org.trustor),
    pageSize,
    pageNumber,
    total: orgs.length,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(Math.max(pageCount, 1)),
    pageCount,
  };
  if (pageNumber < pageCount) listing.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) listing.previousUri = uri(pageNumber - 1);
  return ok(listing);
}

function organizationMe(ctx) {
  return ok(ctx.dataset.partnerOrg.organization);
}

// ---------------------------------------------------------------------------------------------
// OAuth

function authorizeError(params) {
  if (!params.client_id) return 'client_id is required';
  let redirect;
  try { redirect = new URL(params.redirect_uri); } catch { return 'redirect_uri must be an absolute URL'; }
  if (!['http:', 'https:'].includes(redirect.protocol) || redirect.hash) return 'redirect_uri must be an http(s) URL without a fragment';
  if (params.response_type === 'token') return null;
  if (params.response_type !== 'code') return 'response_type must be token or code';
  if (params.code_challenge_method !== 'S256') return 'code_challenge_method=S256 is required for response_type=code';
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge ?? '')) return 'code_challenge must be a base64url SHA-256 digest (43 characters)';
  return null;
}

function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;margin:.5rem 0}input{width:100%;padding:.4rem}button{padding:.5rem 1.5rem}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

const AUTHORIZE_FIELDS = ['client_id', 'redirect_uri', 'response_type', 'state', 'code_challenge', 'code_challenge_method'];

function authorizePage(ctx, req, res, params) {
  const error = authorizeError(params);
  if (error) return sendHtml(req, res, 400, page('Sign-in error', `<p id="mock-error">${escapeHtml(error)}</p>`));
  const hidden = AUTHORIZE_FIELDS.filter((name) => params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name])}">`).join('\n');
  sendHtml(req, res, 200, page('Genesys Cloud (mock) sign in', `<p>Application <code>${escapeHtml(params.client_id)}</code> asks to sign in to ${escapeHtml(ctx.dataset.partnerOrg.name)}.</p>
<form method="post" action="/oauth/authorize">
${hidden}
<label for="mock-username">Email</label>
<input id="mock-username" name="username" type="email" value="admin@${escapeHtml(ctx.dataset.partnerOrg.emailDomain)}">
<button id="mock-sign-in" type="submit">Sign in</button>
</form>`));
}

async function authorizeSubmit(ctx, req, res) {
  const params = await readForm(req);
  const error = authorizeError(params);
  if (error) return sendHtml(req, res, 400, page('Sign-in error', `<p id="mock-error">${escapeHtml(error)}</p>`));
  const target = new URL(params.redirect_uri);
  if (params.response_type === 'token') {
    const token = newToken();
    ctx.clients.set(token, newClient(ctx.defaultScenario));
    const fragment = { access_token: token, expires_in: String(TOKEN_LIFETIME_SECONDS), token_type: 'bearer', ...(params.state !== undefined && { state: params.state }) };
    target.hash = Object.entries(fragment).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  } else {
    const now = Date.now();
    for (const [code, entry] of ctx.codes) if (entry.expiresAt < now) ctx.codes.delete(code);
    const code = newToken();
    ctx.codes.set(code, { clientId: params.client_id, redirectUri: params.redirect_uri, challenge: params.code_challenge, expiresAt: now + CODE_LIFETIME_MS });
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
  }
  res.writeHead(302, { Location: target.href, 'Cache-Control': 'no-store', 'Content-Length': 0, ...corsHeaders(req) });
  res.end();
}

async function tokenExchange(ctx, req, res) {
  const params = await readForm(req);
  const answer = (status, body, headers = {}) => sendJson(req, res, status, body, { Pragma: 'no-cache', ...headers });
  if (params.grant_type === 'client_credentials') return clientCredentialsGrant(ctx, req, answer);
  if (params.grant_type !== 'authorization_code') {
    const description = 'grant_type must be authorization_code or client_credentials';
    return answer(400, { error: 'unsupported_grant_type', description, error_description: description });
  }
  const entry = ctx.codes.get(params.code);
  // Single use: the first exchange attempt consumes the code, whether it succeeds or not.
  ctx.codes.delete(params.code);
  const invalid = (description) => answer(400, { error: 'invalid_grant', error_description: description });
  if (!entry || entry.expiresAt < Date.now()) return invalid('unknown, expired or already used code');
  if (params.client_id !== entry.clientId) return invalid('client_id does not match the authorization request');
  if (params.redirect_uri !== entry.redirectUri) return invalid('redirect_uri does not match the authorization request');
  const verifier = params.code_verifier ?? '';
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return invalid('code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
  if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) return invalid('code_verifier does not match code_challenge');
  const token = newToken();
  ctx.clients.set(token, newClient(ctx.defaultScenario));
  answer(200, { access_token: token, token_type: 'bearer', expires_in: TOKEN_LIFETIME_SECONDS });
}

// The server-side grant: the client authenticates with HTTP Basic (clientId:clientSecret). A
// refusal says neither which part was wrong nor what was sent.
function clientCredentialsGrant(ctx, req, answer) {
  const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const pair = basic === undefined ? '' : Buffer.from(basic, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  const client = colon > 0 ? ctx.credentialClients.get(pair.slice(0, colon)) : undefined;
  if (!client || !sameSecret(client.clientSecret, pair.slice(colon + 1))) {
    const description = basic === undefined
      ? 'client authentication is required: HTTP Basic with the client id and secret'
      : 'invalid client credentials';
    return answer(401, { error: 'invalid_client', description, error_description: description },
      { 'WWW-Authenticate': 'Basic realm="Genesys Cloud (mock)"' });
  }
  const token = newToken();
  ctx.clients.set(token, newClient(client.scenario));
  answer(200, { access_token: token, token_type: 'bearer', expires_in: TOKEN_LIFETIME_SECONDS });
}

function sameSecret(expected, given) {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------
// Control API

async function handleControl(ctx, req, res, url) {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'POST /__mock/tokens') {
    const body = await readJson(req);
    let scenario;
    try {
      scenario = compileScenario(body.scenario ?? {}, ctx);
    } catch (err) {
      if (err instanceof ScenarioError) throw new HttpError(400, 'invalid_scenario', err.message);
      throw err;
    }
    const token = newToken();
    ctx.clients.set(token, newClient(scenario));
    return sendJson(req, res, 201, { token });
  }
  if (route === 'GET /__mock/stats') {
    const token = url.searchParams.get('token');
    if (token === null) return sendJson(req, res, 200, ctx.globalStats);
    const client = ctx.clients.get(token);
    if (!client) throw new HttpError(404, 'unknown_token', 'no such token');
    return sendJson(req, res, 200, client.stats);
  }
  if (route === 'POST /__mock/reset') {
    const { token } = await readJson(req);
    if (token !== undefined) {
      const client = ctx.clients.get(token);
      if (!client) throw new HttpError(404, 'unknown_token', 'no such token');
      resetClient(client);
    } else {
      for (const client of ctx.clients.values()) resetClient(client);
      clearStats(ctx.globalStats);
    }
    res.writeHead(204, corsHeaders(req));
    return res.end();
  }
  throw new HttpError(404, 'not_found', `no control endpoint ${route}`);
}

function resetClient(client) {
  clearStats(client.stats);
  client.progress = newProgress();
}

// ---------------------------------------------------------------------------------------------
// Server

async function handle(ctx, req, res) {
  const url = new URL(req.url, 'http://mock.invalid');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...corsHeaders(req),
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Max-Age': '600',
    });
    return res.end();
  }
  if (url.pathname.startsWith('/api/')) return handleApi(ctx, req, res, url);
  if (url.pathname.startsWith('/__mock/')) return handleControl(ctx, req, res, url);
  if (url.pathname === '/oauth/authorize' && req.method === 'GET') return authorizePage(ctx, req, res, Object.fromEntries(url.searchParams));
  if (url.pathname === '/oauth/authorize' && req.method === 'POST') return authorizeSubmit(ctx, req, res);
  if (url.pathname === '/oauth/token' && req.method === 'POST') return tokenExchange(ctx, req, res);
  throw new HttpError(404, 'not_found', `no endpoint ${req.method} ${url.pathname}`);
}

function isLoopback(host) {
  return /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}

export async function startMock(options = {}) {
  const opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const host = opts.host === 'localhost' ? '127.0.0.1' : opts.host;
  if (!isLoopback(host)) throw new RangeError(`host must be a loopback address, not ${host}`);
  if (typeof opts.staticToken !== 'string' || !/^\S+$/.test(opts.staticToken)) throw new RangeError('staticToken must be a non-empty string without spaces');
  if (!Number.isInteger(opts.failingOrgs) || opts.failingOrgs < 0) throw new RangeError('failingOrgs must be an integer >= 0');
  const credentialList = [opts.clientCredentials].flat();
  for (const c of credentialList) {
    if (typeof c !== 'object' || c === null) throw new RangeError('clientCredentials must be {clientId, clientSecret, scenario?} or an array of them');
    if (typeof c.clientId !== 'string' || !/^[^:\s]+$/.test(c.clientId)) throw new RangeError('clientCredentials: clientId must be a non-empty string without spaces or ":"');
    if (typeof c.clientSecret !== 'string' || c.clientSecret === '') throw new RangeError('clientCredentials: clientSecret must be a non-empty string');
  }
  if (new Set(credentialList.map((c) => c.clientId)).size !== credentialList.length) throw new RangeError('clientCredentials: clientIds must be distinct');

  const dataset = buildDataset(opts);
  const ctx = {
    dataset,
    orgById: new Map(dataset.orgs.map((org) => [org.id, org])),
    enabledIds: dataset.orgs.filter((org) => org.enabled).map((org) => org.id),
    clients: new Map(),
    codes: new Map(),
    globalStats: newStats(),
  };
  const defaultScenario = failingOrgsScenario(opts.failingOrgs, ctx.enabledIds);
  ctx.defaultScenario = compileScenario(defaultScenario, ctx);
  ctx.clients.set(opts.staticToken, newClient(ctx.defaultScenario));
  ctx.credentialClients = new Map(credentialList.map(({ clientId, clientSecret, scenario }) => {
    let compiled = ctx.defaultScenario;
    if (scenario !== undefined) {
      try {
        compiled = compileScenario(scenario, ctx);
      } catch (err) {
        if (err instanceof ScenarioError) throw new RangeError(`clientCredentials ${clientId}: ${err.message}`);
        throw err;
      }
    }
    return [clientId, { clientSecret, scenario: compiled }];
  }));

  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch((err) => {
      if (res.headersSent || res.destroyed) return res.destroy();
      if (err instanceof HttpError) return sendJson(req, res, err.status, { error: err.error, message: err.message });
      sendJson(req, res, 500, { error: 'internal', message: err.message });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    staticToken: opts.staticToken,
    clientCredentials: structuredClone(credentialList),
    dataset,
    // The scenario of the static and OAuth tokens, in the POST /__mock/tokens format.
    defaultScenario,
    stats(token) {
      if (token === undefined) return structuredClone(ctx.globalStats);
      const client = ctx.clients.get(token);
      if (!client) throw new RangeError('unknown token');
      return structuredClone(client.stats);
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      orgs: { type: 'string' },
      usages: { type: 'string' },
      currencies: { type: 'string' },
      seed: { type: 'string' },
      'failing-orgs': { type: 'string' },
      token: { type: 'string' },
      period: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node tests/mock/genesys-mock.mjs [--port 18787] [--host 127.0.0.1] [--orgs 20] [--usages 8]\n'
      + '       [--currencies USD,EUR,JPY,KWD] [--seed 1] [--failing-orgs 3] [--token mock-token] [--period 2026-10]\n'
      + '       [--client-id mock-client] [--client-secret mock-secret]\n');
    return;
  }
  const int = (name) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new RangeError(`--${name} must be a non-negative integer`);
    return Number(raw);
  };
  const mock = await startMock({
    port: int('port') ?? CLI_DEFAULT_PORT,
    host: values.host,
    orgs: int('orgs'),
    usages: int('usages'),
    currencies: values.currencies,
    seed: int('seed'),
    failingOrgs: int('failing-orgs'),
    staticToken: values.token,
    period: values.period,
    clientCredentials: {
      clientId: values['client-id'] ?? DEFAULTS.clientCredentials.clientId,
      clientSecret: values['client-secret'] ?? DEFAULTS.clientCredentials.clientSecret,
    },
  });
  console.log(`genesys-mock listening on ${mock.url}`);
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`genesys-mock: ${err.message}`);
    process.exit(2);
  });
}
