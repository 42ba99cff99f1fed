/**
 * Chunks and pages (tsfile-format.md §5, §6, §7): encodes and compresses the pages of one chunk,
 * then writes the chunk header with the single-page rule (markers 05/85/45 and page headers without
 * statistics for 0–1 page, 01/81/41 with statistics in every non-empty page header otherwise).
 * Non-aligned pages hold `uvarint timeLength + times + values` (§7.1); aligned time pages only the
 * times (§7.2); aligned value pages `i32 rows + bitmap + non-null values` (§7.3), `00` when empty.
 * A page's uncompressed bytes are assembled in one reused buffer, and a chunk (header, page
 * headers, bodies) is written into one output buffer: no list of small arrays to join later.
 */
import { getCodec } from '../compression/registry.js';
import { encodeTimes, encodeTimesInto, encodeValuesInto } from '../encoding/index.js';
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import { Compression, DataType, Encoding, Marker, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../format/codes.js';
import type { Statistics } from '../format/statistics.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { ByteBuffer, uvarintSize } from './byte-buffer.js';
import { computeStatistics, emptyStatistics, mergeStatistics, writeStatistics } from './statistics-writer.js';

/** What the writer knows about one measurement (a series or an aligned value column). */
export interface ColumnSchema {
  measurement: string;
  dataType: DataType;
  encoding: Encoding;
  compression: Compression;
  /** Decimal digits kept by RLE/TS_2DIFF on FLOAT/DOUBLE (§10.3.4). */
  maxPointNumber?: number | undefined;
}

/** Where a finished chunk ended in its output buffer, and the chunk's statistics. */
export interface BuiltChunk {
  end: number;
  statistics: Statistics;
}

export interface BuiltPage {
  /** Encoded (uncompressed) size; 0 for the empty page `00`. */
  uncompressedSize: number;
  body: Uint8Array;
  statistics: Statistics | undefined;
}

/** Values [from, to) as their own column (binary offsets rebased to 0). */
export function sliceValues(values: ColumnValues, from: number, to: number): ColumnValues {
  if ('offsets' in values) {
    const o = values.offsets;
    const base = o[from]!;
    const offsets = new Int32Array(to - from + 1);
    for (let i = 0; i <= to - from; i++) offsets[i] = o[from + i]! - base;
    return { offsets, data: values.data.subarray(base, o[to]!) } satisfies BinaryValues;
  }
  return values.subarray(from, to);
}

/**
 * The page being assembled before compression. Page builds of one thread never overlap: the task
 * runners run one encode task at a time per thread, and a task builds its pages one after another.
 */
const rawPage = new ByteWriter(1 << 16);

/** Compresses the assembled page; the result never aliases the reused page buffer. */
async function compressRaw(compression: Compression, start = 0): Promise<Uint8Array> {
  const raw = rawPage.buf.subarray(start, rawPage.length);
  const body = compression === Compression.UNCOMPRESSED ? raw.slice() : await getCodec(compression).compress(raw);
  if (rawPage.buf.length > 1 << 22) rawPage.buf = new Uint8Array(1 << 16);
  return body;
}

/** Appends the encoded values [from, to) to the page buffer. */
function encodeColumnInto(schema: ColumnSchema, values: ColumnValues, from: number, to: number): void {
  const options = schema.maxPointNumber === undefined ? undefined : { maxPointNumber: schema.maxPointNumber };
  encodeValuesInto(schema.encoding, schema.dataType, sliceValues(values, from, to), rawPage, options);
}

/**
 * Appends header + pages to `out`; `marker` is the multi-page marker of the chunk kind (01/81/41).
 * Page headers go to a small buffer first, because the chunk header carries their total size.
 */
function assembleChunk(out: ByteBuffer, marker: number, schema: ColumnSchema, pages: readonly BuiltPage[], allNull: boolean): BuiltChunk {
  const multi = pages.length > 1;
  const pageHeaders = new ByteBuffer(64);
  let statistics = emptyStatistics(schema.dataType);
  const headerEnds: number[] = [];
  for (const p of pages) {
    if (p.uncompressedSize === 0) {
      pageHeaders.u8(0);
    } else {
      pageHeaders.uvarint(p.uncompressedSize).uvarint(p.body.length);
      if (multi) writeStatistics(pageHeaders, p.statistics!);
      statistics = mergeStatistics(statistics, p.statistics!);
    }
    headerEnds.push(pageHeaders.length);
  }
  let dataSize = 0;
  for (const p of pages) dataSize += p.body.length;
  dataSize += pageHeaders.length;
  if (allNull) dataSize = 0;
  // A chunk of 0–1 page (or an all-null value chunk) takes the single-page marker family (§5).
  const chunkMarker = multi && !allNull ? marker : marker | 0x04;
  out.u8(chunkMarker).vstr(schema.measurement).uvarint(dataSize).u8(schema.dataType).u8(schema.compression).u8(schema.encoding);
  if (!allNull) {
    out.reserve(dataSize);
    const headers = pageHeaders.view8();
    let h = 0;
    for (let i = 0; i < pages.length; i++) {
      out.bytes(headers.subarray(h, headerEnds[i]!));
      h = headerEnds[i]!;
      if (pages[i]!.body.length > 0) out.bytes(pages[i]!.body);
    }
  }
  return { end: out.length, statistics };
}

/** A non-aligned page of times/values [from, to) (§7.1): `uvarint timeLength + times + values`. */
export async function buildSeriesPage(
  schema: ColumnSchema,
  timeEncoding: Encoding,
  times: BigInt64Array,
  values: ColumnValues,
  from: number,
  to: number,
): Promise<BuiltPage> {
  // Statistics first: they must describe exactly the values handed to the encoder.
  const statistics = computeStatistics(schema.dataType, values, from, to, times[from]!, times[to - 1]!);
  // Times and values go straight into the page buffer after room for the longest uvarint; the
  // time length is then written just before the times, and the page starts there.
  rawPage.reset();
  rawPage.reserve(5);
  rawPage.length = 5;
  encodeTimesInto(timeEncoding, times.subarray(from, to), rawPage);
  const timeLength = rawPage.length - 5;
  encodeColumnInto(schema, values, from, to);
  const start = 5 - uvarintSize(timeLength);
  let at = start;
  let n = timeLength;
  while (n >= 0x80) {
    rawPage.buf[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  rawPage.buf[at] = n;
  return { uncompressedSize: rawPage.length - start, body: await compressRaw(schema.compression, start), statistics };
}

/** An aligned time page of times [from, to) (§7.2). */
export async function buildTimePage(timeEncoding: Encoding, timeCompression: Compression, times: BigInt64Array, from: number, to: number): Promise<BuiltPage> {
  const statistics: Statistics = { kind: 'time', count: to - from, startTime: times[from]!, endTime: times[to - 1]! };
  const raw = encodeTimes(timeEncoding, times.subarray(from, to));
  // `raw` is a fresh array of its own: it can be the body, or be compressed in place.
  const body = timeCompression === Compression.UNCOMPRESSED ? raw : await getCodec(timeCompression).compress(raw);
  return { uncompressedSize: raw.length, body, statistics };
}

/**
 * An aligned value page of rows [rowFrom, rowTo) (§7.3). `values` holds non-null values only, the
 * page's first one at `valueFrom`; `present[r]` is 1 when row r has a value (undefined: all rows).
 * Returns the page and the number of values it used; a page without values is the empty page `00`.
 */
export async function buildValuePage(
  schema: ColumnSchema,
  times: BigInt64Array,
  values: ColumnValues,
  present: Uint8Array | undefined,
  rowFrom: number,
  rowTo: number,
  valueFrom: number,
): Promise<{ page: BuiltPage; used: number }> {
  const rows = rowTo - rowFrom;
  const bitmapBytes = (rows + 7) >> 3;
  const bitmap = new Uint8Array(bitmapBytes);
  let nonNull = 0;
  let firstRow = -1;
  let lastRow = -1;
  if (present === undefined) {
    bitmap.fill(0xff);
    if ((rows & 7) !== 0) bitmap[bitmapBytes - 1] = (0xff00 >> (rows & 7)) & 0xff;
    nonNull = rows;
    firstRow = rowFrom;
    lastRow = rowTo - 1;
  } else {
    for (let r = 0; r < rows; r++) {
      if (present[rowFrom + r] === 1) {
        bitmap[r >> 3]! |= 0x80 >> (r & 7);
        if (firstRow < 0) firstRow = rowFrom + r;
        lastRow = rowFrom + r;
        nonNull++;
      }
    }
  }
  if (nonNull === 0) return { page: { uncompressedSize: 0, body: new Uint8Array(0), statistics: undefined }, used: 0 };
  const valueTo = valueFrom + nonNull;
  const statistics = computeStatistics(schema.dataType, values, valueFrom, valueTo, times[firstRow]!, times[lastRow]!);
  rawPage.reset();
  rawPage.i32(rows);
  rawPage.bytes(bitmap);
  encodeColumnInto(schema, values, valueFrom, valueTo);
  const uncompressedSize = rawPage.length;
  return { page: { uncompressedSize, body: await compressRaw(schema.compression), statistics }, used: nonNull };
}

/** A non-aligned chunk from its pages. */
export function assembleSeriesChunk(out: ByteBuffer, schema: ColumnSchema, pages: readonly BuiltPage[]): BuiltChunk {
  return assembleChunk(out, Marker.CHUNK_HEADER, schema, pages, false);
}

/**
 * The time chunk of an aligned chunk group: measurement "", type VECTOR. `masks` false gives the C++
 * layout, whose aligned chunks carry no 0x80/0x40 bits (§19).
 */
export function assembleTimeChunk(out: ByteBuffer, timeEncoding: Encoding, timeCompression: Compression, pages: readonly BuiltPage[], masks = true): BuiltChunk {
  const schema: ColumnSchema = { measurement: '', dataType: DataType.VECTOR, encoding: timeEncoding, compression: timeCompression };
  return assembleChunk(out, Marker.CHUNK_HEADER | (masks ? TIME_COLUMN_MASK : 0), schema, pages, false);
}

/** A value chunk of an aligned chunk group; header-only when every page is empty (§5). */
export function assembleValueChunk(out: ByteBuffer, schema: ColumnSchema, pages: readonly BuiltPage[], masks = true): BuiltChunk {
  const allNull = pages.every((p) => p.uncompressedSize === 0);
  return assembleChunk(out, Marker.CHUNK_HEADER | (masks ? VALUE_COLUMN_MASK : 0), schema, pages, allNull);
}
