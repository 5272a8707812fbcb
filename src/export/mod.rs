//! Pure export formats for an invoice: a plain CSV, a FinOps FOCUS cost and
//! usage CSV, Stripe invoice items, and Xero and QuickBooks Online invoice
//! imports. Each takes a finished `Invoice` and
//! never recomputes its amounts: the invoice is the one source of truth, and
//! an export only reshapes it (or re-rounds it where the target demands,
//! as Stripe's minor units do).

pub mod accounting;
pub mod comparison;
pub mod csv;
pub mod focus;
pub mod quickbooks;
mod rfc4180;
pub mod stripe;
mod stripe_currency;
pub mod xero;

pub use self::accounting::{AccountingExport, DateFormat, InvoiceTerms};
pub use self::comparison::comparison_to_csv;
pub use self::csv::{to_csv, CsvOptions};
pub use self::focus::{to_focus_csv, FocusOptions, FocusVersion, FOCUS_VERSION};
pub use self::quickbooks::{to_quickbooks_csv, QuickBooksOptions};
pub use self::stripe::{
    to_stripe_items, StripeInvoiceItem, StripeMode, StripeOptions, StripePeriod, StripePricing,
    TaxBehavior,
};
pub use self::stripe_currency::{stripe_currency, StripeCurrency};
pub use self::xero::{to_xero_csv, XeroOptions};

use crate::error::BillingError;
use crate::invoice::{org_label, InvoiceLine};

/// Names a line in an error so the user can find it in the invoice: its
/// 1-based position, kind, license type and org.
pub(crate) fn line_label(index: usize, line: &InvoiceLine) -> String {
    let org = org_label(
        line.organization_id.as_deref(),
        line.organization_name.as_deref(),
    );
    format!(
        "line {} ({} {:?}, {org})",
        index.saturating_add(1),
        line.kind.as_str(),
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
