//! Stripe invoice items (`POST /v1/invoiceitems` parameters), one per
//! priced invoice line. Nothing here calls Stripe: creating items needs a
//! secret key, so a server-side job posts what this returns.
//!
//! Decisions:
//! - `amount` is the invoice line's amount in Stripe's minor units (see
//!   `stripe_currency`). Where Stripe counts coarser than the invoice did
//!   (a three-decimal currency must end in 0, ISK in 00, MGA has no
//!   decimals in Stripe), the line amount is rounded once more, with
//!   `StripeOptions::rounding`; `metadata.invoice_amount` keeps the invoice's
//!   own figure so the difference can be reconciled.
//! - `amount` must fit JavaScript's safe integers (±2^53−1), because the
//!   item is handed to JS; beyond that it is an `overflow` error.
//! - `quantity_decimal` and `unit_amount_decimal` (the rate in minor units)
//!   are decimal strings of at most 12 decimal places, Stripe's limit; a
//!   value with more is rounded half-up at 12. Stripe takes either `amount`
//!   or quantity × unit amount for one item: post `amount` to bill exactly
//!   the invoice, or drop it to let Stripe multiply.
//! - `customer` comes from `StripeOptions::customers` (Genesys org id →
//!   Stripe customer id). An org not in the map gets the placeholder
//!   `{{CUSTOMER:<orgId>}}` (`{{CUSTOMER}}` for a line without an org id),
//!   which Stripe rejects, so an unmapped org cannot be billed by accident
//!   and the placeholder is easy to find and replace.
//! - `period.end` is exclusive, like the periods Stripe puts on
//!   subscription items (the end is the next period's start): the inclusive
//!   Genesys end `…23:59:59.999Z` becomes the next whole second, as in the
//!   FOCUS export. A line without both period dates has no `period`.
//! - An unpriced line cannot be a Stripe item (an item has an amount): it
//!   is an `unpriced_line` error naming the line, unless
//!   `skipUnpriced`, which leaves it out; the invoice's warnings already
//!   list every unpriced line for the caller to show.

use super::stripe_currency::{stripe_currency, StripeCurrency};
use super::{in_line, line_label};
use crate::dates::Timestamp;
use crate::decode::{self, fields, opt_bool, opt_u32, optional, At, FromJson};
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

/// The largest `currencyExponent` accepted, as for invoices.
const MAX_EXPONENT: u32 = 28;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripePeriod {
    /// Unix seconds, inclusive.
    pub start: i64,
    /// Unix seconds, exclusive.
    pub end: i64,
}

/// The parameters of one Stripe invoice item, with Stripe's field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeInvoiceItem {
    pub customer: String,
    /// Lower-case ISO code, as Stripe wants it.
    pub currency: String,
    /// Minor units of Stripe's exponent for the currency.
    pub amount: i64,
    pub quantity_decimal: String,
    /// The rate in minor units.
    pub unit_amount_decimal: String,
    pub description: String,
    pub period: Option<StripePeriod>,
    pub metadata: BTreeMap<String, String>,
}

impl FromJson for StripeOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [customers, skip, rounding, exponent] = fields(
            v,
            at,
            "StripeOptions",
            &["customers", "skipUnpriced", "rounding", "currencyExponent"],
            true,
        )?;
        Ok(StripeOptions {
            customers: optional(customers)
                .map(|c| decode::string_map(c, at, "customers"))
                .transpose()?
                .unwrap_or_default(),
            skip_unpriced: opt_bool(skip, at, "skipUnpriced")?.unwrap_or(false),
            rounding: optional(rounding)
                .map(|r| Rounding::from_json(r, at))
                .transpose()?
                .unwrap_or_default(),
            currency_exponent: opt_u32(exponent, at, "currencyExponent")?,
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
        w.key("amount");
        w.i64(self.amount);
        w.key("quantity_decimal");
        w.string(&self.quantity_decimal);
        w.key("unit_amount_decimal");
        w.string(&self.unit_amount_decimal);
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

fn overflow(what: &'static str, context: &str) -> BillingError {
    BillingError::Overflow {
        what,
        context: context.to_string(),
    }
}

fn power_of_ten(exponent: u32, context: &str) -> Result<Decimal> {
    (0..exponent).try_fold(Decimal::ONE, |p, _| {
        money::checked_mul(p, Decimal::TEN, "the minor-unit factor", context)
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
        context,
    )?;
    let step = Decimal::from(currency.step);
    let steps = exact
        .checked_div(step)
        .ok_or_else(|| overflow(WHAT, context))?;
    let minor = money::checked_mul(money::round_amount(steps, 0, rounding), step, WHAT, context)?;
    i64::try_from(minor)
        .ok()
        .filter(|m| (-JS_MAX_SAFE_INTEGER..=JS_MAX_SAFE_INTEGER).contains(m))
        .ok_or_else(|| overflow(WHAT, context))
}

/// A decimal string Stripe accepts: at most 12 places, no trailing zeros.
fn stripe_decimal(value: Decimal) -> String {
    money::to_plain(money::round_amount(value, STRIPE_MAX_DP, Rounding::HalfUp).normalize())
}

fn period(line: &InvoiceLine) -> Result<Option<StripePeriod>> {
    let (Some(start), Some(end)) = (&line.period_start, &line.period_end) else {
        return Ok(None);
    };
    let start = Timestamp::parse("periodStart", start)?
        .unix_ms()
        .div_euclid(1000);
    // The next whole second after the inclusive end, as
    // `Timestamp::exclusive_end` computes for FOCUS.
    let end = Timestamp::parse("periodEnd", end)?
        .unix_ms()
        .div_euclid(1000)
        + 1;
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

fn description(line: &InvoiceLine) -> Result<String> {
    let month = line
        .period_start
        .as_deref()
        .map(|s| Timestamp::parse("periodStart", s).map(|t| t.year_month()))
        .transpose()?;
    let kind = line.kind.as_str();
    Ok(match month {
        Some(m) => format!("{} — {kind}, {m}", line.license_type),
        None => format!("{} — {kind}", line.license_type),
    })
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
    if let Some(e) = opts.currency_exponent.filter(|e| *e > MAX_EXPONENT) {
        return Err(BillingError::InvalidOption {
            option: "currencyExponent".into(),
            reason: format!("{e} is above the maximum of {MAX_EXPONENT}"),
        });
    }
    let mut items = Vec::with_capacity(invoice.lines.len());
    for (i, line) in invoice.lines.iter().enumerate() {
        let label = line_label(i, line);
        let (Some(rate), Some(amount)) = (line.rate, line.amount) else {
            if opts.skip_unpriced {
                continue;
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
        items.push(StripeInvoiceItem {
            customer: customer(line, opts),
            currency: line.currency.trim().to_ascii_lowercase(),
            amount: minor_units(amount, currency, opts.rounding, &label)?,
            quantity_decimal: stripe_decimal(line.quantity),
            unit_amount_decimal: stripe_decimal(unit),
            description: description(line).map_err(|e| in_line(e, &label))?,
            period: period(line).map_err(|e| in_line(e, &label))?,
            metadata,
        });
    }
    Ok(items)
}
