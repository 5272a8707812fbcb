//! Period comparisons worked by hand: rows, totals, percentages and alerts
//! in 0-, 2- and 3-decimal currencies, with new, gone, unpriced and
//! zero-amount lines, an org in two currencies, and percent midpoints.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::{d, of};

use genesys_billing::compare::{compare, CompareOptions, Comparison, ComparisonRow, RowStatus};
use genesys_billing::decode::from_str;
use genesys_billing::export::comparison_to_csv;
use genesys_billing::invoice::InvoiceWarning;
use genesys_billing::{Invoice, InvoiceLine, LineKind};
use rust_decimal::Decimal;

/// A line of `org` (id `id-<org>`): `license` with part number `PC-<license>`.
fn ln(
    org: &str,
    currency: &str,
    license: &str,
    kind: LineKind,
    q: &str,
    rate: Option<&str>,
) -> InvoiceLine {
    let exponent = match currency {
        "JPY" => 0,
        "KWD" => 3,
        _ => 2,
    };
    let amount = rate.map(|r| {
        let mut a = (d(q) * d(r)).round_dp_with_strategy(
            exponent,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
        a.rescale(exponent);
        a
    });
    InvoiceLine {
        organization_id: Some(format!("id-{org}")),
        organization_name: Some(org.into()),
        license_type: license.into(),
        part_number: Some(format!("PC-{license}")),
        grouping: None,
        unit_of_measure: Some("seat".into()),
        kind,
        quantity: d(q),
        rate: rate.map(d),
        amount,
        currency: currency.into(),
        period_start: None,
        period_end: None,
        bundle_quantity: None,
        is_third_party: None,
        resources: None,
    }
}

fn cmp(previous: &Invoice, current: &Invoice) -> Comparison {
    compare(previous, current, &CompareOptions::default()).unwrap()
}

fn row<'a>(c: &'a Comparison, org: &str, license: &str, kind: LineKind) -> &'a ComparisonRow {
    c.rows
        .iter()
        .find(|r| {
            r.organization_name.as_deref() == Some(org)
                && r.license_type == license
                && r.kind == kind
        })
        .unwrap_or_else(|| panic!("no row {org} {license} {kind:?}"))
}

fn opt(s: Option<&str>) -> Option<Decimal> {
    s.map(d)
}

use LineKind::{OnDemand, Prepay};

#[test]
fn usd_rows_totals_and_percentages() {
    let previous = of(vec![
        ln("Acme", "USD", "CX 3", Prepay, "10", Some("100.00")),
        ln("Acme", "USD", "CX 3", OnDemand, "2", Some("23.74")),
        ln("Acme", "USD", "Speech", OnDemand, "40", Some("0.0125")),
    ]);
    let current = of(vec![
        ln("Acme", "USD", "CX 3", Prepay, "10", Some("100.00")),
        ln("Acme", "USD", "CX 3", OnDemand, "5", Some("23.74")),
        ln("Acme", "USD", "WEM", Prepay, "3", Some("12.00")),
    ]);
    let c = cmp(&previous, &current);
    // Current order first, then what only the previous period had.
    let order: Vec<(&str, &str)> = c
        .rows
        .iter()
        .map(|r| (r.license_type.as_str(), r.kind.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("CX 3", "prepay"),
            ("CX 3", "on-demand"),
            ("WEM", "prepay"),
            ("Speech", "on-demand")
        ]
    );

    let same = row(&c, "Acme", "CX 3", Prepay);
    assert_eq!(same.status, RowStatus::Same);
    assert_eq!(same.amount_change, Some(d("0")));
    assert_eq!(same.amount_change_percent, Some(d("0")));

    // 2 × 23.74 = 47.48 → 5 × 23.74 = 118.70: +71.22, exactly +150 %.
    let od = row(&c, "Acme", "CX 3", OnDemand);
    assert_eq!(od.status, RowStatus::Changed);
    assert_eq!(od.quantity_change, d("3"));
    assert_eq!(od.amount_change, Some(d("71.22")));
    assert_eq!(od.amount_change_percent.unwrap().to_string(), "150.00");

    let new = row(&c, "Acme", "WEM", Prepay);
    assert_eq!(new.status, RowStatus::New);
    assert!(new.previous.is_none());
    assert_eq!(new.quantity_change, d("3"));
    assert_eq!(new.amount_change, Some(d("36.00")));
    assert_eq!(new.amount_change_percent, None);

    // 40 × 0.0125 = 0.50, gone: change −0.50, −100 %.
    let gone = row(&c, "Acme", "Speech", OnDemand);
    assert_eq!(gone.status, RowStatus::Gone);
    assert!(gone.current.is_none());
    assert_eq!(gone.amount_change, Some(d("-0.50")));
    assert_eq!(gone.amount_change_percent.unwrap().to_string(), "-100.00");

    // 1047.98 → 1154.70: +106.72 = 10.1834… % → 10.18.
    assert_eq!(c.totals.len(), 1);
    let t = &c.totals[0];
    assert_eq!(
        (t.previous, t.current),
        (opt(Some("1047.98")), opt(Some("1154.70")))
    );
    assert_eq!(t.change, d("106.72"));
    assert_eq!(t.percent.unwrap().to_string(), "10.18");
    assert!(t.complete);

    let codes: Vec<&str> = c.alerts.iter().map(|a| a.code).collect();
    assert_eq!(codes, ["overage", "new_license", "gone_license"]);
    assert!(
        c.alerts[0].message.contains("5 \"CX 3\" on demand"),
        "{}",
        c.alerts[0].message
    );
    assert!(
        c.alerts[0].message.contains("118.70 USD (was 2 for 47.48)"),
        "{}",
        c.alerts[0].message
    );
}

#[test]
fn zero_and_three_decimal_currencies() {
    // JPY: 3 × 1500 = 4500 → 4 × 1500 = 6000: +1500 = 33.333… % → 33.33.
    // KWD: 1 × 1.235 → 1 × 1.240: +0.005 = 0.40485… % → 0.40.
    let previous = of(vec![
        ln("Kaito", "JPY", "CX 3", Prepay, "3", Some("1500")),
        ln("Gulf", "KWD", "CX 3", Prepay, "1", Some("1.235")),
    ]);
    let current = of(vec![
        ln("Kaito", "JPY", "CX 3", Prepay, "4", Some("1500")),
        ln("Gulf", "KWD", "CX 3", Prepay, "1", Some("1.240")),
    ]);
    let c = cmp(&previous, &current);
    let jpy = row(&c, "Kaito", "CX 3", Prepay);
    assert_eq!(jpy.amount_change.unwrap().to_string(), "1500");
    assert_eq!(jpy.amount_change_percent.unwrap().to_string(), "33.33");
    let kwd = row(&c, "Gulf", "CX 3", Prepay);
    assert_eq!(kwd.amount_change.unwrap().to_string(), "0.005");
    assert_eq!(kwd.amount_change_percent.unwrap().to_string(), "0.40");
    // JSON writes the exact strings.
    let json = genesys_billing::json::to_string(&c);
    assert!(json.contains(r#""previousAmount":"4500","currentAmount":"6000","amountChange":"1500","amountChangePercent":"33.33""#), "{json}");
    assert!(
        json.contains(r#""amountChange":"0.005","amountChangePercent":"0.40""#),
        "{json}"
    );
    // JPY total up 33.33 %: above the default 20 %.
    assert!(c
        .alerts
        .iter()
        .any(|a| a.code == "total_increase" && a.currency == "JPY"));
    assert!(!c
        .alerts
        .iter()
        .any(|a| a.code == "total_increase" && a.currency == "KWD"));
}

#[test]
fn percent_rounds_half_up_at_the_midpoint_in_both_directions() {
    // 200.00 → 200.01 is +0.005 %: half-up gives 0.01 (half-even would give 0.00);
    // 200.00 → 199.99 is −0.005 %: away from zero, −0.01.
    let base = of(vec![ln("Acme", "USD", "CX 3", Prepay, "1", Some("200.00"))]);
    for (now, expected) in [("200.01", "0.01"), ("199.99", "-0.01"), ("200.00", "0.00")] {
        let c = cmp(
            &base,
            &of(vec![ln("Acme", "USD", "CX 3", Prepay, "1", Some(now))]),
        );
        assert_eq!(
            c.rows[0].amount_change_percent.unwrap().to_string(),
            expected,
            "{now}"
        );
        assert_eq!(c.totals[0].percent.unwrap().to_string(), expected, "{now}");
    }
}

#[test]
fn zero_previous_amounts_and_unpriced_lines_have_no_percent() {
    let previous = of(vec![
        ln("Acme", "USD", "CX 3", OnDemand, "0", Some("23.74")),
        ln("Acme", "USD", "WEM", Prepay, "2", None),
    ]);
    let current = of(vec![
        ln("Acme", "USD", "CX 3", OnDemand, "1", Some("23.74")),
        ln("Acme", "USD", "WEM", Prepay, "5", None),
    ]);
    let c = cmp(&previous, &current);
    let od = row(&c, "Acme", "CX 3", OnDemand);
    assert_eq!(od.previous.unwrap().amount, Some(d("0.00")));
    assert_eq!(od.amount_change, Some(d("23.74")));
    assert_eq!(
        od.amount_change_percent, None,
        "no base to take a percent of"
    );
    // Unpriced: quantities compare, amounts stay unknown.
    let wem = row(&c, "Acme", "WEM", Prepay);
    assert_eq!(wem.status, RowStatus::Changed);
    assert_eq!(wem.quantity_change, d("3"));
    assert_eq!((wem.amount_change, wem.amount_change_percent), (None, None));
    let json = genesys_billing::json::to_string(&c);
    assert!(json.contains(r#""previousAmount":null,"currentAmount":null,"amountChange":null,"amountChangePercent":null"#), "{json}");
    // The totals cover priced lines only and say so.
    assert!(!c.totals[0].complete);
    assert_eq!(c.totals[0].percent, None);
}

#[test]
fn an_org_in_two_currencies_and_an_org_in_one_period_only() {
    let previous = of(vec![
        ln("Acme", "USD", "CX 3", Prepay, "1", Some("100.00")),
        ln("Acme", "EUR", "CX 3", Prepay, "1", Some("90.00")),
        ln("Old", "USD", "CX 3", Prepay, "2", Some("100.00")),
    ]);
    let current = of(vec![
        ln("Acme", "USD", "CX 3", Prepay, "1", Some("100.00")),
        ln("Acme", "EUR", "CX 3", Prepay, "2", Some("90.00")),
        ln("Fresh", "USD", "CX 3", Prepay, "1", Some("100.00")),
    ]);
    let c = cmp(&previous, &current);
    let total = |org: &str, cur: &str| {
        c.totals
            .iter()
            .find(|t| t.organization_name.as_deref() == Some(org) && t.currency == cur)
            .unwrap()
    };
    // The two currencies are compared separately, never summed.
    assert_eq!(total("Acme", "USD").change, d("0.00"));
    assert_eq!(total("Acme", "EUR").change, d("90.00"));
    assert_eq!(total("Acme", "EUR").percent.unwrap().to_string(), "100.00");
    assert_eq!(total("Fresh", "USD").previous, None);
    assert_eq!(total("Fresh", "USD").percent, None);
    assert_eq!(total("Old", "USD").current, None);
    assert_eq!(total("Old", "USD").change, d("-200.00"));
    let statuses = |org: &str| -> Vec<RowStatus> {
        c.rows
            .iter()
            .filter(|r| r.organization_name.as_deref() == Some(org))
            .map(|r| r.status)
            .collect()
    };
    assert_eq!(statuses("Fresh"), [RowStatus::New]);
    assert_eq!(statuses("Old"), [RowStatus::Gone]);
    // Per currency: USD 100.00 + 200.00 (Old) → 100.00 + 100.00 (Fresh): −100.00, −33.33 %;
    // EUR 90.00 → 180.00: +100 %.
    let usd = c.currencies.iter().find(|x| x.currency == "USD").unwrap();
    assert_eq!(
        (usd.previous, usd.current),
        (Some(d("300.00")), Some(d("200.00")))
    );
    assert_eq!(usd.change, d("-100.00"));
    assert_eq!(usd.percent.unwrap().to_string(), "-33.33");
    let eur_total = c.currencies.iter().find(|x| x.currency == "EUR").unwrap();
    assert_eq!(eur_total.percent.unwrap().to_string(), "100.00");
    assert_eq!(c.currencies.len(), 2);
    let eur = c
        .alerts
        .iter()
        .find(|a| a.code == "total_increase")
        .unwrap();
    assert_eq!(
        (eur.organization_name.as_deref(), eur.currency.as_str()),
        (Some("Acme"), "EUR")
    );
}

#[test]
fn alert_thresholds_come_from_the_options() {
    let previous = of(vec![
        ln("Acme", "USD", "CX 3", OnDemand, "2", Some("10.00")),
        ln("Beta", "USD", "CX 3", OnDemand, "20", Some("10.00")),
        ln("Gamma", "USD", "CX 3", Prepay, "1", Some("100.00")),
    ]);
    let current = of(vec![
        ln("Acme", "USD", "CX 3", OnDemand, "6", Some("10.00")),
        ln("Beta", "USD", "CX 3", OnDemand, "21", Some("10.00")),
        ln("Gamma", "USD", "CX 3", Prepay, "1", Some("120.00")),
    ]);
    let overage = |c: &Comparison| -> Vec<String> {
        c.alerts
            .iter()
            .filter(|a| a.code == "overage")
            .map(|a| a.organization_name.clone().unwrap())
            .collect()
    };
    let increases = |c: &Comparison| -> Vec<String> {
        c.alerts
            .iter()
            .filter(|a| a.code == "total_increase")
            .map(|a| a.organization_name.clone().unwrap())
            .collect()
    };
    // Defaults: every on-demand amount above zero; totals up ≥ 20 %
    // (Acme +200 %, Gamma exactly +20 %; Beta +5 %).
    let c = cmp(&previous, &current);
    assert_eq!(overage(&c), ["Acme", "Beta"]);
    assert_eq!(increases(&c), ["Acme", "Gamma"]);
    // At least 100.00 on demand (Beta's 210.00), or a rise of 4 or more (Acme's +4).
    let opts: CompareOptions = from_str(
        "options",
        r#"{"overageAmount":"100","overageQuantityIncrease":"4","totalIncreasePercent":"20.01"}"#,
    )
    .unwrap();
    let c = compare(&previous, &current, &opts).unwrap();
    assert_eq!(overage(&c), ["Acme", "Beta"]);
    assert_eq!(increases(&c), ["Acme"]);
    let opts: CompareOptions = from_str("options", r#"{"overageAmount":"100"}"#).unwrap();
    assert_eq!(
        overage(&compare(&previous, &current, &opts).unwrap()),
        ["Beta"]
    );
    for (json, code) in [
        (r#"{"overageAmount":"-1"}"#, "invalid_option"),
        (r#"{"overageAmount":100}"#, "wrong_type"),
        (r#"{"totalIncreasePercent":"20%"}"#, "invalid_decimal"),
        (r#"{"threshold":"1"}"#, "wrong_type"),
    ] {
        assert_eq!(
            from_str::<CompareOptions>("options", json)
                .unwrap_err()
                .code(),
            code,
            "{json}"
        );
    }
}

#[test]
fn ramp_periods_in_the_current_invoice_are_alerts() {
    let previous = of(vec![ln("Acme", "USD", "CX 3", Prepay, "1", Some("100.00"))]);
    let mut current = of(vec![ln("Acme", "USD", "CX 3", Prepay, "1", Some("100.00"))]);
    current.warnings.push(InvoiceWarning {
        code: "ramp_period".into(),
        message: "org \"Acme\" (id-Acme) is in its ramp period".into(),
        organization_id: Some("id-Acme".into()),
        license_type: None,
    });
    let c = cmp(&previous, &current);
    let ramp: Vec<_> = c
        .alerts
        .iter()
        .filter(|a| a.code == "ramp_period")
        .collect();
    assert_eq!(ramp.len(), 1);
    assert_eq!(
        (
            ramp[0].organization_name.as_deref(),
            ramp[0].currency.as_str()
        ),
        (Some("Acme"), "USD")
    );
}

#[test]
fn csv_reads_the_plain_comparison_back_and_checks_it() {
    let previous = of(vec![
        ln("=Acme", "USD", "CX 3", OnDemand, "2", Some("23.74")),
        ln("=Acme", "USD", "WEM", Prepay, "1", None),
    ]);
    let current = of(vec![ln(
        "=Acme",
        "USD",
        "CX 3",
        OnDemand,
        "5",
        Some("23.74"),
    )]);
    let c = cmp(&previous, &current);
    let plain = genesys_billing::json::to_string(&c);
    let back: Comparison = from_str("the comparison", &plain).unwrap();
    assert_eq!(back.rows, c.rows);
    let csv = comparison_to_csv(&back).unwrap();
    assert_eq!(
        csv,
        concat!(
            "Company,Company ID,Currency,License Type,Part Number,Charge,Previous Quantity,Current Quantity,Quantity Change,Previous Amount,Current Amount,Amount Change,Amount Change %,Status\r\n",
            "'=Acme,id-=Acme,USD,CX 3,PC-CX 3,on-demand,2,5,3,47.48,118.70,71.22,150.00,changed\r\n",
            "'=Acme,id-=Acme,USD,WEM,PC-WEM,prepay,1,,-1,,,,,gone\r\n",
        )
    );
    // A status that the figures contradict is refused, naming the row.
    let tampered = plain.replacen(r#""status":"changed""#, r#""status":"same""#, 1);
    let e = from_str::<Comparison>("the comparison", &tampered).unwrap_err();
    assert_eq!(e.code(), "wrong_type");
    assert!(
        e.to_string().contains("rows[0]") && e.to_string().contains("status"),
        "{e}"
    );
    let e =
        from_str::<Comparison>("the comparison", r#"{"rows":[{"currency":"USD"}]}"#).unwrap_err();
    assert_eq!(e.code(), "missing_field");
}

#[test]
fn lines_sharing_a_key_are_summed_and_amounts_never_overflow_silently() {
    // Two prepay lines of one part number in one period: one row.
    let previous = of(vec![
        ln("Acme", "USD", "CX 3", Prepay, "1", Some("10.00")),
        ln("Acme", "USD", "CX 3", Prepay, "2", Some("10.00")),
    ]);
    let current = of(vec![ln("Acme", "USD", "CX 3", Prepay, "3", Some("10.00"))]);
    let c = cmp(&previous, &current);
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.rows[0].status, RowStatus::Same);
    let huge = Decimal::MAX;
    let mut a = ln("Acme", "USD", "CX 3", Prepay, "1", Some("1"));
    a.amount = Some(huge);
    a.rate = Some(huge);
    let inv = Invoice {
        lines: vec![a.clone()],
        totals: vec![],
        warnings: vec![],
    };
    let neg = Invoice {
        lines: vec![{
            let mut x = a;
            x.amount = Some(-huge);
            x
        }],
        totals: vec![],
        warnings: vec![],
    };
    let e = compare(&neg, &inv, &CompareOptions::default()).unwrap_err();
    assert_eq!(e.code(), "overflow");
    assert!(e.to_string().contains("Acme"), "{e}");
    assert_eq!(e.location().organization_id.as_deref(), Some("id-Acme"));
}
