/**
 * The encoding layer's one entry point (tsfile-format.md §8, §10): decode/encode one page's value
 * column or time column with any encoding the format defines, checked against the §8 table of which
 * encodings apply to which data type.
 *
 *   decodeValues(encoding, type, src, count, ctx?)  exactly `count` values of one page
 *   decodeTimes(encoding, src, maxCount, ctx?)      a whole time column (SIZE_LIMIT past maxCount)
 *   encodeValues(encoding, type, values, options?)  one page, byte-identical to the Java writer
 *   encodeTimes(encoding, times)                    a time column
 *   encodeValuesInto / encodeTimesInto              the same bytes, appended to a ByteWriter
 *   supportsEncoding(type, encoding)                the §8 table (REGULAR decode-only)
 */
export { decodeTimes, decodeValues } from './decode-column.js';
export { encodeTimes, encodeTimesInto, encodeValues, encodeValuesInto } from './encode-column.js';
export { supportsEncoding } from './support.js';
export type { BinaryValues, ColumnValues, DecodeContext, EncodeOptions, FixedWidthValues } from './types.js';
