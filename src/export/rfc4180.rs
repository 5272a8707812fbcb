//! The one CSV writer of the exports: RFC 4180 quoting, CRLF line ends, and
//! text cells neutralised against spreadsheet formula injection.
//!
//! A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@`
//! (and, in some, a tab or CR before one of them) as a formula, so an org or
//! license name such as `=HYPERLINK(…)` from the API could run in the
//! reader's spreadsheet. Such text cells get a leading apostrophe, which
//! spreadsheets hide and treat as "this is text". A text cell that already
//! starts with an apostrophe gets one more, so that "drop one leading
//! apostrophe from a text cell" undoes the escaping exactly.
//!
//! Numbers are written by us (`money::to_plain`), never come from free text,
//! and are never prefixed: `-3.50` must stay a number.

use crate::money;
use rust_decimal::Decimal;

/// One cell of a row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// Free text, possibly from the API or the caller: neutralised and quoted.
    Text(&'a str),
    /// A decimal, written plain (no exponent, no separators).
    Number(Decimal),
    /// Null: an empty cell.
    Empty,
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(value: Option<&'a str>) -> Self {
        value.map_or(Cell::Empty, Cell::Text)
    }
}

impl From<Option<Decimal>> for Cell<'_> {
    fn from(value: Option<Decimal>) -> Self {
        value.map_or(Cell::Empty, Cell::Number)
    }
}

/// Characters that make a spreadsheet read a cell as a formula, plus the
/// apostrophe itself (see the module comment).
fn needs_neutralising(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')
    )
}

fn needs_quoting(text: &str) -> bool {
    // Bytes, not chars: all four are ASCII, and a byte scan is several times
    // faster on the long runs of text a partner invoice has.
    text.bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Accumulates rows into one CSV document.
#[derive(Debug, Default)]
pub(crate) struct Table {
    out: String,
}

impl Table {
    /// A table expected to hold about `bytes` bytes: one allocation for a
    /// whole partner invoice instead of a doubling series.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        Self {
            out: String::with_capacity(bytes),
        }
    }

    /// A header row: column names are ours, but go through the same
    /// escaping so no caller-chosen name can break the format.
    pub(crate) fn header(&mut self, names: &[&str]) {
        let cells: Vec<Cell> = names.iter().map(|n| Cell::Text(n)).collect();
        self.row(&cells);
    }

    pub(crate) fn row(&mut self, cells: &[Cell]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            match cell {
                Cell::Empty => {}
                Cell::Number(d) => money::write_plain(&mut self.out, *d),
                Cell::Text(t) => self.text(t),
            }
        }
        self.out.push_str("\r\n");
    }

    fn text(&mut self, text: &str) {
        let prefix = if needs_neutralising(text) { "'" } else { "" };
        if needs_quoting(text) {
            self.out.push('"');
            self.out.push_str(prefix);
            self.out.push_str(&text.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(prefix);
            self.out.push_str(text);
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn one(cell: Cell) -> String {
        let mut t = Table::default();
        t.row(&[cell]);
        t.finish()
    }

    #[test]
    fn quotes_only_what_rfc_4180_requires() {
        assert_eq!(one(Cell::Text("plain text")), "plain text\r\n");
        assert_eq!(one(Cell::Text("a,b")), "\"a,b\"\r\n");
        assert_eq!(one(Cell::Text("say \"hi\"")), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(one(Cell::Text("two\nlines")), "\"two\nlines\"\r\n");
        assert_eq!(one(Cell::Empty), "\r\n");
    }

    #[test]
    fn formula_text_is_neutralised_numbers_are_not() {
        assert_eq!(one(Cell::Text("=1+1")), "'=1+1\r\n");
        assert_eq!(one(Cell::Text("-x")), "'-x\r\n");
        assert_eq!(one(Cell::Text("\rx")), "\"'\rx\"\r\n");
        assert_eq!(one(Cell::Text("'quoted")), "''quoted\r\n");
        assert_eq!(one(Cell::Text("a=b")), "a=b\r\n");
        let n = Decimal::from_str("-3.50").unwrap();
        assert_eq!(one(Cell::Number(n)), "-3.50\r\n");
    }
}
