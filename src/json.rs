//! The crate's one JSON reader and writer.
//!
//! serde_json's parser is monomorphised once per type it deserialises into,
//! which cost about 100 KB of wasm; this module is a single strict parser
//! that builds a borrowed DOM ([`Value`]) for the models to read, and a
//! small [`Writer`] for everything handed back to JavaScript.
//!
//! What it accepts is exactly what `serde_json::from_str::<serde_json::Value>`
//! accepts (RFC 8259: no comments, trailing commas, leading zeros, lone
//! surrogates or raw control characters in strings; at most
//! `MAX_DEPTH - 1` arrays and objects open at once), with one deliberate
//! difference: numbers are kept as the text the document has, so money never
//! passes through `f64`, and a number that does not fit an `f64` (`1e400`)
//! is accepted here where serde_json says "number out of range". Callers
//! that want a number check its text themselves. `tests/json_oracle.rs` and
//! the `json` fuzz target hold the two parsers to that.
//!
//! Speed: the input is scanned as bytes, strings without escapes are
//! borrowed from it, and line and column are only computed once an error is
//! built. Size: no generics in the parser, no floats, no `format!` outside
//! the error path.

use std::borrow::Cow;
use std::fmt;

/// A parsed JSON value, borrowing from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number's text exactly as written, checked against RFC 8259's grammar
    /// (money never passes through f64).
    Number(&'a str),
    /// Borrowed from the input when the string has no escapes.
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in document order; duplicate keys are kept (callers decide).
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// Why and where a document is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was expected or found, e.g. "expected `,` or `}`", "control character (\u0000-\u001F) found while parsing a string", "recursion limit exceeded", "trailing characters", "EOF while parsing a string": serde_json's wording, except "lone trailing surrogate in hex escape" where serde_json says "leading".
    pub message: String,
    /// Byte offset of the fault in the input.
    pub offset: usize,
    /// 1-based line and 1-based column (in characters) of the fault.
    pub line: usize,
    pub column: usize,
}

impl SyntaxError {
    /// Builds the error for a fault at byte `offset` of `text`, counting
    /// lines and characters only now: the parser never tracks them.
    fn at(text: &str, message: &'static str, offset: usize) -> Self {
        let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Characters, not bytes: count every byte that starts one.
        let column = 1 + before
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Self {
            message: message.to_string(),
            offset,
            line,
            column,
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for SyntaxError {}

/// Nesting deeper than this is an error (serde_json's default limit), never
/// a stack overflow. Like serde_json's `remaining_depth`, which starts at 128
/// and fails when an array or object brings it to 0, the container that
/// would make `MAX_DEPTH` open at once is the error: 127 levels parse.
pub const MAX_DEPTH: usize = 128;

/// Parses one whole JSON document (RFC 8259; surrounding whitespace allowed, nothing else after it).
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        items: Vec::new(),
        members: Vec::new(),
    };
    parser
        .document()
        .map_err(|f| SyntaxError::at(text, f.message, f.offset))
}

impl<'a> Value<'a> {
    /// "null", "a boolean", "a number", "a string", "an array", "an object": for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Value<'a>)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The first member named `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// A fault found while parsing: a fixed message and a byte offset. Two
/// words, so the parser's `Result`s stay small; it becomes a
/// [`SyntaxError`], with line and column, once, in [`parse`].
struct Fault {
    message: &'static str,
    offset: usize,
}

type Parsed<T> = Result<T, Fault>;

/// Messages shared by several faults.
const EOF_IN_STRING: &str = "EOF while parsing a string";
const INVALID_NUMBER: &str = "invalid number";
const INVALID_ESCAPE: &str = "invalid escape";

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Arrays and objects open right now.
    depth: usize,
    /// Scratch stacks: the elements of every open array (members of every
    /// open object) are pushed here and moved into an exactly sized `Vec`
    /// when it closes, so each container costs one allocation instead of
    /// a `Vec` growing 4, 8, 16, ... and keeping the slack.
    items: Vec<Value<'a>>,
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Parser<'a> {
    /// `text[from..to]`, for offsets next to ASCII bytes the parser has
    /// seen, so always char boundaries. `get`, not indexing: a failed str
    /// index formats a message that brings Unicode tables into the wasm.
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or_default()
    }

    fn fault(&self, message: &'static str) -> Fault {
        Fault {
            message,
            offset: self.pos,
        }
    }

    // Called for nearly every byte outside strings: worth inlining even
    // at `opt-level = "z"`, where it is smaller inline than as a call.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Compact JSON (what the API sends) has no whitespace: one inlined
    /// comparison says so, and only a byte that may be whitespace costs a
    /// call.
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        if self.peek().is_some_and(|b| b <= b' ') {
            self.skip_whitespace_run();
        }
    }

    fn skip_whitespace_run(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn document(&mut self) -> Parsed<Value<'a>> {
        let value = self.value()?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.fault("trailing characters"));
        }
        Ok(value)
    }

    fn value(&mut self) -> Parsed<Value<'a>> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.pos += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.fault("expected value")),
            None => Err(self.fault("EOF while parsing a value")),
        }
    }

    fn literal(&mut self, word: &'static str, value: Value<'a>) -> Parsed<Value<'a>> {
        for &expected in word.as_bytes() {
            match self.peek() {
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.fault("expected ident")),
                None => return Err(self.fault("EOF while parsing a value")),
            }
        }
        Ok(value)
    }

    /// Counts one more open container, failing at the limit before any
    /// recursion could go deeper: the parser recurses at most `MAX_DEPTH`
    /// times, whatever the input.
    fn enter(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.fault("recursion limit exceeded"));
        }
        self.pos += 1;
        self.skip_whitespace();
        Ok(())
    }

    /// After a `,`: RFC 8259 has no trailing comma before `close`.
    fn after_comma(&mut self, close: u8) -> Parsed<()> {
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            return Err(self.fault("trailing comma"));
        }
        Ok(())
    }

    fn array(&mut self) -> Parsed<Value<'a>> {
        self.enter()?;
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Array(Vec::new()));
            }
            Some(_) => {}
            None => return Err(self.fault("EOF while parsing a list")),
        }
        let base = self.items.len();
        loop {
            let item = self.value()?;
            self.items.push(item);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.after_comma(b']')?,
                Some(b']') => break,
                Some(_) => return Err(self.fault("expected `,` or `]`")),
                None => return Err(self.fault("EOF while parsing a list")),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Value::Array(self.items.drain(base..).collect()))
    }

    fn object(&mut self) -> Parsed<Value<'a>> {
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(Vec::new()));
        }
        let base = self.members.len();
        loop {
            match self.peek() {
                Some(b'"') => self.pos += 1,
                Some(_) => return Err(self.fault("key must be a string")),
                None => return Err(self.fault("EOF while parsing an object")),
            }
            let key = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.pos += 1,
                Some(_) => return Err(self.fault("expected `:`")),
                None => return Err(self.fault("EOF while parsing an object")),
            }
            let value = self.value()?;
            self.members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.after_comma(b'}')?,
                Some(b'}') => break,
                Some(_) => return Err(self.fault("expected `,` or `}`")),
                None => return Err(self.fault("EOF while parsing an object")),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Value::Object(self.members.drain(base..).collect()))
    }

    /// Reads a string whose opening quote has been consumed. Without an
    /// escape (nearly every string an API sends) it is a slice of the input.
    fn string(&mut self) -> Parsed<Cow<'a, str>> {
        let start = self.pos;
        let run = self.plain_run(start)?;
        if self.bytes.get(run) == Some(&b'"') {
            self.pos = run + 1;
            return Ok(Cow::Borrowed(self.slice(start, run)));
        }
        self.escaped_string(start, run).map(Cow::Owned)
    }

    /// The index of the first `"` or `\` from `from`, failing on a raw
    /// control character or the end of the input first. Most of a
    /// document's bytes are in strings: this looks at eight at a time.
    fn plain_run(&self, from: usize) -> Parsed<usize> {
        let mut i = from;
        let found = loop {
            match self.bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
                Some(Ok(word)) => {
                    let mask = run_enders(u64::from_le_bytes(word));
                    if mask != 0 {
                        break Some(i + (mask.trailing_zeros() / 8) as usize);
                    }
                    i += 8;
                }
                // The last few bytes of the input, one at a time.
                _ => {
                    let rest = self.bytes.get(i..).unwrap_or_default();
                    break rest
                        .iter()
                        .position(|&b| ESCAPE[usize::from(b)] != 0)
                        .map(|n| i + n);
                }
            }
        };
        match found {
            Some(end) if self.bytes.get(end).is_some_and(|&b| b >= 0x20) => Ok(end),
            Some(end) => Err(Fault {
                message: "control character (\\u0000-\\u001F) found while parsing a string",
                offset: end,
            }),
            None => Err(Fault {
                message: EOF_IN_STRING,
                offset: self.bytes.len(),
            }),
        }
    }

    /// The rest of a string from its first escape (at `escape`): copies the
    /// text between escapes in runs, decoding each escape. Rare in API
    /// documents, so kept out of line: `string` stays small.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize, mut escape: usize) -> Parsed<String> {
        let mut out = String::with_capacity(escape - start + 16);
        out.push_str(self.slice(start, escape));
        loop {
            // `escape` is at a backslash.
            let (decoded, len) = match self.bytes.get(escape + 1) {
                Some(b'"') => ('"', 2),
                Some(b'\\') => ('\\', 2),
                Some(b'/') => ('/', 2),
                Some(b'b') => ('\u{8}', 2),
                Some(b'f') => ('\u{c}', 2),
                Some(b'n') => ('\n', 2),
                Some(b'r') => ('\r', 2),
                Some(b't') => ('\t', 2),
                Some(b'u') => self.unicode_escape(escape)?,
                Some(_) => {
                    return Err(Fault {
                        message: INVALID_ESCAPE,
                        offset: escape + 1,
                    })
                }
                None => {
                    return Err(Fault {
                        message: EOF_IN_STRING,
                        offset: escape + 1,
                    })
                }
            };
            out.push(decoded);
            escape += len;
            let run = self.plain_run(escape)?;
            out.push_str(self.slice(escape, run));
            if self.bytes.get(run) == Some(&b'"') {
                self.pos = run + 1;
                return Ok(out);
            }
            escape = run;
        }
    }

    /// Decodes the `\uXXXX` at `at` (a surrogate pair: two of them) into a
    /// char and the number of bytes it took. Strings are UTF-8 here, so a
    /// surrogate must be half of a pair, as serde_json requires of `&str`.
    fn unicode_escape(&self, at: usize) -> Parsed<(char, usize)> {
        let first = self.hex4(at + 2)?;
        let code = match first {
            0xDC00..=0xDFFF => {
                return Err(Fault {
                    message: "lone trailing surrogate in hex escape",
                    offset: at,
                })
            }
            0xD800..=0xDBFF => {
                let next = at + 6;
                if self.bytes.get(next..next + 2) != Some(b"\\u") {
                    return Err(Fault {
                        message: "unexpected end of hex escape",
                        offset: next,
                    });
                }
                let second = self.hex4(next + 2)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Fault {
                        message: "lone leading surrogate in hex escape",
                        offset: at,
                    });
                }
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                // Always a valid char: 0x10000..=0x10FFFF.
                return Ok((char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER), 12));
            }
            _ => first,
        };
        // Not a surrogate, so a valid char.
        Ok((
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
            6,
        ))
    }

    /// Four hex digits at `at`.
    fn hex4(&self, at: usize) -> Parsed<u32> {
        let mut n = 0;
        for i in at..at + 4 {
            let digit = match self.bytes.get(i) {
                Some(&b @ b'0'..=b'9') => b - b'0',
                Some(&b @ b'a'..=b'f') => b - b'a' + 10,
                Some(&b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => {
                    return Err(Fault {
                        message: INVALID_ESCAPE,
                        offset: i,
                    })
                }
                None => {
                    return Err(Fault {
                        message: EOF_IN_STRING,
                        offset: i,
                    })
                }
            };
            n = n << 4 | u32::from(digit);
        }
        Ok(n)
    }

    /// Checks a number against RFC 8259's grammar,
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`,
    /// and keeps its text: what it means is the caller's business.
    fn number(&mut self) -> Parsed<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.fault(INVALID_NUMBER));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.fault(INVALID_NUMBER)),
            None => return Err(self.fault("EOF while parsing a value")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.at_least_one_digit()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.at_least_one_digit()?;
        }
        Ok(Value::Number(self.slice(start, self.pos)))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Parsed<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.fault(INVALID_NUMBER)),
            None => Err(self.fault("EOF while parsing a value")),
        }
    }
}

/// A JSON writer into one growing String. Commas are placed automatically:
/// callers emit begin/key/value/end in order.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// True after a value or a closed container: the next value or key of
    /// the same container needs a `,` first.
    needs_comma: bool,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }

    /// For callers that know roughly how long the output will be: one
    /// allocation instead of a String doubling its way there.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            out: String::with_capacity(bytes),
            needs_comma: false,
        }
    }

    pub fn into_string(self) -> String {
        self.out
    }

    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// Writes a `,` if a value came before in the same container.
    fn separate(&mut self) {
        if self.needs_comma {
            self.out.push(',');
        }
    }

    fn open(&mut self, bracket: char) {
        self.separate();
        self.out.push(bracket);
        self.needs_comma = false;
    }

    fn close(&mut self, bracket: char) {
        self.out.push(bracket);
        self.needs_comma = true;
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Writes `"key":` (escaped); the value that follows gets no comma.
    pub fn key(&mut self, key: &str) {
        self.separate();
        write_escaped(&mut self.out, key);
        self.out.push(':');
        self.needs_comma = false;
    }

    /// Writes a scalar's text, after a comma if one is due.
    fn scalar(&mut self, text: &str) {
        self.separate();
        self.out.push_str(text);
        self.needs_comma = true;
    }

    pub fn string(&mut self, s: &str) {
        self.separate();
        write_escaped(&mut self.out, s);
        self.needs_comma = true;
    }

    /// null when None.
    pub fn opt_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.null(),
        }
    }

    pub fn bool(&mut self, b: bool) {
        self.scalar(if b { "true" } else { "false" });
    }

    pub fn null(&mut self) {
        self.scalar("null");
    }

    pub fn u64(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let digits = decimal(n, &mut buf);
        self.scalar(digits);
    }

    pub fn i64(&mut self, n: i64) {
        let mut buf = [0u8; 20];
        let digits = decimal(n.unsigned_abs(), &mut buf);
        self.separate();
        if n < 0 {
            self.out.push('-');
        }
        self.out.push_str(digits);
        self.needs_comma = true;
    }

    /// Writes text already known to be a valid JSON number (no check).
    pub fn raw_number(&mut self, text: &str) {
        self.scalar(text);
    }

    /// Writes a parsed Value back out.
    pub fn value(&mut self, v: &Value<'_>) {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(text) => self.raw_number(text),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.value(item);
                }
                self.end_array();
            }
            Value::Object(members) => {
                self.begin_object();
                for (k, item) in members {
                    self.key(k);
                    self.value(item);
                }
                self.end_object();
            }
        }
    }
}

/// `n` in decimal, in the tail of `buf` (20 digits hold `u64::MAX`),
/// without the formatting machinery.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        start -= 1;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default()
}

/// The bytes of `word` (eight bytes of a string, first byte lowest) that
/// end a plain run, `"`, `\` or a control character, as the high bit of
/// their byte in the result. The classic bit trick: for a byte below `n`
/// (at most 0x80), `byte - n` borrows into its high bit while `!byte` keeps
/// it. A borrow can only carry into later bytes, so bits after the first
/// match may be wrong, but the lowest set bit is exactly the first byte that
/// ends the run. Bytes from 0x80 up (UTF-8 beyond ASCII) never match.
fn run_enders(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    below(word, 0x20) | below(quote, 1) | below(backslash, 1)
}

/// For each byte, what it takes inside a JSON string: 0 when it stands for
/// itself, else the letter after the backslash of its escape (`u` for
/// `\u00xx`). These are the bytes serde_json's writer escapes, and the bytes
/// the parser stops at in a string (a raw control character is an error
/// there, `"` ends the string, `\` starts an escape). One 256-byte table
/// serves both.
static ESCAPE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Writes `s` as a JSON string exactly as serde_json does: `"` and `\`
/// escaped, `\b \f \n \r \t` short, every other control character as
/// `\u00xx` (lowercase hex), everything else (`/`, DEL, non-ASCII) as is.
fn write_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        // Every byte that needs escaping is ASCII: `run..i` is a char
        // boundary on both ends (`get`: see `Parser::slice`).
        out.push_str(s.get(run..i).unwrap_or_default());
        out.push('\\');
        out.push(char::from(escape));
        if escape == b'u' {
            out.push_str("00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// Anything the crate hands to JavaScript as JSON.
pub trait ToJson {
    fn write_json(&self, w: &mut Writer);
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for item in self {
            item.write_json(w);
        }
        w.end_array();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        self.as_slice().write_json(w);
    }
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for Value<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.value(self);
    }
}

pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut w = Writer::new();
    value.write_json(&mut w);
    w.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        match parse(text) {
            Ok(v) => panic!("{text:?} was accepted as {v:?}"),
            Err(e) => e,
        }
    }

    /// Asserts `text` is rejected with `message` at byte `offset`.
    #[track_caller]
    fn rejects(text: &str, message: &str, offset: usize) {
        let e = err(text);
        assert_eq!(
            (e.message.as_str(), e.offset),
            (message, offset),
            "for {text:?}"
        );
    }

    fn s(text: &str) -> Value<'_> {
        Value::String(Cow::Borrowed(text))
    }

    #[test]
    fn scalars_and_whitespace() {
        assert_eq!(parse("null"), Ok(Value::Null));
        assert_eq!(parse(" \t\r\ntrue\n"), Ok(Value::Bool(true)));
        assert_eq!(parse("false"), Ok(Value::Bool(false)));
        assert_eq!(parse(r#""x""#), Ok(s("x")));
        assert_eq!(parse("[ 1 , 2 ]").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(parse("{ }"), Ok(Value::Object(vec![])));
        assert_eq!(parse("[\n]"), Ok(Value::Array(vec![])));
    }

    #[test]
    fn only_rfc_whitespace() {
        rejects("\u{feff}1", "expected value", 0); // BOM
        rejects("\u{c}1", "expected value", 0); // form feed
        rejects("\u{a0}1", "expected value", 0); // no-break space
        rejects("1\u{b}", "trailing characters", 1); // vertical tab
        rejects("[1,\u{2028}2]", "expected value", 3);
    }

    #[test]
    fn numbers_are_checked_and_kept_as_text() {
        for ok in [
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "0.5",
            "-0.0",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "1.25E-07",
            "123456789012345678901234567890",
            "1e400",
            "-1e-400",
        ] {
            assert_eq!(parse(ok), Ok(Value::Number(ok)), "{ok}");
            let inside = format!("[{ok}]");
            assert_eq!(parse(&inside), Ok(Value::Array(vec![Value::Number(ok)])));
        }
        rejects("01", INVALID_NUMBER, 1);
        rejects("-01", INVALID_NUMBER, 2);
        rejects("00", INVALID_NUMBER, 1);
        rejects("+1", "expected value", 0);
        rejects(".5", "expected value", 0);
        rejects("5.", "EOF while parsing a value", 2);
        rejects("[5.]", INVALID_NUMBER, 3);
        rejects("5.e3", INVALID_NUMBER, 2);
        rejects("1e", "EOF while parsing a value", 2);
        rejects("1e+", "EOF while parsing a value", 3);
        rejects("[1e+]", INVALID_NUMBER, 4);
        rejects("[1E-x]", INVALID_NUMBER, 4);
        rejects("-", "EOF while parsing a value", 1);
        rejects("-x", INVALID_NUMBER, 1);
        rejects("- 1", INVALID_NUMBER, 1);
        rejects("1.5.2", "trailing characters", 3);
        rejects("0x10", "trailing characters", 1);
        rejects("NaN", "expected value", 0);
        rejects("Infinity", "expected value", 0);
        rejects("-Infinity", INVALID_NUMBER, 1);
        rejects("[1 2]", "expected `,` or `]`", 3);
    }

    #[test]
    fn literals_are_exact() {
        rejects("tru", "EOF while parsing a value", 3);
        rejects("trux", "expected ident", 3);
        rejects("True", "expected value", 0);
        rejects("nul", "EOF while parsing a value", 3);
        rejects("nulll", "trailing characters", 4);
        rejects("[falsy]", "expected ident", 5);
        rejects("undefined", "expected value", 0);
    }

    #[test]
    fn structure_errors() {
        rejects("", "EOF while parsing a value", 0);
        rejects("   ", "EOF while parsing a value", 3);
        rejects("[", "EOF while parsing a list", 1);
        rejects("[ ", "EOF while parsing a list", 2);
        rejects("[1", "EOF while parsing a list", 2);
        rejects("[1,", "EOF while parsing a value", 3);
        rejects("[1,]", "trailing comma", 3);
        rejects("[,1]", "expected value", 1);
        rejects("[1,,2]", "expected value", 3);
        rejects("{", "EOF while parsing an object", 1);
        rejects("{\"a\"", "EOF while parsing an object", 4);
        rejects("{\"a\" 1}", "expected `:`", 5);
        rejects("{\"a\":}", "expected value", 5);
        rejects("{\"a\":1,}", "trailing comma", 7);
        rejects("{\"a\":1 \"b\":2}", "expected `,` or `}`", 7);
        rejects("{\"a\":1", "EOF while parsing an object", 6);
        rejects("{a:1}", "key must be a string", 1);
        rejects("{'a':1}", "key must be a string", 1);
        rejects("{1:1}", "key must be a string", 1);
        rejects("{,}", "key must be a string", 1);
        rejects("['a']", "expected value", 1);
        rejects("[1]]", "trailing characters", 3);
        rejects("{}{}", "trailing characters", 2);
        rejects("1 2", "trailing characters", 2);
        rejects("[1] // comment", "trailing characters", 4);
        rejects("/* c */ 1", "expected value", 0);
        rejects("[1}", "expected `,` or `]`", 2);
        rejects("{\"a\":1]", "expected `,` or `}`", 6);
        rejects("\"a\":1", "trailing characters", 3);
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let v = parse(r#"{"plain":"Müller & Söhne","esc":"a\"b"}"#).unwrap();
        let members = v.as_object().unwrap();
        assert!(matches!(members[0].0, Cow::Borrowed("plain")));
        assert!(matches!(
            members[0].1,
            Value::String(Cow::Borrowed("Müller & Söhne"))
        ));
        match &members[1].1 {
            Value::String(Cow::Owned(s)) => assert_eq!(s, "a\"b"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_escape() {
        let v = parse(r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000x""#).unwrap();
        assert_eq!(v.as_str(), Some("\"\\/\u{8}\u{c}\n\r\t\u{41}é€\u{0}x"));
        // Text around and between escapes is kept, including non-ASCII.
        let v = parse(r#""é\nü\\ß""#).unwrap();
        assert_eq!(v.as_str(), Some("é\nü\\ß"));
        // DEL and non-ASCII need no escape.
        assert_eq!(parse("\"\u{7f}😀\"").unwrap().as_str(), Some("\u{7f}😀"));
        rejects(r#""\a""#, INVALID_ESCAPE, 2);
        rejects(r#""\x41""#, INVALID_ESCAPE, 2);
        rejects(r#""\'""#, INVALID_ESCAPE, 2);
        rejects(r#""\U0041""#, INVALID_ESCAPE, 2);
        rejects(r#""\u00G1""#, INVALID_ESCAPE, 5);
        rejects(r#""\u12""#, INVALID_ESCAPE, 5);
        rejects(r#""\u12"#, EOF_IN_STRING, 5);
        rejects("\"\\", EOF_IN_STRING, 2);
        rejects("\"abc", EOF_IN_STRING, 4);
        rejects("\"a\\nb", EOF_IN_STRING, 5);
        rejects("[\"a\"", "EOF while parsing a list", 4);
    }

    /// `run_enders` against the obvious byte loop: every byte value in
    /// every lane, over backgrounds of bytes near the edges.
    #[test]
    fn word_scan_finds_the_first_byte_that_ends_a_run() {
        let ends = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for background in [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xc3, 0xff] {
            for lane in 0..8 {
                for b in 0..=255u8 {
                    let mut word = [background; 8];
                    word[lane] = b;
                    // A second candidate later on must not hide the first.
                    word[7] = if lane < 7 { b'"' } else { b };
                    let expected = word.iter().position(|&x| ends(x));
                    let mask = run_enders(u64::from_le_bytes(word));
                    let found = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
                    assert_eq!(found, expected, "{word:x?}");
                }
            }
        }
    }

    #[test]
    fn long_strings_end_where_they_end() {
        for len in 0..40 {
            let body: String = "aé€😀".chars().cycle().take(len).collect();
            for (end, kind) in [
                ("\"", "ok"),
                ("\\n\"", "ok"),
                ("\u{1}\"", "ctl"),
                ("", "eof"),
            ] {
                let text = format!("\"{body}{end}");
                let at = 1 + body.len();
                match kind {
                    "ok" => {
                        let expected = if end.len() == 1 {
                            body.clone()
                        } else {
                            format!("{body}\n")
                        };
                        assert_eq!(parse(&text).unwrap().as_str(), Some(expected.as_str()));
                    }
                    "ctl" => assert_eq!(err(&text).offset, at, "{text:?}"),
                    _ => rejects(&text, EOF_IN_STRING, at),
                }
                // The same string inside a document, with more after it.
                let doc = format!("[\"{body}\",\"{body}\\t{body}\"]");
                let v = parse(&doc).unwrap();
                let items = v.as_array().unwrap();
                assert_eq!(items[0].as_str(), Some(body.as_str()));
                assert_eq!(items[1].as_str(), Some(format!("{body}\t{body}").as_str()));
            }
        }
    }

    #[test]
    fn raw_control_characters_are_rejected_in_strings() {
        for c in 0u8..0x20 {
            let text = format!("\"ab{}\"", char::from(c));
            let e = err(&text);
            assert_eq!(e.offset, 3, "{c:#x}");
            assert!(e.message.starts_with("control character"), "{e}");
            // Also after an escape.
            let text = format!("\"\\n{}\"", char::from(c));
            assert_eq!(err(&text).offset, 3, "{c:#x}");
        }
    }

    #[test]
    fn surrogate_pairs() {
        assert_eq!(parse(r#""\uD83D\uDE00""#).unwrap().as_str(), Some("😀"));
        assert_eq!(parse(r#""\ud83d\ude00!""#).unwrap().as_str(), Some("😀!"));
        assert_eq!(
            parse(r#""\uDBFF\uDFFF""#).unwrap().as_str(),
            Some("\u{10FFFF}")
        );
        assert_eq!(
            parse(r#""\uD800\uDC00""#).unwrap().as_str(),
            Some("\u{10000}")
        );
        assert_eq!(parse(r#""\uFFFF""#).unwrap().as_str(), Some("\u{FFFF}"));
        // A lone trailing surrogate.
        rejects(r#""\uDE00""#, "lone trailing surrogate in hex escape", 1);
        rejects(
            r#""a\uDFFF\uD83D""#,
            "lone trailing surrogate in hex escape",
            2,
        );
        // A leading surrogate not followed by `\u` and a trailing one.
        rejects(r#""\uD83D""#, "unexpected end of hex escape", 7);
        rejects(r#""\uD83Dx""#, "unexpected end of hex escape", 7);
        rejects(r#""\uD83D\n""#, "unexpected end of hex escape", 7);
        rejects(
            r#""\uD83D\u0041""#,
            "lone leading surrogate in hex escape",
            1,
        );
        rejects(
            r#""\uD83D\uD83D""#,
            "lone leading surrogate in hex escape",
            1,
        );
        rejects(r#""\uD83D\uDE0""#, INVALID_ESCAPE, 12);
        rejects(r#""\uD83D"#, "unexpected end of hex escape", 7);
    }

    #[test]
    fn duplicate_keys_are_kept_and_get_finds_the_first() {
        let v = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 3);
        assert_eq!(v.get("a"), Some(&Value::Number("1")));
        assert_eq!(v.get("b"), Some(&Value::Number("2")));
        assert_eq!(v.get("c"), None);
        assert_eq!(Value::Null.get("a"), None);
        // Escaped keys compare by their decoded text.
        let v = parse(r#"{"\u0061":true}"#).unwrap();
        assert_eq!(v.get("a"), Some(&Value::Bool(true)));
    }

    #[test]
    fn accessors_and_kinds() {
        let v = parse(r#"[null,true,1,"s",[],{}]"#).unwrap();
        let kinds: Vec<_> = v.as_array().unwrap().iter().map(Value::kind).collect();
        assert_eq!(
            kinds,
            [
                "null",
                "a boolean",
                "a number",
                "a string",
                "an array",
                "an object"
            ]
        );
        assert_eq!(v.as_str(), None);
        assert_eq!(v.as_object(), None);
        assert_eq!(Value::Number("1").as_str(), None);
        assert_eq!(s("x").as_array(), None);
    }

    #[test]
    fn nested_documents_keep_their_shape() {
        let v = parse(r#"{"a":[1,{"b":[[],{"c":null}]},"x"],"d":{"e":[true,false]}}"#).unwrap();
        let expected = Value::Object(vec![
            (
                "a".into(),
                Value::Array(vec![
                    Value::Number("1"),
                    Value::Object(vec![(
                        "b".into(),
                        Value::Array(vec![
                            Value::Array(vec![]),
                            Value::Object(vec![("c".into(), Value::Null)]),
                        ]),
                    )]),
                    s("x"),
                ]),
            ),
            (
                "d".into(),
                Value::Object(vec![(
                    "e".into(),
                    Value::Array(vec![Value::Bool(true), Value::Bool(false)]),
                )]),
            ),
        ]);
        assert_eq!(v, expected);
    }

    #[test]
    fn error_positions_are_line_and_character_column() {
        let e = err("{\n  \"a\": 1,\n  \"b\" 2\n}");
        assert_eq!((e.line, e.column, e.offset), (3, 7, 18));
        assert_eq!(e.to_string(), "expected `:` at line 3 column 7");
        // Columns count characters, not bytes.
        let e = err("[\"é€😀\", x]");
        assert_eq!((e.line, e.column, e.offset), (1, 9, 14));
        let e = err("");
        assert_eq!((e.line, e.column), (1, 1));
        let e = err("[1,\n");
        assert_eq!((e.line, e.column, e.offset), (2, 1, 4));
        // CR alone is not a line break; the fault is the raw tab.
        let e = err("\r\r\n\"x\ty\"");
        assert_eq!((e.line, e.column, e.offset), (2, 3, 5));
    }

    fn nested(depth: usize) -> String {
        let mut text = "[".repeat(depth);
        text.push_str(&"]".repeat(depth));
        text
    }

    #[test]
    fn depth_limit_is_serde_jsons() {
        assert!(parse(&nested(MAX_DEPTH - 1)).is_ok());
        let e = err(&nested(MAX_DEPTH));
        assert_eq!(e.message, "recursion limit exceeded");
        assert_eq!(e.offset, MAX_DEPTH - 1);
        // Objects and arrays count together.
        let mixed = "{\"a\":[".repeat(MAX_DEPTH / 2);
        let closed = format!("{mixed}{}", "]}".repeat(MAX_DEPTH / 2));
        assert_eq!(err(&closed).message, "recursion limit exceeded");
        let ok = format!(
            "{}1{}",
            "{\"a\":[".repeat(MAX_DEPTH / 2 - 1),
            "]}".repeat(MAX_DEPTH / 2 - 1)
        );
        assert!(parse(&format!("[{ok}]")).is_ok());
        // Siblings do not add up: depth is what is open at once.
        let wide = format!("[{}]", vec![nested(MAX_DEPTH - 2); 50].join(","));
        assert!(parse(&wide).is_ok());
    }

    #[test]
    fn deep_input_is_an_error_not_a_stack_overflow() {
        for open in ["[", "{\"a\":", "[{\"\":"] {
            let text = open.repeat(100_000);
            assert_eq!(err(&text).message, "recursion limit exceeded", "{open}");
        }
    }

    #[test]
    fn writer_escapes_like_serde_json() {
        let w = |s: &str| to_string(s);
        assert_eq!(w(""), r#""""#);
        assert_eq!(w("plain"), r#""plain""#);
        assert_eq!(w("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(w("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(w("\u{0}\u{1}\u{1f}\u{b}"), r#""\u0000\u0001\u001f\u000b""#);
        assert_eq!(w("\u{7f}é€😀\u{2028}"), "\"\u{7f}é€😀\u{2028}\"");
        assert_eq!(w("x\u{1a}"), r#""x\u001a""#);
        let mut all = String::new();
        for c in 0u8..0x20 {
            all.push(char::from(c));
        }
        assert_eq!(
            w(&all),
            r#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        );
        // What the writer escapes, the parser reads back.
        assert_eq!(parse(&w(&all)).unwrap().as_str(), Some(all.as_str()));
    }

    #[test]
    fn writer_places_commas() {
        let mut w = Writer::with_capacity(64);
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.u64(1);
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.null();
        w.end_array();
        w.key("b\"");
        w.begin_object();
        w.key("c");
        w.bool(true);
        w.key("d");
        w.opt_string(None);
        w.key("e");
        w.opt_string(Some("x"));
        w.end_object();
        w.key("f");
        w.i64(-5);
        w.key("g");
        w.raw_number("1.50");
        w.end_object();
        assert_eq!(
            w.as_str(),
            r#"{"a":[1,{},[],null],"b\"":{"c":true,"d":null,"e":"x"},"f":-5,"g":1.50}"#
        );
        // Top-level sequences (as `ToJson for [T]` writes them).
        assert_eq!(
            to_string(&vec!["a".to_string(), "b".to_string()]),
            r#"["a","b"]"#
        );
        assert_eq!(to_string::<[String]>(&[]), "[]");
        let nested: Vec<Vec<String>> = vec![vec![], vec!["x".into()], vec![]];
        assert_eq!(to_string(&nested), r#"[[],["x"],[]]"#);
    }

    #[test]
    fn writer_integers() {
        let mut w = Writer::new();
        w.begin_array();
        for n in [0, 7, 10, 1_000_000, u64::MAX] {
            w.u64(n);
        }
        for n in [0, -1, 42, i64::MIN, i64::MAX] {
            w.i64(n);
        }
        w.end_array();
        assert_eq!(
            w.into_string(),
            "[0,7,10,1000000,18446744073709551615,0,-1,42,-9223372036854775808,9223372036854775807]"
        );
    }

    #[test]
    fn compact_documents_round_trip_byte_for_byte() {
        for text in [
            r#"{"a":[1,-0.5e+3,{"b":null}],"c":"x\ny","a":true,"d":[],"e":{}}"#,
            r#"[[[["é"]]],"\u0001",1E400]"#,
            r#""\"\\/""#,
            "null",
        ] {
            let v = parse(text).unwrap();
            assert_eq!(to_string(&v), text);
        }
        // Escapes serde_json would not write come out in its spelling.
        assert_eq!(
            to_string(&parse(r#""\/\u0041\u00E9\u001F""#).unwrap()),
            "\"/Aé\\u001f\""
        );
    }
}
