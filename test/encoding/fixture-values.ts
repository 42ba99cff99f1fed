/**
 * Test-only glue between decoded columns and the fixtures' canonical CSV (shared/fixtures/README.md):
 * formats values the way the CSV does and decodes the pages of a fixture chunk into points.
 */
import { DataType, Encoding } from '../../src/format/codes.js';
import { decodeTimes, decodeValues } from '../../src/encoding/index.js';
import { type ColumnValues, isBinaryValues } from '../../src/encoding/types.js';
import type { FixtureChunk } from './fixture-pages.js';

const utf8 = new TextDecoder();

function formatNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Value i of a column as the fixtures' CSV prints it. */
export function formatValue(type: DataType, values: ColumnValues, i: number): string {
  if (isBinaryValues(values)) {
    const bytes = values.data.subarray(values.offsets[i]!, values.offsets[i + 1]!);
    if (type === DataType.BLOB) return `0x${Buffer.from(bytes).toString('hex')}`;
    return utf8.decode(bytes);
  }
  const v = values[i]!;
  switch (type) {
    case DataType.BOOLEAN:
      return v ? 'true' : 'false';
    case DataType.DATE: {
      const d = v as number;
      const y = Math.floor(d / 10000);
      const m = Math.floor(d / 100) % 100;
      return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}`;
    }
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return formatNumber(v as number);
    default:
      return String(v);
  }
}

export interface DecodedPage {
  /** The encoded value stream of the page. */
  valueBytes: Uint8Array;
  /** The encoded time stream (non-aligned pages only). */
  timeBytes?: Uint8Array;
  times: BigInt64Array;
  values: ColumnValues;
}

function popcountRows(bitmap: Uint8Array, rows: number): number[] {
  const present: number[] = [];
  for (let r = 0; r < rows; r++) if (bitmap[r >>> 3]! & (0x80 >>> (r & 7))) present.push(r);
  return present;
}

/** Decodes the pages of a non-aligned chunk (time column TS_2DIFF, §7.1). */
export function decodeNonAlignedChunk(chunk: FixtureChunk): DecodedPage[] {
  return chunk.pages.map((page) => {
    const body = page.body!;
    let p = 0;
    let timeLen = 0;
    for (let shift = 0; ; shift += 7) {
      const b = body[p++]!;
      timeLen |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    const timeBytes = body.subarray(p, p + timeLen);
    const valueBytes = body.subarray(p + timeLen);
    const times = decodeTimes(Encoding.TS_2DIFF, timeBytes, 1 << 20);
    const values = decodeValues(chunk.encoding as Encoding, chunk.type, valueBytes, times.length);
    return { valueBytes, timeBytes, times, values };
  });
}

/** Decodes an aligned value chunk against its time chunk (§7.2, §7.3); all-null pages are skipped. */
export function decodeAlignedChunk(timeChunk: FixtureChunk, chunk: FixtureChunk): DecodedPage[] {
  const out: DecodedPage[] = [];
  chunk.pages.forEach((page, i) => {
    if (page.empty) return;
    const times = decodeTimes(timeChunk.encoding as Encoding, timeChunk.pages[i]!.body!, 1 << 20);
    const body = page.body!;
    const rows = new DataView(body.buffer, body.byteOffset).getInt32(0);
    const bitmapBytes = (rows + 7) >>> 3;
    const present = popcountRows(body.subarray(4, 4 + bitmapBytes), rows);
    const valueBytes = body.subarray(4 + bitmapBytes);
    const values = decodeValues(chunk.encoding as Encoding, chunk.type, valueBytes, present.length);
    out.push({ valueBytes, times: BigInt64Array.from(present, (r) => times[r]!), values });
  });
  return out;
}
