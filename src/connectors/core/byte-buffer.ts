/**
 * A growable output buffer for request bodies (CSV, JSON, SQL, line protocol, tablet buffers).
 * Serialisers append ASCII numbers and raw UTF-8 bytes without building intermediate strings.
 */

const encoder = new TextEncoder();

export class ByteBuffer {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.reserve(n);
    // Short runs are copied by hand: a subarray view costs more than copying a few bytes.
    if (n <= 32) {
      const b = this.buf;
      let p = this.length;
      for (let i = start; i < end; i++) b[p++] = src[i]!;
    } else if (start === 0 && end === src.length) this.buf.set(src, this.length);
    else this.buf.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** Appends a string known to be ASCII/Latin-1 only (numbers, keywords). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const b = this.buf;
    let p = this.length;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.length = p;
  }

  /** Appends any string as UTF-8. */
  utf8(s: string): void {
    this.reserve(s.length * 3);
    const { written } = encoder.encodeInto(s, this.buf.subarray(this.length));
    this.length += written;
  }

  /** Appends a safe integer in decimal without allocating. */
  int(v: number): void {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    if (v < 2147483648) { this.small(v); return; }
    if (v > Number.MAX_SAFE_INTEGER) { this.ascii(String(v)); return; }
    // Two halves keep every division in 32-bit integer arithmetic.
    const hi = Math.floor(v / 1e8);
    this.small(hi);
    this.padded8(v - hi * 1e8);
  }

  /** 0 <= v < 2^31. */
  private small(v: number): void {
    let digits = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
    this.reserve(digits);
    const b = this.buf;
    let p = this.length + digits;
    this.length = p;
    while (v >= 10) {
      const q = (v / 10) | 0;
      b[--p] = 48 + v - q * 10;
      v = q;
    }
    b[--p] = 48 + v;
  }

  /** 0 <= v < 1e8, always 8 digits. */
  private padded8(v: number): void {
    this.reserve(8);
    const b = this.buf;
    const end = this.length + 8;
    for (let p = end - 1; p >= this.length; p--) {
      const q = (v / 10) | 0;
      b[p] = 48 + v - q * 10;
      v = q;
    }
    this.length = end;
  }

  int32BE(v: number): void { this.reserve(4); this.view.setInt32(this.length, v); this.length += 4; }
  float32BE(v: number): void { this.reserve(4); this.view.setFloat32(this.length, v); this.length += 4; }
  float64BE(v: number): void { this.reserve(8); this.view.setFloat64(this.length, v); this.length += 8; }

  /** The bytes written so far (a view; copy before reusing the buffer). */
  contents(): Uint8Array { return this.buf.subarray(0, this.length); }

  /** A copy of the bytes written so far, as a Buffer. */
  toBuffer(): Buffer { return Buffer.from(this.buf.subarray(0, this.length)); }

  /** Last byte written, or -1. */
  last(): number { return this.length > 0 ? this.buf[this.length - 1]! : -1; }

  truncate(n: number): void { this.length = Math.min(this.length, n); }

  clear(): void { this.length = 0; }
}

/** UTF-8 byte length of a string without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
