// Loads the package's Node build (pkg/node/index.mjs) and keeps a handle on its wasm
// instance, which the glue does not export: WebAssembly.Instance is wrapped for the duration
// of the import, so `memory()` can read the module's linear memory size
// (instance.exports.memory.buffer.byteLength; wasm memory only grows, so it is also the peak).

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// BENCH_PKG=DIR loads DIR/node/index.mjs instead (a copy of pkg/, e.g. while pkg/ is rebuilt).
const PKG = process.env.BENCH_PKG
  ? resolve(process.env.BENCH_PKG, 'node/index.mjs')
  : fileURLToPath(new URL('../../pkg/node/index.mjs', import.meta.url));

export async function loadWasm() {
  const Original = WebAssembly.Instance;
  const instances = [];
  function Capturing(module, imports) {
    const instance = new Original(module, imports);
    instances.push(instance);
    return instance;
  }
  Capturing.prototype = Original.prototype;
  WebAssembly.Instance = Capturing;
  let api;
  try {
    api = await import(PKG);
  } finally {
    WebAssembly.Instance = Original;
  }
  const instance = instances.find((i) => i.exports.memory instanceof WebAssembly.Memory);
  return {
    api,
    memoryBytes: () => (instance ? instance.exports.memory.buffer.byteLength : null),
  };
}
