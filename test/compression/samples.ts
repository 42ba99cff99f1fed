/** Deterministic sample inputs for codec round trips: empty, one byte, random and repetitive data. */

/** A small seeded generator (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(n: number, seed = 1): Uint8Array {
  const rnd = seededRandom(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

/** Short repeated phrases with some noise: what compressors find matches in. */
export function repetitiveBytes(n: number, seed = 2): Uint8Array {
  const rnd = seededRandom(seed);
  const words = ['root.sg.d1', 'temperature', '\u0000\u0000\u0000\u0001', 'abcabcabc', 'zzzzzzzzzzzzzzzzzzzz'];
  const text = new TextEncoder();
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const w = rnd() < 0.1 ? new Uint8Array([Math.floor(rnd() * 256)]) : text.encode(words[Math.floor(rnd() * words.length)]!);
    const len = Math.min(w.length, n - i);
    out.set(w.subarray(0, len), i);
    i += len;
  }
  return out;
}

/** A slowly varying big-endian int64 series, like a PLAIN-encoded page body. */
export function int64SeriesBytes(points: number, seed = 3): Uint8Array {
  const rnd = seededRandom(seed);
  const out = new Uint8Array(points * 8);
  const view = new DataView(out.buffer);
  let v = 1_700_000_000_000;
  for (let i = 0; i < points; i++) {
    v += Math.floor(rnd() * 2000) - 1000;
    view.setUint32(i * 8, Math.floor(v / 4294967296));
    view.setUint32(i * 8 + 4, v >>> 0);
  }
  return out;
}

/** The round-trip inputs every codec must handle: 0 bytes, 1 byte, and 64 KiB+ of each kind. */
export function roundTripSamples(): Array<[string, Uint8Array]> {
  return [
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([0x5a])],
    ['random 70000', randomBytes(70_000)],
    ['repetitive 70000', repetitiveBytes(70_000)],
    ['all zero 200000', new Uint8Array(200_000)],
    ['int64 series 80000', int64SeriesBytes(10_000)],
  ];
}

/** `count` copies of `valid`, each with a few bytes changed, cut short, or both. */
export function mutations(valid: Uint8Array, count: number, seed = 9): Uint8Array[] {
  const rnd = seededRandom(seed);
  const out: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    let m = valid.slice();
    const edits = 1 + Math.floor(rnd() * 4);
    for (let e = 0; e < edits && m.length > 0; e++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    if (rnd() < 0.3) m = m.subarray(0, Math.floor(rnd() * m.length));
    out.push(m);
  }
  return out;
}

/** Index of the first differing byte (or the shorter length), -1 when equal: fast on large arrays. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
