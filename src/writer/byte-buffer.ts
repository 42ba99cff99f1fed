/**
 * A growable big-endian output buffer for the primitive encodings of tsfile-format.md §1 (fixed-width
 * values, uvarint/svarint, vstr/istr strings, Binary). Headers and metadata are assembled here before
 * they go to a sink; page bodies come from the encoders as finished byte arrays.
 */

const textEncoder = new TextEncoder();

export class ByteBuffer {
  private buf: Uint8Array;
  private view: DataView;
  /** Number of bytes written so far. */
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Makes room for `extra` more bytes (one growth instead of several). */
  reserve(extra: number): this {
    this.ensure(extra);
    return this;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.view.setBigInt64(this.length, v);
    this.length += 8;
    return this;
  }

  /** An i64 given as a JavaScript number (offsets, sizes): exact below 2^53. */
  i64n(v: number): this {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setInt32(this.length, hi);
    this.view.setUint32(this.length + 4, v - hi * 4294967296);
    this.length += 8;
    return this;
  }

  /** f32 with Java's canonical NaN (§1.1). */
  f32(v: number): this {
    this.ensure(4);
    if (Number.isNaN(v)) this.view.setUint32(this.length, 0x7fc00000);
    else this.view.setFloat32(this.length, v);
    this.length += 4;
    return this;
  }

  /** f64 with Java's canonical NaN (§1.1). */
  f64(v: number): this {
    this.ensure(8);
    if (Number.isNaN(v)) {
      this.view.setUint32(this.length, 0x7ff80000);
      this.view.setUint32(this.length + 4, 0);
    } else {
      this.view.setFloat64(this.length, v);
    }
    this.length += 8;
    return this;
  }

  /** Unsigned varint of a 32-bit quantity (§1.2); negative values produce 5 bytes like Java. */
  uvarint(v: number): this {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.length++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.length++] = u;
    return this;
  }

  /** Zig-zag signed varint (§1.3). */
  svarint(v: number): this {
    return this.uvarint((v << 1) ^ (v >> 31));
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** `vstr`: svarint length + UTF-8; null is length -1 (§1.4). */
  vstr(s: string | null): this {
    if (s === null) return this.svarint(-1);
    const b = textEncoder.encode(s);
    return this.svarint(b.length).bytes(b);
  }

  /** `istr`: i32 length + UTF-8; null is length -1 (§1.4). */
  istr(s: string | null): this {
    if (s === null) return this.i32(-1);
    const b = textEncoder.encode(s);
    return this.i32(b.length).bytes(b);
  }

  /** Binary of statistics (§1.5): i32 length + raw bytes. */
  binary(b: Uint8Array): this {
    return this.i32(b.length).bytes(b);
  }

  /** A view of the bytes written so far (valid until the next write). */
  view8(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Number of bytes `uvarint(v)` takes. */
export function uvarintSize(v: number): number {
  let u = v >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}
