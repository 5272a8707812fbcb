//! Xero's "Import sales invoices" CSV: one row per line, rows with the same
//! `*InvoiceNumber` form one draft invoice.
//!
//! Sources (see docs/export-targets-research.md for the full notes):
//! - Columns: the 29-column header of Xero's `SalesInvoiceTemplate.csv`,
//!   stars included (Xero matches header names exactly).
//! - Dates: "Use the format DD/MM/YYYY" (Xero's import instructions, as
//!   quoted in the sblive Xero Guide); US organisations read MM/DD/YYYY, and
//!   Xero swaps ambiguous days silently, so `dateFormat` chooses.
//! - Arithmetic: Xero keeps 4 decimals in a unit price and rounds each line
//!   amount to 2 ("Rounding in Xero", developer.xero.com); LineAmount =
//!   Quantity × UnitAmount (Xero-OpenAPI `LineItem.LineAmount`). Quantity is
//!   taken as 4 decimals too (Breadwinner's Xero notes; not in Xero's text).
//! - TaxType is the organisation's own display name of a tax rate; left out,
//!   the column is omitted and Xero applies the account's default rate
//!   (entryrocket.com's Xero import guide: a present column must be filled).
//! - At most 500 invoices per file (the same Xero instructions).
//! - `Total` and `TaxAmount` are left empty: Xero computes them.

use super::accounting::{
    description, file_warning, fit_line, group_lines, opt_text, read_terms, reference,
    AccountingExport, DateFormat, InvoiceTerms, Target, TERMS_FIELDS,
};
use super::rfc4180::{Cell, Table};
use crate::decode::{fields, At, FromJson};
use crate::error::Result;
use crate::invoice::Invoice;
use crate::json::Value;

const XERO: Target = Target {
    name: "Xero",
    rate_dp: 4,
    quantity_dp: 4,
    amount_dp: 2,
    max_invoice_number: 255,
    negative_lines: true,
};

/// The template's header, in its order.
pub const XERO_COLUMNS: [&str; 29] = [
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "Total",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
];

const TAX_TYPE_COLUMN: usize = 21;

/// Sales in Xero's default chart of accounts.
pub const DEFAULT_ACCOUNT_CODE: &str = "200";

/// Xero's limit on invoices in one import file.
const MAX_INVOICES_PER_FILE: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XeroOptions {
    pub terms: InvoiceTerms,
    /// The revenue account every line is coded to (default "200").
    pub account_code: String,
    /// The tax rate's display name in the Xero organisation; `None` omits
    /// the column.
    pub tax_type: Option<String>,
}

impl FromJson for XeroOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [date, due, days, prefix, format, skip, account, tax] = fields(
            v,
            at,
            "XeroOptions",
            &[
                TERMS_FIELDS[0],
                TERMS_FIELDS[1],
                TERMS_FIELDS[2],
                TERMS_FIELDS[3],
                TERMS_FIELDS[4],
                TERMS_FIELDS[5],
                "accountCode",
                "taxType",
            ],
            true,
        )?;
        Ok(XeroOptions {
            terms: read_terms(
                [date, due, days, prefix, format, skip],
                at,
                DateFormat::DayMonthYear,
            )?,
            account_code: opt_text(account, at, "accountCode")?
                .unwrap_or_else(|| DEFAULT_ACCOUNT_CODE.to_string()),
            tax_type: opt_text(tax, at, "taxType")?,
        })
    }
}

/// The invoice as a Xero sales-invoice import, one invoice per org and
/// currency, with the warnings to read before importing.
pub fn to_xero_csv(invoice: &Invoice, opts: &XeroOptions) -> Result<AccountingExport> {
    let terms = &opts.terms;
    let groups = group_lines(invoice, terms, &XERO)?;
    let mut warnings = Vec::new();
    let mut table = Table::with_capacity(200 * (invoice.lines.len() + 1));
    let with_tax = opts.tax_type.is_some();
    let header: Vec<&str> = XERO_COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, _)| with_tax || *i != TAX_TYPE_COLUMN)
        .map(|(_, c)| *c)
        .collect();
    table.header(&header);
    let invoice_date = terms.date_format.format(terms.invoice_date);
    let due_date = terms.date_format.format(terms.due_date);
    for g in &groups {
        let reference = reference(g);
        for (i, line) in &g.lines {
            let fitted = fit_line(&XERO, *i, line, &mut warnings)?;
            let text = description(line, &fitted);
            let mut cells = vec![Cell::Text(g.customer)];
            cells.extend([Cell::Empty; 9]);
            cells.extend([
                Cell::Text(&g.number),
                Cell::Text(&reference),
                Cell::Text(&invoice_date),
                Cell::Text(&due_date),
                Cell::Empty,
                Cell::Empty,
                Cell::Text(&text),
                Cell::Number(fitted.quantity),
                Cell::Number(fitted.unit_amount),
                Cell::Empty,
                Cell::Text(&opts.account_code),
            ]);
            if let Some(tax) = &opts.tax_type {
                cells.push(Cell::Text(tax));
            }
            cells.extend([Cell::Empty; 5]);
            cells.extend([Cell::Text(g.currency), Cell::Empty]);
            table.row(&cells);
        }
    }
    if groups.len() > MAX_INVOICES_PER_FILE {
        warnings.push(file_warning(
            "import_limit",
            format!(
                "this file holds {} invoices; Xero imports at most {MAX_INVOICES_PER_FILE} per file: split it (rows of one *InvoiceNumber must stay together)",
                groups.len()
            ),
        ));
    }
    Ok(AccountingExport {
        csv: table.finish(),
        warnings,
    })
}
