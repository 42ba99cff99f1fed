/**
 * Chunks and pages (tsfile-format.md §5, §6, §7): encodes and compresses the pages of one chunk,
 * then writes the chunk header with the single-page rule (markers 05/85/45 and page headers without
 * statistics for 0–1 page, 01/81/41 with statistics in every non-empty page header otherwise).
 * Non-aligned pages hold `uvarint timeLength + times + values` (§7.1); aligned time pages only the
 * times (§7.2); aligned value pages `i32 rows + bitmap + non-null values` (§7.3), `00` when empty.
 */
import { getCodec } from '../compression/registry.js';
import { encodeTimes, encodeValues } from '../encoding/index.js';
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import { Compression, DataType, Encoding, Marker, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../format/codes.js';
import type { Statistics } from '../format/statistics.js';
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

/**
 * A finished chunk: its bytes as parts to write in order (chunk header, then each page header and
 * body — bodies are not copied again), their total size, and the chunk's statistics.
 */
export interface BuiltChunk {
  parts: Uint8Array[];
  size: number;
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

async function compress(compression: Compression, body: Uint8Array): Promise<Uint8Array> {
  if (compression === Compression.UNCOMPRESSED) return body;
  return await getCodec(compression).compress(body);
}

function encodeColumn(schema: ColumnSchema, values: ColumnValues, from: number, to: number): Uint8Array {
  const options = schema.maxPointNumber === undefined ? undefined : { maxPointNumber: schema.maxPointNumber };
  return encodeValues(schema.encoding, schema.dataType, sliceValues(values, from, to), options);
}

/** Assembles header + pages; `marker` is the multi-page marker of the chunk kind (01/81/41). */
function assembleChunk(marker: number, schema: ColumnSchema, pages: readonly BuiltPage[], allNull: boolean): BuiltChunk {
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
  const header = new ByteBuffer(32 + schema.measurement.length * 3);
  header.u8(chunkMarker).vstr(schema.measurement).uvarint(dataSize).u8(schema.dataType).u8(schema.compression).u8(schema.encoding);
  const parts: Uint8Array[] = [header.toBytes()];
  if (!allNull) {
    const headers = pageHeaders.view8();
    let h = 0;
    for (let i = 0; i < pages.length; i++) {
      parts.push(headers.subarray(h, headerEnds[i]!));
      h = headerEnds[i]!;
      if (pages[i]!.body.length > 0) parts.push(pages[i]!.body);
    }
  }
  return { parts, size: parts[0]!.length + dataSize, statistics };
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
  const t = encodeTimes(timeEncoding, times.subarray(from, to));
  const v = encodeColumn(schema, values, from, to);
  const lenBytes = uvarintSize(t.length);
  const raw = new Uint8Array(lenBytes + t.length + v.length);
  let at = 0;
  let n = t.length;
  while (n >= 0x80) {
    raw[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  raw[at++] = n;
  raw.set(t, at);
  raw.set(v, at + t.length);
  return { uncompressedSize: raw.length, body: await compress(schema.compression, raw), statistics };
}

/** An aligned time page of times [from, to) (§7.2). */
export async function buildTimePage(timeEncoding: Encoding, timeCompression: Compression, times: BigInt64Array, from: number, to: number): Promise<BuiltPage> {
  const statistics: Statistics = { kind: 'time', count: to - from, startTime: times[from]!, endTime: times[to - 1]! };
  const raw = encodeTimes(timeEncoding, times.subarray(from, to));
  return { uncompressedSize: raw.length, body: await compress(timeCompression, raw), statistics };
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
  const raw0 = new Uint8Array(4 + bitmapBytes);
  const bitmap = raw0.subarray(4);
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
  const v = encodeColumn(schema, values, valueFrom, valueTo);
  const raw = new Uint8Array(4 + bitmapBytes + v.length);
  raw.set(raw0);
  new DataView(raw.buffer).setInt32(0, rows);
  raw.set(v, 4 + bitmapBytes);
  return { page: { uncompressedSize: raw.length, body: await compress(schema.compression, raw), statistics }, used: nonNull };
}

/** A non-aligned chunk from its pages. */
export function assembleSeriesChunk(schema: ColumnSchema, pages: readonly BuiltPage[]): BuiltChunk {
  return assembleChunk(Marker.CHUNK_HEADER, schema, pages, false);
}

/**
 * The time chunk of an aligned chunk group: measurement "", type VECTOR. `masks` false gives the C++
 * layout, whose aligned chunks carry no 0x80/0x40 bits (§19).
 */
export function assembleTimeChunk(timeEncoding: Encoding, timeCompression: Compression, pages: readonly BuiltPage[], masks = true): BuiltChunk {
  const schema: ColumnSchema = { measurement: '', dataType: DataType.VECTOR, encoding: timeEncoding, compression: timeCompression };
  return assembleChunk(Marker.CHUNK_HEADER | (masks ? TIME_COLUMN_MASK : 0), schema, pages, false);
}

/** A value chunk of an aligned chunk group; header-only when every page is empty (§5). */
export function assembleValueChunk(schema: ColumnSchema, pages: readonly BuiltPage[], masks = true): BuiltChunk {
  const allNull = pages.every((p) => p.uncompressedSize === 0);
  return assembleChunk(Marker.CHUNK_HEADER | (masks ? VALUE_COLUMN_MASK : 0), schema, pages, allNull);
}
