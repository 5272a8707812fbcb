//! QuickBooks Online's "Import invoices" CSV: one row per line, rows with
//! the same invoice number form one invoice.
//!
//! Sources (see docs/export-targets-research.md for the full notes):
//! - Columns: the header names QuickBooks Online maps automatically, as an
//!   Intuit community moderator lists them (quickbooks.intuit.com
//!   learn-support en-ca, "Do we need to map field everytime when import
//!   invoices", 01/394876); other names must be mapped by hand.
//! - The invoice number is a DocNumber: at most 21 characters (Zed Axis
//!   KB a197). QuickBooks keeps it only with "custom transaction numbers"
//!   turned on; otherwise it numbers the invoices itself.
//! - Arithmetic: amounts have 2 decimals; a line amount is "Qty × Unit
//!   Price" (Zed Axis KB a197: `Line Amount`, Num 10.5). Rates and
//!   quantities are taken at 5 decimals, the lower of the figures found
//!   (Breadwinner reports 7): a lower guess only writes more lines as
//!   1 × amount, never a different amount.
//! - No negative amounts, at most 100 invoices and 1,000 rows per import
//!   (third-party guides: parsli.co, synder.com); the date format is chosen
//!   in the import wizard, so `dateFormat` matches what the user picks there.
//! - A customer has one currency in QuickBooks Online, and the file has no
//!   currency column: a file holding more than one currency says so in a
//!   warning, and the memo names each invoice's currency.

use super::accounting::{
    description, file_warning, fit_line, group_lines, opt_text, read_terms, reference,
    AccountingExport, DateFormat, InvoiceTerms, Target, TERMS_FIELDS,
};
use super::rfc4180::{Cell, Table};
use crate::decode::{fields, At, FromJson};
use crate::error::Result;
use crate::invoice::Invoice;
use crate::json::Value;
use std::collections::BTreeMap;

const QUICKBOOKS: Target = Target {
    name: "QuickBooks Online",
    rate_dp: 5,
    quantity_dp: 5,
    amount_dp: 2,
    max_invoice_number: 21,
    negative_lines: false,
};

/// The automatically mapped header names, in the order written.
pub const QUICKBOOKS_COLUMNS: [&str; 12] = [
    "Invoice number",
    "Customer",
    "Invoice date",
    "Due date",
    "Terms",
    "Memo",
    "Item (Product/Service)",
    "Item Description",
    "Item Quantity",
    "Item Rate",
    "Item Amount",
    "Service Date",
];

const MAX_INVOICES_PER_IMPORT: usize = 100;
const MAX_ROWS_PER_IMPORT: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickBooksOptions {
    pub terms: InvoiceTerms,
    /// The Product/Service every line is booked to, as named in
    /// QuickBooks; `None` leaves the column empty.
    pub item: Option<String>,
}

impl FromJson for QuickBooksOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [date, due, days, prefix, format, skip, item] = fields(
            v,
            at,
            "QuickBooksOptions",
            &[
                TERMS_FIELDS[0],
                TERMS_FIELDS[1],
                TERMS_FIELDS[2],
                TERMS_FIELDS[3],
                TERMS_FIELDS[4],
                TERMS_FIELDS[5],
                "item",
            ],
            true,
        )?;
        Ok(QuickBooksOptions {
            terms: read_terms(
                [date, due, days, prefix, format, skip],
                at,
                DateFormat::MonthDayYear,
            )?,
            item: opt_text(item, at, "item")?,
        })
    }
}

/// The invoice as a QuickBooks Online invoice import, one invoice per org
/// and currency, with the warnings to read before importing.
pub fn to_quickbooks_csv(invoice: &Invoice, opts: &QuickBooksOptions) -> Result<AccountingExport> {
    let terms = &opts.terms;
    let groups = group_lines(invoice, terms, &QUICKBOOKS)?;
    let mut warnings = Vec::new();
    let mut table = Table::with_capacity(160 * (invoice.lines.len() + 1));
    table.header(&QUICKBOOKS_COLUMNS);
    let invoice_date = terms.date_format.format(terms.invoice_date);
    let due_date = terms.date_format.format(terms.due_date);
    let item = opts.item.as_deref().map_or(Cell::Empty, Cell::Text);
    let mut rows = 0;
    for g in &groups {
        let memo = format!("{}, {}", reference(g), g.currency);
        let service_date = g.period.map(|(start, _)| terms.date_format.format(start));
        for (i, line) in &g.lines {
            let fitted = fit_line(&QUICKBOOKS, *i, line, &mut warnings)?;
            let text = description(line, &fitted);
            table.row(&[
                Cell::Text(&g.number),
                Cell::Text(g.customer),
                Cell::Text(&invoice_date),
                Cell::Text(&due_date),
                Cell::Empty,
                Cell::Text(&memo),
                item,
                Cell::Text(&text),
                Cell::Number(fitted.quantity),
                Cell::Number(fitted.unit_amount),
                Cell::Number(fitted.amount),
                service_date.as_deref().into(),
            ]);
            rows += 1;
        }
    }
    let mut currencies: BTreeMap<&str, usize> = BTreeMap::new();
    for g in &groups {
        *currencies.entry(g.currency).or_default() += 1;
    }
    if currencies.len() > 1 {
        let counts: Vec<String> = currencies
            .iter()
            .map(|(c, n)| format!("{n} in {c}"))
            .collect();
        warnings.push(file_warning(
            "customer_currency",
            format!(
                "this file holds invoices in more than one currency ({}) and QuickBooks Online has no currency column: it bills each customer in the customer's own currency, so each customer must be set up in its invoice's currency (the Memo names it)",
                counts.join(", ")
            ),
        ));
    }
    if groups.len() > MAX_INVOICES_PER_IMPORT || rows > MAX_ROWS_PER_IMPORT {
        warnings.push(file_warning(
            "import_limit",
            format!(
                "this file holds {} invoices in {rows} rows; QuickBooks Online imports at most {MAX_INVOICES_PER_IMPORT} invoices and {MAX_ROWS_PER_IMPORT} rows at a time: split it (rows of one invoice number must stay together)",
                groups.len()
            ),
        ));
    }
    Ok(AccountingExport {
        csv: table.finish(),
        warnings,
    })
}
