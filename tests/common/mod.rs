//! Helpers the native test files share (each file uses some of them).
#![allow(dead_code)]

use genesys_billing::invoice::totals;
use genesys_billing::{Invoice, InvoiceLine, LineKind};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A decimal from its text, exactly.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An invoice of `lines` with the totals the core computes for them.
pub fn of(lines: Vec<InvoiceLine>) -> Invoice {
    Invoice {
        totals: totals(&lines).unwrap(),
        lines,
        warnings: vec![],
    }
}

/// An on-demand line of `license` (part number `PC-1`, unit `seat`) for
/// org `id`/`name`, in October 2026; rate and amount as given (`None`:
/// unpriced). Tests set other fields on the result.
pub fn line(
    (id, name): (&str, &str),
    license: &str,
    currency: &str,
    quantity: &str,
    rate: Option<&str>,
    amount: Option<&str>,
) -> InvoiceLine {
    InvoiceLine {
        organization_id: Some(id.into()),
        organization_name: Some(name.into()),
        license_type: license.into(),
        part_number: Some("PC-1".into()),
        grouping: None,
        unit_of_measure: Some("seat".into()),
        kind: LineKind::OnDemand,
        quantity: d(quantity),
        rate: rate.map(d),
        amount: amount.map(d),
        currency: currency.into(),
        period_start: Some("2026-10-01T00:00:00Z".into()),
        period_end: Some("2026-10-31T23:59:59.999Z".into()),
        bundle_quantity: None,
        is_third_party: None,
        resources: None,
    }
}
