// The demo page's modules (www/js/*.js, plain JavaScript with `// @ts-check` and JSDoc types)
// type-checked by TypeScript against the package's shipped declarations, pkg/genesys_billing.d.ts,
// so a module that uses the package API wrongly fails `make test` (test-js runs after `make build`).
//
//   node --test tests/js/demo-types.test.mjs
//
// The modules import the package as "../pkg/genesys_billing.js", which in www/ is the copy in
// www/pkg/ (made by `make test-e2e` and `make demo`, possibly stale). To check against pkg/
// itself, the modules are copied into a scratch directory next to pkg/genesys_billing.d.ts, where
// the same relative import resolves to the shipped declarations.
//
// Options: `--strict` in full (no implicit any, strict null checks, ...), with the DOM library and
// ES2022 (BigInt literals, Array#at), no emit. A probe module that misuses the package is checked
// with them: its error proves that the declarations were read (an import typed `any` would let
// every mistake through).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const tsc = join(root, "tests/node_modules/.bin/tsc");
const modulesDir = join(root, "www/js");
const dts = join(root, "pkg/genesys_billing.d.ts");

const PROBE = `// @ts-check
import { checkDecimal, regions } from "../pkg/genesys_billing.js";
/** @type {number} */
export const wrong = regions()[0].clientAppEnvironment;
checkDecimal(5);
`;

const TSCONFIG = {
  compilerOptions: {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: "es2022",
    module: "esnext",
    moduleResolution: "bundler",
    lib: ["es2022", "esnext", "dom", "dom.iterable"],
    types: [],
    skipLibCheck: false,
    forceConsistentCasingInFileNames: true,
    noFallthroughCasesInSwitch: true,
  },
  include: ["js/*.js"],
};

const modules = existsSync(modulesDir) ? readdirSync(modulesDir).filter((f) => f.endsWith(".js")).sort() : [];

test("www/js holds the page's modules, each starting with // @ts-check", () => {
  assert.ok(modules.includes("main.js"), "www/js/main.js is the page's entry module");
  for (const file of modules) {
    const source = readFileSync(join(modulesDir, file), "utf8");
    assert.match(source, /^\/\/ @ts-check\n/, `www/js/${file} starts with // @ts-check`);
    assert.doesNotMatch(source, /@ts-nocheck|@ts-ignore|@ts-expect-error/, `www/js/${file} switches no check off`);
    // The package is imported statically, with the path the CSP's script-src 'self' serves.
    assert.doesNotMatch(source, /\bimport\s*\(/, `www/js/${file} has no dynamic import`);
    for (const [, specifier] of source.matchAll(/\bfrom\s+"([^"]+)"/g)) {
      assert.match(specifier, /^\.\/[\w-]+\.js$|^\.\.\/pkg\/genesys_billing\.js$/, `www/js/${file} imports ${specifier}`);
    }
  }
});

test("www/js/*.js type-check with tsc --strict against pkg/genesys_billing.d.ts", (t) => {
  assert.ok(existsSync(dts), "pkg/genesys_billing.d.ts is missing: run `make build` first");
  assert.ok(existsSync(tsc), "tests/node_modules/.bin/tsc is missing: run scripts/setup.sh (make setup)");
  const scratch = mkdtempSync(join(tmpdir(), "genesys-billing-demo-types-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  mkdirSync(join(scratch, "js"));
  mkdirSync(join(scratch, "pkg"));
  copyFileSync(dts, join(scratch, "pkg/genesys_billing.d.ts"));
  for (const file of modules) copyFileSync(join(modulesDir, file), join(scratch, "js", file));
  writeFileSync(join(scratch, "js/zz-probe.js"), PROBE);
  writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));

  const r = spawnSync(tsc, ["-p", "tsconfig.json", "--pretty", "false"], { cwd: scratch, encoding: "utf8" });
  assert.equal(r.error, undefined, `could not run tsc: ${r.error}`);
  // Diagnostics start "js/<file>(line,col): error TSxxxx: ..." (continuation lines are indented).
  const output = `${r.stdout}${r.stderr}`.replace(/^js\//gm, "www/js/");
  const blocks = output.split(/\n(?=\S)/).filter((b) => b.trim());
  const probe = blocks.filter((b) => b.startsWith("www/js/zz-probe.js"));
  const others = blocks.filter((b) => !b.startsWith("www/js/zz-probe.js"));
  assert.deepEqual(others, [], `tsc found errors in the demo's modules:\n${others.join("\n")}`);
  assert.equal(probe.length, 2, `the probe's two misuses of the package are caught, so the declarations were read:\n${output}`);
  assert.match(probe[0], /TS2322/);
  assert.match(probe[1], /TS2345/);
  assert.notEqual(r.status, 0);
});
