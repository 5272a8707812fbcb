// The seeded randomness and exact decimal formatting shared by the mock's dataset
// (tests/mock/dataset.mjs) and the benchmark's (benches/gen-dataset.mjs): pure functions of
// their keys, no clock, no Math.random, so every run sees the same data.
import { createHash } from 'node:crypto';

// A random stream keyed by its arguments (SHA-256 of the joined key seeds mulberry32), so each
// org, line or shape has a stream of its own and adding one never shifts the others.
export function stream(...key) {
  const digest = createHash('sha256').update(key.join('|')).digest();
  let state = digest.readUInt32LE(0);
  // mulberry32: small, fast, good enough for test data.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const shuffle = (list) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { next, int, pick: (list) => list[int(0, list.length - 1)], shuffle };
}

// n / 10^digits as an exact decimal string (n an integer).
export function scaled(n, digits) {
  if (digits === 0) return String(n);
  const s = String(Math.abs(n)).padStart(digits + 1, '0');
  return `${n < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
