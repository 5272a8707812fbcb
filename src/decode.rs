//! Typed values from parsed JSON: the one place where JSON text becomes the
//! crate's types. The document is parsed once by `json::parse` (a borrowed
//! tree); each type then reads its fields from it by hand. This replaced
//! serde derives, whose per-type parsers were the largest part of the wasm
//! (BENCHMARKS.md, size). Errors keep their codes (`invalid_json`,
//! `missing_field`, `wrong_type`, `invalid_date`) and say where the fault is
//! as a path: `usages[2] ("CX 3").usageQuantity of the trustee billing
//! overview`.

use crate::dates::Timestamp;
use crate::error::{BillingError, Result};
use crate::json::{self, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Where a value sits in its document. Built on the stack as the reader
/// descends and rendered only when an error needs it.
#[derive(Clone, Copy)]
pub enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    /// An array element, with the element's own name when it has one.
    Index(&'p Path<'p>, usize, Option<&'p str>),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(p, k) => write!(f, "{p}.{k}"),
            Path::Index(p, i, None) => write!(f, "{p}[{i}]"),
            Path::Index(p, i, Some(name)) => write!(f, "{p}[{i}] ({name:?})"),
        }
    }
}

/// A value's place: which document (`what`, as messages name it) and where
/// in it.
#[derive(Clone, Copy)]
pub struct At<'p> {
    pub what: &'p str,
    pub path: &'p Path<'p>,
}

impl<'p> At<'p> {
    /// "the trustee billing overview", or "usages[2] ("CX 3") of the …".
    fn context(&self) -> String {
        match self.path {
            Path::Root => self.what.to_string(),
            p => format!("{p} of {}", self.what),
        }
    }

    /// The path of `field` inside this value, for messages.
    fn field_path(&self, field: &str) -> String {
        match self.path {
            Path::Root => field.to_string(),
            p => format!("{p}.{field}"),
        }
    }

    #[cold]
    #[inline(never)]
    pub fn missing(&self, field: &str) -> BillingError {
        BillingError::MissingField {
            field: field.to_string(),
            context: self.context(),
        }
    }

    /// `field` (or this value, for `None`) is not what it should be.
    #[cold]
    #[inline(never)]
    pub fn wrong(&self, field: Option<&str>, detail: &dyn fmt::Display) -> BillingError {
        let place = match (field, self.path) {
            (Some(f), _) => format!("`{}` ", self.field_path(f)),
            (None, Path::Root) => String::new(),
            (None, p) => format!("`{p}` "),
        };
        BillingError::WrongType {
            context: self.what.to_string(),
            detail: format!("{place}{detail}"),
        }
    }

    fn wrong_kind(&self, field: Option<&str>, expected: &str, found: &Value<'_>) -> BillingError {
        self.wrong(
            field,
            &format_args!("must be {expected}, found {}", shown(found)),
        )
    }
}

/// A found value as messages show it: its kind, and for a scalar its text,
/// cut short (a document encoded twice is one huge string).
fn shown(v: &Value<'_>) -> String {
    const MAX: usize = 60;
    let text = match v {
        Value::String(s) => s.as_ref(),
        Value::Number(n) => n,
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        _ => return v.kind().to_string(),
    };
    let cut: String = text.chars().take(MAX).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    match v {
        Value::String(_) => format!("{} {:?}{more}", v.kind(), cut),
        _ => format!("{} {cut}{more}", v.kind()),
    }
}

/// A type read from parsed JSON.
pub trait FromJson: Sized {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self>;
}

/// Parses `text` as JSON and reads a `T` from it; `what` names the document
/// in errors ("the trustee billing overview", "options").
pub fn from_str<T: FromJson>(what: &str, text: &str) -> Result<T> {
    T::from_json(
        &document(what, text)?,
        At {
            what,
            path: &Path::Root,
        },
    )
}

/// The parsing half of `from_str`, kept out of line: one copy of the
/// parser for every type read, not one per type (the wasm is smaller).
#[inline(never)]
fn document<'a>(what: &str, text: &'a str) -> Result<Value<'a>> {
    json::parse(text).map_err(|e| BillingError::InvalidJson {
        what: what.to_string(),
        detail: format!("{e}{}", near(text, e.offset)),
    })
}

/// How much of the input a syntax error quotes before its position.
const NEAR_CHARS: usize = 60;

/// `, near '…text'`: the text just before a syntax error, on its line.
fn near(text: &str, offset: usize) -> String {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let line = &text[text[..end].rfind('\n').map_or(0, |i| i + 1)..end];
    let before: Vec<char> = line.chars().rev().take(NEAR_CHARS + 1).collect();
    if before.iter().all(|c| c.is_whitespace()) {
        return String::new();
    }
    let cut = if before.len() > NEAR_CHARS { "…" } else { "" };
    let snippet: String = before
        .into_iter()
        .take(NEAR_CHARS)
        .rev()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(", near '{cut}{snippet}'")
}

/// Reads an object's members into one slot per name in `names`, in one pass.
/// A name given twice is an error (ambiguous: no "last one wins"); so is an
/// unknown one when `strict` (options, where a typo must not pass silently).
/// API documents are read with `strict` off: fields the API adds are ignored.
pub fn fields<'v, 'a, const N: usize>(
    v: &'v Value<'a>,
    at: At<'_>,
    type_name: &str,
    names: &[&str; N],
    strict: bool,
) -> Result<[Option<&'v Value<'a>>; N]> {
    let members = match v {
        Value::Object(m) => m,
        other => {
            return Err(at.wrong_kind(None, &format!("an object ({type_name})"), other));
        }
    };
    let mut slots = [None; N];
    for (key, value) in members {
        match names.iter().position(|n| *n == key) {
            Some(i) if slots[i].is_some() => {
                return Err(at.wrong(None, &format_args!("has a duplicate field `{key}`")));
            }
            Some(i) => slots[i] = Some(value),
            None if strict => {
                let known: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                return Err(at.wrong(
                    None,
                    &format_args!(
                        "has an unknown field `{key}`, expected one of {}",
                        known.join(", ")
                    ),
                ));
            }
            None => {}
        }
    }
    Ok(slots)
}

/// A field that must be present (null counts as present, and is then a
/// wrong type for whatever reads it).
#[inline(never)]
pub fn required<'v, 'a>(
    slot: Option<&'v Value<'a>>,
    at: At<'_>,
    name: &str,
) -> Result<&'v Value<'a>> {
    slot.ok_or_else(|| at.missing(name))
}

/// An optional field: absent and null are both `None`.
pub fn optional<'v, 'a>(slot: Option<&'v Value<'a>>) -> Option<&'v Value<'a>> {
    slot.filter(|v| !matches!(v, Value::Null))
}

#[inline(never)]
pub fn as_str<'v>(v: &'v Value<'_>, at: At<'_>, name: &str) -> Result<&'v str> {
    v.as_str()
        .ok_or_else(|| at.wrong_kind(Some(name), "a string", v))
}

/// An array element that must be a string (`enabledProducts[2]`).
#[inline(never)]
pub fn element_string(v: &Value<'_>, at: At<'_>) -> Result<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| at.wrong_kind(None, "a string", v))
}

#[inline(never)]
pub fn string(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<String> {
    as_str(required(slot, at, name)?, at, name).map(str::to_string)
}

#[inline(never)]
pub fn opt_string(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<String>> {
    optional(slot)
        .map(|v| as_str(v, at, name).map(str::to_string))
        .transpose()
}

fn as_bool(v: &Value<'_>, at: At<'_>, name: &str) -> Result<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(at.wrong_kind(Some(name), "a boolean", other)),
    }
}

#[inline(never)]
pub fn boolean(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<bool> {
    as_bool(required(slot, at, name)?, at, name)
}

#[inline(never)]
pub fn opt_bool(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<bool>> {
    optional(slot).map(|v| as_bool(v, at, name)).transpose()
}

/// A whole number in `min..=max` (the JSON text, never a float).
fn integer(v: &Value<'_>, at: At<'_>, name: &str, min: i64, max: i64) -> Result<i64> {
    let Value::Number(text) = v else {
        return Err(at.wrong_kind(Some(name), "a whole number", v));
    };
    text.parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            at.wrong(
                Some(name),
                &format_args!("must be a whole number from {min} to {max}, found {text}"),
            )
        })
}

#[inline(never)]
pub fn opt_u32(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<u32>> {
    optional(slot)
        .map(|v| integer(v, at, name, 0, u32::MAX.into()).map(|n| n as u32))
        .transpose()
}

#[inline(never)]
pub fn opt_i64(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<i64>> {
    optional(slot)
        .map(|v| integer(v, at, name, i64::MIN, i64::MAX))
        .transpose()
}

fn as_date(v: &Value<'_>, at: At<'_>, name: &str) -> Result<Timestamp> {
    let text = as_str(v, at, name)?;
    Timestamp::parse(&at.field_path(name), text).map_err(|e| match e {
        BillingError::InvalidDate { field, detail } => BillingError::InvalidDate {
            field: format!("{field} of {}", at.what),
            detail,
        },
        other => other,
    })
}

#[inline(never)]
pub fn date(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Timestamp> {
    as_date(required(slot, at, name)?, at, name)
}

#[inline(never)]
pub fn opt_date(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<Timestamp>> {
    optional(slot).map(|v| as_date(v, at, name)).transpose()
}

/// A value that must be an array (`name` is its field, for messages).
#[inline(never)]
pub fn as_array<'v, 'a>(v: &'v Value<'a>, at: At<'_>, name: &str) -> Result<&'v [Value<'a>]> {
    v.as_array()
        .ok_or_else(|| at.wrong_kind(Some(name), "an array", v))
}

#[inline(never)]
pub fn array<'v, 'a>(
    slot: Option<&'v Value<'a>>,
    at: At<'_>,
    name: &str,
) -> Result<&'v [Value<'a>]> {
    as_array(required(slot, at, name)?, at, name)
}

#[inline(never)]
pub fn opt_array<'v, 'a>(
    slot: Option<&'v Value<'a>>,
    at: At<'_>,
    name: &str,
) -> Result<Option<&'v [Value<'a>]>> {
    optional(slot).map(|v| as_array(v, at, name)).transpose()
}

/// Reads every element of an array field with `read`, each at its own path
/// (`usages[3]`, named by its `name` member where it has one).
pub fn list<T>(
    items: &[Value<'_>],
    at: At<'_>,
    name: &str,
    read: impl Fn(&Value<'_>, At<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let parent = Path::Key(at.path, name);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let label = item.get("name").and_then(Value::as_str);
        let path = Path::Index(&parent, i, label);
        out.push(read(
            item,
            At {
                what: at.what,
                path: &path,
            },
        )?);
    }
    Ok(out)
}

/// The value of a field, at the field's own path (for nested objects).
pub fn nested<T>(
    v: &Value<'_>,
    at: At<'_>,
    name: &str,
    read: impl Fn(&Value<'_>, At<'_>) -> Result<T>,
) -> Result<T> {
    let path = Path::Key(at.path, name);
    read(
        v,
        At {
            what: at.what,
            path: &path,
        },
    )
}

/// An object of string values (`{"CX 3": "155"}`), in key order.
pub fn string_map(v: &Value<'_>, at: At<'_>, name: &str) -> Result<BTreeMap<String, String>> {
    map(v, at, name, |v, at, key| {
        as_str(v, at, key).map(str::to_string)
    })
}

/// An object whose values `read` reads, keyed by member name. A key given
/// twice keeps its last value, as `JSON.parse` does: a JS object passed in
/// has already been through that rule, so JSON text gets the same.
pub fn map<T>(
    v: &Value<'_>,
    at: At<'_>,
    name: &str,
    read: impl Fn(&Value<'_>, At<'_>, &str) -> Result<T>,
) -> Result<BTreeMap<String, T>> {
    let Value::Object(members) = v else {
        return Err(at.wrong_kind(Some(name), "an object", v));
    };
    let path = Path::Key(at.path, name);
    let inner = At {
        what: at.what,
        path: &path,
    };
    let mut out = BTreeMap::new();
    for (key, value) in members {
        out.insert(key.to_string(), read(value, inner, &format!("{key:?}"))?);
    }
    Ok(out)
}

/// A string that must be one of `names` (an enum spelled as in JSON).
pub fn one_of<T: Copy>(v: &Value<'_>, at: At<'_>, name: &str, choices: &[(&str, T)]) -> Result<T> {
    let text = as_str(v, at, name)?;
    choices
        .iter()
        .find(|(n, _)| *n == text)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let known: Vec<String> = choices.iter().map(|(n, _)| format!("`{n}`")).collect();
            at.wrong(
                Some(name),
                &format_args!(
                    "has the unknown value `{text}`, expected one of {}",
                    known.join(", ")
                ),
            )
        })
}

/// An optional field that must be one of `choices` when present.
pub fn opt_one_of<T: Copy>(
    slot: Option<&Value<'_>>,
    at: At<'_>,
    name: &str,
    choices: &[(&str, T)],
) -> Result<Option<T>> {
    optional(slot)
        .map(|v| one_of(v, at, name, choices))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Pair {
        name: String,
        size: Option<u32>,
    }

    impl FromJson for Pair {
        fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
            let [name, size] = fields(v, at, "Pair", &["name", "size"], true)?;
            Ok(Pair {
                name: string(name, at, "name")?,
                size: opt_u32(size, at, "size")?,
            })
        }
    }

    #[derive(Debug)]
    struct Doc {
        pairs: Vec<Pair>,
    }

    impl FromJson for Doc {
        fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
            let [pairs] = fields(v, at, "Doc", &["pairs"], false)?;
            Ok(Doc {
                pairs: list(array(pairs, at, "pairs")?, at, "pairs", Pair::from_json)?,
            })
        }
    }

    fn doc(text: &str) -> Result<Doc> {
        from_str("the doc", text)
    }

    #[test]
    fn reads_fields_and_ignores_unknown_ones_where_not_strict() {
        let d =
            doc(r#"{"pairs":[{"name":"a","size":3},{"name":"b","size":null}],"extra":1}"#).unwrap();
        assert_eq!(d.pairs.len(), 2);
        assert_eq!((d.pairs[0].name.as_str(), d.pairs[0].size), ("a", Some(3)));
        assert_eq!(d.pairs[1].size, None);
    }

    #[test]
    fn errors_name_the_path_the_field_and_the_document() {
        let e = doc(r#"{"pairs":[{"name":"a"},{"size":1}]}"#).unwrap_err();
        assert_eq!(e.code(), "missing_field");
        assert_eq!(e.to_string(), "missing field `name` in pairs[1] of the doc");
        let e = doc(r#"{"pairs":[{"name":"a","size":-1}]}"#).unwrap_err();
        assert_eq!(e.code(), "wrong_type");
        assert_eq!(
            e.to_string(),
            r#"wrong type in the doc: `pairs[0] ("a").size` must be a whole number from 0 to 4294967295, found -1"#
        );
        let e = doc(r#"{"pairs":[{"name":"a","sise":1}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("has an unknown field `sise`, expected one of `name`, `size`"),
            "{e}"
        );
        let e = doc(r#"{"pairs":[],"pairs":[]}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `pairs`"), "{e}");
        let e = doc(r#"[]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "wrong type in the doc: must be an object (Doc), found an array"
        );
        let e = doc(r#"{"pairs":[{"name":12.5}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("`pairs[0].name` must be a string, found a number 12.5"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_are_invalid_json_quoting_the_text_before() {
        let e = doc("{\"pairs\":\n  [{\"name\" \"a\"}]}").unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        assert!(e.to_string().contains("line 2"), "{e}");
        assert!(e.to_string().ends_with(r#"near '  [{"name" '"#), "{e}");
    }

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(10_000);
        let e = doc(&format!(r#"{{"pairs":"{long}"}}"#)).unwrap_err();
        assert!(e.to_string().len() < 300, "{e}");
    }
}
