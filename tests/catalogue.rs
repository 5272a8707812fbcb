//! A catalogue of hostile and broken inputs, each with the exact error code
//! it gets and a check that the message names what is wrong: the field, the
//! usage, the org or the value. Inputs go through the same calls as the JS
//! API (`src/wasm.rs`): `BillingError::parse_json` with the same labels,
//! then the options, invoice and export functions. Where an odd input is
//! accepted on purpose (duplicated usages, a null org name, a negative API
//! price), the test says so and asserts what comes out.
//!
//! Where bytes come from: the core only ever takes text. The wasm glue
//! receives JS strings, and over the wire `fetch`'s `text()`/`json()`
//! decode the body first, replacing invalid UTF-8 with U+FFFD; so invalid
//! UTF-8 reaches the library as U+FFFD, which the UTF-8 tests below feed it.
// Native only: the CSV read-back uses the `csv` dev-dependency.
#![cfg(not(target_arch = "wasm32"))]
// The helpers return the library's own `Result`, whose error is as large as
// the library made it; boxing it here would only hide the type under test.
#![allow(clippy::result_large_err)]

mod common;
use common::d;

use genesys_billing::dates::Timestamp;
use genesys_billing::export::{
    to_csv, to_focus_csv, to_stripe_items, CsvOptions, FocusOptions, StripeOptions,
};
use genesys_billing::invoice::{from_overview, from_usage};
use genesys_billing::model::{BillingUsageReport, TrusteeBillingOverview};
use genesys_billing::options::{OverviewInvoiceOptions, UsageInvoiceOptions};
use genesys_billing::region;
use genesys_billing::{BillingError, Invoice};
use std::fmt::Debug;

/// The labels `src/wasm.rs` gives `parse_json`.
const OVERVIEW: &str = "the trustee billing overview";
const REPORT: &str = "the billable-usage report";

/// One org, one usage: 10 prepaid at 155 = 1550.00, 3 on demand at 186 =
/// 558.00, total 2108.00 USD.
const ACME: &str = r#"{"organization":{"id":"org-1","name":"Acme"},"currency":"USD","enabledProducts":["CX3"],"subscriptionType":"PREPAY","billingPeriodStartDate":"2026-10-01T00:00:00Z","billingPeriodEndDate":"2026-10-31T23:59:59.999Z","usages":[{"name":"CX 3","partNumber":"PC-1","grouping":"billable-license","unitOfMeasureType":"seat","usageQuantity":"13","prepayQuantity":"10","prepayPrice":"155","overagePrice":"186"}]}"#;

/// A billable-usage report with two usages, 4 and 2.5.
const REPORT_JSON: &str = r#"{"startDate":"2026-10-01T00:00:00.000Z","endDate":"2026-10-31T23:59:59.999Z","status":"Complete","usages":[{"name":"CX 3","totalUsage":"4","resources":[{"name":"ana@example.com","date":"2026-10-03T10:00:00.000Z"}]},{"name":"Speech Analytics","totalUsage":"2.5","resources":[]}]}"#;

const USAGE_OPTIONS: &str = r#"{"currency":"USD","priceBook":{"CX 3":"155","Speech Analytics":"0.75"},"organization":{"id":"org-1","name":"Acme"}}"#;

/// `json` with `from` replaced once; fails if `from` is not there, so a
/// typo cannot turn a case into a test of the unmodified input.
fn set(json: &str, from: &str, to: &str) -> String {
    assert!(json.contains(from), "{from:?} is not in the input");
    json.replacen(from, to, 1)
}

/// `invoiceFromOverview(json, options)`.
fn overview_with(json: &str, options: &str) -> Result<Invoice, BillingError> {
    let o: TrusteeBillingOverview = genesys_billing::decode::from_str(OVERVIEW, json)?;
    from_overview(&o, &OverviewInvoiceOptions::from_json(options)?)
}

fn overview(json: &str) -> Result<Invoice, BillingError> {
    overview_with(json, "{}")
}

/// `invoiceFromUsage(json, options)`.
fn usage_with(json: &str, options: &str) -> Result<Invoice, BillingError> {
    let r: BillingUsageReport = genesys_billing::decode::from_str(REPORT, json)?;
    from_usage(&r, &UsageInvoiceOptions::from_json(options)?)
}

/// An invoice handed back from JavaScript, as the exports take it.
fn invoice_arg(json: &str) -> Result<Invoice, BillingError> {
    let inv = Invoice::from_json(json)?;
    inv.check()?;
    Ok(inv)
}

/// Asserts `result` is the error `code` and that its message contains every
/// one of `names`.
#[track_caller]
fn expect<T: Debug>(case: &str, result: Result<T, BillingError>, code: &str, names: &[&str]) {
    let e = match result {
        Ok(v) => panic!("{case}: accepted, expected {code}: {v:.300?}"),
        Err(e) => e,
    };
    let msg = e.to_string();
    assert_eq!(e.code(), code, "{case}: {msg}");
    for name in names {
        assert!(
            msg.contains(name),
            "{case}: the message does not name {name:?}: {msg}"
        );
    }
}

/// The CSV export read back: rows of cells.
fn csv_rows(inv: &Invoice) -> Vec<Vec<String>> {
    let text = to_csv(inv, &CsvOptions::default()).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_base_inputs_are_accepted() {
    // Every case below breaks one thing in these: they must work as given.
    let inv = overview(ACME).unwrap();
    assert_eq!(inv.totals[0].amount, d("2108.00"));
    let inv = usage_with(REPORT_JSON, USAGE_OPTIONS).unwrap();
    assert_eq!(inv.totals[0].amount, d("621.88")); // 4 × 155 + 2.5 × 0.75 = 621.875
}

#[test]
fn invalid_json_is_invalid_json_naming_the_document() {
    let cases = [
        ("empty body", String::new(), "EOF"),
        ("whitespace only", " \r\n\t".to_string(), "EOF"),
        ("truncated", ACME[..120].to_string(), "EOF"),
        (
            "an HTML error page",
            "<html><body>502 Bad Gateway</body></html>".into(),
            "expected value",
        ),
        (
            "trailing garbage",
            format!("{ACME}}}"),
            "trailing characters",
        ),
        (
            "single quotes",
            ACME.replace('"', "'"),
            "key must be a string",
        ),
        ("a trailing comma", set(ACME, "]}", ",]}"), "trailing comma"),
        // NaN and Infinity are not JSON, whatever JavaScript prints.
        ("bare NaN", set(ACME, r#""13""#, "NaN"), "usageQuantity"),
        (
            "bare Infinity",
            set(ACME, r#""13""#, "Infinity"),
            "usageQuantity",
        ),
        // What JSON.stringify writes for a lone surrogate in a JS string
        // (serde_json calls it the end of a hex escape; the quote shows it).
        (
            "a lone surrogate escape",
            set(ACME, "Acme", r"Ac\ud800me"),
            r"Ac\ud800",
        ),
        // fetch's text() strips a BOM; one that arrives anyway is not JSON.
        (
            "a byte-order mark",
            format!("\u{feff}{ACME}"),
            "expected value",
        ),
    ];
    for (case, json, detail) in cases {
        expect(case, overview(&json), "invalid_json", &[OVERVIEW, detail]);
    }
    expect(
        "truncated report",
        usage_with(&REPORT_JSON[..50], USAGE_OPTIONS),
        "invalid_json",
        &[REPORT],
    );
    expect(
        "truncated options",
        overview_with(ACME, r#"{"markupPercent":"#),
        "invalid_json",
        &["options", "markupPercent"],
    );
}

#[test]
fn wrong_types_are_wrong_type_naming_the_field() {
    let cases = [
        (
            "a number for a decimal string",
            set(ACME, r#""13""#, "13"),
            "usageQuantity",
        ),
        (
            "a float for a price",
            set(ACME, r#""186""#, "186.5"),
            "overagePrice",
        ),
        (
            "null for a required string",
            set(ACME, r#""USD""#, "null"),
            "currency",
        ),
        (
            "null usage name",
            set(ACME, r#""CX 3""#, "null"),
            "`usages[0].name` must be a string, found null",
        ),
        // The reader keeps numbers as text, so one too large for f64 is not
        // a syntax error (serde_json's "number out of range" was): it is a
        // number where the API sends a decimal string.
        (
            "a number beyond f64",
            set(ACME, r#""13""#, "1e400"),
            "`usages[0] (\"CX 3\").usageQuantity` must be a string, found a number 1e400",
        ),
        (
            "an object for the usages",
            set(ACME, r#"[{"name""#, r#"{"x":[{"name""#).replacen("}]}", "}]}}", 1),
            "usages",
        ),
        (
            "a string for the product list",
            set(ACME, r#"["CX3"]"#, r#""CX3""#),
            "enabledProducts",
        ),
        (
            "a number for a date",
            set(ACME, r#""2026-10-01T00:00:00Z""#, "1790812800000"),
            "billingPeriodStartDate",
        ),
        (
            "a string for a boolean",
            set(ACME, r#""186"}"#, r#""186","isThirdParty":"false"}"#),
            "isThirdParty",
        ),
        (
            "an array for the document",
            "[]".into(),
            "TrusteeBillingOverview",
        ),
        (
            "null for the document",
            "null".into(),
            "TrusteeBillingOverview",
        ),
        // A key given twice is ambiguous: rejected, not "last one wins".
        (
            "a duplicated key",
            set(
                ACME,
                r#""currency":"USD""#,
                r#""currency":"USD","currency":"EUR""#,
            ),
            "duplicate field `currency`",
        ),
    ];
    for (case, json, names) in cases {
        expect(case, overview(&json), "wrong_type", &[OVERVIEW, names]);
    }
    // Pretty-printed text: the path names the usage and the field, however
    // the document is laid out.
    let value: serde_json::Value = serde_json::from_str(&set(ACME, r#""13""#, "13")).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    expect(
        "a number, pretty-printed",
        overview(&pretty),
        "wrong_type",
        &["`usages[0] (\"CX 3\").usageQuantity` must be a string, found a number 13"],
    );
    expect(
        "a number for totalUsage",
        usage_with(&set(REPORT_JSON, r#""4""#, "4"), USAGE_OPTIONS),
        "wrong_type",
        &[REPORT, "totalUsage"],
    );
    expect(
        "a number for a price-book rate",
        usage_with(REPORT_JSON, &set(USAGE_OPTIONS, r#""155""#, "155")),
        "wrong_type",
        &["options", "CX 3"],
    );
    expect(
        "a number for markupPercent",
        overview_with(ACME, r#"{"markupPercent":12.5}"#),
        "wrong_type",
        &["options", "markupPercent"],
    );
    expect(
        "a negative currencyExponent",
        overview_with(ACME, r#"{"currencyExponent":-1}"#),
        "wrong_type",
        &["currencyExponent"],
    );
    expect(
        "an unknown rounding",
        overview_with(ACME, r#"{"rounding":"up"}"#),
        "wrong_type",
        &["`up`", "half-up"],
    );
    expect(
        "an unknown option",
        overview_with(ACME, r#"{"markup":"10"}"#),
        "wrong_type",
        &["unknown field `markup`"],
    );
    expect(
        "an unknown price-book key",
        overview_with(ACME, r#"{"priceBook":{"PC-1":{"overage":"1"}}}"#),
        "wrong_type",
        &["unknown field `overage`"],
    );
}

#[test]
fn a_document_encoded_twice_is_a_wrong_type_with_a_bounded_message() {
    // `JSON.stringify` applied twice: a string that holds the overview.
    // serde quotes the whole string; the message keeps only its ends.
    let twice = serde_json::to_string(ACME).unwrap();
    expect(
        "JSON in a string",
        overview(&twice),
        "wrong_type",
        &[
            OVERVIEW,
            "must be an object (TrusteeBillingOverview), found a string",
        ],
    );
    let huge = serde_json::to_string(&ACME.repeat(2_000)).unwrap();
    let e = overview(&huge).unwrap_err();
    assert_eq!(e.code(), "wrong_type");
    assert!(e.to_string().len() < 1_000, "{} bytes", e.to_string().len());
}

#[test]
fn missing_fields_are_missing_field_naming_the_field() {
    let cases = [
        (
            "no usages",
            set(ACME, r#","usages":["#, r#","x":["#),
            "`usages`",
        ),
        (
            "no organization",
            set(ACME, r#""organization""#, r#""org""#),
            "`organization`",
        ),
        (
            "no currency",
            set(ACME, r#""currency":"USD","#, ""),
            "`currency`",
        ),
        (
            "a usage without its part number",
            set(ACME, r#""partNumber":"PC-1","#, ""),
            "`partNumber`",
        ),
        (
            "a usage without prepayQuantity",
            set(ACME, r#""prepayQuantity":"10","#, ""),
            "`prepayQuantity`",
        ),
        ("an empty object", "{}".into(), "`organization`"),
    ];
    for (case, json, field) in cases {
        expect(case, overview(&json), "missing_field", &[OVERVIEW, field]);
    }
    // The text before the position says which usage lacks the field.
    expect(
        "a report usage without totalUsage",
        usage_with(
            &set(REPORT_JSON, r#""totalUsage":"2.5","#, ""),
            USAGE_OPTIONS,
        ),
        "missing_field",
        &["`totalUsage`", REPORT, "Speech Analytics"],
    );
    expect(
        "usage options without a currency",
        usage_with(REPORT_JSON, r#"{"priceBook":{}}"#),
        "missing_field",
        &["`currency`", "options"],
    );
    expect(
        "an invoice without lines",
        invoice_arg(r#"{"totals":[],"warnings":[]}"#),
        "missing_field",
        &["`lines`", "invoice"],
    );
}

#[test]
fn malformed_decimals_are_invalid_decimal_naming_field_usage_and_org() {
    let bad = [
        " 13",
        "13 ",
        "1,3",
        "1.3e1",
        "1E1",
        "NaN",
        "Infinity",
        "-Infinity",
        "+13",
        "0x0d",
        "١٣", // Arabic-Indic digits
        "",
        "13.",
        ".5",
        "1_000",
        // 2^96: one more than the largest 28-digit value.
        "79228162514264337593543950336",
        // 29 decimal places: would have to be rounded to fit.
        "0.00000000000000000000000000001",
    ];
    for value in bad {
        let json = set(
            ACME,
            r#""usageQuantity":"13""#,
            &format!(r#""usageQuantity":{value:?}"#),
        );
        expect(
            value,
            overview(&json),
            "invalid_decimal",
            &["`usageQuantity`", "\"CX 3\"", "PC-1", "Acme"],
        );
    }
    expect(
        "a price with a comma",
        overview(&set(ACME, r#""186""#, r#""186,50""#)),
        "invalid_decimal",
        &["`overagePrice`", "\"186,50\"", "CX 3", "Acme"],
    );
    expect(
        "a minimum with an exponent",
        overview(&set(
            ACME,
            r#""usages""#,
            r#""minimumMonthlyAmount":"1e3","usages""#,
        )),
        "invalid_decimal",
        &["`minimumMonthlyAmount`", "Acme"],
    );
    expect(
        "a report quantity with a sign",
        usage_with(&set(REPORT_JSON, r#""2.5""#, r#""+2.5""#), USAGE_OPTIONS),
        "invalid_decimal",
        &["`totalUsage`", "Speech Analytics", "Acme"],
    );
    expect(
        "a percent sign",
        overview_with(ACME, r#"{"markupPercent":"10%"}"#),
        "invalid_decimal",
        &["markupPercent", "10%"],
    );
    expect(
        "a price-book rate with a space",
        overview_with(ACME, r#"{"priceBook":{"PC-1":{"onDemand":"1 000"}}}"#),
        "invalid_decimal",
        &[r#"priceBook["PC-1"].onDemand"#],
    );
    expect(
        "a usage price-book rate in exponent form",
        usage_with(REPORT_JSON, &set(USAGE_OPTIONS, r#""0.75""#, r#""7.5e-1""#)),
        "invalid_decimal",
        &[r#"priceBook["Speech Analytics"].rate"#],
    );
}

#[test]
fn values_too_large_to_price_are_overflow_naming_the_usage() {
    // The largest decimal parses, but × 186 does not fit in 96 bits.
    let max = "79228162514264337593543950335";
    let json = set(ACME, r#""13""#, &format!("{max:?}"));
    expect(
        "max × price",
        overview(&json),
        "overflow",
        &["CX 3", "Acme"],
    );
    // A markup on a rate near the maximum overflows the marked-up rate.
    let json = set(ACME, r#""186""#, &format!("{max:?}"));
    expect(
        "marked-up max rate",
        overview_with(&json, r#"{"markupPercent":"50"}"#),
        "overflow",
        &["marked-up rate", "CX 3"],
    );
}

#[test]
fn negative_quantities_are_negative_quantity_naming_field_and_usage() {
    let json = set(ACME, r#""usageQuantity":"13""#, r#""usageQuantity":"-3""#);
    expect(
        "negative usage",
        overview(&json),
        "negative_quantity",
        &["`usageQuantity`", "CX 3", "Acme", "-3"],
    );
    let json = set(ACME, r#""prepayQuantity":"10""#, r#""prepayQuantity":"-1""#);
    expect(
        "negative prepay",
        overview(&json),
        "negative_quantity",
        &["`prepayQuantity`", "CX 3"],
    );
    let json = set(REPORT_JSON, r#""4""#, r#""-4""#);
    expect(
        "negative report usage",
        usage_with(&json, USAGE_OPTIONS),
        "negative_quantity",
        &["`totalUsage`", "CX 3"],
    );
    // "-0" is zero, not negative: no line, a zero total.
    let inv = overview(&set(
        ACME,
        r#""usageQuantity":"13""#,
        r#""usageQuantity":"-0""#,
    ))
    .unwrap();
    assert_eq!(inv.lines.len(), 1, "only the prepay line");

    // A caller's negative rate is refused (a discount is markupPercent)...
    expect(
        "negative price-book rate",
        overview_with(ACME, r#"{"priceBook":{"CX 3":{"prepay":"-1"}}}"#),
        "invalid_option",
        &[r#"priceBook["CX 3"].prepay"#, "markupPercent"],
    );
    expect(
        "a discount above 100%",
        overview_with(ACME, r#"{"markupPercent":"-100.5"}"#),
        "invalid_option",
        &["markupPercent", "-100.5"],
    );
    // ...but a negative price the API itself sends is kept as given, a
    // credit line counted in the total: the data is Genesys's, not ours
    // to second-guess. 3 × -186 = -558.00; 1550.00 - 558.00 = 992.00.
    let inv = overview(&set(ACME, r#""186""#, r#""-186""#)).unwrap();
    assert_eq!(inv.lines[1].amount, Some(d("-558.00")));
    assert_eq!(inv.totals[0].amount, d("992.00"));
}

#[test]
fn duplicated_usages_are_kept_as_separate_lines() {
    // Decision: the same usage twice is two charges, not one. The API can
    // list a part number more than once (e.g. two bundles), and nothing in
    // an entry tells a duplicate from a second real charge, so both are
    // billed and the invoice shows both; merging would hide data.
    let usage = &ACME[ACME.find(r#"{"name":"CX 3""#).unwrap()..ACME.len() - 2];
    let twice = set(ACME, usage, &format!("{usage},{usage}"));
    let inv = overview(&twice).unwrap();
    assert_eq!(inv.lines.len(), 4);
    assert_eq!(inv.lines[0], inv.lines[2]);
    assert_eq!(inv.totals.len(), 1);
    assert_eq!(inv.totals[0].amount, d("4216.00")); // 2 × 2108.00
    assert_eq!(csv_rows(&inv).len(), 5);

    // The same in a usage report: two lines of "CX 3", 2 × 4 × 155.
    let cx3 = r#"{"name":"CX 3","totalUsage":"4","resources":[]}"#;
    let report = set(
        REPORT_JSON,
        r#"{"name":"Speech"#,
        &format!(r#"{cx3},{{"name":"Speech"#),
    );
    let inv = usage_with(&report, USAGE_OPTIONS).unwrap();
    let cx3_lines: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.license_type == "CX 3")
        .collect();
    assert_eq!(cx3_lines.len(), 2);
    assert_eq!(inv.totals[0].amount, d("1241.88")); // 620 + 620 + 1.875

    // A price-book key given twice in JSON text: the last one wins, as in
    // JSON.parse, which is what a JS object passed in would have kept.
    let inv = usage_with(
        REPORT_JSON,
        r#"{"currency":"USD","priceBook":{"CX 3":"1","CX 3":"2"}}"#,
    )
    .unwrap();
    assert_eq!(inv.lines[0].rate, Some(d("2")));
}

#[test]
fn currencies_are_never_mixed() {
    let eur = set(
        &set(ACME, r#""USD""#, r#""EUR""#),
        r#""org-1","name":"Acme""#,
        r#""org-2","name":"Bertrand SA""#,
    );
    let merged = Invoice::merge([overview(ACME).unwrap(), overview(&eur).unwrap()]).unwrap();
    let totals: Vec<_> = merged
        .totals
        .iter()
        .map(|t| (t.organization_id.as_deref(), t.currency.as_str(), t.amount))
        .collect();
    assert_eq!(
        totals,
        [
            (Some("org-1"), "USD", d("2108.00")),
            (Some("org-2"), "EUR", d("2108.00"))
        ]
    );
    merged.check().unwrap();

    // One org billed in two currencies (a currency change between
    // periods): two totals for the org, never one sum.
    let acme_eur = set(ACME, r#""USD""#, r#""EUR""#);
    let merged = Invoice::merge([overview(ACME).unwrap(), overview(&acme_eur).unwrap()]).unwrap();
    assert_eq!(merged.totals.len(), 2);
    assert!(merged.totals.iter().all(|t| t.amount == d("2108.00")));
    merged.check().unwrap();

    // An invoice whose total is in another currency than its lines.
    let mut json: serde_json::Value = serde_json::from_str::<serde_json::Value>(
        &genesys_billing::json::to_string(&overview(ACME).unwrap()),
    )
    .unwrap();
    json["totals"][0]["currency"] = "EUR".into();
    expect(
        "a EUR total over USD lines",
        invoice_arg(&json.to_string()),
        "invalid_invoice",
        &["Acme", "USD", "does not match its lines"],
    );
    // A line moved to EUR while the USD total still counts it.
    let mut json: serde_json::Value = serde_json::from_str::<serde_json::Value>(
        &genesys_billing::json::to_string(&overview(ACME).unwrap()),
    )
    .unwrap();
    json["lines"][1]["currency"] = "EUR".into();
    expect(
        "a EUR line under a USD total",
        invoice_arg(&json.to_string()),
        "invalid_invoice",
        &["Acme", "USD", "does not match its lines"],
    );
}

#[test]
fn unknown_currencies_are_unknown_currency_naming_code_and_org() {
    let cases = [
        ("XBT", "\"XBT\""),
        ("US", "\"US\""),
        ("€", "\"€\""),
        ("", "\"\""),
    ];
    for (code, named) in cases {
        let json = set(ACME, r#""USD""#, &format!("{code:?}"));
        expect(
            code,
            overview(&json),
            "unknown_currency",
            &[named, "Acme", "currencyExponent"],
        );
    }
    // With an exponent the code is priced, but Stripe does not know it.
    let xbt = set(ACME, r#""USD""#, r#""xbt""#);
    let inv = overview_with(&xbt, r#"{"currencyExponent":8}"#).unwrap();
    assert_eq!(inv.totals[0].currency, "XBT");
    assert_eq!(inv.totals[0].amount, d("2108.00000000"));
    expect(
        "Stripe, unknown code",
        to_stripe_items(&inv, &StripeOptions::default()),
        "unknown_currency",
        &["\"XBT\"", "Stripe"],
    );
    expect(
        "usage in an unknown code",
        usage_with(REPORT_JSON, &set(USAGE_OPTIONS, r#""USD""#, r#""ZZZ""#)),
        "unknown_currency",
        &["\"ZZZ\"", "Acme"],
    );
    expect(
        "a blank usage currency",
        usage_with(REPORT_JSON, &set(USAGE_OPTIONS, r#""USD""#, r#""  ""#)),
        "invalid_option",
        &["currency", "empty"],
    );
}

#[test]
fn dates_in_the_wrong_format_are_invalid_date_naming_field_and_value() {
    let end = "2026-10-31T23:59:59.999Z";
    let bad = [
        "31/10/2026",
        "2026-10-31 23:59:59Z",
        "2026-10-31T23:59:59",
        "2026-10-31T23:59:59+0100",
        "2026-02-29T00:00:00Z",
        "2026-10-31T24:00:00Z",
        "20261031T235959Z",
        "",
    ];
    for value in bad {
        let json = set(ACME, end, value);
        expect(
            value,
            overview(&json),
            "invalid_date",
            &[OVERVIEW, &format!("{value:?}"), "billingPeriodEndDate"],
        );
    }
    expect(
        "a report date in words",
        usage_with(
            &set(REPORT_JSON, "2026-10-01T00:00:00.000Z", "yesterday"),
            USAGE_OPTIONS,
        ),
        "invalid_date",
        &[REPORT, "\"yesterday\"", "startDate"],
    );
    expect(
        "a resource date without its zone",
        usage_with(
            &set(
                REPORT_JSON,
                "2026-10-03T10:00:00.000Z",
                "2026-10-03T10:00:00",
            ),
            USAGE_OPTIONS,
        ),
        "invalid_date",
        &[
            REPORT,
            "expected yyyy-MM-dd",
            "`usages[0] (\"CX 3\").resources[0] (\"ana@example.com\").date`",
        ],
    );
    // Well-formed but reversed: the period ends before it starts.
    let reversed = set(ACME, end, "2025-10-31T23:59:59.999Z");
    expect(
        "a reversed billing period",
        overview(&reversed),
        "invalid_date",
        &[
            "`billingPeriodEndDate`",
            "`billingPeriodStartDate`",
            "2025-10-31",
            "Acme",
        ],
    );
    let reversed = set(
        REPORT_JSON,
        "2026-10-01T00:00:00.000Z",
        "2027-10-01T00:00:00.000Z",
    );
    expect(
        "a reversed report period",
        usage_with(&reversed, USAGE_OPTIONS),
        "invalid_date",
        &["`endDate`", "`startDate`", "report"],
    );
    expect(
        "a query date",
        Timestamp::parse("startDate", "2026-10-01T00:00:00"),
        "invalid_date",
        &["`startDate`", "expected yyyy-MM-ddTHH:mm:ss[.SSS]Z"],
    );
    // An edited invoice with a date that is not one fails at export.
    let mut json: serde_json::Value = serde_json::from_str::<serde_json::Value>(
        &genesys_billing::json::to_string(&overview(ACME).unwrap()),
    )
    .unwrap();
    json["lines"][0]["periodStart"] = "1 Oct".into();
    let inv = invoice_arg(&json.to_string()).unwrap();
    expect(
        "FOCUS, bad period",
        to_focus_csv(&inv, &FocusOptions::default()),
        "invalid_date",
        &["`periodStart`", "\"1 Oct\"", "line 1", "CX 3", "Acme"],
    );
    expect(
        "Stripe, bad period",
        to_stripe_items(&inv, &StripeOptions::default()),
        "invalid_date",
        &["`periodStart`", "\"1 Oct\"", "line 1", "CX 3", "Acme"],
    );
}

#[test]
fn a_50_mb_response_gives_a_result_not_a_panic() {
    // 50 MB of license name: the invoice carries it to both lines and the
    // CSV, which costs memory (a few copies) but neither panics nor fails.
    let name = "N".repeat(50 << 20);
    let json = set(ACME, r#""CX 3""#, &format!("{name:?}"));
    assert!(json.len() > 50 << 20);
    let inv = overview(&json).unwrap();
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.lines[0].license_type.len(), 50 << 20);
    assert_eq!(inv.totals[0].amount, d("2108.00"));
    drop(json);

    // 50 MB that is not JSON (an HTML page, a proxy's dump) fails on its
    // first byte, with a short message.
    let page = format!("<html>{}</html>", "x".repeat(50 << 20));
    let e = overview(&page).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    assert!(e.to_string().len() < 300, "{} bytes", e.to_string().len());

    // Many usages: 20 000 of them (5 MB; the full 50 MB takes seconds in a
    // debug build, for the same code path) give 40 000 lines and one total.
    let usage = &ACME[ACME.find(r#"{"name":"CX 3""#).unwrap()..ACME.len() - 2];
    let many = vec![usage; 20_000].join(",");
    let inv = overview(&set(ACME, usage, &many)).unwrap();
    assert_eq!(inv.lines.len(), 40_000);
    assert_eq!(inv.totals[0].amount, d("42160000.00")); // 20 000 × 2108.00
}

#[test]
fn deeply_nested_json_is_refused_never_a_stack_overflow() {
    // The reader builds the whole tree, so nesting deeper than 128 levels
    // (serde_json's limit, kept) is refused wherever it is, even in a field
    // nobody reads; 100 000 levels cost no stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases = [
        (
            "nesting in an unknown field",
            set(ACME, r#""usages""#, &format!(r#""x":{deep},"usages""#)),
        ),
        (
            "unclosed nesting",
            set(
                ACME,
                r#""usages""#,
                &format!(r#""x":{},"usages""#, "[".repeat(100_000)),
            ),
        ),
        (
            "nesting for a usage",
            set(ACME, r#""usages":["#, &format!(r#""usages":[{deep},"#)),
        ),
        ("nesting for a currency", set(ACME, r#""USD""#, &deep)),
    ];
    for (case, json) in cases {
        expect(
            case,
            overview(&json),
            "invalid_json",
            &[OVERVIEW, "recursion limit exceeded"],
        );
    }
    // 127 levels in all (the overview's object and 126 arrays) are still
    // JSON, as in serde_json: where a string is expected, a wrong type.
    let at_limit = format!("{}{}", "[".repeat(126), "]".repeat(126));
    expect(
        "126 levels for a currency",
        overview(&set(ACME, r#""USD""#, &at_limit)),
        "wrong_type",
        &["currency", "found an array"],
    );
    // The invoice an export takes back, nested in its lines.
    let json = format!(r#"{{"lines":{deep},"totals":[],"warnings":[]}}"#);
    expect(
        "nesting for a line",
        invoice_arg(&json),
        "invalid_json",
        &["invoice", "recursion limit exceeded"],
    );
}

#[test]
fn invalid_utf8_arrives_as_replacement_characters() {
    // Bytes never reach the core: it takes &str, so invalid UTF-8 stops at
    // the decoder, and the decoders in front of it (fetch's text() and
    // json(), TextDecoder, wasm-bindgen's string conversion) replace it with
    // U+FFFD. What the core must do is handle that text.
    let bytes = |s: &str| {
        let mut b = s.as_bytes().to_vec();
        let at = b.iter().position(|&c| c == b'~').unwrap();
        b[at] = 0xFF;
        b
    };
    let in_name = bytes(&set(ACME, "Acme", "Ac~me"));
    assert!(std::str::from_utf8(&in_name).is_err());
    let text = String::from_utf8_lossy(&in_name);

    // In a name: kept, and carried to the CSV as is.
    let inv = overview(&text).unwrap();
    assert_eq!(
        inv.totals[0].organization_name.as_deref(),
        Some("Ac\u{FFFD}me")
    );
    assert_eq!(csv_rows(&inv)[1][0], "Ac\u{FFFD}me");

    // In a number: an invalid decimal that shows the character.
    let in_number = bytes(&set(ACME, r#""13""#, r#""1~3""#));
    let text = String::from_utf8_lossy(&in_number);
    expect(
        "U+FFFD in a quantity",
        overview(&text),
        "invalid_decimal",
        &["`usageQuantity`", "CX 3", "\u{FFFD}"],
    );

    // In the structure: invalid JSON.
    let in_syntax = bytes(&set(ACME, r#""currency":"#, r#""currency"~"#));
    let text = String::from_utf8_lossy(&in_syntax);
    expect(
        "U+FFFD for a colon",
        overview(&text),
        "invalid_json",
        &[OVERVIEW, "expected `:`"],
    );

    // In a currency code: an unknown currency naming it.
    let in_code = bytes(&set(ACME, r#""USD""#, r#""US~""#));
    let text = String::from_utf8_lossy(&in_code);
    expect(
        "U+FFFD in a currency",
        overview(&text),
        "unknown_currency",
        &["US\u{FFFD}"],
    );
}

#[test]
fn bad_options_are_invalid_option_naming_the_option() {
    expect(
        "a currency exponent above 28",
        overview_with(ACME, r#"{"currencyExponent":40}"#),
        "invalid_option",
        &["currencyExponent", "40"],
    );
    let inv = overview(ACME).unwrap();
    let focus = FocusOptions {
        invoice_issuer_name: "  ".into(),
        ..FocusOptions::default()
    };
    expect(
        "a blank FOCUS issuer",
        to_focus_csv(&inv, &focus),
        "invalid_option",
        &["invoiceIssuerName"],
    );
    let stripe = StripeOptions {
        currency_exponent: Some(29),
        ..StripeOptions::default()
    };
    expect(
        "a Stripe exponent above 28",
        to_stripe_items(&inv, &stripe),
        "invalid_option",
        &["currencyExponent"],
    );
}

#[test]
fn exports_refuse_what_they_cannot_carry() {
    // No price for the on-demand line: FOCUS and Stripe name it.
    let unpriced = overview(&set(ACME, r#","overagePrice":"186""#, "")).unwrap();
    expect(
        "FOCUS, unpriced",
        to_focus_csv(&unpriced, &FocusOptions::default()),
        "unpriced_line",
        &["line 2", "on-demand", "\"CX 3\"", "Acme", "allowUnpriced"],
    );
    expect(
        "Stripe, unpriced",
        to_stripe_items(&unpriced, &StripeOptions::default()),
        "unpriced_line",
        &["line 2", "\"CX 3\"", "skipUnpriced"],
    );
    // 10^14 seats at 155: 1.55e16 USD, 1.55e18 cents, past 2^53.
    let huge = set(
        ACME,
        r#""usageQuantity":"13","prepayQuantity":"10""#,
        r#""usageQuantity":"100000000000000","prepayQuantity":"100000000000000""#,
    );
    let inv = overview(&huge).unwrap();
    expect(
        "Stripe, beyond JS integers",
        to_stripe_items(&inv, &StripeOptions::default()),
        "overflow",
        &["Stripe amount", "line 1", "CX 3"],
    );
    // The invoice's own JSON, edited: a rate without an amount.
    let mut json: serde_json::Value = serde_json::from_str::<serde_json::Value>(
        &genesys_billing::json::to_string(&overview(ACME).unwrap()),
    )
    .unwrap();
    json["lines"][0]["amount"] = serde_json::Value::Null;
    expect(
        "a rate without an amount",
        invoice_arg(&json.to_string()),
        "wrong_type",
        &["\"CX 3\"", "rate without an amount"],
    );
    // An amount that is not a decimal: serde carries only the text of the
    // error through, so this is the invoice's wrong_type, quoting the
    // field and the value.
    let mut json: serde_json::Value = serde_json::from_str::<serde_json::Value>(
        &genesys_billing::json::to_string(&overview(ACME).unwrap()),
    )
    .unwrap();
    json["lines"][0]["amount"] = "1.550,00".into();
    expect(
        "a malformed amount",
        invoice_arg(&json.to_string()),
        "wrong_type",
        &["invalid decimal", "\"1.550,00\"", "amount"],
    );
}

#[test]
fn regions_and_base_urls_name_the_input() {
    for input in [
        "mypurecloud.fr",
        "",
        "eu-west-9",
        "api.mypurecloud.ie.evil.example",
    ] {
        expect(
            input,
            region::resolve(input),
            "unknown_region",
            &[&format!("{input:?}"), "mypurecloud.ie (eu-west-1)"],
        );
    }
    let cases = [
        ("http://example.com", "plain http"),
        // A name that starts like a loopback address is still a public name.
        ("http://127.evil.example/api", "plain http"),
        ("https://user:pw@api.example.com", "user info"),
        ("javascript:alert(1)", "https://"),
        ("api.mypurecloud.ie", "https://"),
        ("https:// api.example.com", "spaces"),
        ("https://", "host"),
    ];
    for (input, why) in cases {
        expect(
            input,
            region::api_origin(input),
            "invalid_base_url",
            &[&format!("{input:?}"), why],
        );
    }
}
