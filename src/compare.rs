//! What changed between two billing periods, exactly: per line, per org
//! and currency, and the alerts a partner checks before sending invoices
//! (on-demand overage, big increases, licenses that came or went, ramp
//! periods). Amounts are compared only within one currency, never across.

use crate::decode::{fields, opt_string, At, FromJson};
use crate::error::{BillingError, Result};
use crate::invoice::{org_label, Invoice, InvoiceLine, LineKind};
use crate::json::{ToJson, Value, Writer};
use crate::money::{self, Rounding};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The default `totalIncreasePercent`: an org whose total rose by a fifth.
const DEFAULT_TOTAL_INCREASE_PERCENT: i64 = 20;

/// Validated comparison options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareOptions {
    /// An on-demand line is an overage alert when its current amount is at
    /// least this; `None`: any amount above zero (or unpriced usage).
    pub overage_amount: Option<Decimal>,
    /// …or when its quantity rose by at least this.
    pub overage_quantity_increase: Option<Decimal>,
    /// An org whose total rose by at least this percent is alerted.
    pub total_increase_percent: Decimal,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            overage_amount: None,
            overage_quantity_increase: None,
            total_increase_percent: Decimal::from(DEFAULT_TOTAL_INCREASE_PERCENT),
        }
    }
}

impl FromJson for CompareOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [amount, quantity, percent] = fields(
            v,
            at,
            "CompareOptions",
            &[
                "overageAmount",
                "overageQuantityIncrease",
                "totalIncreasePercent",
            ],
            true,
        )?;
        let decimal = |slot, name: &str| -> Result<Option<Decimal>> {
            opt_string(slot, at, name)?
                .map(|s| {
                    let d = money::parse_decimal(name, &"the comparison options", &s)?;
                    if d.is_sign_negative() && !d.is_zero() {
                        return Err(BillingError::InvalidOption {
                            option: name.to_string(),
                            reason: format!("{s} is negative"),
                        });
                    }
                    Ok(d)
                })
                .transpose()
        };
        Ok(CompareOptions {
            overage_amount: decimal(amount, "overageAmount")?,
            overage_quantity_increase: decimal(quantity, "overageQuantityIncrease")?,
            total_increase_percent: decimal(percent, "totalIncreasePercent")?
                .unwrap_or_else(|| Decimal::from(DEFAULT_TOTAL_INCREASE_PERCENT)),
        })
    }
}

/// How a row moved between the periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// Only in the current period.
    New,
    /// Only in the previous period.
    Gone,
    /// In both, with a different quantity or amount.
    Changed,
    /// In both, the same.
    Same,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::New => "new",
            RowStatus::Gone => "gone",
            RowStatus::Changed => "changed",
            RowStatus::Same => "same",
        }
    }
}

/// One side of a row: a line, or the sum of the lines sharing its key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub quantity: Decimal,
    /// `None` when a line of this key is unpriced.
    pub amount: Option<Decimal>,
}

/// One (org, currency, part number or license type, kind) in either period.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub currency: String,
    pub license_type: String,
    pub part_number: Option<String>,
    pub kind: LineKind,
    pub previous: Option<Side>,
    pub current: Option<Side>,
    /// current − previous, a missing side counting as zero.
    pub quantity_change: Decimal,
    /// current − previous amount, a missing side counting as zero; `None`
    /// when a present side is unpriced.
    pub amount_change: Option<Decimal>,
    /// The amount change in percent of the previous amount (see `percent`).
    pub amount_change_percent: Option<Decimal>,
    pub status: RowStatus,
}

/// What an arithmetic error of the comparison is about: worded only when an
/// error is built (`org "Acme" (id) "CX 3" (on-demand) in USD`), located at
/// the org.
struct Subject<'a> {
    organization_id: &'a Option<String>,
    organization_name: &'a Option<String>,
    license: Option<(&'a str, LineKind)>,
    currency: &'a str,
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&org_of(self.organization_id, self.organization_name))?;
        if let Some((license, kind)) = self.license {
            write!(f, " {license:?} ({})", kind.as_str())?;
        }
        write!(f, " in {}", self.currency)
    }
}

impl crate::error::ErrorContext for Subject<'_> {
    fn location(&self) -> crate::error::Location {
        crate::error::Location {
            organization_id: self.organization_id.clone(),
            ..Default::default()
        }
    }
}

impl ComparisonRow {
    fn subject(&self) -> Subject<'_> {
        Subject {
            organization_id: &self.organization_id,
            organization_name: &self.organization_name,
            license: Some((&self.license_type, self.kind)),
            currency: &self.currency,
        }
    }

    /// Sets the status and the changes from the two sides.
    fn derive(&mut self) -> Result<()> {
        let subject = self.subject();
        let q = |s: &Option<Side>| s.map_or(Decimal::ZERO, |s| s.quantity);
        let a = |s: &Option<Side>| match s {
            None => Some(Decimal::ZERO),
            Some(s) => s.amount,
        };
        let quantity_change = money::checked_sub(
            q(&self.current),
            q(&self.previous),
            "the quantity change",
            &subject,
        )?;
        let amount_change = match (a(&self.current), a(&self.previous)) {
            (Some(c), Some(p)) => Some(money::checked_sub(c, p, "the amount change", &subject)?),
            _ => None,
        };
        // A gone line's current amount is zero (−100 %); a new line has
        // no previous amount to take a percent of.
        let amount_change_percent = percent(self.previous.and_then(|s| s.amount), a(&self.current));
        self.quantity_change = quantity_change;
        self.amount_change = amount_change;
        self.amount_change_percent = amount_change_percent;
        self.status = status(&self.previous, &self.current);
        Ok(())
    }
}

/// (current − previous) / previous × 100, rounded half-up to 2 decimals;
/// `None` where the previous amount is zero or missing (no base to compare
/// with) or the current one is unknown (unpriced).
pub fn percent(previous: Option<Decimal>, current: Option<Decimal>) -> Option<Decimal> {
    let (p, c) = (previous?, current?);
    if p.is_zero() {
        return None;
    }
    // A change too large for 28 digits has no useful percent either.
    let ratio = c
        .checked_sub(p)?
        .checked_div(p)?
        .checked_mul(Decimal::ONE_HUNDRED)?;
    Some(money::round_amount(ratio, 2, Rounding::HalfUp))
}

/// One org's total in one currency, in both periods.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonTotal {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub currency: String,
    /// `None` when the org had no total in that currency in the period.
    pub previous: Option<Decimal>,
    pub current: Option<Decimal>,
    /// current − previous, a missing side counting as zero.
    pub change: Decimal,
    /// As for rows: `None` without a previous amount above zero.
    pub percent: Option<Decimal>,
    /// False where either side's total leaves out unpriced lines.
    pub complete: bool,
}

/// Every org's totals in one currency, in both periods: the partner's own
/// change per currency.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyChange {
    pub currency: String,
    /// `None` when no org had a total in this currency in the period.
    pub previous: Option<Decimal>,
    pub current: Option<Decimal>,
    pub change: Decimal,
    pub percent: Option<Decimal>,
    /// False where an org's total in either period leaves out unpriced lines.
    pub complete: bool,
}

/// Something to look at before sending the invoices.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// `overage`, `total_increase`, `new_license`, `gone_license` or
    /// `ramp_period`.
    pub code: &'static str,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub currency: String,
    pub message: String,
    /// The license of a line alert.
    pub license_type: Option<String>,
    pub part_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    pub rows: Vec<ComparisonRow>,
    pub totals: Vec<ComparisonTotal>,
    /// The totals summed per currency.
    pub currencies: Vec<CurrencyChange>,
    pub alerts: Vec<Alert>,
}

/// The org a line or total belongs to: its id, else its name.
fn org_key(id: &Option<String>, name: &Option<String>) -> String {
    match (id, name) {
        (Some(id), _) => format!("id:{id}"),
        (None, Some(n)) => format!("name:{n}"),
        (None, None) => String::new(),
    }
}

/// The license a line is: its part number, else its license type.
fn license_key(line: &InvoiceLine) -> &str {
    line.part_number
        .as_deref()
        .filter(|p| !p.is_empty())
        .unwrap_or(&line.license_type)
}

type RowKey = (String, String, String, &'static str);

fn row_key(line: &InvoiceLine) -> RowKey {
    (
        org_key(&line.organization_id, &line.organization_name),
        line.currency.clone(),
        license_key(line).to_string(),
        line.kind.as_str(),
    )
}

/// Adds a line into a side: quantities add; an unpriced line makes the
/// amount unknown.
fn add(side: Option<Side>, line: &InvoiceLine) -> Result<Side> {
    let Some(s) = side else {
        return Ok(Side {
            quantity: line.quantity,
            amount: line.amount,
        });
    };
    let subject = Subject {
        organization_id: &line.organization_id,
        organization_name: &line.organization_name,
        license: Some((&line.license_type, line.kind)),
        currency: &line.currency,
    };
    Ok(Side {
        quantity: money::checked_add(s.quantity, line.quantity, "the summed quantity", &subject)?,
        amount: match (s.amount, line.amount) {
            (Some(a), Some(b)) => Some(money::checked_add(a, b, "the summed amount", &subject)?),
            _ => None,
        },
    })
}

fn status(previous: &Option<Side>, current: &Option<Side>) -> RowStatus {
    match (previous, current) {
        (None, _) => RowStatus::New,
        (_, None) => RowStatus::Gone,
        (Some(p), Some(c)) if p.quantity == c.quantity && p.amount == c.amount => RowStatus::Same,
        _ => RowStatus::Changed,
    }
}

/// Compares `previous` with `current`: rows in the current invoice's order,
/// then the rows only the previous one has, in its order.
pub fn compare(previous: &Invoice, current: &Invoice, opts: &CompareOptions) -> Result<Comparison> {
    let mut rows: Vec<ComparisonRow> = Vec::new();
    let mut index: HashMap<RowKey, usize> = HashMap::new();
    for (line, is_current) in current
        .lines
        .iter()
        .map(|l| (l, true))
        .chain(previous.lines.iter().map(|l| (l, false)))
    {
        let key = row_key(line);
        let i = *index.entry(key).or_insert_with(|| {
            rows.push(ComparisonRow {
                organization_id: line.organization_id.clone(),
                organization_name: line.organization_name.clone(),
                currency: line.currency.clone(),
                license_type: line.license_type.clone(),
                part_number: line.part_number.clone(),
                kind: line.kind,
                previous: None,
                current: None,
                quantity_change: Decimal::ZERO,
                amount_change: None,
                amount_change_percent: None,
                status: RowStatus::Same,
            });
            rows.len() - 1
        });
        let row = &mut rows[i];
        if is_current {
            row.current = Some(add(row.current, line)?);
        } else {
            row.previous = Some(add(row.previous, line)?);
        }
    }
    for row in &mut rows {
        row.derive()?;
    }
    let totals = compare_totals(previous, current)?;
    let currencies = currency_changes(&totals)?;
    let mut alerts = Vec::new();
    line_alerts(&rows, opts, &mut alerts);
    total_alerts(&totals, opts, &mut alerts);
    ramp_alerts(current, &mut alerts);
    Ok(Comparison {
        rows,
        totals,
        currencies,
        alerts,
    })
}

fn compare_totals(previous: &Invoice, current: &Invoice) -> Result<Vec<ComparisonTotal>> {
    let mut totals: Vec<ComparisonTotal> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (t, is_current) in current
        .totals
        .iter()
        .map(|t| (t, true))
        .chain(previous.totals.iter().map(|t| (t, false)))
    {
        let key = (
            org_key(&t.organization_id, &t.organization_name),
            t.currency.clone(),
        );
        let i = *index.entry(key).or_insert_with(|| {
            totals.push(ComparisonTotal {
                organization_id: t.organization_id.clone(),
                organization_name: t.organization_name.clone(),
                currency: t.currency.clone(),
                previous: None,
                current: None,
                change: Decimal::ZERO,
                percent: None,
                complete: true,
            });
            totals.len() - 1
        });
        let total = &mut totals[i];
        let side = if is_current {
            &mut total.current
        } else {
            &mut total.previous
        };
        let subject = Subject {
            organization_id: &t.organization_id,
            organization_name: &t.organization_name,
            license: None,
            currency: &t.currency,
        };
        *side = Some(money::checked_add(
            side.unwrap_or_default(),
            t.amount,
            "the total",
            &subject,
        )?);
        total.complete &= t.complete;
    }
    for t in &mut totals {
        let subject = Subject {
            organization_id: &t.organization_id,
            organization_name: &t.organization_name,
            license: None,
            currency: &t.currency,
        };
        t.change = money::checked_sub(
            t.current.unwrap_or_default(),
            t.previous.unwrap_or_default(),
            "the total's change",
            &subject,
        )?;
        t.percent = percent(t.previous, Some(t.current.unwrap_or_default()));
    }
    Ok(totals)
}

/// Sums the org totals per currency, each side only over the orgs that
/// have it; the change and percent by the same rules as an org's.
fn currency_changes(totals: &[ComparisonTotal]) -> Result<Vec<CurrencyChange>> {
    let mut out: Vec<CurrencyChange> = Vec::new();
    let sum = |a: Option<Decimal>, b: Option<Decimal>, currency: &str| -> Result<Option<Decimal>> {
        match (a, b) {
            (Some(a), Some(b)) => {
                money::checked_add(a, b, "the total per currency", &currency).map(Some)
            }
            (a, b) => Ok(a.or(b)),
        }
    };
    for t in totals {
        let pos = match out.iter().position(|c| c.currency == t.currency) {
            Some(p) => p,
            None => {
                out.push(CurrencyChange {
                    currency: t.currency.clone(),
                    previous: None,
                    current: None,
                    change: Decimal::ZERO,
                    percent: None,
                    complete: true,
                });
                out.len() - 1
            }
        };
        let c = &mut out[pos];
        c.previous = sum(c.previous, t.previous, &t.currency)?;
        c.current = sum(c.current, t.current, &t.currency)?;
        c.complete &= t.complete;
    }
    for c in &mut out {
        c.change = money::checked_sub(
            c.current.unwrap_or_default(),
            c.previous.unwrap_or_default(),
            "the change per currency",
            &c.currency,
        )?;
        c.percent = percent(c.previous, Some(c.current.unwrap_or_default()));
    }
    Ok(out)
}

fn org_of(id: &Option<String>, name: &Option<String>) -> String {
    org_label(id.as_deref(), name.as_deref())
}

fn plain(d: Decimal) -> String {
    money::to_plain(d)
}

fn opt_plain(d: Option<Decimal>) -> String {
    d.map_or_else(|| "unpriced".to_string(), plain)
}

/// Overage, new and gone licenses.
fn line_alerts(rows: &[ComparisonRow], opts: &CompareOptions, alerts: &mut Vec<Alert>) {
    let alert = |code, row: &ComparisonRow, message: String| Alert {
        code,
        organization_id: row.organization_id.clone(),
        organization_name: row.organization_name.clone(),
        currency: row.currency.clone(),
        message,
        license_type: Some(row.license_type.clone()),
        part_number: row.part_number.clone(),
    };
    // A license (all kinds of line) present in one period only.
    let mut present: HashMap<(String, String, String), (bool, bool)> = HashMap::new();
    for row in rows {
        let key = (
            org_key(&row.organization_id, &row.organization_name),
            row.currency.clone(),
            row.part_number
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| row.license_type.clone()),
        );
        let e = present.entry(key).or_default();
        e.0 |= row.previous.is_some();
        e.1 |= row.current.is_some();
    }
    let mut announced = std::collections::HashSet::new();
    for row in rows {
        let org = org_of(&row.organization_id, &row.organization_name);
        if let (LineKind::OnDemand, Some(cur)) = (row.kind, row.current) {
            let by_amount = match (opts.overage_amount, cur.amount) {
                (Some(min), Some(a)) => a >= min,
                (Some(_), None) => false,
                (None, a) => cur.quantity > Decimal::ZERO && a.map_or(true, |a| a > Decimal::ZERO),
            };
            let by_quantity = opts
                .overage_quantity_increase
                .is_some_and(|min| row.quantity_change >= min && !min.is_zero());
            if by_amount || by_quantity {
                let was = row.previous.map_or_else(
                    || "none the period before".to_string(),
                    |p| format!("was {} for {}", plain(p.quantity), opt_plain(p.amount)),
                );
                alerts.push(alert(
                    "overage",
                    row,
                    format!(
                        "{org}: {} {:?} on demand (beyond the prepaid quantity) for {} {} ({was})",
                        plain(cur.quantity),
                        row.license_type,
                        opt_plain(cur.amount),
                        row.currency
                    ),
                ));
            }
        }
        let key = (
            org_key(&row.organization_id, &row.organization_name),
            row.currency.clone(),
            row.part_number
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| row.license_type.clone()),
        );
        let (before, now) = present[&key];
        if before != now && announced.insert(key) {
            let (code, message) = if now {
                (
                    "new_license",
                    format!("{org}: {:?} is new this period", row.license_type),
                )
            } else {
                (
                    "gone_license",
                    format!("{org}: {:?} is no longer billed", row.license_type),
                )
            };
            alerts.push(alert(code, row, message));
        }
    }
}

/// Orgs whose total rose by at least `totalIncreasePercent`.
fn total_alerts(totals: &[ComparisonTotal], opts: &CompareOptions, alerts: &mut Vec<Alert>) {
    for t in totals {
        let Some(pct) = t.percent else { continue };
        if pct > Decimal::ZERO && pct >= opts.total_increase_percent {
            alerts.push(Alert {
                code: "total_increase",
                organization_id: t.organization_id.clone(),
                organization_name: t.organization_name.clone(),
                currency: t.currency.clone(),
                message: format!(
                    "{}: the total rose {}% to {} {} (was {})",
                    org_of(&t.organization_id, &t.organization_name),
                    plain(pct),
                    t.current.map_or_else(String::new, plain),
                    t.currency,
                    t.previous.map_or_else(String::new, plain),
                ),
                license_type: None,
                part_number: None,
            });
        }
    }
}

/// Orgs the current invoice flags as in their ramp period: their prices
/// may change as the ramp ends, which the API does not tell.
fn ramp_alerts(current: &Invoice, alerts: &mut Vec<Alert>) {
    for w in current.warnings.iter().filter(|w| w.code == "ramp_period") {
        let total = current
            .totals
            .iter()
            .find(|t| t.organization_id.is_some() && t.organization_id == w.organization_id);
        alerts.push(Alert {
            code: "ramp_period",
            organization_id: w.organization_id.clone(),
            organization_name: total.and_then(|t| t.organization_name.clone()),
            currency: total.map(|t| t.currency.clone()).unwrap_or_default(),
            message: w.message.clone(),
            license_type: None,
            part_number: None,
        });
    }
}

// ---- JSON: the plain comparison JavaScript gets -------------------------

fn write_opt_decimal(w: &mut Writer, d: Option<Decimal>) {
    match d {
        Some(d) => w.string(&plain(d)),
        None => w.null(),
    }
}

impl ToJson for ComparisonRow {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("organizationId");
        w.opt_string(self.organization_id.as_deref());
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("currency");
        w.string(&self.currency);
        w.key("licenseType");
        w.string(&self.license_type);
        w.key("partNumber");
        w.opt_string(self.part_number.as_deref());
        w.key("kind");
        w.string(self.kind.as_str());
        w.key("previousQuantity");
        write_opt_decimal(w, self.previous.map(|s| s.quantity));
        w.key("currentQuantity");
        write_opt_decimal(w, self.current.map(|s| s.quantity));
        w.key("quantityChange");
        w.string(&plain(self.quantity_change));
        w.key("previousAmount");
        write_opt_decimal(w, self.previous.and_then(|s| s.amount));
        w.key("currentAmount");
        write_opt_decimal(w, self.current.and_then(|s| s.amount));
        w.key("amountChange");
        write_opt_decimal(w, self.amount_change);
        w.key("amountChangePercent");
        write_opt_decimal(w, self.amount_change_percent);
        w.key("status");
        w.string(self.status.as_str());
        w.end_object();
    }
}

impl ToJson for ComparisonTotal {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("organizationId");
        w.opt_string(self.organization_id.as_deref());
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("currency");
        w.string(&self.currency);
        w.key("previous");
        write_opt_decimal(w, self.previous);
        w.key("current");
        write_opt_decimal(w, self.current);
        w.key("change");
        w.string(&plain(self.change));
        w.key("percent");
        write_opt_decimal(w, self.percent);
        w.key("complete");
        w.bool(self.complete);
        w.end_object();
    }
}

impl ToJson for Alert {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("code");
        w.string(self.code);
        w.key("organizationId");
        w.opt_string(self.organization_id.as_deref());
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("currency");
        w.string(&self.currency);
        w.key("message");
        w.string(&self.message);
        if let Some(l) = &self.license_type {
            w.key("licenseType");
            w.string(l);
        }
        if let Some(p) = &self.part_number {
            w.key("partNumber");
            w.string(p);
        }
        w.end_object();
    }
}

impl ToJson for CurrencyChange {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("currency");
        w.string(&self.currency);
        w.key("previous");
        write_opt_decimal(w, self.previous);
        w.key("current");
        write_opt_decimal(w, self.current);
        w.key("change");
        w.string(&plain(self.change));
        w.key("percent");
        write_opt_decimal(w, self.percent);
        w.key("complete");
        w.bool(self.complete);
        w.end_object();
    }
}

impl ToJson for Comparison {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("rows");
        self.rows.write_json(w);
        w.key("totals");
        self.totals.write_json(w);
        w.key("currencies");
        self.currencies.write_json(w);
        w.key("alerts");
        self.alerts.write_json(w);
        w.end_object();
    }
}

// ---- Reading a plain comparison back (for `comparisonToCsv`) ------------

const ROW_FIELDS: [&str; 14] = [
    "organizationId",
    "organizationName",
    "currency",
    "licenseType",
    "partNumber",
    "kind",
    "previousQuantity",
    "currentQuantity",
    "quantityChange",
    "previousAmount",
    "currentAmount",
    "amountChange",
    "amountChangePercent",
    "status",
];

impl RowStatus {
    const NAMES: [(&'static str, RowStatus); 4] = [
        ("new", RowStatus::New),
        ("gone", RowStatus::Gone),
        ("changed", RowStatus::Changed),
        ("same", RowStatus::Same),
    ];
}

impl FromJson for ComparisonRow {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        use crate::decode::{one_of, required, string};
        use crate::invoice::{decimal, opt_decimal};
        let [org_id, org_name, currency, license, part, kind, pq, cq, _, pa, ca, _, _, status] =
            fields(v, at, "ComparisonRow", &ROW_FIELDS, false)?;
        let kinds = LineKind::ALL.map(|k| (k.as_str(), k));
        let side = |q: Option<&Value<'_>>, qn: &str, a: Option<&Value<'_>>, an: &str| {
            Ok::<_, BillingError>(match crate::decode::optional(q) {
                None => None,
                Some(q) => Some(Side {
                    quantity: decimal(q, at, qn)?,
                    amount: opt_decimal(a, at, an)?,
                }),
            })
        };
        let row = ComparisonRow {
            organization_id: opt_string(org_id, at, "organizationId")?,
            organization_name: opt_string(org_name, at, "organizationName")?,
            currency: string(currency, at, "currency")?,
            license_type: string(license, at, "licenseType")?,
            part_number: opt_string(part, at, "partNumber")?,
            kind: one_of(required(kind, at, "kind")?, at, "kind", &kinds)?,
            previous: side(pq, "previousQuantity", pa, "previousAmount")?,
            current: side(cq, "currentQuantity", ca, "currentAmount")?,
            quantity_change: Decimal::ZERO,
            amount_change: None,
            amount_change_percent: None,
            status: one_of(
                required(status, at, "status")?,
                at,
                "status",
                &RowStatus::NAMES,
            )?,
        };
        let given = row.status;
        let mut row = row;
        row.derive()?;
        if given != row.status {
            return Err(at.wrong(
                Some("status"),
                &format_args!(
                    "is {:?}, which its quantities and amounts do not give",
                    given.as_str()
                ),
            ));
        }
        Ok(row)
    }
}

impl FromJson for Comparison {
    /// Reads the rows of a comparison; totals and alerts are derived data
    /// the CSV does not need, and are left unread.
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [rows] = fields(v, at, "Comparison", &["rows"], false)?;
        let items = crate::decode::array(rows, at, "rows")?;
        Ok(Comparison {
            rows: crate::decode::list(items, at, "rows", ComparisonRow::from_json)?,
            totals: Vec::new(),
            currencies: Vec::new(),
            alerts: Vec::new(),
        })
    }
}
