//! Decimal strings in, exact decimals through, rounded minor units out.
//! Nothing here touches floating point.

use crate::error::{BillingError, ErrorContext, Location, Result};
use rust_decimal::{Decimal, RoundingStrategy};

/// How an amount is rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Midpoint away from zero (2.345 → 2.35), the usual invoice rule.
    #[default]
    HalfUp,
    /// Midpoint to even, banker's rounding (2.345 → 2.34).
    HalfEven,
}

impl Rounding {
    /// The spellings options use, as JSON and TypeScript write them.
    pub const NAMES: [(&'static str, Rounding); 2] = [
        ("half-up", Rounding::HalfUp),
        ("half-even", Rounding::HalfEven),
    ];

    /// Reads an optional `rounding` option.
    pub fn from_json(
        slot: Option<&crate::json::Value<'_>>,
        at: crate::decode::At<'_>,
    ) -> Result<Option<Self>> {
        crate::decode::opt_one_of(slot, at, "rounding", &Self::NAMES)
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// Rounds `value` to `exponent` decimal places and writes it with exactly
/// that many ("25200.00", not "25200"), as an amount in that currency reads.
pub fn round_amount(value: Decimal, exponent: u32, rounding: Rounding) -> Decimal {
    pad_to(
        value.round_dp_with_strategy(exponent, rounding.strategy()),
        exponent,
    )
}

/// `value` written with at least `exponent` decimals ("25200" → "25200.00").
/// Padding only adds zeros; where the mantissa has no room for them the
/// value is kept as it is, still exact.
pub fn pad_to(value: Decimal, exponent: u32) -> Decimal {
    if value.scale() >= exponent {
        return value;
    }
    let mut padded = value;
    padded.rescale(exponent);
    if padded == value {
        padded
    } else {
        value
    }
}

/// Parses a decimal string as the API sends it: an optional `-`, digits, and
/// optionally a `.` followed by digits. Anything else ("12,5", " 3", "1e4",
/// "NaN", "") is rejected rather than guessed at, and so is a value that
/// would need rounding to fit 28 significant digits.
pub fn parse_decimal(field: &str, context: &dyn ErrorContext, value: &str) -> Result<Decimal> {
    let err = |reason: &'static str| BillingError::InvalidDecimal {
        field: field.to_string(),
        context: context.to_string(),
        value: value.to_string(),
        reason,
        location: Box::new(at_field(context, field)),
    };
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    if int.is_empty() {
        return Err(err(if value.is_empty() {
            "empty"
        } else {
            "expected digits before the decimal point"
        }));
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) {
        return Err(err("only digits, one '.' and a leading '-' are allowed"));
    }
    if let Some(f) = frac {
        if f.is_empty() || !all_digits(f) {
            return Err(err("expected digits after the decimal point"));
        }
    }
    Decimal::from_str_exact(value)
        .map_err(|_| err("more than 28 significant digits or out of range"))
}

/// A quantity: a decimal that must not be negative.
pub fn parse_quantity(field: &str, context: &dyn ErrorContext, value: &str) -> Result<Decimal> {
    let q = parse_decimal(field, context, value)?;
    if q.is_sign_negative() && !q.is_zero() {
        return Err(BillingError::NegativeQuantity {
            field: field.to_string(),
            context: context.to_string(),
            value: value.to_string(),
            location: Box::new(at_field(context, field)),
        });
    }
    Ok(q)
}

pub fn checked_mul(
    a: Decimal,
    b: Decimal,
    what: &'static str,
    context: &dyn ErrorContext,
) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| overflow(what, context))
}

pub fn checked_add(
    a: Decimal,
    b: Decimal,
    what: &'static str,
    context: &dyn ErrorContext,
) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| overflow(what, context))
}

pub fn checked_sub(
    a: Decimal,
    b: Decimal,
    what: &'static str,
    context: &dyn ErrorContext,
) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(|| overflow(what, context))
}

/// The one way an arithmetic overflow becomes an error: naming what was
/// being computed and for whom.
pub(crate) fn overflow(what: &'static str, context: &dyn ErrorContext) -> BillingError {
    BillingError::Overflow {
        what,
        context: context.to_string(),
        location: Box::new(context.location()),
    }
}

/// The context's location, with the field at fault.
fn at_field(context: &dyn ErrorContext, field: &str) -> Location {
    let mut l = context.location();
    l.field = Some(field.to_string());
    l
}

/// Appends `to_plain(d)` to `out` without a string of its own (the CSV
/// writer's hot path).
pub fn write_plain(out: &mut String, d: Decimal) {
    use std::fmt::Write;
    // Keeps the scale ("0.00") but never a sign.
    let d = if d.is_zero() { d.abs() } else { d };
    let _ = write!(out, "{d}");
}

/// A decimal as a plain string: no exponent, no trailing zeros beyond what
/// the value carries, `-0` written as `0`.
pub fn to_plain(d: Decimal) -> String {
    let mut out = String::new();
    write_plain(&mut out, d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_plain_decimals_exactly() {
        assert_eq!(parse_decimal("f", &"c", "23.74").unwrap(), d("23.74"));
        assert_eq!(parse_decimal("f", &"c", "-0.5").unwrap(), d("-0.5"));
        assert_eq!(parse_decimal("f", &"c", "007").unwrap(), d("7"));
        assert_eq!(
            parse_decimal("f", &"c", "0.0000000000000000000000000001").unwrap(),
            d("0.0000000000000000000000000001")
        );
        assert_eq!(
            parse_decimal("f", &"c", "79228162514264337593543950335").unwrap(),
            Decimal::MAX
        );
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal_naming_field_and_usage() {
        for bad in [
            "12,5", "", "NaN", "1e400", "1e2", " 3", "3 ", "+3", "Infinity", "-", ".5", "5.",
            "1.2.3", "0x10", "١٢", "--1",
        ] {
            let e = parse_decimal("usageQuantity", &"usage #2 \"CX 3\"", bad).unwrap_err();
            assert_eq!(e.code(), "invalid_decimal", "{bad:?}");
            let msg = e.to_string();
            assert!(
                msg.contains("usageQuantity") && msg.contains("CX 3"),
                "{msg}"
            );
        }
    }

    #[test]
    fn rejects_values_that_would_be_rounded_or_overflow() {
        for bad in [
            "79228162514264337593543950336",
            "0.00000000000000000000000000001",
            "1.00000000000000000000000000001",
        ] {
            assert_eq!(
                parse_decimal("f", &"c", bad).unwrap_err().code(),
                "invalid_decimal",
                "{bad}"
            );
        }
    }

    #[test]
    fn negative_quantities_are_errors() {
        assert_eq!(
            parse_quantity("prepayQuantity", &"c", "-1")
                .unwrap_err()
                .code(),
            "negative_quantity"
        );
        assert_eq!(parse_quantity("q", &"c", "-0").unwrap(), Decimal::ZERO);
    }

    #[test]
    fn half_up_and_half_even_differ_only_at_midpoints() {
        let cases = [
            ("2.345", "2.35", "2.34"),
            ("2.355", "2.36", "2.36"),
            ("-2.345", "-2.35", "-2.34"),
            ("2.3449", "2.34", "2.34"),
            ("0.005", "0.01", "0.00"),
            ("0.015", "0.02", "0.02"),
        ];
        for (v, up, even) in cases {
            assert_eq!(round_amount(d(v), 2, Rounding::HalfUp), d(up), "{v}");
            assert_eq!(round_amount(d(v), 2, Rounding::HalfEven), d(even), "{v}");
        }
        assert_eq!(round_amount(d("12.5"), 0, Rounding::HalfUp), d("13"));
        assert_eq!(round_amount(d("12.5"), 0, Rounding::HalfEven), d("12"));
        assert_eq!(round_amount(d("1.0005"), 3, Rounding::HalfUp), d("1.001"));
        assert_eq!(round_amount(d("1.0005"), 3, Rounding::HalfEven), d("1.000"));
    }

    #[test]
    fn amounts_are_written_with_the_currency_decimals() {
        assert_eq!(
            round_amount(d("25200"), 2, Rounding::HalfUp).to_string(),
            "25200.00"
        );
        assert_eq!(round_amount(d("2.5"), 0, Rounding::HalfUp).to_string(), "3");
        assert_eq!(
            round_amount(d("0"), 3, Rounding::HalfUp).to_string(),
            "0.000"
        );
        // No room for two more digits: the value stays exact, unpadded.
        assert_eq!(
            round_amount(Decimal::MAX, 2, Rounding::HalfUp),
            Decimal::MAX
        );
    }

    #[test]
    fn plain_strings_have_no_exponent_and_no_negative_zero() {
        assert_eq!(to_plain(d("0.0000001")), "0.0000001");
        assert_eq!(to_plain(d("-0.00")), "0.00");
        assert_eq!(to_plain(d("1000000")), "1000000");
    }

    #[test]
    fn overflow_is_an_error_never_a_wrap() {
        let e = checked_mul(Decimal::MAX, d("2"), "amount", &"org X").unwrap_err();
        assert_eq!(e.code(), "overflow");
        assert!(e.to_string().contains("org X"));
    }
}
