// Small HTTP helpers shared by the mock's tests (node:http rather than fetch, so that tests can
// send any header, e.g. Origin, and read redirects and invalid bodies as they are).

import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function api(mock, path, token, headers = {}) {
  return request(`${mock.url}${path}`, { headers: token === undefined ? headers : { Authorization: `Bearer ${token}`, ...headers } });
}

export async function createToken(mock, scenario = {}) {
  const res = await request(`${mock.url}/__mock/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario }),
  });
  if (res.status !== 201) throw new Error(`POST /__mock/tokens answered ${res.status}: ${res.text}`);
  return res.json().token;
}

export async function getStats(mock, token) {
  const res = await request(`${mock.url}/__mock/stats${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`);
  if (res.status !== 200) throw new Error(`GET /__mock/stats answered ${res.status}: ${res.text}`);
  return res.json();
}

export function postForm(url, fields) {
  return request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export function pkcePair() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const overviewPath = (orgId, periodIndex) =>
  `/api/v2/billing/trusteebillingoverview/${encodeURIComponent(orgId)}${periodIndex === undefined ? '' : `?billingPeriodIndex=${periodIndex}`}`;

export const OCTOBER = '/api/v2/billing/reports/billableusage?startDate=2026-10-01T00:00:00.000Z&endDate=2026-10-31T23:59:59.999Z';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
