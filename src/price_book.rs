//! Price books as people keep them, read into the `priceBook` option: one
//! reader for the demo page and the command line, so that a file is read
//! the same way everywhere and checked by the core's decimal rule.
//!
//! - A usage price book (`invoiceFromUsage`): JSON `{"usage name": "rate"}`
//!   or CSV lines `usage name,rate` (`;` also separates when a line has no
//!   comma, as spreadsheets in comma-decimal locales write; RFC 4180
//!   quotes; a header row, blank lines and `#` comments are skipped).
//! - An overview price book (`invoiceFromOverview`): JSON
//!   `{"part number or usage name": {"prepay": "1.00", "onDemand": "2.00"}}`.
//!
//! JSON rates may be strings or bare numbers; a number keeps its exact text
//! (`12.50` stays "12.50"): money never passes through floating point.

use crate::error::{BillingError, Result};
use crate::json::{self, Value};
use crate::money;
use crate::options::RateOverrideInput;
use std::collections::BTreeMap;

/// Which option the price book is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceBookKind {
    Usage,
    Overview,
}

/// A price book read from a file's text.
#[derive(Debug, Clone, PartialEq)]
pub enum PriceBook {
    Usage(BTreeMap<String, String>),
    Overview(BTreeMap<String, RateOverrideInput>),
}

const WHAT: &str = "the price book";

fn invalid(reason: String) -> BillingError {
    BillingError::InvalidOption {
        option: "priceBook".into(),
        reason,
    }
}

/// A rate as the file wrote it: a string (trimmed) or a number's exact text.
fn rate_text(v: &Value<'_>, field: &str) -> Result<String> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(invalid(format!(
                "{field} must be a number or a string, not {}",
                other.kind()
            )))
        }
    };
    money::parse_decimal(field, &WHAT, &text)?;
    Ok(text)
}

fn parse_json(text: &str) -> Result<Value<'_>> {
    json::parse(text).map_err(|e| BillingError::InvalidJson {
        what: WHAT.into(),
        detail: e.to_string(),
    })
}

fn object<'v, 'a>(
    v: &'v Value<'a>,
    shape: &str,
) -> Result<&'v [(std::borrow::Cow<'a, str>, Value<'a>)]> {
    v.as_object()
        .ok_or_else(|| invalid(format!("expected a JSON object like {shape}")))
}

/// Reads a price book of `kind` from a file's text (a UTF-8 byte-order mark
/// is ignored; an empty file is an empty price book).
pub fn parse(text: &str, kind: PriceBookKind) -> Result<PriceBook> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
    match kind {
        PriceBookKind::Usage => usage(text).map(PriceBook::Usage),
        PriceBookKind::Overview => overview(text).map(PriceBook::Overview),
    }
}

fn usage(text: &str) -> Result<BTreeMap<String, String>> {
    if text.is_empty() {
        return Ok(BTreeMap::new());
    }
    if text.starts_with('{') {
        let v = parse_json(text)?;
        let mut book = BTreeMap::new();
        for (name, rate) in object(&v, r#"{"usage name": "rate"}"#)? {
            book.insert(
                name.to_string(),
                rate_text(rate, &format!("priceBook[{name:?}]"))?,
            );
        }
        return Ok(book);
    }
    let mut book = BTreeMap::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let separator = if line.contains(',') || !line.contains(';') {
            ','
        } else {
            ';'
        };
        let fields = split_csv_line(line, separator)
            .map_err(|e| invalid(format!("line {number} has {e}")))?;
        let (name, rate) = match fields.as_slice() {
            [name, rate, ..] if !name.is_empty() && !rate.is_empty() => (name, rate),
            _ => {
                return Err(invalid(format!(
                    "line {number} should be \"usage name,rate\": {line}"
                )))
            }
        };
        // A first line whose rate has no digit ("Rate", "price") is a
        // header row; one with digits is data, and a malformed rate there
        // ("+5") is an error, not a header.
        if index == 0 && !rate.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let field = format!("priceBook[{name:?}]");
        money::parse_decimal(&field, &format!("line {number} of the price book"), rate)?;
        book.insert(name.clone(), rate.clone());
    }
    Ok(book)
}

fn overview(text: &str) -> Result<BTreeMap<String, RateOverrideInput>> {
    if text.is_empty() {
        return Ok(BTreeMap::new());
    }
    const SHAPE: &str = r#"{"PART-NUMBER": {"prepay": "1.00", "onDemand": "2.00"}}"#;
    let v = parse_json(text)?;
    let mut book = BTreeMap::new();
    for (key, entry) in object(&v, SHAPE)? {
        let members = entry.as_object().ok_or_else(|| {
            invalid(format!(
                "{key:?} must be an object with \"prepay\" and/or \"onDemand\", like {SHAPE}"
            ))
        })?;
        let mut rates = RateOverrideInput::default();
        for (name, rate) in members {
            let field = format!("priceBook[{key:?}].{name}");
            match name.as_ref() {
                "prepay" => rates.prepay = Some(rate_text(rate, &field)?),
                "onDemand" => rates.on_demand = Some(rate_text(rate, &field)?),
                other => {
                    return Err(invalid(format!(
                        "{key:?} has an unknown rate {other:?}, expected \"prepay\" or \"onDemand\""
                    )))
                }
            }
        }
        book.insert(key.to_string(), rates);
    }
    Ok(book)
}

/// One CSV record's fields (RFC 4180 quotes), each trimmed.
fn split_csv_line(line: &str, separator: char) -> std::result::Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else if c == '"' && field.trim().is_empty() {
            quoted = true;
            field.clear();
        } else if c == separator {
            fields.push(field.trim().to_string());
            field.clear();
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err("an unclosed quote");
    }
    fields.push(field.trim().to_string());
    Ok(fields)
}

impl crate::json::ToJson for PriceBook {
    fn write_json(&self, w: &mut crate::json::Writer) {
        w.begin_object();
        match self {
            PriceBook::Usage(book) => {
                for (k, v) in book {
                    w.key(k);
                    w.string(v);
                }
            }
            PriceBook::Overview(book) => {
                for (k, v) in book {
                    w.key(k);
                    w.begin_object();
                    if let Some(p) = &v.prepay {
                        w.key("prepay");
                        w.string(p);
                    }
                    if let Some(o) = &v.on_demand {
                        w.key("onDemand");
                        w.string(o);
                    }
                    w.end_object();
                }
            }
        }
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage_book(text: &str) -> BTreeMap<String, String> {
        match parse(text, PriceBookKind::Usage).unwrap() {
            PriceBook::Usage(b) => b,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn csv_with_header_comments_quotes_and_semicolons() {
        let book = usage_book(
            "\u{feff}Usage name,Rate\n# October\n\"Genesys Cloud CX 3, Concurrent\",12.50\n\nWEM;0.333\n\"Say \"\"hi\"\"\",1\n",
        );
        assert_eq!(book["Genesys Cloud CX 3, Concurrent"], "12.50");
        assert_eq!(book["WEM"], "0.333");
        assert_eq!(book["Say \"hi\""], "1");
        assert_eq!(book.len(), 3);
    }

    #[test]
    fn json_numbers_keep_their_exact_text() {
        let book = usage_book(r#"{"CX 3": 12.50, "WEM": "0.333 "}"#);
        assert_eq!(book["CX 3"], "12.50");
        assert_eq!(book["WEM"], "0.333");
        // 1e2 is JSON, but not a decimal as the core reads them: refused.
        let e = parse(r#"{"Speech": 1e2}"#, PriceBookKind::Usage).unwrap_err();
        assert_eq!(e.code(), "invalid_decimal");
        assert!(e.to_string().contains("Speech"), "{e}");
    }

    #[test]
    fn the_cores_decimal_rule_and_line_numbers() {
        for (text, code, says) in [
            ("CX 3,+5", "invalid_decimal", "line 1"),
            ("name,rate\nCX 3,.5", "invalid_decimal", "line 2"),
            (
                "name,rate\nCX 3,5.",
                "invalid_decimal",
                "priceBook[\"CX 3\"]",
            ),
            ("name,rate\nCX 3", "invalid_option", "line 2 should be"),
            ("name,rate\n\"CX 3,5", "invalid_option", "unclosed quote"),
            ("{\"CX 3\": true}", "invalid_option", "number or a string"),
            ("{\"CX 3\": ", "invalid_json", "price book"),
            ("[1]", "invalid_option", "should be"),
        ] {
            let e = parse(text, PriceBookKind::Usage).unwrap_err();
            assert_eq!(e.code(), code, "{text}: {e}");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn overview_books_are_objects_of_rates() {
        let b = parse(
            r#"{"PC-1": {"prepay": 9.50, "onDemand": "11"}, "CX 3": {"onDemand": "0.835"}}"#,
            PriceBookKind::Overview,
        )
        .unwrap();
        assert_eq!(
            crate::json::to_string(&b),
            r#"{"CX 3":{"onDemand":"0.835"},"PC-1":{"prepay":"9.50","onDemand":"11"}}"#
        );
        for (text, says) in [
            (r#"{"PC-1": "9.50"}"#, "must be an object"),
            (r#"{"PC-1": {"overage": "1"}}"#, "unknown rate"),
            (r#"["PC-1"]"#, "JSON object"),
        ] {
            let e = parse(text, PriceBookKind::Overview).unwrap_err();
            assert_eq!(e.code(), "invalid_option", "{text}");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        let e = parse(r#"{"PC-1": {"prepay": "9,50"}}"#, PriceBookKind::Overview).unwrap_err();
        assert_eq!(e.code(), "invalid_decimal");
        assert_eq!(
            e.location().field.as_deref(),
            Some("priceBook[\"PC-1\"].prepay")
        );
    }
}
