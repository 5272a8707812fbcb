//! The CSV, FOCUS and Stripe exports, against hand-written expected output.
// Native only: these use native dev-dependencies (proptest, csv).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::of;

use genesys_billing::export::{
    to_csv, to_focus_csv, to_stripe_items, CsvOptions, FocusOptions, FocusVersion, StripeMode,
    StripeOptions, StripePeriod, StripePricing, TaxBehavior, FOCUS_VERSION,
};
use genesys_billing::invoice::{from_overview, totals};
use genesys_billing::model::TrusteeBillingOverview;
use genesys_billing::options::OverviewInvoiceOptions;
use genesys_billing::{Invoice, InvoiceLine, LineKind};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Acme, Inc. in USD: CX 3 used 12 of 10 prepaid (prepay 100.00, overage
/// 23.74) and WEM used 1 with no price anywhere.
fn acme() -> Invoice {
    let o: TrusteeBillingOverview = genesys_billing::decode::from_str(
        "overview",
        &json!({
            "organization": {"id": "org-1", "name": "Acme, Inc."},
            "currency": "USD",
            "enabledProducts": [],
            "subscriptionType": "PREPAY",
            "billingPeriodStartDate": "2026-10-01T00:00:00Z",
            "billingPeriodEndDate": "2026-10-31T23:59:59.999Z",
            "usages": [
                {"name": "CX 3", "partNumber": "PC-1", "grouping": "billable-license",
                 "unitOfMeasureType": "seat", "usageQuantity": "12", "prepayQuantity": "10",
                 "prepayPrice": "100.00", "overagePrice": "23.74",
                 "bundleQuantity": "1", "isThirdParty": false},
                {"name": "WEM", "partNumber": "PC-2", "grouping": "billable-addon",
                 "unitOfMeasureType": "seat", "usageQuantity": "1", "prepayQuantity": "0"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    from_overview(&o, &OverviewInvoiceOptions::default()).unwrap()
}

fn priced_only(mut inv: Invoice) -> Invoice {
    inv.lines.retain(|l| l.rate.is_some());
    inv.totals = totals(&inv.lines).unwrap();
    inv.warnings.clear();
    inv
}

fn line(license: &str, currency: &str, quantity: &str, rate: &str, amount: &str) -> InvoiceLine {
    common::line(
        ("org-1", "Acme"),
        license,
        currency,
        quantity,
        Some(rate),
        Some(amount),
    )
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_is_exactly_the_expected_text() {
    let expected = concat!(
        "Company,Company ID,License Type,Part Number,Charge,Quantity,Unit,Rate,Amount,Currency,Period Start,Period End\r\n",
        "\"Acme, Inc.\",org-1,CX 3,PC-1,prepay,10,seat,100.00,1000.00,USD,2026-10-01T00:00:00Z,2026-10-31T23:59:59.999Z\r\n",
        "\"Acme, Inc.\",org-1,CX 3,PC-1,on-demand,2,seat,23.74,47.48,USD,2026-10-01T00:00:00Z,2026-10-31T23:59:59.999Z\r\n",
        "\"Acme, Inc.\",org-1,WEM,PC-2,on-demand,1,seat,,,USD,2026-10-01T00:00:00Z,2026-10-31T23:59:59.999Z\r\n",
    );
    assert_eq!(to_csv(&acme(), &CsvOptions::default()).unwrap(), expected);
    // Without the header, only the rows.
    let rows = to_csv(
        &acme(),
        &CsvOptions {
            include_header: false,
        },
    )
    .unwrap();
    assert_eq!(rows, expected.split_once("\r\n").unwrap().1);
    assert_eq!(
        to_csv(
            &Invoice::default(),
            &CsvOptions {
                include_header: false
            }
        )
        .unwrap(),
        ""
    );
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    let mut l = line("Bot \"flows\", v2", "USD", "1", "5", "5");
    l.organization_name = Some("Two\r\nLines".into());
    l.organization_id = None;
    l.part_number = None;
    l.unit_of_measure = None;
    l.period_start = None;
    l.period_end = None;
    let text = to_csv(
        &of(vec![l]),
        &CsvOptions {
            include_header: false,
        },
    )
    .unwrap();
    assert_eq!(
        text,
        "\"Two\r\nLines\",,\"Bot \"\"flows\"\", v2\",,on-demand,1,,5,5,USD,,\r\n"
    );
}

#[test]
fn csv_neutralises_formulas_in_text_but_not_in_numbers() {
    let mut l = line("=SUM(A1)", "USD", "1", "-3.50", "-3.50");
    l.organization_name = Some("+1".into());
    l.organization_id = Some("\tid".into());
    l.part_number = Some("@x".into());
    l.unit_of_measure = Some("-x".into());
    l.period_start = Some("\rstart".into());
    l.period_end = Some("'quoted".into());
    let text = to_csv(
        &of(vec![l]),
        &CsvOptions {
            include_header: false,
        },
    )
    .unwrap();
    assert_eq!(
        text,
        "'+1,'\tid,'=SUM(A1),'@x,on-demand,1,'-x,-3.50,-3.50,USD,\"'\rstart\",''quoted\r\n"
    );
}

#[test]
fn csv_options_are_camel_case_with_defaults() {
    let o: CsvOptions = genesys_billing::decode::from_str("options", "{}").unwrap();
    assert!(o.include_header);
    let o: CsvOptions =
        genesys_billing::decode::from_str("options", r#"{"includeHeader":false}"#).unwrap();
    assert!(!o.include_header);
    assert!(
        genesys_billing::decode::from_str::<CsvOptions>("options", r#"{"header":false}"#).is_err()
    );
}

// ---------------------------------------------------------------- FOCUS

/// The 1.4 header (the default): the 21 columns 1.4 makes mandatory for Cost and Usage
/// (focus-data-toolkit 0.14.1 `model/focus_1_4_model.json`, from the FOCUS 1.4 Data Model
/// workbook) plus ChargeFrequency, ContractedUnitPrice, InvoiceId, ListUnitPrice,
/// PricingCategory, SkuId and SkuPriceId; no ProviderName or PublisherName (removed in 1.4).
const FOCUS_HEADER: &str = "BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,\
BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,\
ChargePeriodEnd,ChargePeriodStart,ContractedCost,ContractedUnitPrice,EffectiveCost,HostProviderName,\
InvoiceId,InvoiceIssuerName,ListCost,ListUnitPrice,PricingCategory,PricingQuantity,PricingUnit,\
ServiceCategory,ServiceName,ServiceProviderName,SkuId,SkuPriceId,\
x_GenesysOrgId,x_Grouping,x_ChargeKind,x_BundleQuantity,x_IsThirdParty";

/// The columns each version requires of a SaaS Cost and Usage row, with where the requirement
/// is written. 1.2: FOCUS_Spec tag v1.2, `specification/columns/*.md` ("Feature level:
/// Mandatory"). 1.3: the same 21 plus ServiceProviderName and HostProviderName, with
/// ProviderName and PublisherName deprecated but still "MUST be present" (post-1.2 draft
/// `providername.md`, `publishername.md`, `serviceprovidername.md`, `hostprovidername.md`).
/// 1.4: the toolkit's 1.4 model, which removes the old two.
const MANDATORY_1_2: [&str; 21] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
];

fn focus_header(version: FocusVersion) -> Vec<String> {
    let opts = FocusOptions {
        focus_version: version,
        ..FocusOptions::default()
    };
    let text = to_focus_csv(&Invoice::default(), &opts).unwrap();
    text.trim_end().split(',').map(str::to_string).collect()
}

#[test]
fn focus_versions_have_the_columns_each_requires_and_none_it_removed() {
    let has = |h: &[String], c: &str| h.iter().any(|x| x == c);
    let v12 = focus_header(FocusVersion::V1_2);
    let v13 = focus_header(FocusVersion::V1_3);
    let v14 = focus_header(FocusVersion::V1_4);
    for c in MANDATORY_1_2 {
        assert!(has(&v12, c), "1.2 lacks {c}");
        assert!(has(&v13, c), "1.3 lacks {c}");
    }
    for c in ["ServiceProviderName", "HostProviderName"] {
        assert!(!has(&v12, c), "1.2 has {c}, which 1.3 introduced");
        assert!(has(&v13, c) && has(&v14, c), "{c} missing from 1.3/1.4");
    }
    for c in ["ProviderName", "PublisherName"] {
        assert!(!has(&v14, c), "1.4 removed {c}");
    }
    let mandatory_1_4 = MANDATORY_1_2
        .iter()
        .filter(|c| !matches!(**c, "ProviderName" | "PublisherName"))
        .chain(&["ServiceProviderName", "HostProviderName"]);
    for c in mandatory_1_4 {
        assert!(has(&v14, c), "1.4 lacks {c}");
    }
    // The conditional columns a SaaS invoice with part numbers and two pricing categories
    // presents, in every version; and the custom columns last.
    for h in [&v12, &v13, &v14] {
        for c in [
            "SkuId",
            "SkuPriceId",
            "PricingCategory",
            "ListUnitPrice",
            "InvoiceId",
        ] {
            assert!(has(h, c), "{c} missing");
        }
        let first_custom = h.iter().position(|c| c.starts_with("x_")).unwrap();
        assert!(h[first_custom..].iter().all(|c| c.starts_with("x_")));
    }
}

/// The FOCUS rows as maps from column name to cell.
fn focus_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn focus_header_is_version_1_4_by_default_with_custom_columns_last() {
    assert_eq!(FOCUS_VERSION, "1.4");
    let text = to_focus_csv(&priced_only(acme()), &FocusOptions::default()).unwrap();
    let header = text.split("\r\n").next().unwrap();
    assert_eq!(header, FOCUS_HEADER);
    let first_custom = header.split(',').position(|c| c.starts_with("x_")).unwrap();
    assert!(header
        .split(',')
        .skip(first_custom)
        .all(|c| c.starts_with("x_")));
    // The header is there even with no line.
    let empty = to_focus_csv(&Invoice::default(), &FocusOptions::default()).unwrap();
    assert_eq!(empty, format!("{FOCUS_HEADER}\r\n"));
}

#[test]
fn focus_rows_map_the_invoice_with_exclusive_ends() {
    let opts = FocusOptions {
        invoice_issuer_name: "Partner Ltd".into(),
        invoice_id: Some("INV-2026-10-0001".into()),
        ..FocusOptions::default()
    };
    let rows = focus_rows(&to_focus_csv(&priced_only(acme()), &opts).unwrap());
    assert_eq!(rows.len(), 2);
    let prepay = &rows[0];
    let expect = [
        ("BilledCost", "1000.00"),
        ("BillingAccountId", "org-1"),
        ("BillingAccountName", "Acme, Inc."),
        ("BillingCurrency", "USD"),
        ("BillingPeriodStart", "2026-10-01T00:00:00Z"),
        // Genesys' inclusive 2026-10-31T23:59:59.999Z → exclusive next second.
        ("BillingPeriodEnd", "2026-11-01T00:00:00Z"),
        ("ChargeCategory", "Purchase"),
        ("ChargeClass", ""),
        (
            "ChargeDescription",
            "CX 3, prepay: 10 seat at 100.00 USD each",
        ),
        ("ChargeFrequency", "Recurring"),
        ("ChargePeriodStart", "2026-10-01T00:00:00Z"),
        ("ChargePeriodEnd", "2026-11-01T00:00:00Z"),
        // 100.00 × 10 = 1000.00 (the exact product; scales 2 + 0).
        ("ContractedCost", "1000.00"),
        ("ContractedUnitPrice", "100.00"),
        ("EffectiveCost", "1000.00"),
        ("InvoiceIssuerName", "Partner Ltd"),
        ("ListCost", "1000.00"),
        ("ListUnitPrice", "100.00"),
        ("PricingQuantity", "10"),
        ("PricingUnit", "seat"),
        ("PricingCategory", "Committed"),
        ("InvoiceId", "INV-2026-10-0001"),
        ("ServiceProviderName", "Genesys"),
        ("HostProviderName", "Genesys"),
        ("ServiceCategory", "Business Applications"),
        ("ServiceName", "CX 3"),
        ("SkuId", "PC-1"),
        ("SkuPriceId", "PC-1:prepay"),
        ("x_GenesysOrgId", "org-1"),
        ("x_Grouping", "billable-license"),
        ("x_ChargeKind", "prepay"),
        ("x_BundleQuantity", "1"),
        ("x_IsThirdParty", "false"),
    ];
    for (column, value) in expect {
        assert_eq!(prepay[column], value, "{column}");
    }
    let on_demand = &rows[1];
    assert_eq!(on_demand["ChargeCategory"], "Usage");
    assert_eq!(on_demand["ChargeFrequency"], "Usage-Based");
    assert_eq!(on_demand["BilledCost"], "47.48");
    assert_eq!(on_demand["PricingQuantity"], "2");
    assert_eq!(on_demand["PricingCategory"], "Standard");
    assert_eq!(on_demand["SkuPriceId"], "PC-1:on-demand");
    // 1.2 names the provider in its own two columns.
    let opts = FocusOptions {
        focus_version: FocusVersion::V1_2,
        ..FocusOptions::default()
    };
    let rows = focus_rows(&to_focus_csv(&priced_only(acme()), &opts).unwrap());
    assert_eq!(rows[0]["ProviderName"], "Genesys");
    assert_eq!(rows[0]["PublisherName"], "Genesys");
    assert!(!rows[0].contains_key("ServiceProviderName"));
    assert_eq!(rows[0]["InvoiceId"], "");
}

#[test]
fn focus_list_cost_is_the_unrounded_product() {
    // 3 × 0.835 = 2.505 exactly; the invoice bills 2.51.
    let rows = focus_rows(
        &to_focus_csv(
            &of(vec![line("CX 3", "USD", "3", "0.835", "2.51")]),
            &FocusOptions::default(),
        )
        .unwrap(),
    );
    assert_eq!(rows[0]["ListCost"], "2.505");
    assert_eq!(rows[0]["ContractedCost"], "2.505");
    assert_eq!(rows[0]["BilledCost"], "2.51");
    assert_eq!(rows[0]["EffectiveCost"], "2.51");
}

#[test]
fn focus_minimum_and_usage_lines() {
    let mut min = line("Minimum monthly commitment", "USD", "1", "452.52", "452.52");
    min.kind = LineKind::MinimumCommitment;
    min.part_number = None;
    min.unit_of_measure = None;
    let mut usage = line("CX 3", "USD", "4", "10.5", "42.0");
    usage.kind = LineKind::Usage;
    usage.period_end = Some("2026-10-31T23:59:59Z".into());
    let rows = focus_rows(&to_focus_csv(&of(vec![min, usage]), &FocusOptions::default()).unwrap());
    assert_eq!(rows[0]["ChargeCategory"], "Purchase");
    assert_eq!(rows[0]["ChargeFrequency"], "Recurring");
    assert_eq!(rows[0]["PricingUnit"], "Units");
    // SkuId and SkuPriceId may not be null on Usage and Purchase rows once present (1.2
    // `skuid.md`, `skupriceid.md`): a line without a part number still gets both.
    assert_eq!(rows[0]["SkuId"], "minimum-commitment");
    assert_eq!(
        rows[0]["SkuPriceId"],
        "minimum-commitment:minimum-commitment"
    );
    assert_eq!(rows[0]["PricingCategory"], "Committed");
    assert_eq!(rows[1]["SkuId"], "PC-1");
    assert_eq!(rows[1]["ChargeCategory"], "Usage");
    assert_eq!(rows[1]["ChargeFrequency"], "Usage-Based");
    // An end without milliseconds also becomes the next second.
    assert_eq!(rows[1]["ChargePeriodEnd"], "2026-11-01T00:00:00Z");
}

#[test]
fn focus_unpriced_lines_fail_unless_allowed() {
    let e = to_focus_csv(&acme(), &FocusOptions::default()).unwrap_err();
    assert_eq!(e.code(), "unpriced_line");
    let msg = e.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("WEM") && msg.contains("allowUnpriced"),
        "{msg}"
    );
    let opts = FocusOptions {
        allow_unpriced: true,
        ..FocusOptions::default()
    };
    let rows = focus_rows(&to_focus_csv(&acme(), &opts).unwrap());
    assert_eq!(rows.len(), 3);
    for column in [
        "BilledCost",
        "EffectiveCost",
        "ListCost",
        "ContractedCost",
        "ListUnitPrice",
    ] {
        assert_eq!(rows[2][column], "", "{column}");
    }
    assert_eq!(
        rows[2]["ChargeDescription"],
        "WEM, on-demand: 1 seat unpriced"
    );
}

#[test]
fn focus_options_are_validated() {
    let o: FocusOptions = genesys_billing::decode::from_str(
        "options",
        r#"{"invoiceIssuerName":"P","providerName":"G","allowUnpriced":true}"#,
    )
    .unwrap();
    assert_eq!(o.invoice_issuer_name, "P");
    assert!(o.allow_unpriced);
    let o: FocusOptions = genesys_billing::decode::from_str("options", "{}").unwrap();
    assert_eq!(o, FocusOptions::default());
    let o: FocusOptions = genesys_billing::decode::from_str(
        "options",
        r#"{"focusVersion":"1.3","invoiceId":"INV-7"}"#,
    )
    .unwrap();
    assert_eq!(o.focus_version, FocusVersion::V1_3);
    assert_eq!(o.invoice_id.as_deref(), Some("INV-7"));
    for bad in [r#"{"focusVersion":"1.5"}"#, r#"{"focusVersion":1.4}"#] {
        let e = genesys_billing::decode::from_str::<FocusOptions>("options", bad).unwrap_err();
        assert_eq!(e.code(), "wrong_type", "{bad}");
    }
    assert!(
        genesys_billing::decode::from_str::<FocusOptions>("options", r#"{"issuer":"P"}"#).is_err()
    );
    let blank = FocusOptions {
        invoice_issuer_name: " ".into(),
        ..FocusOptions::default()
    };
    let e = to_focus_csv(&acme(), &blank).unwrap_err();
    assert_eq!(e.code(), "invalid_option");
    assert!(e.to_string().contains("invoiceIssuerName"), "{e}");
}

#[test]
fn focus_rejects_a_malformed_period() {
    let mut l = line("CX 3", "USD", "1", "1", "1");
    l.period_end = Some("31/10/2026".into());
    assert_eq!(
        to_focus_csv(&of(vec![l]), &FocusOptions::default())
            .unwrap_err()
            .code(),
        "invalid_date"
    );
}

// ---------------------------------------------------------------- Stripe

fn stripe(inv: &Invoice) -> Vec<genesys_billing::export::StripeInvoiceItem> {
    to_stripe_items(inv, &StripeOptions::default()).unwrap()
}

fn quantity_mode() -> StripeOptions {
    StripeOptions {
        mode: StripeMode::Quantity,
        ..StripeOptions::default()
    }
}

/// `quantity_decimal` and `unit_amount_decimal` of the first item, in
/// `"quantity"` mode.
fn stripe_quantity(inv: &Invoice) -> (String, String) {
    match &to_stripe_items(inv, &quantity_mode()).unwrap()[0].pricing {
        StripePricing::Quantity {
            quantity_decimal,
            unit_amount_decimal,
        } => (quantity_decimal.clone(), unit_amount_decimal.clone()),
        other => panic!("not quantity pricing: {other:?}"),
    }
}

#[test]
fn stripe_items_in_usd_minor_units() {
    let mut opts = StripeOptions::default();
    opts.customers.insert("org-1".into(), "cus_123".into());
    let items = to_stripe_items(&priced_only(acme()), &opts).unwrap();
    assert_eq!(items.len(), 2);
    let i = &items[1];
    // 47.48 USD = 4748 cents, as `amount` only (Stripe refuses amount with
    // a quantity); the quantity and rate are in the description.
    assert_eq!(i.pricing, StripePricing::Amount(4748));
    assert_eq!(i.currency, "usd");
    assert_eq!(i.customer, "cus_123");
    assert_eq!(i.description, "CX 3 — on-demand, 2026-10: 2 × 23.74 USD");
    assert_eq!(i.tax_behavior, TaxBehavior::Exclusive);
    // 2026-10-01T00:00:00Z = 20727 days × 86400 s = 1790812800; the
    // inclusive end 2026-10-31T23:59:59Z is one second before
    // 2026-11-01T00:00:00Z = 20758 days × 86400 = 1793491200.
    assert_eq!(
        i.period,
        Some(StripePeriod {
            start: 1_790_812_800,
            end: 1_793_491_199
        })
    );
    assert_eq!(i.metadata["genesys_org_id"], "org-1");
    assert_eq!(i.metadata["part_number"], "PC-1");
    assert_eq!(i.metadata["kind"], "on-demand");
    assert_eq!(i.metadata["invoice_amount"], "47.48");
    assert_eq!(i.metadata["quantity"], "2");
    assert_eq!(i.metadata["rate"], "23.74");
    // 1000.00 USD = 100000 cents.
    assert_eq!(items[0].amount(), Some(100_000));
    // In "quantity" mode: 2 seats × 2374 cents, and no amount.
    let q = to_stripe_items(&priced_only(acme()), &quantity_mode()).unwrap();
    assert_eq!(
        q[1].pricing,
        StripePricing::Quantity {
            quantity_decimal: "2".into(),
            unit_amount_decimal: "2374".into()
        }
    );
    assert_eq!(q[1].amount(), None);
    assert_eq!(q[1].description, "CX 3 — on-demand, 2026-10");
    // 2 × 2374 = 4748 exactly: nothing to warn about.
    assert!(!q[1].metadata.contains_key("genesys_warning"));
}

#[test]
fn stripe_items_serialise_with_stripes_field_names() {
    let items = stripe(&priced_only(acme()));
    let v: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&items[1]))
            .unwrap();
    assert_eq!(
        v,
        json!({
            "customer": "{{CUSTOMER:org-1}}",
            "currency": "usd",
            "amount": 4748,
            "description": "CX 3 — on-demand, 2026-10: 2 × 23.74 USD",
            "period": {"start": 1_790_812_800, "end": 1_793_491_199},
            "tax_behavior": "exclusive",
            "metadata": {"genesys_org_id": "org-1", "part_number": "PC-1",
                         "kind": "on-demand", "invoice_amount": "47.48",
                         "quantity": "2", "rate": "23.74"}
        })
    );
    let opts: StripeOptions = genesys_billing::decode::from_str(
        "options",
        r#"{"mode":"quantity","taxBehavior":"inclusive"}"#,
    )
    .unwrap();
    let items = to_stripe_items(&priced_only(acme()), &opts).unwrap();
    let v: Value =
        serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&items[1]))
            .unwrap();
    assert_eq!(v["quantity_decimal"], "2");
    assert_eq!(v["unit_amount_decimal"], "2374");
    assert_eq!(v["tax_behavior"], "inclusive");
    assert!(
        v.get("amount").is_none(),
        "never amount with a quantity: {v}"
    );
}

#[test]
fn stripe_placeholder_without_org_and_no_period_without_dates() {
    let mut l = line("CX 3", "USD", "1", "5", "5");
    l.organization_id = None;
    l.part_number = None;
    l.period_start = None;
    let items = stripe(&of(vec![l]));
    assert_eq!(items[0].customer, "{{CUSTOMER}}");
    assert_eq!(items[0].period, None);
    assert_eq!(items[0].description, "CX 3 — on-demand: 1 × 5 USD");
    assert!(!items[0].metadata.contains_key("genesys_org_id"));
    assert!(!items[0].metadata.contains_key("part_number"));
    let v = serde_json::from_str::<serde_json::Value>(&genesys_billing::json::to_string(&items[0]))
        .unwrap();
    assert!(v.get("period").is_none());
}

#[test]
fn stripe_jpy_has_no_minor_unit() {
    // 3 × 333.5 = 1000.5 → 1001 yen on the invoice; Stripe counts yen: 1001.
    let items = stripe(&of(vec![line("CX 3", "JPY", "3", "333.5", "1001")]));
    assert_eq!(items[0].amount(), Some(1001));
    let inv = of(vec![line("CX 3", "JPY", "3", "333.5", "1001")]);
    assert_eq!(stripe_quantity(&inv).1, "333.5");
    assert_eq!(items[0].currency, "jpy");
}

#[test]
fn stripe_kwd_amounts_end_in_zero() {
    // 3.701 KWD = 3701 fils → nearest ten: 3700.
    let items = stripe(&of(vec![line("CX 3", "KWD", "3", "1.2335", "3.701")]));
    assert_eq!(items[0].amount(), Some(3700));
    let inv = of(vec![line("CX 3", "KWD", "3", "1.2335", "3.701")]);
    assert_eq!(stripe_quantity(&inv).1, "1233.5");
    assert_eq!(items[0].metadata["invoice_amount"], "3.701");
    // 3.705 KWD = 3705 fils, a midpoint: half-up 3710, half-even 3700.
    let inv = of(vec![line("CX 3", "KWD", "1", "3.705", "3.705")]);
    assert_eq!(stripe(&inv)[0].amount(), Some(3710));
    let opts: StripeOptions =
        genesys_billing::decode::from_str("options", r#"{"rounding":"half-even"}"#).unwrap();
    assert_eq!(
        to_stripe_items(&inv, &opts).unwrap()[0].amount(),
        Some(3700)
    );
    // Already a multiple of ten: unchanged (3.710 → 3710).
    let inv = of(vec![line("CX 3", "KWD", "1", "3.71", "3.710")]);
    assert_eq!(stripe(&inv)[0].amount(), Some(3710));
}

#[test]
fn stripe_isk_is_two_decimal_in_whole_kronur() {
    // ISO ISK has no decimals: an invoice of 1001 ISK → 100100 in Stripe.
    let items = stripe(&of(vec![line("CX 3", "ISK", "3", "333.5", "1001")]));
    assert_eq!(items[0].amount(), Some(100_100));
    let inv = of(vec![line("CX 3", "ISK", "3", "333.5", "1001")]);
    assert_eq!(stripe_quantity(&inv).1, "33350");
    // An invoice priced to aurar (currencyExponent 2): 1000.50 → 100050 →
    // whole krónur: half-up 100100, half-even 100000.
    let inv = of(vec![line("CX 3", "ISK", "1", "1000.50", "1000.50")]);
    assert_eq!(stripe(&inv)[0].amount(), Some(100_100));
    let opts: StripeOptions =
        genesys_billing::decode::from_str("options", r#"{"rounding":"half-even"}"#).unwrap();
    assert_eq!(
        to_stripe_items(&inv, &opts).unwrap()[0].amount(),
        Some(100_000)
    );
}

#[test]
fn stripe_mga_is_zero_decimal_unlike_iso() {
    // ISO MGA has 2 decimals; Stripe none: 12.50 → 13 (half-up).
    let items = stripe(&of(vec![line("CX 3", "MGA", "1", "12.50", "12.50")]));
    assert_eq!(items[0].amount(), Some(13));
}

#[test]
fn stripe_decimals_keep_at_most_12_places() {
    // 0.000000000000005 USD × 100 = 0.0000000000005 cents (13 places) →
    // half-up at 12: 0.000000000001. Quantity 1.0000000000005 → 1.000000000001.
    let inv = of(vec![line(
        "CX 3",
        "USD",
        "1.0000000000005",
        "0.000000000000005",
        "0.00",
    )]);
    assert_eq!(
        stripe_quantity(&inv),
        ("1.000000000001".into(), "0.000000000001".into())
    );
    assert_eq!(stripe(&inv)[0].amount(), Some(0));
}

#[test]
fn stripe_amounts_beyond_safe_integers_are_overflow() {
    // 2^53 − 1 = 9007199254740991 cents fits; 2^53 does not.
    let ok = of(vec![line(
        "CX 3",
        "USD",
        "1",
        "90071992547409.91",
        "90071992547409.91",
    )]);
    assert_eq!(stripe(&ok)[0].amount(), Some(9_007_199_254_740_991));
    let big = of(vec![line(
        "CX 3",
        "USD",
        "1",
        "90071992547409.92",
        "90071992547409.92",
    )]);
    let e = to_stripe_items(&big, &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "overflow");
    assert!(e.to_string().contains("line 1"), "{e}");
    let huge = of(vec![line(
        "CX 3",
        "USD",
        "1",
        "1",
        "79228162514264337593543950335",
    )]);
    assert_eq!(
        to_stripe_items(&huge, &StripeOptions::default())
            .unwrap_err()
            .code(),
        "overflow"
    );
    // Negative amounts (credits) are allowed down to −(2^53 − 1).
    let credit = of(vec![line("CX 3", "USD", "1", "-3.50", "-3.50")]);
    assert_eq!(stripe(&credit)[0].amount(), Some(-350));
}

#[test]
fn stripe_unpriced_lines_fail_or_are_skipped() {
    let e = to_stripe_items(&acme(), &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "unpriced_line");
    let msg = e.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("WEM") && msg.contains("skipUnpriced"),
        "{msg}"
    );
    let opts: StripeOptions =
        genesys_billing::decode::from_str("options", r#"{"skipUnpriced":true}"#).unwrap();
    let inv = acme();
    let items = to_stripe_items(&inv, &opts).unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.metadata["part_number"] == "PC-1"));
    // The skipped line is the one the invoice warns about.
    assert_eq!(inv.warnings.len(), 1);
    assert_eq!(inv.warnings[0].license_type.as_deref(), Some("WEM"));
}

#[test]
fn stripe_quantity_mode_warns_where_stripe_would_round() {
    // 3 × 0.835 = 2.505 → 2.51 USD on the invoice (half-up): 251 cents.
    // Stripe would get 3 × 83.5 = 250.5 cents and round it itself.
    let inv = of(vec![line("CX 3", "USD", "3", "0.835", "2.51")]);
    let items = to_stripe_items(&inv, &quantity_mode()).unwrap();
    let w = &items[0].metadata["genesys_warning"];
    assert_eq!(
        w,
        "stripe_amount_differs: Stripe computes 3 × 83.5 = 250.5 minor units and rounds it itself; this invoice line is 251 minor units (difference -0.5)"
    );
    // In "amount" mode the same line is exact: 251 cents, no warning.
    let items = stripe(&inv);
    assert_eq!(items[0].amount(), Some(251));
    assert!(!items[0].metadata.contains_key("genesys_warning"));
    // KWD: 3 × 1233.5 = 3700.5 fils exactly, but Stripe bills 3700 (ends in
    // 0): the warning says so too.
    let inv = of(vec![line("CX 3", "KWD", "3", "1.2335", "3.701")]);
    let items = to_stripe_items(&inv, &quantity_mode()).unwrap();
    assert!(items[0].metadata["genesys_warning"].contains("(difference 0.5)"));
}

#[test]
fn stripe_limits_are_checked_before_posting() {
    // A part number longer than a metadata value may be (500 characters).
    let mut l = line("CX 3", "USD", "1", "5", "5");
    l.part_number = Some("P".repeat(501));
    let e = to_stripe_items(&of(vec![l]), &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "stripe_limit");
    assert!(
        e.to_string()
            .contains(r#"the metadata value of "part_number", 501 characters (at most 500)"#),
        "{e}"
    );
    assert!(e.to_string().contains("line 1"), "{e}");
    // A license name that makes the description longer than 500 characters.
    let long = line(&"L".repeat(480), "USD", "1", "5", "5");
    let e = to_stripe_items(&of(vec![long]), &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "stripe_limit");
    assert!(
        e.to_string().contains("(at most 500)") && e.to_string().contains("description"),
        "{e}"
    );
    let fits = line(&"L".repeat(400), "USD", "1", "5", "5");
    assert_eq!(stripe(&of(vec![fits])).len(), 1);
    // 251 lines for one customer in one currency: more than one invoice holds.
    let lines: Vec<_> = (0..251)
        .map(|i| line(&format!("License {i}"), "USD", "1", "5", "5"))
        .collect();
    let e = to_stripe_items(&of(lines.clone()), &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "stripe_limit");
    assert!(
        e.to_string()
            .contains("251 items for one invoice (at most 250)")
            && e.to_string().contains("customer {{CUSTOMER:org-1}} in USD"),
        "{e}"
    );
    // 250 are fine.
    assert_eq!(stripe(&of(lines[..250].to_vec())).len(), 250);
}

#[test]
fn stripe_unknown_currency_needs_an_exponent() {
    let inv = of(vec![line("CX 3", "XBT", "1", "0.5", "0.5")]);
    let e = to_stripe_items(&inv, &StripeOptions::default()).unwrap_err();
    assert_eq!(e.code(), "unknown_currency");
    let opts: StripeOptions =
        genesys_billing::decode::from_str("options", r#"{"currencyExponent":8}"#).unwrap();
    // 0.5 × 10^8 = 50000000.
    assert_eq!(
        to_stripe_items(&inv, &opts).unwrap()[0].amount(),
        Some(50_000_000)
    );
    let opts: StripeOptions =
        genesys_billing::decode::from_str("options", r#"{"currencyExponent":29}"#).unwrap();
    assert_eq!(
        to_stripe_items(&inv, &opts).unwrap_err().code(),
        "invalid_option"
    );
}

#[test]
fn stripe_options_are_camel_case_and_strict() {
    let o: StripeOptions = genesys_billing::decode::from_str(
        "options",
        r#"{"customers":{"org-1":"cus_1"},"skipUnpriced":true}"#,
    )
    .unwrap();
    assert_eq!(o.customers["org-1"], "cus_1");
    assert!(o.skip_unpriced);
    for bad in [
        r#"{"mode":"both"}"#,
        r#"{"taxBehavior":"included"}"#,
        r#"{"mode":1}"#,
    ] {
        let e = genesys_billing::decode::from_str::<StripeOptions>("options", bad).unwrap_err();
        assert_eq!(e.code(), "wrong_type", "{bad}");
    }
    assert!(genesys_billing::decode::from_str::<StripeOptions>(
        "options",
        r#"{"skip_unpriced":true}"#
    )
    .is_err());
}

#[test]
fn stripe_rejects_a_period_that_ends_before_it_starts() {
    let mut l = line("CX 3", "USD", "1", "1", "1");
    l.period_end = Some("2026-09-01T00:00:00Z".into());
    assert_eq!(
        to_stripe_items(&of(vec![l]), &StripeOptions::default())
            .unwrap_err()
            .code(),
        "invalid_invoice"
    );
}
