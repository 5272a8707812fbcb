//! How fast `genesys_billing::json` reads and writes a trustee billing
//! overview, next to `serde_json::Value` on the same text. Not a test and
//! not part of `make bench`: a quick check for whoever changes the parser.
//!
//!   cargo run --release --example json_speed                 # a built-in ~12 KB overview
//!   node benches/gen-dataset.mjs --orgs 200 --out /tmp/ds.jsonl
//!   cargo run --release --example json_speed -- /tmp/ds.jsonl   # one document per line
//!
//! Optimisation levels: Cargo.toml builds this crate at `opt-level = 3` in
//! release and everything else, serde_json included, at the profile's `"z"`.
//! For a like-for-like comparison, build both at 3:
//!
//!   CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --release --example json_speed

use genesys_billing::json::{self, Writer};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Documents parsed per measurement: the benchmark's 10,000 orgs.
const DOCS: usize = 10_000;

/// A compact overview shaped like `benches/gen-dataset.mjs`'s: 40 usages,
/// decimal strings, a non-ASCII name and one with quotes (the only escape
/// an API document usually has).
fn overview() -> String {
    const NAMES: &[&str] = &[
        "Genesys Cloud CX 1 Named User",
        "Genesys Cloud CX 3 Concurrent User",
        "Genesys Cloud Voice minutes US Inbound",
        "BYOC Cloud minutes",
        "Genesys Cloud Recording Storage",
        "Genesys Cloud WEM Workforce Management Add-on Named User",
        "Speech Analytics",
        "Genesys Cloud Data Actions Requests",
    ];
    const GROUPS: &[&str] = &[
        "billable-license",
        "billable-usage",
        "billable-addon-license",
    ];
    const UNITS: &[&str] = &["seat", "minute", "gigabyte", "hour", "request"];
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut w = Writer::with_capacity(16 * 1024);
    w.begin_object();
    w.key("organization");
    w.begin_object();
    w.key("id");
    w.string("38f4b62f-db3c-4912-babe-b9ec5f352b80");
    w.key("name");
    w.string("Coöp Pharma \"Blue Door\" North America S.A.");
    w.key("selfUri");
    w.string("/api/v2/organizations/38f4b62f-db3c-4912-babe-b9ec5f352b80");
    w.end_object();
    w.key("currency");
    w.string("EUR");
    w.key("enabledProducts");
    w.begin_array();
    for i in 0..40 {
        w.string(&format!("PRODUCT{i:02}NU"));
    }
    w.end_array();
    w.key("subscriptionType");
    w.string("PREPAY_MONTHLY_COMMITMENT");
    w.key("billingPeriodStartDate");
    w.string("2026-10-01T00:00:00Z");
    w.key("billingPeriodEndDate");
    w.string("2026-10-31T23:59:59Z");
    w.key("usages");
    w.begin_array();
    for i in 0..40 {
        let name = NAMES[i % NAMES.len()];
        w.begin_object();
        w.key("name");
        w.string(name);
        w.key("partNumber");
        w.string(&format!("PC-170-NV-U{i:03}"));
        w.key("grouping");
        w.string(GROUPS[next(3) as usize]);
        w.key("unitOfMeasureType");
        w.string(UNITS[next(5) as usize]);
        w.key("usageQuantity");
        w.string(&format!("{}.{}", next(2_000_000), next(10)));
        w.key("overagePrice");
        w.string(&format!("{}.{:04}", next(200), next(10_000)));
        w.key("prepayQuantity");
        w.string(&format!("{}", next(1_000_000)));
        w.key("prepayPrice");
        w.string(&format!("{}.{:04}", next(150), next(10_000)));
        w.key("isCancellable");
        w.bool(next(2) == 0);
        w.key("bundleQuantity");
        w.string("1");
        w.key("isThirdParty");
        w.bool(false);
        w.end_object();
    }
    w.end_array();
    w.key("minimumMonthlyAmount");
    w.string("15000.00");
    w.key("inRampPeriod");
    w.bool(false);
    w.key("selfUri");
    w.string("/api/v2/billing/trusteebillingoverview/38f4b62f-db3c-4912-babe-b9ec5f352b80");
    w.end_object();
    w.into_string()
}

/// Runs `f` over every document until `DOCS` have been done, three
/// times, and keeps the fastest run.
fn time(docs: &[String], mut f: impl FnMut(&str)) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            for doc in docs.iter().cycle().take(DOCS) {
                f(black_box(doc));
            }
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn report(what: &str, elapsed: Duration, bytes: usize) {
    let per_doc = elapsed.as_secs_f64() * 1e6 / DOCS as f64;
    let mb_per_s = bytes as f64 / elapsed.as_secs_f64() / 1e6;
    println!(
        "{what:<44} {:>8.1} ms for {DOCS} docs  {per_doc:>7.2} µs/doc  {mb_per_s:>7.1} MB/s",
        elapsed.as_secs_f64() * 1e3
    );
}

fn main() {
    let docs: Vec<String> = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        None => vec![overview()],
    };
    assert!(!docs.is_empty(), "no documents");
    let bytes: usize = docs.iter().cycle().take(DOCS).map(String::len).sum();
    println!(
        "{} distinct document(s), {:.1} KB on average",
        docs.len(),
        bytes as f64 / DOCS as f64 / 1024.0
    );
    for doc in &docs {
        let ours = json::parse(doc).expect("ours accepts the document");
        let theirs: serde_json::Value = serde_json::from_str(doc).expect("serde_json accepts it");
        assert_eq!(
            ours.get("currency").and_then(|c| c.as_str()),
            theirs["currency"].as_str()
        );
    }

    let ours = time(&docs, |d| {
        black_box(json::parse(d).expect("valid"));
    });
    let theirs = time(&docs, |d| {
        black_box(serde_json::from_str::<serde_json::Value>(d).expect("valid"));
    });
    report("parse: genesys_billing::json::parse", ours, bytes);
    report("parse: serde_json::from_str::<Value>", theirs, bytes);
    println!(
        "parse: ours takes {:.2}x serde_json's time",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );

    let parsed: Vec<_> = docs
        .iter()
        .map(|d| json::parse(d).expect("valid"))
        .collect();
    let values: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::from_str(d).expect("valid"))
        .collect();
    let mut i = 0;
    let ours = time(&docs, |_| {
        black_box(json::to_string(&parsed[i % parsed.len()]));
        i += 1;
    });
    let mut i = 0;
    let theirs = time(&docs, |_| {
        black_box(serde_json::to_string(&values[i % values.len()]).expect("serialises"));
        i += 1;
    });
    report("write: genesys_billing::json::to_string", ours, bytes);
    report("write: serde_json::to_string(&Value)", theirs, bytes);
}
