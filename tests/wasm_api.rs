//! The JS boundary, run in Node and in Chromium: inputs as JSON strings and
//! as plain objects, results as plain objects with decimal strings, errors
//! as `Error`s with a `code`, and an instance that keeps working after one.
#![cfg(target_arch = "wasm32")]

use genesys_billing::wasm::{
    invoice_from_overview, invoice_from_usage, invoice_to_csv, invoice_to_focus,
    invoice_to_quickbooks_csv, invoice_to_stripe_items, invoice_to_xero_csv, regions, InvoiceJs,
};
use js_sys::{Array, JsString, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const OVERVIEW: &str = r#"{
  "organization": {"id": "org-1", "name": "Acme Logistics"},
  "currency": "USD",
  "enabledProducts": [],
  "subscriptionType": "PREPAY_MONTHLY_COMMITMENT",
  "billingPeriodStartDate": "2026-10-01T00:00:00Z",
  "billingPeriodEndDate": "2026-10-31T23:59:59.999Z",
  "usages": [
    {"name": "CX 3", "partNumber": "PC-170-NV-CX3CU", "grouping": "billable-license",
     "unitOfMeasureType": "seat", "usageQuantity": "13", "prepayQuantity": "10",
     "prepayPrice": "150.00", "overagePrice": "0.835"}
  ]
}"#;

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |v, k| {
        let key = match k.parse::<u32>() {
            Ok(i) => JsValue::from(i),
            Err(_) => JsValue::from_str(k),
        };
        Reflect::get(&v, &key).unwrap()
    })
}

fn s(v: &JsValue, path: &[&str]) -> Option<String> {
    get(v, path).as_string()
}

#[wasm_bindgen_test]
fn json_string_and_plain_object_give_the_same_invoice() {
    let from_string = invoice_from_overview(JsValue::from_str(OVERVIEW), None).unwrap();
    let object = JSON::parse(OVERVIEW).unwrap();
    let from_object = invoice_from_overview(object, None).unwrap();
    assert_eq!(
        JSON::stringify(&from_string).unwrap(),
        JSON::stringify(&from_object).unwrap()
    );
    // 10 prepaid × 150.00 = 1500.00; 3 on demand × 0.835 = 2.505 → 2.51 (half-up).
    assert_eq!(
        s(&from_string, &["lines", "0", "amount"]).as_deref(),
        Some("1500.00")
    );
    assert_eq!(
        s(&from_string, &["lines", "1", "quantity"]).as_deref(),
        Some("3")
    );
    assert_eq!(
        s(&from_string, &["lines", "1", "rate"]).as_deref(),
        Some("0.835")
    );
    assert_eq!(
        s(&from_string, &["lines", "1", "amount"]).as_deref(),
        Some("2.51")
    );
    assert_eq!(
        s(&from_string, &["lines", "1", "kind"]).as_deref(),
        Some("on-demand")
    );
    assert_eq!(
        s(&from_string, &["totals", "0", "amount"]).as_deref(),
        Some("1502.51")
    );
    assert_eq!(
        get(&from_string, &["totals", "0", "complete"]),
        JsValue::TRUE
    );
    // Plain objects, not Maps: JSON.stringify sees the fields.
    assert!(Array::is_array(&get(&from_string, &["lines"])));
}

#[wasm_bindgen_test]
fn options_are_camel_case_objects() {
    let opts = JSON::parse(r#"{"rounding":"half-even","markupPercent":"-10"}"#).unwrap();
    let inv = invoice_from_overview(JsValue::from_str(OVERVIEW), Some(opts)).unwrap();
    // 0.835 × 0.9 = 0.7515; 3 × 0.7515 = 2.2545 → 2.25.
    assert_eq!(s(&inv, &["lines", "1", "rate"]).as_deref(), Some("0.7515"));
    assert_eq!(s(&inv, &["lines", "1", "amount"]).as_deref(), Some("2.25"));
}

#[wasm_bindgen_test]
fn errors_are_error_objects_with_a_code_and_the_instance_survives() {
    let bad = OVERVIEW.replace(r#""usageQuantity": "13""#, r#""usageQuantity": "1e400""#);
    let err = invoice_from_overview(JsValue::from_str(&bad), None).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_decimal"));
    let message = s(&err, &["message"]).unwrap();
    assert!(
        message.contains("usageQuantity") && message.contains("CX 3"),
        "{message}"
    );
    assert_eq!(s(&err, &["name"]).as_deref(), Some("GenesysBillingError"));

    let err = invoice_from_overview(JsValue::from_str("{"), None).unwrap_err();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_json"));
    // A number where the API sends a decimal string is refused, not floated.
    let obj = JSON::parse(&OVERVIEW.replace(r#""13""#, "13")).unwrap();
    let err = invoice_from_overview(obj, None).unwrap_err();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("wrong_type"));
    // The same instance still works after the errors.
    assert!(invoice_from_overview(JsValue::from_str(OVERVIEW), None).is_ok());
}

#[wasm_bindgen_test]
fn usage_report_invoice_and_csv() {
    let report = r#"{"startDate":"2026-10-01T00:00:00.000Z","endDate":"2026-10-31T23:59:59.999Z",
      "status":"Complete","usages":[{"name":"CX 1","totalUsage":"4","resources":[{"name":"a@x.com","date":"2026-10-02T00:00:00Z"}]},
      {"name":"WEM","totalUsage":"2","resources":[]}]}"#;
    let opts = JSON::parse(r#"{"priceBook":{"CX 1":"75.125"},"currency":"jpy","organization":{"id":"o","name":"Mine"}}"#).unwrap();
    let inv = invoice_from_usage(JsValue::from_str(report), opts).unwrap();
    // 4 × 75.125 = 300.5 → 301 yen (half-up, no minor unit).
    assert_eq!(s(&inv, &["lines", "0", "amount"]).as_deref(), Some("301"));
    assert_eq!(s(&inv, &["lines", "0", "currency"]).as_deref(), Some("JPY"));
    assert!(get(&inv, &["lines", "1", "amount"]).is_null());
    assert_eq!(
        s(&inv, &["warnings", "0", "code"]).as_deref(),
        Some("unpriced")
    );
    assert_eq!(get(&inv, &["totals", "0", "complete"]), JsValue::FALSE);
    assert_eq!(
        s(&inv, &["lines", "0", "resources", "0", "name"]).as_deref(),
        Some("a@x.com")
    );
    let csv = invoice_to_csv(inv, None).unwrap();
    assert!(csv.starts_with("Company,Company ID,License Type,"), "{csv}");
    assert!(csv.contains("Mine,o,CX 1,"), "{csv}");
}

#[wasm_bindgen_test]
fn regions_lists_all_eighteen() {
    let list: Array = regions().unwrap().unchecked_into();
    assert_eq!(list.length(), 18);
    let domains: Vec<String> = list
        .iter()
        .map(|r| {
            Reflect::get(&r, &"domain".into())
                .unwrap()
                .unchecked_into::<JsString>()
                .into()
        })
        .collect();
    assert!(domains.iter().any(|d| d == "mypurecloud.ie"));
    // Each carries its client-app environment name (gcTargetEnv).
    let ireland = list
        .iter()
        .find(|r| s(r, &["domain"]).as_deref() == Some("mypurecloud.ie"))
        .unwrap();
    assert_eq!(
        s(&ireland, &["clientAppEnvironment"]).as_deref(),
        Some("prod-euw1")
    );
}

/// A second org for the batch tests: 2 on demand at 0.835 = 1.67 EUR.
const OVERVIEW_B: &str = r#"{"organization":{"id":"org-2","name":"Büro, \"Nord\""},"currency":"EUR",
  "enabledProducts":[],"subscriptionType":"MONTH_TO_MONTH","usages":[{"name":"CX 3","partNumber":"PC-170-NV-CX3CU",
  "grouping":"billable-license","unitOfMeasureType":"seat","usageQuantity":"2","prepayQuantity":"0",
  "overagePrice":"0.835"}]}"#;

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = Reflect::get(target, &method.into())?.unchecked_into();
    f.apply(target, &args.iter().collect::<Array>())
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().into()
}

#[wasm_bindgen_test]
fn the_invoice_class_gives_what_the_free_functions_give() {
    let plain = invoice_from_overview(JsValue::from_str(OVERVIEW), None).unwrap();
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None)
        .unwrap()
        .into();
    // Same lines, totals, warnings; JSON.stringify(invoice) is the plain JSON.
    for part in ["lines", "totals", "warnings"] {
        assert_eq!(
            json(&get(&handle, &[part])),
            json(&get(&plain, &[part])),
            "{part}"
        );
    }
    assert_eq!(json(&handle), json(&plain));
    assert_eq!(
        s(&handle, &["totals", "0", "amount"]).as_deref(),
        Some("1502.51")
    );
    // The getters build once: the same array every time.
    assert!(js_sys::Object::is(
        &get(&handle, &["lines"]),
        &get(&handle, &["lines"])
    ));
    // The methods equal the free functions on the plain invoice...
    let csv = call(&handle, "toCsv", &[]).unwrap().as_string().unwrap();
    assert_eq!(csv, invoice_to_csv(plain.clone(), None).unwrap());
    let focus = call(&handle, "toFocus", &[]).unwrap().as_string().unwrap();
    assert_eq!(focus, invoice_to_focus(plain.clone(), None).unwrap());
    let stripe = call(&handle, "toStripeItems", &[]).unwrap();
    assert_eq!(
        json(&stripe),
        json(&invoice_to_stripe_items(plain.clone(), None).unwrap())
    );
    // ...and the free functions take the handle as well.
    assert_eq!(invoice_to_csv(handle.clone(), None).unwrap(), csv);
    let no_header = JSON::parse(r#"{"includeHeader":false}"#).unwrap();
    let rows = call(&handle, "toCsv", &[no_header])
        .unwrap()
        .as_string()
        .unwrap();
    assert!(!rows.starts_with("Company,"), "{rows}");
    assert!(csv.ends_with(&rows), "{csv}\n---\n{rows}");
}

#[wasm_bindgen_test]
fn an_invoice_handle_is_used_as_it_is_and_a_plain_one_is_checked() {
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None)
        .unwrap()
        .into();
    // Editing the cached plain lines does not change the invoice in wasm:
    // toJSON() and the exports still show what was computed.
    let line0 = get(&handle, &["lines", "0"]);
    Reflect::set(&line0, &"amount".into(), &"9999.99".into()).unwrap();
    assert_eq!(
        s(&handle, &["lines", "0", "amount"]).as_deref(),
        Some("9999.99")
    );
    assert!(json(&handle).contains(r#""amount":"1500.00""#));
    assert!(invoice_to_csv(handle.clone(), None)
        .unwrap()
        .contains("1500.00"));
    // The same edit in a plain invoice is caught by the check.
    let plain = JSON::parse(&json(&handle)).unwrap();
    let line0 = get(&plain, &["lines", "0"]);
    Reflect::set(&line0, &"amount".into(), &"9999.99".into()).unwrap();
    let err = invoice_to_csv(plain.clone(), None).unwrap_err();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_invoice"));
    let err = InvoiceJs::from(plain).err().unwrap();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_invoice"));
    // Invoice.from: the plain form and the JSON text come back whole.
    let again: JsValue = InvoiceJs::from(JsValue::from_str(&json(&handle)))
        .unwrap()
        .into();
    assert_eq!(json(&again), json(&handle));
    let twin: JsValue = InvoiceJs::from(handle.clone()).unwrap().into();
    assert_eq!(json(&twin), json(&handle));
}

#[wasm_bindgen_test]
fn a_freed_invoice_is_a_clear_error_not_a_crash() {
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None)
        .unwrap()
        .into();
    let twin: JsValue = InvoiceJs::from(handle.clone()).unwrap().into();
    call(&handle, "free", &[]).unwrap();
    let err = invoice_to_csv(handle.clone(), None).unwrap_err();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_invoice"));
    assert!(s(&err, &["message"]).unwrap().contains("freed"));
    // The other handle on the same invoice lives on.
    assert!(invoice_to_csv(twin, None).unwrap().contains("1500.00"));
}

#[wasm_bindgen_test]
fn from_overviews_merges_and_names_a_bad_element() {
    let list = Array::of2(
        &JsValue::from_str(OVERVIEW),
        &JSON::parse(OVERVIEW_B).unwrap(),
    );
    let merged: JsValue = InvoiceJs::from_overviews(list.into(), None).unwrap().into();
    let totals: Array = get(&merged, &["totals"]).unchecked_into();
    assert_eq!(totals.length(), 2);
    assert_eq!(
        s(&merged, &["totals", "1", "amount"]).as_deref(),
        Some("1.67")
    );
    assert_eq!(
        s(&merged, &["totals", "1", "currency"]).as_deref(),
        Some("EUR")
    );
    // One CSV for all: the per-org CSVs, header once.
    let csv = call(&merged, "toCsv", &[]).unwrap().as_string().unwrap();
    let a = invoice_to_csv(
        invoice_from_overview(JsValue::from_str(OVERVIEW), None).unwrap(),
        None,
    )
    .unwrap();
    let rows_b = invoice_to_csv(
        invoice_from_overview(JsValue::from_str(OVERVIEW_B), None).unwrap(),
        Some(JSON::parse(r#"{"includeHeader":false}"#).unwrap()),
    )
    .unwrap();
    assert_eq!(csv, format!("{a}{rows_b}"));
    // A bad third element: its usual code, its index and its org.
    let bad = OVERVIEW_B.replace(r#""usageQuantity":"2""#, r#""usageQuantity":"2,5""#);
    let list = Array::of3(
        &JsValue::from_str(OVERVIEW),
        &JsValue::from_str(OVERVIEW_B),
        &JsValue::from_str(&bad),
    );
    let err = InvoiceJs::from_overviews(list.into(), None).err().unwrap();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_decimal"));
    assert_eq!(get(&err, &["index"]), JsValue::from(2));
    assert_eq!(s(&err, &["organizationId"]).as_deref(), Some("org-2"));
    let message = s(&err, &["message"]).unwrap();
    assert!(message.starts_with("overviews[2] (org "), "{message}");
    assert!(message.contains("usageQuantity"), "{message}");
    // Unreadable JSON: the index, no org to name.
    let list = Array::of2(&JsValue::from_str(OVERVIEW), &JsValue::from_str("{"));
    let err = InvoiceJs::from_overviews(list.into(), None).err().unwrap();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("invalid_json"));
    assert_eq!(get(&err, &["index"]), JsValue::from(1));
    assert!(get(&err, &["organizationId"]).is_undefined());
    // Not an array at all.
    let err = InvoiceJs::from_overviews(JsValue::from_str(OVERVIEW), None)
        .err()
        .unwrap();
    assert_eq!(s(&err, &["code"]).as_deref(), Some("wrong_type"));
}

#[wasm_bindgen_test]
fn accounting_imports_return_the_csv_and_its_warnings() {
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None)
        .unwrap()
        .into();
    let opts = JSON::parse(r#"{"invoiceDate":"2026-11-01","taxType":"Tax Exempt"}"#).unwrap();
    let xero = call(&handle, "toXeroCsv", std::slice::from_ref(&opts)).unwrap();
    let csv = s(&xero, &["csv"]).unwrap();
    assert!(csv.starts_with("*ContactName,"), "{csv}");
    // 3 × 0.835 = 2.505 is a midpoint at 2 decimals: written as 1 × 2.51.
    assert!(
        csv.contains("CX 3 — on-demand (PC-170-NV-CX3CU): 3 × 0.835 USD,1,2.51"),
        "{csv}"
    );
    assert_eq!(
        s(&xero, &["warnings", "0", "code"]).as_deref(),
        Some("single_unit_line")
    );
    // The free function takes the handle or the plain invoice alike.
    let plain = invoice_from_overview(JsValue::from_str(OVERVIEW), None).unwrap();
    assert_eq!(
        json(&invoice_to_xero_csv(plain.clone(), opts.clone()).unwrap()),
        json(&xero)
    );
    let qbo = invoice_to_quickbooks_csv(
        handle.clone(),
        JsValue::from_str(r#"{"invoiceDate":"2026-11-01"}"#),
    )
    .unwrap();
    assert!(s(&qbo, &["csv"])
        .unwrap()
        .starts_with("Invoice number,Customer,"));
    assert_eq!(
        json(
            &call(
                &handle,
                "toQuickBooksCsv",
                &[JSON::parse(r#"{"invoiceDate":"2026-11-01"}"#).unwrap()]
            )
            .unwrap()
        ),
        json(&qbo)
    );
    // Options are required: without them the error names the invoice date.
    let e = invoice_to_xero_csv(plain, JsValue::UNDEFINED).unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("missing_field"));
    assert!(s(&e, &["message"]).unwrap().contains("invoiceDate"));
    let e = call(
        &handle,
        "toQuickBooksCsv",
        &[JSON::parse(r#"{"invoiceDate":"2026-11-31"}"#).unwrap()],
    )
    .unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("invalid_date"));
}

#[wasm_bindgen_test]
fn comparisons_cross_as_plain_objects_and_csv() {
    use genesys_billing::wasm::{compare_invoices, comparison_to_csv};
    let previous = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None).unwrap();
    let more = OVERVIEW.replace(r#""usageQuantity": "13""#, r#""usageQuantity": "15""#);
    let current: JsValue = InvoiceJs::from_overview(JsValue::from_str(&more), None)
        .unwrap()
        .into();
    let previous: JsValue = previous.into();
    let c = call(&current, "compareWith", std::slice::from_ref(&previous)).unwrap();
    assert_eq!(
        json(&c),
        json(&compare_invoices(previous.clone(), current.clone(), None).unwrap())
    );
    // On demand 3 → 5 at 0.835: 2.51 → 4.18 (+1.67, +66.53 %).
    let od = get(&c, &["rows", "1"]);
    assert_eq!(s(&od, &["kind"]).as_deref(), Some("on-demand"));
    assert_eq!(s(&od, &["status"]).as_deref(), Some("changed"));
    assert_eq!(s(&od, &["amountChange"]).as_deref(), Some("1.67"));
    assert_eq!(s(&od, &["amountChangePercent"]).as_deref(), Some("66.53"));
    assert_eq!(s(&c, &["alerts", "0", "code"]).as_deref(), Some("overage"));
    // Per currency: 1502.51 → 1504.18 USD.
    assert_eq!(
        s(&c, &["currencies", "0", "change"]).as_deref(),
        Some("1.67")
    );
    let sums = get(&current, &["currencyTotals"]);
    assert_eq!(s(&sums, &["0", "amount"]).as_deref(), Some("1504.18"));
    assert_eq!(get(&sums, &["0", "organizations"]).as_f64(), Some(1.0));
    let csv = comparison_to_csv(c.clone()).unwrap();
    assert!(csv.starts_with("Company,Company ID,Currency,"), "{csv}");
    assert!(
        csv.contains(",3,5,2,2.51,4.18,1.67,66.53,changed\r\n"),
        "{csv}"
    );
    // Thresholds are checked; a misspelt one is an error, not ignored.
    let e = call(
        &current,
        "compareWith",
        &[previous, JSON::parse(r#"{"overage":"1"}"#).unwrap()],
    )
    .unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("wrong_type"));
    let e = comparison_to_csv(JsValue::from_str("{}")).unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("missing_field"));
}

#[wasm_bindgen_test]
fn errors_carry_their_location_as_properties() {
    let bad = OVERVIEW.replace(r#""usageQuantity": "13""#, r#""usageQuantity": "13,5""#);
    let e = invoice_from_overview(JsValue::from_str(&bad), None).unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("invalid_decimal"));
    assert_eq!(s(&e, &["organizationId"]).as_deref(), Some("org-1"));
    assert_eq!(get(&e, &["usageIndex"]).as_f64(), Some(0.0));
    assert_eq!(s(&e, &["usageName"]).as_deref(), Some("CX 3"));
    assert_eq!(s(&e, &["partNumber"]).as_deref(), Some("PC-170-NV-CX3CU"));
    assert_eq!(s(&e, &["field"]).as_deref(), Some("usageQuantity"));
    assert!(get(&e, &["lineIndex"]).is_undefined());
    // An export's error: the line it is about.
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(OVERVIEW), None)
        .unwrap()
        .into();
    let e = call(
        &handle,
        "toXeroCsv",
        &[JSON::parse(r#"{"invoiceDate":"2026-11-01","currencyExponent":2}"#).unwrap()],
    )
    .unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("wrong_type"));
    let kwd = OVERVIEW.replace(r#""currency": "USD""#, r#""currency": "KWD""#);
    let handle: JsValue = InvoiceJs::from_overview(JsValue::from_str(&kwd), None)
        .unwrap()
        .into();
    // 3 × 0.835 = 2.505 KWD has 3 decimals: Xero keeps 2.
    let e = call(
        &handle,
        "toXeroCsv",
        &[JSON::parse(r#"{"invoiceDate":"2026-11-01"}"#).unwrap()],
    )
    .unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("target_limit"));
    assert_eq!(get(&e, &["lineIndex"]).as_f64(), Some(1.0));
    assert_eq!(s(&e, &["organizationId"]).as_deref(), Some("org-1"));
}

#[wasm_bindgen_test]
fn check_decimal_is_the_cores_rule() {
    use genesys_billing::wasm::check_decimal;
    for ok in ["5", "-5", "0.5", "12.50", "0"] {
        assert!(check_decimal(ok, None).is_ok(), "{ok}");
    }
    for bad in ["+5", ".5", "5.", "1e3", "1,5", " 5", "", "NaN"] {
        let e = check_decimal(bad, Some("priceBook[\"CX 3\"]".into())).unwrap_err();
        assert_eq!(
            s(&e, &["code"]).as_deref(),
            Some("invalid_decimal"),
            "{bad}"
        );
        assert_eq!(
            s(&e, &["field"]).as_deref(),
            Some("priceBook[\"CX 3\"]"),
            "{bad}"
        );
    }
}

#[wasm_bindgen_test]
fn price_books_are_read_by_the_package() {
    use genesys_billing::wasm::{parse_overview_price_book, parse_usage_price_book};
    let book =
        parse_usage_price_book("Usage,Rate\n\"CX 3, Concurrent\",12.50\nWEM;0.333\n").unwrap();
    assert_eq!(json(&book), r#"{"CX 3, Concurrent":"12.50","WEM":"0.333"}"#);
    // Bare JSON numbers keep their text: 12.50, not 12.5.
    let book = parse_usage_price_book(r#"{"CX 3": 12.50}"#).unwrap();
    assert_eq!(s(&book, &["CX 3"]).as_deref(), Some("12.50"));
    let e = parse_usage_price_book("Usage,Rate\nCX 3,+5").unwrap_err();
    assert_eq!(s(&e, &["code"]).as_deref(), Some("invalid_decimal"));
    assert!(s(&e, &["message"]).unwrap().contains("line 2"));
    let book = parse_overview_price_book(r#"{"PC-1": {"prepay": 9.50}}"#).unwrap();
    assert_eq!(s(&book, &["PC-1", "prepay"]).as_deref(), Some("9.50"));
    // What it gives is what the invoice functions take.
    let inv = invoice_from_overview(
        JsValue::from_str(OVERVIEW),
        Some(JSON::parse(&format!(r#"{{"priceBook":{}}}"#, json(&book))).unwrap()),
    );
    assert!(inv.is_ok());
}
