// @ts-check
// Demo page for the genesys-billing package: sign in to Genesys Cloud (PKCE or implicit grant),
// fetch billing data with BillingClient and show the invoice lines the package computes.
// Plain ES modules, no framework and no build step; this one wires the others to the page
// (www/DEMO.md lists the modules and what each holds).
//
// The package is imported statically (../pkg/genesys_billing.js, `script-src 'self'`); `init()`
// loads its wasm once, before anything else uses it. If the package's script cannot be loaded at
// all, startup-check.js says so instead of this module.

import init from "../pkg/genesys_billing.js";
import { drawChanges, drawChangesChart, sortChanges } from "./compare.js";
import { setCurrent } from "./current.js";
import { clearError, el, setStatus, showError } from "./dom.js";
import { messageOf } from "./errors.js";
import { download } from "./exports.js";
import { formatDuration, formatTime } from "./format.js";
import { loadPrefs, savePrefs } from "./prefs.js";
import { loadPriceBookFile } from "./pricebook.js";
import { clientAppRegion, fillRegionSelect, LOCAL_REGION_ID, loadRegions, localDemo, updateRegionHelp } from "./regions.js";
import { drawChart, toggleMoreColumns } from "./results.js";
import { cancelRun, runPartner, runUsage } from "./runs.js";
import { currentSession, endSession, restoreSession } from "./session.js";
import { handleOAuthReturn, redirectUri, startSignIn } from "./signin.js";

/** @type {ReturnType<typeof setInterval> | undefined} */
let expiryTimer;

/** What a run does when Genesys Cloud refuses the token. */
const runHooks = { onTokenRefused: logOut };

/** @param {string} [message] */
function logOut(message = "Logged out. The token was forgotten by this page.") {
  cancelRun();
  endSession();
  setCurrent(null);
  clearInterval(expiryTimer);
  showView();
  setStatus(message);
}

function updateExpiry() {
  const session = currentSession();
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

/** The sign-in form when signed out; the session, the forms and the results when signed in. */
function showView() {
  const session = currentSession();
  el.login.hidden = Boolean(session);
  el.workspace.hidden = !session;
  el.session.hidden = !session;
  if (session) {
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

function showMode() {
  const partner = el["mode-partner"].checked;
  el["usage-form"].hidden = partner;
  el["partner-form"].hidden = !partner;
}

function defaultDates() {
  const today = new Date().toISOString().slice(0, 10);
  el["start-date"].value = `${today.slice(0, 8)}01`;
  el["end-date"].value = today;
}

function wireEvents() {
  el["login-form"].addEventListener("submit", (e) => {
    startSignIn(e).catch((err) => showError(`Could not start the sign-in: ${messageOf(err)}`));
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
  el["usage-form"].addEventListener("submit", (e) => runUsage(e, runHooks));
  el["partner-form"].addEventListener("submit", (e) => runPartner(e, runHooks));
  el["cancel-usage"].addEventListener("click", cancelRun);
  el["cancel-partner"].addEventListener("click", cancelRun);
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
  el["changes-table"].tHead?.addEventListener("click", sortChanges);
  el["show-unchanged"].addEventListener("change", drawChanges);
  el["changes-chart-by"].addEventListener("change", drawChangesChart);
}

async function main() {
  wireEvents();
  defaultDates();
  el["redirect-uri"].textContent = redirectUri();
  setStatus("Loading...");

  try {
    await init();
  } catch (err) {
    setStatus("");
    showError(
      `The genesys-billing package's WebAssembly could not be loaded from pkg/genesys_billing_bg.wasm (${messageOf(err)}). ` +
        "Build it and copy pkg/ to www/pkg/ (make demo does both).",
    );
    document.documentElement.dataset.ready = "error";
    return;
  }
  await loadRegions();
  const localConfig = localDemo();

  const prefs = loadPrefs();
  if (prefs.mode === "partner") el["mode-partner"].checked = true;
  if (prefs.currency) el.currency.value = prefs.currency;
  if (typeof prefs.company === "string") el.company.value = prefs.company;
  if (typeof prefs.priceBook === "string") el["price-book"].value = prefs.priceBook;
  if (prefs.flow === "implicit") el["flow-implicit"].checked = true;
  el["total-increase-field"].hidden = el["compare-with"].value === "";

  // An OAuth redirect back to this page comes first: it also restores the client-app parameters.
  const signedIn = await handleOAuthReturn();
  if (!signedIn) restoreSession();
  else el.status.textContent = `Signed in to ${currentSession()?.regionName}.`;

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
  showError(`The page failed to start: ${messageOf(err)}`);
  document.documentElement.dataset.ready = "error";
});
