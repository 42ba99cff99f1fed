/**
 * TsFile data types ↔ Arrow types. Each field carries its TsFile type in the metadata key
 * `tsfile.type`, because TEXT and STRING both map to Utf8 and the writer needs to tell them apart.
 * `time` and TIMESTAMP columns are Arrow Timestamps in the file's unit (or Int64 with `int64Time`).
 */
import { Binary, Bool, type DataType as ArrowType, DateDay, Field, Float32, Float64, Int32, Int64, Utf8 } from 'apache-arrow';
import { DataType, dataTypeName } from '../format/codes.js';
import { TIME_UNIT_KEY, timestampType, type TimeUnitName } from './time-unit.js';

/** How `time` and TIMESTAMP values are typed in Arrow. */
export interface TimeTyping {
  /** Unit of the file's times (default 'ms'). */
  unit?: TimeUnitName;
  /** Plain Int64 instead of Timestamp (the unit is then only in the field metadata). */
  int64?: boolean;
}

export const TSFILE_TYPE_KEY = 'tsfile.type';

export function arrowTypeOf(t: DataType, time: TimeTyping = {}): ArrowType {
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
      return time.int64 === true ? new Int64() : timestampType(time.unit ?? 'ms');
  }
}

/** The field of a measurement column; `extra` adds metadata such as encoding and compression. */
export function measurementField(name: string, t: DataType, extra: Record<string, string> = {}, time: TimeTyping = {}): Field {
  const metadata = new Map<string, string>([[TSFILE_TYPE_KEY, dataTypeName(t)], ...Object.entries(extra)]);
  if (t === DataType.TIMESTAMP) metadata.set(TIME_UNIT_KEY, time.unit ?? 'ms');
  return new Field(name, arrowTypeOf(t, time), true, metadata);
}

/** The non-null `time` field every batch starts with: Timestamp in the file's unit. */
export function timeField(time: TimeTyping = {}): Field {
  const metadata = new Map<string, string>([[TIME_UNIT_KEY, time.unit ?? 'ms']]);
  return new Field('time', time.int64 === true ? new Int64() : timestampType(time.unit ?? 'ms'), false, metadata);
}
