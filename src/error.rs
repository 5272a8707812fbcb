//! The one error type of the crate. Every failure, from a malformed decimal to
//! an HTTP 403, is a variant here with a stable `code()`; the wasm glue turns
//! it into a JS `Error` once, at the boundary.

use std::fmt;

pub type Result<T, E = BillingError> = std::result::Result<T, E>;

/// What the Genesys Cloud API said about a failed request, from its ErrorBody
/// and headers. Every field is optional because the API documents none as
/// required, and a proxy may answer with no body at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiErrorDetails {
    /// The ErrorBody `code`, e.g. `missing.any.permissions`.
    pub api_code: Option<String>,
    pub message: Option<String>,
    pub context_id: Option<String>,
    pub correlation_id: Option<String>,
}

impl fmt::Display for ApiErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(c) = &self.api_code {
            write!(f, " [{c}]")?;
        }
        if let Some(c) = &self.context_id {
            write!(f, " (contextId {c})")?;
        }
        Ok(())
    }
}

/// Where an error is, as data: callers act on it (highlight the org, the
/// usage, the field) without parsing the message, which says the same in
/// words. Each error fills what it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Location {
    pub organization_id: Option<String>,
    /// 0-based position of the usage in the overview's or report's `usages`.
    pub usage_index: Option<usize>,
    pub usage_name: Option<String>,
    pub part_number: Option<String>,
    /// 0-based position of the line in the invoice's `lines`.
    pub line_index: Option<usize>,
    /// The field or option whose value is at fault.
    pub field: Option<String>,
}

/// What an arithmetic or parsing error is about: it reads as words in the
/// message and, where it knows one, gives a structured `Location`.
pub trait ErrorContext: fmt::Display {
    fn location(&self) -> Location {
        Location::default()
    }
}

impl ErrorContext for str {}
impl ErrorContext for String {}
impl<T: ErrorContext + ?Sized> ErrorContext for &T {
    fn location(&self) -> Location {
        (**self).location()
    }
}

/// The crate's one error type: documented and non-exhaustive, so a new
/// kind of failure is not a breaking change; callers switch on `code()`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BillingError {
    #[error("invalid JSON in {what}: {detail}")]
    InvalidJson { what: String, detail: String },

    #[error("missing field `{field}` in {context}")]
    MissingField { field: String, context: String },

    #[error("wrong type in {context}: {detail}")]
    WrongType { context: String, detail: String },

    #[error("invalid decimal in `{field}` of {context}: {value:?} is not a plain decimal number ({reason})")]
    InvalidDecimal {
        field: String,
        context: String,
        value: String,
        reason: &'static str,
        location: Box<Location>,
    },

    #[error("negative quantity in `{field}` of {context}: {value}")]
    NegativeQuantity {
        field: String,
        context: String,
        value: String,
        location: Box<Location>,
    },

    #[error(
        "unknown currency code {currency:?} for {context}: pass `currencyExponent` to price it"
    )]
    UnknownCurrency { currency: String, context: String },

    #[error("arithmetic overflow computing {what} for {context}: the result does not fit in 28 significant digits")]
    Overflow {
        what: &'static str,
        context: String,
        location: Box<Location>,
    },

    #[error("invalid option `{option}`: {reason}")]
    InvalidOption { option: String, reason: String },

    #[error("invalid date in {field}: {detail}")]
    InvalidDate { field: String, detail: String },

    #[error("invalid invoice: {reason}")]
    InvalidInvoice { reason: String },

    #[error("{line} has no rate, and the {target} export cannot carry an unpriced line: price it, or pass `{option}: true`")]
    UnpricedLine {
        line: String,
        target: &'static str,
        option: &'static str,
    },

    #[error("Stripe would refuse {what}, for {context}")]
    StripeLimit { what: String, context: String },

    /// An accounting import (Xero, QuickBooks Online) cannot hold a figure
    /// exactly: refused rather than written as a different amount.
    #[error("{target} cannot take {what}, for {context}")]
    TargetLimit {
        target: &'static str,
        what: String,
        context: String,
    },

    #[error("unknown region {input:?}; known regions: {known}")]
    UnknownRegion { input: String, known: String },

    #[error("invalid base URL {input:?}: {reason}")]
    InvalidBaseUrl { input: String, reason: &'static str },

    #[error("clientCredentialsToken refuses to run in a browser: a client secret in a web page is readable by anyone who loads it. Request the token on a server (Node), and give the page only the access token")]
    BrowserSecret,

    #[error("the token request was refused (HTTP {status}){details}; check the client id and secret, and that the OAuth client's grant type is Client Credentials")]
    TokenRequestFailed {
        status: u16,
        details: ApiErrorDetails,
    },

    #[error("the access token was rejected or has expired (HTTP 401){details}; sign in again")]
    TokenExpired { details: ApiErrorDetails },

    #[error("permission denied (HTTP 403){details}{}", missing_permission_hint(.permission))]
    Forbidden {
        permission: Option<String>,
        details: ApiErrorDetails,
    },

    #[error("not found (HTTP 404) at {path}{details}")]
    NotFound {
        path: String,
        details: ApiErrorDetails,
    },

    #[error("rate limited (HTTP 429): the API asks to wait {retry_after_secs} s, more than the {cap_secs} s cap (a daily quota?){details}")]
    RateLimited {
        retry_after_secs: u64,
        cap_secs: u64,
        details: ApiErrorDetails,
    },

    #[error("HTTP {status} from {path}{details}")]
    Http {
        status: u16,
        path: String,
        details: ApiErrorDetails,
    },

    #[error("gave up on {path} after {attempts} attempts over {waited_ms} ms (retry budget spent); last error: {last}")]
    RetriesExhausted {
        path: String,
        attempts: u32,
        waited_ms: u64,
        last: String,
        status: Option<u16>,
    },

    #[error("network error on {path}: {message}")]
    Network { path: String, message: String },

    #[error("the billable-usage report was still InProgress after {waited_ms} ms ({polls} polls)")]
    Timeout { waited_ms: u64, polls: u32 },

    #[error("aborted")]
    Aborted,

    /// An error whose message already names where it is, with that place
    /// as data too (an export's line, a client call's org).
    #[error("{inner}")]
    Located {
        location: Box<Location>,
        inner: Box<BillingError>,
    },

    /// One element of a batch (`Invoice.fromOverviews`) failed: its own error,
    /// with the element's position and, where it could be read, its org.
    #[error("overviews[{index}]{}: {inner}", element_org(.organization_id, .organization_name))]
    InElement {
        index: usize,
        organization_id: Option<String>,
        organization_name: Option<String>,
        inner: Box<BillingError>,
    },
}

impl BillingError {
    /// Marks an error as being about line `index` of an invoice (an
    /// export's input): the message is unchanged (it names the line
    /// already), the location gains the line and its org.
    pub(crate) fn at_line(self, index: usize, organization_id: Option<&str>) -> BillingError {
        self.located(Location {
            line_index: Some(index),
            organization_id: organization_id.map(str::to_string),
            ..Location::default()
        })
    }

    /// Marks an error as being about one org (a client call for it).
    pub fn for_org(self, organization_id: &str) -> BillingError {
        self.located(Location {
            organization_id: Some(organization_id.to_string()),
            ..Location::default()
        })
    }

    fn located(self, location: Location) -> BillingError {
        match self {
            e @ BillingError::Located { .. } => e,
            e => BillingError::Located {
                location: Box::new(location),
                inner: Box::new(e),
            },
        }
    }
}

fn element_org(id: &Option<String>, name: &Option<String>) -> String {
    match (id, name) {
        (None, None) => String::new(),
        (id, name) => format!(
            " ({})",
            crate::invoice::org_label(id.as_deref(), name.as_deref())
        ),
    }
}

fn missing_permission_hint(permission: &Option<String>) -> String {
    match permission {
        Some(p) => format!("; missing permission: {p}"),
        None => String::new(),
    }
}

impl BillingError {
    /// A stable, documented code that JavaScript callers can switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidJson { .. } => "invalid_json",
            Self::MissingField { .. } => "missing_field",
            Self::WrongType { .. } => "wrong_type",
            Self::InvalidDecimal { .. } => "invalid_decimal",
            Self::NegativeQuantity { .. } => "negative_quantity",
            Self::UnknownCurrency { .. } => "unknown_currency",
            Self::Overflow { .. } => "overflow",
            Self::InvalidOption { .. } => "invalid_option",
            Self::InvalidDate { .. } => "invalid_date",
            Self::InvalidInvoice { .. } => "invalid_invoice",
            Self::UnpricedLine { .. } => "unpriced_line",
            Self::StripeLimit { .. } => "stripe_limit",
            Self::TargetLimit { .. } => "target_limit",
            Self::UnknownRegion { .. } => "unknown_region",
            Self::InvalidBaseUrl { .. } => "invalid_base_url",
            Self::BrowserSecret => "browser_secret",
            Self::TokenRequestFailed { .. } => "token_request_failed",
            Self::TokenExpired { .. } => "token_expired",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not_found",
            Self::RateLimited { .. } => "rate_limited",
            Self::Http { .. } => "http_error",
            Self::RetriesExhausted { .. } => "retries_exhausted",
            Self::Network { .. } => "network_error",
            Self::Timeout { .. } => "timeout",
            Self::Aborted => "aborted",
            Self::InElement { inner, .. } | Self::Located { inner, .. } => inner.code(),
        }
    }

    /// The HTTP status behind an API error, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::TokenRequestFailed { status, .. } => Some(*status),
            Self::TokenExpired { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::RateLimited { .. } => Some(429),
            Self::Http { status, .. } => Some(*status),
            Self::RetriesExhausted { status, .. } => *status,
            Self::InElement { inner, .. } | Self::Located { inner, .. } => inner.status(),
            _ => None,
        }
    }

    /// Where the error is, as far as it knows: the org, usage, line and
    /// field (see `Location`).
    pub fn location(&self) -> Location {
        match self {
            Self::InvalidDecimal { location, .. }
            | Self::NegativeQuantity { location, .. }
            | Self::Overflow { location, .. } => location.as_ref().clone(),
            Self::InElement {
                organization_id,
                inner,
                ..
            } => {
                let mut l = inner.location();
                if l.organization_id.is_none() {
                    l.organization_id = organization_id.clone();
                }
                l
            }
            Self::Located { location, inner } => {
                // What the inner error knows is more precise; the wrapper
                // fills in the rest.
                let mut l = inner.location();
                let w = location.as_ref().clone();
                l.organization_id = l.organization_id.or(w.organization_id);
                l.usage_index = l.usage_index.or(w.usage_index);
                l.usage_name = l.usage_name.or(w.usage_name);
                l.part_number = l.part_number.or(w.part_number);
                l.line_index = l.line_index.or(w.line_index);
                l.field = l.field.or(w.field);
                l
            }
            Self::MissingField { field, .. } => Location {
                field: Some(field.clone()),
                ..Location::default()
            },
            Self::InvalidOption { option, .. } => Location {
                field: Some(option.clone()),
                ..Location::default()
            },
            _ => Location::default(),
        }
    }

    /// The permission a 403 names as missing.
    pub fn permission(&self) -> Option<&str> {
        match self {
            Self::Forbidden { permission, .. } => permission.as_deref(),
            Self::InElement { inner, .. } | Self::Located { inner, .. } => inner.permission(),
            _ => None,
        }
    }

    /// The API's own error details, for the errors that carry them.
    pub fn api_details(&self) -> Option<&ApiErrorDetails> {
        match self {
            Self::TokenExpired { details }
            | Self::TokenRequestFailed { details, .. }
            | Self::Forbidden { details, .. }
            | Self::NotFound { details, .. }
            | Self::RateLimited { details, .. }
            | Self::Http { details, .. } => Some(details),
            Self::InElement { inner, .. } | Self::Located { inner, .. } => inner.api_details(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrappers_keep_code_status_details_and_permission() {
        let e = BillingError::Forbidden {
            permission: Some("billing:subscription:view".into()),
            details: ApiErrorDetails {
                api_code: Some("missing.any.permissions".into()),
                ..ApiErrorDetails::default()
            },
        };
        for wrapped in [
            e.clone().for_org("org-9"),
            e.clone().at_line(3, Some("org-9")),
        ] {
            assert_eq!(wrapped.code(), "forbidden");
            assert_eq!(wrapped.status(), Some(403));
            assert_eq!(wrapped.permission(), Some("billing:subscription:view"));
            assert_eq!(
                wrapped.api_details().and_then(|d| d.api_code.as_deref()),
                Some("missing.any.permissions")
            );
            assert_eq!(wrapped.to_string(), e.to_string());
            assert_eq!(wrapped.location().organization_id.as_deref(), Some("org-9"));
        }
    }

    use super::*;

    #[test]
    fn codes_are_stable_and_snake_case() {
        let e = BillingError::Aborted;
        assert_eq!(e.code(), "aborted");
        let e = BillingError::Forbidden {
            permission: Some("affiliateOrganization:clientBilling:view".into()),
            details: ApiErrorDetails::default(),
        };
        assert_eq!(e.code(), "forbidden");
        assert_eq!(e.status(), Some(403));
        assert!(e
            .to_string()
            .ends_with("missing permission: affiliateOrganization:clientBilling:view"));
    }
}
