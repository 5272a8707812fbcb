//! A period comparison as CSV, one row per compared line, formula-safe like
//! the invoice CSV: for a spreadsheet review before invoices go out.

use super::rfc4180::{Cell, Table};
use crate::compare::Comparison;
use crate::error::Result;

/// The header row, in column order.
pub const COMPARISON_COLUMNS: [&str; 14] = [
    "Company",
    "Company ID",
    "Currency",
    "License Type",
    "Part Number",
    "Charge",
    "Previous Quantity",
    "Current Quantity",
    "Quantity Change",
    "Previous Amount",
    "Current Amount",
    "Amount Change",
    "Amount Change %",
    "Status",
];

/// RFC 4180 with CRLF; a side a line lacks, an unpriced amount and a percent
/// without a base are empty cells, never zero.
pub fn comparison_to_csv(comparison: &Comparison) -> Result<String> {
    let mut table = Table::with_capacity(160 * (comparison.rows.len() + 1));
    table.header(&COMPARISON_COLUMNS);
    for row in &comparison.rows {
        table.row(&[
            row.organization_name.as_deref().into(),
            row.organization_id.as_deref().into(),
            Cell::Text(&row.currency),
            Cell::Text(&row.license_type),
            row.part_number.as_deref().into(),
            Cell::Text(row.kind.as_str()),
            row.previous.map(|s| s.quantity).into(),
            row.current.map(|s| s.quantity).into(),
            Cell::Number(row.quantity_change),
            row.previous.and_then(|s| s.amount).into(),
            row.current.and_then(|s| s.amount).into(),
            row.amount_change.into(),
            row.amount_change_percent.into(),
            Cell::Text(row.status.as_str()),
        ]);
    }
    Ok(table.finish())
}
