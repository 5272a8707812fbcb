//! Properties over random overviews: totals always equal their lines, per
//! org and currency, and the CSV exports always read back cell for cell.
// Native only: these use native dev-dependencies (proptest, csv).
#![cfg(not(target_arch = "wasm32"))]

use genesys_billing::export::{
    to_csv, to_focus_csv, to_quickbooks_csv, to_xero_csv, CsvOptions, FocusOptions,
    QuickBooksOptions, XeroOptions,
};
use genesys_billing::invoice::from_overview;
use genesys_billing::model::TrusteeBillingOverview;
use genesys_billing::options::OverviewInvoiceOptions;
use genesys_billing::{Invoice, LineKind};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A plain decimal string: up to `max` whole units and 0–4 decimals.
fn decimal(max: u64) -> impl Strategy<Value = String> {
    (0..=max, proptest::option::of("[0-9]{1,4}")).prop_map(|(i, f)| match f {
        Some(f) => format!("{i}.{f}"),
        None => i.to_string(),
    })
}

/// Text that exercises quoting and formula neutralisation.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 ,\"'=+@\\-\t\r\n;é]{0,12}"
}

fn usage() -> impl Strategy<Value = Value> {
    (
        text(),
        text(),
        decimal(1000),
        decimal(1000),
        proptest::option::of(decimal(10_000)),
        proptest::option::of(decimal(10_000)),
    )
        .prop_map(|(name, part, used, prepaid, prepay_price, overage_price)| {
            let mut u = json!({
                "name": name, "partNumber": part, "grouping": "g", "unitOfMeasureType": "seat",
                "usageQuantity": used, "prepayQuantity": prepaid,
            });
            if let Some(p) = prepay_price {
                u["prepayPrice"] = json!(p);
            }
            if let Some(p) = overage_price {
                u["overagePrice"] = json!(p);
            }
            u
        })
}

fn overview() -> impl Strategy<Value = TrusteeBillingOverview> {
    (
        prop::sample::select(vec!["org-1", "org-2", "=org-3"]),
        proptest::option::of(text()),
        prop::sample::select(vec!["USD", "JPY", "KWD"]),
        proptest::collection::vec(usage(), 0..6),
        proptest::option::of(decimal(20_000)),
    )
        .prop_map(|(id, name, currency, usages, minimum)| {
            let mut o = json!({
                "organization": {"id": id},
                "currency": currency,
                "enabledProducts": [],
                "subscriptionType": "PREPAY",
                "billingPeriodStartDate": "2026-10-01T00:00:00Z",
                "billingPeriodEndDate": "2026-10-31T23:59:59.999Z",
                "usages": usages,
            });
            if let Some(n) = name {
                o["organization"]["name"] = json!(n);
            }
            if let Some(m) = minimum {
                o["minimumMonthlyAmount"] = json!(m);
            }
            genesys_billing::decode::from_str("overview", &o.to_string()).unwrap()
        })
}

fn options() -> impl Strategy<Value = OverviewInvoiceOptions> {
    (
        prop::sample::select(vec!["half-up", "half-even"]),
        proptest::option::of(prop::sample::select(vec!["10", "-15", "12.5", "0"])),
    )
        .prop_map(|(rounding, markup)| {
            let mut o = json!({ "rounding": rounding });
            if let Some(m) = markup {
                o["markupPercent"] = json!(m);
            }
            OverviewInvoiceOptions::from_json(&o.to_string()).unwrap()
        })
}

fn iso_exponent(currency: &str) -> u32 {
    match currency {
        "JPY" => 0,
        "KWD" => 3,
        _ => 2,
    }
}

type Key = (Option<String>, Option<String>, String);

/// Per org and currency: (sum of line amounts, every line priced).
fn expected_totals(inv: &Invoice) -> BTreeMap<Key, (Decimal, bool)> {
    let mut sums: BTreeMap<Key, (Decimal, bool)> = BTreeMap::new();
    for l in &inv.lines {
        let key = (
            l.organization_id.clone(),
            l.organization_name.clone(),
            l.currency.clone(),
        );
        let entry = sums.entry(key).or_insert((Decimal::ZERO, true));
        match l.amount {
            Some(a) => entry.0 += a,
            None => entry.1 = false,
        }
    }
    sums
}

fn kind_text(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Prepay => "prepay",
        LineKind::OnDemand => "on-demand",
        LineKind::MinimumCommitment => "minimum-commitment",
        LineKind::Usage => "usage",
    }
}

/// Undoes the apostrophe neutralisation of a text cell.
fn unneutralise(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn read_all(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lines_add_up_to_the_totals_per_org_and_currency(
        parts in proptest::collection::vec((overview(), options()), 1..4)
    ) {
        let invoices: Vec<Invoice> = parts
            .iter()
            .map(|(o, opts)| from_overview(o, opts).unwrap())
            .collect();
        for (inv, (o, opts)) in invoices.iter().zip(&parts) {
            let exp = iso_exponent(&o.currency);
            for l in &inv.lines {
                match (l.rate, l.amount) {
                    (Some(r), Some(a)) => {
                        // Rounded once to the currency, at most half a minor unit off.
                        prop_assert!(a.scale() <= exp);
                        let half = Decimal::new(5, exp + 1);
                        prop_assert!((a - l.quantity * r).abs() <= half, "{a} vs {} × {r}", l.quantity);
                        let strategy = match opts.rounding {
                            genesys_billing::money::Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
                            genesys_billing::money::Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
                        };
                        prop_assert_eq!(a, (l.quantity * r).round_dp_with_strategy(exp, strategy));
                    }
                    (None, None) => {}
                    other => prop_assert!(false, "rate and amount disagree: {:?}", other),
                }
                prop_assert!(l.quantity > Decimal::ZERO);
            }
        }
        let merged = Invoice::merge(invoices).unwrap();
        let expected = expected_totals(&merged);
        for (key, (sum, complete)) in &expected {
            let found: Vec<_> = merged
                .totals
                .iter()
                .filter(|t| (&t.organization_id, &t.organization_name, &t.currency) == (&key.0, &key.1, &key.2))
                .collect();
            prop_assert_eq!(found.len(), 1, "{:?}", key);
            prop_assert_eq!(found[0].amount, *sum);
            prop_assert_eq!(found[0].complete, *complete);
        }
        for t in &merged.totals {
            let key = (t.organization_id.clone(), t.organization_name.clone(), t.currency.clone());
            if !expected.contains_key(&key) {
                prop_assert!(t.amount.is_zero() && t.complete, "{:?}", t);
            }
        }
        prop_assert!(merged.check().is_ok());
        let back = Invoice::from_json(&genesys_billing::json::to_string(&merged)).unwrap();
        prop_assert_eq!(back, merged);
    }

    #[test]
    fn csv_reads_back_cell_for_cell(o in overview(), opts in options()) {
        let inv = from_overview(&o, &opts).unwrap();
        let text = to_csv(&inv, &CsvOptions::default()).unwrap();
        let rows = read_all(&text);
        prop_assert_eq!(rows.len(), inv.lines.len() + 1);
        prop_assert_eq!(rows[0].len(), 12);
        for (row, l) in rows[1..].iter().zip(&inv.lines) {
            prop_assert_eq!(row.len(), 12);
            let texts = [
                (0, l.organization_name.clone().unwrap_or_default()),
                (1, l.organization_id.clone().unwrap_or_default()),
                (2, l.license_type.clone()),
                (3, l.part_number.clone().unwrap_or_default()),
                (4, kind_text(l.kind).to_string()),
                (6, l.unit_of_measure.clone().unwrap_or_default()),
                (9, l.currency.clone()),
                (10, l.period_start.clone().unwrap_or_default()),
                (11, l.period_end.clone().unwrap_or_default()),
            ];
            for (i, want) in texts {
                let cell = &row[i];
                // As written, no text cell can start a formula.
                prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?}", cell);
                prop_assert_eq!(unneutralise(cell), want.as_str());
            }
            let number = |cell: &str| -> Option<Decimal> {
                (!cell.is_empty()).then(|| Decimal::from_str(cell).unwrap())
            };
            prop_assert_eq!(number(&row[5]), Some(l.quantity));
            prop_assert_eq!(number(&row[7]), l.rate);
            prop_assert_eq!(number(&row[8]), l.amount);
        }
    }

    #[test]
    fn focus_csv_reads_back_one_row_per_line(o in overview(), opts in options()) {
        let inv = from_overview(&o, &opts).unwrap();
        let focus = FocusOptions { allow_unpriced: true, ..FocusOptions::default() };
        let rows = read_all(&to_focus_csv(&inv, &focus).unwrap());
        prop_assert_eq!(rows.len(), inv.lines.len() + 1);
        let service_name = rows[0].iter().position(|c| c == "ServiceName").unwrap();
        for (row, l) in rows[1..].iter().zip(&inv.lines) {
            prop_assert_eq!(row.len(), rows[0].len());
            prop_assert_eq!(unneutralise(&row[service_name]), l.license_type.as_str());
            let billed = (!row[0].is_empty()).then(|| Decimal::from_str(&row[0]).unwrap());
            prop_assert_eq!(billed, l.amount);
        }
    }

    /// Xero and QuickBooks Online recompute each line as quantity × unit
    /// price rounded to 2 decimals (by a midpoint rule neither documents)
    /// and total the lines: every invoice in the file must come to our
    /// total for that org and currency, or the export must refuse it.
    #[test]
    fn accounting_imports_recompute_to_our_totals(
        parts in proptest::collection::vec((overview(), options()), 1..4)
    ) {
        let invoices: Vec<Invoice> = parts
            .iter()
            .map(|(o, opts)| from_overview(o, opts).unwrap())
            .collect();
        let inv = Invoice::merge(invoices).unwrap();
        // Our figures per (org id, currency), numbered as the export numbers
        // them: in order of first appearance.
        let mut ours: Vec<((String, String), Decimal)> = Vec::new();
        let mut fits = true;
        for l in inv.lines.iter().filter(|l| l.amount.is_some()) {
            let key = (l.organization_id.clone().unwrap(), l.currency.clone());
            let a = l.amount.unwrap();
            fits &= a.normalize().scale() <= 2;
            match ours.iter_mut().find(|(k, _)| *k == key) {
                Some((_, sum)) => *sum += a,
                None => ours.push((key, a)),
            }
        }
        let terms = r#"{"invoiceDate":"2026-11-01","skipUnpriced":true}"#;
        let xero: XeroOptions = genesys_billing::decode::from_str("o", terms).unwrap();
        let qbo: QuickBooksOptions = genesys_billing::decode::from_str("o", terms).unwrap();
        let files = [
            (to_xero_csv(&inv, &xero), 10, 17, 18, None, 4),
            (to_quickbooks_csv(&inv, &qbo), 0, 8, 9, Some(10), 5),
        ];
        for (result, number, quantity, unit, amount, dp) in files {
            let out = match result {
                Err(e) => {
                    prop_assert!(!fits, "{}", e);
                    prop_assert_eq!(e.code(), "target_limit");
                    continue;
                }
                Ok(out) => out,
            };
            prop_assert!(fits, "a three-decimal amount was written");
            let mut theirs: BTreeMap<String, Decimal> = BTreeMap::new();
            for row in &read_all(&out.csv)[1..] {
                let q = Decimal::from_str(&row[quantity]).unwrap();
                let u = Decimal::from_str(&row[unit]).unwrap();
                prop_assert!(q.scale() <= dp && u.scale() <= dp, "{:?}", row);
                let up = (q * u).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                let even = (q * u).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
                prop_assert_eq!(up, even, "a midpoint: {:?}", row);
                if let Some(a) = amount {
                    prop_assert_eq!(Decimal::from_str(&row[a]).unwrap(), up);
                }
                *theirs.entry(row[number].clone()).or_default() += up;
            }
            prop_assert_eq!(theirs.len(), ours.len());
            for (i, (_, sum)) in ours.iter().enumerate() {
                let n = format!("GC-202610-{:03}", i + 1);
                prop_assert_eq!(theirs.get(&n), Some(sum), "{}", n);
            }
        }
    }
}
