// `make size`: what a browser loads from the package (the .wasm and the JS glue, raw and
// gzip -9), then where the .wasm's code goes: code bytes per crate (genesys_billing per module)
// and the largest functions. Prints it all and writes it to target/size-report.txt.
//   node scripts/size.mjs [pkg-dir] [--top 25] [--no-breakdown]
//
// The shipped .wasm has no function names (wasm-opt -Oz strips them). The names come from a
// second run of the last two build steps on the artefact the normal build already produced:
// cargo's target/wasm32-unknown-unknown/release/genesys_billing.wasm (the input of both
// wasm-pack runs of scripts/build-pkg.sh) through `wasm-bindgen --target web` (names kept) and
// `wasm-opt` with the package's own flags from Cargo.toml plus `-g` (keep names). No cargo
// build. That takes 15-20 s on 2 busy cores (wasm-opt) and is cached in target/size/, keyed by
// the cargo artefact's hash, the flags and the tool versions. If the named module is the shipped
// one byte for byte apart from its name section (the usual case), or at least has the same
// function bodies by length, the breakdown is of the shipped .wasm itself and says so; otherwise
// (cargo's artefact was rebuilt since pkg/) it reads the named build and says so.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { breakdown, readWasm, sameBodies, sameExceptNames } from './size-wasm.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, 'no-breakdown': { type: 'boolean', default: false } },
});
const dir = positionals[0] ?? join(root, 'pkg');
const TARGET_GZIP = 80 * 1000;
const rel = (p) => relative(process.cwd(), p) || '.';
const out = [];
const say = (s = '') => { out.push(s); console.log(s); };
const kb = (n) => (n / 1000).toFixed(1).padStart(7) + ' KB';
const num = (n) => n.toLocaleString('en-US');

// ---- 1. What a browser downloads (unchanged from before the breakdown existed).
const files = ['genesys_billing_bg.wasm', 'genesys_billing.js'];
let raw = 0;
let gz = 0;
say('file                          raw       gzip -9');
for (const f of files) {
  const bytes = readFileSync(join(dir, f));
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  say(`${f.padEnd(28)}${kb(bytes.length)}${kb(z)}`);
}
say(`${'total (browser download)'.padEnd(28)}${kb(raw)}${kb(gz)}   target ≤ 80 KB gzip -9: ${gz <= TARGET_GZIP ? 'met' : 'NOT met'}`);
// KB here are 1,000 bytes; the same total in KiB, for readers who count in 1,024.
say(`${''.padEnd(28)}${''.padStart(10)}${(gz / 1024).toFixed(1).padStart(7)} KiB`);

if (values['no-breakdown']) process.exit(0);
const reportPath = join(root, 'target', 'size-report.txt');
const finish = (code = 0) => {
  mkdirSync(join(root, 'target'), { recursive: true });
  writeFileSync(reportPath, out.join('\n') + '\n');
  console.log(`(written to ${rel(reportPath)})`);
  process.exit(code);
};

// ---- 2. The named build.
const shippedPath = join(dir, 'genesys_billing_bg.wasm');
const shippedBuf = readFileSync(shippedPath);
const shipped = readWasm(shippedBuf);
// scripts/build-pkg.sh runs cargo (through wasm-pack) from the repository root.
const targetDir = resolve(root, process.env.CARGO_TARGET_DIR || 'target');
const cargoWasm = join(targetDir, 'wasm32-unknown-unknown', 'release', 'genesys_billing.wasm');
say();
if (!existsSync(cargoWasm)) {
  say(`No per-crate breakdown: ${rel(cargoWasm)} (cargo's output, kept by \`make build\`) is missing; run \`make build\`.`);
  finish(1);
}
const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const flagsMatch = /\[package\.metadata\.wasm-pack\.profile\.release\][^[]*?wasm-opt\s*=\s*\[([^\]]*)\]/s.exec(toml);
const wasmOptFlags = flagsMatch ? [...flagsMatch[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]) : ['-O'];
const env = {
  ...process.env,
  PATH: [join(root, 'tests/node_modules/.bin'), join(process.env.CARGO_HOME ?? join(process.env.HOME ?? '', '.cargo'), 'bin'), process.env.PATH].join(delimiter),
};
const tool = (cmd, args) => execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const cargoBuf = readFileSync(cargoWasm);
const versions = `${tool('wasm-bindgen', ['--version'])}; ${tool('wasm-opt', ['--version'])}`;
const key = createHash('sha256').update(cargoBuf).update(JSON.stringify([wasmOptFlags, versions])).digest('hex');
const sizeDir = join(root, 'target', 'size');
const namedPath = join(sizeDir, 'genesys_billing_named.wasm');
const keyPath = join(sizeDir, 'key');
const cached = existsSync(namedPath) && existsSync(keyPath) && readFileSync(keyPath, 'utf8') === key;
const t0 = performance.now();
if (!cached) {
  // In a scratch directory, renamed into place at the end: two runs at once do not mix files.
  const tmp = join(sizeDir, `tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    tool('wasm-bindgen', ['--target', 'web', '--out-dir', tmp, '--out-name', 'genesys_billing', cargoWasm]);
    tool('wasm-opt', [join(tmp, 'genesys_billing_bg.wasm'), '-o', join(tmp, 'named.wasm'), ...wasmOptFlags, '-g']);
    renameSync(join(tmp, 'named.wasm'), namedPath);
    writeFileSync(keyPath, key);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const named = readWasm(readFileSync(namedPath));
const mtime = (p) => statSync(p).mtime.toISOString().replace('T', ' ').slice(0, 19);
const how = `cargo's ${rel(cargoWasm)} (${mtime(cargoWasm)} UTC) → wasm-bindgen --target web → wasm-opt ${wasmOptFlags.join(' ')} -g`;
say(`Breakdown of the .wasm code. Function names from ${rel(namedPath)} = ${how}`
  + ` (${cached ? 'cached' : `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`}${named.names.size ? '' : '; it has NO name section'}).`);
// Which module the figures are of: the shipped one whenever the names fit it.
const bytesIdentical = sameExceptNames(named, shipped);
const layoutIdentical = bytesIdentical || sameBodies(named, shipped);
const source = layoutIdentical ? shipped : named;
if (bytesIdentical) {
  say(`Reads: the shipped ${rel(shippedPath)} itself. The named build is byte for byte the same module apart from its name section, so the names apply to it exactly.`);
} else if (layoutIdentical) {
  say(`Reads: the shipped ${rel(shippedPath)} itself. The named build has the same ${num(shipped.bodies.length)} function bodies (same length each, in order) but other bytes differ: names are probably right, check with \`make build\`.`);
} else {
  say(`Reads: the NAMED BUILD, which does NOT match the shipped ${rel(shippedPath)} (named: ${num(named.bodies.length)} functions, ${num(named.codeSectionBytes)} code bytes; `
    + `shipped: ${num(shipped.bodies.length)} functions, ${num(shipped.codeSectionBytes)} code bytes). Cargo's artefact is newer or older than pkg/: run \`make build\` again.`);
}
const b = breakdown({ ...source, names: named.names, exports: named.exports }, { top: Number(values.top) });
const pct = (n, of) => `${((100 * n) / of).toFixed(1).padStart(5)} %`;
const gzipOf = (fns) => gzipSync(Buffer.concat(fns.map((f) => f.body)), { level: 9 }).length;
say();
say(`Module ${rel(layoutIdentical ? shippedPath : namedPath)}: ${num(source.bytes)} bytes raw, ${num(gzipSync(source.buf, { level: 9 }).length)} gzip -9 by itself`
  + `${layoutIdentical ? '' : ` (shipped: ${num(shipped.bytes)} raw); the named build's name section (${num(named.sections.find((x) => x.name === 'custom:name')?.size ?? 0)} bytes) is not shipped`}`);
for (const x of [...source.sections].filter((x) => x.name !== 'custom:name').sort((p, q) => q.size - p.size)) {
  say(`  ${x.name.padEnd(24)}${num(x.size).padStart(10)} bytes ${pct(x.size, source.bytes)}`);
}
say();
say(`Code bytes per crate. Function bodies: ${num(b.codeTotal)} bytes in ${num(b.all.length)} functions (+ ${num(source.codeSectionBytes - b.codeTotal)} bytes of length prefixes = `
  + `the code section, ${pct(source.codeSectionBytes, source.bytes).trim()} of the .wasm). Shipped .wasm ${num(shipped.bytes)} bytes raw; .wasm + JS glue ${num(gz)} bytes gzip -9.`);
say('"gzip alone": gzip -9 of that crate\'s bodies concatenated, a rough guide (the parts do not add up to the module\'s gzip size).');
say(`  ${'crate / group'.padEnd(42)}${'bytes'.padStart(9)}${'share'.padStart(8)}${'functions'.padStart(11)}${'gzip alone'.padStart(12)}`);
for (const c of b.crates) {
  say(`  ${c.crate.padEnd(42)}${num(c.bytes).padStart(9)}${pct(c.bytes, b.codeTotal).padStart(8)}${num(c.functions).padStart(11)}${num(gzipOf(b.all.filter((f) => f.crate === c.crate))).padStart(12)}`);
}
say(`  ${'total (function bodies)'.padEnd(42)}${num(b.codeTotal).padStart(9)}${pct(b.codeTotal, b.codeTotal).padStart(8)}${num(b.all.length).padStart(11)}${num(gzipOf(b.all)).padStart(12)}`);
say();
say(`Largest ${b.functions.length} functions (bytes, crate, name):`);
for (const f of b.functions) say(`  ${num(f.bytes).padStart(7)}  ${f.crate.padEnd(28)} ${f.name.length > 140 ? `${f.name.slice(0, 139)}…` : f.name}`);
finish(0);
