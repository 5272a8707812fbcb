#!/usr/bin/env node
// Where the bytes of a wasm module go: code bytes per crate (from the function names of a
// build that keeps them, see build-wasm-variants.sh), the data section and the rest.
//   node benches/profile/wasm-size-breakdown.mjs FILE.wasm [top=20]
import { readFileSync } from 'node:fs';

const [file, top = '20'] = process.argv.slice(2);
const buf = readFileSync(file);
let pos = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return result;
  }
};
const sections = [];
let importedFuncs = 0;
let bodies = [];
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const start = pos;
  let name = String(id);
  if (id === 0) {
    const n = leb();
    name = buf.toString('utf8', pos, pos + n);
    pos += n;
    if (name === 'name') {
      while (pos < start + size) {
        const sub = buf[pos++];
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const count = leb();
          for (let i = 0; i < count; i++) {
            const idx = leb();
            const len = leb();
            names.set(idx, buf.toString('utf8', pos, pos + len));
            pos += len;
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < 2; k++) { const len = leb(); pos += len; }
      const kind = buf[pos++];
      if (kind === 0) { importedFuncs++; leb(); } else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { pos += 2; } else { pos++; leb(); }
    }
  } else if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const len = leb();
      bodies.push(len);
      pos += len;
    }
  }
  sections.push({ id, name: { 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export', 10: 'code', 11: 'data', 12: 'datacount', 4: 'table', 9: 'element' }[id] ?? (id === 0 ? `custom:${name}` : name), size });
  pos = start + size;
}

function crate(fn) {
  if (/ shim\b/.test(fn)) return 'wasm-bindgen export shims';
  let f = fn;
  for (let prev = null; prev !== f;) { prev = f; f = f.replace(/^(<|&|\*|\s|mut\s|dyn\s|const\s)+/, ''); }
  // `<f64 as core::fmt::Display>::fmt`, `<T as alloc::…>`: the trait's crate.
  const asTrait = /^(?:[a-z0-9]+|[A-Z]|\[[^\]]*\]|\([^)]*\))\s+as\s+(.*)$/.exec(f);
  if (asTrait) f = asTrait[1];
  const m = f.match(/^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::(([A-Za-z_][A-Za-z0-9_]*)::)?/);
  if (!m) return fn.startsWith('__wbg') || fn.startsWith('__wbindgen') ? 'wasm_bindgen' : /^(memcpy|memset|memmove|memcmp|bcmp)$/.test(fn) ? 'compiler_builtins (mem*)' : 'other';
  if (m[1] === 'genesys_billing' && m[4]) return `genesys_billing::${m[4]}`;
  if (m[1] === 'core' && m[4] === 'fmt') return 'core::fmt';
  return m[1];
}
const byCrate = new Map();
const fns = [];
let codeTotal = 0;
bodies.forEach((len, i) => {
  const name = names.get(importedFuncs + i) ?? '?';
  fns.push([name, len]);
  const c = crate(name);
  byCrate.set(c, (byCrate.get(c) ?? 0) + len);
  codeTotal += len;
});
console.log(`${file}: ${buf.length} bytes; ${bodies.length} functions (${names.size ? 'named' : 'NO names: use a build from build-wasm-variants.sh'})`);
for (const s of sections.sort((a, b) => b.size - a.size)) console.log(`  section ${s.name.padEnd(22)} ${String(s.size).padStart(8)} bytes`);
console.log(`code bytes by crate (of ${codeTotal}):`);
for (const [c, n] of [...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`  ${(100 * n / codeTotal).toFixed(1).padStart(5)} %  ${String(n).padStart(7)}  ${c}`);
}
console.log(`largest functions:`);
for (const [name, n] of fns.sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`  ${String(n).padStart(7)}  ${name.slice(0, 150)}`);
