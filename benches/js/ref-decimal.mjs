// Plain JavaScript implementation of the invoice rules of src/invoice.rs (invoiceFromOverview
// with the default options: no price book, no markup, half-up rounding, minimum applied) with
// exact decimals from decimal.js: the "exact-decimal JavaScript" of BENCHMARKS.md.
//
// Rules, as in from_overview():
// - every decimal string must be -?digits(.digits)? (and fit 28 significant digits); quantities
//   must not be negative;
// - per usage: a `prepay` line (prepayQuantity x prepayPrice) and an `on-demand` line
//   (max(0, usage - prepay) x overagePrice); a line whose quantity is 0 is left out; a line
//   without a price is unpriced (rate and amount null, an `unpriced` warning);
// - amount = quantity x rate rounded once, half-up, to the currency's ISO 4217 exponent and
//   written with exactly that many decimals;
// - minimumMonthlyAmount > priced sum: a `minimum-commitment` line of quantity 1 tops it up
//   (rounded the same way);
// - the org's total is the sum of its rounded amounts (complete: false if a line is unpriced);
//   an org without lines has a zero, complete total.
// Decimals are written as rust_decimal writes them: the scale they were given with (the
// difference of two quantities has the larger scale), no exponent, never "-0".

import Decimal from '../../tests/node_modules/decimal.js/decimal.mjs';
import { currencyExponent, normalizeCurrency } from './currency.mjs';

const D = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -64, toExpPos: 64 });
const ZERO = new D(0);
const PLAIN = /^-?\d+(\.\d+)?$/;
// 2^96 - 1, rust_decimal's largest mantissa.
const MAX_MANTISSA = 79228162514264337593543950335n;

function scaleOf(s) {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

class InvoiceError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

// {value: Decimal, scale} from an API decimal string, rejected rather than guessed at.
function parseDecimal(field, context, text) {
  if (typeof text !== 'string' || !PLAIN.test(text)) {
    throw new InvoiceError('invalid_decimal', `${field} of ${context}: ${JSON.stringify(text)} is not a plain decimal`);
  }
  const scale = scaleOf(text);
  const digits = text.length - (text[0] === '-' ? 1 : 0) - (scale ? 1 : 0);
  if (scale > 28 || (digits > 28 && BigInt(text.replace(/[-.]/g, '')) > MAX_MANTISSA)) {
    throw new InvoiceError('invalid_decimal', `${field} of ${context}: ${text} needs more than 28 significant digits`);
  }
  return { value: new D(text), scale };
}

function parseQuantity(field, context, text) {
  const q = parseDecimal(field, context, text);
  if (q.value.isNegative() && !q.value.isZero()) throw new InvoiceError('negative_quantity', `${field} of ${context} is ${text}`);
  return q;
}

function plain(value, scale) {
  return value.isZero() ? ZERO.toFixed(scale) : value.toFixed(scale);
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$/;
function timestamp(field, value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !DATE.test(value)) throw new InvoiceError('invalid_date', `${field}: ${JSON.stringify(value)}`);
  return value;
}

function requireString(obj, field, context) {
  const v = obj[field];
  if (typeof v !== 'string') throw new InvoiceError(v === undefined ? 'missing_field' : 'wrong_type', `${field} of ${context}`);
  return v;
}

const KIND_NAME = { prepay: 'prepay', 'on-demand': 'on-demand' };

/** Invoice lines, totals and warnings for one TrusteeBillingOverview object. */
export function invoiceFromOverview(o) {
  if (typeof o !== 'object' || o === null || typeof o.organization !== 'object' || !Array.isArray(o.usages)) {
    throw new InvoiceError('wrong_type', 'not a trustee billing overview');
  }
  const orgId = o.organization.id ?? null;
  const orgName = o.organization.name ?? null;
  const label = orgName !== null && orgId !== null ? `org ${JSON.stringify(orgName)} (${orgId})`
    : orgName !== null ? `org ${JSON.stringify(orgName)}` : orgId !== null ? `org ${orgId}` : 'the organization';
  const currency = normalizeCurrency(requireString(o, 'currency', label));
  const exp = currencyExponent(currency, label);
  const periodStart = timestamp('billingPeriodStartDate', o.billingPeriodStartDate);
  const periodEnd = timestamp('billingPeriodEndDate', o.billingPeriodEndDate);

  const lines = [];
  const warnings = [];
  let priced = ZERO;
  let anyPriced = false;
  let complete = true;
  const push = (kind, licenseType, u, quantity, rate, amount) => {
    lines.push({
      organizationId: orgId, organizationName: orgName, licenseType,
      partNumber: u ? u.partNumber : null, grouping: u ? u.grouping : null, unitOfMeasure: u ? u.unitOfMeasureType : null,
      kind, quantity, rate, amount, currency, periodStart, periodEnd,
      bundleQuantity: u ? u.bundleQuantity ?? null : null, isThirdParty: u ? u.isThirdParty ?? null : null,
    });
  };

  for (let i = 0; i < o.usages.length; i++) {
    const u = o.usages[i];
    const ctx = `usage #${i + 1} ${JSON.stringify(u.name)} (${u.partNumber}) of ${label}`;
    for (const f of ['name', 'partNumber', 'grouping', 'unitOfMeasureType']) requireString(u, f, ctx);
    const usage = parseQuantity('usageQuantity', ctx, requireString(u, 'usageQuantity', ctx));
    const prepay = parseQuantity('prepayQuantity', ctx, requireString(u, 'prepayQuantity', ctx));
    const prepayPrice = u.prepayPrice === undefined || u.prepayPrice === null ? null : parseDecimal('prepayPrice', ctx, u.prepayPrice);
    const overagePrice = u.overagePrice === undefined || u.overagePrice === null ? null : parseDecimal('overagePrice', ctx, u.overagePrice);
    const onDemand = usage.value.gt(prepay.value)
      ? { value: usage.value.minus(prepay.value), scale: Math.max(usage.scale, prepay.scale) }
      : null;
    for (const [kind, q, r, field] of [['prepay', prepay, prepayPrice, 'prepayPrice'], ['on-demand', onDemand, overagePrice, 'overagePrice']]) {
      if (q === null || !q.value.gt(0)) continue;
      const quantity = plain(q.value, q.scale);
      if (r === null) {
        complete = false;
        push(kind, u.name, u, quantity, null, null);
        warnings.push({
          code: 'unpriced',
          message: `${label}: ${KIND_NAME[kind]} line ${JSON.stringify(u.name)} has no rate (the API sent no ${field} and the price book has none); it is not counted in the total`,
          organizationId: orgId ?? undefined,
          licenseType: u.name,
        });
        continue;
      }
      const amount = q.value.times(r.value).toDecimalPlaces(exp, D.ROUND_HALF_UP);
      priced = priced.plus(amount);
      anyPriced = true;
      push(kind, u.name, u, quantity, plain(r.value, r.scale), plain(amount, exp));
    }
  }

  if (o.minimumMonthlyAmount !== undefined && o.minimumMonthlyAmount !== null) {
    const min = parseDecimal('minimumMonthlyAmount', label, o.minimumMonthlyAmount).value;
    if (min.gt(0) && priced.lt(min)) {
      const topUp = min.minus(priced).toDecimalPlaces(exp, D.ROUND_HALF_UP);
      if (topUp.gt(0)) {
        const text = plain(topUp, exp);
        if (!complete) {
          warnings.push({
            code: 'minimum_over_incomplete',
            message: `${label}: the minimum-commitment top-up of ${text} is computed against the priced lines only; price the unpriced lines to confirm it`,
            organizationId: orgId ?? undefined,
          });
        }
        push('minimum-commitment', 'Minimum monthly commitment', null, '1', text, text);
        priced = priced.plus(topUp);
        anyPriced = true;
      }
    }
  }

  // One org and one currency per overview: one total. Without any priced line the sum keeps
  // the scale of zero ("0"); an org without lines gets the currency's zero ("0.00").
  const amount = lines.length === 0 ? ZERO.toFixed(exp) : anyPriced ? plain(priced, exp) : '0';
  const totals = [{ organizationId: orgId, organizationName: orgName, currency, amount, complete: lines.length === 0 ? true : complete }];
  return { lines, totals, warnings };
}
