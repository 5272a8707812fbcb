//! FinOps FOCUS 1.2 Cost and Usage rows, one per invoice line, as CSV.
//!
//! Version: FOCUS 1.2 (ratified 29 May 2025), the last version whose column
//! definitions we have read in full. 1.3 renamed ProviderName/PublisherName
//! to ServiceProviderName/HostProviderName and 1.4 removed the old names, so
//! a later version is a column rename plus the new datasets, not a remap.
//!
//! Columns: every column that is mandatory in 1.2 for a SaaS invoice, plus
//! ChargeFrequency (recommended) and ContractedUnitPrice, ListUnitPrice and
//! SkuId (conditional: Genesys has contracted prices and part numbers), then
//! the custom `x_` columns, which the spec puts after its own.
//!
//! Mapping decisions:
//! - BillingAccountId/Name: the customer (trustor) org; InvoiceIssuerName:
//!   the partner (`FocusOptions::invoice_issuer_name`); ProviderName and
//!   PublisherName: `FocusOptions::provider_name` (Genesys).
//! - Periods: Genesys ends are inclusive (`…23:59:59.999Z`), FOCUS ends are
//!   exclusive, so the end becomes the next whole second; all dates are
//!   written `YYYY-MM-DDTHH:mm:ssZ`. A line without a period keeps empty
//!   period cells rather than an invented one.
//! - ChargeCategory/ChargeFrequency: prepay → Purchase/Recurring; on-demand
//!   and usage → Usage/Usage-Based; the minimum-commitment top-up →
//!   Purchase/Recurring, because it is the unspent part of a monthly
//!   commitment that is bought every month, not a correction (Adjustment)
//!   and not metered usage. ChargeClass is always null (no corrections).
//! - Costs: BilledCost and EffectiveCost are the invoice line's rounded
//!   amount (what the customer pays; no amortisation is known). The invoice
//!   has one rate per line, so ListUnitPrice = ContractedUnitPrice = rate,
//!   and ListCost = ContractedCost = rate × PricingQuantity unrounded, as the
//!   spec requires them to be that exact product; they may differ from
//!   BilledCost by the rounding of the line.
//! - PricingUnit: the API's unitOfMeasureType; a line without one (usage
//!   report lines, the minimum top-up) gets FOCUS's count unit "Units",
//!   because the column must not be null for Usage and Purchase rows.
//! - SkuId: the part number; empty when the line has none.
//! - Unpriced lines: BilledCost may not be null, and writing 0 would claim
//!   the charge is free, so by default an unpriced line is an
//!   `unpriced_line` error naming it. With `allowUnpriced` the row is
//!   written with empty cost and unit-price cells; such a file is not a
//!   conformant FOCUS dataset, and is meant for review, not for import.

use super::rfc4180::{Cell, Table};
use super::{in_line, line_label};
use crate::dates::Timestamp;
use crate::decode::{fields, opt_bool, opt_string, At, FromJson};
use crate::error::{BillingError, Result};
use crate::invoice::{Invoice, InvoiceLine, LineKind};
use crate::json::Value;
use crate::money;

/// The FOCUS specification version the columns follow.
pub const FOCUS_VERSION: &str = "1.2";

/// FOCUS columns, then custom columns, in output order.
pub const FOCUS_COLUMNS: [&str; 30] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "x_GenesysOrgId",
    "x_Grouping",
    "x_ChargeKind",
    "x_BundleQuantity",
    "x_IsThirdParty",
];

/// The FOCUS service category of every Genesys Cloud charge.
const SERVICE_CATEGORY: &str = "Business Applications";

/// The PricingUnit of a line whose unit the API does not name.
const COUNT_UNIT: &str = "Units";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusOptions {
    /// Who issues the invoice: the partner reselling Genesys Cloud. The
    /// default is a generic label; pass your company's name.
    pub invoice_issuer_name: String,
    /// Who provides and publishes the service (default "Genesys").
    pub provider_name: String,
    /// Writes unpriced lines with empty cost cells instead of failing (the
    /// file is then not conformant FOCUS; see the module documentation).
    pub allow_unpriced: bool,
}

impl Default for FocusOptions {
    fn default() -> Self {
        Self {
            invoice_issuer_name: "Genesys Cloud partner".into(),
            provider_name: "Genesys".into(),
            allow_unpriced: false,
        }
    }
}

impl FromJson for FocusOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [issuer, provider, unpriced] = fields(
            v,
            at,
            "FocusOptions",
            &["invoiceIssuerName", "providerName", "allowUnpriced"],
            true,
        )?;
        let d = FocusOptions::default();
        Ok(FocusOptions {
            invoice_issuer_name: opt_string(issuer, at, "invoiceIssuerName")?
                .unwrap_or(d.invoice_issuer_name),
            provider_name: opt_string(provider, at, "providerName")?.unwrap_or(d.provider_name),
            allow_unpriced: opt_bool(unpriced, at, "allowUnpriced")?.unwrap_or(d.allow_unpriced),
        })
    }
}

impl FocusOptions {
    fn check(&self) -> Result<()> {
        for (option, value) in [
            ("invoiceIssuerName", &self.invoice_issuer_name),
            ("providerName", &self.provider_name),
        ] {
            if value.trim().is_empty() {
                return Err(BillingError::InvalidOption {
                    option: option.into(),
                    reason: "must not be empty: FOCUS does not allow it to be null".into(),
                });
            }
        }
        Ok(())
    }
}

/// Category and frequency of a line; see the module documentation.
fn charge_category(kind: LineKind) -> (&'static str, &'static str) {
    match kind {
        LineKind::Prepay | LineKind::MinimumCommitment => ("Purchase", "Recurring"),
        LineKind::OnDemand | LineKind::Usage => ("Usage", "Usage-Based"),
    }
}

/// Start and exclusive end of a line's period in FOCUS form.
fn period(line: &InvoiceLine) -> Result<(Option<String>, Option<String>)> {
    let start = line
        .period_start
        .as_deref()
        .map(|s| Timestamp::parse("periodStart", s).map(|t| t.to_utc_seconds()))
        .transpose()?;
    let end = line
        .period_end
        .as_deref()
        .map(|s| Timestamp::parse("periodEnd", s).map(|t| t.exclusive_end()))
        .transpose()?;
    Ok((start, end))
}

/// The line's unit, or the count unit when the API names none.
fn pricing_unit(line: &InvoiceLine) -> &str {
    line.unit_of_measure
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or(COUNT_UNIT)
}

/// What the charge is and its price, readable on its own as FOCUS asks.
fn description(line: &InvoiceLine) -> String {
    let unit = pricing_unit(line);
    let quantity = money::to_plain(line.quantity);
    let price = match line.rate {
        Some(r) => format!("at {} {} each", money::to_plain(r), line.currency),
        None => "unpriced".to_string(),
    };
    format!(
        "{}, {}: {quantity} {unit} {price}",
        line.license_type,
        line.kind.as_str()
    )
}

/// The invoice as FOCUS 1.2 Cost and Usage CSV (header always included).
pub fn to_focus_csv(invoice: &Invoice, opts: &FocusOptions) -> Result<String> {
    opts.check()?;
    let mut table = Table::new();
    table.header(&FOCUS_COLUMNS);
    for (i, line) in invoice.lines.iter().enumerate() {
        if line.rate.is_none() && !opts.allow_unpriced {
            return Err(BillingError::UnpricedLine {
                line: line_label(i, line),
                target: "FOCUS",
                option: "allowUnpriced",
            });
        }
        let list_cost = line
            .rate
            .map(|r| money::checked_mul(r, line.quantity, "ListCost", &line_label(i, line)))
            .transpose()?;
        let (start, end) = period(line).map_err(|e| in_line(e, &line_label(i, line)))?;
        let (category, frequency) = charge_category(line.kind);
        let description = description(line);
        let third_party = line
            .is_third_party
            .map(|b| if b { "true" } else { "false" });
        table.row(&[
            line.amount.into(),
            line.organization_id.as_deref().into(),
            line.organization_name.as_deref().into(),
            Cell::Text(&line.currency),
            start.as_deref().into(),
            end.as_deref().into(),
            Cell::Text(category),
            Cell::Empty,
            Cell::Text(&description),
            Cell::Text(frequency),
            start.as_deref().into(),
            end.as_deref().into(),
            list_cost.into(),
            line.rate.into(),
            line.amount.into(),
            Cell::Text(&opts.invoice_issuer_name),
            list_cost.into(),
            line.rate.into(),
            Cell::Number(line.quantity),
            Cell::Text(pricing_unit(line)),
            Cell::Text(&opts.provider_name),
            Cell::Text(&opts.provider_name),
            Cell::Text(SERVICE_CATEGORY),
            Cell::Text(&line.license_type),
            line.part_number.as_deref().into(),
            line.organization_id.as_deref().into(),
            line.grouping.as_deref().into(),
            Cell::Text(line.kind.as_str()),
            line.bundle_quantity.as_deref().into(),
            third_party.into(),
        ]);
    }
    Ok(table.finish())
}
