//! The client against the mock Genesys Cloud server (tests/mock), run in
//! Node and in headless Chromium. Each test asks the mock for a token bound
//! to its own fault scenario, so tests never share state.
#![cfg(target_arch = "wasm32")]

use genesys_billing::client::{
    client_credentials_token, Client, PartnerOptions, PollOptions, Target,
};
use genesys_billing::dates::Timestamp;
use genesys_billing::oauth::ClientCredentials;
use genesys_billing::options::OverviewInvoiceOptions;
use genesys_billing::retry::RetryPolicy;
use gloo_net::http::Request;
use serde_json::{json, Value};
use std::rc::Rc;
use wasm_bindgen_test::*;

const MOCK: &str = match option_env!("GENESYS_MOCK_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:18787",
};

async fn token(scenario: Value) -> String {
    let r = Request::post(&format!("{MOCK}/__mock/tokens"))
        .json(&json!({ "scenario": scenario }))
        .unwrap()
        .send()
        .await
        .expect("the mock server is not running: use scripts/with-mock.sh");
    let v: Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_string()
}

async fn stats(token: &str) -> Value {
    let r = Request::get(&format!("{MOCK}/__mock/stats"))
        .query([("token", token)])
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

/// Fast retries so fault tests take milliseconds.
fn quick() -> RetryPolicy {
    RetryPolicy {
        base_delay_ms: 5,
        max_delay_ms: 50,
        ..RetryPolicy::default()
    }
}

/// A client for a scenario token, without the pacer: these tests are about
/// what the client does when the faults come (the pacer has its own test).
async fn client(scenario: Value) -> (Client, String) {
    let t = token(scenario).await;
    let c = Client::new(&t, Target::BaseUrl(MOCK.into()), quick())
        .unwrap()
        .with_requests_per_minute(0);
    (c, t)
}

async fn first_enabled_org(c: &Client) -> String {
    let trustors = c.trustors(None).await.unwrap();
    trustors
        .iter()
        .find(|t| t.enabled)
        .and_then(|t| t.org_id())
        .unwrap()
        .to_string()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse("d", s).unwrap()
}

#[wasm_bindgen_test]
async fn overview_is_fetched_and_priced() {
    let (c, _) = client(json!({})).await;
    let org = first_enabled_org(&c).await;
    let o = c.trustee_billing_overview(&org, 0, None).await.unwrap();
    assert_eq!(o.organization.id.as_deref(), Some(org.as_str()));
    let inv =
        genesys_billing::invoice::from_overview(&o, &OverviewInvoiceOptions::default()).unwrap();
    assert!(!inv.totals.is_empty());
}

#[wasm_bindgen_test]
async fn trustors_are_read_across_pages() {
    let (c, t) = client(json!({})).await;
    let all = c.trustors(None).await.unwrap();
    let mut ids: Vec<_> = all.iter().filter_map(|t| t.org_id()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no trustor twice");
    assert!(n >= 20, "the default dataset has 20 orgs, got {n}");
    assert!(all.iter().any(|t| !t.enabled), "some trusts are disabled");
    let s = stats(&t).await;
    assert!(s["requests"].as_u64().unwrap() >= 1);
}

#[wasm_bindgen_test]
async fn billable_usage_polls_while_in_progress() {
    let (c, t) = client(json!({"inProgressPolls": 2})).await;
    let poll = PollOptions {
        interval_ms: 10,
        timeout_ms: 10_000,
    };
    let r = c
        .billable_usage(
            &ts("2026-10-01T00:00:00Z"),
            &ts("2026-10-31T23:59:59.999Z"),
            poll,
            None,
        )
        .await
        .unwrap();
    assert!(!r.in_progress());
    assert!(!r.usages.is_empty());
    assert_eq!(stats(&t).await["requests"].as_u64(), Some(3));
}

#[wasm_bindgen_test]
async fn polling_gives_up_with_a_timeout_error() {
    let (c, _) = client(json!({"inProgressPolls": 1000})).await;
    let poll = PollOptions {
        interval_ms: 20,
        timeout_ms: 100,
    };
    let e = c
        .billable_usage(&ts("2026-10-01"), &ts("2026-10-31"), poll, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert!(e.to_string().contains("ms"), "{e}");
}

#[wasm_bindgen_test]
async fn a_429_burst_is_waited_out() {
    let (c, t) = client(json!({"status429": {"count": 2, "retryAfter": 0}})).await;
    let org = first_enabled_org(&c).await;
    c.trustee_billing_overview(&org, 0, None).await.unwrap();
    let s = stats(&t).await;
    assert_eq!(s["status429"].as_u64(), Some(2));
}

#[wasm_bindgen_test]
async fn a_long_retry_after_fails_at_once() {
    let (c, t) = client(json!({"status429": {"count": 5, "retryAfter": 3600}})).await;
    let e = c.trustors(None).await.unwrap_err();
    assert_eq!(e.code(), "rate_limited");
    assert_eq!(e.status(), Some(429));
    assert_eq!(stats(&t).await["requests"].as_u64(), Some(1));
}

#[wasm_bindgen_test]
async fn gateway_errors_are_retried_within_the_budget() {
    let (c, _) = client(json!({"status5xx": {"count": 2, "status": 503}})).await;
    assert!(c.trustors(None).await.is_ok());
    let t = token(json!({"status5xx": {"count": 100, "status": 502}})).await;
    let policy = RetryPolicy {
        max_attempts: 3,
        ..quick()
    };
    let c = Client::new(&t, Target::BaseUrl(MOCK.into()), policy)
        .unwrap()
        .with_requests_per_minute(0);
    let e = c.trustors(None).await.unwrap_err();
    assert_eq!(e.code(), "retries_exhausted");
    assert_eq!(e.status(), Some(502));
    assert_eq!(stats(&t).await["requests"].as_u64(), Some(3));
}

#[wasm_bindgen_test]
async fn unauthorized_becomes_token_expired_without_retry() {
    let (c, t) = client(json!({"unauthorized": true})).await;
    let e = c.trustors(None).await.unwrap_err();
    assert_eq!(e.code(), "token_expired");
    assert!(
        !e.to_string().contains(&t),
        "the token never appears in errors"
    );
    assert_eq!(stats(&t).await["requests"].as_u64(), Some(1));
}

#[wasm_bindgen_test]
async fn forbidden_names_the_missing_permission() {
    let (c, _) = client(json!({"forbiddenOrgCount": 1})).await;
    let org = first_enabled_org(&c).await;
    let e = c.trustee_billing_overview(&org, 0, None).await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert!(
        e.to_string()
            .contains("affiliateOrganization:clientBilling:view"),
        "{e}"
    );
}

#[wasm_bindgen_test]
async fn truncated_json_is_an_invalid_json_error() {
    let (c, _) = client(json!({"truncatedOrgCount": 1})).await;
    let mut codes = Vec::new();
    for t in c.trustors(None).await.unwrap().iter().filter(|t| t.enabled) {
        if let Err(e) = c
            .trustee_billing_overview(t.org_id().unwrap(), 0, None)
            .await
        {
            codes.push(e.code());
        }
    }
    assert_eq!(codes, ["invalid_json"]);
}

#[wasm_bindgen_test]
async fn abort_stops_waiting_at_once() {
    let (c, _) = client(json!({"slowMs": 5000})).await;
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let started = js_sys::Date::now();
    let abort_soon =
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
            let c2 = controller.clone();
            let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
                c2.abort();
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            });
            let _ = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
                .unwrap()
                .dyn_into::<js_sys::Function>()
                .unwrap()
                .call2(&wasm_bindgen::JsValue::NULL, &cb, &50.into());
        }));
    let (result, _) = futures_join(c.trustors(Some(&signal)), abort_soon).await;
    assert_eq!(result.unwrap_err().code(), "aborted");
    assert!(
        js_sys::Date::now() - started < 4000.0,
        "aborted long before the slow answer"
    );
}

use wasm_bindgen::JsCast;

/// Polls two futures to completion together (no futures crate needed).
async fn futures_join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let mut a = pin!(a);
    let mut b = pin!(b);
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    (ra.unwrap(), rb.unwrap())
}

#[wasm_bindgen_test]
async fn partner_run_loses_no_org_and_respects_concurrency() {
    // A third of the 18 enabled orgs fail, in four different ways.
    let (probe, _) = client(json!({})).await;
    let trustors = probe.trustors(None).await.unwrap();
    let enabled: Vec<String> = trustors
        .iter()
        .filter(|t| t.enabled)
        .filter_map(|t| t.org_id().map(str::to_string))
        .collect();
    assert_eq!(enabled.len(), 18);
    let scenario = json!({
        "slowMs": 30,
        "forbiddenOrgCount": 2,
        "truncatedOrgCount": 2,
        "failOrgs": {enabled[5].clone(): 404, enabled[6].clone(): 500},
        "status5xx": {"count": 1, "status": 503},
    });
    let (c, t) = client(scenario).await;
    let run = Rc::new(c)
        .partner_invoices(
            PartnerOptions {
                billing_period_index: 0,
                concurrency: 3,
                invoice: OverviewInvoiceOptions::default(),
                on_progress: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut seen: Vec<String> = run
        .invoice
        .totals
        .iter()
        .filter_map(|t| t.organization_id.clone())
        .chain(run.failures.iter().map(|f| f.organization_id.clone()))
        .collect();
    seen.sort();
    seen.dedup();
    let mut want = enabled.clone();
    want.sort();
    assert_eq!(seen, want, "every enabled org is invoiced or failed");
    let mut codes: Vec<_> = run.failures.iter().map(|f| f.code.as_str()).collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "forbidden",
            "forbidden",
            "http_error",
            "invalid_json",
            "invalid_json",
            "not_found"
        ]
    );
    assert_eq!(run.skipped.len(), trustors.len() - 18);
    let max = stats(&t).await["maxConcurrent"].as_u64().unwrap();
    assert!((2..=3).contains(&max), "max concurrent requests {max}");
}

#[wasm_bindgen_test]
async fn a_per_minute_rate_limit_is_waited_out_without_losing_requests() {
    // A "minute" of 1 s (timeScale 60) with room for 5 requests.
    let (c, t) = client(json!({"ratePerMinute": 5, "timeScale": 60})).await;
    let trustors = c.trustors(None).await.unwrap();
    let orgs: Vec<_> = trustors.iter().filter(|t| t.enabled).take(8).collect();
    for o in &orgs {
        c.trustee_billing_overview(o.org_id().unwrap(), 0, None)
            .await
            .unwrap();
    }
    let s = stats(&t).await;
    assert!(s["status429"].as_u64().unwrap() >= 1, "{s}");
    // Each 429 cost exactly one retry; no request was lost or repeated.
    let limited = s["status429"].as_u64().unwrap() as usize;
    assert_eq!(
        s["requests"].as_u64().unwrap() as usize,
        1 + orgs.len() + limited,
        "{s}"
    );
}

#[wasm_bindgen_test]
async fn a_retry_after_the_browser_cannot_read_falls_back_to_backoff() {
    let (c, t) =
        client(json!({"status429": {"count": 2, "retryAfter": 1}, "hideRetryAfter": true})).await;
    assert!(c.trustors(None).await.is_ok());
    assert_eq!(stats(&t).await["status429"].as_u64(), Some(2));
}

#[wasm_bindgen_test]
async fn the_pacer_keeps_a_run_under_the_rate_limit() {
    // A "minute" of 1 s (timeScale 60) with room for 5 requests, and 12
    // requests to make. Unpaced, the burst meets 429s; paced at the same
    // 5 a "minute" (300 a real minute), none.
    async fn twelve_requests(c: &Client) {
        let trustors = c.trustors(None).await.unwrap();
        let orgs: Vec<_> = trustors.iter().filter(|t| t.enabled).take(11).collect();
        assert_eq!(orgs.len(), 11);
        for o in &orgs {
            c.trustee_billing_overview(o.org_id().unwrap(), 0, None)
                .await
                .unwrap();
        }
    }
    let scenario = json!({"ratePerMinute": 5, "timeScale": 60});
    let (unpaced, t) = client(scenario.clone()).await;
    twelve_requests(&unpaced).await;
    assert!(stats(&t).await["status429"].as_u64().unwrap() >= 1);

    let t = token(scenario).await;
    let paced = Client::new(&t, Target::BaseUrl(MOCK.into()), quick())
        .unwrap()
        .with_requests_per_minute(300);
    twelve_requests(&paced).await;
    let s = stats(&t).await;
    assert_eq!(s["status429"].as_u64(), Some(0), "{s}");
    assert_eq!(s["requests"].as_u64(), Some(12), "{s}");
}

fn in_browser() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"document".into()).unwrap_or(false)
}

/// The mock's client-credentials client (tests/mock/genesys-mock.mjs).
fn mock_credentials(secret: &str) -> ClientCredentials {
    ClientCredentials::new("mock-client".into(), secret.into()).unwrap()
}

#[wasm_bindgen_test]
async fn client_credentials_give_a_token_the_api_accepts() {
    let got = client_credentials_token(
        &mock_credentials("mock-secret"),
        Target::BaseUrl(MOCK.into()),
        quick(),
        None,
    )
    .await;
    if in_browser() {
        // A page must never hold a secret: refused before anything is sent.
        let e = got.unwrap_err();
        assert_eq!(e.code(), "browser_secret");
        assert!(e.to_string().contains("server"), "{e}");
        return;
    }
    let token = got.unwrap();
    assert_eq!(token.token_type.to_ascii_lowercase(), "bearer");
    assert!(token.expires_in > 0);
    let c = Client::new(&token.access_token, Target::BaseUrl(MOCK.into()), quick()).unwrap();
    assert!(!c.trustors(None).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_refused_secret_is_token_request_failed_without_the_secret() {
    if in_browser() {
        return; // Refused before sending: see the test above.
    }
    let e = client_credentials_token(
        &mock_credentials("wrong-secret-x7"),
        Target::BaseUrl(MOCK.into()),
        quick(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "token_request_failed");
    assert_eq!(e.status(), Some(401));
    assert_eq!(
        e.api_details().and_then(|d| d.api_code.as_deref()),
        Some("invalid_client")
    );
    assert!(!format!("{e} {e:?}").contains("wrong-secret-x7"), "{e:?}");
    // Plain http to a non-loopback host would put the secret on the wire.
    let e = client_credentials_token(
        &mock_credentials("mock-secret"),
        Target::BaseUrl("http://login.example.com".into()),
        quick(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "invalid_base_url");
}

#[wasm_bindgen_test]
async fn partner_comparison_fetches_both_periods_and_names_the_failed_one() {
    let (probe, _) = client(json!({})).await;
    let enabled: Vec<String> = probe
        .trustors(None)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.enabled)
        .filter_map(|t| t.org_id().map(str::to_string))
        .collect();
    let (c, t) = client(json!({"failOrgs": {enabled[2].clone(): 404}})).await;
    let run = Rc::new(c)
        .partner_comparison(
            PartnerOptions {
                billing_period_index: 0,
                concurrency: 4,
                invoice: OverviewInvoiceOptions::default(),
                on_progress: None,
            },
            1,
            &genesys_billing::compare::CompareOptions::default(),
            None,
        )
        .await
        .unwrap();
    // The failed org: in failures with the period that failed (the first
    // fetched, the previous one), and in neither invoice nor the comparison.
    assert_eq!(run.failures.len(), 1);
    let f = &run.failures[0];
    assert_eq!(f.organization_id, enabled[2]);
    assert_eq!(f.billing_period_index, Some(1));
    assert!(f.message.starts_with("billing period 1: "), "{}", f.message);
    let orgs = |inv: &genesys_billing::Invoice| -> Vec<String> {
        let mut ids: Vec<String> = inv
            .totals
            .iter()
            .filter_map(|t| t.organization_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let mut others: Vec<String> = enabled
        .iter()
        .filter(|id| **id != enabled[2])
        .cloned()
        .collect();
    others.sort();
    assert_eq!(orgs(&run.previous), others);
    assert_eq!(orgs(&run.current), others);
    assert!(run
        .comparison
        .rows
        .iter()
        .all(|r| r.organization_id.as_deref() != Some(enabled[2].as_str())));
    assert!(!run.comparison.rows.is_empty());
    // Two overviews per org, plus the trustor pages.
    let s = stats(&t).await;
    assert_eq!(
        s["overviewRequests"].as_u64(),
        Some(2 * (enabled.len() as u64 - 1) + 1),
        "{s}"
    );
}

#[wasm_bindgen_test]
async fn comparison_thresholds_are_refused_by_a_plain_partner_run() {
    use genesys_billing::wasm::BillingClientJs;
    use wasm_bindgen::JsValue;
    let t = token(json!({})).await;
    let opts =
        js_sys::JSON::parse(&json!({"accessToken": t, "apiBaseUrl": MOCK}).to_string()).unwrap();
    let client = BillingClientJs::new(opts).unwrap();
    let code = |e: JsValue| {
        js_sys::Reflect::get(&e, &"code".into())
            .unwrap()
            .as_string()
    };
    // A threshold belongs to partnerComparison: given to partnerInvoices, it is
    // an unknown invoice option, not silently ignored.
    let bad = js_sys::JSON::parse(r#"{"totalIncreasePercent":"20"}"#).unwrap();
    let e = wasm_bindgen_futures::JsFuture::from(client.partner_invoices(Some(bad)))
        .await
        .unwrap_err();
    assert_eq!(code(e).as_deref(), Some("wrong_type"));
    // And partnerComparison needs its previous period.
    let e = wasm_bindgen_futures::JsFuture::from(
        client.partner_comparison(js_sys::JSON::parse(r#"{"currentPeriodIndex":0}"#).unwrap()),
    )
    .await
    .unwrap_err();
    assert_eq!(code(e).as_deref(), Some("invalid_option"));
}
