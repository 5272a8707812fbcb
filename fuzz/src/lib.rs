//! What each fuzz target does with its input, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/*.rs`, one line each) and by
//! `tests/fuzz_regressions.rs`, which includes this file with `#[path]` and
//! replays `tests/fuzz-corpus/<target>/*` natively: a crash found by the
//! fuzzer stays a failing `cargo test` until it is fixed, through the very
//! same code path.
//!
//! Input bytes are decoded with `String::from_utf8_lossy`, because that is
//! what reaches the core in production: the wasm glue only ever receives JS
//! strings, and `fetch`'s `text()`/`json()` replace invalid UTF-8 with
//! U+FFFD before the library sees it. Where a target takes two documents
//! they are separated by a NUL byte, which valid JSON cannot contain outside
//! a string (and not raw inside one), so the split is unambiguous.
//!
//! Besides "does not panic", each target asserts what must hold for every
//! input the library accepts:
//! - an invoice it produces passes `Invoice::check` (totals are the sums of
//!   their lines), survives the JSON round trip JavaScript puts it through
//!   byte for byte, and its CSV reads back as exactly lines + 1 rows of 12
//!   cells (FOCUS: lines + 1 rows of 30 cells);
//! - every error has one of the codes documented for that entry point and
//!   a non-empty message.

use genesys_billing::dates::Timestamp;
use genesys_billing::export::{
    to_csv, to_focus_csv, to_stripe_items, CsvOptions, FocusOptions, StripeOptions,
};
use genesys_billing::invoice::{from_overview, from_usage};
use genesys_billing::model::{BillingUsageReport, TrusteeBillingOverview};
use genesys_billing::options::{OverviewInvoiceOptions, UsageInvoiceOptions};
use genesys_billing::region;
use genesys_billing::retry::{self, Decision, Failure, RetryPolicy};
use genesys_billing::{BillingError, Invoice};

/// The codes a parse of caller- or API-supplied JSON may fail with.
const PARSE_CODES: &[&str] = &[
    "invalid_json",
    "missing_field",
    "wrong_type",
    "invalid_date",
];

/// The codes validating options may add to `PARSE_CODES`.
const OPTION_CODES: &[&str] = &["invalid_decimal", "invalid_option"];

/// The codes computing an invoice may add: bad numbers in the data, an
/// unknown currency, arithmetic beyond 28 digits, a period that ends before
/// it starts.
const INVOICE_CODES: &[&str] = &[
    "invalid_date",
    "invalid_decimal",
    "negative_quantity",
    "unknown_currency",
    "overflow",
];

/// Fails the run unless `e` has one of the `allowed` codes and a message.
fn expect_code(e: &BillingError, allowed: &[&[&str]], what: &str) {
    let code = e.code();
    assert!(
        allowed.iter().any(|set| set.contains(&code)),
        "{what}: unexpected error code {code}: {e}"
    );
    assert!(!e.to_string().trim().is_empty(), "{what}: empty message");
}

/// Splits `a\0b` into `(a, Some(b))`; no NUL gives `(all, None)`.
fn split_nul(text: &str) -> (&str, Option<&str>) {
    match text.split_once('\0') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    }
}

/// Reads `text` as CSV and returns its records, failing on ragged rows
/// (the csv crate is strict about field counts by default).
fn csv_records(text: &str, what: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{what} does not read back as CSV: {e}\n{text}"))
}

/// Asserts the invariants of a checked invoice and runs every export over
/// it. `produced` is true for an invoice the library computed itself: its
/// exports may then fail only for reasons the data cannot rule out.
pub fn check_invoice(inv: &Invoice, produced: bool) {
    if let Err(e) = inv.check() {
        panic!("a produced invoice fails its own check: {e}");
    }
    for line in &inv.lines {
        assert_eq!(line.rate.is_some(), line.amount.is_some(), "{line:?}");
        assert!(!line.currency.is_empty(), "{line:?}");
    }
    let priced = inv.lines.iter().filter(|l| l.amount.is_some()).count();

    // JavaScript receives the invoice as JSON and may hand it back to an
    // export: that round trip must be lossless and accepted.
    let json = genesys_billing::json::to_string(inv);
    let back = Invoice::from_json(&json)
        .unwrap_or_else(|e| panic!("the invoice's own JSON is rejected: {e}\n{json}"));
    if let Err(e) = back.check() {
        panic!("the invoice's own JSON fails the check: {e}\n{json}");
    }
    let again = genesys_billing::json::to_string(&back);
    assert_eq!(json, again, "the JSON round trip changed the invoice");

    let csv = to_csv(inv, &CsvOptions::default()).expect("the CSV export cannot fail");
    let rows = csv_records(&csv, "the CSV export");
    assert_eq!(rows.len(), inv.lines.len() + 1, "CSV rows = lines + header");
    assert!(rows.iter().all(|r| r.len() == 12), "12 CSV columns");
    let bare = to_csv(
        inv,
        &CsvOptions {
            include_header: false,
        },
    )
    .expect("the CSV export cannot fail");
    assert_eq!(
        csv_records(&bare, "the headerless CSV").len(),
        inv.lines.len()
    );

    let lenient = FocusOptions {
        allow_unpriced: true,
        ..FocusOptions::default()
    };
    match to_focus_csv(inv, &lenient) {
        Ok(focus) => {
            let rows = csv_records(&focus, "the FOCUS export");
            assert_eq!(rows.len(), inv.lines.len() + 1, "FOCUS rows = lines + 1");
            let columns = rows[0].len();
            assert!(
                rows.iter().all(|r| r.len() == columns),
                "every FOCUS row as wide as the header"
            );
        }
        // A computed invoice carries parsed periods and amounts that were
        // already multiplied once, so FOCUS has nothing left to reject.
        Err(e) if produced => panic!("FOCUS rejects a computed invoice: {e}"),
        Err(e) => expect_code(&e, &[&["invalid_date", "overflow"]], "FOCUS"),
    }
    match to_focus_csv(inv, &FocusOptions::default()) {
        Ok(_) => assert_eq!(priced, inv.lines.len(), "FOCUS accepted an unpriced line"),
        Err(e) => expect_code(
            &e,
            &[&["unpriced_line", "invalid_date", "overflow"]],
            "strict FOCUS",
        ),
    }

    let stripe = StripeOptions {
        skip_unpriced: true,
        ..StripeOptions::default()
    };
    match to_stripe_items(inv, &stripe) {
        Ok(items) => {
            assert_eq!(items.len(), priced, "one Stripe item per priced line");
            for item in &items {
                assert!(
                    item.amount().is_some_and(|a| a.unsigned_abs() < 1 << 53),
                    "{item:?}"
                );
                assert_eq!(item.currency, item.currency.to_ascii_lowercase());
            }
        }
        // Stripe counts in its own minor units and JS safe integers, knows
        // fewer currencies than `currencyExponent` can price, and limits
        // metadata (a long part number) and items per invoice.
        Err(e) if produced => expect_code(
            &e,
            &[&["overflow", "unknown_currency", "stripe_limit"]],
            "Stripe",
        ),
        Err(e) => expect_code(
            &e,
            &[&[
                "overflow",
                "unknown_currency",
                "invalid_date",
                "invalid_invoice",
                "stripe_limit",
            ]],
            "Stripe",
        ),
    }
    // Mode "quantity" never sends an amount, and prices the same lines.
    let quantity = StripeOptions {
        mode: genesys_billing::export::StripeMode::Quantity,
        ..stripe
    };
    if let Ok(items) = to_stripe_items(inv, &quantity) {
        assert!(items.iter().all(|i| i.amount().is_none()), "{items:?}");
    }

    // Xero and QuickBooks Online: one row per priced line, or a refusal
    // with a documented code (a three-decimal amount, a QuickBooks credit,
    // a line without an org to name as the customer, a malformed period).
    let terms = r#"{"invoiceDate":"2026-11-01","skipUnpriced":true}"#;
    let xero: genesys_billing::export::XeroOptions =
        genesys_billing::decode::from_str("options", terms).unwrap();
    let qbo: genesys_billing::export::QuickBooksOptions =
        genesys_billing::decode::from_str("options", terms).unwrap();
    let codes: &[&str] = &[
        "target_limit",
        "missing_field",
        "invalid_date",
        "overflow",
        "invalid_option",
    ];
    for result in [
        genesys_billing::export::to_xero_csv(inv, &xero),
        genesys_billing::export::to_quickbooks_csv(inv, &qbo),
    ] {
        match result {
            Ok(out) => assert!(
                priced > 0 || out.csv.matches("\r\n").count() == 1,
                "rows without a priced line: {out:?}"
            ),
            Err(e) => expect_code(&e, &[codes], "accounting import"),
        }
    }
}

/// Target `overview`: a trustee billing overview, optionally followed by
/// NUL and `invoiceFromOverview` options, priced and exported.
pub fn overview(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (doc, opts) = split_nul(&text);
    let opts = match opts.map(OverviewInvoiceOptions::from_json).transpose() {
        Ok(o) => o.unwrap_or_default(),
        Err(e) => return expect_code(&e, &[PARSE_CODES, OPTION_CODES], "options"),
    };
    let o: TrusteeBillingOverview = match genesys_billing::decode::from_str("overview", doc) {
        Ok(o) => o,
        Err(e) => return expect_code(&e, &[PARSE_CODES], "overview"),
    };
    match from_overview(&o, &opts) {
        Ok(inv) => check_invoice(&inv, true),
        Err(e) => expect_code(&e, &[INVOICE_CODES], "invoiceFromOverview"),
    }
}

/// Target `usage`: a billable-usage report, NUL, and `invoiceFromUsage`
/// options (a USD price book when the options are left out).
pub fn usage(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (doc, opts) = split_nul(&text);
    let opts = opts.unwrap_or(r#"{"currency":"USD","priceBook":{}}"#);
    let opts = match UsageInvoiceOptions::from_json(opts) {
        Ok(o) => o,
        Err(e) => return expect_code(&e, &[PARSE_CODES, OPTION_CODES], "options"),
    };
    let r: BillingUsageReport = match genesys_billing::decode::from_str("report", doc) {
        Ok(r) => r,
        Err(e) => return expect_code(&e, &[PARSE_CODES], "report"),
    };
    match from_usage(&r, &opts) {
        Ok(inv) => check_invoice(&inv, true),
        Err(e) => expect_code(&e, &[INVOICE_CODES], "invoiceFromUsage"),
    }
}

/// Target `options`: one JSON document read as every options type the JS
/// API takes.
pub fn options(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let allowed: &[&[&str]] = &[PARSE_CODES, OPTION_CODES];
    match OverviewInvoiceOptions::from_json(&text) {
        Ok(o) => {
            // A discount of at most 100%: never a negative rate.
            if let Some(f) = o.markup_factor {
                assert!(!f.is_sign_negative() || f.is_zero(), "factor {f}");
            }
            assert!(o.currency_exponent.unwrap_or(0) <= 28);
            for rate in o.price_book.values() {
                for r in [rate.prepay, rate.on_demand].into_iter().flatten() {
                    assert!(!r.is_sign_negative() || r.is_zero(), "rate {r}");
                }
            }
        }
        Err(e) => expect_code(&e, allowed, "overview options"),
    }
    match UsageInvoiceOptions::from_json(&text) {
        Ok(o) => {
            assert!(!o.currency.is_empty());
            assert!(o
                .price_book
                .values()
                .all(|r| !r.is_sign_negative() || r.is_zero()));
        }
        Err(e) => expect_code(&e, allowed, "usage options"),
    }
    if let Err(e) = genesys_billing::decode::from_str::<CsvOptions>("options", &text) {
        expect_code(&e, allowed, "CSV options");
    }
    if let Err(e) = genesys_billing::decode::from_str::<FocusOptions>("options", &text) {
        expect_code(&e, allowed, "FOCUS options");
    }
    if let Err(e) = genesys_billing::decode::from_str::<StripeOptions>("options", &text) {
        expect_code(&e, allowed, "Stripe options");
    }
}

/// Target `invoice`: an invoice handed back from JavaScript (possibly
/// edited), checked as the exports check it, then exported.
pub fn invoice(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let inv = match Invoice::from_json(&text) {
        Ok(inv) => inv,
        Err(e) => return expect_code(&e, &[PARSE_CODES, &["invalid_decimal"]], "invoice"),
    };
    match inv.check() {
        Ok(()) => check_invoice(&inv, false),
        Err(e) => expect_code(&e, &[&["invalid_invoice", "overflow"]], "Invoice::check"),
    }
}

/// Target `hosts_dates`: the short strings that come from users and
/// response headers: a region or host, an API base URL, a date, a
/// `Retry-After` value, and an error body.
pub fn hosts_dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    match region::resolve(text) {
        Ok(r) => {
            assert_eq!(region::resolve(r.domain).map(|x| x.id), Ok(r.id));
            assert_eq!(region::resolve(r.id).map(|x| x.id), Ok(r.id));
        }
        Err(e) => {
            assert_eq!(e.code(), "unknown_region");
            assert!(e.to_string().contains(&format!("{text:?}")), "{e}");
        }
    }

    match region::api_origin(text) {
        Ok(origin) => {
            // The token goes only to https, or to plain http on loopback.
            assert!(
                origin.starts_with("https://") || origin.starts_with("http://"),
                "{origin}"
            );
            let host = origin.split_once("://").map_or("", |(_, r)| r);
            let host = host.split('/').next().unwrap_or("");
            assert!(!host.is_empty() && !host.contains('@'), "{origin}");
            assert!(!host.contains(char::is_whitespace), "{origin}");
            // Plain http (the token in clear) only to this machine: the
            // name localhost or a loopback address literal.
            if origin.starts_with("http://") {
                let bare = host.rsplit_once(':').map_or(host, |(h, _)| h);
                let parts: Vec<&str> = bare.split('.').collect();
                let v4 = parts.len() == 4
                    && parts[0] == "127"
                    && parts.iter().all(|p| p.parse::<u8>().is_ok());
                assert!(
                    bare == "localhost" || bare == "[::1]" || v4,
                    "plain http to {host:?} from {text:?}"
                );
            }
            assert_eq!(
                region::api_origin(&origin).as_deref(),
                Ok(origin.as_str()),
                "api_origin is not idempotent on {text:?}"
            );
        }
        Err(e) => assert_eq!(e.code(), "invalid_base_url"),
    }

    match Timestamp::parse("startDate", text) {
        Ok(t) => {
            assert_eq!(t.as_str(), text);
            let query = t.to_api_query();
            // The formatted instant reads back as the same millisecond,
            // unless an offset pushed it out of the four-digit years the
            // format has (e.g. 0000-01-01T00:00:00+01:00).
            match Timestamp::parse("startDate", &query) {
                Ok(q) => assert_eq!(q.unix_ms(), t.unix_ms(), "{text:?} → {query}"),
                Err(_) => assert!(
                    t.unix_ms() < 0 && query.starts_with('-') || query.len() > 24,
                    "{text:?} → {query} does not read back"
                ),
            }
            let _ = (t.exclusive_end(), t.to_utc_seconds(), t.year_month());
        }
        Err(e) => {
            assert_eq!(e.code(), "invalid_date");
            assert!(e.to_string().contains("startDate"), "{e}");
        }
    }

    if let Some(secs) = retry::parse_retry_after(text) {
        assert!(secs < 10_000_000_000, "{secs}");
    }
    let policy = RetryPolicy::default();
    for status in [403, 429, 503] {
        let failure = Failure::from_response(status, text, Some(text.to_string()), None);
        match policy.decide("/api/v2/x", 1, 0, failure, 0.5) {
            Decision::RetryAfterMs(ms) => assert!(ms <= policy.max_total_wait_ms, "{ms}"),
            Decision::Fail(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
