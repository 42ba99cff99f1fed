/**
 * The series bloom filter of TsFileMetadata (tsfile-format.md §13.6): Murmur3 x64 128 with
 * sign-extended tail bytes, the two halves added, seeds 5 7 11 19 31 37 43 59; bit array in
 * `java.util.BitSet.toByteArray` layout (little-endian bit order, truncated after the last non-zero
 * byte). Entries are `deviceString + "." + measurement`. Hashing uses BigInt: it runs once per series
 * and hash function, never per point.
 */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';

const SEEDS = [5, 7, 11, 19, 31, 37, 43, 59] as const;
const M64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;
const MIN_SIZE_IN_BITS = 256;
const MAX_HASH_FUNCTIONS = 8;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & M64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & M64;
  k ^= k >> 33n;
  return k;
}

function le64(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i]!);
  return v;
}

/** A tail byte sign-extended to 64 bits (the §13.6 quirk). */
function sx(byte: number): bigint {
  return BigInt.asUintN(64, BigInt((byte << 24) >> 24));
}

/** Murmur3 x64 128 of `data` with both halves added (mod 2^64), as used by the bloom filter. */
export function murmur3x64Sum(data: Uint8Array, seed: number): bigint {
  let h1 = BigInt(seed) & M64;
  let h2 = h1;
  const n = data.length;
  const blocks = n >> 4;
  for (let i = 0; i < blocks; i++) {
    let k1 = le64(data, i * 16);
    let k2 = le64(data, i * 16 + 8);
    k1 = (k1 * C1) & M64;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & M64;
    h1 ^= k1;
    h1 = rotl(h1, 27n);
    h1 = (h1 + h2) & M64;
    h1 = (h1 * 5n + 0x52dce729n) & M64;
    k2 = (k2 * C2) & M64;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & M64;
    h2 ^= k2;
    h2 = rotl(h2, 31n);
    h2 = (h2 + h1) & M64;
    h2 = (h2 * 5n + 0x38495ab5n) & M64;
  }
  const tail = blocks * 16;
  const r = n & 15;
  if (r > 8) {
    let k2 = 0n;
    for (let j = 8; j < r; j++) k2 ^= (sx(data[tail + j]!) << BigInt(8 * (j - 8))) & M64;
    k2 = (k2 * C2) & M64;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & M64;
    h2 ^= k2;
  }
  if (r > 0) {
    let k1 = 0n;
    for (let j = 0; j < Math.min(r, 8); j++) k1 ^= (sx(data[tail + j]!) << BigInt(8 * j)) & M64;
    k1 = (k1 * C1) & M64;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & M64;
    h1 ^= k1;
  }
  const len = BigInt(n);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  return (h1 + h2) & M64;
}

const textEncoder = new TextEncoder();

/** Java reads the size as an int: anything larger is not a size a writer produced. */
export const MAX_SIZE_IN_BITS = 2 ** 31 - 1;

/**
 * A bloom filter over series paths. A filter read from a file keeps only the bytes the file holds
 * (the bits past them are zero, §13.6), so its claimed size never drives an allocation; the hash
 * count is bounded by the eight seeds that exist.
 */
export class BloomFilter {
  /** Bit array, one byte per 8 bits, bit i at byte i>>3 mask 1<<(i&7); missing trailing bytes are zero. */
  private store: Uint8Array;

  constructor(
    readonly sizeInBits: number,
    readonly hashFunctionCount: number,
    bits?: Uint8Array,
  ) {
    checkParameters(sizeInBits, hashFunctionCount, bits?.length ?? 0);
    const full = Math.ceil(sizeInBits / 8);
    this.store = bits === undefined ? new Uint8Array(full) : bits.slice(0, Math.min(bits.length, full));
  }

  /** The bit bytes held (up to the last one the file stored, or the full size for a filter being built). */
  get bits(): Uint8Array {
    return this.store;
  }

  /** The filter Java creates for `expectedEntries` (Java passes the number of chunks) at `errorRate`. */
  static forExpectedEntries(expectedEntries: number, errorRate = 0.05): BloomFilter {
    const p = Math.min(0.1, Math.max(0.01, errorRate));
    const size = Math.max(MIN_SIZE_IN_BITS, Math.floor((-expectedEntries * Math.log(p)) / (Math.LN2 * Math.LN2)) + 1);
    const k = Math.min(MAX_HASH_FUNCTIONS, Math.floor(-Math.log(p) / Math.LN2) + 1);
    return new BloomFilter(size, k);
  }

  private positions(path: string): number[] {
    const data = textEncoder.encode(path);
    const out: number[] = [];
    for (let i = 0; i < this.hashFunctionCount; i++) {
      let h = Number(BigInt.asIntN(32, murmur3x64Sum(data, SEEDS[i]!)));
      if (h === -2147483648) h = 0;
      out.push(Math.abs(h) % this.sizeInBits);
    }
    return out;
  }

  add(path: string): void {
    for (const p of this.positions(path)) {
      if (p >> 3 >= this.store.length) {
        const grown = new Uint8Array(Math.ceil(this.sizeInBits / 8));
        grown.set(this.store);
        this.store = grown;
      }
      this.store[p >> 3]! |= 1 << (p & 7);
    }
  }

  mightContain(path: string): boolean {
    return this.positions(path).every((p) => ((this.store[p >> 3] ?? 0) & (1 << (p & 7))) !== 0);
  }

  /** `BitSet.toByteArray`: the bit bytes up to the last non-zero one. */
  serializedBits(): Uint8Array {
    let end = this.store.length;
    while (end > 0 && this.store[end - 1] === 0) end--;
    return this.store.subarray(0, end);
  }
}

function checkParameters(size: number, k: number, byteLen: number): void {
  // The last stored byte must hold a bit below `size`.
  const minSize = byteLen === 0 ? 1 : (byteLen - 1) * 8 + 1;
  if (!Number.isSafeInteger(size) || size < minSize || size > MAX_SIZE_IN_BITS || !Number.isSafeInteger(k) || k < 1 || k > MAX_HASH_FUNCTIONS) {
    throw new TsFileError(ErrorCode.CORRUPT, 'inconsistent bloom filter', {
      expected: `size ${minSize}..${MAX_SIZE_IN_BITS} bits, 1..${MAX_HASH_FUNCTIONS} hash functions`,
      actual: `size ${size}, ${k} hash functions`,
    });
  }
}

/** Reads the bloom filter field of TsFileMetadata (§13.5 field 6); `undefined` when it holds no bits. */
export function readBloomFilter(c: Cursor): BloomFilter | undefined {
  const at = c.offset;
  const byteLen = c.uvarint('bloom filter length');
  if (byteLen === 0) return undefined;
  const bits = c.bytesView(byteLen, 'bloom filter bits');
  const size = c.uvarint('bloom filter size');
  const k = c.uvarint('bloom filter hash count');
  try {
    return new BloomFilter(size, k, bits);
  } catch (e) {
    if (e instanceof TsFileError) throw c.error(ErrorCode.CORRUPT, 'inconsistent bloom filter', e.expected, e.actual, at);
    throw e;
  }
}
