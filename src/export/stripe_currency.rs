//! Stripe's minor units, which are not ISO 4217's: Stripe has its own
//! zero-decimal list (MGA is 2 in ISO, 0 in Stripe), keeps ISK two-decimal
//! but accepts only whole krónur, and wants three-decimal amounts to end in
//! 0. Source: stripe.com/docs/currencies and Stripe's ISK deprecation note
//! (field notes B.2). HUF stays two-decimal: only its payouts are integers.

use crate::currency;
use crate::error::{BillingError, Result};

/// Stripe's zero-decimal currencies.
const ZERO_DECIMAL: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];

/// Stripe's three-decimal currencies, whose minor-unit amounts must be
/// multiples of 10.
const THREE_DECIMAL: &[&str] = &["BHD", "JOD", "KWD", "OMR", "TND"];

/// How Stripe counts one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripeCurrency {
    /// Decimal places of the minor unit Stripe's integer amounts count in.
    pub exponent: u32,
    /// Amounts in minor units must be a multiple of this (1 for most, 10 for
    /// three-decimal currencies, 100 for ISK).
    pub step: u32,
}

/// Stripe's exponent and amount step for `code`. `override_exp` (the
/// `currencyExponent` option) replaces the table for a currency it does
/// not know, with a step of 1; a code neither Stripe's lists nor ISO 4217
/// know, and no override, is an `unknown_currency` error.
pub fn stripe_currency(code: &str, override_exp: Option<u32>) -> Result<StripeCurrency> {
    if let Some(exponent) = override_exp {
        return Ok(StripeCurrency { exponent, step: 1 });
    }
    let code = currency::normalize(code);
    let c = code.as_str();
    if ZERO_DECIMAL.contains(&c) {
        return Ok(StripeCurrency {
            exponent: 0,
            step: 1,
        });
    }
    if THREE_DECIMAL.contains(&c) {
        return Ok(StripeCurrency {
            exponent: 3,
            step: 10,
        });
    }
    if c == "ISK" {
        return Ok(StripeCurrency {
            exponent: 2,
            step: 100,
        });
    }
    currency::iso_exponent(c)
        .map(|exponent| StripeCurrency { exponent, step: 1 })
        .ok_or_else(|| BillingError::UnknownCurrency {
            currency: code.clone(),
            context: "the Stripe export".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_differs_from_iso_where_documented() {
        let c = |code| stripe_currency(code, None).unwrap();
        assert_eq!(
            c("usd"),
            StripeCurrency {
                exponent: 2,
                step: 1
            }
        );
        assert_eq!(
            c("JPY"),
            StripeCurrency {
                exponent: 0,
                step: 1
            }
        );
        assert_eq!(
            c("MGA"),
            StripeCurrency {
                exponent: 0,
                step: 1
            }
        );
        assert_eq!(
            c("KWD"),
            StripeCurrency {
                exponent: 3,
                step: 10
            }
        );
        assert_eq!(
            c("ISK"),
            StripeCurrency {
                exponent: 2,
                step: 100
            }
        );
        assert_eq!(
            c("HUF"),
            StripeCurrency {
                exponent: 2,
                step: 1
            }
        );
        let e = stripe_currency("XAU", None).unwrap_err();
        assert_eq!(e.code(), "unknown_currency");
        assert_eq!(
            stripe_currency("XAU", Some(4)).unwrap(),
            StripeCurrency {
                exponent: 4,
                step: 1
            }
        );
    }
}
