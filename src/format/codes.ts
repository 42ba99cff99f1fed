/** Enumeration codes of the format (tsfile-format.md §1.7, §2.1): data types, encodings, compressions, markers. */
import { ErrorCode, TsFileError } from '../io/errors.js';

export const DataType = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  FLOAT: 3,
  DOUBLE: 4,
  TEXT: 5,
  VECTOR: 6,
  TIMESTAMP: 8,
  DATE: 9,
  BLOB: 10,
  STRING: 11,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];
export type DataTypeName = keyof typeof DataType;

export const Encoding = {
  PLAIN: 0,
  DICTIONARY: 1,
  RLE: 2,
  DIFF: 3,
  TS_2DIFF: 4,
  BITMAP: 5,
  GORILLA_V1: 6,
  REGULAR: 7,
  GORILLA: 8,
  ZIGZAG: 9,
  FREQ: 10,
  CHIMP: 11,
  SPRINTZ: 12,
  RLBE: 13,
} as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];
export type EncodingName = keyof typeof Encoding;

export const Compression = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  LZO: 3,
  SDT: 4,
  PAA: 5,
  PLA: 6,
  LZ4: 7,
  ZSTD: 8,
  LZMA2: 9,
  AUTO: 10,
} as const;
export type Compression = (typeof Compression)[keyof typeof Compression];
export type CompressionName = keyof typeof Compression;

export const Marker = {
  CHUNK_GROUP_HEADER: 0x00,
  CHUNK_HEADER: 0x01,
  SEPARATOR: 0x02,
  VERSION: 0x03,
  OPERATION_INDEX_RANGE: 0x04,
  ONLY_ONE_PAGE_CHUNK_HEADER: 0x05,
  TIME_CHUNK_HEADER: 0x81,
  VALUE_CHUNK_HEADER: 0x41,
  ONLY_ONE_PAGE_TIME_CHUNK_HEADER: 0x85,
  ONLY_ONE_PAGE_VALUE_CHUNK_HEADER: 0x45,
} as const;

export const TIME_COLUMN_MASK = 0x80;
export const VALUE_COLUMN_MASK = 0x40;

export const MetadataIndexNodeType = {
  INTERNAL_DEVICE: 0,
  LEAF_DEVICE: 1,
  INTERNAL_MEASUREMENT: 2,
  LEAF_MEASUREMENT: 3,
} as const;
export type MetadataIndexNodeType = (typeof MetadataIndexNodeType)[keyof typeof MetadataIndexNodeType];

export const ColumnCategory = { TAG: 0, FIELD: 1, ATTRIBUTE: 2 } as const;
export type ColumnCategory = (typeof ColumnCategory)[keyof typeof ColumnCategory];

function invert<T extends Record<string, number>>(o: T): Map<number, keyof T & string> {
  return new Map(Object.entries(o).map(([k, v]) => [v, k as keyof T & string]));
}
const dataTypeNames = invert(DataType);
const encodingNames = invert(Encoding);
const compressionNames = invert(Compression);

export function dataTypeName(code: number): string {
  return dataTypeNames.get(code) ?? `UNKNOWN(${code})`;
}
export function encodingName(code: number): string {
  return encodingNames.get(code) ?? `UNKNOWN(${code})`;
}
export function compressionName(code: number): string {
  return compressionNames.get(code) ?? `UNKNOWN(${code})`;
}

interface Where {
  file?: string | undefined;
  offset?: number | undefined;
}

export function checkDataType(code: number, where: Where = {}): DataType {
  if (!dataTypeNames.has(code) || code === 7) {
    throw new TsFileError(ErrorCode.UNKNOWN_CODE, 'unknown data type code', {
      ...where,
      expected: 'one of 0-6, 8-11',
      actual: String(code),
    });
  }
  return code as DataType;
}

export function checkEncoding(code: number, where: Where = {}): Encoding {
  if (!encodingNames.has(code)) {
    throw new TsFileError(ErrorCode.UNKNOWN_CODE, 'unknown encoding code', { ...where, expected: 'one of 0-13', actual: String(code) });
  }
  return code as Encoding;
}

export function checkCompression(code: number, where: Where = {}): Compression {
  if (!compressionNames.has(code)) {
    throw new TsFileError(ErrorCode.UNKNOWN_CODE, 'unknown compression code', { ...where, expected: 'one of 0-10', actual: String(code) });
  }
  return code as Compression;
}

/** Parses a data type / encoding / compression given by name (case-insensitive), for options and the CLI. */
export function parseDataTypeName(name: string): DataType {
  const v = (DataType as Record<string, number>)[name.toUpperCase()];
  if (v === undefined || v === DataType.VECTOR) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown data type "${name}"`);
  return v as DataType;
}
export function parseEncodingName(name: string): Encoding {
  const v = (Encoding as Record<string, number>)[name.toUpperCase()];
  if (v === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown encoding "${name}"`);
  return v as Encoding;
}
export function parseCompressionName(name: string): Compression {
  const v = (Compression as Record<string, number>)[name.toUpperCase()];
  if (v === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown compression "${name}"`);
  return v as Compression;
}

/** The storage class of a data type: how its values are represented in pages (§8). */
export type PhysicalType = 'boolean' | 'int32' | 'int64' | 'float' | 'double' | 'binary';

export function physicalType(t: DataType): PhysicalType {
  switch (t) {
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
    case DataType.TEXT:
    case DataType.STRING:
    case DataType.BLOB:
      return 'binary';
  }
}
