/**
 * Decoding entry points (tsfile-format.md §10, §10.1): one page's value column with exactly `count`
 * values, or a whole time column, dispatched to the encoding's decoder.
 */
import { DataType, Encoding, physicalType } from '../format/codes.js';
import { decodeChimp } from './chimp.js';
import { invalidInput, tooManyValues, unsupportedEncoding } from './decode-error.js';
import { decodeDictionary } from './dictionary.js';
import { decodeWrappedDouble, decodeWrappedFloat } from './float-wrapper.js';
import { decodeGorillaV1Double, decodeGorillaV1Float } from './gorilla-v1.js';
import { decodeGorilla32, decodeGorilla64, GORILLA_DOUBLE_END_HI, GORILLA_FLOAT_END, GORILLA_INT32_END, GORILLA_INT64_END_HI } from './gorilla.js';
import { float32Bits, float64Words, int64Words } from './int64.js';
import {
  decodePlainBinary,
  decodePlainBoolean,
  decodePlainDouble,
  decodePlainFloat,
  decodePlainInt32,
  decodePlainInt64,
  decodePlainTimes,
} from './plain.js';
import { decodeRegular } from './regular.js';
import { decodeRlbe, type RlbeKind } from './rlbe.js';
import { decodeRleBoolean, decodeRleInt32, decodeRleInt64, decodeRleTimes } from './rle.js';
import { decodeSprintz32, decodeSprintz64 } from './sprintz.js';
import { checkCount, hasShape, supportsEncoding } from './support.js';
import { decodeTs2DiffInt32, decodeTs2DiffInt64, decodeTs2DiffTimes } from './ts2diff.js';
import type { ColumnValues, DecodeContext, FixedWidthValues } from './types.js';
import { wasmGorillaDecode32, wasmGorillaDecode64, wasmPlainSwap, wasmTs2DiffDecode64, wasmTs2DiffTimes } from './wasm-kernels.js';
import { WordSink } from './word-sink.js';
import { decodeZigzagInt32, decodeZigzagInt64, decodeZigzagTimes } from './zigzag.js';

const E = Encoding;

/** Decodes exactly `count` values of `type` from one page's encoded stream `src` (the whole slice is the stream). */
export function decodeValues(encoding: Encoding, type: DataType, src: Uint8Array, count: number, ctx?: DecodeContext): ColumnValues {
  checkCount(count, 'value count');
  if (!supportsEncoding(type, encoding)) throw unsupportedEncoding(encoding, type);
  const into = ctx?.into;
  if (into === undefined) return decodeColumn(encoding, type, src, count, ctx, undefined);
  if (!hasShape(type, into) || into.length !== count) {
    throw invalidInput('DecodeContext.into does not fit the column', `${physicalType(type)} values, ${count} elements`, `${into.constructor.name} of ${into.length}`);
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
  const kind = physicalType(type);
  switch (encoding) {
    case E.PLAIN:
      switch (kind) {
        case 'boolean':
          return decodePlainBoolean(src, count, ctx, into as Uint8Array | undefined);
        case 'int32':
          return decodePlainInt32(src, count, ctx, into as Int32Array | undefined);
        case 'int64': {
          if (src.length === 8 * count) {
            const out = (into as BigInt64Array | undefined) ?? new BigInt64Array(count);
            if (wasmPlainSwap(src, count, 8, out)) return out;
          }
          return decodePlainInt64(src, count, ctx, into as BigInt64Array | undefined);
        }
        case 'float': {
          if (src.length === 4 * count) {
            const out = (into as Float32Array | undefined) ?? new Float32Array(count);
            if (wasmPlainSwap(src, count, 4, out)) return out;
          }
          return decodePlainFloat(src, count, ctx, into as Float32Array | undefined);
        }
        case 'double': {
          if (src.length === 8 * count) {
            const out = (into as Float64Array | undefined) ?? new Float64Array(count);
            if (wasmPlainSwap(src, count, 8, out)) return out;
          }
          return decodePlainDouble(src, count, ctx, into as Float64Array | undefined);
        }
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
        case 'int64': {
          const out = (into as BigInt64Array | undefined) ?? new BigInt64Array(count);
          if (wasmTs2DiffDecode64(src, count, out)) return out;
          return decodeTs2DiffInt64(src, count, ctx, out);
        }
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
          if (!wasmGorillaDecode32(src, count, GORILLA_INT32_END, out)) decodeGorilla32(src, count, out, count, GORILLA_INT32_END, ctx, 'GORILLA INT32');
          return out;
        }
        case 'float': {
          const out = (into as Float32Array | undefined) ?? new Float32Array(count);
          if (!wasmGorillaDecode32(src, count, GORILLA_FLOAT_END, out)) decodeGorilla32(src, count, float32Bits(out), count, GORILLA_FLOAT_END, ctx, 'GORILLA FLOAT');
          return out;
        }
        case 'int64': {
          const out = (into as BigInt64Array | undefined) ?? new BigInt64Array(count);
          if (!wasmGorillaDecode64(src, count, GORILLA_INT64_END_HI, out)) decodeGorilla64(src, count, int64Words(out), count, GORILLA_INT64_END_HI, ctx, 'GORILLA INT64');
          return out;
        }
        case 'double': {
          const out = (into as Float64Array | undefined) ?? new Float64Array(count);
          if (!wasmGorillaDecode64(src, count, GORILLA_DOUBLE_END_HI, out)) decodeGorilla64(src, count, float64Words(out), count, GORILLA_DOUBLE_END_HI, ctx, 'GORILLA DOUBLE');
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
  const times = decodeTimeColumn(encoding, src, maxCount, ctx, into);
  if (into === undefined || times.buffer === into.buffer || times.length > into.length) return times;
  into.set(times);
  return into.subarray(0, times.length);
}

/** The time decoders; TS_2DIFF, PLAIN and RLE write straight into `into` when it is large enough. */
function decodeTimeColumn(encoding: Encoding, src: Uint8Array, maxCount: number, ctx: DecodeContext | undefined, into: BigInt64Array | undefined): BigInt64Array {
  switch (encoding) {
    case E.TS_2DIFF:
      return wasmTs2DiffTimes(src, maxCount, into) ?? decodeTs2DiffTimes(src, maxCount, ctx, into);
    case E.PLAIN:
      if (src.length / 8 > maxCount) throw tooManyValues(ctx, 'PLAIN time column', maxCount, Math.floor(src.length / 8));
      return decodePlainTimes(src, ctx, into);
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

