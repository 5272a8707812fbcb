//! Native side of the invoice-pipeline benchmark: the same work the wasm
//! package does for `invoiceFromOverview(text)` + `invoiceToCsv(invoice)`,
//! with the crate called directly.
//!
//! ```text
//! bench-native DATASET.jsonl [--runs N] [--warmup N] [--orgs N] [--csv-out FILE]
//!              [--mode per-org|roundtrip|merged[,...]]
//! ```
//!
//! DATASET has one TrusteeBillingOverview JSON text per line. Per org:
//! parse (serde, as the wasm does) → invoice lines with the default options
//! (no markup, half-up, minimum applied) → CSV rows (header with the first
//! org only), appended to one String. `--mode roundtrip` does per org what
//! the JS API makes the wasm do: the invoice is written as JSON (the result
//! of invoiceFromOverview), read back and checked (invoiceToCsv's input),
//! then written as CSV. `--mode merged` merges all invoices
//! (`Invoice::merge`, as `partnerInvoices` does) and writes one CSV.
//! Prints one JSON line per mode: the wall time of every timed run in ms,
//! counts, and the peak RSS (VmHWM) of this process so far.

use genesys_billing::export::csv::{to_csv, CsvOptions};
use genesys_billing::invoice::{self, Invoice};
use genesys_billing::model::TrusteeBillingOverview;
use genesys_billing::options::OverviewInvoiceOptions;
use std::time::Instant;

struct Out {
    csv: String,
    lines: usize,
    totals: usize,
}

fn per_org(texts: &[&str], opts: &OverviewInvoiceOptions) -> Out {
    let mut csv = String::new();
    let (mut lines, mut totals) = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        let o: TrusteeBillingOverview =
            genesys_billing::decode::from_str("the trustee billing overview", text)
                .expect("valid overview");
        let inv = invoice::from_overview(&o, opts).expect("invoice");
        lines += inv.lines.len();
        totals += inv.totals.len();
        let csv_opts = CsvOptions {
            include_header: i == 0,
        };
        csv.push_str(&to_csv(&inv, &csv_opts).expect("csv"));
    }
    Out { csv, lines, totals }
}

fn roundtrip(texts: &[&str], opts: &OverviewInvoiceOptions) -> Out {
    let mut csv = String::new();
    let (mut lines, mut totals) = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        let o: TrusteeBillingOverview =
            genesys_billing::decode::from_str("the trustee billing overview", text)
                .expect("valid overview");
        let inv = invoice::from_overview(&o, opts).expect("invoice");
        let json = genesys_billing::json::to_string(&inv);
        let inv: Invoice =
            genesys_billing::decode::from_str("the invoice", &json).expect("invoice back");
        inv.check().expect("check");
        lines += inv.lines.len();
        totals += inv.totals.len();
        let csv_opts = CsvOptions {
            include_header: i == 0,
        };
        csv.push_str(&to_csv(&inv, &csv_opts).expect("csv"));
    }
    Out { csv, lines, totals }
}

fn merged(texts: &[&str], opts: &OverviewInvoiceOptions) -> Out {
    let invoices = texts.iter().map(|text| {
        let o: TrusteeBillingOverview =
            genesys_billing::decode::from_str("the trustee billing overview", text)
                .expect("valid overview");
        invoice::from_overview(&o, opts).expect("invoice")
    });
    let inv = Invoice::merge(invoices).expect("merge");
    let csv = to_csv(&inv, &CsvOptions::default()).expect("csv");
    Out {
        lines: inv.lines.len(),
        totals: inv.totals.len(),
        csv,
    }
}

fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let (mut runs, mut warmup, mut limit) = (5usize, 1usize, usize::MAX);
    let mut csv_out = None;
    let mut mode = String::from("per-org");
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--runs" => runs = val().parse().expect("--runs N"),
            "--warmup" => warmup = val().parse().expect("--warmup N"),
            "--orgs" => limit = val().parse().expect("--orgs N"),
            "--csv-out" => csv_out = Some(val()),
            "--mode" => mode = val(),
            _ if path.is_none() => path = Some(a),
            _ => panic!("unexpected argument {a}"),
        }
    }
    let path = path.expect("usage: bench-native DATASET.jsonl [--runs N] [--warmup N]");
    let data = std::fs::read_to_string(&path).expect("read dataset");
    let texts: Vec<&str> = data.lines().filter(|l| !l.is_empty()).take(limit).collect();
    let opts = OverviewInvoiceOptions::from_json("{}").expect("default options");
    for mode in mode.split(',') {
        let run = |texts: &[&str]| match mode {
            "per-org" => per_org(texts, &opts),
            "roundtrip" => roundtrip(texts, &opts),
            "merged" => merged(texts, &opts),
            m => panic!("unknown mode {m}"),
        };
        for _ in 0..warmup {
            std::hint::black_box(run(&texts));
        }
        let mut runs_ms = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            let out = run(&texts);
            runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(std::hint::black_box(out));
        }
        let out = last.unwrap_or_else(|| run(&texts));
        if let Some(p) = &csv_out {
            std::fs::write(p, &out.csv).expect("write csv");
        }
        let ms: Vec<String> = runs_ms.iter().map(|m| format!("{m:.3}")).collect();
        println!(
            "{{\"mode\":\"{mode}\",\"orgs\":{},\"runsMs\":[{}],\"lines\":{},\"totals\":{},\"csvBytes\":{},\"maxRssKb\":{}}}",
            texts.len(),
            ms.join(","),
            out.lines,
            out.totals,
            out.csv.len(),
            vm_hwm_kb().map_or("null".into(), |k| k.to_string()),
        );
    }
}
