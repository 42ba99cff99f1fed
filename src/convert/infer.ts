/**
 * Data types and values from text, for importing CSV: the inference a user expects (true/false →
 * BOOLEAN, integers → INT64, other numbers → DOUBLE, YYYY-MM-DD → DATE, 0x-hex → BLOB, else TEXT)
 * and parsing of the canonical CSV's value forms back into column values.
 */
import { DataType, Encoding, Compression, dataTypeName } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';

const INT = /^-?\d+$/;
const NUM = /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|-?Infinity|-0)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The narrowest type every non-empty sample fits. */
export function inferType(samples: readonly string[]): DataType {
  const values = samples.filter((s) => s !== '');
  if (values.length === 0) return DataType.TEXT;
  if (values.every((v) => v === 'true' || v === 'false')) return DataType.BOOLEAN;
  if (values.every((v) => INT.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n)) return DataType.INT64;
  if (values.every((v) => NUM.test(v))) return DataType.DOUBLE;
  if (values.every((v) => DATE.test(v))) return DataType.DATE;
  if (values.every((v) => HEX.test(v))) return DataType.BLOB;
  return DataType.TEXT;
}

/** IoTDB's default encoding per type, for imported series without an explicit one. */
export function defaultEncoding(t: DataType): Encoding {
  switch (t) {
    case DataType.BOOLEAN:
      return Encoding.RLE;
    case DataType.INT32:
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.DATE:
      return Encoding.TS_2DIFF;
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return Encoding.GORILLA;
    default:
      return Encoding.PLAIN;
  }
}

export const DEFAULT_IMPORT_COMPRESSION = Compression.LZ4;

export type ParsedValue = number | bigint | boolean | string | Uint8Array | null;

/** Parses a canonical text value of type `t` (empty → null); throws INVALID_ARGUMENT naming `where`. */
export function parseValue(t: DataType, text: string, where: string): ParsedValue {
  if (text === '' && t !== DataType.TEXT && t !== DataType.STRING) return null;
  const bad = () => new TsFileError(ErrorCode.INVALID_ARGUMENT, `value "${text}" is not a ${dataTypeName(t)} (${where})`);
  switch (t) {
    case DataType.BOOLEAN:
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw bad();
    case DataType.INT32: {
      if (!INT.test(text)) throw bad();
      const v = Number(text);
      if (v < -2147483648 || v > 2147483647) throw bad();
      return v;
    }
    case DataType.INT64:
    case DataType.TIMESTAMP:
      if (!INT.test(text)) throw bad();
      return BigInt(text);
    case DataType.FLOAT:
    case DataType.DOUBLE:
      if (!NUM.test(text)) throw bad();
      return text === '-0' ? -0 : Number(text);
    case DataType.DATE: {
      if (!DATE.test(text)) throw bad();
      const [y, m, d] = text.split('-').map(Number);
      return y! * 10000 + m! * 100 + d!;
    }
    case DataType.BLOB: {
      if (!HEX.test(text)) throw bad();
      const out = new Uint8Array((text.length - 2) / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 + 2 * i, 4 + 2 * i), 16);
      return out;
    }
    default:
      return text;
  }
}

/** A time cell: an integer (epoch units as written) or an ISO date-time (→ epoch milliseconds). */
export function parseTime(text: string, where: string): bigint {
  if (INT.test(text)) return BigInt(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `time "${text}" is neither an integer nor a date-time (${where})`);
  return BigInt(ms);
}

/** Types a column may still have, as bits; TEXT always remains. */
export const Candidate = { BOOLEAN: 1, INT64: 2, DOUBLE: 4, DATE: 8, BLOB: 16 } as const;
export const ALL_CANDIDATES = 31;

/**
 * The candidates among `among` that `value` allows (an empty text allows every type: it is a
 * null). Only the candidates still open are tested, so a column settles into one or two tests.
 */
export function candidatesOf(value: string, among: number = ALL_CANDIDATES): number {
  if (value === '') return among;
  let m = 0;
  if (among & Candidate.BOOLEAN && (value === 'true' || value === 'false')) m |= Candidate.BOOLEAN;
  // Up to 18 digits is always an int64.
  if (among & Candidate.INT64 && INT.test(value) && (value.length < 19 || (BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n))) m |= Candidate.INT64;
  if (among & Candidate.DOUBLE && NUM.test(value)) m |= Candidate.DOUBLE;
  if (among & Candidate.DATE && DATE.test(value)) m |= Candidate.DATE;
  if (among & Candidate.BLOB && HEX.test(value)) m |= Candidate.BLOB;
  return m;
}

/** The narrowest type of a column whose values left `mask`, in the order inferType prefers. */
export function typeOfCandidates(mask: number, sawValue: boolean): DataType {
  if (!sawValue) return DataType.TEXT;
  if (mask & Candidate.BOOLEAN) return DataType.BOOLEAN;
  if (mask & Candidate.INT64) return DataType.INT64;
  if (mask & Candidate.DOUBLE) return DataType.DOUBLE;
  if (mask & Candidate.DATE) return DataType.DATE;
  if (mask & Candidate.BLOB) return DataType.BLOB;
  return DataType.TEXT;
}
