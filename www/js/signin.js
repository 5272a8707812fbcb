// @ts-check
// OAuth sign-in to Genesys Cloud: Authorization Code with PKCE (or the implicit grant for an
// older client), started here and finished when the login page redirects back to this page.
// The pending sign-in (state and PKCE verifier) waits in sessionStorage only until the redirect
// returns; the verifier is dropped before the code is exchanged.

import { clearError, el, setStatus, showError } from "./dom.js";
import { messageOf } from "./errors.js";
import { readJson, savePrefs } from "./prefs.js";
import { regionById } from "./regions.js";
import { startSession } from "./session.js";

const KEY_PENDING = "genesysBilling.pendingLogin"; // state + PKCE verifier, only until the redirect returns

/**
 * A sign-in on its way through the login page.
 * @typedef {object} PendingSignIn
 * @property {string} state
 * @property {"pkce" | "implicit"} flow
 * @property {string} clientId
 * @property {string} regionId
 * @property {string} regionName
 * @property {string | null} domain
 * @property {boolean} local
 * @property {string} loginBase
 * @property {string} apiBase
 * @property {string} redirectUri
 * @property {string} returnSearch  the client-app parameters to restore after the redirect
 * @property {number} createdAt
 * @property {string} [verifier]  PKCE only
 */

/** @param {Uint8Array} bytes */
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

/** @param {string} verifier */
async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The redirect URI: this page's URL without query or fragment. */
export function redirectUri() {
  return location.origin + location.pathname;
}

/**
 * The sign-in form's submit: off to the region's login page.
 * @param {SubmitEvent} event
 */
export async function startSignIn(event) {
  event.preventDefault();
  clearError();
  const region = regionById(el.region.value);
  const clientId = el["client-id"].value.trim();
  const checked = el.login.querySelector('input[name="flow"]:checked');
  const flow = checked instanceof HTMLInputElement && checked.value === "implicit" ? "implicit" : "pkce";
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
  /** @type {PendingSignIn} */
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

/**
 * The OAuth answer in the current URL, if any: fragment for implicit, query for the code flow.
 * @returns {{ kind: "implicit" | "code", params: URLSearchParams } | null}
 */
function oauthReturnInUrl() {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (hash.has("access_token") || hash.has("error")) return { kind: "implicit", params: hash };
  const query = new URLSearchParams(location.search);
  if (query.has("code") || (query.has("error") && query.has("state"))) return { kind: "code", params: query };
  return null;
}

/**
 * Finish a sign-in when the login page has redirected back here.
 * Returns true when a new session was created (then `currentSession()` has it).
 * @returns {Promise<boolean>}
 */
export async function handleOAuthReturn() {
  const answer = oauthReturnInUrl();
  if (!answer) return false;
  const { kind, params } = answer;

  // The pending sign-in is single use: take it out of sessionStorage before anything else.
  /** @type {PendingSignIn | null} */
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
      code: params.get("code") ?? "",
      code_verifier: pending.verifier ?? "",
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
      showError(`Sign-in failed: could not reach ${pending.loginBase}/oauth/token (${messageOf(err)}).`);
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
  startSession({
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
  });
  setStatus(`Signed in to ${pending.regionName}.`);
  return true;
}
