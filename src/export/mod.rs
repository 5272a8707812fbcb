//! Pure export formats for an invoice: a plain CSV, a FinOps FOCUS cost and
//! usage CSV, and Stripe invoice items. Each takes a finished `Invoice` and
//! never recomputes its amounts: the invoice is the one source of truth, and
//! an export only reshapes it (or re-rounds it where the target demands,
//! as Stripe's minor units do).

pub mod csv;
pub mod focus;
mod rfc4180;
pub mod stripe;
mod stripe_currency;

pub use self::csv::{to_csv, CsvOptions};
pub use self::focus::{to_focus_csv, FocusOptions, FOCUS_VERSION};
pub use self::stripe::{to_stripe_items, StripeInvoiceItem, StripeOptions, StripePeriod};
pub use self::stripe_currency::{stripe_currency, StripeCurrency};

use crate::error::BillingError;
use crate::invoice::{InvoiceLine, LineKind};

/// The kind as the plain CSV's Charge column and the messages spell it; the
/// same words as `LineKind`'s serde form, so JSON and CSV agree.
pub(crate) fn kind_label(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Prepay => "prepay",
        LineKind::OnDemand => "on-demand",
        LineKind::MinimumCommitment => "minimum-commitment",
        LineKind::Usage => "usage",
    }
}

/// Names a line in an error so the user can find it in the invoice: its
/// 1-based position, kind, license type and org.
pub(crate) fn line_label(index: usize, line: &InvoiceLine) -> String {
    let org = match (&line.organization_name, &line.organization_id) {
        (Some(n), Some(i)) => format!("org {n:?} ({i})"),
        (Some(n), None) => format!("org {n:?}"),
        (None, Some(i)) => format!("org {i}"),
        (None, None) => "no org".to_string(),
    };
    format!(
        "line {} ({} {:?}, {org})",
        index.saturating_add(1),
        kind_label(line.kind),
        line.license_type
    )
}

/// Adds the line to a date error: in an edited invoice handed back from
/// JavaScript, the field and value alone do not say which line to fix.
pub(crate) fn in_line(e: BillingError, label: &str) -> BillingError {
    match e {
        BillingError::InvalidDate { field, detail } => BillingError::InvalidDate {
            field: format!("{field} of {label}"),
            detail,
        },
        other => other,
    }
}
