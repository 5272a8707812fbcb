//! Models of the Genesys Cloud billing API, as in
//! `tests/mock/billing-openapi.json`: required fields are required, optional
//! ones are `Option`, unknown fields are ignored, enums are open (a value the
//! API adds tomorrow is kept, not rejected). Quantities and prices stay the
//! decimal strings the API sends; `money::parse_*` turns them into decimals
//! with the field and the usage named in any error. Each model is read from
//! JSON by `FromJson` (field by field, see `decode`) and written back by
//! `ToJson`, in the API's field order, leaving absent optional fields out.

use crate::dates::Timestamp;
use crate::decode::{
    array, as_str, boolean, date, element_string, fields, list, nested, opt_array, opt_bool,
    opt_date, opt_i64, opt_string, optional, required, string, string_map, At, FromJson,
};
use crate::error::Result;
use crate::json::{ToJson, Value, Writer};

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

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamedEntity {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// `GET /api/v2/billing/reports/billableusage`.
#[derive(Debug, Clone, PartialEq)]
pub struct BillingUsageReport {
    pub id: Option<String>,
    pub name: Option<String>,
    pub start_date: Timestamp,
    pub end_date: Timestamp,
    /// Absent in reports from before 2019: treated as Complete.
    pub status: Option<ReportStatus>,
    pub usages: Vec<BillingUsage>,
    pub self_uri: Option<String>,
}

impl BillingUsageReport {
    pub fn in_progress(&self) -> bool {
        self.status == Some(ReportStatus::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BillingUsage {
    pub name: String,
    /// A decimal number in a string.
    pub total_usage: String,
    pub resources: Vec<BillingUsageResource>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BillingUsageResource {
    pub name: String,
    pub date: Timestamp,
}

/// `GET /api/v2/billing/trusteebillingoverview/{trustorOrgId}`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrusteeBillingOverview {
    pub id: Option<String>,
    pub name: Option<String>,
    pub organization: NamedEntity,
    pub currency: String,
    pub enabled_products: Vec<String>,
    pub subscription_type: SubscriptionType,
    pub ramp_period_start_date: Option<Timestamp>,
    pub ramp_period_end_date: Option<Timestamp>,
    pub billing_period_start_date: Option<Timestamp>,
    pub billing_period_end_date: Option<Timestamp>,
    pub usages: Vec<SubscriptionOverviewUsage>,
    pub contract_amendment_date: Option<Timestamp>,
    pub contract_effective_date: Option<Timestamp>,
    pub contract_end_date: Option<Timestamp>,
    /// A decimal number in a string.
    pub minimum_monthly_amount: Option<String>,
    pub in_ramp_period: Option<bool>,
    pub self_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionOverviewUsage {
    pub name: String,
    pub part_number: String,
    pub grouping: String,
    pub unit_of_measure_type: String,
    pub usage_quantity: String,
    pub overage_price: Option<String>,
    pub prepay_quantity: String,
    pub prepay_price: Option<String>,
    pub usage_notes: Option<String>,
    pub is_cancellable: Option<bool>,
    /// "Quantity multiplier for this charge": carried, never multiplied,
    /// because its effect on the price is not documented.
    pub bundle_quantity: Option<String>,
    pub is_third_party: Option<bool>,
}

/// `ErrorBody`: every field optional, as in the API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub code: Option<String>,
    pub status: Option<i64>,
    pub entity_id: Option<String>,
    pub entity_name: Option<String>,
    pub message_with_params: Option<String>,
    pub message_params: Option<std::collections::BTreeMap<String, String>>,
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrustorEntityListing {
    pub entities: Vec<Trustor>,
    pub page_size: Option<i64>,
    pub page_number: Option<i64>,
    pub total: Option<i64>,
    pub page_count: Option<i64>,
    pub next_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trustor {
    /// The trustor (customer) org id: what `trustorOrgId` takes.
    pub id: Option<String>,
    pub enabled: bool,
    pub date_created: Option<String>,
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

// ---- JSON reading and writing (src/decode.rs, src/json.rs) ----

impl FromJson for NamedEntity {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [id, name] = fields(v, at, "NamedEntity", &["id", "name"], false)?;
        Ok(NamedEntity {
            id: opt_string(id, at, "id")?,
            name: opt_string(name, at, "name")?,
        })
    }
}

impl ToJson for NamedEntity {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        if let Some(id) = &self.id {
            w.key("id");
            w.string(id);
        }
        if let Some(name) = &self.name {
            w.key("name");
            w.string(name);
        }
        w.end_object();
    }
}

impl FromJson for BillingUsageReport {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [id, name, start, end, status, usages, self_uri] = fields(
            v,
            at,
            "BillingUsageReport",
            &[
                "id",
                "name",
                "startDate",
                "endDate",
                "status",
                "usages",
                "selfUri",
            ],
            false,
        )?;
        Ok(BillingUsageReport {
            id: opt_string(id, at, "id")?,
            name: opt_string(name, at, "name")?,
            start_date: date(start, at, "startDate")?,
            end_date: date(end, at, "endDate")?,
            status: opt_string(status, at, "status")?.map(|s| ReportStatus::from(s.as_str())),
            usages: list(
                array(usages, at, "usages")?,
                at,
                "usages",
                BillingUsage::from_json,
            )?,
            self_uri: opt_string(self_uri, at, "selfUri")?,
        })
    }
}

impl ToJson for BillingUsageReport {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        opt_field(w, "id", self.id.as_deref());
        opt_field(w, "name", self.name.as_deref());
        w.key("startDate");
        w.string(self.start_date.as_str());
        w.key("endDate");
        w.string(self.end_date.as_str());
        opt_field(w, "status", self.status.as_ref().map(ReportStatus::as_str));
        w.key("usages");
        self.usages.write_json(w);
        opt_field(w, "selfUri", self.self_uri.as_deref());
        w.end_object();
    }
}

impl FromJson for BillingUsage {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [name, total, resources] = fields(
            v,
            at,
            "BillingUsage",
            &["name", "totalUsage", "resources"],
            false,
        )?;
        Ok(BillingUsage {
            name: string(name, at, "name")?,
            total_usage: string(total, at, "totalUsage")?,
            resources: list(
                array(resources, at, "resources")?,
                at,
                "resources",
                BillingUsageResource::from_json,
            )?,
        })
    }
}

impl ToJson for BillingUsage {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("name");
        w.string(&self.name);
        w.key("totalUsage");
        w.string(&self.total_usage);
        w.key("resources");
        self.resources.write_json(w);
        w.end_object();
    }
}

impl FromJson for BillingUsageResource {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [name, when] = fields(v, at, "BillingUsageResource", &["name", "date"], false)?;
        Ok(BillingUsageResource {
            name: string(name, at, "name")?,
            date: date(when, at, "date")?,
        })
    }
}

impl ToJson for BillingUsageResource {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("name");
        w.string(&self.name);
        w.key("date");
        w.string(self.date.as_str());
        w.end_object();
    }
}

/// Writes `"key": value` only when there is a value, as the API omits
/// absent optional fields.
fn opt_field(w: &mut Writer, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        w.key(key);
        w.string(v);
    }
}

fn opt_bool_field(w: &mut Writer, key: &str, value: Option<bool>) {
    if let Some(v) = value {
        w.key(key);
        w.bool(v);
    }
}

const OVERVIEW_FIELDS: [&str; 17] = [
    "id",
    "name",
    "organization",
    "currency",
    "enabledProducts",
    "subscriptionType",
    "rampPeriodStartDate",
    "rampPeriodEndDate",
    "billingPeriodStartDate",
    "billingPeriodEndDate",
    "usages",
    "contractAmendmentDate",
    "contractEffectiveDate",
    "contractEndDate",
    "minimumMonthlyAmount",
    "inRampPeriod",
    "selfUri",
];

impl FromJson for TrusteeBillingOverview {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [id, name, organization, currency, products, subscription, ramp_start, ramp_end, start, end, usages, amended, effective, contract_end, minimum, in_ramp, self_uri] =
            fields(v, at, "TrusteeBillingOverview", &OVERVIEW_FIELDS, false)?;
        let organization = required(organization, at, "organization")?;
        let products = array(products, at, "enabledProducts")?;
        Ok(TrusteeBillingOverview {
            id: opt_string(id, at, "id")?,
            name: opt_string(name, at, "name")?,
            organization: nested(organization, at, "organization", NamedEntity::from_json)?,
            currency: string(currency, at, "currency")?,
            enabled_products: list(products, at, "enabledProducts", element_string)?,
            subscription_type: SubscriptionType::from(as_str(
                required(subscription, at, "subscriptionType")?,
                at,
                "subscriptionType",
            )?),
            ramp_period_start_date: opt_date(ramp_start, at, "rampPeriodStartDate")?,
            ramp_period_end_date: opt_date(ramp_end, at, "rampPeriodEndDate")?,
            billing_period_start_date: opt_date(start, at, "billingPeriodStartDate")?,
            billing_period_end_date: opt_date(end, at, "billingPeriodEndDate")?,
            usages: list(
                array(usages, at, "usages")?,
                at,
                "usages",
                SubscriptionOverviewUsage::from_json,
            )?,
            contract_amendment_date: opt_date(amended, at, "contractAmendmentDate")?,
            contract_effective_date: opt_date(effective, at, "contractEffectiveDate")?,
            contract_end_date: opt_date(contract_end, at, "contractEndDate")?,
            minimum_monthly_amount: opt_string(minimum, at, "minimumMonthlyAmount")?,
            in_ramp_period: opt_bool(in_ramp, at, "inRampPeriod")?,
            self_uri: opt_string(self_uri, at, "selfUri")?,
        })
    }
}

impl ToJson for TrusteeBillingOverview {
    fn write_json(&self, w: &mut Writer) {
        let date = |w: &mut Writer, key: &str, d: &Option<Timestamp>| {
            opt_field(w, key, d.as_ref().map(Timestamp::as_str))
        };
        w.begin_object();
        opt_field(w, "id", self.id.as_deref());
        opt_field(w, "name", self.name.as_deref());
        w.key("organization");
        self.organization.write_json(w);
        w.key("currency");
        w.string(&self.currency);
        w.key("enabledProducts");
        self.enabled_products.write_json(w);
        w.key("subscriptionType");
        w.string(self.subscription_type.as_str());
        date(w, "rampPeriodStartDate", &self.ramp_period_start_date);
        date(w, "rampPeriodEndDate", &self.ramp_period_end_date);
        date(w, "billingPeriodStartDate", &self.billing_period_start_date);
        date(w, "billingPeriodEndDate", &self.billing_period_end_date);
        w.key("usages");
        self.usages.write_json(w);
        date(w, "contractAmendmentDate", &self.contract_amendment_date);
        date(w, "contractEffectiveDate", &self.contract_effective_date);
        date(w, "contractEndDate", &self.contract_end_date);
        opt_field(
            w,
            "minimumMonthlyAmount",
            self.minimum_monthly_amount.as_deref(),
        );
        opt_bool_field(w, "inRampPeriod", self.in_ramp_period);
        opt_field(w, "selfUri", self.self_uri.as_deref());
        w.end_object();
    }
}

const USAGE_FIELDS: [&str; 12] = [
    "name",
    "partNumber",
    "grouping",
    "unitOfMeasureType",
    "usageQuantity",
    "overagePrice",
    "prepayQuantity",
    "prepayPrice",
    "usageNotes",
    "isCancellable",
    "bundleQuantity",
    "isThirdParty",
];

impl FromJson for SubscriptionOverviewUsage {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [name, part, grouping, unit, usage, overage, prepay, prepay_price, notes, cancellable, bundle, third_party] =
            fields(v, at, "SubscriptionOverviewUsage", &USAGE_FIELDS, false)?;
        Ok(SubscriptionOverviewUsage {
            name: string(name, at, "name")?,
            part_number: string(part, at, "partNumber")?,
            grouping: string(grouping, at, "grouping")?,
            unit_of_measure_type: string(unit, at, "unitOfMeasureType")?,
            usage_quantity: string(usage, at, "usageQuantity")?,
            overage_price: opt_string(overage, at, "overagePrice")?,
            prepay_quantity: string(prepay, at, "prepayQuantity")?,
            prepay_price: opt_string(prepay_price, at, "prepayPrice")?,
            usage_notes: opt_string(notes, at, "usageNotes")?,
            is_cancellable: opt_bool(cancellable, at, "isCancellable")?,
            bundle_quantity: opt_string(bundle, at, "bundleQuantity")?,
            is_third_party: opt_bool(third_party, at, "isThirdParty")?,
        })
    }
}

impl ToJson for SubscriptionOverviewUsage {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("name");
        w.string(&self.name);
        w.key("partNumber");
        w.string(&self.part_number);
        w.key("grouping");
        w.string(&self.grouping);
        w.key("unitOfMeasureType");
        w.string(&self.unit_of_measure_type);
        w.key("usageQuantity");
        w.string(&self.usage_quantity);
        opt_field(w, "overagePrice", self.overage_price.as_deref());
        w.key("prepayQuantity");
        w.string(&self.prepay_quantity);
        opt_field(w, "prepayPrice", self.prepay_price.as_deref());
        opt_field(w, "usageNotes", self.usage_notes.as_deref());
        opt_bool_field(w, "isCancellable", self.is_cancellable);
        opt_field(w, "bundleQuantity", self.bundle_quantity.as_deref());
        opt_bool_field(w, "isThirdParty", self.is_third_party);
        w.end_object();
    }
}

impl FromJson for ErrorBody {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [message, code, status, entity_id, entity_name, with_params, params, context_id] =
            fields(
                v,
                at,
                "ErrorBody",
                &[
                    "message",
                    "code",
                    "status",
                    "entityId",
                    "entityName",
                    "messageWithParams",
                    "messageParams",
                    "contextId",
                ],
                false,
            )?;
        Ok(ErrorBody {
            message: opt_string(message, at, "message")?,
            code: opt_string(code, at, "code")?,
            status: opt_i64(status, at, "status")?,
            entity_id: opt_string(entity_id, at, "entityId")?,
            entity_name: opt_string(entity_name, at, "entityName")?,
            message_with_params: opt_string(with_params, at, "messageWithParams")?,
            message_params: optional(params)
                .map(|p| string_map(p, at, "messageParams"))
                .transpose()?,
            context_id: opt_string(context_id, at, "contextId")?,
        })
    }
}

impl FromJson for TrustorEntityListing {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [entities, page_size, page_number, total, page_count, next_uri] = fields(
            v,
            at,
            "TrustorEntityListing",
            &[
                "entities",
                "pageSize",
                "pageNumber",
                "total",
                "pageCount",
                "nextUri",
            ],
            false,
        )?;
        Ok(TrustorEntityListing {
            // Absent on an empty page in some API versions: no entities.
            entities: match opt_array(entities, at, "entities")? {
                Some(items) => list(items, at, "entities", Trustor::from_json)?,
                None => Vec::new(),
            },
            page_size: opt_i64(page_size, at, "pageSize")?,
            page_number: opt_i64(page_number, at, "pageNumber")?,
            total: opt_i64(total, at, "total")?,
            page_count: opt_i64(page_count, at, "pageCount")?,
            next_uri: opt_string(next_uri, at, "nextUri")?,
        })
    }
}

impl FromJson for Trustor {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [id, enabled, created, organization] = fields(
            v,
            at,
            "Trustor",
            &["id", "enabled", "dateCreated", "organization"],
            false,
        )?;
        Ok(Trustor {
            id: opt_string(id, at, "id")?,
            enabled: boolean(enabled, at, "enabled")?,
            date_created: opt_string(created, at, "dateCreated")?,
            organization: optional(organization)
                .map(|o| nested(o, at, "organization", NamedEntity::from_json))
                .transpose()?,
        })
    }
}

impl ToJson for Trustor {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        opt_field(w, "id", self.id.as_deref());
        w.key("enabled");
        w.bool(self.enabled);
        opt_field(w, "dateCreated", self.date_created.as_deref());
        if let Some(o) = &self.organization {
            w.key("organization");
            o.write_json(w);
        }
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let o: TrusteeBillingOverview = crate::decode::from_str("overview", OVERVIEW).unwrap();
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
            crate::decode::from_str("overview", &OVERVIEW.replace("SOMETHING_NEW", "PREPAY"))
                .unwrap();
        assert_eq!(known.subscription_type, SubscriptionType::Prepay);
    }

    #[test]
    fn required_fields_are_required() {
        let e = crate::decode::from_str::<TrusteeBillingOverview>(
            "overview",
            &OVERVIEW.replace(r#""currency": "USD","#, ""),
        )
        .unwrap_err();
        assert_eq!(e.code(), "missing_field");
        assert!(e.to_string().contains("`currency`"), "{e}");
    }

    #[test]
    fn report_status_is_open_and_optional() {
        let r: BillingUsageReport = crate::decode::from_str(
            "report",
            r#"{"startDate":"2026-10-01T00:00:00.000Z","endDate":"2026-10-31T23:59:59Z","usages":[],"status":"Queued"}"#,
        )
        .unwrap();
        assert_eq!(r.status, Some(ReportStatus::Other("Queued".into())));
        assert!(!r.in_progress());
        let r: BillingUsageReport = crate::decode::from_str(
            "report",
            r#"{"startDate":"2026-10-01T00:00:00Z","endDate":"2026-10-31T23:59:59Z","usages":[],"status":"InProgress"}"#,
        )
        .unwrap();
        assert!(r.in_progress());
    }

    #[test]
    fn bad_dates_in_models_are_errors() {
        let e = crate::decode::from_str::<BillingUsageReport>(
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
