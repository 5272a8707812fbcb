// A small reader for WebAssembly binaries, enough to say where a module's bytes go: its
// sections, the size of every function body, and the function names of a `name` custom section
// (kept by rustc/wasm-bindgen and by `wasm-opt -g`; stripped by the shipped `wasm-opt -Oz`).
// Used by scripts/size.mjs (`make size`) and benches/profile/wasm-size-breakdown.mjs.
// No dependencies.

const SECTION_NAMES = {
  1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global', 7: 'export',
  8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag',
};

/**
 * Parses a wasm binary. Returns { buf, bytes, sections: [{id, name, size, start}], importedFuncs,
 * bodies: [body byte length per defined function, in index order], bodyStarts: [offset of each
 * body in buf], codeSectionBytes, names: Map(function index -> name) (empty without a name
 * section), exports: Map(function index -> export name) }.
 */
export function readWasm(buf) {
  if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module (bad magic)');
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
  const skipLimits = () => { const flags = leb(); leb(); if (flags & 1) leb(); };
  const sections = [];
  const bodies = [];
  const bodyStarts = [];
  const names = new Map();
  const exports = new Map();
  let importedFuncs = 0;
  let codeSectionBytes = 0;
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = leb();
    const start = pos;
    let name = SECTION_NAMES[id] ?? String(id);
    if (id === 0) {
      const n = leb();
      name = `custom:${buf.toString('utf8', pos, pos + n)}`;
      pos += n;
      if (name === 'custom:name') {
        while (pos < start + size) {
          const sub = buf[pos++];
          const subSize = leb();
          const subEnd = pos + subSize;
          if (sub === 1) { // function names
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
    } else if (id === 2) { // imports: only the number of imported functions matters
      const count = leb();
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 2; k++) { const len = leb(); pos += len; }
        const kind = buf[pos++];
        if (kind === 0) { importedFuncs++; leb(); } // func: type index
        else if (kind === 1) { pos++; skipLimits(); } // table: reftype, limits
        else if (kind === 2) skipLimits(); // memory
        else if (kind === 3) pos += 2; // global: valtype, mutability
        else { pos++; leb(); } // tag
      }
    } else if (id === 7) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const len = leb();
        const exportName = buf.toString('utf8', pos, pos + len);
        pos += len;
        const kind = buf[pos++];
        const idx = leb();
        if (kind === 0) exports.set(idx, exportName);
      }
    } else if (id === 10) {
      codeSectionBytes = size;
      const count = leb();
      for (let i = 0; i < count; i++) {
        const len = leb();
        bodies.push(len);
        bodyStarts.push(pos);
        pos += len;
      }
    }
    sections.push({ id, name, size, start });
    pos = start + size;
  }
  return { buf, bytes: buf.length, sections, importedFuncs, bodies, bodyStarts, codeSectionBytes, names, exports };
}

/** The crate (or group) a function belongs to, from its demangled name. */
export function crateOf(fn) {
  if (fn === undefined) return '(no name: added by wasm-bindgen/wasm-opt)';
  // wasm-bindgen's generated wrappers around exports/imports ("… externref shim", "… multivalue shim").
  if (/ shim\b/.test(fn)) return 'wasm-bindgen shims';
  let f = fn;
  // Drop glue belongs to the type it drops: core::ptr::drop_in_place<genesys_billing::invoice::Invoice>.
  const drop = /^core::ptr::drop_in_place<(.*)>(::h[0-9a-f]+)?$/.exec(f);
  if (drop) f = drop[1];
  for (let prev = null; prev !== f;) { prev = f; f = f.replace(/^(<|&|\*|\(|\[|\s|mut\s|dyn\s|const\s)+/, ''); }
  // `<f64 as core::fmt::Display>::fmt`, `<T as alloc::…>`: the trait's crate.
  const asTrait = /^(?:[a-z0-9]+|[A-Z]|\[[^\]]*\]|\([^)]*\)|str)\s+as\s+(.*)$/.exec(f);
  if (asTrait) f = asTrait[1];
  const m = f.match(/^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::(([A-Za-z_][A-Za-z0-9_]*)::)?/);
  if (!m) {
    if (fn.startsWith('__wbg') || fn.startsWith('__wbindgen') || fn.startsWith('__externref')) return 'wasm_bindgen';
    // Inherent methods of primitive types: <str>::to_ascii_lowercase, <char>::is_whitespace, <[u8]>::starts_with.
    if (/^<(str|char|\[[^\]]*\]|[iuf](8|16|32|64|128|size))>::/.test(fn)) return 'core';
    if (/^(memcpy|memset|memmove|memcmp|bcmp|strlen)$/.test(fn) || fn.startsWith('__')) return 'compiler_builtins';
    return 'other';
  }
  if (m[1] === 'genesys_billing') return m[4] ? `genesys_billing::${m[4]}` : 'genesys_billing';
  if (m[1] === 'core' && m[4] === 'fmt') return 'core::fmt';
  // The global allocator's shims (__rdl_alloc, __rdl_realloc, ...).
  if (m[1] === '__rustc') return 'alloc';
  return m[1];
}

/** Code bytes per crate and the largest functions of a parsed module with names. */
export function breakdown(mod, { top = 25 } = {}) {
  const byCrate = new Map();
  const fns = [];
  let codeTotal = 0;
  mod.bodies.forEach((len, i) => {
    const index = mod.importedFuncs + i;
    const name = mod.names.get(index);
    let crate = crateOf(name);
    // An export wasm-bindgen generated without a Rust path (a field getter, …) is a shim too.
    if (crate === 'other' && mod.exports?.get(index) === name) crate = 'wasm-bindgen shims';
    fns.push({ index, name: name ?? `(function ${index})`, crate, bytes: len, body: mod.buf?.subarray(mod.bodyStarts[i], mod.bodyStarts[i] + len) });
    const c = byCrate.get(crate) ?? { crate, bytes: 0, functions: 0 };
    c.bytes += len;
    c.functions++;
    byCrate.set(crate, c);
    codeTotal += len;
  });
  return {
    codeTotal,
    crates: [...byCrate.values()].sort((a, b) => b.bytes - a.bytes),
    functions: [...fns].sort((a, b) => b.bytes - a.bytes).slice(0, top),
    all: fns,
  };
}

/** True when two modules are byte for byte the same apart from their `name` sections. */
export function sameExceptNames(a, b) {
  const rest = (m) => m.sections.filter((s) => s.name !== 'custom:name');
  const ra = rest(a);
  const rb = rest(b);
  return ra.length === rb.length && ra.every((s, i) => s.id === rb[i].id && s.size === rb[i].size
    && a.buf.subarray(s.start, s.start + s.size).equals(b.buf.subarray(rb[i].start, rb[i].start + rb[i].size)));
}

/** True when two modules have the same function bodies, by count and by length in index order. */
export function sameBodies(a, b) {
  return a.importedFuncs === b.importedFuncs && a.bodies.length === b.bodies.length
    && a.bodies.every((len, i) => len === b.bodies[i]);
}
