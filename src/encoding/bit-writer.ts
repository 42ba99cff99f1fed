/**
 * Big-endian bit streams for encoders (tsfile-format.md §1.6): the first bit written becomes the
 * most significant bit of the first byte; the last byte is padded with zero bits on the right.
 * Also packs groups of fixed-width values the way RLE, TS_2DIFF and SPRINTZ store them.
 */
import { ByteWriter } from './byte-writer.js';

export class BitWriter {
  readonly out: ByteWriter;
  /** Bits waiting for a full byte (in the low `fill` bits). */
  private cur = 0;
  private fill = 0;

  constructor(out = new ByteWriter()) {
    this.out = out;
  }

  /** Number of bits written so far. */
  get bitLength(): number {
    return this.out.length * 8 + this.fill;
  }

  /** Appends the low n bits (0..32) of v, most significant first. */
  write(v: number, n: number): void {
    while (n > 0) {
      const free = 8 - this.fill;
      const take = n < free ? n : free;
      const bits = (v >>> (n - take)) & ((1 << take) - 1);
      this.cur = (this.cur << take) | bits;
      this.fill += take;
      n -= take;
      if (this.fill === 8) {
        this.out.u8(this.cur);
        this.cur = 0;
        this.fill = 0;
      }
    }
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

  /** Pads the current byte with zero bits (nothing when already on a byte boundary). */
  alignToByte(): void {
    if (this.fill > 0) this.write(0, 8 - this.fill);
  }

  /** True when the next bit starts a new byte. */
  get aligned(): boolean {
    return this.fill === 0;
  }
}

/** Packs count values (low `width` bits each, 1..32) MSB first into ceil(count*width/8) bytes. */
export function packInt32(values: ArrayLike<number>, start: number, count: number, width: number, out: ByteWriter): void {
  const w = new BitWriter(out);
  for (let i = 0; i < count; i++) w.write(values[start + i]!, width);
  w.alignToByte();
}

/** Packs count 64-bit values given as lo/hi word pairs (width 1..64) MSB first. */
export function packInt64(words: Int32Array, start: number, count: number, width: number, out: ByteWriter): void {
  const w = new BitWriter(out);
  for (let i = start; i < start + count; i++) w.write64(words[2 * i + 1]!, words[2 * i]!, width);
  w.alignToByte();
}
