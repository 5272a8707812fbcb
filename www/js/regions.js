// @ts-check
// The regions the page offers: every Genesys Cloud region from the package's `regions()`, plus
// the local mock when ./local-config.json says one runs; the region a client app's URL asks for
// (gcHostOrigin, gcTargetEnv, pcEnvironment); the region select and its help text.

import { regions } from "../pkg/genesys_billing.js";
import { el, make } from "./dom.js";

export const LOCAL_REGION_ID = "local";

/**
 * A region the page can sign in to. `domain` and `clientAppEnvironment` are null for the local mock.
 * @typedef {object} PageRegion
 * @property {string} id
 * @property {string | null} domain
 * @property {string} name
 * @property {string | null} clientAppEnvironment
 * @property {string} loginBase
 * @property {string} apiBase
 * @property {boolean} local
 */

/**
 * The local mock demo's settings, from ./local-config.json.
 * @typedef {{ mockUrl: string, clientId: string }} LocalConfig
 */

/** @type {LocalConfig | null} */
let localConfig = null;
/** @type {PageRegion[]} */
let regionList = [];

/** The local mock demo's settings, or null when the page runs against Genesys Cloud only. */
export function localDemo() {
  return localConfig;
}

/** @returns {Promise<LocalConfig | null>} */
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

/** Reads ./local-config.json and builds the region list (after the package's `init()`). */
export async function loadRegions() {
  localConfig = await loadLocalConfig();
  regionList = [];
  if (localConfig) {
    regionList.push({
      id: LOCAL_REGION_ID,
      domain: null,
      name: "Local demo (mock Genesys Cloud)",
      clientAppEnvironment: null,
      loginBase: localConfig.mockUrl,
      apiBase: localConfig.mockUrl,
      local: true,
    });
  }
  for (const r of regions()) {
    regionList.push({
      id: r.id,
      domain: r.domain,
      name: r.name,
      clientAppEnvironment: r.clientAppEnvironment,
      loginBase: `https://login.${r.domain}`,
      apiBase: `https://api.${r.domain}`,
      local: false,
    });
  }
}

/** @param {string} id */
export function regionById(id) {
  return regionList.find((r) => r.id === id) ?? null;
}

/** @param {string | null | undefined} domain */
function regionByDomain(domain) {
  const wanted = String(domain || "").toLowerCase();
  return regionList.find((r) => r.domain === wanted) ?? null;
}

/**
 * The region a client app's `gcTargetEnv` names ("prod-euw1", "eusc-edee1-core"), as `regions()`
 * lists them.
 * @param {string} environment
 */
function regionByEnvironment(environment) {
  return regionList.find((r) => !r.local && r.clientAppEnvironment === environment) ?? null;
}

/**
 * Region requested by the Genesys Cloud client-app URL parameters, or null when there are none.
 * Only known regions are accepted, so a crafted link cannot send the sign-in elsewhere.
 * @param {URLSearchParams} params
 * @returns {{ region: PageRegion | null, source: string, given: string } | null}
 */
export function clientAppRegion(params) {
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

/** @param {string} selectedId the region to select, when it is offered */
export function fillRegionSelect(selectedId) {
  el.region.replaceChildren(
    ...regionList.map((r) =>
      make("option", { value: r.id, text: r.local ? r.name : `${r.name} (${r.domain})` }),
    ),
  );
  if (selectedId && regionById(selectedId)) el.region.value = selectedId;
  updateRegionHelp();
}

export function updateRegionHelp() {
  const region = regionById(el.region.value);
  if (!region) return;
  el["region-hosts"].textContent = region.local
    ? `Sign-in and API: ${region.apiBase} (the local mock).`
    : `Sign-in: ${region.loginBase}, API: ${region.apiBase}.`;
  // Prefill the mock's client id for the local demo; clear it when leaving the local demo.
  if (region.local && localConfig && !el["client-id"].value) el["client-id"].value = localConfig.clientId;
  if (!region.local && localConfig && el["client-id"].value === localConfig.clientId) el["client-id"].value = "";
}
