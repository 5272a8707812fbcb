// @ts-check
// Warnings and alerts grouped by kind, then by organization, with counts: "Unpriced lines: 12 in 4
// organizations", then one entry per organization.

import { make } from "./dom.js";
import { plural } from "./format.js";

/**
 * What one kind of item is called on the page. `unit` counts the items; `perOrg` groups hold at
 * most one item per organization.
 * @typedef {{ title: string, unit: [string, string], perOrg?: boolean }} GroupSpec
 */

/**
 * An invoice warning or a comparison alert: what the list needs of either.
 * @typedef {{ code: string, organizationId?: string | null, message: string }} GroupItem
 */

/**
 * Items grouped by code, then by organization, as nested lists: "Unpriced lines: 12 in 4
 * organizations", then one entry per organization: its message when it has one item, else its name
 * and count, expandable to the messages.
 * `groups` names the codes and orders them; unknown codes come last under their own name.
 * Each group's list starts open when it names at most `openUpTo` organizations.
 * @template {GroupItem} T
 * @param {T[]} items
 * @param {Record<string, GroupSpec>} groups
 * @param {(organizationId: string, first: T) => string} nameOf
 * @param {number} openUpTo
 * @returns {HTMLElement[]}
 */
export function groupedList(items, groups, nameOf, openUpTo) {
  /** @type {Map<string, Map<string, T[]>>} */
  const byCode = new Map([...Object.keys(groups)].map((code) => [code, new Map()]));
  for (const item of items) {
    let orgs = byCode.get(item.code);
    if (!orgs) byCode.set(item.code, (orgs = new Map()));
    const key = item.organizationId ?? "";
    const list = orgs.get(key);
    if (list) list.push(item);
    else orgs.set(key, [item]);
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
