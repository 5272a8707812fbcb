//! Invoice lines (Company, License type, Quantity, Rate, Amount) computed
//! exactly from a trustee billing overview or a billable-usage report.

use crate::currency;
use crate::dates::Timestamp;
use crate::error::{BillingError, Result};
use crate::model::{BillingUsageReport, BillingUsageResource, TrusteeBillingOverview};
use crate::money::{self, decimal_str};
use crate::options::{OverviewOptions, UsageOptions};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Prepaid (committed) quantity at the prepay price.
    Prepay,
    /// Usage above the prepaid quantity at the overage price.
    OnDemand,
    /// Tops the org up to its minimum monthly amount.
    MinimumCommitment,
    /// A billable-usage report line, priced from the caller's price book.
    Usage,
}

/// One invoice line. `rate` and `amount` are both set or both null: a line
/// without a rate is unpriced, never zero. Deserialising checks this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "LineRepr")]
pub struct InvoiceLine {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub license_type: String,
    pub part_number: Option<String>,
    pub grouping: Option<String>,
    pub unit_of_measure: Option<String>,
    pub kind: LineKind,
    #[serde(with = "decimal_str")]
    pub quantity: Decimal,
    #[serde(with = "decimal_str::option")]
    pub rate: Option<Decimal>,
    #[serde(with = "decimal_str::option")]
    pub amount: Option<Decimal>,
    pub currency: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub bundle_quantity: Option<String>,
    pub is_third_party: Option<bool>,
    /// The users or devices behind a `usage` line, for a detail view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<BillingUsageResource>>,
}

/// The wire shape of a line, checked before it becomes an `InvoiceLine`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineRepr {
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    organization_name: Option<String>,
    license_type: String,
    #[serde(default)]
    part_number: Option<String>,
    #[serde(default)]
    grouping: Option<String>,
    #[serde(default)]
    unit_of_measure: Option<String>,
    kind: LineKind,
    #[serde(with = "decimal_str")]
    quantity: Decimal,
    #[serde(default, with = "decimal_str::option")]
    rate: Option<Decimal>,
    #[serde(default, with = "decimal_str::option")]
    amount: Option<Decimal>,
    currency: String,
    #[serde(default)]
    period_start: Option<String>,
    #[serde(default)]
    period_end: Option<String>,
    #[serde(default)]
    bundle_quantity: Option<String>,
    #[serde(default)]
    is_third_party: Option<bool>,
    #[serde(default)]
    resources: Option<Vec<BillingUsageResource>>,
}

impl TryFrom<LineRepr> for InvoiceLine {
    type Error = String;

    fn try_from(r: LineRepr) -> std::result::Result<Self, String> {
        if r.rate.is_some() != r.amount.is_some() {
            return Err(format!(
                "line {:?} has a rate without an amount or an amount without a rate",
                r.license_type
            ));
        }
        if r.currency.is_empty() {
            return Err(format!("line {:?} has no currency", r.license_type));
        }
        Ok(Self {
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            license_type: r.license_type,
            part_number: r.part_number,
            grouping: r.grouping,
            unit_of_measure: r.unit_of_measure,
            kind: r.kind,
            quantity: r.quantity,
            rate: r.rate,
            amount: r.amount,
            currency: r.currency,
            period_start: r.period_start,
            period_end: r.period_end,
            bundle_quantity: r.bundle_quantity,
            is_third_party: r.is_third_party,
            resources: r.resources,
        })
    }
}

/// The sum of an organisation's rounded line amounts in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Total {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub currency: String,
    #[serde(with = "decimal_str")]
    pub amount: Decimal,
    /// False when a line of this org and currency is unpriced: the amount
    /// then covers the priced lines only.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub lines: Vec<InvoiceLine>,
    pub totals: Vec<Total>,
    pub warnings: Vec<Warning>,
}

/// Who an invoice is for, as the lines and messages name it.
struct Org<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
}

impl Org<'_> {
    fn label(&self) -> String {
        org_label(self.id, self.name)
    }
}

/// How messages name an organisation: `org "Acme" (id)`.
pub(crate) fn org_label(id: Option<&str>, name: Option<&str>) -> String {
    match (name, id) {
        (Some(n), Some(i)) => format!("org {n:?} ({i})"),
        (Some(n), None) => format!("org {n:?}"),
        (None, Some(i)) => format!("org {i}"),
        (None, None) => "the organization".to_string(),
    }
}

impl LineKind {
    /// The kind as JSON, the CSV's Charge column and messages spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Prepay => "prepay",
            LineKind::OnDemand => "on-demand",
            LineKind::MinimumCommitment => "minimum-commitment",
            LineKind::Usage => "usage",
        }
    }
}

/// Prices a quantity: the amount is rounded once, per line.
fn amount(
    quantity: Decimal,
    rate: Option<Decimal>,
    exponent: u32,
    options_rounding: money::Rounding,
    context: &str,
) -> Result<Option<Decimal>> {
    rate.map(|r| {
        let exact = money::checked_mul(quantity, r, "quantity × rate", context)?;
        Ok(money::round_amount(exact, exponent, options_rounding))
    })
    .transpose()
}

fn unpriced_warning(org: &Org, line: &InvoiceLine, why: &str) -> Warning {
    Warning {
        code: "unpriced".into(),
        message: format!(
            "{}: {} line {:?} has no rate ({why}); it is not counted in the total",
            org.label(),
            line.kind.as_str(),
            line.license_type
        ),
        organization_id: org.id.map(str::to_string),
        license_type: Some(line.license_type.clone()),
    }
}

/// Rejects a period that ends before it starts: such data cannot be billed
/// for, and would otherwise surface only at export time, as a Stripe
/// `invalid_invoice` or a FOCUS file with a negative charge period.
fn check_period(
    (start_field, start): (&str, Option<&Timestamp>),
    (end_field, end): (&str, Option<&Timestamp>),
    context: &str,
) -> Result<()> {
    match (start, end) {
        (Some(s), Some(e)) if e.unix_ms() < s.unix_ms() => Err(BillingError::InvalidDate {
            field: format!("`{end_field}` of {context}"),
            detail: format!(
                "{:?} is before `{start_field}` {:?}",
                e.as_str(),
                s.as_str()
            ),
        }),
        _ => Ok(()),
    }
}

/// What a total is kept per: organisation and currency.
type TotalKey<'a> = (Option<&'a str>, Option<&'a str>, &'a str);

fn total_key(t: &Total) -> TotalKey<'_> {
    (
        t.organization_id.as_deref(),
        t.organization_name.as_deref(),
        &t.currency,
    )
}

/// Builds the totals of `lines` per organisation and currency, in the order
/// each pair first appears. Currencies are never added together. Indexed, so
/// a partner run of thousands of orgs stays linear.
pub fn totals(lines: &[InvoiceLine]) -> Result<Vec<Total>> {
    let mut out: Vec<Total> = Vec::new();
    let mut index: HashMap<TotalKey<'_>, usize> = HashMap::new();
    for line in lines {
        let key = (
            line.organization_id.as_deref(),
            line.organization_name.as_deref(),
            line.currency.as_str(),
        );
        let pos = *index.entry(key).or_insert_with(|| {
            out.push(Total {
                organization_id: line.organization_id.clone(),
                organization_name: line.organization_name.clone(),
                currency: line.currency.clone(),
                amount: Decimal::ZERO,
                complete: true,
            });
            out.len() - 1
        });
        let total = &mut out[pos];
        match line.amount {
            Some(a) => {
                total.amount = total.amount.checked_add(a).ok_or_else(|| {
                    let context = line
                        .organization_name
                        .as_deref()
                        .or(line.organization_id.as_deref())
                        .unwrap_or_default();
                    BillingError::Overflow {
                        what: "the total",
                        context: context.to_string(),
                    }
                })?;
            }
            None => total.complete = false,
        }
    }
    Ok(out)
}

/// Invoice lines for one customer org from its trustee billing overview.
pub fn from_overview(o: &TrusteeBillingOverview, opts: &OverviewOptions) -> Result<Invoice> {
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
    for (i, u) in o.usages.iter().enumerate() {
        let ctx = format!(
            "usage #{} {:?} ({}) of {label}",
            i + 1,
            u.name,
            u.part_number
        );
        let usage = money::parse_quantity("usageQuantity", &ctx, &u.usage_quantity)?;
        let prepay = money::parse_quantity("prepayQuantity", &ctx, &u.prepay_quantity)?;
        let parse_price = |field: &str, v: &Option<String>| {
            v.as_deref()
                .map(|v| money::parse_decimal(field, &ctx, v))
                .transpose()
        };
        let api_prepay = parse_price("prepayPrice", &u.prepay_price)?;
        let api_overage = parse_price("overagePrice", &u.overage_price)?;
        let entry = opts
            .price_book
            .get(&u.part_number)
            .or_else(|| opts.price_book.get(&u.name));
        let mark_up = |rate: Option<Decimal>| -> Result<Option<Decimal>> {
            match (rate, opts.markup_factor) {
                (Some(r), Some(f)) => {
                    money::checked_mul(r, f, "the marked-up rate", &ctx).map(Some)
                }
                (r, _) => Ok(r),
            }
        };
        let on_demand = if usage > prepay {
            money::checked_sub(usage, prepay, "the on-demand quantity", &ctx)?
        } else {
            Decimal::ZERO
        };
        let candidates = [
            (
                LineKind::Prepay,
                prepay,
                entry.and_then(|e| e.prepay).or(api_prepay),
                "prepayPrice",
            ),
            (
                LineKind::OnDemand,
                on_demand,
                entry.and_then(|e| e.on_demand).or(api_overage),
                "overagePrice",
            ),
        ];
        for (kind, quantity, base_rate, price_field) in candidates {
            if quantity <= Decimal::ZERO {
                continue;
            }
            let rate = mark_up(base_rate)?;
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
            if min > Decimal::ZERO && priced < min {
                let top_up = money::round_amount(
                    money::checked_sub(min, priced, "the minimum commitment", &label)?,
                    exponent,
                    opts.rounding,
                );
                if top_up > Decimal::ZERO {
                    if lines.iter().any(|l| l.amount.is_none()) {
                        // The rule compares priced lines only; with some
                        // unpriced the top-up may overstate what is owed.
                        warnings.push(Warning {
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
    }

    let mut totals = totals(&lines)?;
    if totals.is_empty() {
        // An org with no billable usage still has a (zero, complete) total,
        // so a partner run shows it rather than losing it.
        totals.push(Total {
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

/// Invoice lines for one org from a billable-usage report, which has
/// quantities but no prices: rates come from the caller's price book.
pub fn from_usage(r: &BillingUsageReport, opts: &UsageOptions) -> Result<Invoice> {
    let named = opts.organization.clone().unwrap_or_default();
    let org = Org {
        id: named.id.as_deref(),
        name: named.name.as_deref(),
    };
    let label = org.label();
    let exponent = currency::exponent(&opts.currency, opts.currency_exponent, &label)?;
    check_period(
        ("startDate", Some(&r.start_date)),
        ("endDate", Some(&r.end_date)),
        "the billable-usage report",
    )?;
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    if r.in_progress() {
        warnings.push(Warning {
            code: "report_in_progress".into(),
            message: "the billable-usage report is still InProgress: quantities may be incomplete"
                .into(),
            organization_id: org.id.map(str::to_string),
            license_type: None,
        });
    }
    for (i, u) in r.usages.iter().enumerate() {
        let ctx = format!("usage #{} {:?} of {label}", i + 1, u.name);
        let quantity = money::parse_quantity("totalUsage", &ctx, &u.total_usage)?;
        let rate = opts.price_book.get(&u.name).copied();
        let line = InvoiceLine {
            organization_id: org.id.map(str::to_string),
            organization_name: org.name.map(str::to_string),
            license_type: u.name.clone(),
            part_number: None,
            grouping: None,
            unit_of_measure: None,
            kind: LineKind::Usage,
            quantity,
            rate,
            amount: amount(quantity, rate, exponent, opts.rounding, &ctx)?,
            currency: opts.currency.clone(),
            period_start: Some(r.start_date.as_str().to_string()),
            period_end: Some(r.end_date.as_str().to_string()),
            bundle_quantity: None,
            is_third_party: None,
            resources: Some(u.resources.clone()),
        };
        if rate.is_none() {
            warnings.push(unpriced_warning(
                &org,
                &line,
                "the price book has no rate for it",
            ));
        }
        lines.push(line);
    }
    let totals = totals(&lines)?;
    Ok(Invoice {
        lines,
        totals,
        warnings,
    })
}

impl Invoice {
    /// Puts several orgs' invoices into one, as a partner run does. Totals
    /// stay per organisation and currency.
    pub fn merge(invoices: impl IntoIterator<Item = Invoice>) -> Result<Invoice> {
        let mut out = Invoice::default();
        let mut empty_totals = Vec::new();
        for inv in invoices {
            if inv.lines.is_empty() {
                empty_totals.extend(inv.totals);
            }
            out.lines.extend(inv.lines);
            out.warnings.extend(inv.warnings);
        }
        out.totals = totals(&out.lines)?;
        // An org can appear twice in a run (once empty): one total each.
        let mut known: HashSet<(Option<String>, Option<String>, String)> = out
            .totals
            .iter()
            .map(|t| {
                (
                    t.organization_id.clone(),
                    t.organization_name.clone(),
                    t.currency.clone(),
                )
            })
            .collect();
        for t in empty_totals {
            let key = (
                t.organization_id.clone(),
                t.organization_name.clone(),
                t.currency.clone(),
            );
            if known.insert(key) {
                out.totals.push(t);
            }
        }
        Ok(out)
    }

    /// Checks an invoice handed back from JavaScript before exporting it:
    /// every total must be the sum of its lines, appear once, and a total
    /// with no line behind it must be zero (an org with no usage).
    pub fn check(&self) -> Result<()> {
        let computed = totals(&self.lines)?;
        let same = |a: &Total, b: &Total| {
            a.organization_id == b.organization_id
                && a.organization_name == b.organization_name
                && a.currency == b.currency
        };
        let mismatch = |t: &Total, why: &str| BillingError::InvalidInvoice {
            reason: format!(
                "the total for {} in {} {why} ({})",
                t.organization_name
                    .as_deref()
                    .or(t.organization_id.as_deref())
                    .unwrap_or("the organization"),
                t.currency,
                money::to_plain(t.amount)
            ),
        };
        let mut given: HashMap<TotalKey<'_>, Vec<&Total>> = HashMap::new();
        for g in &self.totals {
            given.entry(total_key(g)).or_default().push(g);
        }
        let computed_keys: HashSet<TotalKey<'_>> = computed.iter().map(total_key).collect();
        for t in &computed {
            match given.get(&total_key(t)).map(Vec::as_slice) {
                Some([g]) if same(g, t) && g.amount == t.amount && g.complete == t.complete => {}
                Some([_, _, ..]) => return Err(mismatch(t, "appears more than once")),
                _ => return Err(mismatch(t, "does not match its lines")),
            }
        }
        for g in &self.totals {
            let lineless = !computed_keys.contains(&total_key(g));
            if lineless && (!g.amount.is_zero() || !g.complete) {
                return Err(mismatch(g, "has no lines but is not zero"));
            }
        }
        Ok(())
    }

    pub fn from_json(json: &str) -> Result<Invoice> {
        BillingError::parse_json("invoice", json)
    }
}
