/**
 * A bounds-checked reader over a byte array: the primitive encodings of tsfile-format.md §1
 * (big-endian fixed width, unsigned/zig-zag varints, vstr/istr strings). Every read checks the
 * region end first and throws a TsFileError(TRUNCATED) naming the file and absolute offset.
 */
import { ErrorCode, TsFileError } from './errors.js';

const textDecoder = new TextDecoder('utf-8', { fatal: false });

export class Cursor {
  /** Position inside `bytes`. */
  pos: number;
  readonly view: DataView;

  /**
   * @param bytes the bytes to read
   * @param start first readable index
   * @param end one past the last readable index
   * @param base absolute file offset of `bytes[0]` (for error messages)
   * @param file label of the file (for error messages)
   */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    readonly base = 0,
    readonly file?: string,
  ) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'cursor range outside its buffer', {
        file,
        expected: `0 <= start <= end <= ${bytes.length}`,
        actual: `start ${start}, end ${end}`,
      });
    }
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Absolute file offset of the current position. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws TRUNCATED unless `n` more bytes are readable. */
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new TsFileError(ErrorCode.TRUNCATED, `${what} runs past the end of its region`, {
        file: this.file,
        offset: this.offset,
        expected: `${n} bytes`,
        actual: `${Math.max(0, this.end - this.pos)} bytes left`,
      });
    }
  }

  error(code: ErrorCode, message: string, expected?: string, actual?: string, at = this.offset): TsFileError {
    return new TsFileError(code, message, { file: this.file, offset: at, expected, actual });
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  i16(what = 'i16'): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  i32(what = 'i32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A big-endian i64 as a bigint (metadata only: never on a per-point path). */
  i64(what = 'i64'): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * A big-endian i64 that must be a non-negative safe integer (file offsets, sizes); throws CORRUPT
   * otherwise.
   */
  offset64(what = 'offset'): number {
    this.need(8, what);
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    if (hi < 0 || hi > 0x1fffff) {
      throw this.error(ErrorCode.CORRUPT, `${what} is not a valid file offset`, 'a non-negative offset below 2^53', `high word ${hi}`);
    }
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  f32(what = 'f32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  f64(what = 'f64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned varint of at most 5 bytes (32-bit), §1.2. Returns a non-negative number below 2^32. */
  uvarint(what = 'uvarint'): number {
    let result = 0;
    let shift = 0;
    const start = this.offset;
    for (;;) {
      if (this.pos >= this.end) {
        throw new TsFileError(ErrorCode.TRUNCATED, `${what} runs past the end of its region`, {
          file: this.file,
          offset: start,
          expected: 'a complete varint',
        });
      }
      const b = this.bytes[this.pos++]!;
      if (shift === 28) {
        if (b > 0x0f) throw this.error(ErrorCode.CORRUPT, `${what} is longer than 32 bits`, 'at most 5 bytes', undefined, start);
        return result + b * 268435456;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Zig-zag signed varint, §1.3: a 32-bit signed number. */
  svarint(what = 'svarint'): number {
    const u = this.uvarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  /** Raw bytes (a view, not a copy). */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what = 'bytes'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** `vstr`: zig-zag varint length + UTF-8 bytes; length -1 is null (§1.4). */
  vstr(what = 'string'): string | null {
    const at = this.offset;
    const len = this.svarint(`${what} length`);
    if (len === -1) return null;
    if (len < -1) throw this.error(ErrorCode.CORRUPT, `${what} has a negative length`, 'length >= -1', String(len), at);
    return textDecoder.decode(this.bytesView(len, what));
  }

  /** `vstr` that must not be null. */
  vstrNonNull(what = 'string'): string {
    const at = this.offset;
    const s = this.vstr(what);
    if (s === null) throw this.error(ErrorCode.CORRUPT, `${what} is null`, 'a string', 'null', at);
    return s;
  }

  /** `istr`: i32 length + UTF-8 bytes; length -1 is null (§1.4). */
  istr(what = 'string'): string | null {
    const at = this.offset;
    const len = this.i32(`${what} length`);
    if (len === -1) return null;
    if (len < -1) throw this.error(ErrorCode.CORRUPT, `${what} has a negative length`, 'length >= -1', String(len), at);
    return textDecoder.decode(this.bytesView(len, what));
  }

  /** Binary value of statistics (§1.5): i32 length + bytes (a view). */
  binary(what = 'binary'): Uint8Array {
    const at = this.offset;
    const len = this.i32(`${what} length`);
    if (len < 0) throw this.error(ErrorCode.CORRUPT, `${what} has a negative length`, 'length >= 0', String(len), at);
    return this.bytesView(len, what);
  }
}
