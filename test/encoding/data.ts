/** Test-only data generators: seeded, covering the extremes every encoding must survive. */

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The page sizes that hit block, group and run boundaries. */
export const SIZES = [1, 8, 9, 128, 129, 130, 10001];

const I32_EXTREMES = [-2147483648, 2147483647, 0, -1, 1, -2147483647, 2147483646, 1 << 20, -(1 << 20)];
const I64_EXTREMES = [
  -(2n ** 63n),
  2n ** 63n - 1n,
  0n,
  -1n,
  1n,
  2n ** 32n,
  -(2n ** 32n),
  2n ** 31n,
  -(2n ** 31n) - 1n,
  1_700_000_000_000n,
];
const F_EXTREMES = [NaN, Infinity, -Infinity, -0, 0, 1.401298464324817e-45, 1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1.5, 0.1];
const D_EXTREMES = [NaN, Infinity, -Infinity, -0, 0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1, -1.5, 0.1];

function cycle<T>(base: T[], n: number, r: () => number, extra: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? base[Math.floor(r() * base.length)]! : extra(i)));
}

export interface Dataset<T> {
  name: string;
  values: T;
}

export function int32Sets(n: number, seed = n): Dataset<Int32Array>[] {
  const r = rng(seed);
  let walk = 0;
  return [
    { name: 'extremes', values: Int32Array.from(cycle(I32_EXTREMES, n, r, () => (r() * 4294967296) | 0)) },
    { name: 'walk', values: Int32Array.from({ length: n }, () => (walk += Math.floor(r() * 2001) - 1000)) },
    { name: 'runs', values: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 37) % 5) },
    { name: 'constant', values: new Int32Array(n).fill(-7) },
  ];
}

export function int64Sets(n: number, seed = n): Dataset<BigInt64Array>[] {
  const r = rng(seed);
  const bits64 = () => BigInt.asIntN(64, (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296)));
  let t = 1_700_000_000_000n;
  return [
    { name: 'extremes', values: BigInt64Array.from(cycle(I64_EXTREMES, n, r, bits64)) },
    { name: 'timestamps', values: BigInt64Array.from({ length: n }, () => (t += BigInt(990 + Math.floor(r() * 20)))) },
    { name: 'runs', values: BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.floor(i / 41) % 3) * 5_000_000_000n) },
  ];
}

/** Random raw bit patterns, NaN payloads included. */
function floatBits(n: number, r: () => number): Float32Array {
  const bits = Int32Array.from({ length: n }, () => (r() * 4294967296) | 0);
  return new Float32Array(bits.buffer);
}
function doubleBits(n: number, r: () => number): Float64Array {
  const bits = Int32Array.from({ length: 2 * n }, () => (r() * 4294967296) | 0);
  return new Float64Array(bits.buffer);
}

export function floatSets(n: number, seed = n): Dataset<Float32Array>[] {
  const r = rng(seed);
  let walk = 20;
  const random = floatBits(n, r);
  return [
    { name: 'extremes', values: Float32Array.from(cycle(F_EXTREMES, n, r, (i) => random[i]!)) },
    { name: 'walk2', values: Float32Array.from({ length: n }, () => Math.round((walk += r() - 0.5) * 100) / 100) },
    { name: 'positive', values: Float32Array.from({ length: n }, () => 1 + Math.round(r() * 9900) / 100) },
    { name: 'dyadic', values: Float32Array.from({ length: n }, () => Math.floor(r() * 64) / 4 - 8) },
  ];
}

export function doubleSets(n: number, seed = n): Dataset<Float64Array>[] {
  const r = rng(seed);
  let walk = 20;
  const random = doubleBits(n, r);
  return [
    { name: 'extremes', values: Float64Array.from(cycle(D_EXTREMES, n, r, (i) => random[i]!)) },
    { name: 'walk2', values: Float64Array.from({ length: n }, () => Math.round((walk += r() - 0.5) * 100) / 100) },
    { name: 'positive', values: Float64Array.from({ length: n }, () => 1 + Math.round(r() * 9900) / 100) },
    { name: 'dyadic', values: Float64Array.from({ length: n }, () => Math.floor(r() * 64) / 4 - 8) },
  ];
}

export function booleanSets(n: number, seed = n): Dataset<Uint8Array>[] {
  const r = rng(seed);
  return [
    { name: 'random', values: Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)) },
    { name: 'runs', values: Uint8Array.from({ length: n }, (_, i) => Math.floor(i / 13) % 2) },
  ];
}

const SAMPLES = ['', 'a', 'ab', 'héllo', '温度传感器', '🌡️ 21.5 °C', 'x'.repeat(300), 'comma,quote"newline\n'];

export function stringSets(n: number, seed = n): Dataset<string[]>[] {
  const r = rng(seed);
  return [
    { name: 'samples', values: Array.from({ length: n }, () => SAMPLES[Math.floor(r() * SAMPLES.length)]!) },
    { name: 'distinct', values: Array.from({ length: n }, (_, i) => `v${i}-${Math.floor(r() * 1e6)}`) },
    { name: 'empty', values: new Array<string>(n).fill('') },
  ];
}
