// @ts-check
// Errors for people: what the package's error codes mean, and how a thrown error is described.

/** @import { GenesysBillingError } from "../pkg/genesys_billing.js" */

/**
 * Friendly text for the error codes the package throws.
 * @type {Partial<Record<string, string>>}
 */
export const ERROR_TEXT = {
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

/**
 * The package's error properties on anything thrown: each may be missing (a plain Error, a string).
 * @param {unknown} err
 * @returns {Partial<GenesysBillingError>}
 */
export function errorFields(err) {
  return err && typeof err === "object" ? /** @type {Partial<GenesysBillingError>} */ (err) : {};
}

/**
 * The message of anything thrown.
 * @param {unknown} err
 * @returns {string}
 */
export function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Describe an error thrown by the package (Error with .code, .status, .organizationId) for people.
 * @param {unknown} err
 * @returns {string}
 */
export function describeError(err) {
  const e = errorFields(err);
  const code = e.code;
  const friendly = code && ERROR_TEXT[code];
  const raw = e.message ? String(e.message) : String(err);
  const parts = [];
  if (friendly) parts.push(friendly);
  if (!friendly || (raw && raw !== friendly && code !== "aborted")) parts.push(raw);
  const details = [];
  if (e.permission) details.push(`missing permission ${e.permission}`);
  if (code) details.push(`code ${code}`);
  if (e.status) details.push(`HTTP ${e.status}`);
  if (e.organizationId) details.push(`organization ${e.organizationId}`);
  return parts.join(" ") + (details.length ? ` (${details.join(", ")})` : "");
}
