//! ISO-8601 instants as Genesys Cloud writes them (`2026-10-31T23:59:59Z` or
//! with milliseconds), without a date crate: the core needs only parsing,
//! formatting and whole-second arithmetic, and a clock-free core keeps the
//! wasm small and the results reproducible.

use crate::error::{BillingError, Result};
use std::fmt;

/// An instant from the API, keeping the text exactly as given so invoice
/// lines can carry it unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    unix_ms: i64,
}

impl Timestamp {
    /// Parses `yyyy-MM-ddTHH:mm:ss[.fff…](Z|±hh:mm)`; a date alone
    /// (`yyyy-MM-dd`) is midnight UTC.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let unix_ms = parse_unix_ms(value).map_err(|reason| BillingError::InvalidDate {
            field: format!("`{field}`"),
            detail: format!("{value:?} ({reason})"),
        })?;
        Ok(Self {
            raw: value.to_string(),
            unix_ms,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub fn unix_ms(&self) -> i64 {
        self.unix_ms
    }

    /// The instant in the form the billing API's query parameters document:
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    pub fn to_api_query(&self) -> String {
        format_utc(self.unix_ms, true)
    }

    /// Genesys periods end on their last instant (`…23:59:59.999Z` or
    /// `…23:59:59Z`, inclusive); FOCUS wants the exclusive end: the next
    /// whole second after it.
    pub fn exclusive_end(&self) -> String {
        let next = self.unix_ms.div_euclid(1000) * 1000 + 1000;
        format_utc(next, false)
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`, the FOCUS date-time format.
    pub fn to_utc_seconds(&self) -> String {
        format_utc(self.unix_ms, false)
    }

    /// `yyyy-MM`, for file names and descriptions.
    pub fn year_month(&self) -> String {
        format_utc(self.unix_ms, false)[..7].to_string()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// A calendar day without a time, as accounting imports date an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate {
    /// Days since 1970-01-01.
    days: i64,
}

impl CalendarDate {
    /// Parses exactly `yyyy-MM-dd`, a real calendar day: the one date form
    /// the JS API takes for invoice and due dates, so no locale guesses.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        let err = |reason: &str| BillingError::InvalidDate {
            field: format!("`{field}`"),
            detail: format!("{value:?} ({reason})"),
        };
        if value.len() != 10 {
            return Err(err("expected yyyy-MM-dd"));
        }
        let ms = parse_unix_ms(value).map_err(err)?;
        Ok(Self {
            days: ms.div_euclid(86_400_000),
        })
    }

    /// The UTC day of an instant.
    pub fn of(t: &Timestamp) -> Self {
        Self {
            days: t.unix_ms().div_euclid(86_400_000),
        }
    }

    /// `days` later (earlier if negative).
    pub fn plus_days(self, days: i64) -> Self {
        Self {
            days: self.days + days,
        }
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }
}

impl fmt::Display for CalendarDate {
    /// `yyyy-MM-dd`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn digits(s: &[u8], reason: &'static str) -> std::result::Result<i64, &'static str> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(reason);
    }
    Ok(s.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

fn parse_unix_ms(value: &str) -> std::result::Result<i64, &'static str> {
    const SHAPE: &str = "expected yyyy-MM-ddTHH:mm:ss[.SSS]Z";
    let b = value.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(SHAPE);
    }
    let year = digits(&b[0..4], SHAPE)?;
    let month = digits(&b[5..7], SHAPE)?;
    let day = digits(&b[8..10], SHAPE)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err("no such calendar day");
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Ok(days * 86_400_000);
    }
    if b.len() < 20 || (b[10] != b'T' && b[10] != b't') || b[13] != b':' || b[16] != b':' {
        return Err(SHAPE);
    }
    let (h, mi, s) = (
        digits(&b[11..13], SHAPE)?,
        digits(&b[14..16], SHAPE)?,
        digits(&b[17..19], SHAPE)?,
    );
    if h > 23 || mi > 59 || s > 59 {
        return Err("hour, minute or second out of range");
    }
    let mut rest = &b[19..];
    let mut ms = 0i64;
    if rest.first() == Some(&b'.') {
        let end = rest[1..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(rest.len(), |p| p + 1);
        let frac = &rest[1..end];
        if frac.is_empty() || frac.len() > 9 {
            return Err("fraction of a second must have 1 to 9 digits");
        }
        // Milliseconds are the API's precision; finer digits are truncated.
        let mut three = [b'0'; 3];
        for (slot, d) in three.iter_mut().zip(frac) {
            *slot = *d;
        }
        ms = digits(&three, SHAPE)?;
        rest = &rest[end..];
    }
    let offset_min = match rest {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2], SHAPE)?;
            let om = digits(&[*m1, *m2], SHAPE)?;
            if oh > 23 || om > 59 {
                return Err("time-zone offset out of range");
            }
            let o = oh * 60 + om;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return Err("expected a Z or ±hh:mm time-zone suffix"),
    };
    Ok(((days * 24 + h) * 60 + mi - offset_min) * 60_000 + s * 1000 + ms)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the
// proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Formats Unix milliseconds as UTC ISO-8601, with or without `.SSS`.
pub fn format_utc(unix_ms: i64, millis: bool) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let in_day = unix_ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, ms) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    if millis {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_with_and_without_milliseconds() {
        let a = Timestamp::parse("d", "2018-08-31T23:59:59.999Z").unwrap();
        let b = Timestamp::parse("d", "2020-04-30T23:59:59Z").unwrap();
        assert_eq!(a.as_str(), "2018-08-31T23:59:59.999Z");
        assert_eq!(a.unix_ms(), 1_535_759_999_999);
        assert_eq!(b.unix_ms(), 1_588_291_199_000);
    }

    #[test]
    fn exclusive_end_is_the_next_second() {
        let a = Timestamp::parse("d", "2018-08-31T23:59:59.999Z").unwrap();
        assert_eq!(a.exclusive_end(), "2018-09-01T00:00:00Z");
        let b = Timestamp::parse("d", "2020-04-30T23:59:59Z").unwrap();
        assert_eq!(b.exclusive_end(), "2020-05-01T00:00:00Z");
        let leap = Timestamp::parse("d", "2024-02-28T23:59:59.999Z").unwrap();
        assert_eq!(leap.exclusive_end(), "2024-02-29T00:00:00Z");
        let year = Timestamp::parse("d", "2026-12-31T23:59:59.999Z").unwrap();
        assert_eq!(year.exclusive_end(), "2027-01-01T00:00:00Z");
    }

    #[test]
    fn offsets_and_query_format() {
        let t = Timestamp::parse("startDate", "2026-10-01T02:00:00+02:00").unwrap();
        assert_eq!(t.to_api_query(), "2026-10-01T00:00:00.000Z");
        let t = Timestamp::parse("startDate", "2026-10-01").unwrap();
        assert_eq!(t.to_api_query(), "2026-10-01T00:00:00.000Z");
        let t = Timestamp::parse("startDate", "1969-12-31T23:59:59.5Z").unwrap();
        assert_eq!(t.unix_ms(), -500);
        assert_eq!(t.to_api_query(), "1969-12-31T23:59:59.500Z");
    }

    #[test]
    fn rejects_malformed_dates_naming_the_field() {
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-10-01 00:00:00Z",
            "2026-10-01T00:00:00",
            "2026-10-01T24:00:00Z",
            "2026-10-01T00:00:00.Z",
            "01/10/2026",
            "2026-10-01T00:00:00Zjunk",
        ] {
            let e = Timestamp::parse("billingPeriodEndDate", bad).unwrap_err();
            assert_eq!(e.code(), "invalid_date", "{bad}");
            assert!(e.to_string().contains("billingPeriodEndDate"), "{e}");
        }
    }

    #[test]
    fn calendar_dates_are_strict_and_add_days() {
        let d = CalendarDate::parse("invoiceDate", "2026-11-01").unwrap();
        assert_eq!(d.plus_days(30).to_string(), "2026-12-01");
        assert_eq!(d.plus_days(61).to_string(), "2027-01-01");
        let leap = CalendarDate::parse("invoiceDate", "2028-02-28").unwrap();
        assert_eq!(leap.plus_days(1).ymd(), (2028, 2, 29));
        for bad in [
            "2026-11-1",
            "2026-11-31",
            "01/11/2026",
            "2026-11-01T00:00:00Z",
            "",
        ] {
            let e = CalendarDate::parse("invoiceDate", bad).unwrap_err();
            assert_eq!(e.code(), "invalid_date", "{bad}");
            assert!(e.to_string().contains("invoiceDate"), "{e}");
        }
        let t = Timestamp::parse("d", "2026-10-31T23:59:59.999Z").unwrap();
        assert_eq!(CalendarDate::of(&t).to_string(), "2026-10-31");
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let mut day = days_from_civil(1900, 1, 1);
        while day < days_from_civil(2300, 1, 1) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            day += 1;
        }
    }
}
