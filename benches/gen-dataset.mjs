#!/usr/bin/env node
// Deterministic partner dataset for the benchmarks: N customer orgs, each a
// TrusteeBillingOverview (GET /api/v2/billing/trusteebillingoverview/{id}) as the API sends
// it (compact JSON, decimal strings, optional fields left out), written one JSON text per line.
//
//   node benches/gen-dataset.mjs [--orgs 10000] [--usages 40] [--seed 7] [--out FILE]
//
// A pure function of (orgs, usages, seed): no clock, no Math.random. Prints one JSON summary
// line. The data is realistic on purpose: company names with non-ASCII letters, commas, quotes
// and a leading "+"/"@" (the CSV must quote and neutralise them), eight currencies with 0, 2
// and 3 minor digits, per-minute prices with four decimals, fractional hours and gigabytes,
// prepay/overage/pay-as-you-go/unpriced usages and minimum monthly commitments.

import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { scaled, stream } from '../tests/mock/random.mjs';


function hex(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += r.int(0, 15).toString(16);
  return s;
}

function uuid(r) {
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${'89ab'[r.int(0, 3)]}${hex(r, 3)}-${hex(r, 12)}`;
}


// currency: [minor digits, units per USD (only to make prices look plausible), weight]
const CURRENCIES = {
  USD: [2, 1, 40], EUR: [2, 0.92, 22], GBP: [2, 0.79, 12], AUD: [2, 1.52, 6],
  BRL: [2, 5.05, 5], JPY: [0, 151, 7], KWD: [3, 0.307, 4], CHF: [2, 0.88, 4],
};
const CURRENCY_BAG = Object.entries(CURRENCIES).flatMap(([c, [, , w]]) => Array(w).fill(c));
const LEGAL = {
  USD: ['Inc.', 'LLC', 'Corp.'], EUR: ['GmbH', 'S.A.S.', 'B.V.', 'S.p.A.', 'S.L.', 'Oy'],
  GBP: ['Ltd', 'plc'], AUD: ['Pty Ltd'], BRL: ['Ltda.', 'S.A.'], JPY: ['K.K.', 'G.K.'],
  KWD: ['W.L.L.', 'K.S.C.C.'], CHF: ['AG', 'SA', 'GmbH'],
};
const BRANDS = [
  'Acme', 'Northwind', 'Bluewater', 'Brightline', 'Cedar Point', 'Crescent', 'Evergreen', 'Falcon',
  'Granite', 'Harbor', 'Helix', 'Ironbridge', 'Juniper', 'Keystone', 'Lakeside', 'Meridian',
  'Nordlicht', 'Oakridge', 'Pinnacle', 'Redwood', 'Silverline', 'Summit', 'Tidewater', 'Vantage',
  'Westbrook', 'Zenith', 'Müller & Söhne', 'Østergaard', 'Barker, Lowe & Partners', 'Kōyō',
  'São Miguel', 'Łódź Digital', '"Blue Door"', '+Plus', '@Home', 'Årstid', 'Dvořák', 'Coöp',
];
const INDUSTRIES = [
  'Logistics', 'Health', 'Insurance', 'Retail', 'Telecom', 'Energy', 'Banking', 'Travel', 'Foods',
  'Pharma', 'Airlines', 'Utilities', 'Media', 'Mobility', 'Software', 'Hospitality', 'Education',
  'Automotive', 'Credit Union', 'Realty', 'Contact Services', 'Collections',
];
const PLACES = [
  'North America', 'EMEA', 'Nordics', 'Benelux', 'Iberia', 'DACH', 'APAC', 'LATAM', 'Bavaria',
  'Scotland', 'Québec', 'Lombardy', 'Kansai', 'Gulf', 'Midwest', 'Pacific', 'Atlantic', 'Central',
];

// [name, partNumber, grouping, unitOfMeasureType, quantity profile, prepay USD, overage USD,
//  extra price digits beyond the currency's, third party]
const S = 'billable-license';
const A = 'billable-addon-license';
const U = 'billable-usage';
const CATALOG = [
  ['Genesys Cloud CX 1 Named User', 'PC-170-NV-CX1NU', S, 'seat', 'seat', 75, 90, 0],
  ['Genesys Cloud CX 1 Concurrent User', 'PC-170-NV-CX1CU', S, 'seat', 'seat', 110, 132, 0],
  ['Genesys Cloud CX 2 Named User', 'PC-170-NV-CX2NU', S, 'seat', 'seat', 110, 132, 0],
  ['Genesys Cloud CX 2 Concurrent User', 'PC-170-NV-CX2CU', S, 'seat', 'seat', 165, 198, 0],
  ['Genesys Cloud CX 3 Named User', 'PC-170-NV-CX3NU', S, 'seat', 'seat', 155, 186, 0],
  ['Genesys Cloud CX 3 Concurrent User', 'PC-170-NV-CX3CU', S, 'seat', 'seat', 235, 282, 0],
  ['Genesys Cloud CX 1 Digital Upgrade Named User', 'PC-170-NV-CX1DUNU', A, 'seat', 'seat', 40, 48, 0],
  ['Genesys Cloud CX 2 Digital Upgrade Named User', 'PC-170-NV-CX2DUNU', A, 'seat', 'seat', 45, 54, 0],
  ['Genesys Cloud Communicate Named User', 'PC-170-NV-COMNU', S, 'seat', 'seat', 35, 42, 0],
  ['Genesys Cloud Collaborate Named User', 'PC-170-NV-COLNU', S, 'seat', 'seat', 9.95, 11.95, 0],
  ['Genesys Cloud WEM Workforce Management Add-on Named User', 'PC-170-NV-WEMWFMNU', A, 'seat', 'seat', 25, 30, 0],
  ['Genesys Cloud WEM Quality Management Add-on Named User', 'PC-170-NV-WEMQMNU', A, 'seat', 'seat', 20, 24, 0],
  ['Genesys Cloud WEM Gamification Add-on Named User', 'PC-170-NV-WEMGAMNU', A, 'seat', 'seat', 10, 12, 0],
  ['Genesys Cloud Speech and Text Analytics Add-on Named User', 'PC-170-NV-STANU', A, 'seat', 'seat', 30, 36, 0],
  ['Genesys Cloud AI Experience Tokens', 'PC-170-NV-AIEXTOK', U, 'token', 'tokens', 1.0, 1.25, 2],
  ['Genesys Cloud Predictive Engagement Sessions', 'PC-170-NV-PESES', U, 'session', 'sessions', 0.0125, 0.015, 2],
  ['Genesys Dialog Engine Bot Flows Sessions', 'PC-170-NV-DEBFSES', U, 'session', 'sessions', 0.02, 0.025, 2],
  ['Genesys Cloud Digital Messaging Sessions', 'PC-170-NV-DMSES', U, 'session', 'sessions', 0.0075, 0.01, 2],
  ['Genesys Cloud SMS Outbound Messages US', 'PC-170-NV-SMSOUS', U, 'message', 'messages', 0.0079, 0.0095, 2],
  ['Genesys Cloud SMS Outbound Messages UK', 'PC-170-NV-SMSOUK', U, 'message', 'messages', 0.0375, 0.045, 2],
  ['Genesys Cloud Voice minutes US Inbound', 'PC-170-NV-GCVUSIN', U, 'minute', 'minutes', 0.0045, 0.0055, 2],
  ['Genesys Cloud Voice minutes US Outbound', 'PC-170-NV-GCVUSOUT', U, 'minute', 'minutes', 0.006, 0.0075, 2],
  ['Genesys Cloud Voice minutes UK Inbound', 'PC-170-NV-GCVUKIN', U, 'minute', 'minutes', 0.0065, 0.008, 2],
  ['Genesys Cloud Voice minutes DE Outbound', 'PC-170-NV-GCVDEOUT', U, 'minute', 'minutes', 0.0125, 0.015, 2],
  ['Genesys Cloud Voice toll-free minutes US', 'PC-170-NV-GCVTFUS', U, 'minute', 'minutes', 0.0155, 0.0185, 2],
  ['Genesys Cloud Voice DID numbers', 'PC-170-NV-GCVDID', U, 'number', 'devices', 1.0, 1.25, 0],
  ['BYOC Cloud minutes', 'PC-170-NV-BYOCCMIN', U, 'minute', 'minutes', 0.003, 0.004, 2],
  ['BYOC Premises minutes', 'PC-170-NV-BYOCPMIN', U, 'minute', 'minutes', 0.0015, 0.002, 2],
  ['Genesys Cloud BYOC Premises Edge', 'PC-170-NV-BYOCPEDGE', 'billable-device-license', 'device', 'devices', 45, 54, 0],
  ['Genesys Cloud Recording Storage', 'PC-170-NV-STORGB', U, 'gigabyte', 'gigabytes', 0.25, 0.3, 2],
  ['Genesys Cloud Screen Recording Storage', 'PC-170-NV-SRSTORGB', U, 'gigabyte', 'gigabytes', 0.2, 0.25, 2],
  ['Genesys Cloud Data Actions Requests', 'PC-170-NV-DAREQ', U, 'request', 'requests', 0.0004, 0.0005, 3],
  ['Genesys Cloud API Requests over Fair Use', 'PC-170-NV-APIREQ', U, 'request', 'requests', 0.00012, 0.00015, 3],
  ['Speech Analytics', 'PC-170-NV-SPANHR', U, 'hour', 'hours', 0.6, 0.75, 2],
  ['Genesys Cloud Transcription Hours', 'PC-170-NV-TRANSHR', U, 'hour', 'hours', 0.9, 1.1, 2],
  ['Genesys Cloud Virtual Agent Hours', 'PC-170-NV-VAHR', U, 'hour', 'hours', 1.5, 1.8, 2],
  ['Genesys Cloud Outbound Dialing Attempts', 'PC-170-NV-OBDATT', U, 'attempt', 'requests', 0.0035, 0.0045, 2],
  ['Genesys Cloud Email Interactions', 'PC-170-NV-EMAILINT', U, 'interaction', 'sessions', 0.015, 0.0175, 2],
  ['PureCloud for Avtex InteractionSync Add-on', 'PC-170-NV-AVTEXINSY', 'billable-app-usage-license', 'seat', 'seat', 12, 15, 0, true],
  ['Harbor CRM Connector for Genesys Cloud', 'PC-170-NV-HBRCRM', 'billable-app-usage-license', 'seat', 'seat', 8, 10, 0, true],
  ['Pointline Wallboards Premium', 'PC-170-NV-PLWALLB', 'billable-app-usage-license', 'seat', 'seat', 6, 7.5, 0, true],
  ['Lumen "Insights" Reporting, Premium', 'PC-170-NV-LUMINS', 'billable-app-usage-license', 'seat', 'seat', 4.5, 5.5, 0, true],
  ['Genesys Cloud Edge Virtual Appliance', 'PC-170-NV-EDGEVA', 'billable-device-license', 'device', 'devices', 60, 72, 0],
  ['Genesys Cloud Sandbox Org', 'PC-170-NV-SANDBOX', S, 'org', 'devices', 250, 300, 0],
].map(([name, partNumber, grouping, unit, profile, prepayUsd, overageUsd, extraDigits, thirdParty = false]) =>
  ({ name, partNumber, grouping, unit, profile, prepayUsd, overageUsd, extraDigits, thirdParty }));

// Quantities, as integer counts of 10^-digits: [digits, prepay(r), overage step(r)].
const PROFILES = {
  seat: [0, (r) => r.int(5, 400), (r) => r.int(1, 60)],
  devices: [0, (r) => r.int(1, 40), (r) => r.int(1, 8)],
  tokens: [0, (r) => r.int(10, 500) * 10, (r) => r.int(1, 2000)],
  sessions: [0, (r) => r.int(1, 50) * 1000, (r) => r.int(1, 40000)],
  messages: [0, (r) => r.int(1, 30) * 1000, (r) => r.int(1, 25000)],
  minutes: [0, (r) => r.int(1, 200) * 5000, (r) => r.int(1, 400000)],
  requests: [0, (r) => r.int(1, 50) * 100000, (r) => r.int(1, 3000000)],
  gigabytes: [2, (r) => r.int(1, 80) * 10000, (r) => r.int(1, 900000)],
  hours: [1, (r) => r.int(1, 100) * 100, (r) => r.int(1, 20000)],
};

// How a usage relates to its commitment (weights sum to 100).
const SHAPES = [
  ['overage', 34], ['underuse', 18], ['exact', 6], ['zero', 6], ['idlePrepay', 6], ['payg', 22],
  ['noPrepayPrice', 3], ['noOveragePrice', 3], ['unpriced', 2],
].flatMap(([s, w]) => Array(w).fill(s));

const SUBSCRIPTIONS = ['PREPAY_MONTHLY_COMMITMENT', 'PREPAY', 'MONTH_TO_MONTH', 'PREPAY_MONTHLY_COMMITMENT', 'PREPAY', 'DEV_ORG_MONTH_TO_MONTH'];

function price(usd, currency, discountPercent, extraDigits) {
  const [minor, fx] = CURRENCIES[currency];
  const digits = minor + extraDigits;
  return scaled(Math.round(usd * fx * (100 - discountPercent) / 100 * 10 ** digits), digits);
}

function org(seed, i, usageCount) {
  const r = stream(seed, 'org', i);
  const currency = r.pick(CURRENCY_BAG);
  const id = uuid(r);
  const name = `${r.pick(BRANDS)} ${r.pick(INDUSTRIES)} ${r.pick(PLACES)} ${r.pick(LEGAL[currency])}`;
  const discount = r.int(0, 25);
  // Pick usageCount distinct products.
  const pool = CATALOG.slice();
  const items = [];
  while (items.length < Math.min(usageCount, CATALOG.length)) items.push(pool.splice(r.int(0, pool.length - 1), 1)[0]);
  const usages = items.map((item) => {
    const [digits, prepayOf, overageOf] = PROFILES[item.profile];
    const shape = r.pick(SHAPES);
    const hasPrepay = !['zero', 'payg', 'unpriced'].includes(shape) || (shape === 'unpriced' && r.next() < 0.5);
    const prepay = hasPrepay ? prepayOf(r) : 0;
    let usage;
    switch (shape) {
      case 'zero': case 'idlePrepay': usage = 0; break;
      case 'exact': usage = prepay; break;
      case 'underuse': usage = r.int(Math.floor(prepay * 0.3), Math.max(0, prepay - 1)); break;
      default: usage = prepay + overageOf(r);
    }
    const u = {
      name: item.name,
      partNumber: item.partNumber,
      grouping: item.grouping,
      unitOfMeasureType: item.unit,
      usageQuantity: scaled(usage, digits),
      overagePrice: ['noOveragePrice', 'unpriced'].includes(shape) ? undefined : price(item.overageUsd, currency, discount, item.extraDigits),
      prepayQuantity: scaled(prepay, digits),
      prepayPrice: ['noPrepayPrice', 'payg', 'unpriced'].includes(shape) ? undefined : price(item.prepayUsd, currency, discount, item.extraDigits),
      usageNotes: item.name.includes('Concurrent') ? 'Highest 30-minute concurrent peak in the period' : undefined,
      isCancellable: item.grouping !== S,
      bundleQuantity: '1',
      isThirdParty: item.thirdParty,
    };
    return Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined));
  });
  const subscriptionType = r.pick(SUBSCRIPTIONS);
  const day = i % 7 === 3 ? r.int(2, 28) : 1;
  const start = new Date(Date.UTC(2026, 9, day));
  const end = new Date(Date.UTC(2026, 10, day) - 1);
  const overview = {
    organization: { id, name, selfUri: `/api/v2/organizations/${id}` },
    currency,
    enabledProducts: items.map((it) => it.partNumber.replace(/^PC-170-NV-/, '')),
    subscriptionType,
    billingPeriodStartDate: start.toISOString().replace('.000Z', 'Z'),
    billingPeriodEndDate: i % 2 ? end.toISOString() : end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    usages,
    inRampPeriod: false,
    selfUri: `/api/v2/billing/trusteebillingoverview/${id}`,
  };
  if (subscriptionType.includes('MONTHLY_COMMITMENT')) {
    // Some commitments are above what the usage costs, so the top-up line appears.
    overview.minimumMonthlyAmount = price(r.int(2, 400) * 250, currency, 0, 0);
  }
  return overview;
}

export function* generate({ orgs = 10000, usages = 40, seed = 7 } = {}) {
  for (let i = 0; i < orgs; i++) yield JSON.stringify(org(seed, i, usages));
}

async function main() {
  const { values } = parseArgs({
    options: {
      orgs: { type: 'string', default: '10000' },
      usages: { type: 'string', default: '40' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string' },
    },
  });
  const opts = { orgs: Number(values.orgs), usages: Number(values.usages), seed: Number(values.seed) };
  if (opts.usages > CATALOG.length) throw new RangeError(`at most ${CATALOG.length} usages`);
  const out = values.out ?? `target/bench/dataset-${opts.orgs}x${opts.usages}.jsonl`;
  mkdirSync(dirname(out), { recursive: true });
  const ws = createWriteStream(out);
  let bytes = 0;
  for (const text of generate(opts)) {
    bytes += Buffer.byteLength(text) + 1;
    if (!ws.write(text + '\n')) await new Promise((res) => ws.once('drain', res));
  }
  await new Promise((res, rej) => ws.end((e) => (e ? rej(e) : res())));
  console.log(JSON.stringify({ out, ...opts, bytes }));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
