// Merges pkg-template/ over wasm-pack's pkg/: package.json fields are
// merged (the template wins), other files are copied; then writes the Node
// entry points, whose export list comes from the built module itself so it
// cannot drift from the Rust exports.
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = join(root, "pkg");
const template = join(root, "pkg-template");

const built = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const fields = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
const merged = { ...built, ...fields, version: built.version };
writeFileSync(join(pkg, "package.json"), JSON.stringify(merged, null, 2) + "\n");

for (const entry of readdirSync(template)) {
  if (entry !== "package.json") cpSync(join(template, entry), join(pkg, entry), { recursive: true });
}
// The command line (package.json "bin", bin/genesys-billing.mjs): executable in pkg/ and in the
// tarball (npm also marks bin files executable when it installs them).
for (const [name, file] of Object.entries(merged.bin ?? {})) {
  const target = join(pkg, file);
  if (!existsSync(target)) throw new Error(`merge-pkg: bin ${name}: ${file} is missing`);
  chmodSync(target, 0o755);
}

// wasm-bindgen types a trailing Option parameter as `x: T | null | undefined`,
// which TypeScript still makes callers pass; mark such trailing parameters
// optional, as the functions treat them.
const dts = join(pkg, "genesys_billing.d.ts");
const optionalTail = (params) => {
  const parts = params.split(/,\s*/);
  for (let i = parts.length - 1; i >= 0 && /\|\s*undefined\b/.test(parts[i]); i--) {
    parts[i] = parts[i].replace(/^(\w+):/, "$1?:");
  }
  return parts.join(", ");
};
let types = readFileSync(dts, "utf8").replace(
  /^(\s*(?:export function |static )?\w+\()([^()]*)(\)[:;])/gm,
  (_, head, params, tail) => head + optionalTail(params) + tail,
);
// Two fixes so the types compile in a strict consumer without skipLibCheck:
// - `[Symbol.dispose]()` needs the `esnext.disposable` lib, which TypeScript
//   does not load by default (TS2550 in our .d.ts); the glue adds it only
//   where the runtime has Symbol.dispose. `free()` stays typed.
// - InitOutput lists the raw wasm ABI (`any` everywhere); callers only ever
//   need `memory`, and a narrower interface is still a true description.
// (tests/js/consumers.test.mjs compiles a strict consumer and greps for `any`, so a change in
// wasm-bindgen's output that these edits miss fails there.)
const edit = (text, pattern, replacement, what) => {
  if (!pattern.test(text)) throw new Error(`merge-pkg: ${what} not found in genesys_billing.d.ts`);
  return text.replace(pattern, replacement);
};
types = types.replace(/^[ \t]*\[Symbol\.dispose\]\(\): void;\n/gm, "");
types = edit(
  types,
  /^export interface InitOutput \{\n[^]*?^\}\n/m,
  "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}\n",
  "InitOutput",
);
writeFileSync(dts, types);

// Types of the Node entries (node/ is "type": "commonjs", so a .d.ts there
// describes CommonJS): the API without the web build's init section for
// `require`, and for `import` the same plus the no-op init()/initSync()
// (typed without parameters: nothing is loaded, so nothing can be passed).
const initAt = types.indexOf("export type InitInput");
if (initAt < 0) throw new Error("merge-pkg: no init section in genesys_billing.d.ts");
const api = types.slice(0, initAt).trimEnd() + "\n";
writeFileSync(join(pkg, "node", "genesys_billing.d.ts"), api);
writeFileSync(
  join(pkg, "node", "index.d.mts"),
  `/* Node ESM entry: the wasm module is loaded synchronously on import. */
export * from "./genesys_billing.js";
/** Nothing to do in Node; kept so browser code that awaits init() runs unchanged. */
export default function init(): Promise<void>;
/** Nothing to do in Node. */
export function initSync(): void;
`,
);

// The nodejs build is CommonJS inside a "type": "module" package.
writeFileSync(join(pkg, "node", "package.json"), '{ "type": "commonjs" }\n');
const require = createRequire(import.meta.url);
const names = Object.keys(require(join(pkg, "node", "genesys_billing.js"))).filter((n) => n !== "default").sort();
writeFileSync(
  join(pkg, "node", "index.mjs"),
  `// Node entry: the wasm module is loaded synchronously on import.
import m from "./genesys_billing.js";
export const { ${names.join(", ")} } = m;
/** Nothing to do in Node; kept so browser code that awaits init() runs unchanged. */
export default async function init() {}
export function initSync() {}
`,
);
console.log(`merge-pkg: ${names.length} exports: ${names.join(", ")}`);
