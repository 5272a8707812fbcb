//! serde models of the Genesys Cloud billing API, as in
//! `tests/mock/billing-openapi.json`: required fields are required, optional
//! ones are `Option`, unknown fields are ignored, enums are open (a value the
//! API adds tomorrow is kept, not rejected). Quantities and prices stay the
//! decimal strings the API sends; `money::parse_*` turns them into decimals
//! with the field and the usage named in any error.

use crate::dates::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an enum whose unknown values are kept as `Other(text)`.
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know; kept verbatim.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

open_enum!(
    /// `BillingUsageReport.status`.
    ReportStatus { InProgress = "InProgress", Complete = "Complete" }
);

open_enum!(
    /// `TrusteeBillingOverview.subscriptionType`.
    SubscriptionType {
        Inin = "ININ",
        MonthToMonth = "MONTH_TO_MONTH",
        FreeTrialMonthToMonth = "FREE_TRIAL_MONTH_TO_MONTH",
        PrepayMonthlyCommitment = "PREPAY_MONTHLY_COMMITMENT",
        Prepay = "PREPAY",
        DevOrgMonthToMonth = "DEV_ORG_MONTH_TO_MONTH",
        DevOrgPrepayMonthlyCommitment = "DEV_ORG_PREPAY_MONTHLY_COMMITMENT",
        DevOrgPrepay = "DEV_ORG_PREPAY",
    }
);

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedEntity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `GET /api/v2/billing/reports/billableusage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingUsageReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub start_date: Timestamp,
    pub end_date: Timestamp,
    /// Absent in reports from before 2019: treated as Complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReportStatus>,
    pub usages: Vec<BillingUsage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

impl BillingUsageReport {
    pub fn in_progress(&self) -> bool {
        self.status == Some(ReportStatus::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingUsage {
    pub name: String,
    /// A decimal number in a string.
    pub total_usage: String,
    pub resources: Vec<BillingUsageResource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingUsageResource {
    pub name: String,
    pub date: Timestamp,
}

/// `GET /api/v2/billing/trusteebillingoverview/{trustorOrgId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrusteeBillingOverview {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub organization: NamedEntity,
    pub currency: String,
    pub enabled_products: Vec<String>,
    pub subscription_type: SubscriptionType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp_period_start_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp_period_end_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period_start_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period_end_date: Option<Timestamp>,
    pub usages: Vec<SubscriptionOverviewUsage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_amendment_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_effective_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_end_date: Option<Timestamp>,
    /// A decimal number in a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_monthly_amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_ramp_period: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionOverviewUsage {
    pub name: String,
    pub part_number: String,
    pub grouping: String,
    pub unit_of_measure_type: String,
    pub usage_quantity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overage_price: Option<String>,
    pub prepay_quantity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepay_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_cancellable: Option<bool>,
    /// "Quantity multiplier for this charge": carried, never multiplied,
    /// because its effect on the price is not documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_quantity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_third_party: Option<bool>,
}

/// `ErrorBody`: every field optional, as in the API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_with_params: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_params: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
}

impl ErrorBody {
    /// The permission a 403 names, e.g. from "…You must have at least one of
    /// the following permissions assigned: [affiliateOrganization:clientBilling:view]".
    pub fn missing_permission(&self) -> Option<String> {
        let text = self.message.as_deref()?;
        let tail = &text[text.find("permissions assigned")?..];
        let tail = tail[tail.find(':')? + 1..].trim();
        let tail = tail.trim_start_matches('[');
        let end = tail.find([']', ' ', ',']).unwrap_or(tail.len());
        let p = tail[..end].trim_end_matches('.');
        (!p.is_empty()).then(|| p.to_string())
    }
}

/// `GET /api/v2/orgauthorization/trustors`, one page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustorEntityListing {
    #[serde(default)]
    pub entities: Vec<Trustor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trustor {
    /// The trustor (customer) org id: what `trustorOrgId` takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<NamedEntity>,
}

impl Trustor {
    pub fn org_id(&self) -> Option<&str> {
        self.id
            .as_deref()
            .or_else(|| self.organization.as_ref()?.id.as_deref())
    }

    pub fn org_name(&self) -> Option<&str> {
        self.organization.as_ref()?.name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BillingError;

    const OVERVIEW: &str = r#"{
      "organization": {"id": "org-1", "name": "Acme", "selfUri": "/x"},
      "currency": "USD",
      "enabledProducts": ["PureCloud3Overage"],
      "subscriptionType": "SOMETHING_NEW",
      "billingPeriodStartDate": "2018-08-01T00:00:00Z",
      "billingPeriodEndDate": "2018-08-31T23:59:59.999Z",
      "usages": [{"name": "PureCloud 3", "partNumber": "PC-1", "grouping": "billable-license",
                  "unitOfMeasureType": "seat", "usageQuantity": "0", "overagePrice": "23.74",
                  "prepayQuantity": "2", "futureField": {"a": 1}}],
      "aFieldFromTheFuture": true
    }"#;

    #[test]
    fn overview_keeps_unknown_enum_values_and_ignores_unknown_fields() {
        let o: TrusteeBillingOverview = BillingError::parse_json("overview", OVERVIEW).unwrap();
        assert_eq!(
            o.subscription_type,
            SubscriptionType::Other("SOMETHING_NEW".into())
        );
        assert_eq!(o.subscription_type.as_str(), "SOMETHING_NEW");
        assert_eq!(o.usages[0].prepay_price, None);
        assert_eq!(
            o.billing_period_end_date.unwrap().as_str(),
            "2018-08-31T23:59:59.999Z"
        );
        let known: TrusteeBillingOverview =
            BillingError::parse_json("overview", &OVERVIEW.replace("SOMETHING_NEW", "PREPAY"))
                .unwrap();
        assert_eq!(known.subscription_type, SubscriptionType::Prepay);
    }

    #[test]
    fn required_fields_are_required() {
        let e = BillingError::parse_json::<TrusteeBillingOverview>(
            "overview",
            &OVERVIEW.replace(r#""currency": "USD","#, ""),
        )
        .unwrap_err();
        assert_eq!(e.code(), "missing_field");
        assert!(e.to_string().contains("`currency`"), "{e}");
    }

    #[test]
    fn report_status_is_open_and_optional() {
        let r: BillingUsageReport = BillingError::parse_json(
            "report",
            r#"{"startDate":"2026-10-01T00:00:00.000Z","endDate":"2026-10-31T23:59:59Z","usages":[],"status":"Queued"}"#,
        )
        .unwrap();
        assert_eq!(r.status, Some(ReportStatus::Other("Queued".into())));
        assert!(!r.in_progress());
        let r: BillingUsageReport = BillingError::parse_json(
            "report",
            r#"{"startDate":"2026-10-01T00:00:00Z","endDate":"2026-10-31T23:59:59Z","usages":[],"status":"InProgress"}"#,
        )
        .unwrap();
        assert!(r.in_progress());
    }

    #[test]
    fn bad_dates_in_models_are_errors() {
        let e = BillingError::parse_json::<BillingUsageReport>(
            "report",
            r#"{"startDate":"yesterday","endDate":"2026-10-31T23:59:59Z","usages":[]}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_date");
        assert!(e.to_string().contains("yesterday"), "{e}");
        assert!(e.to_string().contains("report"), "{e}");
    }

    #[test]
    fn missing_permission_is_read_from_the_message() {
        let b = ErrorBody {
            message: Some("You are not authorized to perform the requested action. You must have at least one of the following permissions assigned: [affiliateOrganization:clientBilling:view]".into()),
            ..Default::default()
        };
        assert_eq!(
            b.missing_permission().as_deref(),
            Some("affiliateOrganization:clientBilling:view")
        );
        assert_eq!(ErrorBody::default().missing_permission(), None);
    }
}
