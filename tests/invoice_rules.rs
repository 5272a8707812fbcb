//! The invoice rules of `src/invoice/` (overview.rs, usage.rs), each against values worked out by
//! hand in the comments (never computed by the code under test).
// Native only: these use native dev-dependencies (proptest, csv).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::d;

use genesys_billing::invoice::{from_overview, from_usage, totals};
use genesys_billing::model::{BillingUsageReport, SubscriptionType, TrusteeBillingOverview};
use genesys_billing::options::{OverviewInvoiceOptions, UsageInvoiceOptions};
use genesys_billing::{BillingError, Invoice, InvoiceLine, InvoiceTotal, LineKind};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// One usage entry; `prices` are (prepayPrice, overagePrice), `None` to omit.
fn usage(
    name: &str,
    part: &str,
    used: &str,
    prepaid: &str,
    prices: (Option<&str>, Option<&str>),
) -> Value {
    let mut u = json!({
        "name": name, "partNumber": part, "grouping": "billable-license",
        "unitOfMeasureType": "seat", "usageQuantity": used, "prepayQuantity": prepaid,
    });
    if let Some(p) = prices.0 {
        u["prepayPrice"] = json!(p);
    }
    if let Some(p) = prices.1 {
        u["overagePrice"] = json!(p);
    }
    u
}

fn overview_json(currency: &str, usages: Vec<Value>) -> Value {
    json!({
        "organization": {"id": "org-1", "name": "Acme"},
        "currency": currency,
        "enabledProducts": [],
        "subscriptionType": "PREPAY",
        "billingPeriodStartDate": "2026-10-01T00:00:00Z",
        "billingPeriodEndDate": "2026-10-31T23:59:59.999Z",
        "usages": usages,
    })
}

fn parse(v: &Value) -> TrusteeBillingOverview {
    genesys_billing::decode::from_str("overview", &v.to_string()).unwrap()
}

fn opts(json: &str) -> OverviewInvoiceOptions {
    OverviewInvoiceOptions::from_json(json).unwrap()
}

fn invoice(v: &Value, options: &str) -> Invoice {
    from_overview(&parse(v), &opts(options)).unwrap()
}

fn invoice_err(v: &Value, options: &str) -> BillingError {
    from_overview(&parse(v), &opts(options)).unwrap_err()
}

/// (kind, quantity, rate, amount) of every line, for compact assertions.
fn shape(inv: &Invoice) -> Vec<(LineKind, Decimal, Option<Decimal>, Option<Decimal>)> {
    inv.lines
        .iter()
        .map(|l| (l.kind, l.quantity, l.rate, l.amount))
        .collect()
}

#[test]
fn usage_above_prepay_splits_into_prepay_and_on_demand() {
    // used 12, prepaid 10 → prepay 10 × 100.00 = 1000.00;
    // on-demand 12 − 10 = 2 × 23.74 = 47.48; total 1047.48.
    let v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "12",
            "10",
            (Some("100.00"), Some("23.74")),
        )],
    );
    let inv = invoice(&v, "{}");
    assert_eq!(
        shape(&inv),
        vec![
            (
                LineKind::Prepay,
                d("10"),
                Some(d("100.00")),
                Some(d("1000.00"))
            ),
            (
                LineKind::OnDemand,
                d("2"),
                Some(d("23.74")),
                Some(d("47.48"))
            ),
        ]
    );
    assert_eq!(inv.totals.len(), 1);
    assert_eq!(inv.totals[0].amount, d("1047.48"));
    assert!(inv.totals[0].complete);
    assert!(inv.warnings.is_empty());
    let l = &inv.lines[1];
    assert_eq!(l.organization_id.as_deref(), Some("org-1"));
    assert_eq!(l.organization_name.as_deref(), Some("Acme"));
    assert_eq!(l.license_type, "CX 3");
    assert_eq!(l.part_number.as_deref(), Some("PC-1"));
    assert_eq!(l.unit_of_measure.as_deref(), Some("seat"));
    assert_eq!(l.currency, "USD");
}

#[test]
fn nothing_used_and_nothing_prepaid_gives_no_line() {
    let v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "0",
            "0",
            (Some("100"), Some("23.74")),
        )],
    );
    let inv = invoice(&v, "{}");
    assert!(inv.lines.is_empty());
    // The org still shows, with a zero and complete total.
    assert_eq!(inv.totals.len(), 1);
    assert_eq!(inv.totals[0].amount, Decimal::ZERO);
    assert!(inv.totals[0].complete);
    assert_eq!(inv.totals[0].organization_id.as_deref(), Some("org-1"));
}

#[test]
fn prepay_above_usage_gives_only_the_prepay_line() {
    // used 3 of 5 prepaid: 5 × 10 = 50, no on-demand line.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "3", "5", (Some("10"), Some("23.74")))],
    );
    let inv = invoice(&v, "{}");
    assert_eq!(
        shape(&inv),
        vec![(LineKind::Prepay, d("5"), Some(d("10")), Some(d("50")))]
    );
}

#[test]
fn price_book_is_looked_up_by_part_number_before_name() {
    // 2 on-demand seats: by part number 30 → 60; by name it would be 40 → 80.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "2", "0", (None, Some("23.74")))],
    );
    let inv = invoice(
        &v,
        r#"{"priceBook":{"CX 3":{"onDemand":"40"},"PC-1":{"onDemand":"30"}}}"#,
    );
    assert_eq!(
        shape(&inv),
        vec![(LineKind::OnDemand, d("2"), Some(d("30")), Some(d("60")))]
    );
    // With only the name in the book, the name is used: 2 × 40 = 80.
    let inv = invoice(&v, r#"{"priceBook":{"CX 3":{"onDemand":"40"}}}"#);
    assert_eq!(inv.lines[0].amount, Some(d("80")));
}

#[test]
fn an_entry_without_one_rate_keeps_the_api_rate_for_it() {
    // prepay from the API: 4 × 100 = 400; on-demand from the book: 1 × 30 = 30.
    let v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "5",
            "4",
            (Some("100"), Some("23.74")),
        )],
    );
    let inv = invoice(&v, r#"{"priceBook":{"PC-1":{"onDemand":"30"}}}"#);
    assert_eq!(
        shape(&inv),
        vec![
            (LineKind::Prepay, d("4"), Some(d("100")), Some(d("400"))),
            (LineKind::OnDemand, d("1"), Some(d("30")), Some(d("30"))),
        ]
    );
}

#[test]
fn markup_multiplies_every_rate_at_full_precision() {
    // +10%: prepay 0.835 × 1.1 = 0.9185 (kept, not 0.92);
    // 10 × 0.9185 = 9.185 → 9.19 half-up (rounding the rate first would
    // give 10 × 0.92 = 9.20). On-demand 23.74 × 1.1 = 26.114; 2 × = 52.228 → 52.23.
    let v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "12",
            "10",
            (Some("0.835"), Some("23.74")),
        )],
    );
    let inv = invoice(&v, r#"{"markupPercent":"10"}"#);
    assert_eq!(
        shape(&inv),
        vec![
            (
                LineKind::Prepay,
                d("10"),
                Some(d("0.9185")),
                Some(d("9.19"))
            ),
            (
                LineKind::OnDemand,
                d("2"),
                Some(d("26.114")),
                Some(d("52.23"))
            ),
        ]
    );
    // −15%: 0.835 × 0.85 = 0.70975; 10 × = 7.0975 → 7.10.
    // 23.74 × 0.85 = 20.179; 2 × = 40.358 → 40.36.
    let inv = invoice(&v, r#"{"markupPercent":"-15"}"#);
    assert_eq!(
        shape(&inv),
        vec![
            (
                LineKind::Prepay,
                d("10"),
                Some(d("0.70975")),
                Some(d("7.10"))
            ),
            (
                LineKind::OnDemand,
                d("2"),
                Some(d("20.179")),
                Some(d("40.36"))
            ),
        ]
    );
    // The markup applies to price-book rates too: 30 × 1.1 = 33; 2 × = 66.
    let inv = invoice(
        &v,
        r#"{"markupPercent":"10","priceBook":{"PC-1":{"onDemand":"30"}}}"#,
    );
    assert_eq!(inv.lines[1].rate, Some(d("33.0")));
    assert_eq!(inv.lines[1].amount, Some(d("66")));
}

#[test]
fn half_up_and_half_even_differ_at_midpoints() {
    // 3 × 0.835 = 2.505: half-up 2.51, half-even 2.50.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "3", "0", (None, Some("0.835")))],
    );
    assert_eq!(invoice(&v, "{}").lines[0].amount, Some(d("2.51")));
    assert_eq!(
        invoice(&v, r#"{"rounding":"half-up"}"#).lines[0].amount,
        Some(d("2.51"))
    );
    assert_eq!(
        invoice(&v, r#"{"rounding":"half-even"}"#).lines[0].amount,
        Some(d("2.50"))
    );
    // 3 × 0.845 = 2.535: not the same digit pattern; half-even goes up to 2.54 too.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "3", "0", (None, Some("0.845")))],
    );
    assert_eq!(
        invoice(&v, r#"{"rounding":"half-even"}"#).lines[0].amount,
        Some(d("2.54"))
    );
}

#[test]
fn jpy_rounds_to_whole_yen_and_kwd_to_fils() {
    // JPY (0 decimals): 3 × 333.5 = 1000.5 → 1001 half-up, 1000 half-even.
    let v = overview_json(
        "JPY",
        vec![usage("CX 3", "PC-1", "3", "0", (None, Some("333.5")))],
    );
    assert_eq!(invoice(&v, "{}").lines[0].amount, Some(d("1001")));
    assert_eq!(
        invoice(&v, r#"{"rounding":"half-even"}"#).lines[0].amount,
        Some(d("1000"))
    );
    // KWD (3 decimals): 3 × 1.2335 = 3.7005 → 3.701 half-up, 3.700 half-even.
    let v = overview_json(
        "KWD",
        vec![usage("CX 3", "PC-1", "3", "0", (None, Some("1.2335")))],
    );
    assert_eq!(invoice(&v, "{}").lines[0].amount, Some(d("3.701")));
    assert_eq!(
        invoice(&v, r#"{"rounding":"half-even"}"#).lines[0].amount,
        Some(d("3.700"))
    );
    // Lower-case codes are normalised.
    let v = overview_json(
        "kwd",
        vec![usage("CX 3", "PC-1", "3", "0", (None, Some("1.2335")))],
    );
    assert_eq!(invoice(&v, "{}").lines[0].currency, "KWD");
}

#[test]
fn an_unknown_currency_needs_currency_exponent() {
    let v = overview_json(
        "XBT",
        vec![usage("CX 3", "PC-1", "2", "0", (None, Some("0.123456789")))],
    );
    let e = invoice_err(&v, "{}");
    assert_eq!(e.code(), "unknown_currency");
    assert!(
        e.to_string().contains("XBT") && e.to_string().contains("Acme"),
        "{e}"
    );
    // 2 × 0.123456789 = 0.246913578 → 8 places: 0.24691358 (the 9th digit is 8).
    let inv = invoice(&v, r#"{"currencyExponent":8}"#);
    assert_eq!(inv.lines[0].amount, Some(d("0.24691358")));
    // An empty currency is not a currency, even with an exponent: a line
    // without a currency could not be read back.
    let v = overview_json("", vec![usage("CX 3", "PC-1", "2", "0", (None, Some("1")))]);
    assert_eq!(
        invoice_err(&v, r#"{"currencyExponent":2}"#).code(),
        "unknown_currency"
    );
}

#[test]
fn missing_prices_make_unpriced_lines_never_zero() {
    // Prepay has no price anywhere; on-demand 2 × 23.74 = 47.48 is priced.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "12", "10", (None, Some("23.74")))],
    );
    let inv = invoice(&v, "{}");
    assert_eq!(
        shape(&inv),
        vec![
            (LineKind::Prepay, d("10"), None, None),
            (
                LineKind::OnDemand,
                d("2"),
                Some(d("23.74")),
                Some(d("47.48"))
            ),
        ]
    );
    assert_eq!(inv.warnings.len(), 1);
    let w = &inv.warnings[0];
    assert_eq!(w.code, "unpriced");
    assert_eq!(w.license_type.as_deref(), Some("CX 3"));
    assert_eq!(w.organization_id.as_deref(), Some("org-1"));
    assert!(w.message.contains("prepayPrice"), "{}", w.message);
    assert_eq!(inv.totals[0].amount, d("47.48"));
    assert!(!inv.totals[0].complete);
    // In JSON the unpriced rate and amount are null, not "0".
    let json: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&inv)).unwrap();
    assert_eq!(json["lines"][0]["rate"], Value::Null);
    assert_eq!(json["lines"][0]["amount"], Value::Null);
}

#[test]
fn minimum_commitment_tops_up_only_what_is_missing() {
    // Lines: 10 × 100.00 = 1000.00 and 2 × 23.74 = 47.48 → 1047.48.
    let mut v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "12",
            "10",
            (Some("100.00"), Some("23.74")),
        )],
    );
    v["minimumMonthlyAmount"] = json!("1500");
    // 1500 − 1047.48 = 452.52, one line of quantity 1; total 1500.00.
    let inv = invoice(&v, "{}");
    assert_eq!(inv.lines.len(), 3);
    assert_eq!(
        shape(&inv)[2],
        (
            LineKind::MinimumCommitment,
            d("1"),
            Some(d("452.52")),
            Some(d("452.52"))
        )
    );
    assert_eq!(inv.totals[0].amount, d("1500"));
    // applyMinimum=false: no top-up.
    let inv = invoice(&v, r#"{"applyMinimum":false}"#);
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.totals[0].amount, d("1047.48"));
    // Sum above the minimum (1047.48 ≥ 1000): no top-up.
    v["minimumMonthlyAmount"] = json!("1000");
    assert_eq!(invoice(&v, "{}").lines.len(), 2);
    // Sum exactly at the minimum: no zero line.
    v["minimumMonthlyAmount"] = json!("1047.48");
    assert_eq!(invoice(&v, "{}").lines.len(), 2);
    // A malformed minimum is named.
    v["minimumMonthlyAmount"] = json!("1,500");
    let e = invoice_err(&v, "{}");
    assert_eq!(e.code(), "invalid_decimal");
    assert!(e.to_string().contains("minimumMonthlyAmount"), "{e}");
}

#[test]
fn the_minimum_is_compared_after_markup_and_not_itself_marked_up() {
    // Lines: 10 × 100.00 = 1000.00 and 2 × 23.74 = 47.48 → 1047.48 before markup.
    let mut v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "12",
            "10",
            (Some("100.00"), Some("23.74")),
        )],
    );
    v["minimumMonthlyAmount"] = json!("1500");
    // Markup 10 %: 10 × 110.00 = 1100.00 and 2 × 26.114 = 52.228 → 52.23;
    // priced 1152.23, below 1500: top-up 1500 − 1152.23 = 347.77, not
    // marked up itself (a marked-up top-up would be 382.55, total 1534.78).
    let inv = invoice(&v, r#"{"markupPercent":"10"}"#);
    assert_eq!(
        shape(&inv),
        [
            (
                LineKind::Prepay,
                d("10"),
                Some(d("110.00")),
                Some(d("1100.00"))
            ),
            (
                LineKind::OnDemand,
                d("2"),
                Some(d("26.114")),
                Some(d("52.23"))
            ),
            (
                LineKind::MinimumCommitment,
                d("1"),
                Some(d("347.77")),
                Some(d("347.77"))
            ),
        ]
    );
    assert_eq!(inv.totals[0].amount, d("1500.00"));
    // Markup 45 %: 10 × 145.00 = 1450.00 and 2 × 34.423 = 68.846 → 68.85;
    // priced 1518.85 ≥ 1500: the markup alone lifts the org over its
    // minimum (before markup, 1047.48 was below it), so no top-up.
    let inv = invoice(&v, r#"{"markupPercent":"45"}"#);
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.totals[0].amount, d("1518.85"));
    // A discount (−20 %): 10 × 80.00 = 800.00, 2 × 18.992 = 37.984 → 37.98;
    // priced 837.98: top-up 662.02, total exactly the minimum.
    let inv = invoice(&v, r#"{"markupPercent":"-20"}"#);
    assert_eq!(shape(&inv)[2].3, Some(d("662.02")));
    assert_eq!(inv.totals[0].amount, d("1500.00"));
}

#[test]
fn a_minimum_over_unpriced_lines_is_applied_but_flagged() {
    let mut v = overview_json(
        "USD",
        vec![
            // 10 × 1.00 = 10.00 priced; 3 on demand with no overagePrice.
            usage("CX 3", "PC-1", "13", "10", (Some("1.00"), None)),
        ],
    );
    v["minimumMonthlyAmount"] = json!("100");
    let inv = invoice(&v, "{}");
    // The rule as specified: 100 − 10.00 = 90.00 over the priced lines.
    let top_up = inv.lines.last().unwrap();
    assert_eq!(top_up.kind, LineKind::MinimumCommitment);
    assert_eq!(top_up.amount, Some(d("90.00")));
    let codes: Vec<_> = inv.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["unpriced", "minimum_over_incomplete"]);
    assert!(!inv.totals[0].complete);
    assert_eq!(inv.totals[0].amount, d("100.00"));
}

#[test]
fn totals_are_the_sum_of_rounded_line_amounts() {
    // Two lines of 3 × 0.835 = 2.505 each → 2.51 + 2.51 = 5.02 (rounding
    // the exact sum 5.01 instead would lose a cent against the lines).
    let v = overview_json(
        "USD",
        vec![
            usage("A", "PC-A", "3", "0", (None, Some("0.835"))),
            usage("B", "PC-B", "3", "0", (None, Some("0.835"))),
        ],
    );
    let inv = invoice(&v, "{}");
    assert_eq!(inv.totals[0].amount, d("5.02"));
    assert!(inv.check().is_ok());
}

#[test]
fn unknown_subscription_type_is_kept_and_invoiced() {
    let mut v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "1", "0", (None, Some("5")))],
    );
    v["subscriptionType"] = json!("PREPAY_ANNUAL_2030");
    let o = parse(&v);
    assert_eq!(
        o.subscription_type,
        SubscriptionType::Other("PREPAY_ANNUAL_2030".into())
    );
    let inv = from_overview(&o, &OverviewInvoiceOptions::default()).unwrap();
    assert_eq!(inv.lines[0].amount, Some(d("5")));
}

#[test]
fn dates_are_carried_as_given_with_or_without_milliseconds() {
    let mut v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "1", "0", (None, Some("5")))],
    );
    v["billingPeriodStartDate"] = json!("2026-10-01T00:00:00.000Z");
    v["billingPeriodEndDate"] = json!("2026-10-31T23:59:59Z");
    let inv = invoice(&v, "{}");
    assert_eq!(
        inv.lines[0].period_start.as_deref(),
        Some("2026-10-01T00:00:00.000Z")
    );
    assert_eq!(
        inv.lines[0].period_end.as_deref(),
        Some("2026-10-31T23:59:59Z")
    );
    v["billingPeriodEndDate"] = json!("2026-10-31T23:59:59.999Z");
    let inv = invoice(&v, "{}");
    assert_eq!(
        inv.lines[0].period_end.as_deref(),
        Some("2026-10-31T23:59:59.999Z")
    );
    // Without a billing period the lines have none (nothing invented).
    let mut v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "1", "0", (None, Some("5")))],
    );
    v.as_object_mut().unwrap().remove("billingPeriodStartDate");
    v.as_object_mut().unwrap().remove("billingPeriodEndDate");
    let inv = invoice(&v, "{}");
    assert_eq!(inv.lines[0].period_start, None);
    assert_eq!(inv.lines[0].period_end, None);
}

#[test]
fn huge_quantities_are_overflow_errors_never_a_wrap() {
    // Decimal::MAX (≈7.9e28) × 2 does not fit 96 bits.
    let v = overview_json(
        "USD",
        vec![usage(
            "CX 3",
            "PC-1",
            "79228162514264337593543950335",
            "0",
            (None, Some("2")),
        )],
    );
    let e = invoice_err(&v, "{}");
    assert_eq!(e.code(), "overflow");
    assert!(e.to_string().contains("CX 3"), "{e}");
    // Each line fits (4e28 × 1) but their sum (8e28) does not.
    let big = "40000000000000000000000000000";
    let v = overview_json(
        "USD",
        vec![
            usage("A", "PC-A", big, big, (Some("1"), None)),
            usage("B", "PC-B", big, big, (Some("1"), None)),
        ],
    );
    assert_eq!(invoice_err(&v, "{}").code(), "overflow");
}

#[test]
fn malformed_decimals_name_the_field_and_the_usage() {
    for bad in ["12,5", "", "NaN", "1e400", " 3"] {
        let v = overview_json(
            "USD",
            vec![usage(
                "CX 3 Concurrent",
                "PC-1",
                bad,
                "0",
                (None, Some("5")),
            )],
        );
        let e = invoice_err(&v, "{}");
        assert_eq!(e.code(), "invalid_decimal", "{bad:?}");
        let msg = e.to_string();
        assert!(
            msg.contains("usageQuantity") && msg.contains("CX 3 Concurrent"),
            "{msg}"
        );
        let v = overview_json(
            "USD",
            vec![usage(
                "CX 3 Concurrent",
                "PC-1",
                "1",
                "0",
                (None, Some(bad)),
            )],
        );
        let msg = invoice_err(&v, "{}").to_string();
        assert!(
            msg.contains("overagePrice") && msg.contains("PC-1"),
            "{msg}"
        );
        let v = overview_json(
            "USD",
            vec![usage(
                "CX 3 Concurrent",
                "PC-1",
                "1",
                bad,
                (None, Some("1")),
            )],
        );
        assert!(invoice_err(&v, "{}").to_string().contains("prepayQuantity"));
    }
    // A negative quantity is its own error.
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "-1", "0", (None, Some("5")))],
    );
    assert_eq!(invoice_err(&v, "{}").code(), "negative_quantity");
}

fn report() -> BillingUsageReport {
    genesys_billing::decode::from_str(
        "report",
        &json!({
            "startDate": "2026-10-01T00:00:00Z",
            "endDate": "2026-10-31T23:59:59.999Z",
            "status": "Complete",
            "usages": [
                {"name": "CX 3", "totalUsage": "4",
                 "resources": [{"name": "a@example.com", "date": "2026-10-02T08:00:00Z"}]},
                {"name": "WEM Add-on", "totalUsage": "2.5", "resources": []}
            ]
        })
        .to_string(),
    )
    .unwrap()
}

#[test]
fn billable_usage_report_gives_one_usage_line_per_usage() {
    let o = UsageInvoiceOptions::from_json(
        r#"{"priceBook":{"CX 3":"10.5"},"currency":"usd","organization":{"id":"org-9","name":"Beta"}}"#,
    )
    .unwrap();
    let inv = from_usage(&report(), &o).unwrap();
    // CX 3: 4 × 10.5 = 42.0; WEM Add-on has no rate → unpriced.
    assert_eq!(
        shape(&inv),
        vec![
            (LineKind::Usage, d("4"), Some(d("10.5")), Some(d("42"))),
            (LineKind::Usage, d("2.5"), None, None),
        ]
    );
    let l = &inv.lines[0];
    assert_eq!(l.currency, "USD");
    assert_eq!(l.organization_id.as_deref(), Some("org-9"));
    assert_eq!(l.period_start.as_deref(), Some("2026-10-01T00:00:00Z"));
    assert_eq!(l.period_end.as_deref(), Some("2026-10-31T23:59:59.999Z"));
    assert_eq!(l.resources.as_ref().map(Vec::len), Some(1));
    assert_eq!(inv.warnings.len(), 1);
    assert_eq!(inv.warnings[0].license_type.as_deref(), Some("WEM Add-on"));
    assert_eq!(inv.totals[0].amount, d("42"));
    assert!(!inv.totals[0].complete);
    // A malformed totalUsage is named.
    let mut r = report();
    r.usages[1].total_usage = "2,5".into();
    let e = from_usage(&r, &o).unwrap_err();
    assert!(
        e.to_string().contains("totalUsage") && e.to_string().contains("WEM Add-on"),
        "{e}"
    );
}

fn priced_line(org: &str, currency: &str, amount: &str) -> InvoiceLine {
    InvoiceLine {
        organization_id: Some(org.into()),
        organization_name: None,
        license_type: "CX 3".into(),
        part_number: None,
        grouping: None,
        unit_of_measure: None,
        kind: LineKind::OnDemand,
        quantity: d("1"),
        rate: Some(d(amount)),
        amount: Some(d(amount)),
        currency: currency.into(),
        period_start: None,
        period_end: None,
        bundle_quantity: None,
        is_third_party: None,
        resources: None,
    }
}

fn one_line_invoice(line: InvoiceLine) -> Invoice {
    let totals = totals(std::slice::from_ref(&line)).unwrap();
    Invoice {
        lines: vec![line],
        totals,
        warnings: vec![],
    }
}

fn total_of<'a>(inv: &'a Invoice, org: &str, currency: &str) -> Vec<&'a InvoiceTotal> {
    inv.totals
        .iter()
        .filter(|t| t.organization_id.as_deref() == Some(org) && t.currency == currency)
        .collect()
}

#[test]
fn merge_keeps_totals_per_org_and_currency() {
    let empty = invoice(
        &overview_json("EUR", vec![usage("X", "PC-X", "0", "0", (None, None))]),
        "{}",
    );
    let merged = Invoice::merge([
        one_line_invoice(priced_line("org-1", "USD", "10.00")),
        one_line_invoice(priced_line("org-2", "EUR", "5.00")),
        one_line_invoice(priced_line("org-1", "EUR", "7.00")),
        one_line_invoice(priced_line("org-1", "USD", "2.50")),
        empty,
    ])
    .unwrap();
    assert_eq!(merged.lines.len(), 4);
    // org-1 USD: 10.00 + 2.50 = 12.50; org-1 EUR 7.00 stays apart from it.
    let t = total_of(&merged, "org-1", "USD");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].amount, d("12.50"));
    assert_eq!(total_of(&merged, "org-1", "EUR")[0].amount, d("7.00"));
    assert_eq!(total_of(&merged, "org-2", "EUR")[0].amount, d("5.00"));
    // The empty org (org-1 of the fixture is "Acme", with a name) keeps its zero total.
    let zero: Vec<_> = merged
        .totals
        .iter()
        .filter(|t| t.organization_name.as_deref() == Some("Acme"))
        .collect();
    assert_eq!(zero.len(), 1);
    assert_eq!(zero[0].amount, Decimal::ZERO);
    assert_eq!(merged.totals.len(), 4);
    assert!(merged.check().is_ok());
}

#[test]
fn invoices_round_trip_through_json() {
    let mut v = overview_json(
        "USD",
        vec![
            usage("CX 3", "PC-1", "12", "10", (None, Some("23.74"))),
            usage(
                "Bot \"flows\", v2",
                "PC-2",
                "1.5",
                "0",
                (None, Some("0.835")),
            ),
        ],
    );
    v["minimumMonthlyAmount"] = json!("100");
    let inv = invoice(&v, "{}");
    let text = genesys_billing::json::to_string(&inv);
    let back = Invoice::from_json(&text).unwrap();
    assert_eq!(back, inv);
    assert!(back.check().is_ok());
    let inv = from_usage(
        &report(),
        &UsageInvoiceOptions::from_json(r#"{"priceBook":{"CX 3":"1"},"currency":"EUR"}"#).unwrap(),
    )
    .unwrap();
    let back = Invoice::from_json(&genesys_billing::json::to_string(&inv)).unwrap();
    assert_eq!(back, inv);
}

#[test]
fn a_line_with_a_rate_but_no_amount_is_rejected() {
    let inv = one_line_invoice(priced_line("org-1", "USD", "10.00"));
    let mut json: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&inv)).unwrap();
    json["lines"][0]["amount"] = Value::Null;
    let e = Invoice::from_json(&json.to_string()).unwrap_err();
    assert_eq!(e.code(), "wrong_type");
    assert!(e.to_string().contains("rate without an amount"), "{e}");
    // And the reverse: an amount without a rate.
    let mut json: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&inv)).unwrap();
    json["lines"][0]["rate"] = Value::Null;
    assert!(Invoice::from_json(&json.to_string()).is_err());
    // Amounts are decimal strings, never JSON numbers (which would be floats in JS).
    let mut json: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&inv)).unwrap();
    json["lines"][0]["amount"] = json!(10.0);
    assert!(Invoice::from_json(&json.to_string()).is_err());
}

#[test]
fn check_rejects_totals_that_do_not_match_the_lines() {
    let inv = one_line_invoice(priced_line("org-1", "USD", "10.00"));
    assert!(inv.check().is_ok());
    let mut wrong = inv.clone();
    wrong.totals[0].amount = d("10.01");
    assert_eq!(wrong.check().unwrap_err().code(), "invalid_invoice");
    // A total with no line behind it must be zero.
    let mut extra = inv.clone();
    extra.totals.push(InvoiceTotal {
        organization_id: Some("org-2".into()),
        organization_name: None,
        currency: "USD".into(),
        amount: d("99"),
        complete: true,
    });
    assert_eq!(extra.check().unwrap_err().code(), "invalid_invoice");
    // The same total twice would be counted twice by a reader.
    let mut twice = inv.clone();
    twice.totals.push(inv.totals[0].clone());
    assert_eq!(twice.check().unwrap_err().code(), "invalid_invoice");
}

#[test]
fn merging_an_org_twice_keeps_one_total_for_it() {
    let v = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "1", "0", (None, Some("5")))],
    );
    let empty = overview_json(
        "USD",
        vec![usage("CX 3", "PC-1", "0", "0", (None, Some("5")))],
    );
    // Acme with one 1 × 5 line, Acme again with nothing, and twice nothing:
    // one Acme USD total of 5, still consistent with the lines.
    let merged = Invoice::merge([
        invoice(&v, "{}"),
        invoice(&empty, "{}"),
        invoice(&empty, "{}"),
    ])
    .unwrap();
    assert_eq!(merged.totals.len(), 1);
    assert_eq!(merged.totals[0].amount, d("5"));
    assert!(merged.check().is_ok());
    let merged = Invoice::merge([invoice(&empty, "{}"), invoice(&empty, "{}")]).unwrap();
    assert_eq!(merged.totals.len(), 1);
    assert!(merged.check().is_ok());
}

#[test]
// The library's own error type, as large as the library made it.
#[allow(clippy::result_large_err)]
fn from_overviews_merges_and_names_the_element_that_fails() {
    use genesys_billing::invoice::from_overviews;
    let parse =
        |json: &str| genesys_billing::decode::from_str("the trustee billing overview", json);
    let a = r#"{"organization":{"id":"org-a","name":"A"},"currency":"USD","enabledProducts":[],"subscriptionType":"PREPAY","usages":[{"name":"CX 3","partNumber":"P","grouping":"g","unitOfMeasureType":"seat","usageQuantity":"3","prepayQuantity":"0","overagePrice":"0.835"}]}"#;
    let b = a
        .replace("org-a", "org-b")
        .replace(r#""name":"A""#, r#""name":"B""#);
    let inv = from_overviews([parse(a), parse(&b)], &OverviewInvoiceOptions::default()).unwrap();
    // 3 × 0.835 = 2.505 → 2.51 each; one total per org.
    let totals: Vec<_> = inv
        .totals
        .iter()
        .map(|t| (t.organization_id.clone().unwrap(), t.amount.to_string()))
        .collect();
    assert_eq!(
        totals,
        [
            ("org-a".into(), "2.51".into()),
            ("org-b".into(), "2.51".into())
        ]
    );
    // A bad decimal in the second: its own code, its index and its org.
    let bad = b.replace(r#""usageQuantity":"3""#, r#""usageQuantity":"3,5""#);
    let e =
        from_overviews([parse(a), parse(&bad)], &OverviewInvoiceOptions::default()).unwrap_err();
    assert_eq!(e.code(), "invalid_decimal");
    let msg = e.to_string();
    assert!(
        msg.starts_with(r#"overviews[1] (org "B" (org-b)): invalid decimal in `usageQuantity`"#),
        "{msg}"
    );
    // Unreadable: the index only (no org could be read).
    let e = from_overviews([parse(a), parse("{")], &OverviewInvoiceOptions::default()).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    assert!(
        e.to_string().starts_with("overviews[1]: invalid JSON"),
        "{e}"
    );
}

#[test]
fn marked_up_rates_show_the_currency_digits_and_no_more_trailing_zeros() {
    let overview = |currency: &str, price: &str| {
        genesys_billing::decode::from_str::<TrusteeBillingOverview>(
            "overview",
            &format!(
                r#"{{"organization":{{"id":"o"}},"currency":"{currency}","enabledProducts":[],"subscriptionType":"PREPAY","usages":[{{"name":"CX 3","partNumber":"P","grouping":"g","unitOfMeasureType":"seat","usageQuantity":"2","prepayQuantity":"0","overagePrice":"{price}"}}]}}"#
            ),
        )
        .unwrap()
    };
    let rate = |currency: &str, price: &str, markup: &str| {
        let opts = OverviewInvoiceOptions::from_json(&format!(r#"{{"markupPercent":"{markup}"}}"#))
            .unwrap();
        from_overview(&overview(currency, price), &opts)
            .unwrap()
            .lines[0]
            .rate
            .unwrap()
            .to_string()
    };
    // 92.40 × 1.125 = 103.95000 exactly: shown as 103.95.
    assert_eq!(rate("USD", "92.40", "12.5"), "103.95");
    // More digits than the currency has are the value: kept.
    assert_eq!(rate("USD", "0.0063", "12.5"), "0.0070875");
    // 100 × 1.1 = 110.0: at least the cents.
    assert_eq!(rate("USD", "100", "10"), "110.00");
    // Yen have no minor unit: 100 × 1.1 = 110.
    assert_eq!(rate("JPY", "100", "10"), "110");
    // Fils: 3 digits.
    assert_eq!(rate("KWD", "2", "10"), "2.200");
    // Without a markup the API's rate is kept as sent.
    let opts = OverviewInvoiceOptions::default();
    let line = &from_overview(&overview("USD", "92.4"), &opts)
        .unwrap()
        .lines[0];
    assert_eq!(line.rate.unwrap().to_string(), "92.4");
}

#[test]
fn an_org_in_its_ramp_period_gets_a_warning() {
    let json = r#"{"organization":{"id":"o-ramp","name":"Ramp Co"},"currency":"USD","enabledProducts":[],"subscriptionType":"PREPAY","inRampPeriod":true,"rampPeriodStartDate":"2026-09-01T00:00:00Z","rampPeriodEndDate":"2026-12-31T23:59:59Z","usages":[{"name":"CX 3","partNumber":"P","grouping":"g","unitOfMeasureType":"seat","usageQuantity":"2","prepayQuantity":"0","overagePrice":"10"}]}"#;
    let o: TrusteeBillingOverview = genesys_billing::decode::from_str("overview", json).unwrap();
    let inv = from_overview(&o, &OverviewInvoiceOptions::default()).unwrap();
    assert_eq!(inv.warnings.len(), 1);
    let w = &inv.warnings[0];
    assert_eq!(w.code, "ramp_period");
    assert_eq!(w.organization_id.as_deref(), Some("o-ramp"));
    assert!(
        w.message.starts_with(r#"org "Ramp Co" (o-ramp) is in its ramp period (2026-09-01T00:00:00Z to 2026-12-31T23:59:59Z)"#),
        "{}",
        w.message
    );
    // The lines are priced as usual: 2 × 10.
    assert_eq!(inv.totals[0].amount.to_string(), "20.00");
    // Not in a ramp period (false or absent): no warning.
    let o: TrusteeBillingOverview = genesys_billing::decode::from_str(
        "overview",
        &json.replace(r#""inRampPeriod":true"#, r#""inRampPeriod":false"#),
    )
    .unwrap();
    assert!(from_overview(&o, &OverviewInvoiceOptions::default())
        .unwrap()
        .warnings
        .is_empty());
}

#[test]
fn errors_carry_their_location_as_data() {
    // The third usage's quantity is malformed: the location names the org,
    // the usage (index, name, part number) and the field.
    let v = overview_json(
        "USD",
        vec![
            usage("CX 1", "PC-1", "1", "0", (Some("1"), Some("1"))),
            usage("CX 2", "PC-2", "1", "0", (Some("1"), Some("1"))),
            usage("CX 3", "PC-3", "1,5", "0", (Some("1"), Some("1"))),
        ],
    );
    let e = invoice_err(&v, "{}");
    assert_eq!(e.code(), "invalid_decimal");
    let at = e.location();
    assert_eq!(at.organization_id.as_deref(), Some("org-1"));
    assert_eq!(at.usage_index, Some(2));
    assert_eq!(at.usage_name.as_deref(), Some("CX 3"));
    assert_eq!(at.part_number.as_deref(), Some("PC-3"));
    assert_eq!(at.field.as_deref(), Some("usageQuantity"));
    assert_eq!(at.line_index, None);
    // An export's error is located at its line, and keeps its message.
    let inv = invoice(
        &overview_json("USD", vec![usage("WEM", "PC-9", "2", "0", (None, None))]),
        "{}",
    );
    let e = genesys_billing::export::to_stripe_items(&inv, &Default::default()).unwrap_err();
    assert_eq!(e.code(), "unpriced_line");
    assert!(
        e.to_string().starts_with("line 1 (on-demand \"WEM\""),
        "{e}"
    );
    let at = e.location();
    assert_eq!(
        (at.line_index, at.organization_id.as_deref()),
        (Some(0), Some("org-1"))
    );
    // An option's error names the option as the field.
    let e = OverviewInvoiceOptions::from_json(r#"{"markupPercent":"-101"}"#).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("markupPercent"));
}
