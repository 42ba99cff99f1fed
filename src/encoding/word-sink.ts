/**
 * Output of the less common 64-bit decoders: lo/hi word pairs (see int64.ts), either exactly
 * `count` of them into a caller-sized array, or — for a time column, whose length is only known at
 * the end of the stream — a growing array bounded by a caller-given limit (SIZE_LIMIT beyond it).
 */
import { countMismatch, streamEnded, tooManyValues } from './decode-error.js';
import { growWords } from './int64.js';
import type { DecodeContext } from './types.js';

export class WordSink {
  words: Int32Array;
  n = 0;

  /**
   * @param count exact number of values expected, or -1 for "until the stream ends"
   * @param limit most values accepted when count is -1
   */
  constructor(
    readonly count: number,
    readonly limit: number,
    readonly ctx: DecodeContext | undefined,
    readonly what: string,
    words?: Int32Array,
  ) {
    this.words = words ?? new Int32Array(2 * (count >= 0 ? count : Math.min(limit, 1024)));
  }

  get exact(): boolean {
    return this.count >= 0;
  }

  /** How many more values may still come. */
  get room(): number {
    return (this.count >= 0 ? this.count : this.limit) - this.n;
  }

  /** Throws unless `k` more values fit (checked before a run is expanded, so nothing is sized by a bad field). */
  reserve(k: number, at: number): void {
    if (k > this.room) {
      if (this.count >= 0) throw countMismatch(this.ctx, `${this.what} holds more values than the page`, at, this.count, this.n + k);
      throw tooManyValues(this.ctx, this.what, this.limit, this.n + k);
    }
    if (2 * (this.n + k) > this.words.length) this.words = growWords(this.words, 2 * (this.n + k));
  }

  /** Appends one value; the caller reserved room. */
  push(lo: number, hi: number): void {
    this.words[2 * this.n] = lo;
    this.words[2 * this.n + 1] = hi;
    this.n++;
  }

  /** Checks an exact count was reached. */
  finish(at: number): void {
    if (this.count >= 0 && this.n !== this.count) throw streamEnded(this.ctx, this.what, at, `${this.count} values`, `${this.n} values`);
  }

  /** The values as a BigInt64Array of exactly n elements (a copy only when the array grew). */
  toInt64(): BigInt64Array {
    if (this.words.length === 2 * this.n) return new BigInt64Array(this.words.buffer, this.words.byteOffset, this.n);
    const out = new BigInt64Array(this.n);
    new Int32Array(out.buffer).set(this.words.subarray(0, 2 * this.n));
    return out;
  }
}
