//! What to do after a failed request: wait and retry, or give up with which
//! error. Pure, so every rule is tested natively; the client only sleeps and
//! re-sends as told.

use crate::error::{ApiErrorDetails, BillingError};
use crate::model::ErrorBody;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests per call, the first one included.
    pub max_attempts: u32,
    /// The most time one call may spend waiting between attempts.
    pub max_total_wait_ms: u64,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    /// A longer Retry-After means a quota, not a burst: fail at once.
    pub retry_after_cap_secs: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            max_total_wait_ms: 10 * 60 * 1000,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
            // The Java SDK's cap: "daily max limit breach" 429s ask for hours.
            retry_after_cap_secs: 180,
        }
    }
}

/// What came back from one attempt that was not a success.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Status {
        status: u16,
        /// The raw `Retry-After` header, if the response exposed it.
        retry_after: Option<String>,
        details: ApiErrorDetails,
        permission: Option<String>,
    },
    Network(String),
}

impl Failure {
    /// A failed HTTP answer, reading the ErrorBody when there is one.
    pub fn from_response(
        status: u16,
        body: &str,
        retry_after: Option<String>,
        correlation_id: Option<String>,
    ) -> Self {
        // A proxy may answer with HTML or nothing: then there are no details.
        let parsed: ErrorBody = crate::decode::from_str("the error body", body).unwrap_or_default();
        Failure::Status {
            status,
            retry_after,
            permission: parsed.missing_permission(),
            details: ApiErrorDetails {
                api_code: parsed.code,
                message: parsed.message,
                context_id: parsed.context_id,
                correlation_id,
            },
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Status {
                status, details, ..
            } => format!("HTTP {status}{details}"),
            Failure::Network(m) => format!("network error: {m}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    RetryAfterMs(u64),
    Fail(BillingError),
}

/// Reads `Retry-After` as delta-seconds. An HTTP-date or garbage is
/// "unreadable", and the caller falls back to backoff.
pub fn parse_retry_after(value: &str) -> Option<u64> {
    let v = value.trim();
    (!v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| v.parse().ok())
        .flatten()
}

impl RetryPolicy {
    /// Exponential backoff with "equal jitter": half fixed, half random, so
    /// a partner run's parallel requests do not retry in lockstep.
    /// `jitter` is a uniform random number in [0, 1).
    pub fn backoff_ms(&self, attempt: u32, jitter: f64) -> u64 {
        let exp = self
            .base_delay_ms
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_delay_ms);
        let half = cap / 2;
        half + (half as f64 * jitter.clamp(0.0, 1.0)) as u64
    }

    /// Decides after attempt number `attempt` (1-based) failed, with
    /// `waited_ms` already spent waiting in this call.
    pub fn decide(
        &self,
        path: &str,
        attempt: u32,
        waited_ms: u64,
        failure: Failure,
        jitter: f64,
    ) -> Decision {
        let delay = match &failure {
            Failure::Status {
                status: 429,
                retry_after,
                details,
                ..
            } => match retry_after.as_deref().and_then(parse_retry_after) {
                Some(secs) if secs > self.retry_after_cap_secs => {
                    return Decision::Fail(BillingError::RateLimited {
                        retry_after_secs: secs,
                        cap_secs: self.retry_after_cap_secs,
                        details: details.clone(),
                    })
                }
                Some(secs) => secs * 1000,
                None => self.backoff_ms(attempt, jitter),
            },
            Failure::Status {
                status: 502..=504, ..
            }
            | Failure::Network(_) => self.backoff_ms(attempt, jitter),
            Failure::Status { .. } => return Decision::Fail(final_error(path, failure)),
        };
        if attempt >= self.max_attempts || waited_ms.saturating_add(delay) > self.max_total_wait_ms
        {
            let status = match &failure {
                Failure::Status { status, .. } => Some(*status),
                Failure::Network(_) => None,
            };
            return Decision::Fail(BillingError::RetriesExhausted {
                path: path.to_string(),
                attempts: attempt,
                waited_ms,
                last: failure.describe(),
                status,
            });
        }
        Decision::RetryAfterMs(delay)
    }
}

/// The error for a failure that is not retried.
pub fn final_error(path: &str, failure: Failure) -> BillingError {
    match failure {
        Failure::Network(message) => BillingError::Network {
            path: path.to_string(),
            message,
        },
        Failure::Status {
            status,
            details,
            permission,
            ..
        } => match status {
            401 => BillingError::TokenExpired { details },
            403 => BillingError::Forbidden {
                permission,
                details,
            },
            404 => BillingError::NotFound {
                path: path.to_string(),
                details,
            },
            _ => BillingError::Http {
                status,
                path: path.to_string(),
                details,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: u16, retry_after: Option<&str>) -> Failure {
        Failure::Status {
            status: s,
            retry_after: retry_after.map(str::to_string),
            details: ApiErrorDetails::default(),
            permission: None,
        }
    }

    #[test]
    fn a_429_waits_retry_after() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide("/x", 1, 0, status(429, Some("3")), 0.5),
            Decision::RetryAfterMs(3000)
        );
    }

    #[test]
    fn a_long_retry_after_fails_at_once() {
        let p = RetryPolicy::default();
        match p.decide("/x", 1, 0, status(429, Some("3600")), 0.5) {
            Decision::Fail(e) => {
                assert_eq!(e.code(), "rate_limited");
                assert!(e.to_string().contains("3600"), "{e}");
            }
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn unreadable_retry_after_backs_off_with_jitter() {
        let p = RetryPolicy::default();
        for header in [
            None,
            Some("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some("-1"),
            Some(""),
        ] {
            let low = p.decide("/x", 3, 0, status(429, header), 0.0);
            let high = p.decide("/x", 3, 0, status(429, header), 0.999);
            // attempt 3: 500 ms × 4 = 2000 ms, half fixed, half jittered.
            assert_eq!(low, Decision::RetryAfterMs(1000), "{header:?}");
            assert_eq!(high, Decision::RetryAfterMs(1999), "{header:?}");
        }
    }

    #[test]
    fn gateway_errors_and_network_errors_retry_others_do_not() {
        let p = RetryPolicy::default();
        for s in [502, 503, 504] {
            assert!(matches!(
                p.decide("/x", 1, 0, status(s, None), 0.0),
                Decision::RetryAfterMs(250)
            ));
        }
        assert!(matches!(
            p.decide("/x", 1, 0, Failure::Network("reset".into()), 0.0),
            Decision::RetryAfterMs(_)
        ));
        let codes = [
            (400, "http_error"),
            (401, "token_expired"),
            (403, "forbidden"),
            (404, "not_found"),
            (500, "http_error"),
        ];
        for (s, code) in codes {
            match p.decide("/x", 1, 0, status(s, None), 0.0) {
                Decision::Fail(e) => {
                    assert_eq!(e.code(), code);
                    assert_eq!(e.status(), Some(s));
                }
                d => panic!("{s}: {d:?}"),
            }
        }
    }

    #[test]
    fn the_budget_bounds_attempts_and_waiting() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        match p.decide("/x", 3, 100, status(503, None), 0.0) {
            Decision::Fail(e) => {
                assert_eq!(e.code(), "retries_exhausted");
                assert_eq!(e.status(), Some(503));
            }
            d => panic!("{d:?}"),
        }
        let p = RetryPolicy {
            max_total_wait_ms: 5000,
            ..RetryPolicy::default()
        };
        assert!(matches!(
            p.decide("/x", 1, 2500, status(429, Some("3")), 0.0),
            Decision::Fail(_)
        ));
        assert_eq!(
            p.decide("/x", 1, 2000, status(429, Some("3")), 0.0),
            Decision::RetryAfterMs(3000)
        );
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(30, 0.0), 15_000);
        assert_eq!(p.backoff_ms(u32::MAX, 0.999), 29_985);
    }

    #[test]
    fn error_bodies_are_read() {
        let f = Failure::from_response(
            403,
            r#"{"message":"You must have at least one of the following permissions assigned: [affiliateOrganization:clientBilling:view]","code":"missing.any.permissions","status":403,"contextId":"ctx-1"}"#,
            None,
            Some("corr-1".into()),
        );
        let e = final_error("/api/v2/billing/trusteebillingoverview/o1", f);
        assert_eq!(e.code(), "forbidden");
        let msg = e.to_string();
        assert!(
            msg.contains("affiliateOrganization:clientBilling:view") && msg.contains("ctx-1"),
            "{msg}"
        );
        let d = e.api_details().unwrap();
        assert_eq!(d.api_code.as_deref(), Some("missing.any.permissions"));
        assert_eq!(d.correlation_id.as_deref(), Some("corr-1"));
        // A body that is not an ErrorBody still gives a typed error.
        let e = final_error("/p", Failure::from_response(500, "<html>", None, None));
        assert_eq!(e.code(), "http_error");
    }
}
