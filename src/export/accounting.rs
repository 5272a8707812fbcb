//! What the accounting-package imports (Xero, QuickBooks Online) share:
//! invoice and due dates, one invoice number per org and currency, and the
//! rule that keeps the target's arithmetic equal to ours.
//!
//! Both packages recompute every line as quantity × unit price, rounded to
//! two decimals, and total the lines; neither keeps a 28-digit rate. So a
//! line is written as its quantity and rate only when the target's product,
//! at the precision the target keeps, is our line amount under *either*
//! midpoint rule (neither vendor documents which one it uses). Otherwise it
//! is written as 1 × the line amount, as Xero's own rounding guide advises
//! for prices beyond 4 decimals, with the quantity and rate in the
//! description and a `single_unit_line` warning. A line amount the target
//! cannot hold at all (a three-decimal currency not ending in 0) is a
//! `target_limit` error: never a silently different amount.

use super::line_label;
use crate::dates::{CalendarDate, Timestamp};
use crate::decode::{opt_bool, opt_one_of, opt_string, opt_u32, string, At};
use crate::error::{BillingError, Result};
use crate::invoice::{Invoice, InvoiceLine, InvoiceWarning};
use crate::json::{ToJson, Value, Writer};
use crate::money::{self, Rounding};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What an import keeps and refuses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub name: &'static str,
    /// Decimal places kept in a unit price.
    pub rate_dp: u32,
    /// Decimal places kept in a quantity.
    pub quantity_dp: u32,
    /// Decimal places of a line amount and of a total.
    pub amount_dp: u32,
    /// The longest invoice number the target stores.
    pub max_invoice_number: usize,
    /// Whether a line may be negative (a credit).
    pub negative_lines: bool,
}

/// How the import file writes a date. The target reads dates in its
/// organisation's format and may silently swap day and month when they
/// differ, so the caller chooses; see each target's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `31/10/2026` (AU, NZ, UK and most other regions).
    DayMonthYear,
    /// `10/31/2026` (US).
    MonthDayYear,
    /// `2026-10-31`.
    YearMonthDay,
}

impl DateFormat {
    const NAMES: [(&'static str, DateFormat); 3] = [
        ("DD/MM/YYYY", DateFormat::DayMonthYear),
        ("MM/DD/YYYY", DateFormat::MonthDayYear),
        ("YYYY-MM-DD", DateFormat::YearMonthDay),
    ];

    pub fn format(self, date: CalendarDate) -> String {
        let (y, m, d) = date.ymd();
        match self {
            DateFormat::DayMonthYear => format!("{d:02}/{m:02}/{y:04}"),
            DateFormat::MonthDayYear => format!("{m:02}/{d:02}/{y:04}"),
            DateFormat::YearMonthDay => date.to_string(),
        }
    }
}

/// Payment terms when neither `dueDate` nor `paymentTermsDays` is given:
/// net 30, the most common business terms.
pub const DEFAULT_PAYMENT_TERMS_DAYS: u32 = 30;

/// Ten years: longer terms are a typo, not a contract.
const MAX_PAYMENT_TERMS_DAYS: u32 = 3650;

/// The options every accounting import takes, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceTerms {
    pub invoice_date: CalendarDate,
    pub due_date: CalendarDate,
    /// Replaces the default `GC-<yyyyMM>-` before the sequence number.
    pub invoice_number_prefix: Option<String>,
    pub date_format: DateFormat,
    /// Leaves unpriced lines out instead of failing.
    pub skip_unpriced: bool,
}

/// The names `InvoiceTerms` reads, in the order `read_terms` takes them.
pub(crate) const TERMS_FIELDS: [&str; 6] = [
    "invoiceDate",
    "dueDate",
    "paymentTermsDays",
    "invoiceNumberPrefix",
    "dateFormat",
    "skipUnpriced",
];

/// Reads and checks the shared options from their slots (`TERMS_FIELDS`).
pub(crate) fn read_terms(
    slots: [Option<&Value<'_>>; 6],
    at: At<'_>,
    default_format: DateFormat,
) -> Result<InvoiceTerms> {
    let [date, due, terms, prefix, format, skip] = slots;
    let invoice_date = CalendarDate::parse("invoiceDate", &string(date, at, "invoiceDate")?)?;
    let due_text = opt_string(due, at, "dueDate")?;
    let terms = opt_u32(terms, at, "paymentTermsDays")?;
    let due_date = match (due_text, terms) {
        (Some(_), Some(_)) => {
            return Err(BillingError::InvalidOption {
                option: "dueDate".into(),
                reason: "give `dueDate` or `paymentTermsDays`, not both".into(),
            })
        }
        (Some(d), None) => {
            let d = CalendarDate::parse("dueDate", &d)?;
            if d < invoice_date {
                return Err(BillingError::InvalidOption {
                    option: "dueDate".into(),
                    reason: format!("{d} is before the invoice date {invoice_date}"),
                });
            }
            d
        }
        (None, Some(n)) if n > MAX_PAYMENT_TERMS_DAYS => {
            return Err(BillingError::InvalidOption {
                option: "paymentTermsDays".into(),
                reason: format!("{n} is above the maximum of {MAX_PAYMENT_TERMS_DAYS}"),
            })
        }
        (None, n) => invoice_date.plus_days(i64::from(n.unwrap_or(DEFAULT_PAYMENT_TERMS_DAYS))),
    };
    Ok(InvoiceTerms {
        invoice_date,
        due_date,
        invoice_number_prefix: opt_string(prefix, at, "invoiceNumberPrefix")?,
        date_format: opt_one_of(format, at, "dateFormat", &DateFormat::NAMES)?
            .unwrap_or(default_format),
        skip_unpriced: opt_bool(skip, at, "skipUnpriced")?.unwrap_or(false),
    })
}

/// An optional text option: absent is `None`, blank is an error (a blank
/// account code or item would only be refused later, by the target).
pub(crate) fn opt_text(slot: Option<&Value<'_>>, at: At<'_>, name: &str) -> Result<Option<String>> {
    match opt_string(slot, at, name)? {
        Some(t) if t.trim().is_empty() => Err(BillingError::InvalidOption {
            option: name.to_string(),
            reason: "is blank".into(),
        }),
        t => Ok(t),
    }
}

/// An import file and what the caller should know before importing it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountingExport {
    pub csv: String,
    pub warnings: Vec<InvoiceWarning>,
}

impl ToJson for AccountingExport {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("csv");
        w.string(&self.csv);
        w.key("warnings");
        self.warnings.as_slice().write_json(w);
        w.end_object();
    }
}

/// One invoice of the import: an org's priced lines in one currency.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub number: String,
    /// The org's name, else its id: the target's customer/contact.
    pub customer: &'a str,
    pub currency: &'a str,
    /// The first and last day of the billing period, where the lines have one.
    pub period: Option<(CalendarDate, CalendarDate)>,
    pub lines: Vec<(usize, &'a InvoiceLine)>,
}

/// A line as the target will hold it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TargetLine {
    pub quantity: Decimal,
    pub unit_amount: Decimal,
    pub amount: Decimal,
    /// Written as 1 × the amount (see the module comment).
    pub single_unit: bool,
}

/// The line's period as calendar days: the start's day and the inclusive
/// end's day.
fn period_days(line: &InvoiceLine, label: &str) -> Result<Option<(CalendarDate, CalendarDate)>> {
    let (Some(start), Some(end)) = (&line.period_start, &line.period_end) else {
        return Ok(None);
    };
    let day = |field: &str, text: &str| {
        Timestamp::parse(field, text)
            .map(|t| CalendarDate::of(&t))
            .map_err(|e| super::in_line(e, label))
    };
    Ok(Some((day("periodStart", start)?, day("periodEnd", end)?)))
}

fn non_blank(name: &Option<String>) -> Option<&str> {
    name.as_deref().filter(|c| !c.trim().is_empty())
}

/// Groups the priced lines into one invoice per org and currency, numbered
/// in the order the orgs first appear (the same invoice gives the same
/// numbers). Unpriced lines are an `unpriced_line` error unless skipped.
pub(crate) fn group_lines<'a>(
    invoice: &'a Invoice,
    terms: &InvoiceTerms,
    target: &Target,
) -> Result<Vec<Group<'a>>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, line) in invoice.lines.iter().enumerate() {
        if line.amount.is_none() {
            if terms.skip_unpriced {
                continue;
            }
            return Err(BillingError::UnpricedLine {
                line: line_label(i, line),
                target: target.name,
                option: "skipUnpriced",
            }
            .at_line(i, line.organization_id.as_deref()));
        }
        let customer = non_blank(&line.organization_name)
            .or(non_blank(&line.organization_id))
            .ok_or_else(|| BillingError::MissingField {
                field: "organizationName".into(),
                context: format!(
                    "{}, which the {} import needs as the customer (pass `organization` when making a usage invoice)",
                    line_label(i, line),
                    target.name
                ),
            }
            .at_line(i, None))?;
        let key = (
            line.organization_id.as_deref().unwrap_or(customer),
            line.currency.as_str(),
        );
        let g = match index.get(&key) {
            Some(g) => *g,
            None => {
                let label = line_label(i, line);
                groups.push(Group {
                    number: String::new(),
                    customer,
                    currency: &line.currency,
                    period: period_days(line, &label)
                        .map_err(|e| e.at_line(i, line.organization_id.as_deref()))?,
                    lines: Vec::new(),
                });
                index.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[g].lines.push((i, line));
    }
    for (n, g) in groups.iter_mut().enumerate() {
        g.number = invoice_number(terms, g.period, n + 1);
        if g.number.chars().count() > target.max_invoice_number {
            return Err(BillingError::InvalidOption {
                option: "invoiceNumberPrefix".into(),
                reason: format!(
                    "the invoice number {:?} is longer than the {} characters {} keeps",
                    g.number, target.max_invoice_number, target.name
                ),
            });
        }
    }
    Ok(groups)
}

/// `<prefix><sequence>`: the prefix defaults to `GC-<yyyyMM>-` of the
/// billing period (of the invoice date where the lines have none), so next
/// month's numbers differ and a re-import of this month's is refused as a
/// duplicate rather than billed twice.
fn invoice_number(
    terms: &InvoiceTerms,
    period: Option<(CalendarDate, CalendarDate)>,
    sequence: usize,
) -> String {
    match &terms.invoice_number_prefix {
        Some(p) => format!("{p}{sequence:03}"),
        None => {
            let (y, m, _) = period.map_or(terms.invoice_date, |p| p.0).ymd();
            format!("GC-{y:04}{m:02}-{sequence:03}")
        }
    }
}

/// The target's own line amount for `quantity × rate`, if it is the same
/// under both midpoint rules; `None` where the rule would decide.
fn target_amount(product: Decimal, dp: u32) -> Option<Decimal> {
    let up = money::round_amount(product, dp, Rounding::HalfUp);
    let even = money::round_amount(product, dp, Rounding::HalfEven);
    (up == even).then_some(up)
}

fn decimals(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// How `line` is written so that the target computes exactly its amount
/// (see the module comment), with a warning when it had to be 1 × amount.
pub(crate) fn fit_line(
    target: &Target,
    index: usize,
    line: &InvoiceLine,
    warnings: &mut Vec<InvoiceWarning>,
) -> Result<TargetLine> {
    fit_line_unlocated(target, index, line, warnings)
        .map_err(|e| e.at_line(index, line.organization_id.as_deref()))
}

fn fit_line_unlocated(
    target: &Target,
    index: usize,
    line: &InvoiceLine,
    warnings: &mut Vec<InvoiceWarning>,
) -> Result<TargetLine> {
    let label = line_label(index, line);
    let (Some(rate), Some(amount)) = (line.rate, line.amount) else {
        // group_lines lets only priced lines through.
        return Err(BillingError::UnpricedLine {
            line: label,
            target: target.name,
            option: "skipUnpriced",
        });
    };
    if decimals(amount) > target.amount_dp {
        return Err(BillingError::TargetLimit {
            target: target.name,
            what: format!(
                "the amount {} {} (it keeps {} decimals in an amount)",
                money::to_plain(amount),
                line.currency,
                target.amount_dp
            ),
            context: label,
        });
    }
    if amount.is_sign_negative() && !amount.is_zero() && !target.negative_lines {
        return Err(BillingError::TargetLimit {
            target: target.name,
            what: format!("the negative amount {}", money::to_plain(amount)),
            context: label,
        });
    }
    // The amount as the target writes it: at most its decimals, at least
    // the invoice's own minor digits where they fit (1500 JPY stays 1500).
    let written = amount.round_dp(target.amount_dp);
    if decimals(rate) <= target.rate_dp && decimals(line.quantity) <= target.quantity_dp {
        let product = money::checked_mul(line.quantity, rate, "quantity × rate", &label)?;
        if target_amount(product, target.amount_dp) == Some(amount) {
            return Ok(TargetLine {
                quantity: line.quantity.normalize(),
                unit_amount: money::pad_to(rate.normalize(), target.amount_dp.min(amount.scale())),
                amount: written,
                single_unit: false,
            });
        }
    }
    warnings.push(InvoiceWarning {
        code: "single_unit_line".into(),
        message: format!(
            "{} keeps {} decimals in a unit price and rounds each line to {}: {label} is written as 1 × {} with {} × {} in its description, so that {} computes this invoice's amount",
            target.name,
            target.rate_dp,
            target.amount_dp,
            money::to_plain(written),
            money::to_plain(line.quantity),
            money::to_plain(rate),
            target.name,
        ),
        organization_id: line.organization_id.clone(),
        license_type: Some(line.license_type.clone()),
    });
    Ok(TargetLine {
        quantity: Decimal::ONE,
        unit_amount: written,
        amount: written,
        single_unit: true,
    })
}

/// "CX 3 — on-demand (PC-1001)", and for a 1 × amount line the quantity
/// and rate it stands for: ": 1000 × 0.061171 USD".
pub(crate) fn description(line: &InvoiceLine, fitted: &TargetLine) -> String {
    let mut text = format!("{} — {}", line.license_type, line.kind.as_str());
    if let Some(p) = line.part_number.as_deref().filter(|p| !p.is_empty()) {
        text.push_str(&format!(" ({p})"));
    }
    if let (true, Some(rate)) = (fitted.single_unit, line.rate) {
        text.push_str(&format!(
            ": {} × {} {}",
            money::to_plain(line.quantity),
            money::to_plain(rate),
            line.currency
        ));
    }
    text
}

/// "Genesys Cloud 2026-10-01 – 2026-10-31": what the invoice covers.
pub(crate) fn reference(group: &Group<'_>) -> String {
    match group.period {
        Some((start, end)) => format!("Genesys Cloud {start} – {end}"),
        None => "Genesys Cloud".to_string(),
    }
}

/// A warning about the whole file (an import limit).
pub(crate) fn file_warning(code: &str, message: String) -> InvoiceWarning {
    InvoiceWarning {
        code: code.into(),
        message,
        organization_id: None,
        license_type: None,
    }
}
