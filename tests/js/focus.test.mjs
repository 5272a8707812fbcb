// FOCUS exports checked by a validator from a package registry: focus-data-toolkit 0.14.1
// (PyPI; `focus-toolkit validate FILE --dataset cost-and-usage`), installed by scripts/setup.sh
// into tests/.venv-focus. It lints FOCUS 1.4 only; the 1.2 and 1.3 column rules are held by
// tests/exports.rs (focus_versions_have_the_columns_each_requires_and_none_it_removed), citing
// the spec's column files. Here: the default 1.4 output of a 20-org partner invoice (USD, EUR,
// JPY, KWD) passes the linter with both capabilities Genesys has declared, so the SkuId,
// SkuPriceId and PricingCategory rules are checked too; and the linter is shown to fail files it
// must refuse, so a pass means something.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDataset } from "../mock/dataset.mjs";

const root = new URL("../..", import.meta.url).pathname;
const toolkit = join(root, "tests/.venv-focus/bin/focus-toolkit");
const { Invoice } = await import(join(root, "pkg/node/index.mjs"));

/** Runs the linter on `csv` with the capabilities a Genesys invoice declares. */
function validate(csv) {
  const dir = mkdtempSync(join(tmpdir(), "focus-"));
  try {
    const file = join(dir, "cost-and-usage.csv");
    writeFileSync(file, csv);
    const r = spawnSync(toolkit, ["validate", file, "--dataset", "cost-and-usage",
      "--supports", "SupportsUnitPricing", "--supports", "SupportsMultiplePricingCategories"], { encoding: "utf8" });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A partner invoice of 20 orgs, every usage priced (FOCUS refuses unpriced lines). */
function partnerInvoice() {
  const overviews = buildDataset({ orgs: 20, usages: 8 }).orgs.map((org) => {
    const o = org.overview(0);
    for (const u of o.usages) {
      u.prepayPrice ??= "1.25";
      u.overagePrice ??= "1.25";
    }
    return o;
  });
  return Invoice.fromOverviews(overviews, { markupPercent: "12.5" });
}

test("the validator is installed (scripts/setup.sh)", () => {
  assert.ok(existsSync(toolkit), `${toolkit} is missing: run scripts/setup.sh`);
});

test("FOCUS 1.4 (the default) passes focus-data-toolkit's Cost and Usage lint", () => {
  const invoice = partnerInvoice();
  try {
    const currencies = new Set(invoice.lines.map((l) => l.currency));
    assert.deepEqual([...currencies].sort(), ["EUR", "JPY", "KWD", "USD"], "0-, 2- and 3-decimal currencies");
    const csv = invoice.toFocus({ invoiceIssuerName: "Partner Ltd", invoiceId: "INV-2026-10" });
    assert.equal(csv.split("\r\n").length - 2, invoice.lines.length, "one row per line");
    const r = validate(csv);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /lint OK/);
  } finally {
    invoice.free();
  }
});

test("the validator refuses what 1.4 forbids: the 1.2 and 1.3 layouts, an empty SkuPriceId", () => {
  const invoice = partnerInvoice();
  try {
    const v12 = validate(invoice.toFocus({ focusVersion: "1.2" }));
    assert.equal(v12.code, 1, v12.out);
    assert.match(v12.out, /ProviderName is not a FOCUS 1\.4 Cost and Usage column/);
    assert.match(v12.out, /required column ServiceProviderName absent/);
    const v13 = validate(invoice.toFocus({ focusVersion: "1.3" }));
    assert.equal(v13.code, 1, v13.out);
    assert.match(v13.out, /PublisherName is not a FOCUS 1\.4 Cost and Usage column/);
    // The Sku rules are checked: blank every SkuPriceId (`<SkuId>:<kind>`) of a valid file.
    const valid = invoice.toFocus();
    const blanked = valid.replace(/,[^,"]*:(prepay|on-demand|minimum-commitment),/g, ",,");
    assert.equal(blanked.split("\r\n").length, valid.split("\r\n").length);
    assert.notEqual(blanked, valid);
    assert.doesNotMatch(blanked, /:(prepay|on-demand),/);
    const broken = validate(blanked);
    assert.equal(broken.code, 1, broken.out);
    assert.match(broken.out, /SkuPriceId/);
  } finally {
    invoice.free();
  }
});
