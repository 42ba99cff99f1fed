/**
 * TsFile data types ↔ Arrow types. Each field carries its TsFile type in the metadata key
 * `tsfile.type`, because TEXT and STRING both map to Utf8 and the writer needs to tell them apart.
 */
import { Binary, Bool, type DataType as ArrowType, DateDay, Field, Float32, Float64, Int32, Int64, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { DataType, dataTypeName } from '../format/codes.js';

export const TSFILE_TYPE_KEY = 'tsfile.type';

export function arrowTypeOf(t: DataType): ArrowType {
  switch (t) {
    case DataType.BOOLEAN:
      return new Bool();
    case DataType.INT32:
      return new Int32();
    case DataType.INT64:
    case DataType.VECTOR:
      return new Int64();
    case DataType.FLOAT:
      return new Float32();
    case DataType.DOUBLE:
      return new Float64();
    case DataType.TEXT:
    case DataType.STRING:
      return new Utf8();
    case DataType.BLOB:
      return new Binary();
    case DataType.DATE:
      return new DateDay();
    case DataType.TIMESTAMP:
      return new TimestampMillisecond();
  }
}

/** The field of a measurement column; `extra` adds metadata such as encoding and compression. */
export function measurementField(name: string, t: DataType, extra: Record<string, string> = {}): Field {
  const metadata = new Map<string, string>([[TSFILE_TYPE_KEY, dataTypeName(t)], ...Object.entries(extra)]);
  return new Field(name, arrowTypeOf(t), true, metadata);
}

/** The non-null int64 `time` field every batch starts with. */
export function timeField(): Field {
  return new Field('time', new Int64(), false);
}
