//! The JavaScript API: the one place with `#[wasm_bindgen]` exports. It
//! converts inputs (a JSON string or the plain object the API returned),
//! results (plain JSON-compatible objects, decimals as strings) and errors
//! (`Error` objects with a stable `code`); billing logic lives elsewhere.

use crate::client::{self, Client, PartnerOptions, PollOptions, Target};
use crate::compare::{self, CompareOptions, Comparison};
use crate::dates::Timestamp;
use crate::decode::{self, FromJson};
use crate::error::BillingError;
use crate::export;
use crate::invoice::{self, Invoice};
use crate::json::{self, ToJson};
use crate::model::{BillingUsageReport, TrusteeBillingOverview};
use crate::money;
use crate::oauth::ClientCredentials;
use crate::options::{
    OverviewInvoiceOptions, OverviewInvoiceOptionsInput, UsageInvoiceOptions,
    UsageInvoiceOptionsInput,
};
use crate::pacer::DEFAULT_REQUESTS_PER_MINUTE;
use crate::region::REGIONS;
use crate::retry::RetryPolicy;
use std::cell::OnceCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("wasm_types.d.ts");

/// Builds the JS `Error` for `e`: `code`, `status` and the API's details
/// as properties, so callers can switch on them. The token is never part of
/// any message: no error is built from request headers.
fn js_error(e: &BillingError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("GenesysBillingError");
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", e.code().into());
    if let Some(s) = e.status() {
        set("status", s.into());
    }
    if let Some(d) = e.api_details() {
        let opt = |v: &Option<String>| v.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
        set("apiCode", opt(&d.api_code));
        set("apiMessage", opt(&d.message));
        set("contextId", opt(&d.context_id));
        set("correlationId", opt(&d.correlation_id));
    }
    if let Some(p) = e.permission() {
        set("permission", JsValue::from_str(p));
    }
    if let BillingError::InElement { index, .. } = e {
        set("index", JsValue::from(*index as u32));
    }
    // Where, as data: the same place the message names in words.
    let at = e.location();
    let text = |v: Option<String>| v.map(|s| JsValue::from_str(&s));
    let number = |v: Option<usize>| v.map(|n| JsValue::from(n as u32));
    for (key, value) in [
        ("organizationId", text(at.organization_id)),
        ("usageIndex", number(at.usage_index)),
        ("usageName", text(at.usage_name)),
        ("partNumber", text(at.part_number)),
        ("lineIndex", number(at.line_index)),
        ("field", text(at.field)),
    ] {
        if let Some(v) = value {
            set(key, v);
        }
    }
    err.into()
}

fn fail(e: BillingError) -> JsValue {
    js_error(&e)
}

/// Reads a JSON string or a plain JS object into `T`. Objects go through
/// the engine's native `JSON.stringify` and the crate's one JSON reader:
/// walking JS objects from Rust would need a second reader, and every
/// property read would cross the boundary.
fn from_js<T: FromJson>(what: &str, value: JsValue) -> Result<T, BillingError> {
    if let Some(s) = value.as_string() {
        return decode::from_str(what, &s);
    }
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| BillingError::WrongType {
            context: what.to_string(),
            detail: "expected a JSON string or a plain object".into(),
        })?;
    decode::from_str(what, &text)
}

/// Options may be left out entirely.
fn options_from_js<T: FromJson + Default>(value: JsValue) -> Result<T, BillingError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    from_js("options", value)
}

fn to_js<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    serialized(value).map_err(fail)
}

/// `Invoice.fromOverview`'s work, shared by the free function.
fn overview_invoice(overview: JsValue, options: JsValue) -> Result<Invoice, BillingError> {
    let o: TrusteeBillingOverview = from_js("the trustee billing overview", overview)?;
    let opts: OverviewInvoiceOptionsInput = options_from_js(options)?;
    invoice::from_overview(&o, &OverviewInvoiceOptions::try_from(opts)?)
}

/// `Invoice.fromUsage`'s work, shared by the free function.
fn usage_invoice(report: JsValue, options: JsValue) -> Result<Invoice, BillingError> {
    let r: BillingUsageReport = from_js("the billable-usage report", report)?;
    let opts: UsageInvoiceOptionsInput = from_js("options", options)?;
    invoice::from_usage(&r, &UsageInvoiceOptions::try_from(opts)?)
}

#[wasm_bindgen(js_name = invoiceFromOverview, unchecked_return_type = "PlainInvoice")]
pub fn invoice_from_overview(
    #[wasm_bindgen(unchecked_param_type = "TrusteeBillingOverview | string")] overview: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OverviewInvoiceOptions | undefined")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let inv = overview_invoice(overview, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)?;
    to_js(&inv)
}

#[wasm_bindgen(js_name = invoiceFromUsage, unchecked_return_type = "PlainInvoice")]
pub fn invoice_from_usage(
    #[wasm_bindgen(unchecked_param_type = "BillingUsageReport | string")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "UsageInvoiceOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&usage_invoice(report, options).map_err(fail)?)
}

/// The invoice an export is given: an `Invoice` is used as it is (it was
/// checked when it was made); a plain invoice or its JSON text is parsed and
/// checked, since JavaScript may have edited it.
fn invoice_arg(value: JsValue) -> Result<Rc<Invoice>, BillingError> {
    if let Some(inv) = handles::lookup(&value)? {
        return Ok(inv);
    }
    let inv: Invoice = from_js("the invoice", value)?;
    inv.check()?;
    Ok(Rc::new(inv))
}

fn csv_text(inv: &Invoice, options: JsValue) -> Result<String, BillingError> {
    export::csv::to_csv(inv, &options_from_js(options)?)
}

fn focus_text(inv: &Invoice, options: JsValue) -> Result<String, BillingError> {
    export::focus::to_focus_csv(inv, &options_from_js(options)?)
}

fn stripe_items(inv: &Invoice, options: JsValue) -> Result<JsValue, BillingError> {
    serialized(&export::stripe::to_stripe_items(
        inv,
        &options_from_js(options)?,
    )?)
}

/// Options that must be given (an accounting import needs its invoice
/// date): left out, they read as `{}`, so the error names the first
/// missing field rather than the argument's type.
fn required_options<T: FromJson>(value: JsValue) -> Result<T, BillingError> {
    if value.is_undefined() || value.is_null() {
        return decode::from_str("options", "{}");
    }
    from_js("options", value)
}

/// An accounting import (`{csv, warnings}`) with its options read from JS.
fn accounting<T: FromJson>(
    inv: &Invoice,
    options: JsValue,
    export: fn(&Invoice, &T) -> Result<export::AccountingExport, BillingError>,
) -> Result<JsValue, BillingError> {
    serialized(&export(inv, &required_options(options)?)?)
}

#[wasm_bindgen(js_name = invoiceToCsv)]
pub fn invoice_to_csv(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CsvOptions | undefined")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let inv = invoice_arg(invoice).map_err(fail)?;
    csv_text(&inv, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
}

#[wasm_bindgen(js_name = invoiceToFocus)]
pub fn invoice_to_focus(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FocusOptions | undefined")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let inv = invoice_arg(invoice).map_err(fail)?;
    focus_text(&inv, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
}

#[wasm_bindgen(js_name = invoiceToStripeItems, unchecked_return_type = "StripeInvoiceItem[]")]
pub fn invoice_to_stripe_items(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StripeOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let inv = invoice_arg(invoice).map_err(fail)?;
    stripe_items(&inv, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
}

/// What changed from `previous` to `current` (see `compare`).
fn comparison(
    previous: &Invoice,
    current: &Invoice,
    options: JsValue,
) -> Result<JsValue, BillingError> {
    let opts: CompareOptions = options_from_js(options)?;
    serialized(&compare::compare(previous, current, &opts)?)
}

#[wasm_bindgen(js_name = compareInvoices, unchecked_return_type = "Comparison")]
pub fn compare_invoices(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] previous: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CompareOptions | undefined")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let previous = invoice_arg(previous).map_err(fail)?;
    let current = invoice_arg(current).map_err(fail)?;
    comparison(&previous, &current, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
}

/// A comparison (as `compareInvoices` gave it) as formula-safe CSV.
#[wasm_bindgen(js_name = comparisonToCsv)]
pub fn comparison_to_csv(
    #[wasm_bindgen(unchecked_param_type = "Comparison | string")] comparison: JsValue,
) -> Result<String, JsValue> {
    let c: Comparison = from_js("the comparison", comparison).map_err(fail)?;
    export::comparison_to_csv(&c).map_err(fail)
}

#[wasm_bindgen(js_name = invoiceToXeroCsv, unchecked_return_type = "AccountingExport")]
pub fn invoice_to_xero_csv(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "XeroOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let inv = invoice_arg(invoice).map_err(fail)?;
    accounting(&inv, options, export::to_xero_csv).map_err(fail)
}

#[wasm_bindgen(js_name = invoiceToQuickBooksCsv, unchecked_return_type = "AccountingExport")]
pub fn invoice_to_quickbooks_csv(
    #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "QuickBooksOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let inv = invoice_arg(invoice).map_err(fail)?;
    accounting(&inv, options, export::to_quickbooks_csv).map_err(fail)
}

/// Which JS values are `Invoice` handles. wasm-bindgen can only take a class
/// instance *out* of a `JsValue` by consuming it, and an export must not
/// consume the caller's invoice; so each handle has an id, readable through a
/// hidden getter, and this table maps live ids to their invoices. A handle
/// leaves the table when it is dropped (`free()` or garbage collection).
mod handles {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    /// The hidden getter's name: not in the types, not enumerable.
    pub(super) const ID_KEY: &str = "__genesysBillingInvoiceId";

    thread_local! {
        static NEXT: Cell<u32> = const { Cell::new(1) };
        static LIVE: RefCell<HashMap<u32, Rc<Invoice>>> = RefCell::new(HashMap::new());
    }

    pub(super) fn register(inv: &Rc<Invoice>) -> u32 {
        let id = NEXT.with(|n| {
            let id = n.get();
            // Wrapping after 4 billion handles: ids of long-dropped handles
            // are reused, never those of live ones (skipped below).
            n.set(id.wrapping_add(1).max(1));
            id
        });
        LIVE.with(|l| {
            let mut l = l.borrow_mut();
            let mut id = id;
            while l.contains_key(&id) {
                id = id.wrapping_add(1).max(1);
            }
            l.insert(id, inv.clone());
            id
        })
    }

    pub(super) fn forget(id: u32) {
        LIVE.with(|l| l.borrow_mut().remove(&id));
    }

    /// The invoice behind `value` if it is a live handle; an error if it is a
    /// handle already freed (its getter throws), `None` for anything else.
    pub(super) fn lookup(value: &JsValue) -> Result<Option<Rc<Invoice>>, BillingError> {
        if !value.is_object() {
            return Ok(None);
        }
        let freed = || BillingError::InvalidInvoice {
            reason: "this Invoice was freed (free() was called on it)".into(),
        };
        let id = js_sys::Reflect::get(value, &JsValue::from_str(ID_KEY)).map_err(|_| freed())?;
        let Some(id) = id.as_f64() else {
            return Ok(None);
        };
        LIVE.with(|l| l.borrow().get(&(id as u32)).cloned())
            .map(Some)
            .ok_or_else(freed)
    }
}

/// An invoice kept inside the wasm module: exports read it where it is, with
/// no JSON round trip and no second check. `lines`, `totals` and `warnings`
/// are plain objects built on first access and cached; `toJSON()` gives the
/// plain invoice, so `JSON.stringify(invoice)` is the invoice's JSON. Memory
/// is reclaimed by `free()`, or by the garbage collector when the handle is
/// no longer reachable.
#[wasm_bindgen(js_name = Invoice)]
pub struct InvoiceJs {
    id: u32,
    invoice: Rc<Invoice>,
    lines: OnceCell<JsValue>,
    totals: OnceCell<JsValue>,
    warnings: OnceCell<JsValue>,
}

impl InvoiceJs {
    fn new(invoice: Invoice) -> InvoiceJs {
        Self::shared(Rc::new(invoice))
    }

    fn shared(invoice: Rc<Invoice>) -> InvoiceJs {
        InvoiceJs {
            id: handles::register(&invoice),
            invoice,
            lines: OnceCell::new(),
            totals: OnceCell::new(),
            warnings: OnceCell::new(),
        }
    }

    /// A part of the invoice as plain objects, built once.
    fn cached<T: ToJson + ?Sized>(cell: &OnceCell<JsValue>, part: &T) -> Result<JsValue, JsValue> {
        if let Some(v) = cell.get() {
            return Ok(v.clone());
        }
        let v = to_js(part)?;
        Ok(cell.get_or_init(|| v).clone())
    }
}

impl Drop for InvoiceJs {
    fn drop(&mut self) {
        handles::forget(self.id);
    }
}

#[wasm_bindgen(js_class = Invoice)]
impl InvoiceJs {
    /// Invoice lines for one customer org from its trustee billing overview
    /// (the object the API returned, or its JSON text).
    #[wasm_bindgen(js_name = fromOverview)]
    pub fn from_overview(
        #[wasm_bindgen(unchecked_param_type = "TrusteeBillingOverview | string")] overview: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OverviewInvoiceOptions | undefined")]
        options: Option<JsValue>,
    ) -> Result<InvoiceJs, JsValue> {
        overview_invoice(overview, options.unwrap_or(JsValue::UNDEFINED))
            .map(InvoiceJs::new)
            .map_err(fail)
    }

    /// Many orgs' overviews, with the same options, as one invoice (what a
    /// partner run gives). A bad element throws its usual error, which also
    /// names its index (`error.index`) and, where readable, its org.
    #[wasm_bindgen(js_name = fromOverviews)]
    pub fn from_overviews(
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<TrusteeBillingOverview | string>")]
        overviews: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OverviewInvoiceOptions | undefined")]
        options: Option<JsValue>,
    ) -> Result<InvoiceJs, JsValue> {
        let run = || -> Result<Invoice, BillingError> {
            let list =
                overviews
                    .dyn_ref::<js_sys::Array>()
                    .ok_or_else(|| BillingError::WrongType {
                        context: "the overviews".into(),
                        detail: "expected an array of overviews (objects or JSON texts)".into(),
                    })?;
            let opts: OverviewInvoiceOptionsInput =
                options_from_js(options.unwrap_or(JsValue::UNDEFINED))?;
            let opts = OverviewInvoiceOptions::try_from(opts)?;
            let overviews = list
                .iter()
                .map(|item| from_js("the trustee billing overview", item));
            invoice::from_overviews(overviews, &opts)
        };
        run().map(InvoiceJs::new).map_err(fail)
    }

    /// Invoice lines for one org from a billable-usage report, priced from
    /// `options.priceBook` in `options.currency`.
    #[wasm_bindgen(js_name = fromUsage)]
    pub fn from_usage(
        #[wasm_bindgen(unchecked_param_type = "BillingUsageReport | string")] report: JsValue,
        #[wasm_bindgen(unchecked_param_type = "UsageInvoiceOptions")] options: JsValue,
    ) -> Result<InvoiceJs, JsValue> {
        usage_invoice(report, options)
            .map(InvoiceJs::new)
            .map_err(fail)
    }

    /// An invoice from its plain form or JSON text (as `toJSON()` or
    /// `JSON.stringify` gave it), parsed and checked once; an `Invoice` gives
    /// a second handle on the same invoice.
    pub fn from(
        #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] invoice: JsValue,
    ) -> Result<InvoiceJs, JsValue> {
        invoice_arg(invoice).map(InvoiceJs::shared).map_err(fail)
    }

    /// The invoice lines (Company, License type, Quantity, Rate, Amount, …).
    #[wasm_bindgen(getter, unchecked_return_type = "InvoiceLine[]")]
    pub fn lines(&self) -> Result<JsValue, JsValue> {
        Self::cached(&self.lines, &self.invoice.lines)
    }

    /// One total per organization and currency.
    #[wasm_bindgen(getter, unchecked_return_type = "InvoiceTotal[]")]
    pub fn totals(&self) -> Result<JsValue, JsValue> {
        Self::cached(&self.totals, &self.invoice.totals)
    }

    /// The org totals summed per currency: `{currency, amount, organizations,
    /// incomplete}` (built on each read).
    #[wasm_bindgen(getter, js_name = currencyTotals, unchecked_return_type = "CurrencyTotal[]")]
    pub fn currency_totals(&self) -> Result<JsValue, JsValue> {
        invoice::currency_totals(&self.invoice.totals)
            .and_then(|c| serialized(&c))
            .map_err(fail)
    }

    /// Unpriced lines, incomplete reports and other things to look at.
    #[wasm_bindgen(getter, unchecked_return_type = "InvoiceWarning[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        Self::cached(&self.warnings, &self.invoice.warnings)
    }

    /// The plain invoice `{lines, totals, warnings}`, freshly built from the
    /// invoice itself (edits to the cached `lines` objects do not reach it).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PlainInvoice")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&*self.invoice)
    }

    /// CSV (RFC 4180, formula-safe), as `invoiceToCsv`.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CsvOptions | undefined")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        csv_text(&self.invoice, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
    }

    /// FOCUS cost-and-usage CSV, as `invoiceToFocus`.
    #[wasm_bindgen(js_name = toFocus)]
    pub fn to_focus(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FocusOptions | undefined")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        focus_text(&self.invoice, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
    }

    /// Stripe invoice items, as `invoiceToStripeItems`.
    #[wasm_bindgen(js_name = toStripeItems, unchecked_return_type = "StripeInvoiceItem[]")]
    pub fn to_stripe_items(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StripeOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        stripe_items(&self.invoice, options.unwrap_or(JsValue::UNDEFINED)).map_err(fail)
    }

    /// What changed since `previous` (this invoice being the current period),
    /// as `compareInvoices(previous, this)`.
    #[wasm_bindgen(js_name = compareWith, unchecked_return_type = "Comparison")]
    pub fn compare_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Invoice | PlainInvoice | string")] previous: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CompareOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let previous = invoice_arg(previous).map_err(fail)?;
        comparison(
            &previous,
            &self.invoice,
            options.unwrap_or(JsValue::UNDEFINED),
        )
        .map_err(fail)
    }

    /// A Xero sales-invoice import, as `invoiceToXeroCsv`.
    #[wasm_bindgen(js_name = toXeroCsv, unchecked_return_type = "AccountingExport")]
    pub fn to_xero_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "XeroOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        accounting(&self.invoice, options, export::to_xero_csv).map_err(fail)
    }

    /// A QuickBooks Online invoice import, as `invoiceToQuickBooksCsv`.
    #[wasm_bindgen(js_name = toQuickBooksCsv, unchecked_return_type = "AccountingExport")]
    pub fn to_quickbooks_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QuickBooksOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        accounting(&self.invoice, options, export::to_quickbooks_csv).map_err(fail)
    }

    /// How exports recognise a handle (see `handles`); not part of the API.
    #[wasm_bindgen(getter, js_name = __genesysBillingInvoiceId, skip_typescript)]
    pub fn handle_id(&self) -> u32 {
        self.id
    }
}

/// A usage price book file's text (JSON `{"usage name": rate}` or CSV
/// lines `usage name,rate`) as `invoiceFromUsage`'s `priceBook`, checked by
/// the core's rules (see `price_book`).
#[wasm_bindgen(
    js_name = parseUsagePriceBook,
    unchecked_return_type = "Record<string, DecimalString>"
)]
pub fn parse_usage_price_book(text: &str) -> Result<JsValue, JsValue> {
    price_book_js(text, crate::price_book::PriceBookKind::Usage)
}

/// An overview price book file's text (JSON `{"part number or usage name":
/// {"prepay": rate, "onDemand": rate}}`) as `invoiceFromOverview`'s
/// `priceBook`, checked by the core's rules.
#[wasm_bindgen(
    js_name = parseOverviewPriceBook,
    unchecked_return_type = "Record<string, RateOverride>"
)]
pub fn parse_overview_price_book(text: &str) -> Result<JsValue, JsValue> {
    price_book_js(text, crate::price_book::PriceBookKind::Overview)
}

fn price_book_js(text: &str, kind: crate::price_book::PriceBookKind) -> Result<JsValue, JsValue> {
    crate::price_book::parse(text, kind)
        .and_then(|b| serialized(&b))
        .map_err(fail)
}

/// Checks a decimal string by the rule every amount, rate and quantity of
/// this package follows (digits, an optional `.` and fraction, a leading
/// `-`; nothing else): throws `invalid_decimal` naming `field` otherwise.
/// For forms that want to refuse what the package would refuse.
#[wasm_bindgen(js_name = checkDecimal)]
pub fn check_decimal(value: &str, field: Option<String>) -> Result<(), JsValue> {
    let field = field.unwrap_or_else(|| "value".to_string());
    money::parse_decimal(&field, &"the input", value)
        .map(|_| ())
        .map_err(fail)
}

/// Every Genesys Cloud region: `{id, domain, name, clientAppEnvironment}`.
#[wasm_bindgen(unchecked_return_type = "Region[]")]
pub fn regions() -> Result<JsValue, JsValue> {
    to_js(REGIONS)
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, BillingError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| BillingError::InvalidOption {
            option: key.into(),
            reason: "must be a string".into(),
        })
}

fn opt_u64(obj: &JsValue, key: &str, max: u64) -> Result<Option<u64>, BillingError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= max as f64 => Ok(Some(n as u64)),
        _ => Err(BillingError::InvalidOption {
            option: key.into(),
            reason: format!("must be a whole number from 0 to {max}"),
        }),
    }
}

fn signal_of(opts: &JsValue) -> Result<Option<AbortSignal>, BillingError> {
    let v = get(opts, "signal");
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<AbortSignal>()
        .map(Some)
        .map_err(|_| BillingError::InvalidOption {
            option: "signal".into(),
            reason: "must be an AbortSignal".into(),
        })
}

/// A date given as an ISO-8601 string or a JS `Date`.
fn date_arg(field: &str, v: &JsValue) -> Result<Timestamp, BillingError> {
    let text = if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        if d.get_time().is_nan() {
            return Err(BillingError::InvalidDate {
                field: format!("`{field}`"),
                detail: "an invalid Date".into(),
            });
        }
        String::from(d.to_iso_string())
    } else if let Some(s) = v.as_string() {
        s
    } else {
        return Err(BillingError::InvalidDate {
            field: format!("`{field}`"),
            detail: "expected an ISO-8601 string or a Date".into(),
        });
    };
    Timestamp::parse(field, &text)
}

/// A plain object with these properties.
fn plain_with(props: &[(&str, JsValue)]) -> Result<JsValue, BillingError> {
    let result = js_sys::Object::new();
    for (k, v) in props {
        let _ = js_sys::Reflect::set(&result, &JsValue::from_str(k), v);
    }
    Ok(result.into())
}

/// The comparison thresholds a partner comparison's options may carry.
const COMPARE_KEYS: [&str; 3] = [
    "overageAmount",
    "overageQuantityIncrease",
    "totalIncreasePercent",
];

/// Which partner run the options are for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PartnerRunKind {
    /// `partnerInvoices`: the period is `billingPeriodIndex`.
    Invoices,
    /// `partnerComparison`: the period is `currentPeriodIndex`, beside
    /// `previousPeriodIndex` and the comparison thresholds.
    Comparison,
}

/// A partner run's options: the signal, the fan-out's options (the period,
/// default 0) and, for a comparison, its thresholds. Every other property
/// must be an invoice option: checked strictly, so a misspelt one (or a
/// threshold given to `partnerInvoices`) is an error rather than ignored.
fn partner_options(
    opts: &JsValue,
    kind: PartnerRunKind,
) -> Result<(Option<AbortSignal>, PartnerOptions, CompareOptions), BillingError> {
    let (period_key, also_known): (&str, &[&str]) = match kind {
        PartnerRunKind::Invoices => ("billingPeriodIndex", &[]),
        PartnerRunKind::Comparison => ("currentPeriodIndex", &["previousPeriodIndex"]),
    };
    let signal = signal_of(opts)?;
    let billing_period_index = opt_u64(opts, period_key, 1000)?.unwrap_or(0) as u32;
    let concurrency = opt_u64(opts, "concurrency", 32)?.unwrap_or(4).max(1) as usize;
    let on_progress = match get(opts, "onProgress") {
        v if v.is_undefined() || v.is_null() => None,
        v => Some(
            v.dyn_into::<js_sys::Function>()
                .map_err(|_| BillingError::InvalidOption {
                    option: "onProgress".into(),
                    reason: "must be a function".into(),
                })?,
        ),
    };
    let invoice_opts = js_sys::Object::new();
    let compare_opts = js_sys::Object::new();
    if opts.is_object() {
        js_sys::Object::assign(&invoice_opts, opts.unchecked_ref());
        let fan_out_keys = ["signal", period_key, "concurrency", "onProgress"];
        for key in fan_out_keys.iter().chain(also_known) {
            let _ = js_sys::Reflect::delete_property(&invoice_opts, &JsValue::from_str(key));
        }
        if kind == PartnerRunKind::Comparison {
            for key in COMPARE_KEYS {
                let k = JsValue::from_str(key);
                let v = js_sys::Reflect::get(&invoice_opts, &k).unwrap_or(JsValue::UNDEFINED);
                if !v.is_undefined() {
                    let _ = js_sys::Reflect::set(&compare_opts, &k, &v);
                }
                let _ = js_sys::Reflect::delete_property(&invoice_opts, &k);
            }
        }
    }
    let invoice: OverviewInvoiceOptionsInput = from_js("options", invoice_opts.into())?;
    let compare: CompareOptions = from_js("options", compare_opts.into())?;
    Ok((
        signal,
        PartnerOptions {
            billing_period_index,
            concurrency,
            invoice: OverviewInvoiceOptions::try_from(invoice)?,
            on_progress,
        },
        compare,
    ))
}

/// A token from the client-credentials grant, for a server-side job: refused
/// in a browser (`browser_secret`), where a secret would be public.
#[wasm_bindgen(js_name = clientCredentialsToken, unchecked_return_type = "Promise<AccessToken>")]
pub fn client_credentials_token(
    #[wasm_bindgen(unchecked_param_type = "ClientCredentialsOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestOptions | undefined")] request: Option<JsValue>,
) -> js_sys::Promise {
    let request = request.unwrap_or(JsValue::UNDEFINED);
    promise(async move {
        let required = |key: &str| -> Result<String, BillingError> {
            opt_string(&options, key)?.ok_or_else(|| BillingError::InvalidOption {
                option: key.into(),
                reason: "is required".into(),
            })
        };
        let credentials = ClientCredentials::new(required("clientId")?, required("clientSecret")?)?;
        let login = match (
            opt_string(&options, "region")?,
            opt_string(&options, "loginBaseUrl")?,
        ) {
            (Some(r), None) => Target::Region(r),
            (None, Some(u)) => Target::BaseUrl(u),
            _ => {
                return Err(BillingError::InvalidOption {
                    option: "region".into(),
                    reason: "give exactly one of `region` and `loginBaseUrl`".into(),
                })
            }
        };
        let signal = signal_of(&request)?;
        let token = client::client_credentials_token(
            &credentials,
            login,
            RetryPolicy::default(),
            signal.as_ref(),
        )
        .await?;
        serialized(&token)
    })
}

/// A Genesys Cloud API client for one access token.
#[wasm_bindgen(js_name = BillingClient)]
pub struct BillingClientJs {
    inner: Rc<Client>,
}

fn promise<F>(future: F) -> js_sys::Promise
where
    F: std::future::Future<Output = Result<JsValue, BillingError>> + 'static,
{
    wasm_bindgen_futures::future_to_promise(async move { future.await.map_err(fail) })
}

/// Results cross as JSON text and come out of the engine's `JSON.parse` as
/// plain objects: no `Map`s, no numbers where decimals were strings.
fn serialized<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, BillingError> {
    js_sys::JSON::parse(&json::to_string(value)).map_err(|_| BillingError::WrongType {
        context: "the result".into(),
        detail: "JSON.parse failed".into(),
    })
}

#[wasm_bindgen(js_class = BillingClient)]
impl BillingClientJs {
    /// `{accessToken, region}` or `{accessToken, apiBaseUrl}`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "BillingClientOptions")] options: JsValue,
    ) -> Result<BillingClientJs, JsValue> {
        let build = || -> Result<Client, BillingError> {
            let token = opt_string(&options, "accessToken")?.ok_or_else(|| {
                BillingError::InvalidOption {
                    option: "accessToken".into(),
                    reason: "is required".into(),
                }
            })?;
            let target = match (
                opt_string(&options, "region")?,
                opt_string(&options, "apiBaseUrl")?,
            ) {
                (Some(r), None) => Target::Region(r),
                (None, Some(u)) => Target::BaseUrl(u),
                _ => {
                    return Err(BillingError::InvalidOption {
                        option: "region".into(),
                        reason: "give exactly one of `region` and `apiBaseUrl`".into(),
                    })
                }
            };
            let mut policy = RetryPolicy::default();
            if let Some(n) = opt_u64(&options, "maxAttempts", 100)? {
                policy.max_attempts = n.max(1) as u32;
            }
            if let Some(n) = opt_u64(&options, "maxRetryWaitMs", 86_400_000)? {
                policy.max_total_wait_ms = n;
            }
            if let Some(n) = opt_u64(&options, "retryBaseDelayMs", 600_000)? {
                policy.base_delay_ms = n;
            }
            if let Some(n) = opt_u64(&options, "retryAfterCapSeconds", 86_400)? {
                policy.retry_after_cap_secs = n;
            }
            let per_minute = opt_u64(&options, "requestsPerMinute", 1_000_000)?
                .map_or(DEFAULT_REQUESTS_PER_MINUTE, |n| n as u32);
            Ok(Client::new(&token, target, policy)?.with_requests_per_minute(per_minute))
        };
        build()
            .map(|c| BillingClientJs { inner: Rc::new(c) })
            .map_err(fail)
    }

    /// The API origin this client sends its token to.
    #[wasm_bindgen(getter, js_name = apiBaseUrl)]
    pub fn api_base_url(&self) -> String {
        self.inner.origin().to_string()
    }

    #[wasm_bindgen(js_name = billableUsage, unchecked_return_type = "Promise<BillingUsageReport>")]
    pub fn billable_usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Date")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Date")] end: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BillableUsageOptions | undefined")] opts: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let opts = opts.unwrap_or(JsValue::UNDEFINED);
        promise(async move {
            let start = date_arg("startDate", &start)?;
            let end = date_arg("endDate", &end)?;
            let mut poll = PollOptions::default();
            if let Some(n) = opt_u64(&opts, "pollIntervalMs", 3_600_000)? {
                poll.interval_ms = n;
            }
            if let Some(n) = opt_u64(&opts, "timeoutMs", 86_400_000)? {
                poll.timeout_ms = n;
            }
            let signal = signal_of(&opts)?;
            let report = client
                .billable_usage(&start, &end, poll, signal.as_ref())
                .await?;
            serialized(&report)
        })
    }

    #[wasm_bindgen(
        js_name = trusteeBillingOverview,
        unchecked_return_type = "Promise<TrusteeBillingOverview>"
    )]
    pub fn trustee_billing_overview(
        &self,
        #[wasm_bindgen(js_name = trustorOrgId)] org_id: String,
        #[wasm_bindgen(js_name = billingPeriodIndex)] billing_period_index: Option<u32>,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions | undefined")] opts: Option<JsValue>,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let opts = opts.unwrap_or(JsValue::UNDEFINED);
        wasm_bindgen_futures::future_to_promise(async move {
            let result = async {
                let signal = signal_of(&opts)?;
                let o = client
                    .trustee_billing_overview(
                        &org_id,
                        billing_period_index.unwrap_or(0),
                        signal.as_ref(),
                    )
                    .await?;
                serialized(&o)
            }
            .await;
            // An error about one org says which, as partner-run failures do.
            result.map_err(|e| js_error(&e.for_org(&org_id)))
        })
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Trustor[]>")]
    pub fn trustors(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions | undefined")] opts: Option<JsValue>,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let opts = opts.unwrap_or(JsValue::UNDEFINED);
        promise(async move {
            let signal = signal_of(&opts)?;
            serialized(&client.trustors(signal.as_ref()).await?)
        })
    }

    #[wasm_bindgen(js_name = partnerInvoices, unchecked_return_type = "Promise<PartnerInvoices>")]
    pub fn partner_invoices(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PartnerInvoicesOptions | undefined")] opts: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        let opts = opts.unwrap_or(JsValue::UNDEFINED);
        promise(async move {
            let (signal, options, _) = partner_options(&opts, PartnerRunKind::Invoices)?;
            let run = client.partner_invoices(options, signal).await?;
            // The invoice stays in wasm, as an `Invoice`; the rest is plain.
            plain_with(&[
                ("invoice", InvoiceJs::new(run.invoice).into()),
                ("failures", serialized(&run.failures)?),
                ("skipped", serialized(&run.skipped)?),
            ])
        })
    }

    /// Both periods' invoices of every enabled customer org, in one paced
    /// fan-out, and their comparison.
    #[wasm_bindgen(
        js_name = partnerComparison,
        unchecked_return_type = "Promise<PartnerComparison>"
    )]
    pub fn partner_comparison(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PartnerComparisonOptions")] opts: JsValue,
    ) -> js_sys::Promise {
        let client = self.inner.clone();
        promise(async move {
            let previous = opt_u64(&opts, "previousPeriodIndex", 1000)?.ok_or_else(|| {
                BillingError::InvalidOption {
                    option: "previousPeriodIndex".into(),
                    reason: "is required".into(),
                }
            })? as u32;
            let (signal, options, compare) = partner_options(&opts, PartnerRunKind::Comparison)?;
            let run = client
                .partner_comparison(options, previous, &compare, signal)
                .await?;
            plain_with(&[
                ("comparison", serialized(&run.comparison)?),
                ("previous", InvoiceJs::new(run.previous).into()),
                ("current", InvoiceJs::new(run.current).into()),
                ("failures", serialized(&run.failures)?),
                ("skipped", serialized(&run.skipped)?),
            ])
        })
    }
}
