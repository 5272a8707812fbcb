//! The TypeScript types in src/wasm_types.d.ts are written by hand, so this
//! test holds them to the Rust types they describe: every field a result
//! carries is declared, every declared field is produced, and every option
//! the .d.ts offers is one the Rust side accepts.
#![cfg(not(target_arch = "wasm32"))]

use genesys_billing::export::{
    CsvOptions, FocusOptions, QuickBooksOptions, StripeOptions, XeroOptions,
};
use genesys_billing::invoice::from_overview;
use genesys_billing::options::{
    OverviewInvoiceOptions, OverviewInvoiceOptionsInput, UsageInvoiceOptionsInput,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const DTS: &str = include_str!("../src/wasm_types.d.ts");

/// The field names of `interface NAME { … }` in the .d.ts.
fn ts_fields(name: &str) -> BTreeSet<String> {
    let start = DTS
        .find(&format!("interface {name} "))
        .unwrap_or_else(|| panic!("interface {name} is not in wasm_types.d.ts"));
    let body = &DTS[start..];
    let open = body.find('{').unwrap();
    let mut depth = 0;
    let mut end = open;
    for (i, c) in body[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = &body[open + 1..end];
    // Drop comments, then take `name:` / `name?:` at nesting depth 0.
    let mut text = String::new();
    let mut rest = inner;
    while let Some(c) = rest.find("/**") {
        text.push_str(&rest[..c]);
        rest = &rest[c + rest[c..].find("*/").unwrap() + 2..];
    }
    text.push_str(rest);
    let mut fields = BTreeSet::new();
    let mut depth = 0;
    let mut token = String::new();
    for c in text.chars() {
        match c {
            '{' | '(' | '<' => depth += 1,
            '}' | ')' | '>' => depth -= 1,
            ':' if depth == 0 => {
                let name = token.trim().trim_end_matches('?').to_string();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    fields.insert(name);
                }
            }
            _ => {}
        }
        if c == ';' || c == ',' || c == '{' || c == '\n' {
            token.clear();
        } else if c != ':' {
            token.push(c);
        }
    }
    fields
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn sample_invoice() -> genesys_billing::Invoice {
    let o: genesys_billing::model::TrusteeBillingOverview = genesys_billing::decode::from_str("overview", &json!({
        "organization": {"id": "o1", "name": "Acme"}, "currency": "USD", "enabledProducts": [],
        "subscriptionType": "PREPAY", "billingPeriodStartDate": "2026-10-01T00:00:00Z",
        "billingPeriodEndDate": "2026-10-31T23:59:59Z",
        "usages": [{"name": "CX 3", "partNumber": "P", "grouping": "g", "unitOfMeasureType": "seat",
                    "usageQuantity": "3", "prepayQuantity": "1", "prepayPrice": "2.00"}]
    }).to_string())
    .unwrap();
    from_overview(&o, &OverviewInvoiceOptions::default()).unwrap()
}

#[test]
fn invoice_results_match_their_declared_types() {
    let inv = serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(
        &sample_invoice(),
    ))
    .unwrap();
    assert_eq!(keys(&inv), ts_fields("PlainInvoice"));
    // `resources` is declared optional and only usage lines carry it.
    let mut line = keys(&inv["lines"][0]);
    line.insert("resources".into());
    assert_eq!(line, ts_fields("InvoiceLine"));
    assert_eq!(keys(&inv["totals"][0]), ts_fields("InvoiceTotal"));
    let mut warning = keys(&inv["warnings"][0]);
    warning.insert("organizationId".into());
    warning.insert("licenseType".into());
    assert_eq!(warning, ts_fields("InvoiceWarning"));
}

#[test]
fn accounting_exports_match_their_declared_type() {
    let opts: XeroOptions = genesys_billing::decode::from_str(
        "options",
        r#"{"invoiceDate":"2026-11-01","skipUnpriced":true}"#,
    )
    .unwrap();
    let out = genesys_billing::export::to_xero_csv(&sample_invoice(), &opts).unwrap();
    let v = serde_json::from_str::<Value>(&genesys_billing::json::to_string(&out)).unwrap();
    assert_eq!(keys(&v), ts_fields("AccountingExport"));
}

#[test]
fn stripe_items_match_their_declared_type() {
    let items = genesys_billing::export::to_stripe_items(
        &sample_invoice(),
        &StripeOptions {
            skip_unpriced: true,
            ..StripeOptions::default()
        },
    )
    .unwrap();
    let item =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&items[0]))
            .unwrap();
    // The declared fields are those of both modes: "amount" writes `amount`,
    // "quantity" the two decimals, never all three.
    let quantity = genesys_billing::export::to_stripe_items(
        &sample_invoice(),
        &StripeOptions {
            skip_unpriced: true,
            mode: genesys_billing::export::StripeMode::Quantity,
            ..StripeOptions::default()
        },
    )
    .unwrap();
    let quantity_item =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&quantity[0]))
            .unwrap();
    assert!(item.get("quantity_decimal").is_none() && quantity_item.get("amount").is_none());
    let both: BTreeSet<String> = keys(&item).union(&keys(&quantity_item)).cloned().collect();
    assert_eq!(both, ts_fields("StripeInvoiceItem"));
    assert_eq!(keys(&item["period"]), ts_fields("StripePeriod"));
}

/// Every field the .d.ts declares for an options type deserialises (the
/// Rust side rejects unknown fields, so a renamed one would fail here).
fn accepts_declared<T: genesys_billing::decode::FromJson>(ts: &str, samples: &[(&str, Value)]) {
    let fields = ts_fields(ts);
    for f in &fields {
        let value = samples
            .iter()
            .find(|(n, _)| n == f)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no sample for {ts}.{f}"));
        let mut obj = json!({});
        obj[f] = value;
        for (n, v) in samples.iter().filter(|(n, _)| n.starts_with('!')) {
            obj[&n[1..]] = v.clone();
        }
        if let Err(e) = genesys_billing::decode::from_str::<T>("options", &obj.to_string()) {
            panic!("{ts}.{f} is declared but rejected: {e}");
        }
    }
}

#[test]
fn declared_options_are_accepted() {
    accepts_declared::<OverviewInvoiceOptionsInput>(
        "OverviewInvoiceOptions",
        &[
            ("priceBook", json!({"P": {"prepay": "1", "onDemand": "2"}})),
            ("markupPercent", json!("10")),
            ("rounding", json!("half-even")),
            ("applyMinimum", json!(false)),
            ("currencyExponent", json!(2)),
        ],
    );
    accepts_declared::<UsageInvoiceOptionsInput>(
        "UsageInvoiceOptions",
        &[
            ("priceBook", json!({"CX": "1"})),
            ("currency", json!("USD")),
            ("organization", json!({"id": "o", "name": "n"})),
            ("rounding", json!("half-up")),
            ("currencyExponent", json!(2)),
            ("!priceBook", json!({})),
            ("!currency", json!("USD")),
        ],
    );
    accepts_declared::<CsvOptions>("CsvOptions", &[("includeHeader", json!(false))]);
    accepts_declared::<FocusOptions>(
        "FocusOptions",
        &[
            ("invoiceIssuerName", json!("Partner")),
            ("providerName", json!("Genesys")),
            ("allowUnpriced", json!(true)),
            ("focusVersion", json!("1.3")),
            ("invoiceId", json!("INV-2026-10")),
        ],
    );
    accepts_declared::<StripeOptions>(
        "StripeOptions",
        &[
            ("customers", json!({"o": "cus_1"})),
            ("skipUnpriced", json!(true)),
            ("rounding", json!("half-up")),
            ("currencyExponent", json!(2)),
            ("mode", json!("quantity")),
            ("taxBehavior", json!("unspecified")),
        ],
    );
    let terms = [
        ("invoiceDate", json!("2026-11-01")),
        ("dueDate", json!("2026-12-01")),
        ("paymentTermsDays", json!(14)),
        ("invoiceNumberPrefix", json!("INV-")),
        ("dateFormat", json!("YYYY-MM-DD")),
        ("skipUnpriced", json!(true)),
        ("!invoiceDate", json!("2026-11-01")),
    ];
    accepts_declared::<XeroOptions>("AccountingInvoiceOptions", &terms);
    accepts_declared::<QuickBooksOptions>("AccountingInvoiceOptions", &terms);
    let mut xero = terms.to_vec();
    xero.extend([
        ("accountCode", json!("4000")),
        ("taxType", json!("Tax Exempt")),
    ]);
    accepts_declared::<XeroOptions>("XeroOptions", &xero);
    let mut qbo = terms.to_vec();
    qbo.push(("item", json!("Genesys Cloud")));
    accepts_declared::<QuickBooksOptions>("QuickBooksOptions", &qbo);
    accepts_declared::<genesys_billing::compare::CompareOptions>(
        "CompareOptions",
        &[
            ("overageAmount", json!("100")),
            ("overageQuantityIncrease", json!("5")),
            ("totalIncreasePercent", json!("20")),
        ],
    );
}

#[test]
fn comparisons_match_their_declared_types() {
    let previous = sample_invoice();
    let mut current = sample_invoice();
    current.lines[0].license_type = "Other".into();
    current.lines[0].part_number = Some("Q".into());
    let c = genesys_billing::compare::compare(
        &previous,
        &current,
        &genesys_billing::compare::CompareOptions::default(),
    )
    .unwrap();
    let v = serde_json::from_str::<Value>(&genesys_billing::json::to_string(&c)).unwrap();
    assert_eq!(keys(&v), ts_fields("Comparison"));
    assert_eq!(keys(&v["rows"][0]), ts_fields("ComparisonRow"));
    assert_eq!(keys(&v["totals"][0]), ts_fields("ComparisonTotal"));
    assert_eq!(keys(&v["currencies"][0]), ts_fields("ComparisonCurrency"));
    let per_currency = genesys_billing::invoice::currency_totals(&current.totals).unwrap();
    let sums =
        serde_json::from_str::<Value>(&genesys_billing::json::to_string(&per_currency)).unwrap();
    assert_eq!(keys(&sums[0]), ts_fields("CurrencyTotal"));
    let alert = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "new_license")
        .unwrap();
    assert_eq!(keys(alert), ts_fields("ComparisonAlert"));
}

#[test]
fn regions_match_their_declared_type() {
    let v = serde_json::from_str::<Value>(&genesys_billing::json::to_string(
        genesys_billing::region::REGIONS,
    ))
    .unwrap();
    for r in v.as_array().unwrap() {
        assert_eq!(keys(r), ts_fields("Region"));
    }
}
