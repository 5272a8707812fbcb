//! The differential check of the crate's JSON reader and writer
//! (`genesys_billing::json`) against serde_json, shared by the cargo-fuzz
//! target `json` (`fuzz/fuzz_targets/json.rs`) and by `tests/json_oracle.rs`,
//! which both include this file with `#[path]`. It is not a module of the
//! `harness` library on purpose: `tests/fuzz_regressions.rs` includes that
//! one whole, and would see this code as unused.
//!
//! For one text, serde_json (`from_str::<serde_json::Value>`) is the oracle:
//! - both accept or both reject it, except that serde_json rejects a number
//!   that does not fit an f64 ("number out of range") where ours keeps the
//!   text; we must then either accept, or fail further on than serde_json;
//! - when both accept, our DOM converted to serde_json's (numbers through
//!   serde_json itself, duplicate keys folded last-wins as serde_json
//!   does) equals serde_json's;
//! - what our `Writer` makes of our DOM parses back, with both parsers, to
//!   the same value, and every string in it is escaped byte for byte as
//!   `serde_json::to_string` escapes it;
//! - when both reject, they point at the same fault (serde_json's offset is
//!   a byte or an escape further on), and our error points inside the
//!   input, at a char boundary, with the line and column that offset has.

use genesys_billing::json::{self, SyntaxError, Value};

/// How a comparison came out, for the tests to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Both parsers accepted the text, with the same value.
    Accepted,
    /// Both rejected it.
    Rejected,
    /// serde_json said "number out of range"; see the module docs.
    OutOfRange,
}

/// The fuzz target's entry point: bytes become text the way the rest of
/// the harness turns them (`fuzz/src/lib.rs`), lossily.
pub fn check_bytes(data: &[u8]) -> Outcome {
    check(&String::from_utf8_lossy(data))
}

/// Runs both parsers over `text` and panics, quoting it, on any difference.
pub fn check(text: &str) -> Outcome {
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    let ours = json::parse(text);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            let converted = to_serde(&ours);
            assert!(
                converted == theirs,
                "different values for {text:?}:\n ours   {converted:?}\n serde  {theirs:?}"
            );
            check_writer(&ours, Some(&theirs), text);
            Outcome::Accepted
        }
        (Ok(ours), Err(e)) => {
            assert!(
                out_of_range(&e),
                "we accept what serde_json rejects ({e}): {text:?}"
            );
            check_writer(&ours, None, text);
            Outcome::OutOfRange
        }
        (Err(e), Ok(_)) => panic!("we reject ({e}) what serde_json accepts: {text:?}"),
        (Err(ours), Err(theirs)) => {
            check_error(&ours, text);
            let at = serde_offset(text, &theirs);
            if !out_of_range(&theirs) {
                // The same fault, not just some fault: serde_json points
                // just past the byte at fault (or at the end, for an EOF),
                // or past the whole escape of a bad surrogate pair, where
                // we point at the byte or the escape's start.
                assert!(
                    (ours.offset..=ours.offset + SURROGATE_PAIR).contains(&at),
                    "we fail at byte {} ({ours}), serde_json at byte {at} ({theirs}): {text:?}",
                    ours.offset
                );
                return Outcome::Rejected;
            }
            // serde_json read everything before the number's end without
            // fault, so we may not find one there either.
            assert!(
                ours.offset >= at,
                "we fail at byte {} ({ours}), before the out-of-range number serde_json stopped at ({theirs}, byte {at}): {text:?}",
                ours.offset
            );
            Outcome::OutOfRange
        }
    }
}

/// The length of `\uD83D\uDE00`: how far past our offset for a bad
/// surrogate pair (its start) serde_json's may be (its end).
const SURROGATE_PAIR: usize = 12;

fn out_of_range(e: &serde_json::Error) -> bool {
    e.to_string().contains("number out of range")
}

/// The byte index serde_json's line and column point at (its column counts
/// bytes since the last newline).
fn serde_offset(text: &str, e: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    line_start + e.column()
}

/// Our DOM as serde_json's: numbers read by serde_json from their text,
/// objects folded with `insert`, so the last duplicate wins as in
/// serde_json's own `Value` deserialiser.
pub fn to_serde(v: &Value<'_>) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(text) => {
            let n: serde_json::Value = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("serde_json rejects our number {text:?}: {e}"));
            assert!(n.is_number(), "{text:?} is not a number to serde_json");
            n
        }
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for (k, v) in members {
                map.insert(k.to_string(), to_serde(v));
            }
            serde_json::Value::Object(map)
        }
    }
}

/// Writes `ours` back out and reads it with both parsers; checks every
/// string's escaping against serde_json's.
fn check_writer(ours: &Value<'_>, theirs: Option<&serde_json::Value>, text: &str) {
    let written = json::to_string(ours);
    match json::parse(&written) {
        Ok(back) => assert!(
            back == *ours,
            "our writer's {written:?} reads back differently, for {text:?}"
        ),
        Err(e) => panic!("our writer's {written:?} is not JSON to us ({e}), for {text:?}"),
    }
    if let Some(theirs) = theirs {
        match serde_json::from_str::<serde_json::Value>(&written) {
            Ok(back) => assert!(
                back == *theirs,
                "serde_json reads our writer's {written:?} differently, for {text:?}"
            ),
            Err(e) => panic!("serde_json rejects our writer's {written:?} ({e}), for {text:?}"),
        }
    }
    each_string(ours, &mut |s| {
        let expected = serde_json::to_string(s).expect("a string serialises");
        assert_eq!(json::to_string(s), expected, "escaping {s:?}");
    });
}

/// Calls `f` with every key and string value in `v`.
fn each_string(v: &Value<'_>, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|item| each_string(item, f)),
        Value::Object(members) => {
            for (k, item) in members {
                f(k);
                each_string(item, f);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// An error must point into the text, at a char boundary, with the line
/// and column of that offset, and say something.
fn check_error(e: &SyntaxError, text: &str) {
    assert!(
        e.offset <= text.len(),
        "{e} at byte {} of {text:?}",
        e.offset
    );
    assert!(text.is_char_boundary(e.offset), "{e} mid-char in {text:?}");
    let before = &text[..e.offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    assert_eq!((e.line, e.column), (line, column), "{e} for {text:?}");
    assert!(!e.message.is_empty());
    assert!(e
        .to_string()
        .ends_with(&format!(" at line {line} column {column}")));
}
