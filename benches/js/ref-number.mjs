// The same invoice rules as ref-decimal.mjs, written the way many JavaScript billing scripts
// and peer tools write them: decimal strings read with Number(), amounts rounded with
// Math.round(x * 10^e) / 10^e, totals summed as floats and written with toFixed(e).
// This is the "Number JavaScript" of BENCHMARKS.md; the benchmark counts how many of its
// amounts differ from the exact result by one minor unit (a cent) or more.

import { currencyExponent, normalizeCurrency } from './currency.mjs';

export function invoiceFromOverview(o) {
  const orgId = o.organization.id ?? null;
  const orgName = o.organization.name ?? null;
  const label = `org ${JSON.stringify(orgName)} (${orgId})`;
  const currency = normalizeCurrency(o.currency);
  const exp = currencyExponent(currency, label);
  const f = 10 ** exp;
  const periodStart = o.billingPeriodStartDate ?? null;
  const periodEnd = o.billingPeriodEndDate ?? null;
  const lines = [];
  const warnings = [];
  let priced = 0;
  let complete = true;
  const push = (kind, licenseType, u, quantity, rate, amount) => {
    lines.push({
      organizationId: orgId, organizationName: orgName, licenseType,
      partNumber: u ? u.partNumber : null, grouping: u ? u.grouping : null, unitOfMeasure: u ? u.unitOfMeasureType : null,
      kind, quantity: String(quantity), rate: rate === null ? null : String(rate),
      amount: amount === null ? null : amount.toFixed(exp), amountNumber: amount, currency, periodStart, periodEnd,
      bundleQuantity: u ? u.bundleQuantity ?? null : null, isThirdParty: u ? u.isThirdParty ?? null : null,
    });
  };
  for (const u of o.usages) {
    const usage = Number(u.usageQuantity);
    const prepay = Number(u.prepayQuantity);
    const prepayPrice = u.prepayPrice == null ? null : Number(u.prepayPrice);
    const overagePrice = u.overagePrice == null ? null : Number(u.overagePrice);
    const onDemand = Math.max(0, usage - prepay);
    for (const [kind, q, r] of [['prepay', prepay, prepayPrice], ['on-demand', onDemand, overagePrice]]) {
      if (!(q > 0)) continue;
      if (r === null) {
        complete = false;
        push(kind, u.name, u, q, null, null);
        warnings.push({ code: 'unpriced', message: `${label}: ${kind} line ${JSON.stringify(u.name)} has no rate`, licenseType: u.name });
        continue;
      }
      const amount = Math.round(q * r * f) / f;
      priced += amount;
      push(kind, u.name, u, q, r, amount);
    }
  }
  if (o.minimumMonthlyAmount != null) {
    const min = Number(o.minimumMonthlyAmount);
    if (min > 0 && priced < min) {
      const topUp = Math.round((min - priced) * f) / f;
      if (topUp > 0) {
        if (!complete) warnings.push({ code: 'minimum_over_incomplete', message: `${label}: top-up ${topUp.toFixed(exp)} against priced lines only` });
        push('minimum-commitment', 'Minimum monthly commitment', null, 1, topUp, topUp);
        priced += topUp;
      }
    }
  }
  return {
    lines,
    totals: [{ organizationId: orgId, organizationName: orgName, currency, amount: priced.toFixed(exp), complete }],
    warnings,
  };
}
