//! The HTTP client: `fetch` through gloo-net, with retries, polling and the
//! partner fan-out. Decisions (what to retry, what an answer means, how lines
//! are priced) live in the pure core; this module only sends, waits and
//! counts.

use crate::dates::Timestamp;
use crate::decode::FromJson;
use crate::error::{BillingError, Result};
use crate::invoice::{self, Invoice};
use crate::json::{ToJson, Writer};
use crate::model::{BillingUsageReport, TrusteeBillingOverview, Trustor, TrustorEntityListing};
use crate::oauth::{self, AccessToken, ClientCredentials};
use crate::options::OverviewInvoiceOptions;
use crate::pacer::{Pacer, DEFAULT_REQUESTS_PER_MINUTE};
use crate::region;
use crate::retry::{Decision, Failure, RetryPolicy};
use gloo_net::http::Request;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestRedirect};

#[wasm_bindgen]
extern "C" {
    // Global timers, so the client works in windows, workers and Node alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Where requests go: the one origin the token is ever sent to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Region(String),
    BaseUrl(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollOptions {
    pub interval_ms: u64,
    pub timeout_ms: u64,
}

impl Default for PollOptions {
    fn default() -> Self {
        // "wait a few seconds, then try the same request again" (API docs).
        Self {
            interval_ms: 3000,
            timeout_ms: 5 * 60 * 1000,
        }
    }
}

pub struct Client {
    origin: String,
    token: String,
    policy: RetryPolicy,
    /// While a 429 asks everyone to wait, no worker starts a request:
    /// retrying in parallel would only earn more 429s.
    paused_until_ms: Cell<f64>,
    /// Spaces every request (retries included) under the token's rate
    /// limit, so that a partner run does not provoke 429s in the first place.
    pacer: Cell<Pacer>,
}

/// An org that a partner run could not invoice, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgFailure {
    pub organization_id: String,
    pub organization_name: Option<String>,
    pub code: String,
    pub message: String,
    pub status: Option<u16>,
    /// In a run over several periods (a comparison), the one that failed.
    pub billing_period_index: Option<u32>,
}

impl ToJson for OrgFailure {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("organizationId");
        w.string(&self.organization_id);
        w.key("organizationName");
        w.opt_string(self.organization_name.as_deref());
        w.key("code");
        w.string(&self.code);
        w.key("message");
        w.string(&self.message);
        if let Some(s) = self.status {
            w.key("status");
            w.u64(s.into());
        }
        if let Some(p) = self.billing_period_index {
            w.key("billingPeriodIndex");
            w.u64(p.into());
        }
        w.end_object();
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerInvoices {
    pub invoice: Invoice,
    pub failures: Vec<OrgFailure>,
    /// Trustors skipped because their trust is disabled.
    pub skipped: Vec<String>,
}

/// Two periods' invoices of the same orgs, and what changed between them.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerComparison {
    pub comparison: crate::compare::Comparison,
    pub previous: Invoice,
    pub current: Invoice,
    /// Orgs that failed in either period: in neither invoice, so that a
    /// failure never looks like a license that came or went.
    pub failures: Vec<OrgFailure>,
    pub skipped: Vec<String>,
}

pub struct PartnerOptions {
    pub billing_period_index: u32,
    pub concurrency: usize,
    pub invoice: OverviewInvoiceOptions,
    pub on_progress: Option<js_sys::Function>,
}

fn aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

/// Sleeps `ms`, or stops at once with `Aborted` when the signal fires.
pub async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<()> {
    if aborted(signal) {
        return Err(BillingError::Aborted);
    }
    let signal = signal.cloned();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let id = set_timeout(&resolve, ms as f64);
        if let Some(s) = &signal {
            let on_abort = Closure::once_into_js(move || {
                clear_timeout(&id);
                let _ = reject.call0(&JsValue::NULL);
            });
            let _ = s.add_event_listener_with_callback("abort", on_abort.unchecked_ref());
        }
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| BillingError::Aborted)
}

/// Whether this runs in a page (or anything with a `window` or `document`),
/// where a client secret would be readable by everyone who loads it.
fn in_browser() -> bool {
    let global = js_sys::global();
    ["window", "document"]
        .iter()
        .any(|k| js_sys::Reflect::has(&global, &JsValue::from_str(k)).unwrap_or(false))
}

/// A token from the client-credentials grant: for a server-side job (a
/// monthly run), never for a page. 400 and 401 are final
/// (`token_request_failed`); network errors, 429 and 5xx are retried by
/// `policy` like API calls.
pub async fn client_credentials_token(
    credentials: &ClientCredentials,
    login: Target,
    policy: RetryPolicy,
    signal: Option<&AbortSignal>,
) -> Result<AccessToken> {
    if in_browser() {
        return Err(BillingError::BrowserSecret);
    }
    let origin = match login {
        Target::Region(r) => region::resolve(&r)?.login_base_url(),
        Target::BaseUrl(u) => region::api_origin(&u)?,
    };
    let url = format!("{origin}/oauth/token");
    const PATH: &str = "/oauth/token";
    let mut waited_ms = 0u64;
    let mut attempt = 0u32;
    loop {
        if aborted(signal) {
            return Err(BillingError::Aborted);
        }
        attempt += 1;
        let request = Request::post(&url)
            .header("Authorization", &credentials.authorization())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            // The secret must not follow a redirect to another host.
            .redirect(RequestRedirect::Manual)
            .abort_signal(signal)
            .body(oauth::TOKEN_REQUEST_BODY)
            .map_err(|e| BillingError::Network {
                path: PATH.into(),
                message: e.to_string(),
            })?;
        let failure = match request.send().await {
            Err(_) if aborted(signal) => return Err(BillingError::Aborted),
            Err(e) => Failure::Network(e.to_string()),
            Ok(response) => {
                let status = response.status();
                if status == 0 || (300..400).contains(&status) {
                    return Err(BillingError::Network {
                        path: PATH.into(),
                        message: "the login service answered with a redirect, which is not followed so that the secret stays with the login origin".into(),
                    });
                }
                let retry_after = response.headers().get("retry-after");
                let body = response.text().await.unwrap_or_default();
                if (200..300).contains(&status) {
                    return crate::decode::from_str("the token response", &body);
                }
                if let Some(e) = oauth::refused(status, &body) {
                    return Err(e);
                }
                Failure::from_response(status, &body, retry_after, None)
            }
        };
        match policy.decide(PATH, attempt, waited_ms, failure, js_sys::Math::random()) {
            Decision::Fail(e) => return Err(e),
            Decision::RetryAfterMs(ms) => {
                sleep(ms, signal).await?;
                waited_ms += ms;
            }
        }
    }
}

/// A request or body read that failed: an abort if the signal fired (the
/// failure is its doing), otherwise a network failure for the retry policy.
fn network_failure<T>(
    e: gloo_net::Error,
    signal: Option<&AbortSignal>,
) -> Result<std::result::Result<T, Failure>> {
    if aborted(signal) {
        return Err(BillingError::Aborted);
    }
    Ok(Err(Failure::Network(e.to_string())))
}

/// Percent-encodes an org id for a path segment, so an id can never change
/// the path the token is sent to.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    /// A client pacing its requests at Genesys Cloud's documented 300 a
    /// minute; see `with_requests_per_minute`.
    pub fn new(token: &str, target: Target, policy: RetryPolicy) -> Result<Self> {
        if token.trim().is_empty() {
            return Err(BillingError::InvalidOption {
                option: "accessToken".into(),
                reason: "is empty".into(),
            });
        }
        let origin = match target {
            Target::Region(r) => region::resolve(&r)?.api_base_url(),
            Target::BaseUrl(u) => region::api_origin(&u)?,
        };
        Ok(Self {
            origin,
            token: token.to_string(),
            policy,
            paused_until_ms: Cell::new(0.0),
            pacer: Cell::new(Pacer::new(DEFAULT_REQUESTS_PER_MINUTE)),
        })
    }

    /// Paces requests at `n` a minute instead (0: not at all).
    pub fn with_requests_per_minute(self, n: u32) -> Self {
        self.pacer.set(Pacer::new(n));
        self
    }

    /// Waits for this request's turn under the rate limit.
    async fn take_turn(&self, signal: Option<&AbortSignal>) -> Result<()> {
        let mut pacer = self.pacer.get();
        let wait = pacer.reserve(js_sys::Date::now());
        self.pacer.set(pacer);
        if wait > 0.0 {
            sleep(wait.ceil() as u64, signal).await?;
        }
        Ok(())
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// One GET with the retry policy; returns the body of a 2xx answer.
    async fn get_text(&self, path: &str, signal: Option<&AbortSignal>) -> Result<String> {
        let url = format!("{}{path}", self.origin);
        let mut waited_ms = 0u64;
        let mut attempt = 0u32;
        loop {
            let pause = self.paused_until_ms.get() - js_sys::Date::now();
            if pause > 0.0 {
                sleep(pause as u64, signal).await?;
            }
            self.take_turn(signal).await?;
            if aborted(signal) {
                return Err(BillingError::Aborted);
            }
            attempt += 1;
            let failure = match self.send_once(&url, signal).await {
                Ok(Ok(body)) => return Ok(body),
                Ok(Err(failure)) => failure,
                Err(e) => return Err(e),
            };
            let jitter = js_sys::Math::random();
            match self
                .policy
                .decide(path, attempt, waited_ms, failure.clone(), jitter)
            {
                Decision::Fail(e) => return Err(e),
                Decision::RetryAfterMs(ms) => {
                    if matches!(failure, Failure::Status { status: 429, .. }) {
                        let until = js_sys::Date::now() + ms as f64;
                        if until > self.paused_until_ms.get() {
                            self.paused_until_ms.set(until);
                        }
                    }
                    sleep(ms, signal).await?;
                    waited_ms += ms;
                }
            }
        }
    }

    /// Sends once. The outer `Err` is final (abort, a redirect); the inner
    /// one is a failure the retry policy judges.
    async fn send_once(
        &self,
        url: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<std::result::Result<String, Failure>> {
        let request = Request::get(url)
            .header("Authorization", &format!("Bearer {}", self.token))
            .header("Accept", "application/json")
            // A redirect could carry the token elsewhere: never follow one.
            .redirect(RequestRedirect::Manual)
            .abort_signal(signal);
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return network_failure(e, signal),
        };
        let status = response.status();
        if status == 0 || (300..400).contains(&status) {
            return Err(BillingError::Network {
                path: url[self.origin.len()..].to_string(),
                message: "the API answered with a redirect, which is not followed so that the token stays with the API origin".into(),
            });
        }
        let headers = response.headers();
        let body = match response.text().await {
            Ok(b) => b,
            Err(e) => return network_failure(e, signal),
        };
        if (200..300).contains(&status) {
            return Ok(Ok(body));
        }
        Ok(Err(Failure::from_response(
            status,
            &body,
            headers.get("retry-after"),
            headers.get("inin-correlation-id"),
        )))
    }

    async fn get_json<T: FromJson>(
        &self,
        what: &str,
        path: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<T> {
        let body = self.get_text(path, signal).await?;
        crate::decode::from_str(what, &body)
    }

    /// The billable-usage report, polled while the API says InProgress.
    pub async fn billable_usage(
        &self,
        start: &Timestamp,
        end: &Timestamp,
        poll: PollOptions,
        signal: Option<&AbortSignal>,
    ) -> Result<BillingUsageReport> {
        let path = format!(
            "/api/v2/billing/reports/billableusage?startDate={}&endDate={}",
            encode_segment(&start.to_api_query()),
            encode_segment(&end.to_api_query())
        );
        let began = js_sys::Date::now();
        let mut polls = 0u32;
        loop {
            let report: BillingUsageReport = self
                .get_json("the billable-usage report", &path, signal)
                .await?;
            polls += 1;
            if !report.in_progress() {
                return Ok(report);
            }
            let waited = (js_sys::Date::now() - began) as u64;
            if waited + poll.interval_ms > poll.timeout_ms {
                return Err(BillingError::Timeout {
                    waited_ms: waited,
                    polls,
                });
            }
            sleep(poll.interval_ms, signal).await?;
        }
    }

    pub async fn trustee_billing_overview(
        &self,
        org_id: &str,
        billing_period_index: u32,
        signal: Option<&AbortSignal>,
    ) -> Result<TrusteeBillingOverview> {
        let path = format!(
            "/api/v2/billing/trusteebillingoverview/{}?billingPeriodIndex={billing_period_index}",
            encode_segment(org_id)
        );
        self.get_json(
            &format!("the billing overview of org {org_id}"),
            &path,
            signal,
        )
        .await
    }

    /// Every page of the partner's trustors.
    pub async fn trustors(&self, signal: Option<&AbortSignal>) -> Result<Vec<Trustor>> {
        const PAGE_SIZE: i64 = 100;
        // A listing that never ends is a server bug; stop rather than loop.
        const MAX_PAGES: i64 = 10_000;
        let mut all = Vec::new();
        let mut page = 1i64;
        loop {
            let path =
                format!("/api/v2/orgauthorization/trustors?pageSize={PAGE_SIZE}&pageNumber={page}");
            let listing: TrustorEntityListing =
                self.get_json("the trustor list", &path, signal).await?;
            let got = listing.entities.len();
            all.extend(listing.entities);
            let more = match listing.page_count {
                Some(count) => page < count,
                None => listing.next_uri.is_some() && got > 0,
            };
            if !more || page >= MAX_PAGES {
                return Ok(all);
            }
            page += 1;
        }
    }

    /// Invoice lines for every enabled customer org. Every enabled org ends
    /// up in the invoice or in `failures`; only aborting fails the run.
    pub async fn partner_invoices(
        self: Rc<Self>,
        opts: PartnerOptions,
        signal: Option<AbortSignal>,
    ) -> Result<PartnerInvoices> {
        let periods = vec![opts.billing_period_index];
        let run = self.fan_out(opts, periods, signal).await?;
        let mut invoices = Vec::new();
        let mut failures = Vec::new();
        for (outcome, (id, name)) in run.results.into_iter().zip(&run.orgs) {
            match outcome {
                Ok(mut per_period) => invoices.extend(per_period.pop()),
                Err((_, e)) => failures.push(org_failure(id, name, &e, None)),
            }
        }
        Ok(PartnerInvoices {
            invoice: Invoice::merge(invoices)?,
            failures,
            skipped: run.skipped,
        })
    }

    /// Both periods' invoices for every enabled customer org, in one paced
    /// fan-out, and their comparison. An org that fails in either period is
    /// in `failures` (with that period) and in neither invoice.
    pub async fn partner_comparison(
        self: Rc<Self>,
        opts: PartnerOptions,
        previous_period_index: u32,
        compare: &crate::compare::CompareOptions,
        signal: Option<AbortSignal>,
    ) -> Result<PartnerComparison> {
        let periods = vec![previous_period_index, opts.billing_period_index];
        let run = self.fan_out(opts, periods, signal).await?;
        let mut previous = Vec::new();
        let mut current = Vec::new();
        let mut failures = Vec::new();
        for (outcome, (id, name)) in run.results.into_iter().zip(&run.orgs) {
            match outcome {
                Ok(per_period) => {
                    let mut it = per_period.into_iter();
                    previous.extend(it.next());
                    current.extend(it.next());
                }
                Err((period, e)) => failures.push(org_failure(id, name, &e, Some(period))),
            }
        }
        let previous = Invoice::merge(previous)?;
        let current = Invoice::merge(current)?;
        Ok(PartnerComparison {
            comparison: crate::compare::compare(&previous, &current, compare)?,
            previous,
            current,
            failures,
            skipped: run.skipped,
        })
    }

    /// Fetches and prices each enabled trustor's overview for every period
    /// in `periods`, `opts.concurrency` orgs at a time.
    async fn fan_out(
        self: Rc<Self>,
        opts: PartnerOptions,
        periods: Vec<u32>,
        signal: Option<AbortSignal>,
    ) -> Result<FanOutResult> {
        let trustors = self.trustors(signal.as_ref()).await?;
        let mut skipped = Vec::new();
        let mut orgs = Vec::new();
        for t in &trustors {
            match (t.enabled, t.org_id()) {
                (true, Some(id)) => orgs.push((id.to_string(), t.org_name().map(str::to_string))),
                (false, id) => skipped.push(id.unwrap_or_default().to_string()),
                (true, None) => {}
            }
        }
        let total = orgs.len();
        let shared = Rc::new(FanOut {
            client: self,
            orgs,
            periods,
            next: Cell::new(0),
            done: Cell::new(0),
            results: std::cell::RefCell::new((0..total).map(|_| None).collect()),
            opts,
            signal,
        });
        shared.report_progress();
        let workers = js_sys::Array::new();
        for _ in 0..shared.opts.concurrency.clamp(1, 32).min(total.max(1)) {
            let s = shared.clone();
            workers.push(&wasm_bindgen_futures::future_to_promise(async move {
                s.work().await;
                Ok(JsValue::UNDEFINED)
            }));
        }
        let _ = JsFuture::from(js_sys::Promise::all(&workers)).await;
        if aborted(shared.signal.as_ref()) {
            return Err(BillingError::Aborted);
        }
        let first = shared.periods.first().copied().unwrap_or_default();
        let results = shared
            .results
            .take()
            .into_iter()
            .map(|slot| slot.unwrap_or(Err((first, BillingError::Aborted))))
            .collect();
        Ok(FanOutResult {
            orgs: shared.orgs.clone(),
            results,
            skipped,
        })
    }
}

/// Per enabled org, in trustor order: its invoice for each period, or the
/// first period that failed and why.
struct FanOutResult {
    orgs: Vec<(String, Option<String>)>,
    results: Vec<OrgOutcome>,
    skipped: Vec<String>,
}

type OrgOutcome = std::result::Result<Vec<Invoice>, (u32, BillingError)>;

fn org_failure(
    id: &str,
    name: &Option<String>,
    e: &BillingError,
    period: Option<u32>,
) -> OrgFailure {
    OrgFailure {
        organization_id: id.to_string(),
        organization_name: name.clone(),
        code: e.code().to_string(),
        message: match period {
            Some(p) => format!("billing period {p}: {e}"),
            None => e.to_string(),
        },
        status: e.status(),
        billing_period_index: period,
    }
}

/// The state the workers of one partner run share.
struct FanOut {
    client: Rc<Client>,
    orgs: Vec<(String, Option<String>)>,
    /// The billing periods fetched for every org, in order.
    periods: Vec<u32>,
    next: Cell<usize>,
    done: Cell<usize>,
    results: std::cell::RefCell<Vec<Option<OrgOutcome>>>,
    opts: PartnerOptions,
    signal: Option<AbortSignal>,
}

impl FanOut {
    async fn work(&self) {
        loop {
            if aborted(self.signal.as_ref()) {
                return;
            }
            let i = self.next.get();
            let Some((id, _)) = self.orgs.get(i) else {
                return;
            };
            self.next.set(i + 1);
            let mut invoices = Vec::with_capacity(self.periods.len());
            let mut result = Ok(());
            for &period in &self.periods {
                let priced = match self
                    .client
                    .trustee_billing_overview(id, period, self.signal.as_ref())
                    .await
                {
                    Ok(o) => invoice::from_overview(&o, &self.opts.invoice),
                    Err(BillingError::Aborted) => return,
                    Err(e) => Err(e),
                };
                match priced {
                    Ok(inv) => invoices.push(inv),
                    Err(e) => {
                        result = Err((period, e));
                        break;
                    }
                }
            }
            let result = result.map(|()| invoices);
            if let Some(slot) = self.results.borrow_mut().get_mut(i) {
                *slot = Some(result);
            }
            self.done.set(self.done.get() + 1);
            self.report_progress();
        }
    }

    fn report_progress(&self) {
        if let Some(f) = &self.opts.on_progress {
            let p = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&p, &"done".into(), &(self.done.get() as f64).into());
            let _ = js_sys::Reflect::set(&p, &"total".into(), &(self.orgs.len() as f64).into());
            // A throwing progress callback must not lose the run's results.
            let _ = f.call1(&JsValue::NULL, &p);
        }
    }
}
