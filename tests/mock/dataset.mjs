// Deterministic Genesys Cloud billing dataset for the mock server and its tests.
//
// Everything here is a pure function of (seed, orgs, usages, currencies, period): no clock,
// no Math.random. Each value comes from its own hash-seeded random stream (keyed by seed, org
// index, usage index, billing period...), so changing one option does not reshuffle unrelated
// values, and tests can import buildDataset() to compute the values the server answers.
//
// Shapes follow tests/mock/billing-openapi.json: TrusteeBillingOverview, Trustor, Organization,
// BillingUsageReport. Quantities and prices are decimal strings, as the real API sends them.

import { createHash } from 'node:crypto';
import { scaled, stream } from './random.mjs';

export const DATASET_DEFAULTS = Object.freeze({
  seed: 1,
  orgs: 20,
  usages: 8,
  currencies: Object.freeze(['USD', 'EUR', 'JPY', 'KWD']),
  // The month of billingPeriodIndex 0 ("current"). Fixed, not read from the clock, so that
  // the dataset stays the same from one day to the next.
  period: '2026-10',
});

export const SUBSCRIPTION_TYPES = Object.freeze([
  'ININ', 'MONTH_TO_MONTH', 'FREE_TRIAL_MONTH_TO_MONTH', 'PREPAY_MONTHLY_COMMITMENT', 'PREPAY',
  'DEV_ORG_MONTH_TO_MONTH', 'DEV_ORG_PREPAY_MONTHLY_COMMITMENT', 'DEV_ORG_PREPAY',
]);

// Largest billingPeriodIndex the dataset answers (100 years back).
export const MAX_PERIOD_INDEX = 1200;

// ---------------------------------------------------------------------------------------------
// Random streams and decimal formatting

function uuidFrom(...key) {
  const hex = createHash('sha256').update(['uuid', ...key].join('|')).digest('hex');
  const variant = (8 | (parseInt(hex[16], 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}


// Quantities are counted in tenths; "120" rather than "120.0", "3.5" rather than "3.50".
function quantity(tenths) {
  return scaled(tenths, 1).replace(/\.0$/, '');
}

function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoMillis(ms) {
  return new Date(ms).toISOString();
}

function slug(text) {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/ø/g, 'o').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Currencies

// Approximate units of currency per USD, only used to make prices look plausible.
const FX_PER_USD = {
  USD: 1, EUR: 0.92, GBP: 0.79, CHF: 0.88, JPY: 151, KWD: 0.307, BHD: 0.376, OMR: 0.385,
  AUD: 1.52, CAD: 1.36, NZD: 1.66, SGD: 1.34, SEK: 10.5, NOK: 10.7, DKK: 6.87, BRL: 5.05,
  MXN: 17.1, INR: 83.2, ZAR: 18.6, AED: 3.6725, CNY: 7.2, KRW: 1350, CLP: 940,
};
const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'VND', 'UGX', 'XOF', 'XAF']);
const THREE_DECIMAL_CURRENCIES = new Set(['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

function minorDigits(currency) {
  if (ZERO_DECIMAL_CURRENCIES.has(currency)) return 0;
  return THREE_DECIMAL_CURRENCIES.has(currency) ? 3 : 2;
}

// A USD list price converted to `currency` and discounted, with the currency's minor digits
// plus `extraDigits` (per-minute prices like "0.0075" need sub-cent precision).
function price(usd, currency, discountPercent, extraDigits) {
  const digits = minorDigits(currency) + extraDigits;
  const value = Number(usd) * (FX_PER_USD[currency] ?? 1) * (100 - discountPercent) / 100;
  return scaled(Math.round(value * 10 ** digits), digits);
}

// Legal form, country and language of a customer, by billing currency.
const LOCALES = {
  USD: [['Inc.', 'US', 'en'], ['LLC', 'US', 'en'], ['Corp.', 'US', 'en']],
  EUR: [['GmbH', 'DE', 'de'], ['S.A.S.', 'FR', 'fr'], ['B.V.', 'NL', 'nl'], ['S.p.A.', 'IT', 'it'], ['S.L.', 'ES', 'es'], ['Oy', 'FI', 'fi']],
  GBP: [['Ltd', 'GB', 'en'], ['plc', 'GB', 'en']],
  CHF: [['AG', 'CH', 'de'], ['SA', 'CH', 'fr']],
  JPY: [['K.K.', 'JP', 'ja'], ['G.K.', 'JP', 'ja']],
  KWD: [['W.L.L.', 'KW', 'ar'], ['K.S.C.C.', 'KW', 'ar']],
  AUD: [['Pty Ltd', 'AU', 'en']],
  SEK: [['AB', 'SE', 'sv']],
  BRL: [['Ltda.', 'BR', 'pt']],
};

function locales(currency) {
  return LOCALES[currency] ?? [['Ltd', currency.slice(0, 2), 'en']];
}

// ---------------------------------------------------------------------------------------------
// Names

// Includes non-ASCII letters, "&" and a comma on purpose: exports must quote and encode them.
const BRANDS = [
  'Acme', 'Northwind', 'Bluewater', 'Brightline', 'Cedar Point', 'Crescent', 'Evergreen', 'Falcon',
  'Granite', 'Harbor', 'Helix', 'Ironbridge', 'Juniper', 'Keystone', 'Lakeside', 'Meridian',
  'Nordlicht', 'Oakridge', 'Pinnacle', 'Redwood', 'Silverline', 'Summit', 'Tidewater', 'Vantage',
  'Westbrook', 'Zenith', 'Müller & Söhne', 'Østergaard', 'Barker, Lowe & Partners', 'Kōyō',
];
const INDUSTRIES = [
  'Logistics', 'Health', 'Insurance', 'Retail', 'Telecom', 'Energy', 'Banking', 'Travel', 'Foods',
  'Pharma', 'Airlines', 'Utilities', 'Media', 'Mobility', 'Software', 'Hospitality', 'Education',
  'Automotive', 'Credit Union', 'Realty',
];
const PLAIN_BRANDS = BRANDS.filter((brand) => /^[A-Za-z ]+$/.test(brand));
const FIRST_NAMES = [
  'anna', 'ben', 'carla', 'david', 'elif', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kemal', 'lena',
  'marco', 'nadia', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tomoko', 'umar', 'vera', 'wei', 'yusuf',
];
const LAST_NAMES = [
  'schmidt', 'garcia', 'tanaka', 'alsabah', 'dubois', 'rossi', 'johnson', 'novak', 'kowalski', 'silva',
  'nielsen', 'okafor', 'haddad', 'svensson', 'moreau', 'ito', 'murphy', 'weber', 'costa', 'lindqvist',
];

// ---------------------------------------------------------------------------------------------
// Product catalog

// How quantities of a unit are drawn. All counts are in tenths: `step` is the smallest
// increment (10 = whole units, 5 = halves, 1 = tenths); `prepay` draws a committed quantity.
const PROFILES = {
  seat: { step: 10, prepay: (r) => r.int(5, 150) * 10 },
  device: { step: 10, prepay: (r) => r.int(1, 12) * 10 },
  hour: { step: 5, prepay: (r) => r.int(40, 800) * 5 },
  gigabyte: { step: 1, prepay: (r) => r.int(50, 5000) },
  minute: { step: 1, prepay: (r) => r.int(1, 40) * 10000 },
  session: { step: 10, prepay: (r) => r.int(1, 20) * 10000 },
};

// [name, partNumber, product short name (enabledProducts), grouping, unitOfMeasureType,
//  profile, prepay USD, overage USD, extra price digits, kind]
// kind: 'base' (a core license), 'addon', 'usage', 'thirdParty', 'legacy' (no bundleQuantity).
const CATALOG = [
  ['Genesys Cloud CX 1 Named User', 'PC-170-NV-CX1NU', 'GenesysCloudCX1', 'billable-license', 'seat', 'seat', '75.00', '90.00', 0, 'base'],
  ['Genesys Cloud CX 1 Concurrent User', 'PC-170-NV-CX1CU', 'GenesysCloudCX1Concurrent', 'billable-license', 'seat', 'seat', '110.00', '132.00', 0, 'base'],
  ['Genesys Cloud CX 2 Named User', 'PC-170-NV-CX2NU', 'GenesysCloudCX2', 'billable-license', 'seat', 'seat', '110.00', '132.00', 0, 'base'],
  ['Genesys Cloud CX 2 Concurrent User', 'PC-170-NV-CX2CU', 'GenesysCloudCX2Concurrent', 'billable-license', 'seat', 'seat', '165.00', '198.00', 0, 'base'],
  ['Genesys Cloud CX 3 Named User', 'PC-170-NV-CX3NU', 'GenesysCloudCX3', 'billable-license', 'seat', 'seat', '155.00', '186.00', 0, 'base'],
  ['Genesys Cloud CX 3 Concurrent User', 'PC-170-NV-CX3CU', 'GenesysCloudCX3Concurrent', 'billable-license', 'seat', 'seat', '235.00', '282.00', 0, 'base'],
  ['PureCloud 3 Concurrent User', 'PC-170-NV-PC3CU', 'PureCloud3Overage', 'billable-license', 'seat', 'seat', '150.00', '180.00', 0, 'legacy'],
  ['PureCloud Communicate Named User', 'PC-170-NV-PCCOMNU', 'PureCloudCommunicateOverage', 'billable-license', 'seat', 'seat', '35.00', '42.00', 0, 'legacy'],
  ['Genesys Cloud WEM Workforce Management Add-on Named User', 'PC-170-NV-WEMWFMNU', 'WemWorkforceManagement', 'billable-addon-license', 'seat', 'seat', '25.00', '30.00', 0, 'addon'],
  ['Genesys Cloud WEM Quality Management Add-on Named User', 'PC-170-NV-WEMQMNU', 'WemQualityManagement', 'billable-addon-license', 'seat', 'seat', '20.00', '24.00', 0, 'addon'],
  ['Genesys Cloud WEM Gamification Add-on Named User', 'PC-170-NV-WEMGAMNU', 'WemGamification', 'billable-addon-license', 'seat', 'seat', '10.00', '12.00', 0, 'addon'],
  ['Genesys Cloud Speech and Text Analytics Add-on Named User', 'PC-170-NV-STANU', 'SpeechTextAnalytics', 'billable-addon-license', 'seat', 'seat', '30.00', '36.00', 0, 'addon'],
  ['Speech Analytics', 'PC-170-NV-SPANHR', 'SpeechAnalyticsHours', 'billable-usage', 'hour', 'hour', '0.60', '0.75', 2, 'usage'],
  ['Genesys Cloud Voice minutes', 'PC-170-NV-GCVMIN', 'GenesysCloudVoiceMinutes', 'billable-usage', 'minute', 'minute', '0.0060', '0.0075', 2, 'usage'],
  ['BYOC Cloud minutes', 'PC-170-NV-BYOCCMIN', 'ByocCloudMinutes', 'billable-usage', 'minute', 'minute', '0.0030', '0.0040', 2, 'usage'],
  ['Genesys Cloud Recording Storage', 'PC-170-NV-STORGB', 'RecordingStorage', 'billable-usage', 'gigabyte', 'gigabyte', '0.25', '0.30', 2, 'usage'],
  ['Genesys Cloud BYOC Premises Edge', 'PC-170-NV-BYOCPEDGE', 'ByocPremisesEdge', 'billable-device-license', 'device', 'device', '45.00', '54.00', 0, 'usage'],
  ['Genesys Dialog Engine Bot Flows Sessions', 'PC-170-NV-DEBFSES', 'DialogEngineBotFlows', 'billable-usage', 'session', 'session', '0.020', '0.025', 2, 'usage'],
  ['PureCloud for Avtex InteractionSync Add-on', 'PC-170-NV-AVTEXINSY', 'avtexInteractionSyncOverage', 'billable-app-usage-license', 'seat', 'seat', '12.00', '15.00', 0, 'thirdParty'],
  ['Harbor CRM Connector for Genesys Cloud', 'PC-170-NV-HBRCRM', 'harborCrmConnectorOverage', 'billable-app-usage-license', 'seat', 'seat', '8.00', '10.00', 0, 'thirdParty'],
  ['Pointline Wallboards Premium', 'PC-170-NV-PLWALLB', 'pointlineWallboardsOverage', 'billable-app-usage-license', 'seat', 'seat', '6.00', '7.50', 0, 'thirdParty'],
].map(([name, partNumber, product, grouping, unitOfMeasureType, profile, prepayUsd, overageUsd, extraDigits, kind]) =>
  ({ name, partNumber, product, grouping, unitOfMeasureType, profile: PROFILES[profile], prepayUsd, overageUsd, extraDigits, kind }));

// Usage shapes: how an org's usage of one product relates to its commitment and prices.
//   overage        usage > prepay, both prices
//   underuse       usage < prepay
//   swing          usage around prepay: some months within it, some months beyond (on demand)
//   zero           usage "0", prepay "0"
//   exact          usage == prepay
//   idlePrepay     usage "0", prepay > 0
//   payg           prepay "0", usage > 0, only an overagePrice
//   launched       pay as you go, used from its launch period on (nothing before): a new license
//   retired        pay as you go, no longer used from its retirement period on: a license gone
//   noPrepayPrice  usage > prepay > 0, prepayPrice missing
//   noOveragePrice usage > prepay > 0, overagePrice missing
//   unpriced       usage > 0, no price at all

// A real partner's month: most customers are fully priced, most lines sit within or a little
// beyond their commitment, some are pay as you go, a few are idle. Weights of the priced shapes;
// an org's first line (its core license) is a committed one, except for a growing customer.
const PRICED_SHAPES = [['overage', 4], ['underuse', 4], ['swing', 3], ['exact', 2], ['payg', 3], ['idlePrepay', 1], ['zero', 1]];
const CORE_SHAPES = [['overage', 2], ['underuse', 2], ['swing', 2], ['exact', 1]];
// The shapes of lines Genesys sends without a price.
const UNPRICED_SHAPES = ['noPrepayPrice', 'noOveragePrice', 'unpriced'];

function weighted(r, choices) {
  let ticket = r.int(1, choices.reduce((sum, [, weight]) => sum + weight, 0));
  for (const [choice, weight] of choices) {
    ticket -= weight;
    if (ticket <= 0) return choice;
  }
  return choices[choices.length - 1][0];
}

// Which lines of org `index` get which shape. Like `enabled`, the special cases sit at fixed
// positions (so 20 orgs always have the same ones): one org in five has 1 to 3 lines without a
// price (the default dataset: 4 orgs, every unpriced shape among them); one in seven starts a
// new license and one in seven drops one, in period 0, 1 or 2; one in eight grows. The rest is
// drawn from the weights above, from a stream of its own (the products and names do not move).
function lineShapes(opts, index) {
  const n = opts.usages;
  const key = index + opts.seed;
  const r = stream(opts.seed, 'shapes', index);
  const shapes = Array.from({ length: n }, (_, j) => weighted(r, j === 0 ? CORE_SHAPES : PRICED_SHAPES));
  const changePeriod = key % 3;
  if (n >= 2 && key % 7 === 3) shapes[1] = 'launched';
  if (n >= 2 && key % 7 === 5) shapes[1] = 'retired';
  if (key % 5 === 2) {
    const count = 1 + (key % 3);
    for (let k = 0; k < count && n - 1 - k >= 1; k++) shapes[n - 1 - k] = UNPRICED_SHAPES[(k + index) % UNPRICED_SHAPES.length];
  }
  // One customer in eight pays as it goes and is growing fast: a quarter more every period.
  const growthPercent = key % 8 === 5 ? 25 : 0;
  if (growthPercent) for (let j = 0; j < n; j++) if (shapes[j] !== 'zero' && PRICED_SHAPES.some(([s]) => s === shapes[j])) shapes[j] = 'payg';
  return { shapes, changePeriod, growthPercent };
}

// ---------------------------------------------------------------------------------------------
// Dataset

function normalizeDatasetOptions(options = {}) {
  const o = { ...DATASET_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  // currencies: an array or a comma-separated string (as given to the CLI).
  const currencies = (typeof o.currencies === 'string' ? o.currencies.split(',') : [...o.currencies]).map((c) => String(c).trim());
  const check = (ok, message) => { if (!ok) throw new RangeError(message); };
  check(Number.isSafeInteger(o.seed) && o.seed >= 0, 'seed must be an integer >= 0');
  check(Number.isInteger(o.orgs) && o.orgs >= 0 && o.orgs <= 100000, 'orgs must be an integer in 0..100000');
  check(Number.isInteger(o.usages) && o.usages >= 0 && o.usages <= CATALOG.length, `usages must be an integer in 0..${CATALOG.length}`);
  check(currencies.length > 0 && currencies.every((c) => /^[A-Z]{3}$/.test(c)), 'currencies must be ISO 4217 codes like USD,EUR');
  check(/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period), 'period must look like YYYY-MM');
  return { seed: o.seed, orgs: o.orgs, usages: o.usages, currencies, period: o.period };
}

export function buildDataset(options = {}) {
  const opts = normalizeDatasetOptions(options);
  const { seed } = opts;
  const [anchorYear, anchorMonth] = opts.period.split('-').map(Number);
  const anchorMs = Date.UTC(anchorYear, anchorMonth - 1, 1);

  const partnerOrg = buildPartner(seed);
  const subscriptionTypes = stream(seed, 'subscription-types').shuffle(SUBSCRIPTION_TYPES);

  const names = new Set();
  const slugs = new Set();
  const orgs = [];
  for (let i = 0; i < opts.orgs; i++) {
    const r = stream(seed, 'org', i);
    const currency = opts.currencies[i % opts.currencies.length];
    const [legalForm, country, language] = r.pick(locales(currency));
    // Unique by brand and industry, so no two customers differ by their legal form only.
    let stem;
    for (let attempt = 0; attempt < 20 && (!stem || names.has(stem)); attempt++) {
      stem = `${r.pick(BRANDS)} ${r.pick(INDUSTRIES)}`;
    }
    if (names.has(stem)) stem = `${stem} ${i + 1}`;
    names.add(stem);
    const name = `${stem} ${legalForm}`;
    let shortName = slug(name);
    if (slugs.has(shortName)) shortName = `${shortName}-${i + 1}`;
    slugs.add(shortName);

    const org = {
      index: i,
      id: uuidFrom(seed, 'org', i),
      name,
      // About one org in ten is disabled, at fixed positions so that 20 orgs always have two.
      enabled: (i + seed) % 10 !== 6,
      currency,
      subscriptionType: subscriptionTypes[i % subscriptionTypes.length],
      country,
      language,
      shortName,
      // Most orgs bill by calendar month; some follow their activation day.
      cycleDay: i % 7 === 3 ? r.int(2, 28) : 1,
      endWithMillis: (i + seed) % 2 === 0,
      discountPercent: r.int(0, 20),
      createdMs: anchorMs - r.int(30, 1500) * 86400000,
      contractMonthsAgo: r.int(1, 30),
      amended: r.next() < 0.3,
    };
    org.lines = buildLines(opts, org);
    org.trustor = buildTrustor(org);
    org.overview = (periodIndex = 0) => buildOverview(opts, anchorYear, anchorMonth, org, periodIndex);
    orgs.push(org);
  }

  return {
    options: opts,
    partnerOrg,
    orgs,
    usageReport: (startDate, endDate) => buildUsageReport(opts, partnerOrg, startDate, endDate),
  };
}

function buildPartner(seed) {
  const r = stream(seed, 'partner');
  const brand = r.pick(PLAIN_BRANDS);
  const name = `${brand} Contact Center Partners Ltd`;
  const id = uuidFrom(seed, 'partner');
  const shortName = `${slug(brand)}-partners`;
  return {
    id,
    name,
    emailDomain: `${shortName}.example`,
    organization: {
      id,
      name,
      defaultLanguage: 'en',
      defaultCountryCode: 'GB',
      thirdPartyOrgName: shortName,
      version: 1,
      state: 'active',
      productPlatform: 'GenesysCloud',
      selfUri: `/api/v2/organizations/${id}`,
    },
  };
}

// The contract lines of an org: which products it has, their shape, committed quantity and
// prices. Period-independent; buildOverview() adds the period's usage.
function buildLines(opts, org) {
  const r = stream(opts.seed, 'lines', org.index);
  const base = CATALOG.filter((item) => item.kind === 'base' || item.kind === 'legacy');
  const first = r.pick(base);
  const rest = CATALOG.filter((item) => item !== first);
  const items = [first];
  while (items.length < opts.usages) items.push(rest.splice(r.int(0, rest.length - 1), 1)[0]);
  if (opts.usages === 0) items.length = 0;

  const { shapes, changePeriod, growthPercent } = lineShapes(opts, org.index);
  return items.map((item, j) => {
    const shape = shapes[j];
    const payAsYouGo = ['payg', 'launched', 'retired'].includes(shape);
    const hasPrepay = shape !== 'zero' && !payAsYouGo;
    const prepayTenths = hasPrepay ? item.profile.prepay(r) : 0;
    return {
      item,
      shape,
      // The first period index in which a launched line is not used yet / a retired one is no longer used.
      changePeriod,
      growthPercent,
      prepayTenths,
      levelTenths: usualLevel(shape, prepayTenths, item.profile, r),
      prepayPrice: payAsYouGo || ['noPrepayPrice', 'unpriced'].includes(shape)
        ? undefined : price(item.prepayUsd, org.currency, org.discountPercent, item.extraDigits),
      overagePrice: ['noOveragePrice', 'unpriced'].includes(shape)
        ? undefined : price(item.overageUsd, org.currency, org.discountPercent, item.extraDigits),
    };
  });
}

const stepsOf = (tenths, profile) => Math.max(1, Math.round(tenths / profile.step));

// A line's usual monthly usage (in tenths); each period moves a few percent around it.
function usualLevel(shape, prepay, profile, r) {
  const steps = stepsOf(prepay, profile);
  switch (shape) {
    case 'underuse':
      return r.int(Math.floor(steps * 0.5), steps - 1) * profile.step;
    case 'overage':
    case 'noPrepayPrice':
    case 'noOveragePrice':
      return prepay + r.int(1, Math.ceil(steps * 0.3)) * profile.step;
    case 'payg':
    case 'unpriced':
    case 'launched':
    case 'retired':
      return r.int(1, stepsOf(profile.prepay(r), profile)) * profile.step;
    default:
      return prepay;
  }
}

// One period's usage: the line's usual level moved by up to `percent` % (at least one step either way).
// A growing customer's usage is `growthPercent` % above the period before.
function usageTenths(line, r, periodIndex) {
  const { prepayTenths: prepay, item: { profile } } = line;
  const grown = (tenths) => Math.round((tenths * (100 / (100 + line.growthPercent)) ** periodIndex) / profile.step) * profile.step;
  const level = grown(line.levelTenths);
  const around = (base, percent) => {
    const k = Math.ceil((stepsOf(base, profile) * percent) / 100);
    return base + r.int(-k, k) * profile.step;
  };
  switch (line.shape) {
    case 'zero':
    case 'idlePrepay':
      return 0;
    case 'exact':
      return prepay;
    case 'underuse':
      return Math.min(prepay - profile.step, Math.max(0, around(level, 8)));
    case 'swing':
      return Math.max(0, around(grown(prepay), 12));
    case 'launched':
      return periodIndex > line.changePeriod ? 0 : Math.max(profile.step, around(level, 10));
    case 'retired':
      return periodIndex <= line.changePeriod ? 0 : Math.max(profile.step, around(level, 10));
    case 'payg':
    case 'unpriced':
      return Math.max(profile.step, around(level, 10));
    default: // the overage shapes
      return Math.max(prepay + profile.step, around(level, 6));
  }
}

function buildTrustor(org) {
  return {
    id: org.id,
    enabled: org.enabled,
    dateCreated: isoMillis(org.createdMs),
    organization: {
      id: org.id,
      name: org.name,
      defaultLanguage: org.language,
      defaultCountryCode: org.country,
      thirdPartyOrgName: org.shortName,
      version: 1,
      state: 'active',
      productPlatform: org.subscriptionType === 'ININ' ? 'PureCloud' : 'GenesysCloud',
      selfUri: `/api/v2/organizations/${org.id}`,
    },
    authorization: { permissions: ['affiliateOrganization:clientBilling:view', 'billing:subscription:view'] },
    selfUri: `/api/v2/orgauthorization/trustors/${org.id}`,
  };
}

function buildOverview(opts, anchorYear, anchorMonth, org, periodIndex) {
  if (!Number.isInteger(periodIndex) || periodIndex < 0 || periodIndex > MAX_PERIOD_INDEX) {
    throw new RangeError(`periodIndex must be an integer in 0..${MAX_PERIOD_INDEX}`);
  }
  const month = anchorMonth - 1 - periodIndex;
  const startMs = Date.UTC(anchorYear, month, org.cycleDay);
  const endMs = Date.UTC(anchorYear, month + 1, org.cycleDay) - 1;
  const currency = org.currency;

  const usages = org.lines.map((line, j) => {
    const r = stream(opts.seed, 'usage', org.index, j, periodIndex);
    const { item } = line;
    const usage = {
      name: item.name,
      partNumber: item.partNumber,
      grouping: item.grouping,
      unitOfMeasureType: item.unitOfMeasureType,
      usageQuantity: quantity(usageTenths(line, r, periodIndex)),
      overagePrice: line.overagePrice,
      prepayQuantity: quantity(line.prepayTenths),
      prepayPrice: line.prepayPrice,
      usageNotes: item.name.includes('Concurrent') ? 'Highest 30-minute concurrent peak in the period' : undefined,
      isCancellable: item.kind === 'addon' || item.kind === 'thirdParty',
      bundleQuantity: item.kind === 'legacy' ? undefined : '1',
      isThirdParty: item.kind === 'thirdParty',
    };
    // Optional fields are left out rather than sent as null, like the real API.
    return Object.fromEntries(Object.entries(usage).filter(([, v]) => v !== undefined));
  });

  const overview = {
    organization: { id: org.id, name: org.name },
    currency,
    enabledProducts: org.lines.map((line) => line.item.product),
    subscriptionType: org.subscriptionType,
    billingPeriodStartDate: isoSeconds(startMs),
    billingPeriodEndDate: org.endWithMillis ? isoMillis(endMs) : isoSeconds(endMs),
    usages,
    inRampPeriod: false,
    selfUri: `/api/v2/billing/trusteebillingoverview/${org.id}`,
  };

  if (org.subscriptionType.includes('PREPAY')) {
    const effectiveMs = Date.UTC(anchorYear, anchorMonth - 1 - org.contractMonthsAgo, org.cycleDay);
    overview.contractEffectiveDate = isoSeconds(effectiveMs);
    overview.contractEndDate = isoMillis(Date.UTC(anchorYear, anchorMonth - 1 - org.contractMonthsAgo + 36, org.cycleDay) - 1);
    if (org.amended) overview.contractAmendmentDate = isoMillis(effectiveMs + 45 * 86400000);
    // A new contract starts with a three-month ramp.
    const rampEndMs = Date.UTC(anchorYear, anchorMonth - 1 - org.contractMonthsAgo + 3, org.cycleDay) - 1;
    if (startMs >= effectiveMs && startMs <= rampEndMs) {
      overview.inRampPeriod = true;
      overview.rampPeriodStartDate = isoSeconds(effectiveMs);
      overview.rampPeriodEndDate = isoMillis(rampEndMs);
    }
  }
  if (org.subscriptionType.includes('MONTHLY_COMMITMENT')) {
    const r = stream(opts.seed, 'minimum', org.index);
    overview.minimumMonthlyAmount = price(String(r.int(4, 80) * 250), currency, 0, 0);
  }
  return overview;
}

// The partner's own BillingUsageReport (GET /api/v2/billing/reports/billableusage): license
// names with counts and the users or devices seen, no prices.
function buildUsageReport(opts, partner, startDate, endDate) {
  const startMs = new Date(startDate).getTime();
  const endMs = new Date(endDate).getTime();
  if (!(endMs >= startMs)) throw new RangeError('usageReport needs startDate <= endDate');
  const r = stream(opts.seed, 'usage-report', startMs, endMs);
  const licensed = CATALOG.filter((item) => ['seat', 'device', 'hour'].includes(item.unitOfMeasureType) && item.kind !== 'thirdParty');
  const picked = [];
  const count = Math.min(opts.usages, licensed.length);
  while (picked.length < count) picked.push(licensed.splice(r.int(0, licensed.length - 1), 1)[0]);

  const usages = picked.map((item, k) => {
    // The last license has no usage at all in the period.
    const count = k === picked.length - 1 ? 0 : r.int(1, item.unitOfMeasureType === 'device' ? 10 : 40);
    const seen = new Set();
    const resources = [];
    while (resources.length < count) {
      const name = item.unitOfMeasureType === 'device'
        ? uuidFrom(opts.seed, 'device', r.int(0, 1e9))
        : `${r.pick(FIRST_NAMES)}.${r.pick(LAST_NAMES)}@${partner.emailDomain}`;
      if (seen.has(name)) continue;
      seen.add(name);
      resources.push({ name, date: isoMillis(startMs + Math.floor(r.next() * (endMs - startMs))) });
    }
    let totalUsage = String(count);
    // Concurrent licenses count the peak, not the users seen; hours are decimal.
    if (item.name.includes('Concurrent')) totalUsage = String(Math.ceil(count * 0.6));
    if (item.unitOfMeasureType === 'hour') totalUsage = quantity(count * r.int(2, 40) * 5);
    return { name: item.name, totalUsage, resources };
  });

  return {
    id: uuidFrom(opts.seed, 'usage-report', startMs, endMs),
    startDate: isoMillis(startMs),
    endDate: isoMillis(endMs),
    status: 'Complete',
    usages,
  };
}
