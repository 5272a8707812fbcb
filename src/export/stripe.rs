//! Stripe invoice items (`POST /v1/invoiceitems` parameters), one per
//! priced invoice line. Nothing here calls Stripe: creating items needs a
//! secret key, so a server-side job posts what this returns.
//!
//! Decisions:
//! - Stripe takes either `amount` or `quantity_decimal` × `unit_amount_decimal`
//!   for one item, never both ("You may only specify one of these
//!   parameters: amount, quantity": stripe/stripe-php#777,
//!   laravel/cashier-stripe#1153). `mode` chooses:
//!   - `"amount"` (the default) bills exactly the invoice line: `amount` is
//!     its amount in Stripe's minor units, and the quantity and rate go into
//!     the description and `metadata.quantity` / `metadata.rate`;
//!   - `"quantity"` sends `quantity_decimal` and `unit_amount_decimal` (the
//!     rate in minor units) and lets Stripe multiply. Where the exact product
//!     is not our amount in minor units, Stripe's own rounding decides the
//!     cents, so the item carries `metadata.genesys_warning` saying by how
//!     much it may differ, instead of differing silently.
//! - Minor units follow `stripe_currency`. Where Stripe counts coarser than
//!   the invoice did (a three-decimal currency must end in 0, ISK in 00, MGA
//!   has no decimals in Stripe), the line amount is rounded once more, with
//!   `StripeOptions::rounding`; `metadata.invoice_amount` keeps the invoice's
//!   own figure so the difference can be reconciled.
//! - `amount` must fit JavaScript's safe integers (±2^53−1), because the
//!   item is handed to JS; beyond that it is an `overflow` error.
//! - `quantity_decimal` and `unit_amount_decimal` are decimal strings of at
//!   most 12 decimal places, Stripe's limit; a value with more is rounded
//!   half-up at 12.
//! - `tax_behavior` is `"exclusive"` unless `taxBehavior` says otherwise:
//!   Genesys prices are pre-tax.
//! - Limits Stripe enforces are checked here, as `stripe_limit` errors,
//!   rather than found when posting: metadata keys at most 40 characters
//!   without `[` `]`, values at most 500, at most 50 keys
//!   (docs.stripe.com/api/metadata), descriptions at most 500 characters,
//!   and at most 250 items on one
//!   customer's invoice in one currency (stripe-node 23.1.0,
//!   `InvoiceItemCreateParams.invoice`).
//! - `customer` comes from `StripeOptions::customers` (Genesys org id →
//!   Stripe customer id). An org not in the map gets the placeholder
//!   `{{CUSTOMER:<orgId>}}` (`{{CUSTOMER}}` for a line without an org id),
//!   which Stripe rejects, so an unmapped org cannot be billed by accident
//!   and the placeholder is easy to find and replace.
//! - `period.start` and `period.end` are both inclusive, as Stripe documents
//!   them (stripe-node 23.1.0 `InvoiceItemCreateParams.Period`): the
//!   Genesys end `…23:59:59.999Z` becomes its whole second `…23:59:59`. A
//!   line without both period dates has no `period`.
//! - An unpriced line cannot be a Stripe item (an item has an amount): it
//!   is an `unpriced_line` error naming the line, unless
//!   `skipUnpriced`, which leaves it out; the invoice's warnings already
//!   list every unpriced line for the caller to show.

use super::stripe_currency::{stripe_currency, StripeCurrency};
use super::{in_line, line_label};
use crate::dates::Timestamp;
use crate::decode::{self, fields, opt_bool, opt_one_of, opt_u32, optional, At, FromJson};
use crate::error::{BillingError, Result};
use crate::invoice::{Invoice, InvoiceLine};
use crate::json::{ToJson, Value, Writer};
use crate::money::{self, Rounding};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Stripe's limit on decimal places in `quantity_decimal` and
/// `unit_amount_decimal`.
const STRIPE_MAX_DP: u32 = 12;

/// Number.MAX_SAFE_INTEGER: the largest amount JavaScript holds exactly.
const JS_MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Stripe's metadata limits (docs.stripe.com/api/metadata).
const METADATA_MAX_KEYS: usize = 50;
const METADATA_MAX_KEY_CHARS: usize = 40;
const METADATA_MAX_VALUE_CHARS: usize = 500;

/// Stripe's limit on an invoice line's description: "The description field
/// on invoice line items has a maximum character length limit of 500"
/// (Stripe API changelog, 2018-10-31, as quoted in Dolibarr/dolibarr#9933).
const DESCRIPTION_MAX_CHARS: usize = 500;

/// Stripe's limit on the items of one invoice (stripe-node 23.1.0,
/// `InvoiceItemCreateParams.invoice`: "a maximum of 250 items per invoice").
const MAX_ITEMS_PER_INVOICE: usize = 250;

/// Which of Stripe's two ways of pricing an item the export uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StripeMode {
    /// `amount`: exactly the invoice line's amount.
    #[default]
    Amount,
    /// `quantity_decimal` × `unit_amount_decimal`, multiplied by Stripe.
    Quantity,
}

impl StripeMode {
    const NAMES: [(&'static str, StripeMode); 2] = [
        ("amount", StripeMode::Amount),
        ("quantity", StripeMode::Quantity),
    ];
}

/// Stripe's `tax_behavior` of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxBehavior {
    /// Tax is added on top: Genesys prices are pre-tax.
    #[default]
    Exclusive,
    Inclusive,
    Unspecified,
}

impl TaxBehavior {
    const NAMES: [(&'static str, TaxBehavior); 3] = [
        ("exclusive", TaxBehavior::Exclusive),
        ("inclusive", TaxBehavior::Inclusive),
        ("unspecified", TaxBehavior::Unspecified),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaxBehavior::Exclusive => "exclusive",
            TaxBehavior::Inclusive => "inclusive",
            TaxBehavior::Unspecified => "unspecified",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripeOptions {
    /// Genesys org id → Stripe customer id (`cus_…`).
    pub customers: BTreeMap<String, String>,
    /// Leaves unpriced lines out instead of failing.
    pub skip_unpriced: bool,
    /// How an amount is rounded where Stripe's minor unit is coarser than
    /// the invoice's (default half-up).
    pub rounding: Rounding,
    /// Stripe's exponent for a currency this crate does not know.
    pub currency_exponent: Option<u32>,
    /// `amount` (default) or `quantity`.
    pub mode: StripeMode,
    /// The items' `tax_behavior` (default exclusive).
    pub tax_behavior: TaxBehavior,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripePeriod {
    /// Unix seconds, inclusive.
    pub start: i64,
    /// Unix seconds, inclusive (the last whole second of the period).
    pub end: i64,
}

/// How an item is priced: one of Stripe's two exclusive ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StripePricing {
    /// `amount`, in minor units of Stripe's exponent for the currency.
    Amount(i64),
    /// `quantity_decimal` × `unit_amount_decimal` (the rate in minor units).
    Quantity {
        quantity_decimal: String,
        unit_amount_decimal: String,
    },
}

/// The parameters of one Stripe invoice item, with Stripe's field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeInvoiceItem {
    pub customer: String,
    /// Lower-case ISO code, as Stripe wants it.
    pub currency: String,
    pub pricing: StripePricing,
    pub description: String,
    pub period: Option<StripePeriod>,
    pub tax_behavior: TaxBehavior,
    pub metadata: BTreeMap<String, String>,
}

impl StripeInvoiceItem {
    /// The `amount` sent, in `"amount"` mode.
    pub fn amount(&self) -> Option<i64> {
        match self.pricing {
            StripePricing::Amount(a) => Some(a),
            StripePricing::Quantity { .. } => None,
        }
    }
}

impl FromJson for StripeOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [customers, skip, rounding, exponent, mode, tax] = fields(
            v,
            at,
            "StripeOptions",
            &[
                "customers",
                "skipUnpriced",
                "rounding",
                "currencyExponent",
                "mode",
                "taxBehavior",
            ],
            true,
        )?;
        Ok(StripeOptions {
            customers: optional(customers)
                .map(|c| decode::string_map(c, at, "customers"))
                .transpose()?
                .unwrap_or_default(),
            skip_unpriced: opt_bool(skip, at, "skipUnpriced")?.unwrap_or(false),
            rounding: Rounding::from_json(rounding, at)?.unwrap_or_default(),
            currency_exponent: opt_u32(exponent, at, "currencyExponent")?,
            mode: opt_one_of(mode, at, "mode", &StripeMode::NAMES)?.unwrap_or_default(),
            tax_behavior: opt_one_of(tax, at, "taxBehavior", &TaxBehavior::NAMES)?
                .unwrap_or_default(),
        })
    }
}

impl ToJson for StripeInvoiceItem {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("customer");
        w.string(&self.customer);
        w.key("currency");
        w.string(&self.currency);
        match &self.pricing {
            StripePricing::Amount(a) => {
                w.key("amount");
                w.i64(*a);
            }
            StripePricing::Quantity {
                quantity_decimal,
                unit_amount_decimal,
            } => {
                w.key("quantity_decimal");
                w.string(quantity_decimal);
                w.key("unit_amount_decimal");
                w.string(unit_amount_decimal);
            }
        }
        w.key("description");
        w.string(&self.description);
        if let Some(p) = &self.period {
            w.key("period");
            w.begin_object();
            w.key("start");
            w.i64(p.start);
            w.key("end");
            w.i64(p.end);
            w.end_object();
        }
        w.key("tax_behavior");
        w.string(self.tax_behavior.as_str());
        w.key("metadata");
        w.begin_object();
        for (k, v) in &self.metadata {
            w.key(k);
            w.string(v);
        }
        w.end_object();
        w.end_object();
    }
}

fn power_of_ten(exponent: u32, context: &str) -> Result<Decimal> {
    (0..exponent).try_fold(Decimal::ONE, |p, _| {
        money::checked_mul(p, Decimal::TEN, "the minor-unit factor", &context)
    })
}

/// `amount` in whole multiples of the currency's step, in minor units.
fn minor_units(
    amount: Decimal,
    currency: StripeCurrency,
    rounding: Rounding,
    context: &str,
) -> Result<i64> {
    const WHAT: &str = "the Stripe amount in minor units";
    let exact = money::checked_mul(
        amount,
        power_of_ten(currency.exponent, context)?,
        WHAT,
        &context,
    )?;
    let step = Decimal::from(currency.step);
    let steps = exact
        .checked_div(step)
        .ok_or_else(|| money::overflow(WHAT, &context))?;
    let minor = money::checked_mul(
        money::round_amount(steps, 0, rounding),
        step,
        WHAT,
        &context,
    )?;
    i64::try_from(minor)
        .ok()
        .filter(|m| (-JS_MAX_SAFE_INTEGER..=JS_MAX_SAFE_INTEGER).contains(m))
        .ok_or_else(|| money::overflow(WHAT, &context))
}

/// A decimal Stripe accepts: at most 12 places (rounded half-up there), no
/// trailing zeros.
fn stripe_decimal(value: Decimal) -> Decimal {
    money::round_amount(value, STRIPE_MAX_DP, Rounding::HalfUp).normalize()
}

fn period(line: &InvoiceLine) -> Result<Option<StripePeriod>> {
    let (Some(start), Some(end)) = (&line.period_start, &line.period_end) else {
        return Ok(None);
    };
    let start = Timestamp::parse("periodStart", start)?
        .unix_ms()
        .div_euclid(1000);
    // Inclusive, as Stripe documents it: the whole second of the last
    // instant (…23:59:59.999Z → …23:59:59).
    let end = Timestamp::parse("periodEnd", end)?
        .unix_ms()
        .div_euclid(1000);
    if end < start {
        return Err(BillingError::InvalidInvoice {
            reason: format!(
                "the period of line {:?} ends before it starts",
                line.license_type
            ),
        });
    }
    Ok(Some(StripePeriod { start, end }))
}

/// "CX 3 — on-demand, 2026-10: 3 × 0.835 USD": what the line is, and in
/// `"amount"` mode (where Stripe shows no quantity) how it was priced.
fn description(line: &InvoiceLine, rate: Decimal, mode: StripeMode) -> Result<String> {
    let month = line
        .period_start
        .as_deref()
        .map(|s| Timestamp::parse("periodStart", s).map(|t| t.year_month()))
        .transpose()?;
    let kind = line.kind.as_str();
    let mut text = match month {
        Some(m) => format!("{} — {kind}, {m}", line.license_type),
        None => format!("{} — {kind}", line.license_type),
    };
    if mode == StripeMode::Amount {
        text.push_str(&format!(
            ": {} × {} {}",
            money::to_plain(line.quantity),
            money::to_plain(rate),
            line.currency
        ));
    }
    Ok(text)
}

/// Stripe's metadata limits, checked before anything is posted.
fn check_metadata(metadata: &BTreeMap<String, String>, label: &str) -> Result<()> {
    let limit = |what: String| BillingError::StripeLimit {
        what,
        context: label.to_string(),
    };
    if metadata.len() > METADATA_MAX_KEYS {
        return Err(limit(format!(
            "{} metadata keys (at most {METADATA_MAX_KEYS})",
            metadata.len()
        )));
    }
    for (k, v) in metadata {
        if k.chars().count() > METADATA_MAX_KEY_CHARS || k.contains(['[', ']']) {
            return Err(limit(format!(
                "the metadata key {k:?} (at most {METADATA_MAX_KEY_CHARS} characters, no square brackets)"
            )));
        }
        let chars = v.chars().count();
        if chars > METADATA_MAX_VALUE_CHARS {
            return Err(limit(format!(
                "the metadata value of {k:?}, {chars} characters (at most {METADATA_MAX_VALUE_CHARS})"
            )));
        }
    }
    Ok(())
}

/// In `"quantity"` mode Stripe computes the amount itself; when the exact
/// product of what is sent is not our amount in minor units, its rounding
/// decides, and the item says so (with the figures) rather than differing
/// silently.
fn quantity_warning(
    quantity: Decimal,
    unit: Decimal,
    ours: i64,
    label: &str,
) -> Result<Option<String>> {
    let product = money::checked_mul(quantity, unit, "quantity × unit amount", &label)?;
    let ours = Decimal::from(ours);
    if product == ours {
        return Ok(None);
    }
    let by = money::checked_sub(product, ours, "the difference", &label)?;
    Ok(Some(format!(
        "stripe_amount_differs: Stripe computes {} × {} = {} minor units and rounds it itself; this invoice line is {} minor units (difference {})",
        money::to_plain(quantity),
        money::to_plain(unit),
        money::to_plain(product.normalize()),
        money::to_plain(ours),
        money::to_plain(by.normalize())
    )))
}

fn customer(line: &InvoiceLine, opts: &StripeOptions) -> String {
    match &line.organization_id {
        Some(id) => opts
            .customers
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("{{{{CUSTOMER:{id}}}}}")),
        None => "{{CUSTOMER}}".to_string(),
    }
}

/// One Stripe invoice item per priced line, in invoice order.
pub fn to_stripe_items(invoice: &Invoice, opts: &StripeOptions) -> Result<Vec<StripeInvoiceItem>> {
    crate::options::check_exponent(opts.currency_exponent)?;
    let mut items = Vec::with_capacity(invoice.lines.len());
    for (i, line) in invoice.lines.iter().enumerate() {
        let item = stripe_item(i, line, opts)
            .map_err(|e| e.at_line(i, line.organization_id.as_deref()))?;
        items.extend(item);
    }
    check_items_per_invoice(&items)?;
    Ok(items)
}

/// The Stripe item of line `i` (`None`: an unpriced line, skipped).
fn stripe_item(
    i: usize,
    line: &InvoiceLine,
    opts: &StripeOptions,
) -> Result<Option<StripeInvoiceItem>> {
    let label = line_label(i, line);
    let (Some(rate), Some(amount)) = (line.rate, line.amount) else {
        if opts.skip_unpriced {
            return Ok(None);
        }
        return Err(BillingError::UnpricedLine {
            line: label,
            target: "Stripe",
            option: "skipUnpriced",
        });
    };
    let currency = stripe_currency(&line.currency, opts.currency_exponent)?;
    let unit = money::checked_mul(
        rate,
        power_of_ten(currency.exponent, &label)?,
        "the unit amount in minor units",
        &label,
    )?;
    let mut metadata = BTreeMap::new();
    // Stripe treats an empty metadata value as "delete this key", so
    // absent values are left out rather than sent empty.
    if let Some(id) = line.organization_id.as_deref().filter(|s| !s.is_empty()) {
        metadata.insert("genesys_org_id".to_string(), id.to_string());
    }
    if let Some(p) = line.part_number.as_deref().filter(|s| !s.is_empty()) {
        metadata.insert("part_number".to_string(), p.to_string());
    }
    metadata.insert("kind".to_string(), line.kind.as_str().to_string());
    metadata.insert("invoice_amount".to_string(), money::to_plain(amount));
    metadata.insert("quantity".to_string(), money::to_plain(line.quantity));
    metadata.insert("rate".to_string(), money::to_plain(rate));
    let minor = minor_units(amount, currency, opts.rounding, &label)?;
    let pricing = match opts.mode {
        StripeMode::Amount => StripePricing::Amount(minor),
        StripeMode::Quantity => {
            let quantity = stripe_decimal(line.quantity);
            let unit = stripe_decimal(unit);
            if let Some(w) = quantity_warning(quantity, unit, minor, &label)? {
                metadata.insert("genesys_warning".to_string(), w);
            }
            StripePricing::Quantity {
                quantity_decimal: money::to_plain(quantity),
                unit_amount_decimal: money::to_plain(unit),
            }
        }
    };
    check_metadata(&metadata, &label)?;
    let description = description(line, rate, opts.mode).map_err(|e| in_line(e, &label))?;
    let chars = description.chars().count();
    if chars > DESCRIPTION_MAX_CHARS {
        return Err(BillingError::StripeLimit {
                what: format!(
                    "a description of {chars} characters (at most {DESCRIPTION_MAX_CHARS}): the license type is too long"
                ),
                context: label,
            });
    }
    Ok(Some(StripeInvoiceItem {
        customer: customer(line, opts),
        currency: line.currency.trim().to_ascii_lowercase(),
        pricing,
        description,
        period: period(line).map_err(|e| in_line(e, &label))?,
        tax_behavior: opts.tax_behavior,
        metadata,
    }))
}

/// One customer's items in one currency become one Stripe invoice, which
/// holds at most 250 items.
fn check_items_per_invoice(items: &[StripeInvoiceItem]) -> Result<()> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for item in items {
        *counts.entry((&item.customer, &item.currency)).or_default() += 1;
    }
    match counts
        .into_iter()
        .find(|(_, n)| *n > MAX_ITEMS_PER_INVOICE)
    {
        Some(((customer, currency), n)) => Err(BillingError::StripeLimit {
            what: format!(
                "{n} items for one invoice (at most {MAX_ITEMS_PER_INVOICE}); split the lines over several invoices"
            ),
            context: format!("customer {customer} in {}", currency.to_ascii_uppercase()),
        }),
        None => Ok(()),
    }
}
