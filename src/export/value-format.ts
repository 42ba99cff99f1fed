/**
 * Text forms of column values, shared by the CSV and JSON-lines exporters: the canonical forms of
 * the fixtures' CSV (`../shared/fixtures/README.md`): shortest round-trip numbers with "-0",
 * DATE as YYYY-MM-DD, BLOB as 0x-hex, BOOLEAN true/false.
 */
import type { Data } from 'apache-arrow';
import { civilFromDays } from '../arrow/columns.js';
import { epochWords } from '../arrow/epoch-values.js';

export type Formatter = (row: number) => string;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8 = new TextDecoder();

/** Whether row `i` of the Data is valid (non-null). */
export function isValid(data: Data, i: number): boolean {
  const bm = data.nullBitmap;
  if (data.nullCount === 0 || bm === undefined || bm.length === 0) return true;
  const j = data.offset + i;
  return ((bm[j >> 3]! >> (j & 7)) & 1) === 1;
}

export function formatNumber(v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : String(v);
}

const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
// Timestamps in a column share their leading digits: the text above the last six digits is cached.
let cachedMillions = -1;
let cachedPrefix = '';

/** Decimal text of an int64 read as two int32 words (avoids a BigInt per value when it fits 2^53). */
export function formatInt64(words: Int32Array, i: number): string {
  const lo = words[2 * i]! >>> 0;
  const hi = words[2 * i + 1]!;
  if (hi >= 0 && hi < 0x200000) {
    const n = hi * 4294967296 + lo;
    if (n < 1e6) return String(n);
    const millions = Math.floor(n / 1e6);
    const rest = n - millions * 1e6;
    if (millions !== cachedMillions) {
      cachedMillions = millions;
      cachedPrefix = String(millions);
    }
    return cachedPrefix + DIGITS3[(rest / 1000) | 0]! + DIGITS3[rest % 1000]!;
  }
  if (hi >= -0x200000 && hi < 0) return String(hi * 4294967296 + lo);
  return (BigInt(hi) * 4294967296n + BigInt(lo)).toString();
}

export function formatDate(days: number): string {
  const ymd = civilFromDays(days);
  const y = Math.trunc(ymd / 10000);
  const m = Math.trunc(ymd / 100) % 100;
  const d = ymd % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function hexOf(bytes: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** A formatter for rows of a column of the given TsFile type name. */
export function formatterFor(tsType: string, data: Data): Formatter {
  // Arrow slices value and offset buffers to row 0 of the Data; only bit-packed buffers keep `offset`.
  const off = data.offset;
  switch (tsType) {
    case 'BOOLEAN': {
      const bits = data.values as Uint8Array;
      return (i) => (((bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 1 ? 'true' : 'false');
    }
    case 'INT32': {
      const v = data.values as Int32Array;
      return (i) => String(v[i]);
    }
    case 'INT64':
    case 'TIMESTAMP': {
      const words = epochWords(data);
      return (i) => formatInt64(words, i);
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const v = data.values as Float32Array | Float64Array;
      return (i) => formatNumber(v[i]!);
    }
    case 'DATE': {
      const v = data.values as Int32Array;
      return (i) => formatDate(v[i]!);
    }
    case 'TEXT':
    case 'STRING': {
      const o = data.valueOffsets as Int32Array;
      const b = data.values as Uint8Array;
      return (i) => utf8.decode(b.subarray(o[i]!, o[i + 1]!));
    }
    case 'BLOB': {
      const o = data.valueOffsets as Int32Array;
      const b = data.values as Uint8Array;
      return (i) => hexOf(b.subarray(o[i]!, o[i + 1]!));
    }
    default:
      throw new Error(`no formatter for type ${tsType}`);
  }
}
