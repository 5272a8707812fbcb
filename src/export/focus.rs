//! FinOps FOCUS Cost and Usage rows, one per invoice line, as CSV, in the
//! column set of FOCUS 1.2, 1.3 or 1.4 (`focusVersion`, default 1.4).
//!
//! Versions (field notes B.1 and docs/export-targets-research.md): 1.2
//! (ratified 29 May 2025) names the provider in ProviderName and
//! PublisherName; 1.3 adds ServiceProviderName and HostProviderName and
//! keeps the old two, deprecated but still required (draft 1.3 column
//! files); 1.4 (ratified June 2026, the current version) removes the old
//! two. The default is 1.4, the current version, which `make test` checks
//! with a validator from PyPI (focus-data-toolkit); pass `"1.2"` for a tool
//! that has not moved on.
//!
//! Columns: every column mandatory in the chosen version for a SaaS invoice,
//! plus ChargeFrequency (recommended), InvoiceId, and the conditional
//! ContractedUnitPrice, ListUnitPrice, PricingCategory, SkuId and SkuPriceId
//! (Genesys has contracted prices, part numbers and two pricing categories),
//! then the custom `x_` columns, which the spec puts after its own.
//!
//! Mapping decisions:
//! - BillingAccountId/Name: the customer (trustor) org; InvoiceIssuerName:
//!   the partner (`invoiceIssuerName`); ProviderName, PublisherName,
//!   ServiceProviderName and HostProviderName: `providerName` (Genesys,
//!   which hosts what it sells); InvoiceId: `invoiceId`, empty when not
//!   given (the spec: null when the charge is not tied to an invoice yet).
//! - Periods: Genesys ends are inclusive (`…23:59:59.999Z`), FOCUS ends are
//!   exclusive, so the end becomes the next whole second; all dates are
//!   written `YYYY-MM-DDTHH:mm:ssZ`. A line without a period keeps empty
//!   period cells rather than an invented one.
//! - ChargeCategory/ChargeFrequency: prepay → Purchase/Recurring; on-demand
//!   and usage → Usage/Usage-Based; the minimum-commitment top-up →
//!   Purchase/Recurring, because it is the unspent part of a monthly
//!   commitment that is bought every month, not a correction (Adjustment)
//!   and not metered usage. ChargeClass is always null (no corrections).
//! - PricingCategory: prepay and the minimum top-up (what the commitment
//!   buys) → Committed; on-demand and usage-report lines → Standard.
//! - Costs: BilledCost and EffectiveCost are the invoice line's rounded
//!   amount (what the customer pays; no amortisation is known). The invoice
//!   has one rate per line, so ListUnitPrice = ContractedUnitPrice = rate,
//!   and ListCost = ContractedCost = rate × PricingQuantity unrounded, as the
//!   spec requires them to be that exact product; they may differ from
//!   BilledCost by the rounding of the line.
//! - PricingUnit: the API's unitOfMeasureType; a line without one (usage
//!   report lines, the minimum top-up) gets FOCUS's count unit "Units",
//!   because the column must not be null for Usage and Purchase rows.
//! - SkuId and SkuPriceId may not be null on a Usage or Purchase row once
//!   the columns are present (1.2 `skuid.md`, `skupriceid.md`), so every
//!   row has both: SkuId is the part number, or for a line without one the
//!   usage's name (usage-report lines) or `minimum-commitment`; SkuPriceId is
//!   SkuId and the charge kind (`PC-170-NV-CX3CU:on-demand`), since the same
//!   part has a prepay and an on-demand price.
//! - Unpriced lines: BilledCost may not be null, and writing 0 would claim
//!   the charge is free, so by default an unpriced line is an
//!   `unpriced_line` error naming it. With `allowUnpriced` the row is
//!   written with empty cost and unit-price cells; such a file is not a
//!   conformant FOCUS dataset, and is meant for review, not for import.

use super::rfc4180::{Cell, Table};
use super::{in_line, line_label};
use crate::dates::Timestamp;
use crate::decode::{fields, opt_bool, opt_one_of, opt_string, At, FromJson};
use crate::error::{BillingError, Result};
use crate::invoice::{Invoice, InvoiceLine, LineKind};
use crate::json::Value;
use crate::money;

/// The FOCUS version written when none is asked for.
pub const FOCUS_VERSION: &str = "1.4";

/// A FOCUS specification version this export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FocusVersion {
    V1_2,
    V1_3,
    #[default]
    V1_4,
}

impl FocusVersion {
    const NAMES: [(&'static str, FocusVersion); 3] = [
        ("1.2", FocusVersion::V1_2),
        ("1.3", FocusVersion::V1_3),
        ("1.4", FocusVersion::V1_4),
    ];

    /// The spec's own columns this export writes in this version, in
    /// output order (alphabetical, as the spec lists them); the custom
    /// columns follow.
    pub fn columns(self) -> Vec<&'static str> {
        SPEC_COLUMNS
            .iter()
            .filter(|(_, in_version)| in_version(self))
            .map(|(name, _)| *name)
            .collect()
    }
}

/// Which versions have a column: the provider columns changed in 1.3/1.4.
type InVersion = fn(FocusVersion) -> bool;
const ALL: InVersion = |_| true;
const UP_TO_1_3: InVersion = |v| v != FocusVersion::V1_4;
const FROM_1_3: InVersion = |v| v != FocusVersion::V1_2;

const SPEC_COLUMNS: [(&str, InVersion); 30] = [
    ("BilledCost", ALL),
    ("BillingAccountId", ALL),
    ("BillingAccountName", ALL),
    ("BillingCurrency", ALL),
    ("BillingPeriodEnd", ALL),
    ("BillingPeriodStart", ALL),
    ("ChargeCategory", ALL),
    ("ChargeClass", ALL),
    ("ChargeDescription", ALL),
    ("ChargeFrequency", ALL),
    ("ChargePeriodEnd", ALL),
    ("ChargePeriodStart", ALL),
    ("ContractedCost", ALL),
    ("ContractedUnitPrice", ALL),
    ("EffectiveCost", ALL),
    ("HostProviderName", FROM_1_3),
    ("InvoiceId", ALL),
    ("InvoiceIssuerName", ALL),
    ("ListCost", ALL),
    ("ListUnitPrice", ALL),
    ("PricingCategory", ALL),
    ("PricingQuantity", ALL),
    ("PricingUnit", ALL),
    ("ProviderName", UP_TO_1_3),
    ("PublisherName", UP_TO_1_3),
    ("ServiceCategory", ALL),
    ("ServiceName", ALL),
    ("ServiceProviderName", FROM_1_3),
    ("SkuId", ALL),
    ("SkuPriceId", ALL),
];

/// The custom columns, after the spec's.
pub const CUSTOM_COLUMNS: [&str; 5] = [
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
    /// The FOCUS version whose columns are written (default 1.4).
    pub focus_version: FocusVersion,
    /// The InvoiceId of every row; empty when not given.
    pub invoice_id: Option<String>,
}

impl Default for FocusOptions {
    fn default() -> Self {
        Self {
            invoice_issuer_name: "Genesys Cloud partner".into(),
            provider_name: "Genesys".into(),
            allow_unpriced: false,
            focus_version: FocusVersion::default(),
            invoice_id: None,
        }
    }
}

impl FromJson for FocusOptions {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [issuer, provider, unpriced, version, invoice_id] = fields(
            v,
            at,
            "FocusOptions",
            &[
                "invoiceIssuerName",
                "providerName",
                "allowUnpriced",
                "focusVersion",
                "invoiceId",
            ],
            true,
        )?;
        let d = FocusOptions::default();
        Ok(FocusOptions {
            invoice_issuer_name: opt_string(issuer, at, "invoiceIssuerName")?
                .unwrap_or(d.invoice_issuer_name),
            provider_name: opt_string(provider, at, "providerName")?.unwrap_or(d.provider_name),
            allow_unpriced: opt_bool(unpriced, at, "allowUnpriced")?.unwrap_or(d.allow_unpriced),
            focus_version: opt_one_of(version, at, "focusVersion", &FocusVersion::NAMES)?
                .unwrap_or_default(),
            invoice_id: opt_string(invoice_id, at, "invoiceId")?,
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

/// What the commitment buys is Committed; what is used beyond it, Standard.
fn pricing_category(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Prepay | LineKind::MinimumCommitment => "Committed",
        LineKind::OnDemand | LineKind::Usage => "Standard",
    }
}

/// SkuId: the part number, or what names the charge when there is none.
fn sku_id(line: &InvoiceLine) -> &str {
    match line.part_number.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None if line.kind == LineKind::MinimumCommitment => "minimum-commitment",
        None => &line.license_type,
    }
}

/// The invoice as FOCUS Cost and Usage CSV in `opts.focus_version`'s
/// columns (header always included).
pub fn to_focus_csv(invoice: &Invoice, opts: &FocusOptions) -> Result<String> {
    opts.check()?;
    let version = opts.focus_version;
    let mut header = version.columns();
    header.extend(CUSTOM_COLUMNS);
    let mut table = Table::with_capacity(400 * (invoice.lines.len() + 1));
    table.header(&header);
    for (i, line) in invoice.lines.iter().enumerate() {
        let located = |e: BillingError| e.at_line(i, line.organization_id.as_deref());
        if line.rate.is_none() && !opts.allow_unpriced {
            return Err(located(BillingError::UnpricedLine {
                line: line_label(i, line),
                target: "FOCUS",
                option: "allowUnpriced",
            }));
        }
        let list_cost = line
            .rate
            .map(|r| money::checked_mul(r, line.quantity, "ListCost", &line_label(i, line)))
            .transpose()
            .map_err(located)?;
        let (start, end) = period(line)
            .map_err(|e| in_line(e, &line_label(i, line)))
            .map_err(located)?;
        let (category, frequency) = charge_category(line.kind);
        let description = description(line);
        let third_party = line
            .is_third_party
            .map(|b| if b { "true" } else { "false" });
        let sku = sku_id(line);
        let sku_price = format!("{sku}:{}", line.kind.as_str());
        let provider = Cell::Text(&opts.provider_name);
        let mut cells: Vec<Cell> = Vec::with_capacity(header.len());
        for (name, in_version) in SPEC_COLUMNS {
            if !in_version(version) {
                continue;
            }
            cells.push(match name {
                "BilledCost" | "EffectiveCost" => line.amount.into(),
                "BillingAccountId" => line.organization_id.as_deref().into(),
                "BillingAccountName" => line.organization_name.as_deref().into(),
                "BillingCurrency" => Cell::Text(&line.currency),
                "BillingPeriodStart" | "ChargePeriodStart" => start.as_deref().into(),
                "BillingPeriodEnd" | "ChargePeriodEnd" => end.as_deref().into(),
                "ChargeCategory" => Cell::Text(category),
                "ChargeClass" => Cell::Empty,
                "ChargeDescription" => Cell::Text(&description),
                "ChargeFrequency" => Cell::Text(frequency),
                "ContractedCost" | "ListCost" => list_cost.into(),
                "ContractedUnitPrice" | "ListUnitPrice" => line.rate.into(),
                "InvoiceId" => opts.invoice_id.as_deref().into(),
                "InvoiceIssuerName" => Cell::Text(&opts.invoice_issuer_name),
                "PricingCategory" => Cell::Text(pricing_category(line.kind)),
                "PricingQuantity" => Cell::Number(line.quantity),
                "PricingUnit" => Cell::Text(pricing_unit(line)),
                "HostProviderName" | "ProviderName" | "PublisherName" | "ServiceProviderName" => {
                    provider
                }
                "ServiceCategory" => Cell::Text(SERVICE_CATEGORY),
                "ServiceName" => Cell::Text(&line.license_type),
                "SkuId" => Cell::Text(sku),
                "SkuPriceId" => Cell::Text(&sku_price),
                // SPEC_COLUMNS and this match are one list: a column added
                // there without a value here is a bug the tests show.
                _ => Cell::Empty,
            });
        }
        cells.extend([
            line.organization_id.as_deref().into(),
            line.grouping.as_deref().into(),
            Cell::Text(line.kind.as_str()),
            line.bundle_quantity.as_deref().into(),
            third_party.into(),
        ]);
        table.row(&cells);
    }
    Ok(table.finish())
}
