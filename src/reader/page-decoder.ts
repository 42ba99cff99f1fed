/**
 * Page bodies after decompression (§7): splitting them into time and value streams and decoding
 * both. These functions are pure (bytes in, typed arrays out) so the worker pool runs exactly the
 * same code as the inline path.
 */
import { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { type DataType, Encoding, type Compression, physicalType } from '../format/codes.js';
import { decodeTimes, decodeValues } from '../encoding/index.js';
import type { ColumnValues, DecodeContext, FixedWidthValues } from '../encoding/types.js';
import { getCodec, decompressPage } from '../compression/registry.js';

export interface DecodedSeriesPage {
  times: BigInt64Array;
  values: ColumnValues;
}

export interface DecodedValuePage {
  /** Rows of the page (= timestamps of the matching time page). */
  rows: number;
  /** Non-null values only, in row order. */
  values: ColumnValues;
  /** Arrow (LSB-first) validity bitmap over the rows. */
  validity: Uint8Array;
  nullCount: number;
}

/** Decompresses a page body to exactly `uncompressedSize` bytes. */
export function decompressBody(
  compression: Compression,
  body: Uint8Array,
  uncompressedSize: number,
  ctx: DecodeContext,
): Uint8Array | Promise<Uint8Array> {
  const where = { file: ctx.file, offset: ctx.offset };
  const codec = getCodec(compression, where);
  return decompressPage(codec, body, uncompressedSize, where);
}

/**
 * Remembers the last few decoded time streams by their encoded bytes. The series of a non-aligned
 * device usually share timestamps page for page, and identical bytes decode to identical times:
 * decoding once and sharing the array also lets the row merge see at a glance that they match.
 */
export class TimeStreamCache {
  private readonly keys: (Uint8Array | undefined)[];
  private readonly values: (BigInt64Array | undefined)[];
  private next = 0;
  constructor(readonly size = 8) {
    this.keys = new Array(size);
    this.values = new Array(size);
  }
  lookup(bytes: Uint8Array): BigInt64Array | undefined {
    for (let i = 0; i < this.size; i++) {
      const k = this.keys[i];
      if (k !== undefined && equalBytes(k, bytes)) return this.values[i];
    }
    return undefined;
  }
  store(bytes: Uint8Array, times: BigInt64Array): void {
    this.keys[this.next] = bytes;
    this.values[this.next] = times;
    this.next = (this.next + 1) % this.size;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a === b) return true;
  let i = 0;
  // Compare 4 bytes at a time where both views allow an aligned Int32Array.
  if ((a.byteOffset & 3) === (b.byteOffset & 3)) {
    while (i < a.length && ((a.byteOffset + i) & 3) !== 0) {
      if (a[i] !== b[i]) return false;
      i++;
    }
    const words = (a.length - i) >> 2;
    const x = new Int32Array(a.buffer, a.byteOffset + i, words);
    const y = new Int32Array(b.buffer, b.byteOffset + i, words);
    for (let k = 0; k < words; k++) if (x[k] !== y[k]) return false;
    i += words * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One allocation for all pages of a chunk: pages decode into consecutive views of a times buffer and
 * a values buffer sized by the chunk's point count, instead of a fresh pair of arrays per page.
 */
export class ChunkArena {
  private times: BigInt64Array | undefined;
  private timesUsed = 0;
  private values: FixedWidthValues | undefined;
  private valuesUsed = 0;

  /** Largest arena allocated, whatever a chunk's statistics claim (larger chunks fall back to per-page arrays). */
  static readonly MAX_POINTS = 1 << 22;

  constructor(
    private readonly capacity: number,
    private readonly dataType: DataType,
  ) {}

  /** Buffers allocated here (the pool may transfer them whole). */
  buffers(out: Set<ArrayBuffer>): void {
    if (this.times !== undefined) out.add(this.times.buffer as ArrayBuffer);
    if (this.values !== undefined) out.add(this.values.buffer as ArrayBuffer);
  }

  timesInto(): BigInt64Array | undefined {
    if (this.capacity === 0) return undefined;
    this.times ??= new BigInt64Array(this.capacity);
    return this.times.subarray(this.timesUsed);
  }

  /** Records times decoded into the arena (cache hits and fresh arrays take no room). */
  commitTimes(t: BigInt64Array): void {
    if (this.times !== undefined && t.buffer === this.times.buffer) this.timesUsed += t.length;
  }

  valuesInto(n: number): FixedWidthValues | undefined {
    if (this.capacity === 0 || this.valuesUsed + n > this.capacity) return undefined;
    if (this.values === undefined) {
      const Ctor = FIXED_WIDTH[physicalType(this.dataType)];
      if (Ctor === undefined) return undefined;
      this.values = new Ctor(this.capacity);
    }
    const v = this.values.subarray(this.valuesUsed, this.valuesUsed + n);
    this.valuesUsed += n;
    return v;
  }
}

const FIXED_WIDTH: Partial<Record<string, new (n: number) => FixedWidthValues>> = {
  boolean: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
  float: Float32Array,
  double: Float64Array,
};

/** Non-aligned page (§7.1): uvarint time length, TS_2DIFF times, then one value per timestamp. */
export function decodeSeriesPage(
  body: Uint8Array,
  dataType: DataType,
  encoding: Encoding,
  maxPoints: number,
  ctx: DecodeContext,
  timeCache?: TimeStreamCache,
  arena?: ChunkArena,
): DecodedSeriesPage {
  const c = new Cursor(body, 0, body.length, ctx.offset ?? 0, ctx.file);
  const timeLen = c.uvarint('page time column length');
  c.need(timeLen, 'page time column');
  const timeStart = c.pos;
  const timeBytes = body.subarray(timeStart, timeStart + timeLen);
  let times = timeCache?.lookup(timeBytes);
  if (times === undefined) {
    // The time encoding of non-aligned chunks is not recorded: it is TS_2DIFF (§5).
    times = decodeTimes(Encoding.TS_2DIFF, timeBytes, maxPoints, {
      ...ctx,
      offset: (ctx.offset ?? 0) + timeStart,
      what: `${ctx.what ?? 'page'} times`,
      into: arena?.timesInto(),
    });
    arena?.commitTimes(times);
    timeCache?.store(timeBytes, times);
  }
  const valueStart = timeStart + timeLen;
  const values = decodeValues(encoding, dataType, body.subarray(valueStart), times.length, {
    ...ctx,
    offset: (ctx.offset ?? 0) + valueStart,
    what: `${ctx.what ?? 'page'} values`,
    into: arena?.valuesInto(times.length),
  });
  return { times, values };
}

/** Aligned time page (§7.2): the whole body is the time stream, in the chunk's recorded encoding. */
export function decodeTimePage(body: Uint8Array, encoding: Encoding, maxPoints: number, ctx: DecodeContext): BigInt64Array {
  return decodeTimes(encoding, body, maxPoints, { ...ctx, what: `${ctx.what ?? 'time page'}` });
}

/** Aligned value page (§7.3): i32 row count, MSB-first bitmap, then the non-null values. */
export function decodeValuePage(body: Uint8Array, dataType: DataType, encoding: Encoding, expectedRows: number, ctx: DecodeContext): DecodedValuePage {
  const c = new Cursor(body, 0, body.length, ctx.offset ?? 0, ctx.file);
  const rows = c.i32('value page row count');
  if (rows !== expectedRows) {
    throw new TsFileError(ErrorCode.CORRUPT, 'value page row count differs from its time page', {
      file: ctx.file,
      offset: ctx.offset,
      expected: `${expectedRows} rows`,
      actual: `${rows}`,
    });
  }
  const bitmapBytes = (rows + 7) >> 3;
  const bitmap = c.bytesView(bitmapBytes, 'value page bitmap');
  const { validity, setBits } = msbBitmapToArrow(bitmap, rows);
  const values = decodeValues(encoding, dataType, body.subarray(c.pos), setBits, {
    ...ctx,
    offset: (ctx.offset ?? 0) + c.pos,
    what: `${ctx.what ?? 'value page'} values`,
  });
  return { rows, values, validity, nullCount: rows - setBits };
}

const REVERSED = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
    t[i] = r;
  }
  return t;
})();
const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();

/** TsFile's MSB-first row bitmap → Arrow's LSB-first validity bitmap (bits past `rows` cleared). */
export function msbBitmapToArrow(bitmap: Uint8Array, rows: number): { validity: Uint8Array; setBits: number } {
  const n = (rows + 7) >> 3;
  const validity = new Uint8Array(n);
  let setBits = 0;
  for (let i = 0; i < n; i++) {
    let b = REVERSED[bitmap[i]!]!;
    if (i === n - 1 && (rows & 7) !== 0) b &= (1 << (rows & 7)) - 1;
    validity[i] = b;
    setBits += POPCOUNT[b]!;
  }
  return { validity, setBits };
}
