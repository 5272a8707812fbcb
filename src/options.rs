//! Invoice options as JavaScript passes them (camelCase, decimal strings),
//! validated once into typed values before any line is computed.

use crate::decode::{self, fields, opt_bool, opt_string, opt_u32, optional, At, FromJson};
use crate::error::{BillingError, Result};
use crate::json::Value;
use crate::model::NamedEntity;
use crate::money::{self, Rounding};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A price-book entry of `invoiceFromOverview`: either rate may be left out
/// to keep the API's rate for that kind of line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateOverrideInput {
    pub prepay: Option<String>,
    pub on_demand: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverviewInvoiceOptionsInput {
    pub price_book: Option<BTreeMap<String, RateOverrideInput>>,
    pub markup_percent: Option<String>,
    pub rounding: Option<Rounding>,
    pub apply_minimum: Option<bool>,
    pub currency_exponent: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageInvoiceOptionsInput {
    pub price_book: BTreeMap<String, String>,
    pub currency: String,
    pub organization: Option<NamedEntity>,
    pub rounding: Option<Rounding>,
    pub currency_exponent: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RateOverride {
    pub prepay: Option<Decimal>,
    pub on_demand: Option<Decimal>,
}

/// Validated options for invoice lines from a trustee billing overview.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewInvoiceOptions {
    pub price_book: BTreeMap<String, RateOverride>,
    /// `1 + markupPercent/100`; `None` leaves rates untouched.
    pub markup_factor: Option<Decimal>,
    pub rounding: Rounding,
    pub apply_minimum: bool,
    pub currency_exponent: Option<u32>,
}

impl Default for OverviewInvoiceOptions {
    fn default() -> Self {
        Self {
            price_book: BTreeMap::new(),
            markup_factor: None,
            rounding: Rounding::HalfUp,
            apply_minimum: true,
            currency_exponent: None,
        }
    }
}

/// Validated options for invoice lines from a billable-usage report.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageInvoiceOptions {
    pub price_book: BTreeMap<String, Decimal>,
    pub currency: String,
    pub organization: Option<NamedEntity>,
    pub rounding: Rounding,
    pub currency_exponent: Option<u32>,
}

/// The largest exponent accepted: rust_decimal carries 28 decimal places.
const MAX_EXPONENT: u32 = 28;

/// Checks a `currencyExponent` option (invoices and Stripe items alike).
pub(crate) fn check_exponent(e: Option<u32>) -> Result<Option<u32>> {
    match e {
        Some(e) if e > MAX_EXPONENT => Err(BillingError::InvalidOption {
            option: "currencyExponent".into(),
            reason: format!("{e} is above the maximum of {MAX_EXPONENT}"),
        }),
        e => Ok(e),
    }
}

fn price(key: &str, kind: &str, value: &str) -> Result<Decimal> {
    let field = format!("priceBook[{key:?}].{kind}");
    let rate = money::parse_decimal(&field, &"the price book", value)?;
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(BillingError::InvalidOption {
            option: field,
            reason: format!(
                "a rate cannot be negative ({value}); use markupPercent for a discount"
            ),
        });
    }
    Ok(rate)
}

impl TryFrom<OverviewInvoiceOptionsInput> for OverviewInvoiceOptions {
    type Error = BillingError;

    fn try_from(input: OverviewInvoiceOptionsInput) -> Result<Self> {
        let mut price_book = BTreeMap::new();
        for (key, entry) in input.price_book.unwrap_or_default() {
            let prepay = entry
                .prepay
                .as_deref()
                .map(|v| price(&key, "prepay", v))
                .transpose()?;
            let on_demand = entry
                .on_demand
                .as_deref()
                .map(|v| price(&key, "onDemand", v))
                .transpose()?;
            price_book.insert(key, RateOverride { prepay, on_demand });
        }
        let markup_factor = match input.markup_percent.as_deref() {
            None => None,
            Some(m) => {
                let pct = money::parse_decimal("markupPercent", &"the options", m)?;
                let hundred = Decimal::ONE_HUNDRED;
                if pct < -hundred {
                    return Err(BillingError::InvalidOption {
                        option: "markupPercent".into(),
                        reason: format!("{m} is a discount of more than 100%"),
                    });
                }
                let factor = hundred
                    .checked_add(pct)
                    .and_then(|n| n.checked_div(hundred))
                    .ok_or_else(|| BillingError::InvalidOption {
                        option: "markupPercent".into(),
                        reason: format!("{m} is out of range"),
                    })?;
                // 0.9, not 0.90: the factor's own trailing zeros would only
                // lengthen every marked-up rate.
                Some(factor.normalize())
            }
        };
        Ok(Self {
            price_book,
            markup_factor,
            rounding: input.rounding.unwrap_or_default(),
            apply_minimum: input.apply_minimum.unwrap_or(true),
            currency_exponent: check_exponent(input.currency_exponent)?,
        })
    }
}

impl TryFrom<UsageInvoiceOptionsInput> for UsageInvoiceOptions {
    type Error = BillingError;

    fn try_from(input: UsageInvoiceOptionsInput) -> Result<Self> {
        let mut price_book = BTreeMap::new();
        for (key, value) in input.price_book {
            let rate = price(&key, "rate", &value)?;
            price_book.insert(key, rate);
        }
        let currency = crate::currency::normalize(&input.currency);
        if currency.is_empty() {
            return Err(BillingError::InvalidOption {
                option: "currency".into(),
                reason: "is empty".into(),
            });
        }
        Ok(Self {
            price_book,
            currency,
            organization: input.organization,
            rounding: input.rounding.unwrap_or_default(),
            currency_exponent: check_exponent(input.currency_exponent)?,
        })
    }
}

impl OverviewInvoiceOptions {
    pub fn from_json(json: &str) -> Result<Self> {
        decode::from_str::<OverviewInvoiceOptionsInput>("options", json)?.try_into()
    }
}

impl UsageInvoiceOptions {
    pub fn from_json(json: &str) -> Result<Self> {
        decode::from_str::<UsageInvoiceOptionsInput>("options", json)?.try_into()
    }
}

// ---- Reading options from JSON: unknown names are errors, not ignored ----

impl FromJson for RateOverrideInput {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [prepay, on_demand] = fields(v, at, "RateOverride", &["prepay", "onDemand"], true)?;
        Ok(RateOverrideInput {
            prepay: opt_string(prepay, at, "prepay")?,
            on_demand: opt_string(on_demand, at, "onDemand")?,
        })
    }
}

impl FromJson for OverviewInvoiceOptionsInput {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [book, markup, rounding, minimum, exponent] = fields(
            v,
            at,
            "OverviewInvoiceOptions",
            &[
                "priceBook",
                "markupPercent",
                "rounding",
                "applyMinimum",
                "currencyExponent",
            ],
            true,
        )?;
        Ok(OverviewInvoiceOptionsInput {
            price_book: optional(book)
                .map(|b| {
                    decode::map(b, at, "priceBook", |v, at, key| {
                        decode::nested(v, at, key, RateOverrideInput::from_json)
                    })
                })
                .transpose()?,
            markup_percent: opt_string(markup, at, "markupPercent")?,
            rounding: Rounding::from_json(rounding, at)?,
            apply_minimum: opt_bool(minimum, at, "applyMinimum")?,
            currency_exponent: opt_u32(exponent, at, "currencyExponent")?,
        })
    }
}

impl FromJson for UsageInvoiceOptionsInput {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [book, currency, organization, rounding, exponent] = fields(
            v,
            at,
            "UsageInvoiceOptions",
            &[
                "priceBook",
                "currency",
                "organization",
                "rounding",
                "currencyExponent",
            ],
            true,
        )?;
        Ok(UsageInvoiceOptionsInput {
            price_book: decode::string_map(
                decode::required(book, at, "priceBook")?,
                at,
                "priceBook",
            )?,
            currency: decode::string(currency, at, "currency")?,
            organization: optional(organization)
                .map(|o| decode::nested(o, at, "organization", NamedEntity::from_json))
                .transpose()?,
            rounding: Rounding::from_json(rounding, at)?,
            currency_exponent: opt_u32(exponent, at, "currencyExponent")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn markup_becomes_a_factor() {
        let o = OverviewInvoiceOptions::from_json(r#"{"markupPercent":"12.5"}"#).unwrap();
        assert_eq!(o.markup_factor, Some(Decimal::from_str("1.125").unwrap()));
        let o = OverviewInvoiceOptions::from_json(r#"{"markupPercent":"-10"}"#).unwrap();
        assert_eq!(o.markup_factor, Some(Decimal::from_str("0.9").unwrap()));
        let e = OverviewInvoiceOptions::from_json(r#"{"markupPercent":"-100.01"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_option");
        let e = OverviewInvoiceOptions::from_json(r#"{"markupPercent":"10%"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_decimal");
        assert!(e.to_string().contains("markupPercent"));
    }

    #[test]
    fn defaults() {
        let o = OverviewInvoiceOptions::from_json("{}").unwrap();
        assert_eq!(o, OverviewInvoiceOptions::default());
        assert!(o.apply_minimum);
        assert_eq!(o.rounding, Rounding::HalfUp);
    }

    #[test]
    fn price_book_entries_are_validated_and_named() {
        let e = OverviewInvoiceOptions::from_json(r#"{"priceBook":{"PC-1":{"onDemand":"1,5"}}}"#)
            .unwrap_err();
        assert_eq!(e.code(), "invalid_decimal");
        assert!(
            e.to_string().contains(r#"priceBook["PC-1"].onDemand"#),
            "{e}"
        );
        let e = UsageInvoiceOptions::from_json(r#"{"priceBook":{"CX 3":"-2"},"currency":"USD"}"#)
            .unwrap_err();
        assert_eq!(e.code(), "invalid_option");
    }

    #[test]
    fn unknown_options_are_rejected_not_ignored() {
        let e = OverviewInvoiceOptions::from_json(r#"{"markup":"10"}"#).unwrap_err();
        assert_eq!(e.code(), "wrong_type");
        assert!(e.to_string().contains("markup"), "{e}");
        let e = OverviewInvoiceOptions::from_json(r#"{"rounding":"up"}"#).unwrap_err();
        assert_eq!(e.code(), "wrong_type");
        let e = UsageInvoiceOptions::from_json(r#"{"priceBook":{}}"#).unwrap_err();
        assert_eq!(e.code(), "missing_field");
        let e = OverviewInvoiceOptions::from_json(r#"{"currencyExponent":40}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_option");
    }
}
