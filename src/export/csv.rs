//! The plain invoice CSV: one row per invoice line, for a spreadsheet or an
//! accounting import.

use super::rfc4180::{Cell, Table};
use crate::decode::{fields, opt_bool, At, FromJson};
use crate::error::Result;
use crate::invoice::Invoice;
use crate::json::Value;

/// The header row, in column order.
pub const CSV_COLUMNS: [&str; 12] = [
    "Company",
    "Company ID",
    "License Type",
    "Part Number",
    "Charge",
    "Quantity",
    "Unit",
    "Rate",
    "Amount",
    "Currency",
    "Period Start",
    "Period End",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Writes the header row first (default true); off, for appending one
    /// org's rows to a file that already has it.
    pub include_header: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            include_header: true,
        }
    }
}

impl FromJson for CsvOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [header] = fields(v, at, "CsvOptions", &["includeHeader"], true)?;
        Ok(CsvOptions {
            include_header: opt_bool(header, at, "includeHeader")?.unwrap_or(true),
        })
    }
}

/// The invoice as RFC 4180 CSV with CRLF line ends. Unpriced lines keep
/// empty Rate and Amount cells (never zero); periods are carried exactly as
/// the API gave them.
pub fn to_csv(invoice: &Invoice, opts: &CsvOptions) -> Result<String> {
    // About 150 bytes a line in a typical partner invoice.
    let mut table = Table::with_capacity(150 * (invoice.lines.len() + 1));
    if opts.include_header {
        table.header(&CSV_COLUMNS);
    }
    for line in &invoice.lines {
        table.row(&[
            line.organization_name.as_deref().into(),
            line.organization_id.as_deref().into(),
            Cell::Text(&line.license_type),
            line.part_number.as_deref().into(),
            Cell::Text(line.kind.as_str()),
            Cell::Number(line.quantity),
            line.unit_of_measure.as_deref().into(),
            line.rate.into(),
            line.amount.into(),
            Cell::Text(&line.currency),
            line.period_start.as_deref().into(),
            line.period_end.as_deref().into(),
        ]);
    }
    Ok(table.finish())
}
