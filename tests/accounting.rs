//! The Xero and QuickBooks Online invoice imports, against hand-written
//! expected output, and every line and invoice total recomputed the way
//! each target does (quantity × unit price rounded to 2 decimals, under
//! either midpoint rule).
// Native only: these use native dev-dependencies (csv).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::{d, of};

use genesys_billing::decode::from_str;
use genesys_billing::export::{
    to_quickbooks_csv, to_xero_csv, AccountingExport, QuickBooksOptions, XeroOptions,
};
use genesys_billing::{Invoice, InvoiceLine};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

fn line(org: &str, currency: &str, quantity: &str, rate: &str, amount: &str) -> InvoiceLine {
    let id = format!("id-{org}");
    let mut l = common::line(
        (&id, org),
        "CX 3",
        currency,
        quantity,
        Some(rate),
        Some(amount),
    );
    l.organization_id = Some(id);
    l
}

fn unpriced(org: &str) -> InvoiceLine {
    InvoiceLine {
        license_type: "WEM".into(),
        rate: None,
        amount: None,
        ..line(org, "USD", "1", "0", "0")
    }
}

fn xero_opts(json: &str) -> XeroOptions {
    from_str("options", json).unwrap()
}

fn qbo_opts(json: &str) -> QuickBooksOptions {
    from_str("options", json).unwrap()
}

fn xero(inv: &Invoice) -> AccountingExport {
    to_xero_csv(inv, &xero_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap()
}

fn qbo(inv: &Invoice) -> AccountingExport {
    to_quickbooks_csv(inv, &qbo_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap()
}

/// Rows as maps from header name to cell.
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Quantity × unit price, rounded to 2 decimals as the target does; both
/// midpoint rules must agree, since neither vendor documents its rule.
fn target_line_amount(quantity: &str, unit: &str) -> Decimal {
    let product = d(quantity) * d(unit);
    let up = product.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let even = product.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    assert_eq!(up, even, "{quantity} × {unit} is a midpoint at 2 decimals");
    up
}

/// Recomputes the file the way the target does: per invoice number, the sum
/// of quantity × unit price per line; checks each line against its written
/// amount where the file has one (QuickBooks) and that no written figure has
/// more decimals than the target keeps.
fn target_totals(
    text: &str,
    number: &str,
    customer: &str,
    quantity: &str,
    unit: &str,
    amount: Option<&str>,
    unit_dp: u32,
) -> BTreeMap<(String, String), Decimal> {
    let mut out: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for row in rows(text) {
        assert!(d(&row[unit]).scale() <= unit_dp, "{row:?}");
        assert!(d(&row[quantity]).scale() <= unit_dp, "{row:?}");
        let computed = target_line_amount(&row[quantity], &row[unit]);
        if let Some(a) = amount {
            assert_eq!(computed, d(&row[a]), "{row:?}");
        }
        *out.entry((row[number].clone(), row[customer].clone()))
            .or_default() += computed;
    }
    out
}

// ------------------------------------------------------------------ Xero

#[test]
fn xero_is_exactly_the_expected_text() {
    let inv = of(vec![
        line("Acme, Inc.", "USD", "12", "23.74", "284.88"),
        line("Globex", "USD", "3", "0.835", "2.51"),
    ]);
    let out = xero(&inv);
    let expected = concat!(
        "*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,POPostalCode,POCountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,*AccountCode,TaxAmount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2,Currency,BrandingTheme\r\n",
        "\"Acme, Inc.\",,,,,,,,,,GC-202610-001,Genesys Cloud 2026-10-01 – 2026-10-31,01/11/2026,01/12/2026,,,CX 3 — on-demand (PC-1),12,23.74,,200,,,,,,USD,\r\n",
        // 3 × 0.835 = 2.505 is a midpoint: Xero's rounding would decide, so
        // the line is 1 × 2.51 with the quantity and rate in its description.
        "Globex,,,,,,,,,,GC-202610-002,Genesys Cloud 2026-10-01 – 2026-10-31,01/11/2026,01/12/2026,,,CX 3 — on-demand (PC-1): 3 × 0.835 USD,1,2.51,,200,,,,,,USD,\r\n",
    );
    assert_eq!(out.csv, expected);
    assert_eq!(out.warnings.len(), 1);
    let w = &out.warnings[0];
    assert_eq!(w.code, "single_unit_line");
    assert_eq!(w.organization_id.as_deref(), Some("id-Globex"));
    assert!(
        w.message.contains("line 2") && w.message.contains("1 × 2.51"),
        "{}",
        w.message
    );
}

#[test]
fn xero_options_dates_tax_type_and_prefix() {
    let inv = of(vec![line("Acme", "USD", "2", "10", "20.00")]);
    let out = to_xero_csv(
        &inv,
        &xero_opts(
            r#"{"invoiceDate":"2026-11-01","paymentTermsDays":14,"dateFormat":"MM/DD/YYYY",
                "accountCode":"4000","taxType":"Tax Exempt","invoiceNumberPrefix":"INV-"}"#,
        ),
    )
    .unwrap();
    let r = &rows(&out.csv)[0];
    assert_eq!(r["*InvoiceDate"], "11/01/2026");
    assert_eq!(r["*DueDate"], "11/15/2026");
    assert_eq!(r["*AccountCode"], "4000");
    assert_eq!(r["*TaxType"], "Tax Exempt");
    assert_eq!(r["*InvoiceNumber"], "INV-001");
    assert_eq!(r["*UnitAmount"], "10.00");
    assert_eq!(r["*Quantity"], "2");
    let out = to_xero_csv(
        &inv,
        &xero_opts(
            r#"{"invoiceDate":"2026-11-01","dueDate":"2026-11-30","dateFormat":"YYYY-MM-DD"}"#,
        ),
    )
    .unwrap();
    assert_eq!(rows(&out.csv)[0]["*DueDate"], "2026-11-30");
}

#[test]
fn accounting_options_are_checked() {
    let bad = [
        (r#"{}"#, "missing_field", "invoiceDate"),
        (
            r#"{"invoiceDate":"01/11/2026"}"#,
            "invalid_date",
            "invoiceDate",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","dueDate":"2026-10-31"}"#,
            "invalid_option",
            "dueDate",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","dueDate":"2026-12-01","paymentTermsDays":30}"#,
            "invalid_option",
            "paymentTermsDays",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","paymentTermsDays":9999}"#,
            "invalid_option",
            "paymentTermsDays",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","dateFormat":"D/M/Y"}"#,
            "wrong_type",
            "dateFormat",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","accountCode":" "}"#,
            "invalid_option",
            "accountCode",
        ),
        (
            r#"{"invoiceDate":"2026-11-01","taxtype":"x"}"#,
            "wrong_type",
            "taxtype",
        ),
    ];
    for (json, code, names) in bad {
        let e = from_str::<XeroOptions>("options", json).unwrap_err();
        assert_eq!(e.code(), code, "{json}: {e}");
        assert!(e.to_string().contains(names), "{json}: {e}");
    }
    let e = from_str::<QuickBooksOptions>("options", r#"{"invoiceDate":"2026-11-01","item":""}"#)
        .unwrap_err();
    assert_eq!(e.code(), "invalid_option");
}

#[test]
fn one_invoice_per_org_and_currency_in_order_of_appearance() {
    let inv = of(vec![
        line("Acme", "USD", "1", "5", "5.00"),
        line("Globex", "EUR", "1", "5", "5.00"),
        line("Acme", "EUR", "1", "5", "5.00"),
        line("Acme", "USD", "2", "5", "10.00"),
    ]);
    let numbers: Vec<(String, String, String)> = rows(&xero(&inv).csv)
        .into_iter()
        .map(|r| {
            (
                r["*InvoiceNumber"].clone(),
                r["*ContactName"].clone(),
                r["Currency"].clone(),
            )
        })
        .collect();
    let n = |s: &str, c: &str, cur: &str| (s.to_string(), c.to_string(), cur.to_string());
    assert_eq!(
        numbers,
        [
            n("GC-202610-001", "Acme", "USD"),
            n("GC-202610-001", "Acme", "USD"),
            n("GC-202610-002", "Globex", "EUR"),
            n("GC-202610-003", "Acme", "EUR"),
        ]
    );
}

#[test]
fn names_that_need_quoting_or_neutralising() {
    let inv = of(vec![
        line("=HYPERLINK(\"x\")", "USD", "1", "5", "5.00"),
        line("Smith \"Bros\", Ltd", "USD", "1", "5", "5.00"),
    ]);
    let x = xero(&inv).csv;
    assert!(x.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{x}");
    assert!(x.contains("\"Smith \"\"Bros\"\", Ltd\""), "{x}");
    let r = rows(&x);
    assert_eq!(r[0]["*ContactName"], "'=HYPERLINK(\"x\")");
    let q = rows(&qbo(&inv).csv);
    assert_eq!(q[1]["Customer"], "Smith \"Bros\", Ltd");
}

#[test]
fn zero_decimal_currency_lines_that_xero_would_round_differently() {
    // JPY: 3 × 0.5 = 1.5 yen, billed as 2 yen (rounded to whole yen); Xero
    // would compute 1.50. Written as 1 × 2.
    let inv = of(vec![
        line("Acme", "JPY", "3", "0.5", "2"),
        line("Acme", "JPY", "4", "1500", "6000"),
    ]);
    let out = xero(&inv);
    let r = rows(&out.csv);
    assert_eq!(
        (r[0]["*Quantity"].as_str(), r[0]["*UnitAmount"].as_str()),
        ("1", "2")
    );
    assert_eq!(
        (r[1]["*Quantity"].as_str(), r[1]["*UnitAmount"].as_str()),
        ("4", "1500")
    );
    assert_eq!(out.warnings.len(), 1);
    let q = rows(&qbo(&inv).csv);
    assert_eq!(q[0]["Item Amount"], "2");
    assert_eq!(q[1]["Item Amount"], "6000");
}

#[test]
fn three_decimal_currency_amounts_must_fit_two_decimals() {
    let fits = of(vec![line("Acme", "KWD", "2", "0.615", "1.230")]);
    let r = rows(&xero(&fits).csv);
    assert_eq!(
        (r[0]["*Quantity"].as_str(), r[0]["*UnitAmount"].as_str()),
        ("2", "0.615")
    );
    assert_eq!(target_line_amount("2", "0.615"), d("1.23"));
    let q = rows(&qbo(&fits).csv);
    assert_eq!(q[0]["Item Amount"], "1.23");

    let refused = of(vec![line("Acme", "KWD", "1", "1.235", "1.235")]);
    for e in [
        to_xero_csv(&refused, &xero_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err(),
        to_quickbooks_csv(&refused, &qbo_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err(),
    ] {
        assert_eq!(e.code(), "target_limit");
        let m = e.to_string();
        assert!(m.contains("1.235 KWD") && m.contains("Acme"), "{m}");
    }
}

#[test]
fn rates_beyond_the_targets_precision() {
    // 1000 × 0.061171 = 61.171 → 61.17: Xero keeps 4 decimals in a unit
    // price, QuickBooks 5; both get 1 × 61.17.
    let inv = of(vec![line("Acme", "USD", "1000", "0.061171", "61.17")]);
    for out in [xero(&inv), qbo(&inv)] {
        assert_eq!(out.warnings[0].code, "single_unit_line");
        assert!(out.csv.contains("1000 × 0.061171 USD"), "{}", out.csv);
    }
    // 0.00615 has 5 decimals: QuickBooks takes it as it is, Xero cannot.
    let inv = of(vec![line("Acme", "USD", "1000", "0.00615", "6.15")]);
    assert_eq!(rows(&qbo(&inv).csv)[0]["Item Rate"], "0.00615");
    assert!(qbo(&inv).warnings.is_empty());
    assert_eq!(rows(&xero(&inv).csv)[0]["*UnitAmount"], "6.15");
}

#[test]
fn unpriced_lines_fail_or_are_skipped() {
    let inv = of(vec![
        line("Acme", "USD", "1", "5", "5.00"),
        unpriced("Acme"),
    ]);
    let e = to_xero_csv(&inv, &xero_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err();
    assert_eq!(e.code(), "unpriced_line");
    assert!(
        e.to_string().contains("Xero") && e.to_string().contains("WEM"),
        "{e}"
    );
    let skip = r#"{"invoiceDate":"2026-11-01","skipUnpriced":true}"#;
    assert_eq!(
        rows(&to_xero_csv(&inv, &xero_opts(skip)).unwrap().csv).len(),
        1
    );
    let e = to_quickbooks_csv(&inv, &qbo_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err();
    assert_eq!(e.code(), "unpriced_line");
    assert_eq!(
        rows(&to_quickbooks_csv(&inv, &qbo_opts(skip)).unwrap().csv).len(),
        1
    );
}

#[test]
fn a_line_without_an_org_cannot_name_a_customer() {
    let mut l = line("Acme", "USD", "1", "5", "5.00");
    l.organization_id = None;
    l.organization_name = None;
    let e = to_xero_csv(&of(vec![l]), &xero_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err();
    assert_eq!(e.code(), "missing_field");
    assert!(e.to_string().contains("organization"), "{e}");
}

// ------------------------------------------------------------ QuickBooks

#[test]
fn quickbooks_is_exactly_the_expected_text() {
    let inv = of(vec![
        line("Acme, Inc.", "USD", "12", "23.74", "284.88"),
        line("Acme, Inc.", "USD", "1000", "0.061171", "61.17"),
    ]);
    let out = to_quickbooks_csv(
        &inv,
        &qbo_opts(r#"{"invoiceDate":"2026-11-01","item":"Genesys Cloud"}"#),
    )
    .unwrap();
    let expected = concat!(
        "Invoice number,Customer,Invoice date,Due date,Terms,Memo,Item (Product/Service),Item Description,Item Quantity,Item Rate,Item Amount,Service Date\r\n",
        "GC-202610-001,\"Acme, Inc.\",11/01/2026,12/01/2026,,\"Genesys Cloud 2026-10-01 – 2026-10-31, USD\",Genesys Cloud,CX 3 — on-demand (PC-1),12,23.74,284.88,10/01/2026\r\n",
        "GC-202610-001,\"Acme, Inc.\",11/01/2026,12/01/2026,,\"Genesys Cloud 2026-10-01 – 2026-10-31, USD\",Genesys Cloud,CX 3 — on-demand (PC-1): 1000 × 0.061171 USD,1,61.17,61.17,10/01/2026\r\n",
    );
    assert_eq!(out.csv, expected);
}

#[test]
fn quickbooks_refuses_negative_lines_and_long_numbers() {
    let credit = of(vec![line("Acme", "USD", "1", "-3.50", "-3.50")]);
    let e = to_quickbooks_csv(&credit, &qbo_opts(r#"{"invoiceDate":"2026-11-01"}"#)).unwrap_err();
    assert_eq!(e.code(), "target_limit");
    assert!(e.to_string().contains("negative"), "{e}");
    // Xero takes a credit line as it is.
    assert_eq!(rows(&xero(&credit).csv)[0]["*UnitAmount"], "-3.50");
    let inv = of(vec![line("Acme", "USD", "1", "5", "5.00")]);
    let e = to_quickbooks_csv(
        &inv,
        &qbo_opts(r#"{"invoiceDate":"2026-11-01","invoiceNumberPrefix":"GENESYS-CLOUD-2026-"}"#),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_option");
    assert!(e.to_string().contains("21 characters"), "{e}");
}

#[test]
fn quickbooks_warns_about_currencies_and_import_limits() {
    let inv = of(vec![
        line("Acme", "USD", "1", "5", "5.00"),
        line("Globex", "EUR", "1", "5", "5.00"),
    ]);
    let out = qbo(&inv);
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].code, "customer_currency");
    assert!(
        out.warnings[0].message.contains("1 in EUR, 1 in USD"),
        "{}",
        out.warnings[0].message
    );
    let many = of((0..101)
        .map(|i| line(&format!("Org {i}"), "USD", "1", "5", "5.00"))
        .collect());
    let out = qbo(&many);
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].code, "import_limit");
    assert!(xero(&many).warnings.is_empty());
    let many = of((0..501)
        .map(|i| line(&format!("Org {i}"), "USD", "1", "5", "5.00"))
        .collect());
    assert_eq!(xero(&many).warnings[0].code, "import_limit");
}

// --------------------------------------------- recomputed as the target

/// Lines whose products land on every awkward case: midpoints, sub-cent
/// rates, rates beyond 4 and 5 decimals, fractional quantities, whole-yen
/// rounding, and three-decimal amounts that fit in two.
fn awkward_invoice() -> Invoice {
    let mut lines = Vec::new();
    let cases = [
        ("USD", "12", "23.74", 2),
        ("USD", "3", "0.835", 2),
        ("USD", "1000", "0.061171", 2),
        ("USD", "7", "0.0063", 2),
        ("USD", "2.5", "19.99", 2),
        ("USD", "0.33333", "3", 2),
        ("USD", "1", "103.95", 2),
        ("EUR", "45", "0.00615", 2),
        ("JPY", "3", "0.5", 0),
        ("JPY", "11", "1234.5678", 0),
        ("KWD", "2", "0.615", 3),
        ("KWD", "20", "0.0125", 3),
    ];
    for (i, (currency, q, r, exp)) in cases.iter().enumerate() {
        for (org, rounding) in [
            ("Up", RoundingStrategy::MidpointAwayFromZero),
            ("Even", RoundingStrategy::MidpointNearestEven),
        ] {
            let amount = (d(q) * d(r)).round_dp_with_strategy(*exp, rounding);
            let mut amount = amount;
            amount.rescale(*exp);
            let mut l = line(
                &format!("{org} {}", i % 3),
                currency,
                q,
                r,
                &amount.to_string(),
            );
            l.license_type = format!("License {i}");
            lines.push(l);
        }
    }
    of(lines)
}

#[test]
fn every_line_and_total_recomputed_as_each_target_does() {
    let inv = awkward_invoice();
    let ours: BTreeMap<(String, String), Decimal> = inv
        .totals
        .iter()
        .map(|t| {
            (
                (t.organization_name.clone().unwrap(), t.currency.clone()),
                t.amount,
            )
        })
        .collect();
    let check = |text: &str,
                 by_number: BTreeMap<(String, String), Decimal>,
                 currency_of: &dyn Fn(&str) -> String| {
        assert_eq!(by_number.len(), ours.len(), "{text}");
        for ((number, customer), total) in by_number {
            let key = (customer.clone(), currency_of(&number));
            assert_eq!(Some(&total), ours.get(&key), "{number} {customer}");
        }
    };
    let x = xero(&inv);
    let currency_by_number: BTreeMap<String, String> = rows(&x.csv)
        .into_iter()
        .map(|r| (r["*InvoiceNumber"].clone(), r["Currency"].clone()))
        .collect();
    check(
        &x.csv,
        target_totals(
            &x.csv,
            "*InvoiceNumber",
            "*ContactName",
            "*Quantity",
            "*UnitAmount",
            None,
            4,
        ),
        &|n| currency_by_number[n].clone(),
    );
    let q = qbo(&inv);
    let currency_by_number: BTreeMap<String, String> = rows(&q.csv)
        .into_iter()
        .map(|r| {
            (
                r["Invoice number"].clone(),
                r["Memo"].rsplit(", ").next().unwrap().to_string(),
            )
        })
        .collect();
    check(
        &q.csv,
        target_totals(
            &q.csv,
            "Invoice number",
            "Customer",
            "Item Quantity",
            "Item Rate",
            Some("Item Amount"),
            5,
        ),
        &|n| currency_by_number[n].clone(),
    );
    // The awkward cases did exercise both ways of writing a line.
    assert!(x.warnings.iter().any(|w| w.code == "single_unit_line"));
    assert!(rows(&x.csv).iter().any(|r| r["*Quantity"] != "1"));
}
