//! Pricing a billable-usage report: an org's own counts, without prices,
//! priced from the caller's price book.

use super::{
    amount, check_period, totals, unpriced_warning, Invoice, InvoiceLine, InvoiceWarning, LineKind,
    Org, UsageContext,
};
use crate::currency;
use crate::error::Result;
use crate::model::BillingUsageReport;
use crate::money;
use crate::options::UsageInvoiceOptions;

/// Invoice lines for one org from a billable-usage report, which has
/// quantities but no prices: rates come from the caller's price book.
pub fn from_usage(r: &BillingUsageReport, opts: &UsageInvoiceOptions) -> Result<Invoice> {
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
        warnings.push(InvoiceWarning {
            code: "report_in_progress".into(),
            message: "the billable-usage report is still InProgress: quantities may be incomplete"
                .into(),
            organization_id: org.id.map(str::to_string),
            license_type: None,
        });
    }
    for (i, u) in r.usages.iter().enumerate() {
        let ctx = UsageContext {
            index: i,
            name: &u.name,
            part_number: None,
            org: &label,
            org_id: org.id,
        };
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
