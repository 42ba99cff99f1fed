/**
 * Registration of series, aligned devices and tables (tsfile-format.md §8 supported encodings per
 * type, §10.3.4 float precision, §13.7 table columns): user-facing specs are checked and resolved to
 * the codes the chunk writer needs.
 */
import { encodeValues, supportsEncoding } from '../encoding/index.js';
import type { ColumnValues } from '../encoding/types.js';
import {
  ColumnCategory,
  type Compression,
  type CompressionName,
  DataType,
  type DataTypeName,
  type Encoding,
  type EncodingName,
  compressionName,
  dataTypeName,
  encodingName,
  parseDataTypeName,
} from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ColumnSchema } from './chunk-writer.js';
import { toCompression, toEncoding, type ResolvedWriterOptions } from './options.js';
import type { TableColumn } from './table-schema.js';

/** One series / aligned column as the caller describes it. */
export interface TimeseriesSpec {
  measurement: string;
  dataType: DataType | DataTypeName;
  encoding?: Encoding | EncodingName;
  compression?: Compression | CompressionName;
  /** Decimal digits kept by RLE/TS_2DIFF on FLOAT/DOUBLE; defaults to the writer's floatPrecision. */
  maxPointNumber?: number;
}

/** One table column as the caller describes it; TAG columns are always STRING. */
export interface TableColumnSpec {
  name: string;
  category: 'TAG' | 'FIELD' | 'ATTRIBUTE' | ColumnCategory;
  dataType?: DataType | DataTypeName;
  encoding?: Encoding | EncodingName;
  compression?: Compression | CompressionName;
}

const COMPRESSIONS_WRITTEN = new Set<number>([0, 1, 2, 7, 8, 9]);

function toDataType(v: DataType | DataTypeName): DataType {
  if (typeof v === 'string') return parseDataTypeName(v);
  if (v === DataType.VECTOR || dataTypeName(v).startsWith('UNKNOWN')) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'not a data type of a measurement', { actual: String(v) });
  }
  return v;
}

/** One value of each type's shape, to ask the encoder at registration whether it can write the pair. */
function sampleValues(type: DataType): ColumnValues {
  switch (type) {
    case DataType.BOOLEAN:
      return new Uint8Array(1);
    case DataType.INT32:
    case DataType.DATE:
      return new Int32Array([20240101]);
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return new BigInt64Array(1);
    case DataType.FLOAT:
      return new Float32Array(1);
    case DataType.DOUBLE:
      return new Float64Array(1);
    default:
      return { offsets: new Int32Array([0, 1]), data: new Uint8Array([0x61]) };
  }
}

/** Fails at registration, not at flush, when this build has no encoder for the pair. */
function probeEncoder(type: DataType, encoding: Encoding, where: string, measurement: string): void {
  try {
    encodeValues(encoding, type, sampleValues(type), { maxPointNumber: 2 });
  } catch (cause) {
    throw new TsFileError(ErrorCode.UNSUPPORTED, `this build cannot encode ${dataTypeName(type)} with ${encodingName(encoding)} (device ${where}, measurement ${measurement})`, {
      actual: `${dataTypeName(type)}/${encodingName(encoding)}`,
      cause,
    });
  }
}

export function usesFloatWrapper(s: ColumnSchema): boolean {
  return (s.dataType === DataType.FLOAT || s.dataType === DataType.DOUBLE) && (s.encoding === 2 || s.encoding === 4);
}

/** Checks and resolves a series spec; `where` names the device for messages. */
export function resolveColumnSchema(spec: TimeseriesSpec, options: ResolvedWriterOptions, where: string): ColumnSchema {
  if (typeof spec.measurement !== 'string' || spec.measurement.length === 0) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `a measurement needs a non-empty name (device ${where})`, { actual: String(spec.measurement) });
  }
  const dataType = toDataType(spec.dataType);
  const encoding = toEncoding(spec.encoding ?? options.defaultEncoding);
  const compression = toCompression(spec.compression ?? options.defaultCompression);
  if (!supportsEncoding(dataType, encoding)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `encoding ${encodingName(encoding)} cannot store ${dataTypeName(dataType)} (device ${where}, measurement ${spec.measurement})`, {
      expected: 'an encoding listed for the type in tsfile-format.md §8',
      actual: encodingName(encoding),
    });
  }
  probeEncoder(dataType, encoding, where, spec.measurement);
  if (!COMPRESSIONS_WRITTEN.has(compression)) {
    throw new TsFileError(ErrorCode.UNSUPPORTED, `compression ${compressionName(compression)} cannot be written (device ${where}, measurement ${spec.measurement})`, {
      expected: 'UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD or LZMA2',
      actual: compressionName(compression),
    });
  }
  const schema: ColumnSchema = { measurement: spec.measurement, dataType, encoding, compression };
  if (usesFloatWrapper(schema)) {
    const p = spec.maxPointNumber ?? options.floatPrecision;
    if (!Number.isSafeInteger(p) || p < 0 || p > 30) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `maxPointNumber must be an integer in 0..30 (device ${where}, measurement ${spec.measurement})`, { actual: String(p) });
    }
    schema.maxPointNumber = p;
  }
  return schema;
}

export function sameSchema(a: ColumnSchema, b: ColumnSchema): boolean {
  return a.dataType === b.dataType && a.encoding === b.encoding && a.compression === b.compression && a.maxPointNumber === b.maxPointNumber;
}

function toCategory(c: TableColumnSpec['category'], table: string, name: string): ColumnCategory {
  if (c === 'TAG' || c === ColumnCategory.TAG) return ColumnCategory.TAG;
  if (c === 'FIELD' || c === ColumnCategory.FIELD) return ColumnCategory.FIELD;
  if (c === 'ATTRIBUTE' || c === ColumnCategory.ATTRIBUTE) return ColumnCategory.ATTRIBUTE;
  throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown column category (table ${table}, column ${name})`, { expected: 'TAG, FIELD or ATTRIBUTE', actual: String(c) });
}

/** Resolves table columns: the schema entries (§13.7) and the field columns' chunk schemas. */
export function resolveTableColumns(table: string, specs: readonly TableColumnSpec[], options: ResolvedWriterOptions): { columns: TableColumn[]; fields: ColumnSchema[] } {
  const seen = new Set<string>();
  const columns: TableColumn[] = [];
  const fields: ColumnSchema[] = [];
  for (const spec of specs) {
    if (seen.has(spec.name) || spec.name === 'time') {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column name used twice or reserved (table ${table}, column ${spec.name})`);
    }
    seen.add(spec.name);
    const category = toCategory(spec.category, table, spec.name);
    if (category === ColumnCategory.TAG) {
      const t = spec.dataType === undefined ? DataType.STRING : toDataType(spec.dataType);
      if (t !== DataType.STRING) {
        throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `a TAG column must be STRING (table ${table}, column ${spec.name})`, { actual: dataTypeName(t) });
      }
      columns.push({ name: spec.name, dataType: DataType.STRING, category, encoding: 0, compression: 0 });
      continue;
    }
    if (spec.dataType === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column needs a data type (table ${table}, column ${spec.name})`);
    const s = resolveColumnSchema({ measurement: spec.name, dataType: spec.dataType, encoding: spec.encoding, compression: spec.compression } as TimeseriesSpec, options, table);
    columns.push({ name: spec.name, dataType: s.dataType, category, encoding: s.encoding, compression: s.compression });
    if (category === ColumnCategory.FIELD) fields.push(s);
  }
  return { columns, fields };
}
