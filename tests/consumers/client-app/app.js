// A Genesys Cloud client app: sign in with PKCE, then invoice every customer org of the partner.
import init, { BillingClient } from "genesys-billing";
import { clientId, loginUrl, apiBaseUrl } from "./config.js";

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const redirectUri = location.origin + location.pathname;
const params = new URLSearchParams(location.search);

if (!params.has("code")) {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("pkce", JSON.stringify({ verifier, state }));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = { client_id: clientId, response_type: "code", redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: "S256", state };
  location.assign(`${loginUrl}/oauth/authorize?${new URLSearchParams(query)}`);
} else {
  const { verifier, state } = JSON.parse(sessionStorage.getItem("pkce"));
  sessionStorage.removeItem("pkce");
  history.replaceState(null, "", redirectUri); // the code is single-use: drop it from the address bar
  if (params.get("state") !== state) throw new Error("sign-in state does not match");
  const form = { grant_type: "authorization_code", code: params.get("code"), code_verifier: verifier, client_id: clientId, redirect_uri: redirectUri };
  const res = await fetch(`${loginUrl}/oauth/token`, { method: "POST", body: new URLSearchParams(form) });
  if (!res.ok) throw new Error(`sign-in failed: HTTP ${res.status}`);
  const { access_token: accessToken } = await res.json();

  await init();
  const client = new BillingClient({ accessToken, apiBaseUrl });
  const progress = document.querySelector("progress");
  const { invoice, failures } = await client.partnerInvoices({ concurrency: 4, onProgress: ({ done, total }) => (progress.value = done / total) });
  const item = (text) => Object.assign(document.createElement("li"), { textContent: text });
  for (const t of invoice.totals) document.querySelector("#totals").append(item(`${t.organizationName}: ${t.amount} ${t.currency}`));
  for (const f of failures) document.querySelector("#failures").append(item(`${f.organizationName}: ${f.code} ${f.message}`));
  const csv = document.querySelector("#csv");
  csv.href = URL.createObjectURL(new Blob([invoice.toCsv()], { type: "text/csv" }));
  csv.hidden = false;
}
