/**
 * The shapes decoded columns take. Decoders produce, and encoders consume, plain typed arrays so
 * that Arrow columns can be built from them without per-value work:
 *   BOOLEAN            → Uint8Array of 0/1 (one byte per value)
 *   INT32, DATE        → Int32Array
 *   INT64, TIMESTAMP   → BigInt64Array (decoders fill it through an Int32Array lo/hi view, never with BigInt per value)
 *   FLOAT              → Float32Array
 *   DOUBLE             → Float64Array
 *   TEXT, STRING, BLOB → BinaryValues (Arrow's own variable-width layout: offsets + concatenated bytes)
 */

export interface BinaryValues {
  /** count + 1 offsets into `data`; value i is data[offsets[i], offsets[i+1]). */
  offsets: Int32Array;
  data: Uint8Array;
}

export type ColumnValues = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array | BinaryValues;

/** Where an encoded stream sits, for error messages. */
export interface DecodeContext {
  /** File label. */
  file?: string | undefined;
  /** Absolute offset (in the file, or of the page) of the stream's first byte. */
  offset?: number | undefined;
  /** What is being decoded, e.g. "root.sg.d1.s1 page 3 values". */
  what?: string | undefined;
  /**
   * Optional storage to decode into instead of a fresh array, so a reader can decode all pages of a
   * chunk into one allocation (e.g. `subarray` views of one column buffer). decodeValues: a typed
   * array of the column's shape with exactly `count` elements (not for binary columns); it is filled
   * and returned. decodeTimes: a BigInt64Array; when it has room for the whole column the result is
   * a view of its first elements, otherwise a fresh array is returned.
   */
  into?: FixedWidthValues | undefined;
}

/** The typed-array shapes of fixed-width columns. */
export type FixedWidthValues = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Options an encoder may need (tsfile-format.md §10.3.4). */
export interface EncodeOptions {
  /** Decimal digits kept by RLE/TS_2DIFF for FLOAT/DOUBLE (the `max_point_number` property); default 2. */
  maxPointNumber?: number;
}

export function isBinaryValues(v: ColumnValues): v is BinaryValues {
  return (v as BinaryValues).offsets !== undefined;
}

/** Number of values in a column. */
export function columnLength(v: ColumnValues): number {
  return isBinaryValues(v) ? v.offsets.length - 1 : v.length;
}
