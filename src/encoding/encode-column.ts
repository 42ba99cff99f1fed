/**
 * Encoding entry points (tsfile-format.md §10): one page's values, or a time column, encoded the
 * way the Java reference writer does.
 */
import { DataType, Encoding, physicalType } from '../format/codes.js';
import { encodeChimp } from './chimp.js';
import { invalidInput, unsupportedEncoding } from './decode-error.js';
import { encodeDictionary } from './dictionary.js';
import { encodeWrappedDouble, encodeWrappedFloat } from './float-wrapper.js';
import { encodeGorillaV1Double, encodeGorillaV1Float } from './gorilla-v1.js';
import type { ByteWriter } from './byte-writer.js';
import { encodeGorilla32, encodeGorilla32Into, encodeGorilla64, encodeGorilla64Into, GORILLA_DOUBLE_END_HI, GORILLA_FLOAT_END, GORILLA_INT32_END, GORILLA_INT64_END_HI } from './gorilla.js';
import { float32Bits, float64Words, int64Words } from './int64.js';
import { encodePlainBinary, encodePlainBoolean, encodePlainDouble, encodePlainFloat, encodePlainInt32, encodePlainInt64 } from './plain.js';
import { encodeRlbe } from './rlbe.js';
import { encodeRleBoolean, encodeRleInt32, encodeRleInt64 } from './rle.js';
import { encodeSprintz32, encodeSprintz64 } from './sprintz.js';
import { hasShape, supportsEncoding } from './support.js';
import { encodeTs2DiffInt32, encodeTs2DiffInt32Into, encodeTs2DiffInt64, encodeTs2DiffWordsInto, TS2DIFF_BLOCK_SIZE } from './ts2diff.js';
import type { BinaryValues, ColumnValues, EncodeOptions } from './types.js';
import { wasmTs2DiffEncode64 } from './wasm-kernels.js';
import { encodeZigzagInt32, encodeZigzagInt64 } from './zigzag.js';

const E = Encoding;

/** Widens n int32 patterns to lo/hi pairs with a zero high word. */
function widen(values: Int32Array): Int32Array {
  const words = new Int32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) words[2 * i] = values[i]!;
  return words;
}

/** Encodes one page's values as the Java reference writer does (byte-identical wherever §10 gives the algorithm). */
export function encodeValues(encoding: Encoding, type: DataType, values: ColumnValues, options?: EncodeOptions): Uint8Array {
  if (!supportsEncoding(type, encoding) || encoding === E.REGULAR) {
    throw unsupportedEncoding(encoding, type, encoding === E.REGULAR ? ' for writing (REGULAR is decode-only)' : '');
  }
  if (!hasShape(type, values)) throw invalidInput('values do not have the shape of the data type', `${physicalType(type)} values`, values.constructor.name);
  const kind = physicalType(type);
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
        case 'int64': {
          const v = values as BigInt64Array;
          return wasmTs2DiffEncode64(v, v.length, TS2DIFF_BLOCK_SIZE, (bytes) => bytes.slice()) ?? encodeTs2DiffInt64(v);
        }
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

/**
 * Appends the same bytes as encodeValues to `out`. The writer's common encodings (TS_2DIFF on
 * integers, GORILLA on numbers) write straight into `out`; the others are encoded and copied.
 */
export function encodeValuesInto(encoding: Encoding, type: DataType, values: ColumnValues, out: ByteWriter, options?: EncodeOptions): void {
  if (!supportsEncoding(type, encoding)) {
    out.bytes(encodeValues(encoding, type, values, options)); // throws the usual error
  } else if (encoding === E.TS_2DIFF && values instanceof BigInt64Array && physicalType(type) === 'int64') {
    const done = wasmTs2DiffEncode64(values, values.length, TS2DIFF_BLOCK_SIZE, (bytes) => {
      out.bytes(bytes);
      return true;
    });
    if (done === undefined) encodeTs2DiffWordsInto(int64Words(values), values.length, out);
  } else if (encoding === E.TS_2DIFF && values instanceof Int32Array && physicalType(type) === 'int32') {
    encodeTs2DiffInt32Into(values, out);
  } else if (encoding === E.GORILLA && values instanceof Float64Array && type === DataType.DOUBLE) {
    encodeGorilla64Into(float64Words(values), values.length, GORILLA_DOUBLE_END_HI, out);
  } else if (encoding === E.GORILLA && values instanceof BigInt64Array && physicalType(type) === 'int64') {
    encodeGorilla64Into(int64Words(values), values.length, GORILLA_INT64_END_HI, out);
  } else if (encoding === E.GORILLA && values instanceof Float32Array && type === DataType.FLOAT) {
    encodeGorilla32Into(float32Bits(values), values.length, GORILLA_FLOAT_END, out);
  } else if (encoding === E.GORILLA && values instanceof Int32Array && physicalType(type) === 'int32') {
    encodeGorilla32Into(values, values.length, GORILLA_INT32_END, out);
  } else {
    out.bytes(encodeValues(encoding, type, values, options));
  }
}

/** Appends the same bytes as encodeTimes to `out`. */
export function encodeTimesInto(encoding: Encoding, times: BigInt64Array, out: ByteWriter): void {
  encodeValuesInto(encoding ?? E.TS_2DIFF, DataType.INT64, times, out);
}
