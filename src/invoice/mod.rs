//! Invoice lines (Company, License type, Quantity, Rate, Amount) computed
//! exactly from a trustee billing overview or a billable-usage report.
//!
//! This module holds the invoice itself (lines, totals, warnings), merging,
//! the integrity check and the JSON form; `overview` and `usage` hold the
//! pricing rules of each source, one named function per rule.

mod overview;
mod usage;

pub use self::overview::{from_overview, from_overviews};
pub use self::usage::from_usage;

use crate::dates::Timestamp;
use crate::decode::{
    self, array, fields, list, opt_bool, opt_string, optional, required, string, At, FromJson,
};
use crate::error::{BillingError, Result};
use crate::json::{ToJson, Value, Writer};
use crate::model::BillingUsageResource;
use crate::money;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Prepaid (committed) quantity at the prepay price.
    Prepay,
    /// Usage above the prepaid quantity at the overage price.
    OnDemand,
    /// Tops the org up to its minimum monthly amount.
    MinimumCommitment,
    /// A billable-usage report line, priced from the caller's price book.
    Usage,
}

/// One invoice line. `rate` and `amount` are both set or both null: a line
/// without a rate is unpriced, never zero. Reading a line checks this.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceLine {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub license_type: String,
    pub part_number: Option<String>,
    pub grouping: Option<String>,
    pub unit_of_measure: Option<String>,
    pub kind: LineKind,
    pub quantity: Decimal,
    pub rate: Option<Decimal>,
    pub amount: Option<Decimal>,
    pub currency: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub bundle_quantity: Option<String>,
    pub is_third_party: Option<bool>,
    /// The users or devices behind a `usage` line, for a detail view.
    pub resources: Option<Vec<BillingUsageResource>>,
}

/// The sum of an organisation's rounded line amounts in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceTotal {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub currency: String,
    pub amount: Decimal,
    /// False when a line of this org and currency is unpriced: the amount
    /// then covers the priced lines only.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceWarning {
    pub code: String,
    pub message: String,
    pub organization_id: Option<String>,
    pub license_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Invoice {
    pub lines: Vec<InvoiceLine>,
    pub totals: Vec<InvoiceTotal>,
    pub warnings: Vec<InvoiceWarning>,
}

/// Who an invoice is for, as the lines and messages name it.
pub(super) struct Org<'a> {
    pub(super) id: Option<&'a str>,
    pub(super) name: Option<&'a str>,
}

impl Org<'_> {
    pub(super) fn label(&self) -> String {
        org_label(self.id, self.name)
    }
}

/// An organisation as an error's context: named in words, located by id.
pub(crate) struct OrgContext<'a>(pub Option<&'a str>, pub Option<&'a str>);

impl fmt::Display for OrgContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&org_label(self.0, self.1))
    }
}

impl crate::error::ErrorContext for OrgContext<'_> {
    fn location(&self) -> crate::error::Location {
        crate::error::Location {
            organization_id: self.0.map(str::to_string),
            ..Default::default()
        }
    }
}

/// How messages name an organisation: `org "Acme" (id)`.
pub(crate) fn org_label(id: Option<&str>, name: Option<&str>) -> String {
    match (name, id) {
        (Some(n), Some(i)) => format!("org {n:?} ({i})"),
        (Some(n), None) => format!("org {n:?}"),
        (None, Some(i)) => format!("org {i}"),
        (None, None) => "the organization".to_string(),
    }
}

impl LineKind {
    pub(crate) const ALL: [LineKind; 4] = [
        LineKind::Prepay,
        LineKind::OnDemand,
        LineKind::MinimumCommitment,
        LineKind::Usage,
    ];

    /// The kind as JSON, the CSV's Charge column and messages spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Prepay => "prepay",
            LineKind::OnDemand => "on-demand",
            LineKind::MinimumCommitment => "minimum-commitment",
            LineKind::Usage => "usage",
        }
    }
}

// ---- What overview and usage pricing share ----

/// Which usage an error is about: `usage #3 "CX 3" (PC-1) of org "Acme" (id)`.
/// Displayed, so the description is formatted only when an error needs it:
/// formatting it for every usage was measurable on the hot path.
pub(super) struct UsageContext<'a> {
    pub(super) index: usize,
    pub(super) name: &'a str,
    pub(super) part_number: Option<&'a str>,
    pub(super) org: &'a str,
    pub(super) org_id: Option<&'a str>,
}

impl crate::error::ErrorContext for UsageContext<'_> {
    fn location(&self) -> crate::error::Location {
        crate::error::Location {
            organization_id: self.org_id.map(str::to_string),
            usage_index: Some(self.index),
            usage_name: Some(self.name.to_string()),
            part_number: self.part_number.map(str::to_string),
            ..Default::default()
        }
    }
}

impl fmt::Display for UsageContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "usage #{} {:?}", self.index + 1, self.name)?;
        if let Some(p) = self.part_number {
            write!(f, " ({p})")?;
        }
        write!(f, " of {}", self.org)
    }
}

/// Prices a quantity: the amount is rounded once, per line.
pub(super) fn amount(
    quantity: Decimal,
    rate: Option<Decimal>,
    exponent: u32,
    options_rounding: money::Rounding,
    context: &dyn crate::error::ErrorContext,
) -> Result<Option<Decimal>> {
    rate.map(|r| {
        let exact = money::checked_mul(quantity, r, "quantity × rate", context)?;
        Ok(money::round_amount(exact, exponent, options_rounding))
    })
    .transpose()
}

/// The warning that explains an unpriced line.
pub(super) fn unpriced_warning(org: &Org, line: &InvoiceLine, why: &str) -> InvoiceWarning {
    InvoiceWarning {
        code: "unpriced".into(),
        message: format!(
            "{}: {} line {:?} has no rate ({why}); it is not counted in the total",
            org.label(),
            line.kind.as_str(),
            line.license_type
        ),
        organization_id: org.id.map(str::to_string),
        license_type: Some(line.license_type.clone()),
    }
}

/// Rejects a period that ends before it starts: such data cannot be billed
/// for, and would otherwise surface only at export time, as a Stripe
/// `invalid_invoice` or a FOCUS file with a negative charge period.
pub(super) fn check_period(
    (start_field, start): (&str, Option<&Timestamp>),
    (end_field, end): (&str, Option<&Timestamp>),
    context: &str,
) -> Result<()> {
    match (start, end) {
        (Some(s), Some(e)) if e.unix_ms() < s.unix_ms() => Err(BillingError::InvalidDate {
            field: format!("`{end_field}` of {context}"),
            detail: format!(
                "{:?} is before `{start_field}` {:?}",
                e.as_str(),
                s.as_str()
            ),
        }),
        _ => Ok(()),
    }
}

/// What a total is kept per: organisation and currency.
type TotalKey<'a> = (Option<&'a str>, Option<&'a str>, &'a str);

fn total_key(t: &InvoiceTotal) -> TotalKey<'_> {
    (
        t.organization_id.as_deref(),
        t.organization_name.as_deref(),
        &t.currency,
    )
}

/// All organisations' totals in one currency: what a partner's run comes
/// to, per currency (currencies are never added together).
#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyTotal {
    pub currency: String,
    pub amount: Decimal,
    /// Organisations with a total in this currency.
    pub organizations: usize,
    /// Of those, how many totals leave out unpriced lines.
    pub incomplete: usize,
}

/// Sums org totals per currency, in the order each currency first appears.
pub fn currency_totals(totals: &[InvoiceTotal]) -> Result<Vec<CurrencyTotal>> {
    let mut out: Vec<CurrencyTotal> = Vec::new();
    for t in totals {
        let pos = match out.iter().position(|c| c.currency == t.currency) {
            Some(p) => p,
            None => {
                out.push(CurrencyTotal {
                    currency: t.currency.clone(),
                    amount: Decimal::ZERO,
                    organizations: 0,
                    incomplete: 0,
                });
                out.len() - 1
            }
        };
        let c = &mut out[pos];
        c.amount = money::checked_add(c.amount, t.amount, "the total per currency", &t.currency)?;
        c.organizations += 1;
        c.incomplete += usize::from(!t.complete);
    }
    Ok(out)
}

/// Builds the totals of `lines` per organisation and currency, in the order
/// each pair first appears. Currencies are never added together. Indexed, so
/// a partner run of thousands of orgs stays linear.
pub fn totals(lines: &[InvoiceLine]) -> Result<Vec<InvoiceTotal>> {
    let mut out: Vec<InvoiceTotal> = Vec::new();
    let mut index: HashMap<TotalKey<'_>, usize> = HashMap::new();
    for line in lines {
        let key = (
            line.organization_id.as_deref(),
            line.organization_name.as_deref(),
            line.currency.as_str(),
        );
        let pos = *index.entry(key).or_insert_with(|| {
            out.push(InvoiceTotal {
                organization_id: line.organization_id.clone(),
                organization_name: line.organization_name.clone(),
                currency: line.currency.clone(),
                amount: Decimal::ZERO,
                complete: true,
            });
            out.len() - 1
        });
        let total = &mut out[pos];
        match line.amount {
            Some(a) => {
                total.amount = total.amount.checked_add(a).ok_or_else(|| {
                    let org = OrgContext(
                        line.organization_id.as_deref(),
                        line.organization_name.as_deref(),
                    );
                    money::overflow("the total", &org)
                })?;
            }
            None => total.complete = false,
        }
    }
    Ok(out)
}

impl Invoice {
    /// Puts several orgs' invoices into one, as a partner run does. Totals
    /// stay per organisation and currency.
    pub fn merge(invoices: impl IntoIterator<Item = Invoice>) -> Result<Invoice> {
        let mut out = Invoice::default();
        let mut empty_totals = Vec::new();
        for inv in invoices {
            if inv.lines.is_empty() {
                empty_totals.extend(inv.totals);
            }
            out.lines.extend(inv.lines);
            out.warnings.extend(inv.warnings);
        }
        out.totals = totals(&out.lines)?;
        // An org can appear twice in a run (once empty): one total each.
        let mut known: HashSet<(Option<String>, Option<String>, String)> = out
            .totals
            .iter()
            .map(|t| {
                (
                    t.organization_id.clone(),
                    t.organization_name.clone(),
                    t.currency.clone(),
                )
            })
            .collect();
        for t in empty_totals {
            let key = (
                t.organization_id.clone(),
                t.organization_name.clone(),
                t.currency.clone(),
            );
            if known.insert(key) {
                out.totals.push(t);
            }
        }
        Ok(out)
    }

    /// Checks an invoice handed back from JavaScript before exporting it:
    /// every total must be the sum of its lines, appear once, and a total
    /// with no line behind it must be zero (an org with no usage).
    pub fn check(&self) -> Result<()> {
        let computed = totals(&self.lines)?;
        let same = |a: &InvoiceTotal, b: &InvoiceTotal| {
            a.organization_id == b.organization_id
                && a.organization_name == b.organization_name
                && a.currency == b.currency
        };
        let mismatch = |t: &InvoiceTotal, why: &str| BillingError::InvalidInvoice {
            reason: format!(
                "the total for {} in {} {why} ({})",
                t.organization_name
                    .as_deref()
                    .or(t.organization_id.as_deref())
                    .unwrap_or("the organization"),
                t.currency,
                money::to_plain(t.amount)
            ),
        };
        let mut given: HashMap<TotalKey<'_>, Vec<&InvoiceTotal>> = HashMap::new();
        for g in &self.totals {
            given.entry(total_key(g)).or_default().push(g);
        }
        let computed_keys: HashSet<TotalKey<'_>> = computed.iter().map(total_key).collect();
        for t in &computed {
            match given.get(&total_key(t)).map(Vec::as_slice) {
                Some([g]) if same(g, t) && g.amount == t.amount && g.complete == t.complete => {}
                Some([_, _, ..]) => return Err(mismatch(t, "appears more than once")),
                _ => return Err(mismatch(t, "does not match its lines")),
            }
        }
        for g in &self.totals {
            let lineless = !computed_keys.contains(&total_key(g));
            if lineless && (!g.amount.is_zero() || !g.complete) {
                return Err(mismatch(g, "has no lines but is not zero"));
            }
        }
        Ok(())
    }

    pub fn from_json(json: &str) -> Result<Invoice> {
        decode::from_str("invoice", json)
    }
}

// ---- The invoice as JSON: written for JavaScript, read back from it ----

/// A decimal string of an invoice handed back from JavaScript. A malformed
/// one is the invoice's `wrong_type` (the document is not an invoice we
/// wrote), quoting the field and the value.
pub(crate) fn decimal(v: &Value<'_>, at: At<'_>, name: &str) -> Result<Decimal> {
    let text = decode::as_str(v, at, name)?;
    money::parse_decimal(name, &"the invoice", text).map_err(|e| at.wrong(Some(name), &e))
}

pub(crate) fn opt_decimal(
    slot: Option<&Value<'_>>,
    at: At<'_>,
    name: &str,
) -> Result<Option<Decimal>> {
    optional(slot).map(|v| decimal(v, at, name)).transpose()
}

const LINE_FIELDS: [&str; 16] = [
    "organizationId",
    "organizationName",
    "licenseType",
    "partNumber",
    "grouping",
    "unitOfMeasure",
    "kind",
    "quantity",
    "rate",
    "amount",
    "currency",
    "periodStart",
    "periodEnd",
    "bundleQuantity",
    "isThirdParty",
    "resources",
];

impl FromJson for InvoiceLine {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [org_id, org_name, license, part, grouping, unit, kind, quantity, rate, amount, currency, start, end, bundle, third_party, resources] =
            fields(v, at, "InvoiceLine", &LINE_FIELDS, false)?;
        let kinds = LineKind::ALL.map(|k| (k.as_str(), k));
        let line = InvoiceLine {
            organization_id: opt_string(org_id, at, "organizationId")?,
            organization_name: opt_string(org_name, at, "organizationName")?,
            license_type: string(license, at, "licenseType")?,
            part_number: opt_string(part, at, "partNumber")?,
            grouping: opt_string(grouping, at, "grouping")?,
            unit_of_measure: opt_string(unit, at, "unitOfMeasure")?,
            kind: decode::one_of(required(kind, at, "kind")?, at, "kind", &kinds)?,
            quantity: decimal(required(quantity, at, "quantity")?, at, "quantity")?,
            rate: opt_decimal(rate, at, "rate")?,
            amount: opt_decimal(amount, at, "amount")?,
            currency: string(currency, at, "currency")?,
            period_start: opt_string(start, at, "periodStart")?,
            period_end: opt_string(end, at, "periodEnd")?,
            bundle_quantity: opt_string(bundle, at, "bundleQuantity")?,
            is_third_party: opt_bool(third_party, at, "isThirdParty")?,
            resources: optional(resources)
                .map(|r| {
                    let items = decode::as_array(r, at, "resources")?;
                    list(items, at, "resources", BillingUsageResource::from_json)
                })
                .transpose()?,
        };
        if line.rate.is_some() != line.amount.is_some() {
            return Err(at.wrong(
                None,
                &format_args!(
                    "line {:?} has a rate without an amount or an amount without a rate",
                    line.license_type
                ),
            ));
        }
        if line.currency.is_empty() {
            return Err(at.wrong(
                None,
                &format_args!("line {:?} has no currency", line.license_type),
            ));
        }
        Ok(line)
    }
}

impl FromJson for InvoiceTotal {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [org_id, org_name, currency, amount, complete] = fields(
            v,
            at,
            "InvoiceTotal",
            &[
                "organizationId",
                "organizationName",
                "currency",
                "amount",
                "complete",
            ],
            false,
        )?;
        Ok(InvoiceTotal {
            organization_id: opt_string(org_id, at, "organizationId")?,
            organization_name: opt_string(org_name, at, "organizationName")?,
            currency: string(currency, at, "currency")?,
            amount: decimal(required(amount, at, "amount")?, at, "amount")?,
            complete: decode::boolean(complete, at, "complete")?,
        })
    }
}

impl FromJson for InvoiceWarning {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [code, message, org_id, license] = fields(
            v,
            at,
            "InvoiceWarning",
            &["code", "message", "organizationId", "licenseType"],
            false,
        )?;
        Ok(InvoiceWarning {
            code: string(code, at, "code")?,
            message: string(message, at, "message")?,
            organization_id: opt_string(org_id, at, "organizationId")?,
            license_type: opt_string(license, at, "licenseType")?,
        })
    }
}

impl FromJson for Invoice {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [lines, totals, warnings] =
            fields(v, at, "Invoice", &["lines", "totals", "warnings"], false)?;
        Ok(Invoice {
            lines: list(
                array(lines, at, "lines")?,
                at,
                "lines",
                InvoiceLine::from_json,
            )?,
            totals: list(
                array(totals, at, "totals")?,
                at,
                "totals",
                InvoiceTotal::from_json,
            )?,
            warnings: list(
                array(warnings, at, "warnings")?,
                at,
                "warnings",
                InvoiceWarning::from_json,
            )?,
        })
    }
}

/// A decimal as the invoice's JSON writes it: a plain string.
fn write_decimal(w: &mut Writer, d: Decimal) {
    w.string(&money::to_plain(d));
}

/// An unpriced line's rate and amount are null, never zero.
fn write_opt_decimal(w: &mut Writer, d: Option<Decimal>) {
    match d {
        Some(d) => write_decimal(w, d),
        None => w.null(),
    }
}

impl ToJson for InvoiceLine {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("organizationId");
        w.opt_string(self.organization_id.as_deref());
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("licenseType");
        w.string(&self.license_type);
        w.key("partNumber");
        w.opt_string(self.part_number.as_deref());
        w.key("grouping");
        w.opt_string(self.grouping.as_deref());
        w.key("unitOfMeasure");
        w.opt_string(self.unit_of_measure.as_deref());
        w.key("kind");
        w.string(self.kind.as_str());
        w.key("quantity");
        write_decimal(w, self.quantity);
        w.key("rate");
        write_opt_decimal(w, self.rate);
        w.key("amount");
        write_opt_decimal(w, self.amount);
        w.key("currency");
        w.string(&self.currency);
        w.key("periodStart");
        w.opt_string(self.period_start.as_deref());
        w.key("periodEnd");
        w.opt_string(self.period_end.as_deref());
        w.key("bundleQuantity");
        w.opt_string(self.bundle_quantity.as_deref());
        w.key("isThirdParty");
        match self.is_third_party {
            Some(b) => w.bool(b),
            None => w.null(),
        }
        if let Some(r) = &self.resources {
            w.key("resources");
            r.write_json(w);
        }
        w.end_object();
    }
}

impl ToJson for InvoiceTotal {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("organizationId");
        w.opt_string(self.organization_id.as_deref());
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("currency");
        w.string(&self.currency);
        w.key("amount");
        write_decimal(w, self.amount);
        w.key("complete");
        w.bool(self.complete);
        w.end_object();
    }
}

impl ToJson for CurrencyTotal {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("currency");
        w.string(&self.currency);
        w.key("amount");
        write_decimal(w, self.amount);
        w.key("organizations");
        w.u64(self.organizations as u64);
        w.key("incomplete");
        w.u64(self.incomplete as u64);
        w.end_object();
    }
}

impl ToJson for InvoiceWarning {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("code");
        w.string(&self.code);
        w.key("message");
        w.string(&self.message);
        if let Some(id) = &self.organization_id {
            w.key("organizationId");
            w.string(id);
        }
        if let Some(l) = &self.license_type {
            w.key("licenseType");
            w.string(l);
        }
        w.end_object();
    }
}

impl ToJson for Invoice {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("lines");
        self.lines.write_json(w);
        w.key("totals");
        self.totals.write_json(w);
        w.key("warnings");
        self.warnings.write_json(w);
        w.end_object();
    }
}

#[cfg(test)]
mod currency_tests {
    use super::*;
    use std::str::FromStr;

    fn total(org: &str, currency: &str, amount: &str, complete: bool) -> InvoiceTotal {
        InvoiceTotal {
            organization_id: Some(org.into()),
            organization_name: None,
            currency: currency.into(),
            amount: Decimal::from_str(amount).unwrap(),
            complete,
        }
    }

    #[test]
    fn totals_per_currency_never_mix_currencies() {
        let c = currency_totals(&[
            total("a", "USD", "10.50", true),
            total("b", "KWD", "1.235", false),
            total("c", "USD", "0.75", false),
        ])
        .unwrap();
        let shape: Vec<_> = c
            .iter()
            .map(|t| {
                (
                    t.currency.as_str(),
                    t.amount.to_string(),
                    t.organizations,
                    t.incomplete,
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("USD", "11.25".to_string(), 2, 1),
                ("KWD", "1.235".to_string(), 1, 1)
            ]
        );
        let e = currency_totals(&[
            total("a", "USD", &Decimal::MAX.to_string(), true),
            total("b", "USD", "1", true),
        ])
        .unwrap_err();
        assert_eq!(e.code(), "overflow");
    }
}
