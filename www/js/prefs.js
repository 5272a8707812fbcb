// @ts-check
// What the page remembers between reloads of this tab, in sessionStorage (never localStorage).
// Preferences hold nothing secret; the token has its own key (session.js).

const KEY_PREFS = "genesysBilling.prefs"; // region, client id, flow, mode, usage form

/**
 * @typedef {object} Prefs
 * @property {string} [regionId]
 * @property {string} [clientId]
 * @property {"pkce" | "implicit"} [flow]
 * @property {"usage" | "partner"} [mode]
 * @property {string} [currency]
 * @property {string} [priceBook]
 * @property {string} [company]
 */

/**
 * The JSON stored under `key`, or null when there is none or it does not parse.
 * @param {Storage} storage
 * @param {string} key
 * @returns {any}
 */
export function readJson(storage, key) {
  try {
    const text = storage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** @returns {Prefs} */
export function loadPrefs() {
  return readJson(sessionStorage, KEY_PREFS) ?? {};
}

/** @param {Prefs} patch */
export function savePrefs(patch) {
  const prefs = { ...readJson(sessionStorage, KEY_PREFS), ...patch };
  sessionStorage.setItem(KEY_PREFS, JSON.stringify(prefs));
}
