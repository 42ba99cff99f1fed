/**
 * Deterministic mutators for TsFiles. Case `i` of a run with seed `s` is always the same mutant:
 * a PRNG seeded from (s, i) picks a seed file and one to three edits — bit flips and byte
 * overwrites anywhere, targeted edits of the fields the field map found (sizes and counts set to
 * boundary values, statistics and time-stream headers rewritten, varints re-encoded longer or
 * shorter), truncations, deletions, duplications and splices of byte ranges (within the file and
 * across seed files).
 */
import type { Field } from './field-map.js';

export interface Seed {
  name: string;
  bytes: Uint8Array;
  fields: Field[];
}

export interface Mutant {
  bytes: Uint8Array;
  /** Which seed and edits made it (for reports and fixture names). */
  how: string;
}

/** mulberry32: small, fast, and the same on every platform. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function caseSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ Math.floor(index / 4294967296), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const INT32_EDGES = [0, 1, -1, 2, 7, 8, 127, 128, 255, 256, 0x7fff, 0xffff, 0x7fffffff, -0x80000000, 0x3fffffff, 0x10000, 0x100000];
const INT64_EDGES = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 32n, -(2n ** 63n) + 1n, 2n ** 62n];
const VARINT_EDGES = [0, 1, 2, 127, 128, 255, 0x3fff, 0x4000, 0x7fffffff, 0xffffffff, 0xfffffffe, 0x10000000, 0x4000000, 1 << 22, (1 << 22) + 1];

type Rnd = () => number;
const pick = <T>(rnd: Rnd, a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);

function uvarintBytes(v: number): number[] {
  const out: number[] = [];
  let x = v >>> 0;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
  return out;
}

function splice(b: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

/** Keeps the footer's size field consistent after an edit that moved the end of the file by `delta` inside the metadata. */
function fixFooter(b: Uint8Array, delta: number): void {
  if (b.length < 10 || delta === 0) return;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setInt32(b.length - 10, v.getInt32(b.length - 10) + delta);
}

/** One edit of `b`; returns the new bytes and a short description. */
function edit(b: Uint8Array, seed: Seed, seeds: readonly Seed[], rnd: Rnd): [Uint8Array, string] {
  const fields = seed.fields.filter((f) => f.offset + f.length <= b.length);
  const r = rnd();
  if (r < 0.18 || fields.length === 0) {
    // Bit flips anywhere.
    const out = b.slice();
    const n = 1 + int(rnd, 4);
    for (let k = 0; k < n && out.length > 0; k++) out[int(rnd, out.length)]! ^= 1 << int(rnd, 8);
    return [out, `flip${n}`];
  }
  if (r < 0.26) {
    const out = b.slice();
    const at = int(rnd, Math.max(1, out.length));
    const n = 1 + int(rnd, 8);
    for (let k = 0; k < n && at + k < out.length; k++) out[at + k] = int(rnd, 256);
    return [out, `bytes@${at}`];
  }
  if (r < 0.62) {
    const f = pick(rnd, fields);
    return editField(b, f, rnd);
  }
  if (r < 0.7) {
    // Truncate: anywhere, or at a field boundary.
    const at = rnd() < 0.5 ? int(rnd, b.length) : pick(rnd, fields).offset;
    return [b.slice(0, at), `cut@${at}`];
  }
  if (r < 0.78) {
    // Delete a range (a field, or random bytes); the footer is kept consistent half the time.
    const f = rnd() < 0.6 ? pick(rnd, fields) : { offset: int(rnd, b.length), length: 1 + int(rnd, 16) };
    const len = Math.min(f.length, b.length - f.offset);
    const out = splice(b, f.offset, len, []);
    if (rnd() < 0.5) fixFooter(out, -len);
    return [out, `del@${f.offset}+${len}`];
  }
  if (r < 0.86) {
    // Duplicate a field or page body in place.
    const f = pick(rnd, fields);
    const part = b.slice(f.offset, f.offset + f.length);
    const out = splice(b, f.offset, 0, part);
    if (rnd() < 0.5) fixFooter(out, part.length);
    return [out, `dup@${f.offset}+${part.length}`];
  }
  // Splice: overwrite a field-sized range with bytes from elsewhere (this file or another seed).
  const donor = rnd() < 0.5 ? seed : pick(rnd, seeds);
  const src = donor.fields.length > 0 ? pick(rnd, donor.fields) : { offset: 0, length: 16 };
  const from = donor.bytes.subarray(src.offset, src.offset + Math.min(src.length, 256));
  const at = pick(rnd, fields).offset;
  const out = b.slice();
  out.set(from.subarray(0, Math.max(0, out.length - at)), at);
  return [out, `splice@${at}<${donor.name}:${src.offset}`];
}

function editField(b: Uint8Array, f: Field, rnd: Rnd): [Uint8Array, string] {
  const out = b.slice();
  const v = new DataView(out.buffer);
  const tag = `${f.what}@${f.offset}`;
  switch (f.kind) {
    case 'u8':
      out[f.offset] = rnd() < 0.5 ? pick(rnd, [0, 1, 2, 3, 4, 5, 8, 9, 0x0f, 0x7f, 0x80, 0xff]) : int(rnd, 256);
      return [out, tag];
    case 'i16':
      v.setInt16(f.offset, pick(rnd, INT32_EDGES));
      return [out, tag];
    case 'i32': {
      const old = v.getInt32(f.offset);
      v.setInt32(f.offset, rnd() < 0.7 ? pick(rnd, INT32_EDGES) : old + pick(rnd, [-1, 1, -8, 8, old]) | 0);
      return [out, tag];
    }
    case 'i64': {
      const old = v.getBigInt64(f.offset);
      v.setBigInt64(f.offset, BigInt.asIntN(64, rnd() < 0.6 ? pick(rnd, INT64_EDGES) : old + pick(rnd, [-1n, 1n, -1000n, 1000n, old, -old])));
      return [out, tag];
    }
    case 'f32':
    case 'f64':
      for (let k = 0; k < f.length; k++) out[f.offset + k] = int(rnd, 256);
      return [out, tag];
    case 'uvarint':
    case 'svarint': {
      // Re-encode with another value: the file grows or shrinks where the varint changed length.
      const value = rnd() < 0.6 ? pick(rnd, VARINT_EDGES) : int(rnd, 1 << int(rnd, 32));
      const bytes = uvarintBytes(value);
      const spliced = splice(b, f.offset, f.length, bytes);
      if (rnd() < 0.5) fixFooter(spliced, bytes.length - f.length);
      return [spliced, `${tag}=${value}`];
    }
    case 'timeHeader': {
      // TS_2DIFF block header: i32 count, i32 width, i64 minDelta, i64 first.
      const which = int(rnd, 4);
      if (which === 0) v.setInt32(f.offset, pick(rnd, INT32_EDGES));
      else if (which === 1) v.setInt32(f.offset + 4, pick(rnd, [0, 1, 63, 64, 65, -1, 32]));
      else v.setBigInt64(f.offset + (which === 2 ? 8 : 16), pick(rnd, INT64_EDGES.concat([-5n, -1000n])));
      return [out, `${tag}#${which}`];
    }
    case 'body':
    case 'bytes': {
      const n = 1 + int(rnd, 3);
      for (let k = 0; k < n && f.length > 0; k++) {
        const at = f.offset + int(rnd, f.length);
        if (rnd() < 0.5) out[at]! ^= 1 << int(rnd, 8);
        else out[at] = int(rnd, 256);
      }
      return [out, tag];
    }
  }
}

/** Mutant number `index` of the run `runSeed` over `seeds`. */
export function mutant(seeds: readonly Seed[], runSeed: number, index: number): Mutant {
  const rnd = prng(caseSeed(runSeed, index));
  const seed = seeds[int(rnd, seeds.length)]!;
  let bytes = seed.bytes;
  const edits = 1 + (rnd() < 0.3 ? int(rnd, 3) : 0);
  const how: string[] = [];
  for (let k = 0; k < edits; k++) {
    const [next, what] = edit(bytes, seed, seeds, rnd);
    bytes = next;
    how.push(what);
  }
  return { bytes, how: `${seed.name}: ${how.join(', ')}` };
}
