/**
 * Big-endian bit streams for decoders (tsfile-format.md §1.6, used by GORILLA, CHIMP, RLBE,
 * SPRINTZ, RLE and TS_2DIFF). Reads go through an unaligned big-endian 32-bit DataView load (the
 * fastest big-endian load V8 offers) shifted into place, so a read of up to 32 bits costs a handful
 * of integer operations and never a BigInt.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import { streamEnded } from './decode-error.js';
import type { DecodeContext } from './types.js';

/** Streams are addressed by bit with `>>> 3`, so they must stay below 2^29 bytes. */
const MAX_STREAM_BYTES = 0x1fffffff;

/** The big-endian 32-bit window starting at byte p of bytes[0, len); bytes past len read as zero. */
export function peek32(view: DataView, bytes: Uint8Array, len: number, p: number): number {
  if (p + 4 <= len) return view.getInt32(p);
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (p + k < len ? bytes[p + k]! : 0);
  return w;
}

/** Reads n bits (1..32) at bit `pos` as an int32 pattern; bits past len read as zero. */
export function readBits(view: DataView, bytes: Uint8Array, len: number, pos: number, n: number): number {
  const p = pos >>> 3;
  const s = pos & 7;
  let v = (peek32(view, bytes, len, p) << s) >>> (32 - n);
  if (s + n > 32) v |= (p + 4 < len ? bytes[p + 4]! : 0) >>> (40 - s - n);
  return v | 0;
}

/** Throws SIZE_LIMIT for streams too long to address by bit. */
export function checkStreamSize(n: number): void {
  if (n > MAX_STREAM_BYTES) {
    throw new TsFileError(ErrorCode.SIZE_LIMIT, 'encoded stream too large', { expected: `< ${MAX_STREAM_BYTES} bytes`, actual: `${n} bytes` });
  }
}

/**
 * A sequential bit reader. Reads past the end return zero bits instead of failing; callers check
 * `overrun()` once per value, which keeps the loops free of per-read error paths while still
 * never looping on exhausted input.
 */
export class BitReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Number of real bits in the stream. */
  readonly bitEnd: number;
  /** Next bit to read. */
  pos: number;

  constructor(src: Uint8Array, startByte = 0, endByte = src.length) {
    checkStreamSize(endByte - startByte);
    this.bytes = src.subarray(startByte, endByte);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.bitEnd = this.bytes.length * 8;
    this.pos = 0;
  }

  /** Reads n bits (1..32) and returns them as an int32 bit pattern. */
  read(n: number): number {
    const v = readBits(this.view, this.bytes, this.bytes.length, this.pos, n);
    this.pos += n;
    return v;
  }

  bit(): number {
    const p = this.pos;
    this.pos = p + 1;
    return p < this.bitEnd ? (this.bytes[p >>> 3]! >>> (7 - (p & 7))) & 1 : 0;
  }

  /** True once more bits were read than the stream holds. */
  overrun(): boolean {
    return this.pos > this.bitEnd;
  }

  /** Bits left in the stream (negative after an overrun). */
  get bitsLeft(): number {
    return this.bitEnd - this.pos;
  }

  /** Moves to the next byte boundary. */
  alignToByte(): void {
    this.pos = (this.pos + 7) & ~7;
  }
}

/**
 * Reads n bits (1..32) at bit offset `bit` of `src` as an int32 pattern; bytes past the end of `src`
 * count as zero (callers check beforehand that the bits they need exist).
 */
export function readBitsAt(src: Uint8Array, bit: number, n: number): number {
  const p = bit >>> 3;
  const s = bit & 7;
  const len = src.length;
  if (p + 5 <= len) {
    const w = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
    let v = (w << s) >>> (32 - n);
    if (s + n > 32) v |= src[p + 4]! >>> (40 - s - n);
    return v | 0;
  }
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (p + k < len ? src[p + k]! : 0);
  let v = (w << s) >>> (32 - n);
  if (s + n > 32) v |= (p + 4 < len ? src[p + 4]! : 0) >>> (40 - s - n);
  return v | 0;
}

/**
 * Unpacks `count` values of `width` bits (1..32), MSB first, starting at byte `byteStart` of `src`,
 * into out[outStart...] as int32 patterns. The caller has checked that ceil(count*width/8) bytes exist.
 */
export function unpackInt32(src: Uint8Array, byteStart: number, width: number, count: number, out: Int32Array, outStart: number): void {
  let bit = byteStart * 8;
  let i = 0;
  // Values whose 5-byte window lies inside src take the fast path; the last few the careful one.
  const fastEnd = (src.length - 5) * 8;
  const shiftDown = 32 - width;
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (width <= 25) {
    // width + (bit & 7) <= 32: one 32-bit window always suffices.
    for (; i < count && bit <= fastEnd; i++) {
      out[outStart + i] = (dv.getInt32(bit >>> 3) << (bit & 7)) >>> shiftDown;
      bit += width;
    }
  } else {
    for (; i < count && bit <= fastEnd; i++) {
      const p = bit >>> 3;
      const s = bit & 7;
      let v = (dv.getInt32(p) << s) >>> shiftDown;
      if (s + width > 32) v |= src[p + 4]! >>> (40 - s - width);
      out[outStart + i] = v;
      bit += width;
    }
  }
  for (; i < count; i++) {
    out[outStart + i] = readBitsAt(src, bit, width);
    bit += width;
  }
}

/**
 * Unpacks `count` values of `width` bits (1..64), MSB first, into lo/hi word pairs
 * words[2*(outStart+i)], words[2*(outStart+i)+1]. The caller has checked the bytes exist.
 */
export function unpackInt64(src: Uint8Array, byteStart: number, width: number, count: number, words: Int32Array, outStart: number): void {
  let bit = byteStart * 8;
  if (width <= 32) {
    for (let i = 0; i < count; i++) {
      words[2 * (outStart + i)] = readBitsAt(src, bit, width);
      words[2 * (outStart + i) + 1] = 0;
      bit += width;
    }
    return;
  }
  const hiWidth = width - 32;
  for (let i = 0; i < count; i++) {
    words[2 * (outStart + i) + 1] = readBitsAt(src, bit, hiWidth);
    words[2 * (outStart + i)] = readBitsAt(src, bit + hiWidth, 32);
    bit += width;
  }
}

/** Throws DECODE_FAILED unless `bytes` bytes remain after `pos` in a stream ending at `end`. */
export function needBytes(ctx: DecodeContext | undefined, what: string, pos: number, end: number, bytes: number, part?: string): void {
  // `part` is appended to `what` only when failing: hot loops pass it instead of building a string per call.
  if (bytes > end - pos) throw streamEnded(ctx, part === undefined ? what : `${what} ${part}`, pos, `${bytes} bytes`, `${end - pos} bytes`);
}
