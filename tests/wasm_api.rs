//! The JS boundary, run in Node and in Chromium: inputs as JSON strings and
//! as plain objects, results as plain objects with decimal strings, errors
//! as `Error`s with a `code`, and an instance that keeps working after one.
#![cfg(target_arch = "wasm32")]

use genesys_billing::wasm::{invoice_from_overview, invoice_from_usage, invoice_to_csv, regions};
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
}
