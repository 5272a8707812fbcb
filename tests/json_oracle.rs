//! `genesys_billing::json` against serde_json as the oracle: the same
//! texts accepted and rejected, the same values, and a writer whose output
//! both read back (the check itself is `fuzz/src/json_diff.rs`, shared with
//! the `json` fuzz target). The inputs: every file of the fuzz corpus and
//! pieces of it, hand-picked edge cases, and generated text, from random
//! characters of JSON's alphabet to valid documents with one edit.
//!
//! Each test prints how many texts it compared (`cargo test --test
//! json_oracle -- --nocapture`), so a run that compared nothing shows.
// Native only: proptest is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/json_diff.rs"]
mod json_diff;

use json_diff::{check, check_bytes, Outcome};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// How many texts came out which way.
#[derive(Default)]
struct Tally {
    accepted: Cell<usize>,
    rejected: Cell<usize>,
    out_of_range: Cell<usize>,
}

impl Tally {
    fn check(&self, text: &str) {
        self.count(check(text));
    }

    fn count(&self, outcome: Outcome) {
        let counter = match outcome {
            Outcome::Accepted => &self.accepted,
            Outcome::Rejected => &self.rejected,
            Outcome::OutOfRange => &self.out_of_range,
        };
        counter.set(counter.get() + 1);
    }

    fn total(&self) -> usize {
        self.accepted.get() + self.rejected.get() + self.out_of_range.get()
    }

    fn report(&self, what: &str) {
        eprintln!(
            "json_oracle: {what}: {} texts compared with serde_json ({} accepted by both, {} rejected by both, {} out of range for serde_json)",
            self.total(),
            self.accepted.get(),
            self.rejected.get(),
            self.out_of_range.get()
        );
    }
}

/// Runs `strategy` for `cases` cases through the check, shrinking a
/// failure to a minimal text (proptest prints it).
fn run(what: &str, cases: u32, strategy: impl Strategy<Value = String>) -> Tally {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let tally = Tally::default();
    let result = runner.run(&strategy, |text| {
        tally.check(&text);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    tally.report(what);
    tally
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every corpus file as the fuzz harness reads it (bytes → lossy UTF-8),
/// each of its NUL-separated documents, every tail that starts at a `{` or
/// `[` (documents nested in the file, with whatever follows them) and every
/// head that ends at a `}` or `]` (documents cut short).
#[test]
fn fuzz_corpus_agrees_with_serde_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    let tally = Tally::default();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable corpus file");
        // The whole file exactly as the fuzz target takes it.
        tally.count(check_bytes(&bytes));
        let text = String::from_utf8_lossy(&bytes);
        if text.contains('\0') {
            text.split('\0').for_each(|part| tally.check(part));
        }
        for (i, b) in text.bytes().enumerate() {
            match b {
                b'{' | b'[' => tally.check(&text[i..]),
                b'}' | b']' => tally.check(&text[..=i]),
                _ => {}
            }
        }
    }
    eprintln!("json_oracle: {} corpus files", files.len());
    tally.report("fuzz corpus, its documents, tails and heads");
    // The corpus holds realistic documents: many must be valid, and their
    // pieces mostly not. Nothing compared would pass vacuously.
    assert!(files.len() >= 50, "only {} corpus files", files.len());
    assert!(tally.accepted.get() >= 100 && tally.rejected.get() >= 1000);
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

/// The constructs RFC 8259 allows or forbids, one by one.
#[test]
fn edge_cases_agree() {
    let mut cases: Vec<String> = [
        // Whitespace, BOM, other spaces.
        "",
        " ",
        "1",
        " \t\r\n1 \t\r\n",
        "\u{feff}1",
        "\u{c}1",
        "1\u{b}",
        "\u{a0}1",
        "[1,\u{2028}2]",
        // Numbers.
        "0",
        "-0",
        "-0.0",
        "01",
        "-01",
        "00",
        "+1",
        ".5",
        "5.",
        "5.e3",
        "1e",
        "1e+",
        "1E-",
        "1e5",
        "1E+05",
        "-1.5e-7",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "1.5.2",
        "-",
        "- 1",
        "[-]",
        "1e400",
        "-1e400",
        "1e-400",
        "[1e400,x]",
        "[1e400",
        "1e309",
        "1.7976931348623157e308",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        // Literals.
        "true",
        "false",
        "null",
        "tru",
        "trux",
        "True",
        "nul",
        "nulll",
        "[falsy]",
        "undefined",
        // Structure.
        "[",
        "]",
        "[1",
        "[1,",
        "[1,]",
        "[,1]",
        "[1,,2]",
        "[1 2]",
        "[1}",
        "[1]]",
        "{",
        "}",
        "{\"a\"",
        "{\"a\" 1}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":1",
        "{a:1}",
        "{'a':1}",
        "{1:1}",
        "{,}",
        "{\"a\":1]",
        "['a']",
        "{}{}",
        "1 2",
        "[1] // c",
        "/* c */ 1",
        "\"a\":1",
        "{\"a\":1,\"a\":2}",
        "{\"a\":{\"b\":1},\"a\":[]}",
        // Strings and escapes.
        "\"\"",
        "\"abc",
        "\"\\",
        "\"\\a\"",
        "\"\\x41\"",
        "\"\\'\"",
        "\"\\U0041\"",
        "\"\\u00G1\"",
        "\"\\u12\"",
        "\"\\u12",
        "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        "\"\\u0000\"",
        "\"\\u001f\\u007F\\u00e9\\u20AC\\uFFFF\"",
        "\"\u{7f}é😀\"",
        // Surrogates.
        "\"\\uD83D\\uDE00\"",
        "\"\\ud83d\\ude00\"",
        "\"\\uDBFF\\uDFFF\"",
        "\"\\uD800\\uDC00\"",
        "\"\\uDE00\"",
        "\"\\uD83D\"",
        "\"\\uD83Dx\"",
        "\"\\uD83D\\n\"",
        "\"\\uD83D\\u0041\"",
        "\"\\uD83D\\uD83D\"",
        "\"\\uD83D\\uDE0\"",
        "\"\\uD83D",
        "\"\\uD83D\\",
        "\"\\uD83D\\u",
        "\"a\\uDFFF\\uD83D\"",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every control character, in a short string (read a byte at a time)
    // and in a long one (read eight bytes at a time), and outside strings.
    for c in (0u8..=0x20).chain([0x7f]).map(char::from) {
        cases.push(format!("\"a{c}b\""));
        cases.push(format!("[\"0123456789{c}0123456789\",\"é€😀{c}é€😀\"]"));
        cases.push(format!("[{c}1]"));
    }
    // The depth limit, at and around it, arrays and objects alike.
    for depth in [1, 126, 127, 128, 129, 1000] {
        cases.push(nested("[", "]", depth));
        cases.push(nested("{\"a\":", "}", depth - 1).replacen("}", "1}", 1));
        cases.push(format!(
            "{}1{}",
            "[{\"\":".repeat(depth / 2),
            "}]".repeat(depth / 2)
        ));
        cases.push("[".repeat(depth));
    }
    // serde_json's limit, which ours must match: 127 levels, not 128.
    assert!(serde_json::from_str::<serde_json::Value>(&nested("[", "]", 127)).is_ok());
    assert!(serde_json::from_str::<serde_json::Value>(&nested("[", "]", 128)).is_err());
    let tally = Tally::default();
    cases.iter().for_each(|text| tally.check(text));
    tally.report("edge cases");
    assert_eq!(tally.total(), cases.len());
}

/// serde_json's `to_string` of any string, byte for byte.
#[test]
fn strings_are_written_like_serde_json() {
    let strategy = prop_oneof![
        any::<String>(),
        "[\\x00-\\x20\"\\\\/\\x7f]{0,12}",
        "[a\u{0}-\u{1f}é€😀\u{2028}]{0,12}",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let compared = Cell::new(0);
    runner
        .run(&strategy, |s| {
            let ours = genesys_billing::json::to_string(s.as_str());
            prop_assert_eq!(&ours, &serde_json::to_string(&s).unwrap());
            compared.set(compared.get() + 1);
            Ok(())
        })
        .unwrap();
    eprintln!("json_oracle: {} strings written by both", compared.get());
}

/// JSON's own characters in random order: nearly all invalid, and
/// exactly where parsers disagree if they do.
#[test]
fn random_json_characters_agree() {
    const ALPHABET: &[char] = &[
        '{', '}', '[', ']', '"', ',', ':', '0', '1', '2', '9', 'e', 'E', '.', '+', '-', 't', 'r',
        'u', 'n', 'f', 'a', 'l', 's', '\\', ' ', '\n', 'D', '8', '\u{1}', '\u{1f}', '\u{7f}', 'é',
        '😀',
    ];
    let strategy = proptest::collection::vec(proptest::sample::select(ALPHABET), 0..48)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    run("random characters", 20_000, strategy);
}

/// Whole tokens in random order: valid documents come up more often, as
/// do escapes and surrogates.
#[test]
fn random_tokens_agree() {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\"",
        "\"a\"",
        "\"é\"",
        "\"\\n\"",
        "\\u",
        "\\uD83D",
        "\\uDE00",
        "\\u00e9",
        "\\\\",
        "\\\"",
        "\\x",
        "0",
        "-",
        "12",
        "-0.5",
        "1e400",
        "1.",
        ".5",
        "e",
        "E+3",
        "01",
        "true",
        "false",
        "null",
        "nul",
        "\u{1}",
        "\u{1f}",
        "\t",
        "\r",
        "\u{feff}",
        "\"0123456789",
        "abcdefghij\"",
        "é€😀",
    ];
    let strategy = proptest::collection::vec(proptest::sample::select(TOKENS), 0..24)
        .prop_map(|tokens| tokens.concat());
    run("random tokens", 20_000, strategy);
}

/// A document tree whose objects may repeat keys, written by hand so the
/// whitespace varies and duplicates survive (serde_json's `Map` would
/// fold them before we saw them).
#[derive(Debug, Clone)]
enum Tree {
    Leaf(serde_json::Value),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c]{0,3}",
        any::<String>(),
        "[\\x00-\\x1f\"\\\\/é😀\u{2028}]{0,6}",
    ]
}

fn leaf() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(serde_json::Value::Number)),
        text().prop_map(serde_json::Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    leaf()
        .prop_map(Tree::Leaf)
        .prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Tree::Array),
                proptest::collection::vec((text(), inner), 0..6).prop_map(Tree::Object),
            ]
        })
}

/// Writes `tree` as JSON, with `space()` around its tokens.
fn write_tree(tree: &Tree, space: &dyn Fn() -> &'static str, out: &mut String) {
    match tree {
        Tree::Leaf(v) => out.push_str(&serde_json::to_string(v).unwrap()),
        Tree::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space());
                write_tree(item, space, out);
                out.push_str(space());
            }
            out.push(']');
        }
        Tree::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space());
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(space());
                out.push(':');
                out.push_str(space());
                write_tree(v, space, out);
            }
            out.push('}');
        }
    }
}

/// A valid document: a tree written compactly or with whitespace from
/// `spaces` (cycled).
fn document() -> impl Strategy<Value = String> {
    const SPACES: &[&str] = &["", " ", "\n", "\t", "\r\n", "  "];
    (tree(), proptest::collection::vec(0..SPACES.len(), 1..8)).prop_map(|(tree, picks)| {
        let next = Cell::new(0);
        let space = || {
            let i = next.get();
            next.set(i + 1);
            SPACES[picks[i % picks.len()]]
        };
        let mut out = String::new();
        write_tree(&tree, &space, &mut out);
        out
    })
}

/// Valid documents, duplicate keys included: both must accept them and
/// agree on the value.
#[test]
fn random_documents_agree() {
    let tally = run("random documents", 4000, document());
    assert_eq!(tally.rejected.get(), 0, "a valid document was rejected");
}

/// serde_json's own output of random values, compact and pretty.
#[test]
fn serde_json_output_agrees() {
    let value = leaf().prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::vec((text(), inner), 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let strategy = (value, any::<bool>()).prop_map(|(v, pretty)| {
        if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        }
    });
    let tally = run("serde_json's output", 3000, strategy);
    assert_eq!(tally.accepted.get(), tally.total());
}

/// One edit to a valid document: a character deleted, inserted or
/// replaced. Near-valid text is where two parsers' edges show.
#[test]
fn edited_documents_agree() {
    const INSERTS: &[&str] = &[
        "{", "}", "[", "]", "\"", ",", ":", " ", "0", "-", ".", "e", "+", "\\", "\\u", "\u{1}",
        "\t", "a", "1e400",
    ];
    let strategy = (
        document(),
        proptest::collection::vec(
            (
                any::<proptest::sample::Index>(),
                0..3u8,
                proptest::sample::select(INSERTS),
            ),
            1..3,
        ),
    )
        .prop_map(|(mut text, edits)| {
            for (at, op, insert) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                let next = text[i..].chars().next().map_or(0, char::len_utf8);
                match op {
                    0 => text.replace_range(i..i + next, ""),
                    1 => text.insert_str(i, insert),
                    _ => text.replace_range(i..i + next, insert),
                }
            }
            text
        });
    run("edited documents", 20_000, strategy);
}
