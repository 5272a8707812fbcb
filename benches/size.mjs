#!/usr/bin/env node
// Part 2 of `make bench`: what a browser downloads. The package's web build (.wasm + JS glue)
// and its Node build, raw and gzip -9 (zlib level 9, as `gzip -9`), beside the official SDK's
// minified browser bundles (purecloud-platform-client-v2 from npm, dist/web-*/*.min.js).
//   node benches/size.mjs [--out target/bench/size.json]
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'target/bench/size.json' } } });
const root = new URL('..', import.meta.url).pathname;
// BENCH_PKG=DIR measures a copy of pkg/ (see benches/js/load-wasm.mjs); paths stay relative to the repository.
const pkg = process.env.BENCH_PKG ? relative(root, resolve(process.env.BENCH_PKG)) : 'pkg';
const measure = (files) => {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.map((f) => f.slice(root.length)), raw, gzip };
};

const sdkDir = join(root, 'tests/node_modules/purecloud-platform-client-v2');
const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;
const pkgVersion = JSON.parse(readFileSync(join(root, `${pkg}/package.json`), 'utf8')).version;
const rows = [
  { what: `genesys-billing ${pkgVersion} web build (.wasm + JS glue)`, ...measure([`${pkg}/genesys_billing_bg.wasm`, `${pkg}/genesys_billing.js`].map((f) => join(root, f))) },
  { what: 'genesys-billing .wasm alone', ...measure([join(root, `${pkg}/genesys_billing_bg.wasm`)]) },
  { what: 'genesys-billing JS glue alone (web)', ...measure([join(root, `${pkg}/genesys_billing.js`)]) },
  { what: `genesys-billing ${pkgVersion} Node build (.wasm + glue + index.mjs)`, ...measure([`${pkg}/node/genesys_billing_bg.wasm`, `${pkg}/node/genesys_billing.js`, `${pkg}/node/index.mjs`].map((f) => join(root, f))) },
];
for (const dir of readdirSync(join(sdkDir, 'dist')).filter((d) => d.startsWith('web-')).sort()) {
  for (const f of readdirSync(join(sdkDir, 'dist', dir)).filter((n) => n.endsWith('.min.js'))) {
    rows.push({ what: `purecloud-platform-client-v2 ${sdkVersion} dist/${dir}/${f}`, ...measure([join(sdkDir, 'dist', dir, f)]) });
  }
}
if (!existsSync(join(root, `${pkg}/genesys_billing_bg.wasm`))) throw new Error(`${pkg}/ is missing: run make build`);
const result = { rows, targetGzipBytes: 80 * 1000 };
writeFileSync(values.out, JSON.stringify(result, null, 2));
for (const r of rows) console.error(`[size] ${r.what}: ${(r.raw / 1000).toFixed(1)} KB raw, ${(r.gzip / 1000).toFixed(1)} KB gzip -9`);
