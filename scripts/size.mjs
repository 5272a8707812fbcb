// Prints what a browser loads from the package: the .wasm and the JS glue,
// raw and gzip -9. Usage: node scripts/size.mjs [pkg-dir]
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dir = process.argv[2] ?? new URL("../pkg", import.meta.url).pathname;
const files = ["genesys_billing_bg.wasm", "genesys_billing.js"];
let raw = 0;
let gz = 0;
const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " KB";
console.log("file                          raw       gzip -9");
for (const f of files) {
  const bytes = readFileSync(join(dir, f));
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  console.log(`${f.padEnd(28)}${kb(bytes.length)}${kb(z)}`);
}
console.log(`${"total (browser download)".padEnd(28)}${kb(raw)}${kb(gz)}`);
