/**
 * Growable typed buffers holding the points of one chunk group until it is flushed (tsfile-format.md
 * §4, §16.1 chunk group size). Values are stored densely in the §8 shapes (nulls are not stored; an
 * aligned column keeps a per-row presence byte beside them), so a flush hands typed-array views
 * straight to the page encoders.
 */
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import { DataType } from '../format/codes.js';

export type FixedArray = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/**
 * Below QUADRUPLE_BELOW entries a buffer grows fourfold: a series filling a chunk group from small
 * batches then copies and allocates a third as much as by doubling (its regrowth was a fifth of a
 * write's time); larger buffers double, so memory overshoot stays bounded where it matters.
 */
const QUADRUPLE_BELOW = 1 << 16;

function grow<T extends FixedArray>(a: T, need: number): T {
  if (need <= a.length) return a;
  let cap = Math.max(16, a.length < QUADRUPLE_BELOW ? a.length * 4 : a.length * 2);
  while (cap < need) cap *= cap < QUADRUPLE_BELOW ? 4 : 2;
  const next = new (a.constructor as new (n: number) => T)(cap);
  next.set(a as never);
  return next;
}

/**
 * Copies src[i] for i in [from, to) with valid[i] != 0 to dst from index `at`; returns the new end.
 * 64-bit integers move as two 32-bit words, so no BigInt is created per value.
 */
export function compactInto(dst: FixedArray, at: number, src: FixedArray, valid: Uint8Array, from: number, to: number): number {
  if (dst instanceof BigInt64Array) {
    const d = new Int32Array(dst.buffer, dst.byteOffset, dst.length * 2);
    const s = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
    for (let i = from; i < to; i++) {
      if (valid[i] === 0) continue;
      d[2 * at] = s[2 * i]!;
      d[2 * at + 1] = s[2 * i + 1]!;
      at++;
    }
    return at;
  }
  const d = dst as Exclude<FixedArray, BigInt64Array>;
  const s = src as Exclude<FixedArray, BigInt64Array>;
  for (let i = from; i < to; i++) if (valid[i] !== 0) d[at++] = s[i]!;
  return at;
}

/**
 * Timestamps of buffered rows. A write whose rows start a fresh buffer may lend its own array
 * instead (`borrow`): its complete pages are then encoded straight from the input, and only the
 * rows left over are copied, by `settle`, before the write returns.
 */
export class TimeBuffer {
  private own: BigInt64Array = new BigInt64Array(256);
  /** `own`, or a borrowed input array. */
  private buf: BigInt64Array = this.own;
  private off = 0;
  length = 0;

  /** Appends rows [from, to) of `src`, or only the rows whose `valid` byte is 1. */
  append(src: BigInt64Array, valid: Uint8Array | undefined, from = 0, to = src.length): void {
    this.settle();
    this.own = this.buf = grow(this.own, this.length + (to - from));
    if (valid === undefined) {
      this.own.set(src.subarray(from, to), this.length);
      this.length += to - from;
      return;
    }
    this.length = compactInto(this.own, this.length, src, valid, from, to);
  }

  /** Takes rows [from, to) of `src` in place; the buffer must be empty, and `settle` called before `src` may change. */
  borrow(src: BigInt64Array, from: number, to: number): void {
    this.buf = src;
    this.off = from;
    this.length = to - from;
  }

  /** Copies borrowed rows still buffered into the buffer's own storage. */
  settle(): void {
    if (this.buf === this.own) return;
    this.own = grow(this.own, this.length);
    this.own.set(this.buf.subarray(this.off, this.off + this.length));
    this.buf = this.own;
    this.off = 0;
  }

  view(): BigInt64Array {
    return this.buf.subarray(this.off, this.off + this.length);
  }

  /** Removes the first `n` entries (sealed into pages). */
  dropPrefix(n: number): void {
    if (this.buf !== this.own) this.off += n;
    else this.own.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** The last buffered time (one BigInt, not per point). */
  last(): bigint | undefined {
    return this.length === 0 ? undefined : this.buf[this.off + this.length - 1];
  }

  clear(): void {
    this.length = 0;
    this.buf = this.own;
    this.off = 0;
    if (this.own.length > 1 << 16) this.own = this.buf = new BigInt64Array(1024);
  }
}

/** Presence bytes (1 = value, 0 = null) of the rows of an aligned column. */
export class PresenceBuffer {
  private buf = new Uint8Array(1024);
  length = 0;
  /** Number of 0 bytes. */
  nulls = 0;

  append(valid: Uint8Array | undefined, from: number, to: number): void {
    this.buf = grow(this.buf, this.length + (to - from));
    if (valid === undefined) {
      this.buf.fill(1, this.length, this.length + (to - from));
    } else {
      let at = this.length;
      for (let i = from; i < to; i++) {
        const v = valid[i] === 0 ? 0 : 1;
        this.buf[at++] = v;
        this.nulls += 1 - v;
      }
    }
    this.length += to - from;
  }

  /** Appends `n` null rows (a column absent from a write). */
  appendNulls(n: number): void {
    this.buf = grow(this.buf, this.length + n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    this.nulls += n;
  }

  /** undefined when every row has a value. */
  view(): Uint8Array | undefined {
    return this.nulls === 0 ? undefined : this.buf.subarray(0, this.length);
  }

  /** Number of present rows among the first `n`. */
  countPresent(n: number): number {
    if (this.nulls === 0) return n;
    let k = 0;
    for (let i = 0; i < n; i++) k += this.buf[i]!;
    return k;
  }

  /** Removes the first `n` rows. */
  dropPrefix(n: number): void {
    if (this.nulls > 0) {
      let dropped = 0;
      for (let i = 0; i < n; i++) dropped += 1 - this.buf[i]!;
      this.nulls -= dropped;
    }
    this.buf.copyWithin(0, n, this.length);
    this.length -= n;
  }

  clear(): void {
    this.length = 0;
    this.nulls = 0;
  }
}

/** Dense (non-null) values of one column in the shape of its data type. */
export class ValueBuffer {
  private fixed: FixedArray | undefined;
  /** A borrowed input array holding the values from `lentFrom` (see TimeBuffer.borrow). */
  private lent: FixedArray | undefined;
  private lentFrom = 0;
  private offsets: Int32Array | undefined;
  private data: Uint8Array | undefined;
  /** Number of values. */
  length = 0;

  constructor(readonly dataType: DataType) {
    this.reset();
  }

  private reset(): void {
    switch (this.dataType) {
      case DataType.BOOLEAN:
        this.fixed = new Uint8Array(256);
        break;
      case DataType.INT32:
      case DataType.DATE:
        this.fixed = new Int32Array(256);
        break;
      case DataType.INT64:
      case DataType.TIMESTAMP:
        this.fixed = new BigInt64Array(256);
        break;
      case DataType.FLOAT:
        this.fixed = new Float32Array(256);
        break;
      case DataType.DOUBLE:
        this.fixed = new Float64Array(256);
        break;
      default:
        this.offsets = new Int32Array(257);
        this.data = new Uint8Array(1024);
    }
  }

  /**
   * Takes rows [from, to) of a fixed-width `src` in place like TimeBuffer.borrow; false (nothing
   * done) for binary values or a non-empty buffer.
   */
  borrow(src: ColumnValues, from: number, to: number): boolean {
    if (this.fixed === undefined || this.length !== 0 || 'offsets' in src) return false;
    this.lent = src;
    this.lentFrom = from;
    this.length = to - from;
    return true;
  }

  /** Copies borrowed values still buffered into the buffer's own storage. */
  settle(): void {
    const lent = this.lent;
    if (lent === undefined) return;
    this.lent = undefined;
    this.fixed = grow(this.fixed!, this.length);
    this.fixed.set(lent.subarray(this.lentFrom, this.lentFrom + this.length) as never);
  }

  /** Appends rows [from, to) of `src` (one value per row) whose `valid` byte is not 0. */
  append(src: ColumnValues, valid: Uint8Array | undefined, from: number, to: number): void {
    this.settle();
    if (this.fixed !== undefined) {
      const s = src as FixedArray;
      this.fixed = grow(this.fixed, this.length + (to - from));
      if (valid === undefined) {
        this.fixed.set(s.subarray(from, to) as never, this.length);
        this.length += to - from;
      } else {
        this.length = compactInto(this.fixed, this.length, s, valid, from, to);
      }
      return;
    }
    const b = src as BinaryValues;
    const o = b.offsets;
    let bytes = 0;
    if (valid === undefined) bytes = o[to]! - o[from]!;
    else for (let i = from; i < to; i++) if (valid[i] !== 0) bytes += o[i + 1]! - o[i]!;
    this.offsets = grow(this.offsets!, this.length + (to - from) + 1);
    const end = this.offsets[this.length]!;
    this.data = grow(this.data!, end + bytes);
    if (valid === undefined) {
      this.data.set(b.data.subarray(o[from]!, o[to]!), end);
      const shift = end - o[from]!;
      for (let i = from; i < to; i++) this.offsets[++this.length] = o[i + 1]! + shift;
    } else {
      let at = end;
      for (let i = from; i < to; i++) {
        if (valid[i] === 0) continue;
        const len = o[i + 1]! - o[i]!;
        this.data.set(b.data.subarray(o[i]!, o[i + 1]!), at);
        at += len;
        this.offsets[++this.length] = at;
      }
    }
  }

  view(): ColumnValues {
    if (this.lent !== undefined) return this.lent.subarray(this.lentFrom, this.lentFrom + this.length);
    if (this.fixed !== undefined) return this.fixed.subarray(0, this.length);
    const end = this.offsets![this.length]!;
    return { offsets: this.offsets!.subarray(0, this.length + 1), data: this.data!.subarray(0, end) };
  }

  /** Removes the first `n` values. */
  dropPrefix(n: number): void {
    if (n === 0) return;
    if (this.lent !== undefined) {
      this.lentFrom += n;
    } else if (this.fixed !== undefined) {
      this.fixed.copyWithin(0, n, this.length);
    } else {
      const o = this.offsets!;
      const base = o[n]!;
      const end = o[this.length]!;
      this.data!.copyWithin(0, base, end);
      for (let i = n; i <= this.length; i++) o[i - n] = o[i]! - base;
    }
    this.length -= n;
  }

  /** Approximate bytes held, for the chunk group threshold. */
  byteSize(): number {
    if (this.fixed !== undefined) return this.length * this.fixed.BYTES_PER_ELEMENT;
    return this.offsets![this.length]! + 4 * this.length;
  }

  clear(): void {
    this.length = 0;
    this.lent = undefined;
    const big = this.fixed !== undefined ? this.fixed.length > 1 << 16 : this.data!.length > 1 << 20;
    if (big) this.reset();
  }
}
