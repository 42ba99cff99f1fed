/**
 * A bounds-checked reader over one encoded stream (tsfile-format.md §1.1–1.3 as used inside
 * pages). Unlike io/Cursor it raises DECODE_FAILED, names the stream position and reads 64-bit
 * values as lo/hi words, so no decoder needs BigInt.
 */
import { streamEnded, decodeFailed } from './decode-error.js';
import type { DecodeContext } from './types.js';

export class ByteReader {
  pos: number;
  /** Words of the last i64()/uvarint64() read. */
  lo = 0;
  hi = 0;

  constructor(
    readonly src: Uint8Array,
    readonly ctx: DecodeContext | undefined,
    readonly what: string,
    start = 0,
    readonly end = src.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  need(n: number, item: string): void {
    if (n > this.end - this.pos) {
      throw streamEnded(this.ctx, `${this.what} ${item}`, this.pos, `${n} bytes`, `${this.end - this.pos} bytes`);
    }
  }

  fail(message: string, expected?: string, actual?: string, at = this.pos): Error {
    return decodeFailed(this.ctx, `${this.what}: ${message}`, at, expected, actual);
  }

  u8(item: string): number {
    this.need(1, item);
    return this.src[this.pos++]!;
  }

  /** Big-endian int32. */
  i32(item: string): number {
    this.need(4, item);
    const s = this.src;
    const p = this.pos;
    this.pos = p + 4;
    return (s[p]! << 24) | (s[p + 1]! << 16) | (s[p + 2]! << 8) | s[p + 3]!;
  }

  /** Big-endian int64 into this.hi / this.lo. */
  i64(item: string): void {
    this.need(8, item);
    const s = this.src;
    const p = this.pos;
    this.hi = (s[p]! << 24) | (s[p + 1]! << 16) | (s[p + 2]! << 8) | s[p + 3]!;
    this.lo = (s[p + 4]! << 24) | (s[p + 5]! << 16) | (s[p + 6]! << 8) | s[p + 7]!;
    this.pos = p + 8;
  }

  /** Unsigned varint of at most 5 bytes (§1.2); returns the 32-bit pattern as an int32. */
  uvarint(item: string): number {
    const s = this.src;
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw streamEnded(this.ctx, `${this.what} ${item}`, start, 'a complete varint', 'end of stream');
      const b = s[this.pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (shift === 28 && b > 0x0f) break;
        return result;
      }
    }
    throw this.fail(`${item} is not a valid 32-bit varint`, 'at most 5 bytes', undefined, start);
  }

  /** Unsigned varint that must be a non-negative int32 (lengths, counts). */
  length(item: string): number {
    const at = this.pos;
    const v = this.uvarint(item);
    if (v < 0) throw this.fail(`${item} is too large`, 'below 2^31', String(v >>> 0), at);
    return v;
  }

  /** Zig-zag signed varint (§1.3). */
  svarint(item: string): number {
    const u = this.uvarint(item);
    return (u >>> 1) ^ -(u & 1);
  }

  /** Unsigned varint of at most 10 bytes (64-bit) into this.hi / this.lo. */
  uvarint64(item: string): void {
    const s = this.src;
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw streamEnded(this.ctx, `${this.what} ${item}`, start, 'a complete varint', 'end of stream');
      const b = s[this.pos++]!;
      const g = b & 0x7f;
      if (shift < 28) lo |= g << shift;
      else if (shift === 28) {
        lo |= g << 28;
        hi |= g >>> 4;
      } else hi |= g << (shift - 32);
      if ((b & 0x80) === 0) {
        if (shift === 63 && b > 1) break;
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    throw this.fail(`${item} is not a valid 64-bit varint`, 'at most 10 bytes', undefined, start);
  }

  /** A view of the next n bytes. */
  bytes(n: number, item: string): Uint8Array {
    this.need(n, item);
    const v = this.src.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}
