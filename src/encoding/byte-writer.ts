/**
 * A growable output buffer for encoders (tsfile-format.md §1.1–1.3 as used inside pages):
 * big-endian fixed width values, unsigned and zig-zag varints, raw bytes.
 */
export class ByteWriter {
  /** The storage; bytes [0, length) are written. Packers write here directly after `reserve`. */
  buf: Uint8Array;
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Makes room for n more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  /** Big-endian int32. */
  i32(v: number): void {
    this.reserve(4);
    const b = this.buf;
    const p = this.length;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.length = p + 4;
  }

  /** Big-endian int64 given as hi/lo words. */
  i64(hi: number, lo: number): void {
    this.i32(hi);
    this.i32(lo);
  }

  /** Unsigned varint of a 32-bit pattern (§1.2): negative int32 values take 5 bytes. */
  uvarint(v: number): void {
    this.reserve(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.length++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.length++] = u;
  }

  /** Zig-zag signed varint (§1.3). */
  svarint(v: number): void {
    this.uvarint((v << 1) ^ (v >> 31));
  }

  /** Unsigned varint of the 64-bit pattern hi:lo (up to 10 bytes). */
  uvarint64(hi: number, lo: number): void {
    this.reserve(10);
    let h = hi >>> 0;
    let l = lo >>> 0;
    while (h !== 0 || l >= 0x80) {
      this.buf[this.length++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    this.buf[this.length++] = l;
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** A view of what was written (valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /**
   * A copy of what was written, for a writer reused across calls: storage grown past 4 MiB by an
   * unusually large input is let go, so it is not kept for the life of the process.
   */
  takeBytes(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    if (this.buf.length > 1 << 22) this.buf = new Uint8Array(1 << 16);
    this.length = 0;
    return out;
  }

  /** Forgets what was written, keeping the storage for reuse. */
  reset(): void {
    this.length = 0;
  }
}
