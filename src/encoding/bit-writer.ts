/**
 * Big-endian bit streams for encoders (tsfile-format.md §1.6): the first bit written becomes the
 * most significant bit of the first byte; the last byte is padded with zero bits on the right.
 * Also packs groups of fixed-width values the way RLE, TS_2DIFF and SPRINTZ store them.
 *
 * Bits gather in a 32-bit accumulator and reach the byte buffer a whole word at a time, so a value
 * costs a shift, an OR and, every 32 bits, four byte stores — never a loop over its bits.
 */
import { ByteWriter } from './byte-writer.js';

export class BitWriter {
  readonly out: ByteWriter;
  /** Pending bits, most significant first (the top `fill` bits are used, the rest are 0). */
  private acc = 0;
  private fill = 0;

  constructor(out = new ByteWriter()) {
    this.out = out;
  }

  /** Number of bits written so far. */
  get bitLength(): number {
    return this.out.length * 8 + this.fill;
  }

  private word(x: number): void {
    const out = this.out;
    out.reserve(4);
    const b = out.buf;
    const p = out.length;
    b[p] = x >>> 24;
    b[p + 1] = x >>> 16;
    b[p + 2] = x >>> 8;
    b[p + 3] = x;
    out.length = p + 4;
  }

  /** Appends the low n bits (0..32) of v, most significant first. */
  write(v: number, n: number): void {
    if (n <= 0) return;
    if (n < 32) v &= (1 << n) - 1;
    const free = 32 - this.fill;
    if (n < free) {
      this.acc |= v << (free - n);
      this.fill += n;
      return;
    }
    const rest = n - free;
    this.word(this.acc | (v >>> rest));
    this.fill = rest;
    this.acc = rest === 0 ? 0 : v << (32 - rest);
  }

  bit(b: number): void {
    this.write(b, 1);
  }

  /** Appends the low n bits (0..64) of the 64-bit value hi:lo. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else {
      this.write(lo, n);
    }
  }

  /**
   * Pads the current byte with zero bits (nothing when already on a byte boundary) and moves every
   * pending byte to `out`, which then holds the whole stream.
   */
  alignToByte(): void {
    const out = this.out;
    let fill = this.fill;
    if (fill === 0) return;
    out.reserve(4);
    const b = out.buf;
    let acc = this.acc;
    let p = out.length;
    while (fill > 0) {
      b[p++] = acc >>> 24;
      acc <<= 8;
      fill -= 8;
    }
    out.length = p;
    this.acc = 0;
    this.fill = 0;
  }

  /** True when the next bit starts a new byte. */
  get aligned(): boolean {
    return (this.fill & 7) === 0;
  }

  /** Pads to a byte and returns a copy of the stream. */
  toBytes(): Uint8Array {
    this.alignToByte();
    return this.out.toBytes();
  }
}

/** Packs count values (low `width` bits each, 1..32) MSB first into ceil(count*width/8) bytes. */
export function packInt32(values: Int32Array, start: number, count: number, width: number, out: ByteWriter): void {
  packWords(values, start, 1, count, width, out);
}

/**
 * Packs count values values[start + k*stride] (low `width` bits each, 1..32) MSB first into
 * ceil(count*width/8) bytes appended to `out`.
 */
export function packWords(values: Int32Array, start: number, stride: number, count: number, width: number, out: ByteWriter): void {
  out.reserve(((count * width + 7) >>> 3) + 4);
  const b = out.buf;
  let p = out.length;
  const mask = width === 32 ? -1 : (1 << width) - 1;
  let acc = 0;
  let fill = 0;
  let i = start;
  for (let k = 0; k < count; k++, i += stride) {
    const v = values[i]! & mask;
    const free = 32 - fill;
    if (width < free) {
      acc |= v << (free - width);
      fill += width;
    } else {
      const rest = width - free;
      const x = acc | (v >>> rest);
      b[p] = x >>> 24;
      b[p + 1] = x >>> 16;
      b[p + 2] = x >>> 8;
      b[p + 3] = x;
      p += 4;
      fill = rest;
      acc = rest === 0 ? 0 : v << (32 - rest);
    }
  }
  while (fill > 0) {
    b[p++] = acc >>> 24;
    acc <<= 8;
    fill -= 8;
  }
  out.length = p;
}

/** Packs count 64-bit values given as lo/hi word pairs (width 1..64) MSB first. */
export function packInt64(words: Int32Array, start: number, count: number, width: number, out: ByteWriter): void {
  // Values of at most 32 bits have a zero high word: pack the low words only.
  if (width <= 32) {
    packWords(words, 2 * start, 2, count, width, out);
    return;
  }
  const w = new BitWriter(out);
  const hiBits = width - 32;
  for (let i = start; i < start + count; i++) {
    w.write(words[2 * i + 1]!, hiBits);
    w.write(words[2 * i]!, 32);
  }
  w.alignToByte();
}
