// Demo page for the genesys-billing package: sign in to Genesys Cloud (PKCE or implicit grant),
// fetch billing data with BillingClient and show the invoice lines the package computes.
//
// Plain ES module, no framework and no build step. Everything the page needs from the package:
//   init, regions, checkDecimal, BillingClient (billableUsage, partnerInvoices, partnerComparison), Invoice (fromUsage,
//   lines/totals/warnings, toCsv/toFocus/toStripeItems/toXeroCsv/toQuickBooksCsv/toJSON, free), comparisonToCsv
// The invoices on screen are `Invoice` handles whose lines live in the wasm module; the page frees them
// when a new result replaces them or the user logs out.
// Money values (quantity, rate, amount, change) stay decimal STRINGS from the package to the screen and
// the downloads: this file never turns them into numbers or sums them. On screen they are written with
// the user's locale's digit grouping by splitting the string (formatDecimal), and the changes table
// sorts them by comparing the strings exactly (compareDecimal, BigInt). The one exception is the bar
// charts, which read an approximate magnitude only to size the bars (labels show the exact values).

const PKG_URL = "./pkg/genesys_billing.js";
const LOCAL_REGION_ID = "local";

// sessionStorage keys. The token is kept in sessionStorage (this tab only), never in localStorage.
const KEY_PENDING = "genesysBilling.pendingLogin"; // state + PKCE verifier, only until the redirect returns
const KEY_SESSION = "genesysBilling.session"; // access token, expiry and region
const KEY_PREFS = "genesysBilling.prefs"; // region, client id, flow, mode (nothing secret)

// Friendly text for the error codes the package throws.
const ERROR_TEXT = {
  token_expired: "Your Genesys Cloud sign-in has expired or the token was refused. Sign in again.",
  forbidden: "Your Genesys Cloud user lacks a permission this needs.",
  not_found: "Genesys Cloud did not find the requested data.",
  rate_limited: "Genesys Cloud is rate-limiting this token. Wait and try again, or lower the parallel requests.",
  retries_exhausted: "Genesys Cloud kept failing after several retries. Try again later.",
  http_error: "Genesys Cloud answered with an error.",
  network_error: "Could not reach Genesys Cloud (network or CORS error).",
  timeout: "Genesys Cloud took too long to prepare the data. Try again.",
  invalid_json: "Genesys Cloud sent data that could not be read.",
  invalid_decimal: "A number is not a valid decimal (use digits and a dot, e.g. 12.50).",
  invalid_option: "An option is not valid.",
  invalid_date: "A date is not valid.",
  unknown_currency: "Unknown currency code.",
  unknown_region: "Unknown Genesys Cloud region.",
  aborted: "Cancelled.",
};

const $ = (id) => document.getElementById(id);
const el = {};
for (const id of [
  "session", "session-region", "session-flow", "session-expiry", "logout", "client-app-note", "status", "error",
  "error-text", "error-dismiss", "login", "login-form", "region", "region-hosts", "client-id", "redirect-uri",
  "sign-in", "flow-pkce", "flow-implicit", "workspace", "mode-usage", "mode-partner", "usage-form", "start-date", "end-date", "currency",
  "usage-rounding", "company", "price-book", "price-book-file", "run-usage", "cancel-usage", "partner-form", "period-index",
  "markup", "partner-rounding", "concurrency", "apply-minimum", "overrides", "run-partner", "cancel-partner",
  "progress-area", "progress-bar", "progress-text", "results", "results-title", "results-summary", "failures",
  "failures-title", "failures-list", "warnings", "warnings-title", "warnings-list", "totals-table", "dl-csv",
  "dl-focus", "dl-json", "dl-stripe", "dl-xero", "dl-quickbooks", "focus-version", "invoice-date", "date-format",
  "export-notes", "export-notes-title", "export-notes-list", "unpriced-export", "unpriced-note", "export-unpriced", "chart-by", "chart-org-field", "chart-org", "chart", "more-columns",
  "lines-title", "lines-table", "compare-with", "total-increase-field", "total-increase", "comparison",
  "comparison-title", "comparison-summary", "alerts", "alerts-title", "alerts-list", "change-totals-table",
  "changes-chart-by", "changes-chart", "changes-title", "show-unchanged", "changes-caption", "changes-table",
  "dl-comparison",
]) {
  el[id] = $(id);
}

/** The loaded package module (after init()). */
let pkg = null;
/** All selectable regions: {id, domain, name, clientAppEnvironment, loginBase, apiBase, local}. */
let regionList = [];
/** Contents of ./local-config.json when the local mock demo runs. */
let localConfig = null;
/** The signed-in session, or null. */
let session = null;
/**
 * The last result shown: {invoice, failures, skipped, period, mode}, and for a partner comparison
 * also {previous (the earlier period's Invoice), comparison, previousPeriod}.
 */
let current = null;
/** AbortController of the running request, if any. */
let running = null;
let expiryTimer = null;
/** Organization ids behind the chart's company picker. */
let chartOrgIds = [];
/** How the changes table is sorted: key amountChange | percent | company | license | status. */
let changeSort = { key: "amountChange", descending: true };

// ---------------------------------------------------------------------------------------------
// Small helpers

function readJson(storage, key) {
  try {
    const text = storage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function savePrefs(patch) {
  const prefs = { ...readJson(sessionStorage, KEY_PREFS), ...patch };
  sessionStorage.setItem(KEY_PREFS, JSON.stringify(prefs));
}

function setStatus(text) {
  el.status.textContent = text;
}

function showError(text) {
  el["error-text"].textContent = text;
  el.error.hidden = false;
}

function clearError() {
  el.error.hidden = true;
  el["error-text"].textContent = "";
}

/** Describe an error thrown by the package (Error with .code, .status, .organizationId) for people. */
function describeError(err) {
  const code = err && typeof err === "object" ? err.code : undefined;
  const friendly = code && ERROR_TEXT[code];
  const raw = err && err.message ? String(err.message) : String(err);
  const parts = [];
  if (friendly) parts.push(friendly);
  if (!friendly || (raw && raw !== friendly && code !== "aborted")) parts.push(raw);
  const details = [];
  if (err && err.permission) details.push(`missing permission ${err.permission}`);
  if (code) details.push(`code ${code}`);
  if (err && err.status) details.push(`HTTP ${err.status}`);
  if (err && err.organizationId) details.push(`organization ${err.organizationId}`);
  return parts.join(" ") + (details.length ? ` (${details.join(", ")})` : "");
}

function base64Url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomState() {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

const UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/** A PKCE code verifier: 128 characters from the unreserved set, without modulo bias. */
function pkceVerifier(length = 128) {
  const limit = 256 - (256 % UNRESERVED.length); // 198: bytes >= limit are redrawn
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit) out += UNRESERVED[b % UNRESERVED.length];
      if (out.length === length) break;
    }
  }
  return out;
}

async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The redirect URI: this page's URL without query or fragment. */
function redirectUri() {
  return location.origin + location.pathname;
}

function formatTime(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function formatDuration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Approximate size of a decimal string, for sizing chart bars ONLY. */
function approxMagnitude(decimal) {
  if (typeof decimal !== "string") return 0;
  const value = Math.abs(parseFloat(decimal));
  return Number.isFinite(value) ? value : 0;
}

// ---------------------------------------------------------------------------------------------
// Decimal strings on screen: the locale's grouping and separators, never through a Number

/** The user's locale (Playwright's `locale`, the browser's language). */
function userLocale() {
  return navigator.language || undefined;
}

let symbolsCache = null;

/**
 * How the user's locale writes numbers, read from Intl once with a sample number (no amount ever goes
 * through Intl): group and decimal separators, group sizes (3, or 3 then 2 in en-IN), whether a 4-digit
 * number is grouped (not in es or pl), the minus and plus signs and the digits.
 */
function numberSymbols() {
  const locale = userLocale();
  if (symbolsCache?.locale === locale) return symbolsCache;
  let format;
  try {
    format = new Intl.NumberFormat(locale);
  } catch {
    format = new Intl.NumberFormat("en-US");
  }
  const parts = format.formatToParts(1234567.5);
  const part = (list, type, fallback) => list.find((p) => p.type === type)?.value ?? fallback;
  const integers = parts.filter((p) => p.type === "integer").map((p) => p.value);
  const primary = integers.length > 1 ? integers[integers.length - 1].length : 3;
  const secondary = integers.length > 2 ? integers[integers.length - 2].length : primary;
  const signs = new Intl.NumberFormat(format.resolvedOptions().locale, { signDisplay: "always" });
  symbolsCache = {
    locale,
    group: part(parts, "group", ""),
    decimal: part(parts, "decimal", "."),
    primary,
    secondary,
    minimumGrouping: format.formatToParts(1234.5).some((p) => p.type === "group") ? 1 : 2,
    minus: part(signs.formatToParts(-1), "minusSign", "-"),
    plus: part(signs.formatToParts(1), "plusSign", "+"),
    digits: "0123456789".split("").map((d) => format.format(Number(d))),
  };
  return symbolsCache;
}

/**
 * A decimal string as the user's locale writes it ("1234567.50" is "1,234,567.50" in en-US and
 * "1.234.567,50" in de-DE), by splitting the string: every digit is kept. `signed` adds a plus sign
 * to a positive value (for changes). Anything that is not a plain decimal is returned as it is.
 */
function formatDecimal(value, { signed = false } = {}) {
  if (typeof value !== "string") return "";
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return value;
  const [, sign, integer, fraction] = m;
  const s = numberSymbols();
  const groups = [];
  let rest = integer;
  if (s.group && rest.length >= s.primary + s.minimumGrouping) {
    groups.unshift(rest.slice(-s.primary));
    rest = rest.slice(0, -s.primary);
    while (rest.length > s.secondary) {
      groups.unshift(rest.slice(-s.secondary));
      rest = rest.slice(0, -s.secondary);
    }
  }
  groups.unshift(rest);
  const digits = (text) => text.replace(/[0-9]/g, (d) => s.digits[d]);
  let out = groups.map(digits).join(s.group);
  if (fraction !== undefined) out += s.decimal + digits(fraction);
  const zero = !/[1-9]/.test(integer + (fraction ?? ""));
  if (sign === "-" && !zero) return s.minus + out;
  if (signed && !zero) return s.plus + out;
  return out;
}

/** Exact order of two decimal strings (-1, 0, 1), with BigInt: "10.5" > "9.75", "-0.10" < "0". */
function compareDecimal(a, b) {
  const parse = (text) => {
    const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) throw new Error(`not a decimal: ${text}`);
    const fraction = m[3] ?? "";
    const v = BigInt(m[2] + fraction);
    return { v: m[1] === "-" ? -v : v, scale: fraction.length };
  };
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = x.v * 10n ** BigInt(scale - x.scale) - y.v * 10n ** BigInt(scale - y.scale);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** The sign of a decimal string: 1, 0 or -1. */
function signOf(decimal) {
  return compareDecimal(decimal, "0");
}

function make(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child);
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------
// Regions, local demo config and client-app parameters

async function loadLocalConfig() {
  try {
    const response = await fetch("./local-config.json", { cache: "no-store" });
    if (!response.ok) return null;
    const config = await response.json();
    const url = new URL(config.mockUrl);
    // The local demo only ever talks to a loopback mock.
    if (url.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return null;
    return { mockUrl: url.origin, clientId: typeof config.clientId === "string" ? config.clientId : "" };
  } catch {
    return null;
  }
}

function buildRegionList() {
  const list = [];
  if (localConfig) {
    list.push({
      id: LOCAL_REGION_ID,
      domain: null,
      name: "Local demo (mock Genesys Cloud)",
      clientAppEnvironment: null,
      loginBase: localConfig.mockUrl,
      apiBase: localConfig.mockUrl,
      local: true,
    });
  }
  for (const r of pkg.regions()) {
    list.push({
      id: r.id,
      domain: r.domain,
      name: r.name,
      clientAppEnvironment: r.clientAppEnvironment,
      loginBase: `https://login.${r.domain}`,
      apiBase: `https://api.${r.domain}`,
      local: false,
    });
  }
  return list;
}

function regionById(id) {
  return regionList.find((r) => r.id === id) ?? null;
}

function regionByDomain(domain) {
  const wanted = String(domain || "").toLowerCase();
  return regionList.find((r) => r.domain === wanted) ?? null;
}

/** The region a client app's `gcTargetEnv` names ("prod-euw1", "eusc-edee1-core"), as regions() lists them. */
function regionByEnvironment(environment) {
  return regionList.find((r) => !r.local && r.clientAppEnvironment === environment) ?? null;
}

/**
 * Region requested by the Genesys Cloud client-app URL parameters, or null.
 * Only known region domains are accepted, so a crafted link cannot send the sign-in elsewhere.
 */
function clientAppRegion(params) {
  const hostOrigin = params.get("gcHostOrigin");
  const targetEnv = params.get("gcTargetEnv");
  const pcEnvironment = params.get("pcEnvironment");
  if (!hostOrigin && !targetEnv && !pcEnvironment) return null;
  let region = null;
  let source = "";
  if (hostOrigin) {
    try {
      const host = new URL(hostOrigin).hostname.toLowerCase();
      region = regionByDomain(host.replace(/^apps\./, "")) ?? regionByDomain(host);
      source = `gcHostOrigin ${hostOrigin}`;
    } catch {
      /* not a URL: ignore it */
    }
  }
  if (!region && targetEnv) {
    region = regionByEnvironment(targetEnv);
    if (region) source = `gcTargetEnv ${targetEnv}`;
  }
  if (!region && pcEnvironment) {
    region = regionByDomain(pcEnvironment.replace(/^https?:\/\//, "").replace(/^(api|apps|login)\./, ""));
    source = `pcEnvironment ${pcEnvironment}`;
  }
  const given = [hostOrigin && `gcHostOrigin=${hostOrigin}`, targetEnv && `gcTargetEnv=${targetEnv}`,
    pcEnvironment && `pcEnvironment=${pcEnvironment}`].filter(Boolean).join(", ");
  return region ? { region, source, given } : { region: null, source: "", given };
}

function fillRegionSelect(selectedId) {
  el.region.replaceChildren(
    ...regionList.map((r) =>
      make("option", { value: r.id, text: r.local ? r.name : `${r.name} (${r.domain})` }),
    ),
  );
  if (selectedId && regionById(selectedId)) el.region.value = selectedId;
  updateRegionHelp();
}

function updateRegionHelp() {
  const region = regionById(el.region.value);
  if (!region) return;
  el["region-hosts"].textContent = region.local
    ? `Sign-in and API: ${region.apiBase} (the local mock).`
    : `Sign-in: ${region.loginBase}, API: ${region.apiBase}.`;
  // Prefill the mock's client id for the local demo; clear it when leaving the local demo.
  if (region.local && localConfig && !el["client-id"].value) el["client-id"].value = localConfig.clientId;
  if (!region.local && localConfig && el["client-id"].value === localConfig.clientId) el["client-id"].value = "";
}

// ---------------------------------------------------------------------------------------------
// OAuth: start the sign-in, handle the redirect back, keep and forget the token

async function startSignIn(event) {
  event.preventDefault();
  clearError();
  const region = regionById(el.region.value);
  const clientId = el["client-id"].value.trim();
  const flow = el.login.querySelector('input[name="flow"]:checked')?.value ?? "pkce";
  if (!region) {
    showError("Choose a region.");
    el.region.focus();
    return;
  }
  if (!clientId) {
    showError("Enter the OAuth client id.");
    el["client-id"].focus();
    return;
  }
  savePrefs({ regionId: region.id, clientId, flow });

  // Keep the client-app parameters (not OAuth ones) to restore them after the redirect.
  const keep = new URLSearchParams(location.search);
  for (const name of ["code", "state", "error", "error_description", "session_state"]) keep.delete(name);
  const returnSearch = keep.toString() ? `?${keep}` : "";

  const state = randomState();
  const pending = {
    state,
    flow,
    clientId,
    regionId: region.id,
    regionName: region.name,
    domain: region.domain,
    local: region.local,
    loginBase: region.loginBase,
    apiBase: region.apiBase,
    redirectUri: redirectUri(),
    returnSearch,
    createdAt: Date.now(),
  };
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: pending.redirectUri,
    response_type: flow === "implicit" ? "token" : "code",
    state,
  });
  if (flow === "pkce") {
    pending.verifier = pkceVerifier();
    query.set("code_challenge", await pkceChallenge(pending.verifier));
    query.set("code_challenge_method", "S256");
  }
  sessionStorage.setItem(KEY_PENDING, JSON.stringify(pending));
  setStatus(`Redirecting to ${region.loginBase} to sign in...`);
  location.assign(`${region.loginBase}/oauth/authorize?${query}`);
}

/** The OAuth answer in the current URL, if any: fragment for implicit, query for the code flow. */
function oauthReturnInUrl() {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (hash.has("access_token") || hash.has("error")) return { kind: "implicit", params: hash };
  const query = new URLSearchParams(location.search);
  if (query.has("code") || (query.has("error") && query.has("state"))) return { kind: "code", params: query };
  return null;
}

/**
 * Finish a sign-in when the login page has redirected back here.
 * Returns true when a new session was created.
 */
async function handleOAuthReturn() {
  const answer = oauthReturnInUrl();
  if (!answer) return false;
  const { kind, params } = answer;

  // The pending sign-in is single use: take it out of sessionStorage before anything else.
  const pending = readJson(sessionStorage, KEY_PENDING);
  sessionStorage.removeItem(KEY_PENDING);
  // Remove the token or code from the address bar and the history entry straight away.
  history.replaceState(null, "", location.pathname + (pending?.returnSearch ?? ""));

  const returnedState = params.get("state");
  if (!pending || !returnedState || returnedState !== pending.state) {
    showError(
      "Sign-in rejected: the state returned by the login page does not match the one this page sent, " +
        "so no token was accepted. Start the sign-in again from this page.",
    );
    return false;
  }
  if (params.get("error")) {
    const description = params.get("error_description");
    showError(`Sign-in failed: ${params.get("error")}${description ? ` - ${description}` : ""}.`);
    return false;
  }
  if ((kind === "implicit") !== (pending.flow === "implicit")) {
    showError("Sign-in rejected: the login page answered with a different flow than the one requested.");
    return false;
  }

  let accessToken;
  let expiresIn;
  if (kind === "implicit") {
    accessToken = params.get("access_token");
    expiresIn = params.get("expires_in");
  } else {
    setStatus("Signing in...");
    const body = new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code"),
      code_verifier: pending.verifier,
      client_id: pending.clientId,
      redirect_uri: pending.redirectUri,
    });
    delete pending.verifier;
    let response;
    try {
      response = await fetch(`${pending.loginBase}/oauth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body,
        credentials: "omit",
      });
    } catch (err) {
      showError(`Sign-in failed: could not reach ${pending.loginBase}/oauth/token (${err.message}).`);
      setStatus("");
      return false;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok || typeof data.access_token !== "string") {
      const reason = data.error_description || data.error || data.message || `HTTP ${response.status}`;
      showError(`Sign-in failed: the token exchange was refused (${reason}).`);
      setStatus("");
      return false;
    }
    accessToken = data.access_token;
    expiresIn = data.expires_in;
  }
  if (!accessToken) {
    showError("Sign-in failed: no access token came back.");
    return false;
  }
  const seconds = Number(expiresIn);
  session = {
    accessToken,
    expiresAt: Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 : null,
    flow: pending.flow,
    clientId: pending.clientId,
    regionId: pending.regionId,
    regionName: pending.regionName,
    domain: pending.domain,
    local: pending.local,
    loginBase: pending.loginBase,
    apiBase: pending.apiBase,
  };
  sessionStorage.setItem(KEY_SESSION, JSON.stringify(session));
  setStatus(`Signed in to ${session.regionName}.`);
  return true;
}

function restoreSession() {
  const saved = readJson(sessionStorage, KEY_SESSION);
  if (!saved || typeof saved.accessToken !== "string") return null;
  // A local-demo token belongs to one run of the mock: drop it when the mock has moved or gone.
  if (saved.local && saved.apiBase !== localConfig?.mockUrl) {
    sessionStorage.removeItem(KEY_SESSION);
    return null;
  }
  if (saved.expiresAt && saved.expiresAt <= Date.now()) {
    sessionStorage.removeItem(KEY_SESSION);
    setStatus("Your previous sign-in has expired. Sign in again.");
    return null;
  }
  return saved;
}

function logOut(message = "Logged out. The token was forgotten by this page.") {
  running?.abort();
  session = null;
  setCurrent(null);
  sessionStorage.removeItem(KEY_SESSION);
  clearInterval(expiryTimer);
  showView();
  setStatus(message);
}

function updateExpiry() {
  if (!session) return;
  if (!session.expiresAt) {
    el["session-expiry"].textContent = "Token expiry unknown.";
    return;
  }
  const left = session.expiresAt - Date.now();
  if (left <= 0) {
    logOut("Your sign-in has expired. Sign in again.");
    return;
  }
  el["session-expiry"].textContent = `Token expires at ${formatTime(new Date(session.expiresAt))} (in ${formatDuration(left)}).`;
}

function showView() {
  const signedIn = Boolean(session);
  el.login.hidden = signedIn;
  el.workspace.hidden = !signedIn;
  el.session.hidden = !signedIn;
  if (signedIn) {
    el["session-region"].textContent = session.local ? session.regionName : `${session.regionName} (${session.domain})`;
    el["session-flow"].textContent = session.flow === "implicit" ? "with the implicit grant" : "with PKCE";
    updateExpiry();
    clearInterval(expiryTimer);
    expiryTimer = setInterval(updateExpiry, 15000);
    showMode();
  } else {
    el.results.hidden = true;
  }
}

function newClient() {
  if (!session) throw Object.assign(new Error("Not signed in."), { code: "token_expired" });
  if (session.expiresAt && session.expiresAt <= Date.now()) {
    throw Object.assign(new Error("The token has expired."), { code: "token_expired" });
  }
  return session.local
    ? new pkg.BillingClient({ accessToken: session.accessToken, apiBaseUrl: session.apiBase })
    : new pkg.BillingClient({ accessToken: session.accessToken, region: session.domain });
}

// ---------------------------------------------------------------------------------------------
// Price books

/** Parse JSON keeping every number's exact source text (no float rounding of rates). */
function parseJsonExact(text) {
  return JSON.parse(text, function reviver(key, value, context) {
    if (typeof value === "number") return context && typeof context.source === "string" ? context.source : String(value);
    return value;
  });
}

/** Split one CSV record into fields (RFC 4180 quotes, comma or semicolon separated). */
function splitCsvLine(line, separator) {
  const fields = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === separator) {
      fields.push(field.trim());
      field = "";
    } else field += ch;
  }
  if (quoted) throw new Error("an unclosed quote");
  fields.push(field.trim());
  return fields;
}

/** Whether `text` is a decimal by the package's rule (checkDecimal: digits, an optional "." and digits, a leading "-"). */
function isDecimal(text) {
  try {
    pkg.checkDecimal(text);
    return true;
  } catch {
    return false;
  }
}

/** How to write a rate, for the messages about one that is not a decimal. */
const DECIMAL_HINT = 'Write digits with an optional "." and decimals, such as 12.50 (no "+", no exponent, digits on both sides of the ".").';

/**
 * A price book from the textarea: CSV `license,rate` lines or JSON `{"license": "rate"}`.
 * Returns {"license": "rate"} with rates as strings exactly as typed, each checked by the package's
 * decimal rule, so the form refuses what the package would ("+5", ".5", "5.", "1e3") and says which
 * entry it is.
 */
function parseUsagePriceBook(text) {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith("{")) {
    let data;
    try {
      data = parseJsonExact(trimmed);
    } catch (err) {
      throw new Error(`The price book is not valid JSON: ${err.message}`);
    }
    const book = {};
    for (const [name, rate] of Object.entries(data)) {
      if (typeof rate !== "string") throw new Error(`Price book: the rate of "${name}" must be a number or a string.`);
      const value = rate.trim();
      if (!isDecimal(value)) throw new Error(`Price book: the rate of "${name}" is "${value}", which is not a decimal. ${DECIMAL_HINT}`);
      book[name] = value;
    }
    return book;
  }
  const book = {};
  const lines = trimmed.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const separator = line.includes(",") || !line.includes(";") ? "," : ";";
    let fields;
    try {
      fields = splitCsvLine(line, separator);
    } catch (err) {
      throw new Error(`Price book line ${index + 1} has ${err.message}.`);
    }
    const [name, rate] = fields;
    // A first line whose rate has no digit at all ("license,rate") is a header row.
    if (index === 0 && rate !== undefined && !/\d/.test(rate)) return;
    if (!name || rate === undefined || rate === "") {
      throw new Error(`Price book line ${index + 1} should be "license,rate": ${line}`);
    }
    if (!isDecimal(rate)) {
      throw new Error(`Price book line ${index + 1}: the rate of "${name}" is "${rate}", which is not a decimal. ${DECIMAL_HINT}`);
    }
    book[name] = rate;
  });
  return book;
}

/** Partner price overrides: JSON {"partNumber or name": {"prepay": "1.00", "onDemand": "2.00"}}. */
function parseOverrides(text) {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let data;
  try {
    data = parseJsonExact(trimmed);
  } catch (err) {
    throw new Error(`The price overrides are not valid JSON: ${err.message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new Error('The price overrides must be a JSON object like {"PART-NUMBER": {"prepay": "1.00", "onDemand": "2.00"}}.');
  }
  for (const [key, value] of Object.entries(data)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`Price override "${key}" must be an object with "prepay" and/or "onDemand".`);
    }
  }
  return data;
}

async function loadPriceBookFile() {
  const file = el["price-book-file"].files?.[0];
  if (!file) return;
  clearError();
  try {
    const text = await file.text();
    parseUsagePriceBook(text); // validate before replacing what was typed
    el["price-book"].value = text.trim();
    setStatus(`Loaded the price book ${file.name}.`);
  } catch (err) {
    showError(`Could not use ${file.name}: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Running the two modes

function showMode() {
  const partner = el["mode-partner"].checked;
  el["usage-form"].hidden = partner;
  el["partner-form"].hidden = !partner;
}

function setBusy(form, busy) {
  const run = form === "usage" ? el["run-usage"] : el["run-partner"];
  const cancel = form === "usage" ? el["cancel-usage"] : el["cancel-partner"];
  run.disabled = busy;
  cancel.hidden = !busy;
  el["mode-usage"].disabled = busy;
  el["mode-partner"].disabled = busy;
  el.results.setAttribute("aria-busy", busy ? "true" : "false");
}

function handleRunError(err) {
  if (err && err.code === "aborted") {
    setStatus("Cancelled.");
    return;
  }
  setStatus("");
  showError(describeError(err));
  if (err && (err.code === "token_expired" || err.code === "unauthorized")) logOut("Your sign-in has expired. Sign in again.");
}

/** "2026-10" when the range is inside one month, else "2026-10-01_2026-11-15". */
function periodLabel(startDate, endDate) {
  if (startDate.slice(0, 7) === endDate.slice(0, 7)) return startDate.slice(0, 7);
  return `${startDate}_${endDate}`;
}

async function runUsage(event) {
  event.preventDefault();
  if (running) return;
  clearError();
  const startDate = el["start-date"].value;
  const endDate = el["end-date"].value;
  const currency = el.currency.value.trim().toUpperCase();
  if (!startDate || !endDate) {
    showError("Choose the start and end dates.");
    (startDate ? el["end-date"] : el["start-date"]).focus();
    return;
  }
  if (endDate < startDate) {
    showError("The end date is before the start date.");
    el["end-date"].focus();
    return;
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    showError("The currency must be a three-letter ISO 4217 code such as USD.");
    el.currency.focus();
    return;
  }
  let priceBook;
  try {
    priceBook = parseUsagePriceBook(el["price-book"].value);
  } catch (err) {
    showError(err.message);
    el["price-book"].focus();
    return;
  }
  savePrefs({ currency, priceBook: el["price-book"].value, company: el.company.value });

  running = new AbortController();
  setBusy("usage", true);
  setStatus("Fetching billable usage from Genesys Cloud (the report may take a few seconds to be ready)...");
  let client;
  try {
    client = newClient();
    const report = await client.billableUsage(`${startDate}T00:00:00.000Z`, `${endDate}T23:59:59.999Z`, {
      signal: running.signal,
    });
    const options = { priceBook, currency, rounding: el["usage-rounding"].value };
    const company = el.company.value.trim();
    if (company) options.organization = { name: company };
    const invoice = pkg.Invoice.fromUsage(report, options);
    showResults({ invoice, failures: [], period: periodLabel(startDate, endDate), mode: "usage" });
    setStatus(`Done: ${invoice.lines.length} invoice lines for ${startDate} to ${endDate}.`);
  } catch (err) {
    handleRunError(err);
  } finally {
    client?.free?.();
    running = null;
    setBusy("usage", false);
  }
}

async function runPartner(event) {
  event.preventDefault();
  if (running) return;
  clearError();
  const billingPeriodIndex = Number(el["period-index"].value);
  const compareWith = el["compare-with"].value === "" ? null : Number(el["compare-with"].value);
  const totalIncrease = el["total-increase"].value.trim().replace(/%$/, "").trim();
  const markup = el.markup.value.trim().replace(/%$/, "").trim();
  if (compareWith !== null && compareWith <= billingPeriodIndex) {
    showError("Compare with a period before the billing period (for example the previous period).");
    el["compare-with"].focus();
    return;
  }
  if (compareWith !== null && totalIncrease && (!isDecimal(totalIncrease) || totalIncrease.startsWith("-"))) {
    showError("The alert threshold must be a positive percentage such as 20.");
    el["total-increase"].focus();
    return;
  }
  const concurrency = Number(el.concurrency.value || 4);
  if (markup && !isDecimal(markup)) {
    showError("The markup must be a decimal percentage such as 10 or -5.");
    el.markup.focus();
    return;
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) {
    showError("Parallel requests must be a whole number from 1 to 10.");
    el.concurrency.focus();
    return;
  }
  let priceBook;
  try {
    priceBook = parseOverrides(el.overrides.value);
  } catch (err) {
    showError(err.message);
    el.overrides.focus();
    return;
  }

  running = new AbortController();
  setBusy("partner", true);
  el["progress-area"].hidden = false;
  el["progress-bar"].max = 1;
  el["progress-bar"].value = 0;
  el["progress-text"].textContent = "Listing customer organizations...";
  setStatus("Fetching the billing overview of every customer organization...");
  let client;
  try {
    client = newClient();
    const options = {
      billingPeriodIndex,
      concurrency,
      signal: running.signal,
      rounding: el["partner-rounding"].value,
      applyMinimum: el["apply-minimum"].checked,
      onProgress: ({ done, total }) => {
        el["progress-bar"].max = Math.max(1, total);
        el["progress-bar"].value = done;
        el["progress-text"].textContent = `${done} of ${total} customers done${compareWith === null ? "" : ", both periods"}`;
      },
    };
    if (markup) options.markupPercent = markup;
    if (priceBook) options.priceBook = priceBook;
    const failed = (failures) => (failures?.length ? `, ${failures.length} could not be billed` : "");
    if (compareWith === null) {
      const { invoice, failures, skipped } = await client.partnerInvoices(options);
      const period = periodOf(invoice, billingPeriodIndex);
      showResults({ invoice, failures: failures ?? [], skipped: skipped ?? [], period, mode: "partner" });
      setStatus(`Done: ${invoice.totals.length} customer totals, ${invoice.lines.length} lines${failed(failures)}.`);
    } else {
      delete options.billingPeriodIndex;
      options.currentPeriodIndex = billingPeriodIndex;
      options.previousPeriodIndex = compareWith;
      if (totalIncrease) options.totalIncreasePercent = totalIncrease;
      const run = await client.partnerComparison(options);
      const { comparison } = run;
      showResults({
        invoice: run.current,
        previous: run.previous,
        comparison,
        failures: run.failures ?? [],
        skipped: run.skipped ?? [],
        period: periodOf(run.current, billingPeriodIndex),
        previousPeriod: periodOf(run.previous, compareWith),
        totalIncrease: totalIncrease || "20",
        mode: "partner",
      });
      const alerts = comparison.alerts.length;
      setStatus(
        `Done: ${run.current.totals.length} customer totals, ${run.current.lines.length} lines, compared with ${current.previousPeriod}: ` +
          `${alerts} ${alerts === 1 ? "alert" : "alerts"}${failed(run.failures)}.`,
      );
    }
  } catch (err) {
    handleRunError(err);
  } finally {
    client?.free?.();
    running = null;
    setBusy("partner", false);
  }
}

// ---------------------------------------------------------------------------------------------
// Results: failures, warnings, totals, chart, lines and downloads

/** "2026-10": the month the invoice's lines start in, or "period-<index>" when it has none. */
function periodOf(invoice, index) {
  const firstStart = invoice.lines[0]?.periodStart;
  return firstStart ? String(firstStart).slice(0, 7) : `period-${index}`;
}

function orgNames(invoice) {
  const names = new Map();
  for (const t of invoice.totals) names.set(t.organizationId, t.organizationName);
  for (const l of invoice.lines) if (!names.has(l.organizationId)) names.set(l.organizationId, l.organizationName);
  return names;
}

function companyLabel(name, id) {
  return name || id || "Your organization";
}

/** Keeps `result` as the one shown, freeing the wasm memory of the invoices it replaces. */
function setCurrent(result) {
  if (current && current.invoice !== result?.invoice) current.invoice.free();
  if (current?.previous && current.previous !== result?.previous) current.previous.free();
  current = result;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// What each warning of the invoice and each alert of a comparison is called on the page, grouped by
// code. `unit` counts the items; `perOrg` groups hold at most one item per organization.
const WARNING_GROUPS = {
  unpriced: { title: "Unpriced lines", unit: ["line", "lines"] },
  minimum_over_incomplete: { title: "Minimum top-ups computed over unpriced lines", unit: ["top-up", "top-ups"] },
  ramp_period: { title: "In the ramp period (its prices are not in the API)", unit: ["notice", "notices"], perOrg: true },
  report_in_progress: { title: "Usage report not complete yet", unit: ["notice", "notices"] },
};
const ALERT_GROUPS = {
  total_increase: { title: "Total increases", unit: ["increase", "increases"], perOrg: true },
  overage: { title: "On-demand overage", unit: ["line", "lines"] },
  new_license: { title: "New licenses", unit: ["license", "licenses"] },
  gone_license: { title: "Licenses no longer billed", unit: ["license", "licenses"] },
  ramp_period: { title: "In the ramp period (prices may change)", unit: ["notice", "notices"], perOrg: true },
};

/**
 * Items ({code, organizationId, message}) grouped by code, then by organization, as nested lists:
 * "Unpriced lines: 12 in 4 organizations", then one entry per organization: its message when it has
 * one item, else its name and count, expandable to the messages.
 * `groups` names the codes and orders them; unknown codes come last under their own name.
 * Each group's list starts open when it names at most `openUpTo` organizations.
 */
function groupedList(items, groups, nameOf, openUpTo) {
  const byCode = new Map([...Object.keys(groups)].map((code) => [code, new Map()]));
  for (const item of items) {
    if (!byCode.has(item.code)) byCode.set(item.code, new Map());
    const orgs = byCode.get(item.code);
    const key = item.organizationId ?? "";
    if (!orgs.has(key)) orgs.set(key, []);
    orgs.get(key).push(item);
  }
  const out = [];
  for (const [code, orgs] of byCode) {
    if (orgs.size === 0) continue;
    const spec = groups[code] ?? { title: code, unit: ["item", "items"] };
    const count = [...orgs.values()].reduce((n, list) => n + list.length, 0);
    const orgCount = plural(orgs.size, "organization", "organizations");
    const title = spec.perOrg && count === orgs.size ? `${spec.title}: ${orgCount}` : `${spec.title}: ${count} in ${orgCount}`;
    const entries = [...orgs].map(([id, list]) => {
      const name = nameOf(id, list[0]);
      const messages = list.map((item) => make("li", { "data-code": item.code }, item.message));
      // One item: its message (which names the org) is the entry; more: the org with its count, expandable.
      if (list.length === 1) {
        return make("li", { class: "group-org", "data-org": id, "data-count": "1", "data-code": list[0].code }, list[0].message);
      }
      return make(
        "li",
        { class: "group-org", "data-org": id, "data-count": String(list.length) },
        make("details", {}, make("summary", { text: `${name}: ${plural(list.length, spec.unit[0], spec.unit[1])}` }), make("ul", {}, ...messages)),
      );
    });
    out.push(
      make(
        "li",
        { class: "group", "data-code": code, "data-count": String(count), "data-orgs": String(orgs.size) },
        make(
          "details",
          { open: orgs.size <= openUpTo },
          make("summary", {}, make("span", { class: "group-title", text: title })),
          make("ul", { class: "group-orgs" }, ...entries),
        ),
      ),
    );
  }
  return out;
}

function showResults(result) {
  setCurrent(result);
  const { invoice, failures } = result;
  const names = orgNames(invoice);
  const nameOf = (id) => companyLabel(id ? names.get(id) : (names.get(null) ?? names.get(undefined)), id || null);

  el["results-title"].textContent = `Invoice lines, ${result.period}`;
  el["results-summary"].textContent =
    `${invoice.lines.length} lines for ${names.size} ${names.size === 1 ? "organization" : "organizations"}` +
    (result.comparison ? `, compared with ${result.previousPeriod}` : "") +
    (failures.length ? `; ${failures.length} could not be billed` : "") +
    (result.skipped?.length ? `; ${result.skipped.length} skipped because their trust is disabled` : "") +
    (invoice.warnings.length ? `; ${invoice.warnings.length} ${invoice.warnings.length === 1 ? "warning" : "warnings"}` : "") +
    ".";

  // Failures (partner mode)
  el.failures.hidden = failures.length === 0;
  el["failures-title"].textContent = `Customers that could not be billed (${failures.length})`;
  el["failures-list"].replaceChildren(
    ...failures.map((f) => {
      const detail = [f.code && `code ${f.code}`, f.status && `HTTP ${f.status}`].filter(Boolean).join(", ");
      return make(
        "li",
        {},
        make("strong", { text: companyLabel(f.organizationName, f.organizationId) }),
        ` (${f.organizationId}): ${f.message || ERROR_TEXT[f.code] || "failed"}${detail ? ` [${detail}]` : ""}`,
      );
    }),
  );

  // Warnings, grouped by kind and organization (the package's messages name the org and the license).
  el.warnings.hidden = invoice.warnings.length === 0;
  el["warnings-title"].textContent = `Warnings (${invoice.warnings.length})`;
  el["warnings-list"].replaceChildren(...groupedList(invoice.warnings, WARNING_GROUPS, nameOf, 8));

  // Totals
  el["totals-table"].tBodies[0].replaceChildren(
    ...invoice.totals.map((t) =>
      make(
        "tr",
        {},
        make("th", { scope: "row", "data-col": "company", text: companyLabel(t.organizationName, t.organizationId) }),
        make("td", { "data-col": "currency", text: t.currency }),
        make("td", { class: "num", "data-col": "amount", "data-value": t.amount, text: formatDecimal(t.amount) }),
        make("td", {
          class: t.complete ? "" : "incomplete",
          "data-col": "status",
          "data-complete": String(Boolean(t.complete)),
          text: t.complete ? "Complete" : "Incomplete: unpriced lines",
        }),
      ),
    ),
  );

  // Xero and QuickBooks need an invoice date: proposed, the day after the billing period.
  el["invoice-date"].value = dayAfterPeriod(invoice.lines);
  el["export-notes"].hidden = true;

  // FOCUS and Stripe files need every line priced, unless the user opts out.
  const unpriced = invoice.lines.filter((l) => l.rate === null || l.rate === undefined).length;
  el["unpriced-export"].hidden = unpriced === 0;
  el["export-unpriced"].checked = false;
  el["unpriced-note"].textContent = unpriced
    ? `${unpriced} ${unpriced === 1 ? "line has" : "lines have"} no rate (see the warnings). FOCUS, Stripe, Xero and QuickBooks files need every line priced: ` +
      (result.mode === "usage" ? "add the missing rates to the price book, or export anyway." : "add price overrides for them, or export anyway.")
    : "";

  // Lines
  el["lines-title"].textContent = `Lines (${invoice.lines.length})`;
  el["lines-table"].tBodies[0].replaceChildren(...invoice.lines.map(lineRow));

  // Chart controls
  // Option values are indexes into chartOrgIds: an organization id may be null ("My organization").
  chartOrgIds = [...names.keys()];
  el["chart-org"].replaceChildren(
    ...[...names].map(([id, name], i) => make("option", { value: String(i), text: companyLabel(name, id) })),
  );
  el["chart-by"].value = names.size > 1 ? "org" : "license";
  drawChart();

  showComparison(result, nameOf);
  el.results.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// The comparison with an earlier period (partner mode, "Compare with")

const KIND_NAMES = { prepay: "Prepay", "on-demand": "On demand", "minimum-commitment": "Minimum commitment", usage: "Usage" };
const STATUS_NAMES = { new: "New", gone: "Gone", changed: "Changed", same: "Same" };
const STATUS_ORDER = { new: 0, changed: 1, gone: 2, same: 3 };

function showComparison(result, nameOf) {
  const { comparison } = result;
  el.comparison.hidden = !comparison;
  if (!comparison) return;
  const { rows, totals, alerts } = comparison;
  const moved = rows.filter((r) => r.status !== "same").length;
  el["comparison-title"].textContent = `Changes from ${result.previousPeriod} to ${result.period}`;
  el["comparison-summary"].textContent =
    `${plural(rows.length, "line", "lines")} compared: ${moved} new, gone or changed, ${rows.length - moved} unchanged; ` +
    `${plural(alerts.length, "alert", "alerts")}.`;

  el.alerts.hidden = alerts.length === 0;
  el["alerts-title"].textContent = `Alerts (${alerts.length})`;
  ALERT_GROUPS.total_increase.title = `Totals up by ${formatDecimal(result.totalIncrease)} % or more`;
  el["alerts-list"].replaceChildren(...groupedList(alerts, ALERT_GROUPS, (id, alert) => companyLabel(alert.organizationName, id || null), 5));

  el["change-totals-table"].tBodies[0].replaceChildren(
    ...totals.map((t) =>
      make(
        "tr",
        {},
        make("th", { scope: "row", "data-col": "company", text: companyLabel(t.organizationName, t.organizationId) }),
        make("td", { "data-col": "currency", text: t.currency }),
        amountCell(t.previous, null, "previous", "none"),
        amountCell(t.current, null, "current", "none"),
        changeCell(t.change, "change"),
        percentCell(t.percent, "percent"),
        make("td", {
          class: t.complete ? "" : "incomplete",
          "data-col": "status",
          "data-complete": String(Boolean(t.complete)),
          text: t.complete ? "Complete" : "Incomplete: unpriced lines",
        }),
      ),
    ),
  );

  el["show-unchanged"].checked = false;
  changeSort = { key: "amountChange", descending: true };
  drawChanges();
  drawChangesChart();
}

/** A signed change: "+1,234.50 USD" / "-12.00 USD"; "—" when unknown (an unpriced side). */
function changeCell(value, column, currency = null) {
  if (value === null || value === undefined) {
    return make("td", { class: "num unpriced", "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " unknown: unpriced" }));
  }
  const sign = signOf(value);
  return make(
    "td",
    { class: `num ${sign > 0 ? "up" : sign < 0 ? "down" : ""}`.trim(), "data-col": column, "data-value": value },
    formatDecimal(value, { signed: true }),
    currency ? make("span", { class: "cur", text: ` ${currency}` }) : null,
  );
}

function percentCell(value, column) {
  if (value === null || value === undefined) {
    return make("td", { class: "num muted", "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " no previous amount" }));
  }
  const sign = signOf(value);
  return make("td", { class: `num ${sign > 0 ? "up" : sign < 0 ? "down" : ""}`.trim(), "data-col": column, "data-value": value, text: `${formatDecimal(value, { signed: true })} %` });
}

/** One side's quantity in the changes table ("—" where the period has no such line). */
function quantityCell(value, column) {
  if (value === null || value === undefined) {
    return make("span", { "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: " none" }));
  }
  return make("span", { "data-col": column, "data-value": value, text: formatDecimal(value) });
}

/** The order of two comparison rows for the current sort; ties keep the package's order. */
function changeOrder(a, b) {
  const { key, descending } = changeSort;
  const dir = descending ? -1 : 1;
  const text = (x, y) => x.localeCompare(y, userLocale(), { sensitivity: "base", numeric: true });
  // Unknown values (unpriced amounts, percents without a base) go last either way.
  const decimals = (x, y) => (x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : dir * compareDecimal(x, y));
  switch (key) {
    case "amountChange":
      // Amounts in different currencies are never compared: currencies in alphabetical order first.
      return (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) || decimals(a.amountChange, b.amountChange);
    case "percent":
      return decimals(a.amountChangePercent, b.amountChangePercent);
    case "company":
      return dir * text(companyLabel(a.organizationName, a.organizationId), companyLabel(b.organizationName, b.organizationId));
    case "license":
      return dir * text(a.licenseType, b.licenseType);
    case "status":
      return dir * (STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    default:
      return 0;
  }
}

function drawChanges() {
  if (!current?.comparison) return;
  const { rows } = current.comparison;
  const showAll = el["show-unchanged"].checked;
  const shown = rows.filter((r) => showAll || r.status !== "same").sort(changeOrder);
  const hidden = rows.length - shown.length;
  el["changes-title"].textContent = showAll ? `Compared lines (${rows.length})` : `Changed lines (${shown.length})`;
  const order = {
    amountChange: changeSort.descending ? "largest increase first, per currency" : "largest decrease first, per currency",
    percent: changeSort.descending ? "largest percentage increase first" : "largest percentage decrease first",
    company: "by company", license: "by license type", status: "by status",
  }[changeSort.key];
  el["changes-caption"].textContent = `${plural(shown.length, "line", "lines")}, ${order}` + (hidden ? `; ${hidden} unchanged hidden` : "");
  for (const th of el["changes-table"].tHead.querySelectorAll("th")) {
    const button = th.querySelector("button.sort");
    if (!button) continue;
    th.setAttribute("aria-sort", button.dataset.sort === changeSort.key ? (changeSort.descending ? "descending" : "ascending") : "none");
  }
  el["changes-table"].tBodies[0].replaceChildren(
    ...shown.map((r) =>
      make(
        "tr",
        { class: `status-${r.status}`, "data-status": r.status, "data-currency": r.currency },
        make("td", { "data-col": "company", "data-org": r.organizationId ?? "", text: companyLabel(r.organizationName, r.organizationId) }),
        make(
          "td",
          {},
          make("span", { "data-col": "license", "data-part": r.partNumber ?? "", text: r.licenseType }),
          make("span", { class: "kind", "data-col": "kind", "data-value": r.kind, text: KIND_NAMES[r.kind] ?? r.kind }),
        ),
        make(
          "td",
          { class: "num" },
          quantityCell(r.previousQuantity, "previous-quantity"),
          make("span", { class: "arrow", "aria-hidden": "true", text: " → " }),
          make("span", { class: "visually-hidden", text: " to " }),
          quantityCell(r.currentQuantity, "current-quantity"),
        ),
        amountCell(r.previousAmount, r.currency, "previous-amount", r.previousQuantity === null ? "none" : "no rate"),
        amountCell(r.currentAmount, r.currency, "current-amount", r.currentQuantity === null ? "none" : "no rate"),
        changeCell(r.amountChange, "amount-change", r.currency),
        percentCell(r.amountChangePercent, "percent"),
        make("td", { "data-col": "status", "data-value": r.status }, make("span", { class: `status status-${r.status}`, text: STATUS_NAMES[r.status] ?? r.status })),
      ),
    ),
  );
}

function sortChanges(event) {
  const button = event.target.closest("button.sort");
  if (!button) return;
  const key = button.dataset.sort;
  // The same column again reverses the order; a new column starts with its natural order.
  if (changeSort.key === key) changeSort.descending = !changeSort.descending;
  else changeSort = { key, descending: key === "amountChange" || key === "percent" };
  drawChanges();
  setStatus(`Changes sorted: ${el["changes-caption"].textContent}.`);
}

/** Up to `n` largest increases and `n` largest decreases of one currency, increases first. */
function extremes(items, n = 5) {
  const moved = items.filter((x) => x.value !== null && x.value !== undefined && signOf(x.value) !== 0);
  const sorted = [...moved].sort((a, b) => compareDecimal(b.value, a.value));
  const increases = sorted.filter((x) => signOf(x.value) > 0).slice(0, n);
  const decreases = sorted.filter((x) => signOf(x.value) < 0).reverse().slice(0, n);
  return [...increases, ...decreases];
}

function drawChangesChart() {
  if (!current?.comparison) return;
  const { rows, totals } = current.comparison;
  const byLine = el["changes-chart-by"].value === "line";
  const groups = new Map();
  const add = (currency, bar) => {
    if (!groups.has(currency)) groups.set(currency, []);
    groups.get(currency).push(bar);
  };
  if (byLine) {
    for (const r of rows) {
      const kind = KIND_NAMES[r.kind] ?? r.kind;
      add(r.currency, { label: `${companyLabel(r.organizationName, r.organizationId)}: ${r.licenseType} (${kind.toLowerCase()})`, value: r.amountChange });
    }
  } else {
    for (const t of totals) add(t.currency, { label: companyLabel(t.organizationName, t.organizationId), value: t.change });
  }
  const charts = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, bars]) => [currency, extremes(bars)])
    .filter(([, bars]) => bars.length > 0)
    .map(([currency, bars]) =>
      barChart(`Largest ${byLine ? "line" : "company total"} increases and decreases, ${currency}`, bars, currency, { signed: true }),
    );
  el["changes-chart"].replaceChildren(...charts);
  if (charts.length === 0) el["changes-chart"].append(make("p", { class: "muted", text: "No amount changed." }));
}

/** A Rate or Amount cell: the decimal in the locale's digit grouping (data-value keeps the exact string), or "—". */
function amountCell(value, currency, column, missing = "no rate") {
  if (value === null || value === undefined) {
    return make("td", { class: `num ${missing === "no rate" ? "unpriced" : "muted"}`, "data-col": column, "data-value": "" }, "—", make("span", { class: "visually-hidden", text: ` ${missing}` }));
  }
  return make("td", { class: "num", "data-col": column, "data-value": value }, formatDecimal(value), currency ? make("span", { class: "cur", text: ` ${currency}` }) : null);
}

function lineRow(line) {
  return make(
    "tr",
    { class: line.rate === null || line.rate === undefined ? "row-unpriced" : "" },
    make("td", { "data-col": "company", text: companyLabel(line.organizationName, line.organizationId) }),
    make("td", { "data-col": "license", text: line.licenseType }),
    make("td", { class: "num", "data-col": "quantity", "data-value": line.quantity, text: formatDecimal(line.quantity) }),
    amountCell(line.rate, null, "rate"),
    amountCell(line.amount, line.currency, "amount"),
    make("td", { class: "more", text: KIND_NAMES[line.kind] ?? line.kind }),
    make("td", { class: "more", text: line.currency }),
    make("td", { class: "more", text: line.unitOfMeasure ?? "" }),
    make("td", { class: "more", text: line.partNumber ?? "" }),
    make("td", { class: "more", text: line.grouping ?? "" }),
    make("td", { class: "more num", text: line.bundleQuantity ?? "" }),
    make("td", { class: "more", text: line.isThirdParty ? "Yes" : "No" }),
    make("td", { class: "more", text: line.periodStart ?? "" }),
    make("td", { class: "more", text: line.periodEnd ?? "" }),
    make("td", { class: "more", text: line.organizationId ?? "" }),
  );
}

function toggleMoreColumns() {
  const on = el["more-columns"].getAttribute("aria-pressed") !== "true";
  el["more-columns"].setAttribute("aria-pressed", String(on));
  el["more-columns"].textContent = on ? "Fewer columns" : "More columns";
  el["lines-table"].classList.toggle("show-more", on);
}

/** Bars for the chart: [{currency, bars: [{label, value}]}], grouped by currency, in invoice order. */
function chartGroups() {
  const { invoice } = current;
  const groups = new Map();
  const add = (currency, bar) => {
    if (!groups.has(currency)) groups.set(currency, []);
    groups.get(currency).push(bar);
  };
  if (el["chart-by"].value === "org") {
    for (const t of invoice.totals) add(t.currency, { label: companyLabel(t.organizationName, t.organizationId), value: t.amount });
  } else {
    const orgId = chartOrgIds[Number(el["chart-org"].value)] ?? null;
    const kinds = { prepay: "prepay", "on-demand": "on demand", "minimum-commitment": "minimum", usage: "" };
    for (const l of invoice.lines) {
      if ((l.organizationId ?? null) !== orgId) continue;
      const kind = kinds[l.kind] ?? l.kind;
      add(l.currency, { label: kind ? `${l.licenseType} (${kind})` : l.licenseType, value: l.amount });
    }
  }
  return [...groups].map(([currency, bars]) => ({ currency, bars }));
}

function drawChart() {
  if (!current) return;
  const byOrg = el["chart-by"].value === "org";
  el["chart-org-field"].hidden = byOrg || el["chart-org"].options.length < 2;
  const groups = chartGroups();
  const orgName = el["chart-org"].selectedOptions[0]?.textContent ?? "";
  el.chart.replaceChildren(
    ...groups.map(({ currency, bars }) =>
      barChart(
        byOrg ? `Total amount per company, ${currency}` : `Amount per license type for ${orgName}, ${currency}`,
        bars,
        currency,
      ),
    ),
  );
  if (groups.length === 0) el.chart.append(make("p", { class: "muted", text: "Nothing to chart." }));
}

/**
 * An inline SVG bar chart built with DOM APIs (no inline styles: the CSP forbids them). Bar lengths
 * are approximate; labels are the exact values in the locale's digit grouping. `signed` writes
 * changes with their sign; negative values get the "negative" bar colour.
 */
function barChart(title, bars, currency, { signed = false } = {}) {
  const rowHeight = 38;
  const top = 8;
  const height = top + bars.length * rowHeight + 4;
  const maxBarPercent = 68;
  const max = Math.max(0, ...bars.map((b) => approxMagnitude(b.value)));
  const titleId = `chart-title-${Math.random().toString(36).slice(2)}`;
  const shown = (value) => (value === null || value === undefined ? "no rate" : `${formatDecimal(value, { signed })} ${currency}`);
  const root = svg("svg", {
    class: "bar-chart",
    width: "100%",
    height,
    role: "img",
    "aria-labelledby": titleId,
  });
  root.append(svg("title", { id: titleId }, `${title}: ${bars.map((b) => `${b.label} ${shown(b.value)}`).join("; ")}`));
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const magnitude = approxMagnitude(bar.value);
    const percent = max > 0 ? (magnitude / max) * maxBarPercent : 0;
    const group = svg("g", { class: bar.value === null || bar.value === undefined ? "bar unpriced" : "bar" });
    group.append(svg("title", {}, `${bar.label}: ${shown(bar.value)}`));
    group.append(svg("text", { x: 0, y: y + 11, class: "bar-label" }, bar.label));
    group.append(svg("rect", { x: 0, y: y + 16, width: `${Math.max(percent, bar.value ? 0.4 : 0)}%`, height: 14, rx: 2, class: String(bar.value ?? "").startsWith("-") ? "negative" : "" }));
    group.append(svg("text", { x: `${percent}%`, dx: 6, y: y + 27, class: "bar-value" }, shown(bar.value)));
    root.append(group);
  });
  return make("figure", { class: "chart-figure" }, make("figcaption", { text: title }), root);
}

function jsonReplacer(key, value) {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/**
 * The day after the lines' billing period ends (`YYYY-MM-DD`), or today when no line has a period.
 * Genesys periods end on their last instant (…23:59:59.999Z or …23:59:59Z): one second later is
 * the next day in either form.
 */
function dayAfterPeriod(lines) {
  const end = lines.find((l) => l.periodEnd)?.periodEnd;
  const ms = end ? Date.parse(end) : NaN;
  return new Date(Number.isNaN(ms) ? Date.now() : ms + 1000).toISOString().slice(0, 10);
}

/** Options for the Xero and QuickBooks exports from the settings. */
function accountingOptions() {
  const invoiceDate = el["invoice-date"].value;
  if (!invoiceDate) throw new Error("choose an invoice date first (Export settings)");
  const options = { invoiceDate, skipUnpriced: el["export-unpriced"].checked };
  if (el["date-format"].value) options.dateFormat = el["date-format"].value;
  return options;
}

/** Shows what an accounting export says to read before importing it. */
function showExportNotes(target, warnings) {
  el["export-notes"].hidden = warnings.length === 0;
  el["export-notes-title"].textContent = `${target}: ${warnings.length} ${warnings.length === 1 ? "note" : "notes"} before importing`;
  el["export-notes-list"].replaceChildren(...warnings.map((w) => make("li", { "data-code": w.code, text: w.message })));
}

function download(kind) {
  if (!current) return;
  const { invoice, period } = current;
  let text;
  let name;
  let type;
  try {
    switch (kind) {
      case "csv":
        text = invoice.toCsv();
        name = `invoice-${period}.csv`;
        type = "text/csv";
        break;
      case "focus":
        text = invoice.toFocus({ allowUnpriced: el["export-unpriced"].checked, focusVersion: el["focus-version"].value });
        name = `invoice-${period}-focus.csv`;
        type = "text/csv";
        break;
      case "json":
        text = JSON.stringify(
          current.mode === "partner"
            ? { ...invoice.toJSON(), failures: current.failures, skipped: current.skipped ?? [] }
            : invoice,
          jsonReplacer,
          2,
        );
        name = `invoice-${period}.json`;
        type = "application/json";
        break;
      case "stripe":
        text = JSON.stringify(invoice.toStripeItems({ skipUnpriced: el["export-unpriced"].checked }), jsonReplacer, 2);
        name = `invoice-${period}-stripe-items.json`;
        type = "application/json";
        break;
      case "comparison":
        if (!current.comparison) return;
        text = pkg.comparisonToCsv(current.comparison);
        name = `comparison-${current.previousPeriod}-to-${period}.csv`;
        type = "text/csv";
        break;
      case "xero":
      case "quickbooks": {
        const target = kind === "xero" ? "Xero" : "QuickBooks Online";
        const out = kind === "xero" ? invoice.toXeroCsv(accountingOptions()) : invoice.toQuickBooksCsv(accountingOptions());
        showExportNotes(target, out.warnings);
        text = out.csv;
        name = `invoice-${period}-${kind}.csv`;
        type = "text/csv";
        break;
      }
      default:
        return;
    }
  } catch (err) {
    const label = { csv: "CSV", focus: "FOCUS", json: "JSON", stripe: "Stripe items", xero: "Xero", quickbooks: "QuickBooks Online", comparison: "comparison CSV" }[kind];
    showError(`Could not create the ${label} file: ${describeError(err)}`);
    return;
  }
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = make("a", { href: url, download: name, class: "visually-hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  setStatus(`Downloaded ${name}.`);
}

// ---------------------------------------------------------------------------------------------
// Start-up

function defaultDates() {
  const today = new Date().toISOString().slice(0, 10);
  el["start-date"].value = `${today.slice(0, 8)}01`;
  el["end-date"].value = today;
}

function wireEvents() {
  el["login-form"].addEventListener("submit", (e) => {
    startSignIn(e).catch((err) => showError(`Could not start the sign-in: ${err.message}`));
  });
  el.region.addEventListener("change", updateRegionHelp);
  el.logout.addEventListener("click", () => logOut());
  el["error-dismiss"].addEventListener("click", clearError);
  el["mode-usage"].addEventListener("change", () => {
    showMode();
    savePrefs({ mode: "usage" });
  });
  el["mode-partner"].addEventListener("change", () => {
    showMode();
    savePrefs({ mode: "partner" });
  });
  el["usage-form"].addEventListener("submit", runUsage);
  el["partner-form"].addEventListener("submit", runPartner);
  el["cancel-usage"].addEventListener("click", () => running?.abort());
  el["cancel-partner"].addEventListener("click", () => running?.abort());
  el["price-book-file"].addEventListener("change", loadPriceBookFile);
  el["more-columns"].addEventListener("click", toggleMoreColumns);
  el["chart-by"].addEventListener("change", drawChart);
  el["chart-org"].addEventListener("change", drawChart);
  el["dl-csv"].addEventListener("click", () => download("csv"));
  el["dl-focus"].addEventListener("click", () => download("focus"));
  el["dl-json"].addEventListener("click", () => download("json"));
  el["dl-stripe"].addEventListener("click", () => download("stripe"));
  el["dl-xero"].addEventListener("click", () => download("xero"));
  el["dl-quickbooks"].addEventListener("click", () => download("quickbooks"));
  el["dl-comparison"].addEventListener("click", () => download("comparison"));
  el["compare-with"].addEventListener("change", () => {
    el["total-increase-field"].hidden = el["compare-with"].value === "";
  });
  el["changes-table"].tHead.addEventListener("click", sortChanges);
  el["show-unchanged"].addEventListener("change", drawChanges);
  el["changes-chart-by"].addEventListener("change", drawChangesChart);
}

async function main() {
  wireEvents();
  defaultDates();
  el["redirect-uri"].textContent = redirectUri();
  setStatus("Loading...");

  try {
    pkg = await import(PKG_URL);
    await pkg.default();
  } catch (err) {
    setStatus("");
    showError(
      `The genesys-billing package could not be loaded from ${PKG_URL} (${err.message}). ` +
        "Build it and copy pkg/ to www/pkg/ (make demo does both).",
    );
    document.documentElement.dataset.ready = "error";
    return;
  }
  localConfig = await loadLocalConfig();
  regionList = buildRegionList();

  const prefs = readJson(sessionStorage, KEY_PREFS) ?? {};
  if (prefs.mode === "partner") el["mode-partner"].checked = true;
  if (prefs.currency) el.currency.value = prefs.currency;
  if (typeof prefs.company === "string") el.company.value = prefs.company;
  if (typeof prefs.priceBook === "string") el["price-book"].value = prefs.priceBook;
  if (prefs.flow === "implicit") el["flow-implicit"].checked = true;
  el["total-increase-field"].hidden = el["compare-with"].value === "";

  // An OAuth redirect back to this page comes first: it also restores the client-app parameters.
  const signedIn = await handleOAuthReturn();
  if (!signedIn) session = restoreSession();
  else el.status.textContent = `Signed in to ${session.regionName}.`;

  const params = new URLSearchParams(location.search);
  const app = clientAppRegion(params);
  let regionId = prefs.regionId ?? (localConfig ? LOCAL_REGION_ID : "us-east-1");
  if (app?.region) {
    regionId = app.region.id;
    el["client-app-note"].textContent =
      `Opened as a Genesys Cloud client app: using the region ${app.region.name} (${app.region.domain}) from ${app.source}.`;
    el["client-app-note"].hidden = false;
  } else if (app) {
    el["client-app-note"].textContent = `Opened as a Genesys Cloud client app, but the region in ${app.given} is not known: choose it below.`;
    el["client-app-note"].hidden = false;
  }
  const clientIdParam = params.get("clientId");
  if (clientIdParam) el["client-id"].value = clientIdParam;
  else if (prefs.clientId && (!localConfig || regionId === LOCAL_REGION_ID || prefs.clientId !== localConfig.clientId)) {
    el["client-id"].value = prefs.clientId;
  }
  fillRegionSelect(regionId);

  if (!signedIn && el.status.textContent === "Loading...") setStatus("");
  showView();
  document.documentElement.dataset.ready = "true";
}

main().catch((err) => {
  showError(`The page failed to start: ${err.message}`);
  document.documentElement.dataset.ready = "error";
});
