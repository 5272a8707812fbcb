//! ISO 4217 minor-unit exponents. Kept as our own table because crates
//! disagree (rusty-money gives HUF 0 where ISO says 2); export targets with
//! other rules (Stripe's ISK, three-decimal currencies) adjust on export.

use crate::error::{BillingError, Result};

/// Active ISO 4217 codes whose minor unit is not 2 decimals.
const NOT_TWO: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// Active ISO 4217 codes with 2 decimals.
const TWO: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE",
    "CHF", "CHW", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD",
    "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD",
    "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS",
    "VED", "VES", "WST", "XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG",
];

/// The currency code as invoices carry it: upper case, three ASCII letters.
pub fn normalize(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The ISO 4217 exponent of `code`, if it is an active national currency.
pub fn iso_exponent(code: &str) -> Option<u32> {
    let code = normalize(code);
    if let Some((_, e)) = NOT_TWO.iter().find(|(c, _)| *c == code) {
        return Some(*e);
    }
    TWO.contains(&code.as_str()).then_some(2)
}

/// The exponent to round amounts in `code` to: the caller's override if
/// given, else ISO 4217's; an unknown code is an error naming `context`.
/// An empty code is unknown even with an override: its lines could not be
/// read back (an invoice line must name its currency).
pub fn exponent(code: &str, override_exp: Option<u32>, context: &str) -> Result<u32> {
    let override_exp = override_exp.filter(|_| !code.trim().is_empty());
    override_exp
        .or_else(|| iso_exponent(code))
        .ok_or_else(|| BillingError::UnknownCurrency {
            currency: code.to_string(),
            context: context.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(iso_exponent("USD"), Some(2));
        assert_eq!(iso_exponent("eur"), Some(2));
        assert_eq!(iso_exponent("JPY"), Some(0));
        assert_eq!(iso_exponent("KWD"), Some(3));
        assert_eq!(iso_exponent("HUF"), Some(2));
        assert_eq!(iso_exponent("CLF"), Some(4));
        assert_eq!(iso_exponent("XAU"), None);
        assert_eq!(iso_exponent("US"), None);
    }

    #[test]
    fn unknown_currency_needs_an_override() {
        let e = exponent("BTC", None, "org Acme").unwrap_err();
        assert_eq!(e.code(), "unknown_currency");
        assert!(e.to_string().contains("BTC") && e.to_string().contains("Acme"));
        assert_eq!(exponent("BTC", Some(8), "org Acme").unwrap(), 8);
        assert_eq!(exponent("JPY", Some(2), "x").unwrap(), 2);
    }

    #[test]
    fn tables_do_not_overlap() {
        for (c, _) in NOT_TWO {
            assert!(!TWO.contains(c), "{c}");
        }
    }
}
