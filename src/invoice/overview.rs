//! Pricing a trustee billing overview: the partner's view of one customer
//! org, with quantities and (usually) prices.

use super::{
    amount, check_period, totals, unpriced_warning, Invoice, InvoiceLine, InvoiceTotal,
    InvoiceWarning, LineKind, Org, UsageContext,
};
use crate::currency;
use crate::error::{BillingError, Result};
use crate::model::TrusteeBillingOverview;
use crate::money;
use crate::options::{OverviewInvoiceOptions, RateOverride};
use rust_decimal::Decimal;

/// A marked-up rate keeps its exact value but not the scale the
/// multiplication left: at least the currency's minor digits, and no
/// trailing zeros beyond them (92.40 × 1.125 = 103.95000 → 103.95;
/// 0.0063 × 1.125 = 0.0070875 stays; 100 × 1.1 = 110.0 → 110.00 in USD).
fn marked_up_scale(rate: Decimal, exponent: u32) -> Decimal {
    money::pad_to(rate.normalize(), exponent)
}

// ---- The pricing rules, one function each ----

/// Splitting usage: the prepaid quantity is billed at the prepay rate
/// whatever was used; usage beyond it is billed on demand.
fn split_usage(usage: Decimal, prepaid: Decimal, ctx: &UsageContext) -> Result<(Decimal, Decimal)> {
    let on_demand = if usage > prepaid {
        money::checked_sub(usage, prepaid, "the on-demand quantity", ctx)?
    } else {
        Decimal::ZERO
    };
    Ok((prepaid, on_demand))
}

/// Choosing the rate: a price-book rate (looked up by part number, then by
/// usage name) wins over the API's; with neither, the line is unpriced.
fn choose_rate(book: Option<Decimal>, api: Option<Decimal>) -> Option<Decimal> {
    book.or(api)
}

/// Markup: every chosen rate is multiplied by `1 + markupPercent/100`,
/// exactly, and written at the currency's scale (`marked_up_scale`).
fn mark_up(
    rate: Option<Decimal>,
    factor: Option<Decimal>,
    exponent: u32,
    ctx: &UsageContext,
) -> Result<Option<Decimal>> {
    match (rate, factor) {
        (Some(r), Some(f)) => money::checked_mul(r, f, "the marked-up rate", ctx)
            .map(|r| Some(marked_up_scale(r, exponent))),
        (r, _) => Ok(r),
    }
}

/// The minimum top-up: the minimum monthly amount is compared with the sum
/// of the priced lines *after* markup, and the shortfall, rounded once, is
/// billed as it is (the minimum itself is not marked up).
fn minimum_top_up(
    minimum: Decimal,
    priced: Decimal,
    exponent: u32,
    rounding: money::Rounding,
    label: &str,
) -> Result<Option<Decimal>> {
    if minimum <= Decimal::ZERO || priced >= minimum {
        return Ok(None);
    }
    let top_up = money::round_amount(
        money::checked_sub(minimum, priced, "the minimum commitment", &label)?,
        exponent,
        rounding,
    );
    Ok((top_up > Decimal::ZERO).then_some(top_up))
}

/// Invoice lines for one customer org from its trustee billing overview.
pub fn from_overview(o: &TrusteeBillingOverview, opts: &OverviewInvoiceOptions) -> Result<Invoice> {
    let org = Org {
        id: o.organization.id.as_deref(),
        name: o.organization.name.as_deref(),
    };
    let label = org.label();
    let currency = currency::normalize(&o.currency);
    let exponent = currency::exponent(&currency, opts.currency_exponent, &label)?;
    check_period(
        (
            "billingPeriodStartDate",
            o.billing_period_start_date.as_ref(),
        ),
        ("billingPeriodEndDate", o.billing_period_end_date.as_ref()),
        &label,
    )?;
    let period_start = o
        .billing_period_start_date
        .as_ref()
        .map(|t| t.as_str().to_string());
    let period_end = o
        .billing_period_end_date
        .as_ref()
        .map(|t| t.as_str().to_string());

    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    if o.in_ramp_period == Some(true) {
        // The API flags the ramp period but carries no ramp prices, so the
        // lines below use the ordinary ones: say so rather than bill blind.
        let dates = match (&o.ramp_period_start_date, &o.ramp_period_end_date) {
            (Some(s), Some(e)) => format!(" ({} to {})", s.as_str(), e.as_str()),
            _ => String::new(),
        };
        warnings.push(InvoiceWarning {
            code: "ramp_period".into(),
            message: format!(
                "{label} is in its ramp period{dates}: ramp pricing is not in the API, so these lines use the ordinary rates; check them before billing"
            ),
            organization_id: org.id.map(str::to_string),
            license_type: None,
        });
    }
    for (i, u) in o.usages.iter().enumerate() {
        let ctx = UsageContext {
            index: i,
            name: &u.name,
            part_number: Some(&u.part_number),
            org: &label,
            org_id: org.id,
        };
        let usage = money::parse_quantity("usageQuantity", &ctx, &u.usage_quantity)?;
        let prepay = money::parse_quantity("prepayQuantity", &ctx, &u.prepay_quantity)?;
        let parse_price = |field: &str, v: &Option<String>| {
            v.as_deref()
                .map(|v| money::parse_decimal(field, &ctx, v))
                .transpose()
        };
        let api_prepay = parse_price("prepayPrice", &u.prepay_price)?;
        let api_overage = parse_price("overagePrice", &u.overage_price)?;
        let entry: Option<&RateOverride> = opts
            .price_book
            .get(&u.part_number)
            .or_else(|| opts.price_book.get(&u.name));
        let (prepay, on_demand) = split_usage(usage, prepay, &ctx)?;
        let candidates = [
            (
                LineKind::Prepay,
                prepay,
                choose_rate(entry.and_then(|e| e.prepay), api_prepay),
                "prepayPrice",
            ),
            (
                LineKind::OnDemand,
                on_demand,
                choose_rate(entry.and_then(|e| e.on_demand), api_overage),
                "overagePrice",
            ),
        ];
        for (kind, quantity, base_rate, price_field) in candidates {
            if quantity <= Decimal::ZERO {
                continue;
            }
            let rate = mark_up(base_rate, opts.markup_factor, exponent, &ctx)?;
            let line = InvoiceLine {
                organization_id: org.id.map(str::to_string),
                organization_name: org.name.map(str::to_string),
                license_type: u.name.clone(),
                part_number: Some(u.part_number.clone()),
                grouping: Some(u.grouping.clone()),
                unit_of_measure: Some(u.unit_of_measure_type.clone()),
                kind,
                quantity,
                rate,
                amount: amount(quantity, rate, exponent, opts.rounding, &ctx)?,
                currency: currency.clone(),
                period_start: period_start.clone(),
                period_end: period_end.clone(),
                bundle_quantity: u.bundle_quantity.clone(),
                is_third_party: u.is_third_party,
                resources: None,
            };
            if rate.is_none() {
                let why = format!("the API sent no {price_field} and the price book has none");
                warnings.push(unpriced_warning(&org, &line, &why));
            }
            lines.push(line);
        }
    }

    if opts.apply_minimum {
        if let Some(min) = o.minimum_monthly_amount.as_deref() {
            let min = money::parse_decimal("minimumMonthlyAmount", &label, min)?;
            let priced = lines
                .iter()
                .filter_map(|l| l.amount)
                .try_fold(Decimal::ZERO, |s, a| {
                    money::checked_add(s, a, "the total", &label)
                })?;
            if let Some(top_up) = minimum_top_up(min, priced, exponent, opts.rounding, &label)? {
                if lines.iter().any(|l| l.amount.is_none()) {
                    // The rule compares priced lines only; with some
                    // unpriced the top-up may overstate what is owed.
                    warnings.push(InvoiceWarning {
                        code: "minimum_over_incomplete".into(),
                        message: format!(
                            "{label}: the minimum-commitment top-up of {} is computed against the priced lines only; price the unpriced lines to confirm it",
                            money::to_plain(top_up)
                        ),
                        organization_id: org.id.map(str::to_string),
                        license_type: None,
                    });
                }
                lines.push(InvoiceLine {
                    organization_id: org.id.map(str::to_string),
                    organization_name: org.name.map(str::to_string),
                    license_type: "Minimum monthly commitment".into(),
                    part_number: None,
                    grouping: None,
                    unit_of_measure: None,
                    kind: LineKind::MinimumCommitment,
                    quantity: Decimal::ONE,
                    rate: Some(top_up),
                    amount: Some(top_up),
                    currency: currency.clone(),
                    period_start: period_start.clone(),
                    period_end: period_end.clone(),
                    bundle_quantity: None,
                    is_third_party: None,
                    resources: None,
                });
            }
        }
    }

    let mut totals = totals(&lines)?;
    if totals.is_empty() {
        // An org with no billable usage still has a (zero, complete) total,
        // so a partner run shows it rather than losing it.
        totals.push(InvoiceTotal {
            organization_id: org.id.map(str::to_string),
            organization_name: org.name.map(str::to_string),
            currency,
            amount: money::round_amount(Decimal::ZERO, exponent, opts.rounding),
            complete: true,
        });
    }
    Ok(Invoice {
        lines,
        totals,
        warnings,
    })
}

/// One invoice for many orgs' overviews priced with the same options, as a
/// partner run gives (`Invoice.fromOverviews`). A bad element fails the
/// whole call with its own error, wrapped to name its position and, once
/// its overview could be read, its org: a partner must know which to fix.
pub fn from_overviews<I>(overviews: I, opts: &OverviewInvoiceOptions) -> Result<Invoice>
where
    I: IntoIterator<Item = Result<TrusteeBillingOverview>>,
{
    let in_element = |index, org: Option<&crate::model::NamedEntity>, e| BillingError::InElement {
        index,
        organization_id: org.and_then(|o| o.id.clone()),
        organization_name: org.and_then(|o| o.name.clone()),
        inner: Box::new(e),
    };
    let mut invoices = Vec::new();
    for (index, o) in overviews.into_iter().enumerate() {
        let o = o.map_err(|e| in_element(index, None, e))?;
        let inv =
            from_overview(&o, opts).map_err(|e| in_element(index, Some(&o.organization), e))?;
        invoices.push(inv);
    }
    Invoice::merge(invoices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const CTX: UsageContext = UsageContext {
        index: 0,
        name: "CX 3",
        part_number: Some("PC-1"),
        org: "org \"Acme\"",
        org_id: Some("org-1"),
    };

    #[test]
    fn usage_splits_into_the_prepaid_quantity_and_the_rest() {
        assert_eq!(
            split_usage(d("12"), d("10"), &CTX).unwrap(),
            (d("10"), d("2"))
        );
        // Under-used prepay is still billed in full; nothing on demand.
        assert_eq!(
            split_usage(d("7"), d("10"), &CTX).unwrap(),
            (d("10"), d("0"))
        );
        assert_eq!(
            split_usage(d("2.5"), d("0"), &CTX).unwrap(),
            (d("0"), d("2.5"))
        );
    }

    #[test]
    fn the_price_book_wins_over_the_api() {
        assert_eq!(choose_rate(Some(d("9.50")), Some(d("10"))), Some(d("9.50")));
        assert_eq!(choose_rate(None, Some(d("10"))), Some(d("10")));
        assert_eq!(choose_rate(None, None), None);
    }

    #[test]
    fn markup_is_exact_at_the_currency_scale() {
        let f = Some(d("1.125"));
        assert_eq!(
            mark_up(Some(d("92.40")), f, 2, &CTX)
                .unwrap()
                .unwrap()
                .to_string(),
            "103.95"
        );
        assert_eq!(
            mark_up(Some(d("0.0063")), f, 2, &CTX)
                .unwrap()
                .unwrap()
                .to_string(),
            "0.0070875"
        );
        assert_eq!(mark_up(None, f, 2, &CTX).unwrap(), None);
        assert_eq!(mark_up(Some(d("5")), None, 2, &CTX).unwrap(), Some(d("5")));
        let e = mark_up(Some(Decimal::MAX), Some(d("2")), 2, &CTX).unwrap_err();
        assert_eq!(e.code(), "overflow");
        assert!(e.to_string().contains("CX 3"), "{e}");
    }

    #[test]
    fn the_top_up_is_the_rounded_shortfall() {
        let up = money::Rounding::HalfUp;
        assert_eq!(
            minimum_top_up(d("1500"), d("1047.48"), 2, up, "x").unwrap(),
            Some(d("452.52"))
        );
        assert_eq!(
            minimum_top_up(d("1500"), d("1500.00"), 2, up, "x").unwrap(),
            None
        );
        assert_eq!(minimum_top_up(d("0"), d("0"), 2, up, "x").unwrap(), None);
        // A shortfall below the minor unit rounds to nothing: no zero line.
        assert_eq!(
            minimum_top_up(d("100.004"), d("100"), 2, up, "x").unwrap(),
            None
        );
        assert_eq!(
            minimum_top_up(d("100.5"), d("100"), 0, up, "x").unwrap(),
            Some(d("1"))
        );
    }
}
