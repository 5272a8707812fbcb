#!/usr/bin/env node
// Where the bytes of a wasm module go: code bytes per crate (from the function names of a
// build that keeps them, see build-wasm-variants.sh), the data section and the rest.
//   node benches/profile/wasm-size-breakdown.mjs FILE.wasm [top=20]
// `make size` (scripts/size.mjs) prints the same breakdown for the shipped package; both use
// the reader in scripts/size-wasm.mjs.
import { readFileSync } from 'node:fs';
import { breakdown, readWasm } from '../../scripts/size-wasm.mjs';

const [file, top = '20'] = process.argv.slice(2);
const mod = readWasm(readFileSync(file));
const b = breakdown(mod, { top: Number(top) });
console.log(`${file}: ${mod.bytes} bytes; ${mod.bodies.length} functions (${mod.names.size ? 'named' : 'NO names: use a build from build-wasm-variants.sh'})`);
for (const s of [...mod.sections].sort((x, y) => y.size - x.size)) console.log(`  section ${s.name.padEnd(22)} ${String(s.size).padStart(8)} bytes`);
console.log(`code bytes by crate (of ${b.codeTotal}):`);
for (const c of b.crates.slice(0, Number(top))) {
  console.log(`  ${((100 * c.bytes) / b.codeTotal).toFixed(1).padStart(5)} %  ${String(c.bytes).padStart(7)}  ${c.crate}`);
}
console.log('largest functions:');
for (const f of b.functions) console.log(`  ${String(f.bytes).padStart(7)}  ${f.name.slice(0, 150)}`);
