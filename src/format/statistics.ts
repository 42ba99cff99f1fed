/**
 * Statistics blocks (tsfile-format.md §9): a common prefix (count, start time, end time) followed by a
 * type-specific part. Used by page headers, chunk metadata and timeseries metadata; the reader prunes
 * chunks and pages with them, the writer computes and serializes them.
 */
import { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import { DataType } from './codes.js';

export interface StatisticsBase {
  /** Number of non-null points. */
  count: number;
  /** Smallest timestamp (i64 max when count is 0). */
  startTime: bigint;
  /** Largest timestamp (i64 min when count is 0). */
  endTime: bigint;
}

export interface BooleanStatistics extends StatisticsBase {
  kind: 'boolean';
  first: boolean;
  last: boolean;
  /** Number of true values. */
  sum: bigint;
}
export interface Int32Statistics extends StatisticsBase {
  kind: 'int32';
  min: number;
  max: number;
  first: number;
  last: number;
  /** Serialized as i64. */
  sum: bigint;
}
export interface Int64Statistics extends StatisticsBase {
  kind: 'int64';
  min: bigint;
  max: bigint;
  first: bigint;
  last: bigint;
  /** Serialized as f64 [quirk]. */
  sum: number;
}
export interface FloatStatistics extends StatisticsBase {
  /** 'float' values are serialized as f32, 'double' as f64; sum is always f64. */
  kind: 'float' | 'double';
  min: number;
  max: number;
  first: number;
  last: number;
  sum: number;
}
export interface TextStatistics extends StatisticsBase {
  kind: 'text';
  first: Uint8Array;
  last: Uint8Array;
}
export interface StringStatistics extends StatisticsBase {
  kind: 'string';
  first: Uint8Array;
  last: Uint8Array;
  min: Uint8Array;
  max: Uint8Array;
}
/** BLOB and VECTOR (aligned time column) statistics: the common prefix only. */
export interface TimeOnlyStatistics extends StatisticsBase {
  kind: 'time';
}

export type Statistics =
  | BooleanStatistics
  | Int32Statistics
  | Int64Statistics
  | FloatStatistics
  | TextStatistics
  | StringStatistics
  | TimeOnlyStatistics;

export const I64_MAX = 0x7fffffffffffffffn;
export const I64_MIN = -0x8000000000000000n;

/** Reads a statistics block of the given data type at the cursor. */
export function readStatistics(c: Cursor, type: DataType): Statistics {
  const at = c.offset;
  const count = c.uvarint('statistics count');
  const startTime = c.i64('statistics start time');
  const endTime = c.i64('statistics end time');
  if (count > 0 && startTime > endTime) {
    throw c.error(ErrorCode.CORRUPT, 'statistics start time is after end time', 'startTime <= endTime', `${startTime} > ${endTime}`, at);
  }
  const base = { count, startTime, endTime };
  switch (type) {
    case DataType.BOOLEAN: {
      const first = c.u8('boolean first') === 1;
      const last = c.u8('boolean last') === 1;
      return { kind: 'boolean', ...base, first, last, sum: c.i64('boolean sum') };
    }
    case DataType.INT32:
    case DataType.DATE:
      return { kind: 'int32', ...base, min: c.i32(), max: c.i32(), first: c.i32(), last: c.i32(), sum: c.i64() };
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return { kind: 'int64', ...base, min: c.i64(), max: c.i64(), first: c.i64(), last: c.i64(), sum: c.f64() };
    case DataType.FLOAT:
      return { kind: 'float', ...base, min: c.f32(), max: c.f32(), first: c.f32(), last: c.f32(), sum: c.f64() };
    case DataType.DOUBLE:
      return { kind: 'double', ...base, min: c.f64(), max: c.f64(), first: c.f64(), last: c.f64(), sum: c.f64() };
    case DataType.TEXT:
      return { kind: 'text', ...base, first: c.binary('text first'), last: c.binary('text last') };
    case DataType.STRING:
      return {
        kind: 'string',
        ...base,
        first: c.binary('string first'),
        last: c.binary('string last'),
        min: c.binary('string min'),
        max: c.binary('string max'),
      };
    case DataType.BLOB:
    case DataType.VECTOR:
      return { kind: 'time', ...base };
  }
}

/** Skips a statistics block without building it (page headers when statistics are not needed). */
export function skipStatistics(c: Cursor, type: DataType): void {
  c.uvarint('statistics count');
  c.skip(16, 'statistics times');
  switch (type) {
    case DataType.BOOLEAN:
      c.skip(10, 'boolean statistics');
      return;
    case DataType.INT32:
    case DataType.DATE:
    case DataType.FLOAT:
      c.skip(24, 'statistics');
      return;
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.DOUBLE:
      c.skip(40, 'statistics');
      return;
    case DataType.TEXT:
      c.binary();
      c.binary();
      return;
    case DataType.STRING:
      for (let i = 0; i < 4; i++) c.binary();
      return;
    case DataType.BLOB:
    case DataType.VECTOR:
      return;
  }
}
