// @ts-check
// The signed-in session: the access token, its expiry and the region it belongs to, kept in
// sessionStorage for this tab only (never localStorage, never logged), and the BillingClient made
// from it.

import { BillingClient } from "../pkg/genesys_billing.js";
import { setStatus } from "./dom.js";
import { readJson } from "./prefs.js";
import { localDemo } from "./regions.js";

const KEY_SESSION = "genesysBilling.session"; // access token, expiry and region

/**
 * @typedef {object} Session
 * @property {string} accessToken
 * @property {number | null} expiresAt  epoch milliseconds, or null when the login page did not say
 * @property {"pkce" | "implicit"} flow
 * @property {string} clientId
 * @property {string} regionId
 * @property {string} regionName
 * @property {string | null} domain
 * @property {boolean} local
 * @property {string} loginBase
 * @property {string} apiBase
 */

/** @type {Session | null} */
let session = null;

/** The signed-in session, or null. */
export function currentSession() {
  return session;
}

/**
 * Keeps a new session (after a sign-in) for this tab.
 * @param {Session} signedIn
 */
export function startSession(signedIn) {
  session = signedIn;
  sessionStorage.setItem(KEY_SESSION, JSON.stringify(session));
}

/**
 * The session this tab kept before a reload, if it is still usable; it becomes the current one.
 * @returns {Session | null}
 */
export function restoreSession() {
  session = null;
  /** @type {Session | null} */
  const saved = readJson(sessionStorage, KEY_SESSION);
  if (!saved || typeof saved.accessToken !== "string") return null;
  // A local-demo token belongs to one run of the mock: drop it when the mock has moved or gone.
  if (saved.local && saved.apiBase !== localDemo()?.mockUrl) {
    sessionStorage.removeItem(KEY_SESSION);
    return null;
  }
  if (saved.expiresAt && saved.expiresAt <= Date.now()) {
    sessionStorage.removeItem(KEY_SESSION);
    setStatus("Your previous sign-in has expired. Sign in again.");
    return null;
  }
  session = saved;
  return saved;
}

/** Forgets the token (this page only: the Genesys Cloud session is not ended). */
export function endSession() {
  session = null;
  sessionStorage.removeItem(KEY_SESSION);
}

/** A BillingClient for the session's token and region; `free()` it when done. */
export function newClient() {
  if (!session) throw Object.assign(new Error("Not signed in."), { code: "token_expired" });
  if (session.expiresAt && session.expiresAt <= Date.now()) {
    throw Object.assign(new Error("The token has expired."), { code: "token_expired" });
  }
  // A region option takes the region's domain, id or client-app environment name.
  return session.local || !session.domain
    ? new BillingClient({ accessToken: session.accessToken, apiBaseUrl: session.apiBase })
    : new BillingClient({ accessToken: session.accessToken, region: session.domain });
}
