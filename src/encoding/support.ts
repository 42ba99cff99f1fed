/**
 * Which encodings apply to which data types (tsfile-format.md §8, §10.13) and the argument checks
 * shared by the decode and encode entry points.
 */
import { DataType, Encoding, physicalType } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { type ColumnValues, isBinaryValues } from './types.js';

const E = Encoding;
const INTEGER_ENCODINGS: readonly Encoding[] = [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE, E.REGULAR];
const FLOAT_ENCODINGS: readonly Encoding[] = [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA_V1, E.GORILLA, E.CHIMP, E.SPRINTZ, E.RLBE];

/** Whether `encoding` can encode/decode `type` (§8 table; REGULAR decode-only; DIFF/BITMAP/FREQ never). */
export function supportsEncoding(type: DataType, encoding: Encoding): boolean {
  switch (type) {
    case DataType.BOOLEAN:
      return encoding === E.PLAIN || encoding === E.RLE;
    case DataType.INT32:
    case DataType.DATE:
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.VECTOR:
      return INTEGER_ENCODINGS.includes(encoding);
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return FLOAT_ENCODINGS.includes(encoding);
    case DataType.TEXT:
    case DataType.STRING:
      return encoding === E.PLAIN || encoding === E.DICTIONARY;
    case DataType.BLOB:
      return encoding === E.PLAIN;
    default:
      return false;
  }
}

/** Whether `values` has the typed-array shape of `type` (types.ts). */
export function hasShape(type: DataType, values: ColumnValues): boolean {
  switch (physicalType(type)) {
    case 'boolean':
      return values instanceof Uint8Array;
    case 'int32':
      return values instanceof Int32Array;
    case 'int64':
      return values instanceof BigInt64Array;
    case 'float':
      return values instanceof Float32Array;
    case 'double':
      return values instanceof Float64Array;
    case 'binary':
      return isBinaryValues(values);
  }
}

/** Throws INVALID_ARGUMENT unless `count` is a non-negative int32. */
export function checkCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0 || count > 0x7fffffff) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${what} must be a non-negative integer`, { expected: '0..2^31-1', actual: String(count) });
  }
}
