/**
 * The encoding layer's one entry point (tsfile-format.md §8, §10): decode/encode one page's value
 * column or time column with any encoding the format defines, checked against the §8 table of which
 * encodings apply to which data type.
 */
import { DataType, Encoding } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { decodeFailed, invalidInput, unsupportedEncoding } from './decode-error.js';
import { decodeDictionary, encodeDictionary } from './dictionary.js';
import { decodeWrappedDouble, decodeWrappedFloat, encodeWrappedDouble, encodeWrappedFloat } from './float-wrapper.js';
import {
  decodeGorilla32,
  decodeGorilla64,
  encodeGorilla32,
  encodeGorilla64,
  GORILLA_DOUBLE_END_HI,
  GORILLA_FLOAT_END,
  GORILLA_INT32_END,
  GORILLA_INT64_END_HI,
} from './gorilla.js';
import { float32Bits, float64Words, int64Words } from './int64.js';
import {
  decodePlainBinary,
  decodePlainBoolean,
  decodePlainDouble,
  decodePlainFloat,
  decodePlainInt32,
  decodePlainInt64,
  decodePlainTimes,
  encodePlainBinary,
  encodePlainBoolean,
  encodePlainDouble,
  encodePlainFloat,
  encodePlainInt32,
  encodePlainInt64,
} from './plain.js';
import { decodeRleBoolean, decodeRleInt32, decodeRleInt64, decodeRleTimes, encodeRleBoolean, encodeRleInt32, encodeRleInt64 } from './rle.js';
import { decodeChimp, encodeChimp } from './chimp.js';
import { decodeGorillaV1Double, decodeGorillaV1Float, encodeGorillaV1Double, encodeGorillaV1Float } from './gorilla-v1.js';
import { decodeRegular } from './regular.js';
import { decodeRlbe, encodeRlbe, type RlbeKind } from './rlbe.js';
import { decodeSprintz32, decodeSprintz64, encodeSprintz32, encodeSprintz64 } from './sprintz.js';
import { WordSink } from './word-sink.js';
import { decodeZigzagInt32, decodeZigzagInt64, decodeZigzagTimes, encodeZigzagInt32, encodeZigzagInt64 } from './zigzag.js';
import { decodeTs2DiffInt32, decodeTs2DiffInt64, decodeTs2DiffTimes, encodeTs2DiffInt32, encodeTs2DiffInt64 } from './ts2diff.js';
import { type BinaryValues, type ColumnValues, type DecodeContext, type EncodeOptions, type FixedWidthValues, isBinaryValues } from './types.js';

export type { BinaryValues, ColumnValues, DecodeContext, EncodeOptions, FixedWidthValues } from './types.js';

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

type Kind = 'boolean' | 'int32' | 'int64' | 'float' | 'double' | 'binary';

function kindOf(type: DataType): Kind {
  switch (type) {
    case DataType.BOOLEAN:
      return 'boolean';
    case DataType.INT32:
    case DataType.DATE:
      return 'int32';
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.VECTOR:
      return 'int64';
    case DataType.FLOAT:
      return 'float';
    case DataType.DOUBLE:
      return 'double';
    default:
      return 'binary';
  }
}

function checkCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0 || count > 0x7fffffff) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${what} must be a non-negative integer`, { expected: '0..2^31-1', actual: String(count) });
  }
}

/** Decodes exactly `count` values of `type` from one page's encoded stream `src` (the whole slice is the stream). */
export function decodeValues(encoding: Encoding, type: DataType, src: Uint8Array, count: number, ctx?: DecodeContext): ColumnValues {
  checkCount(count, 'value count');
  if (!supportsEncoding(type, encoding)) throw unsupportedEncoding(encoding, type);
  const into = ctx?.into;
  if (into === undefined) return decodeColumn(encoding, type, src, count, ctx, undefined);
  if (!hasShape(type, into) || into.length !== count) {
    throw invalidInput('DecodeContext.into does not fit the column', `${kindOf(type)} values, ${count} elements`, `${into.constructor.name} of ${into.length}`);
  }
  const result = decodeColumn(encoding, type, src, count, ctx, into);
  if (result !== into) (into as { set(a: ArrayLike<number | bigint>): void }).set(result as ArrayLike<number | bigint>);
  return into;
}

/** The decoders; the hot ones write straight into `into` when given, the others are copied by the caller. */
function decodeColumn(
  encoding: Encoding,
  type: DataType,
  src: Uint8Array,
  count: number,
  ctx: DecodeContext | undefined,
  into: FixedWidthValues | undefined,
): ColumnValues {
  const kind = kindOf(type);
  switch (encoding) {
    case E.PLAIN:
      switch (kind) {
        case 'boolean':
          return decodePlainBoolean(src, count, ctx, into as Uint8Array | undefined);
        case 'int32':
          return decodePlainInt32(src, count, ctx, into as Int32Array | undefined);
        case 'int64':
          return decodePlainInt64(src, count, ctx, into as BigInt64Array | undefined);
        case 'float':
          return decodePlainFloat(src, count, ctx, into as Float32Array | undefined);
        case 'double':
          return decodePlainDouble(src, count, ctx, into as Float64Array | undefined);
        case 'binary':
          return decodePlainBinary(src, count, ctx);
      }
      break;
    case E.RLE:
      switch (kind) {
        case 'boolean':
          return decodeRleBoolean(src, count, ctx, into as Uint8Array | undefined);
        case 'int32':
          return decodeRleInt32(src, count, ctx, into as Int32Array | undefined);
        case 'int64':
          return decodeRleInt64(src, count, ctx, into as BigInt64Array | undefined);
        case 'float':
          return decodeWrappedFloat('RLE', src, count, ctx);
        case 'double':
          return decodeWrappedDouble('RLE', src, count, ctx);
      }
      break;
    case E.TS_2DIFF:
      switch (kind) {
        case 'int32':
          return decodeTs2DiffInt32(src, count, ctx, into as Int32Array | undefined);
        case 'int64':
          return decodeTs2DiffInt64(src, count, ctx, into as BigInt64Array | undefined);
        case 'float':
          return decodeWrappedFloat('TS_2DIFF', src, count, ctx);
        case 'double':
          return decodeWrappedDouble('TS_2DIFF', src, count, ctx);
      }
      break;
    case E.GORILLA:
      switch (kind) {
        case 'int32': {
          const out = (into as Int32Array | undefined) ?? new Int32Array(count);
          decodeGorilla32(src, count, out, count, GORILLA_INT32_END, ctx, 'GORILLA INT32');
          return out;
        }
        case 'float': {
          const out = (into as Float32Array | undefined) ?? new Float32Array(count);
          decodeGorilla32(src, count, float32Bits(out), count, GORILLA_FLOAT_END, ctx, 'GORILLA FLOAT');
          return out;
        }
        case 'int64': {
          const out = (into as BigInt64Array | undefined) ?? new BigInt64Array(count);
          decodeGorilla64(src, count, int64Words(out), count, GORILLA_INT64_END_HI, ctx, 'GORILLA INT64');
          return out;
        }
        case 'double': {
          const out = (into as Float64Array | undefined) ?? new Float64Array(count);
          decodeGorilla64(src, count, float64Words(out), count, GORILLA_DOUBLE_END_HI, ctx, 'GORILLA DOUBLE');
          return out;
        }
      }
      break;
    case E.DICTIONARY:
      return decodeDictionary(src, count, ctx);
    case E.GORILLA_V1:
      if (kind === 'float') {
        const out = new Float32Array(count);
        decodeGorillaV1Float(src, count, float32Bits(out), ctx);
        return out;
      } else {
        const out = new Float64Array(count);
        decodeGorillaV1Double(src, count, float64Words(out), ctx);
        return out;
      }
    case E.ZIGZAG:
      return kind === 'int32' ? decodeZigzagInt32(src, count, ctx) : decodeZigzagInt64(src, count, ctx);
    case E.CHIMP:
      switch (kind) {
        case 'int32': {
          const out = new Int32Array(count);
          decodeChimp(src, false, count, out, count, GORILLA_INT32_END, ctx, 'CHIMP INT32');
          return out;
        }
        case 'float': {
          const out = new Float32Array(count);
          decodeChimp(src, false, count, float32Bits(out), count, GORILLA_FLOAT_END, ctx, 'CHIMP FLOAT');
          return out;
        }
        case 'int64': {
          const out = new BigInt64Array(count);
          decodeChimp(src, true, count, int64Words(out), count, GORILLA_INT64_END_HI, ctx, 'CHIMP INT64');
          return out;
        }
        case 'double': {
          const out = new Float64Array(count);
          decodeChimp(src, true, count, float64Words(out), count, GORILLA_DOUBLE_END_HI, ctx, 'CHIMP DOUBLE');
          return out;
        }
      }
      break;
    case E.SPRINTZ:
      switch (kind) {
        case 'int32': {
          const out = new Int32Array(count);
          decodeSprintz32('int32', src, count, out, ctx);
          return out;
        }
        case 'float': {
          const out = new Float32Array(count);
          decodeSprintz32('float', src, count, float32Bits(out), ctx);
          return out;
        }
        case 'int64': {
          const out = new BigInt64Array(count);
          decodeSprintz64('int64', src, new WordSink(count, count, ctx, 'SPRINTZ INT64', int64Words(out)), ctx);
          return out;
        }
        case 'double': {
          const out = new Float64Array(count);
          decodeSprintz64('double', src, new WordSink(count, count, ctx, 'SPRINTZ DOUBLE', float64Words(out)), ctx);
          return out;
        }
      }
      break;
    case E.RLBE: {
      const rk = kind as RlbeKind;
      const wide = kind === 'int64' || kind === 'double';
      const out = kind === 'int32' ? new Int32Array(count) : kind === 'float' ? new Float32Array(count) : kind === 'int64' ? new BigInt64Array(count) : new Float64Array(count);
      const words = wide ? new Int32Array(out.buffer) : new Int32Array(2 * count);
      decodeRlbe(rk, src, new WordSink(count, count, ctx, `RLBE ${rk.toUpperCase()}`, words), ctx);
      if (!wide) lowWords(words, new Int32Array(out.buffer), count);
      return out;
    }
    case E.REGULAR: {
      if (kind === 'int64') {
        const out = new BigInt64Array(count);
        decodeRegular(true, src, new WordSink(count, count, ctx, 'REGULAR INT64', int64Words(out)), ctx);
        return out;
      }
      const words = new Int32Array(2 * count);
      decodeRegular(false, src, new WordSink(count, count, ctx, 'REGULAR INT32', words), ctx);
      const out = new Int32Array(count);
      lowWords(words, out, count);
      return out;
    }
  }
  throw unsupportedEncoding(encoding, type, ' by this build');
}

/** Copies the low word of each of n lo/hi pairs. */
function lowWords(words: Int32Array, out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = words[2 * i]!;
}

/** Widens n int32 patterns to lo/hi pairs with a zero high word. */
function widen(values: Int32Array): Int32Array {
  const words = new Int32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) words[2 * i] = values[i]!;
  return words;
}

/** Copies the first n lo/hi word pairs into a BigInt64Array of exactly n values. */
function wordsToInt64(words: Int32Array, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  int64Words(out).set(words.subarray(0, 2 * n));
  return out;
}

/** Decodes a time column (int64, e.g. TS_2DIFF, or whatever an aligned time chunk records) until the stream ends; throws SIZE_LIMIT past maxCount values. */
export function decodeTimes(encoding: Encoding, src: Uint8Array, maxCount: number, ctx?: DecodeContext): BigInt64Array {
  checkCount(maxCount, 'maxCount');
  if (!supportsEncoding(DataType.INT64, encoding)) throw unsupportedEncoding(encoding, DataType.INT64, ' for a time column');
  const into = ctx?.into;
  if (into !== undefined && !(into instanceof BigInt64Array)) {
    throw invalidInput('DecodeContext.into of a time column must be a BigInt64Array', 'BigInt64Array', into.constructor.name);
  }
  switch (encoding) {
    case E.TS_2DIFF:
      return decodeTs2DiffTimes(src, maxCount, ctx, into);
    case E.PLAIN: {
      const times = decodePlainTimes(src, ctx, into);
      if (times.length > maxCount) throw decodeFailed(ctx, 'PLAIN time column holds too many values', 0, `at most ${maxCount}`, String(times.length));
      return times;
    }
    case E.RLE:
      return decodeRleTimes(src, maxCount, ctx, into);
    case E.GORILLA: {
      const r = decodeGorilla64(src, -1, new Int32Array(2 * Math.min(maxCount, 1024)), maxCount, GORILLA_INT64_END_HI, ctx, 'GORILLA time column');
      return wordsToInt64(r.values, r.n);
    }
    case E.CHIMP: {
      const r = decodeChimp(src, true, -1, new Int32Array(2 * Math.min(maxCount, 1024)), maxCount, GORILLA_INT64_END_HI, ctx, 'CHIMP time column');
      return wordsToInt64(r.values, r.n);
    }
    case E.ZIGZAG:
      return decodeZigzagTimes(src, maxCount, ctx);
    case E.SPRINTZ: {
      const sink = new WordSink(-1, maxCount, ctx, 'SPRINTZ time column');
      decodeSprintz64('int64', src, sink, ctx);
      return sink.toInt64();
    }
    case E.RLBE: {
      const sink = new WordSink(-1, maxCount, ctx, 'RLBE time column');
      decodeRlbe('int64', src, sink, ctx);
      return sink.toInt64();
    }
    case E.REGULAR: {
      const sink = new WordSink(-1, maxCount, ctx, 'REGULAR time column');
      decodeRegular(true, src, sink, ctx);
      return sink.toInt64();
    }
  }
  throw unsupportedEncoding(encoding, DataType.INT64, ' by this build');
}

function hasShape(type: DataType, values: ColumnValues): boolean {
  const kind = kindOf(type);
  return (
    kind === 'boolean'
      ? values instanceof Uint8Array
      : kind === 'int32'
        ? values instanceof Int32Array
        : kind === 'int64'
          ? values instanceof BigInt64Array
          : kind === 'float'
            ? values instanceof Float32Array
            : kind === 'double'
              ? values instanceof Float64Array
              : isBinaryValues(values)
  );
}

/** Encodes one page's values as the Java reference writer does (byte-identical wherever §10 gives the algorithm). */
export function encodeValues(encoding: Encoding, type: DataType, values: ColumnValues, options?: EncodeOptions): Uint8Array {
  if (!supportsEncoding(type, encoding) || encoding === E.REGULAR) {
    throw unsupportedEncoding(encoding, type, encoding === E.REGULAR ? ' for writing (REGULAR is decode-only)' : '');
  }
  if (!hasShape(type, values)) throw invalidInput('values do not have the shape of the data type', `${kindOf(type)} values`, values.constructor.name);
  const kind = kindOf(type);
  const maxPointNumber = options?.maxPointNumber;
  switch (encoding) {
    case E.PLAIN:
      switch (kind) {
        case 'boolean':
          return encodePlainBoolean(values as Uint8Array);
        case 'int32':
          return encodePlainInt32(values as Int32Array);
        case 'int64':
          return encodePlainInt64(values as BigInt64Array);
        case 'float':
          return encodePlainFloat(values as Float32Array);
        case 'double':
          return encodePlainDouble(values as Float64Array);
        case 'binary':
          return encodePlainBinary(values as BinaryValues);
      }
      break;
    case E.RLE:
      switch (kind) {
        case 'boolean':
          return encodeRleBoolean(values as Uint8Array);
        case 'int32':
          return encodeRleInt32(values as Int32Array);
        case 'int64':
          return encodeRleInt64(values as BigInt64Array);
        case 'float':
          return encodeWrappedFloat('RLE', values as Float32Array, maxPointNumber);
        case 'double':
          return encodeWrappedDouble('RLE', values as Float64Array, maxPointNumber);
      }
      break;
    case E.TS_2DIFF:
      switch (kind) {
        case 'int32':
          return encodeTs2DiffInt32(values as Int32Array);
        case 'int64':
          return encodeTs2DiffInt64(values as BigInt64Array);
        case 'float':
          return encodeWrappedFloat('TS_2DIFF', values as Float32Array, maxPointNumber);
        case 'double':
          return encodeWrappedDouble('TS_2DIFF', values as Float64Array, maxPointNumber);
      }
      break;
    case E.GORILLA:
      switch (kind) {
        case 'int32':
          return encodeGorilla32(values as Int32Array, (values as Int32Array).length, GORILLA_INT32_END);
        case 'float':
          return encodeGorilla32(float32Bits(values as Float32Array), (values as Float32Array).length, GORILLA_FLOAT_END);
        case 'int64':
          return encodeGorilla64(int64Words(values as BigInt64Array), (values as BigInt64Array).length, GORILLA_INT64_END_HI);
        case 'double':
          return encodeGorilla64(float64Words(values as Float64Array), (values as Float64Array).length, GORILLA_DOUBLE_END_HI);
      }
      break;
    case E.DICTIONARY:
      return encodeDictionary(values as BinaryValues);
    case E.GORILLA_V1:
      return kind === 'float'
        ? encodeGorillaV1Float(float32Bits(values as Float32Array))
        : encodeGorillaV1Double(float64Words(values as Float64Array), (values as Float64Array).length);
    case E.ZIGZAG:
      return kind === 'int32' ? encodeZigzagInt32(values as Int32Array) : encodeZigzagInt64(values as BigInt64Array);
    case E.CHIMP:
      switch (kind) {
        case 'int32':
          return encodeChimp(values as Int32Array, (values as Int32Array).length, false, GORILLA_INT32_END);
        case 'float':
          return encodeChimp(float32Bits(values as Float32Array), (values as Float32Array).length, false, GORILLA_FLOAT_END);
        case 'int64':
          return encodeChimp(int64Words(values as BigInt64Array), (values as BigInt64Array).length, true, GORILLA_INT64_END_HI);
        case 'double':
          return encodeChimp(float64Words(values as Float64Array), (values as Float64Array).length, true, GORILLA_DOUBLE_END_HI);
      }
      break;
    case E.SPRINTZ:
      switch (kind) {
        case 'int32':
          return encodeSprintz32('int32', values as Int32Array);
        case 'float':
          return encodeSprintz32('float', float32Bits(values as Float32Array));
        case 'int64':
          return encodeSprintz64('int64', int64Words(values as BigInt64Array), (values as BigInt64Array).length);
        case 'double':
          return encodeSprintz64('double', float64Words(values as Float64Array), (values as Float64Array).length);
      }
      break;
    case E.RLBE:
      switch (kind) {
        case 'int32':
          return encodeRlbe('int32', widen(values as Int32Array), (values as Int32Array).length);
        case 'float':
          return encodeRlbe('float', widen(float32Bits(values as Float32Array)), (values as Float32Array).length);
        case 'int64':
          return encodeRlbe('int64', int64Words(values as BigInt64Array), (values as BigInt64Array).length);
        case 'double':
          return encodeRlbe('double', float64Words(values as Float64Array), (values as Float64Array).length);
      }
      break;
  }
  throw unsupportedEncoding(encoding, type, ' by this build');
}

/** Encodes a time column (int64) with the given encoding (TS_2DIFF by default). */
export function encodeTimes(encoding: Encoding, times: BigInt64Array): Uint8Array {
  return encodeValues(encoding ?? E.TS_2DIFF, DataType.INT64, times);
}
