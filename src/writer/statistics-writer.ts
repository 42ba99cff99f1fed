/**
 * Computing, merging and serializing statistics (tsfile-format.md §9). Page statistics are computed
 * straight from the buffered typed arrays (INT64 through an Int32 lo/hi view, no BigInt per value);
 * chunk and series statistics are merges of page statistics in write order, exactly as the Java
 * writer accumulates them (so floating sums add page sums, not points).
 */
import { DataType } from '../format/codes.js';
import {
  I64_MAX,
  I64_MIN,
  type BooleanStatistics,
  type FloatStatistics,
  type Int32Statistics,
  type Int64Statistics,
  type Statistics,
  type StringStatistics,
  type TextStatistics,
} from '../format/statistics.js';
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import type { ByteBuffer } from './byte-buffer.js';

const EMPTY = new Uint8Array(0);
const TWO32 = 4294967296;
/** INT32 sums are folded into a bigint every this many values so the double stays exact. */
const INT32_SUM_FOLD = 1 << 20;

/** Count-0 statistics of a type (§9.2 "empty statistics"). */
export function emptyStatistics(type: DataType): Statistics {
  const base = { count: 0, startTime: I64_MAX, endTime: I64_MIN };
  switch (type) {
    case DataType.BOOLEAN:
      return { kind: 'boolean', ...base, first: false, last: false, sum: 0n };
    case DataType.INT32:
    case DataType.DATE:
      return { kind: 'int32', ...base, min: 0, max: 0, first: 0, last: 0, sum: 0n };
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return { kind: 'int64', ...base, min: 0n, max: 0n, first: 0n, last: 0n, sum: 0 };
    case DataType.FLOAT:
      return { kind: 'float', ...base, min: 0, max: 0, first: 0, last: 0, sum: 0 };
    case DataType.DOUBLE:
      return { kind: 'double', ...base, min: 0, max: 0, first: 0, last: 0, sum: 0 };
    case DataType.TEXT:
      return { kind: 'text', ...base, first: EMPTY, last: EMPTY };
    case DataType.STRING:
      return { kind: 'string', ...base, first: EMPTY, last: EMPTY, min: EMPTY, max: EMPTY };
    case DataType.BLOB:
    case DataType.VECTOR:
      return { kind: 'time', ...base };
  }
}

/** Unsigned lexicographic order, shorter prefix first (Java `Binary.compareTo`). */
export function compareBytes(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): number {
  const n = Math.min(aTo - aFrom, bTo - bFrom);
  for (let i = 0; i < n; i++) {
    const d = a[aFrom + i]! - b[bFrom + i]!;
    if (d !== 0) return d;
  }
  return aTo - aFrom - (bTo - bFrom);
}

function slice(v: BinaryValues, i: number): Uint8Array {
  return v.data.slice(v.offsets[i]!, v.offsets[i + 1]!);
}

/**
 * Statistics of values[from, to) whose smallest/largest timestamps are `startTime`/`endTime`
 * (`to > from`; values are in time order so first/last are the ends of the range).
 */
export function computeStatistics(type: DataType, values: ColumnValues, from: number, to: number, startTime: bigint, endTime: bigint): Statistics {
  const count = to - from;
  const base = { count, startTime, endTime };
  switch (type) {
    case DataType.BOOLEAN: {
      const v = values as Uint8Array;
      let sum = 0;
      for (let i = from; i < to; i++) sum += v[i]!;
      return { kind: 'boolean', ...base, first: v[from] === 1, last: v[to - 1] === 1, sum: BigInt(sum) } satisfies BooleanStatistics;
    }
    case DataType.INT32:
    case DataType.DATE: {
      const v = values as Int32Array;
      let min = v[from]!;
      let max = min;
      let sum = 0n;
      let part = 0;
      for (let i = from; i < to; i++) {
        const x = v[i]!;
        if (x < min) min = x;
        if (x > max) max = x;
        part += x;
        if ((i - from) % INT32_SUM_FOLD === INT32_SUM_FOLD - 1) {
          sum += BigInt(part);
          part = 0;
        }
      }
      sum += BigInt(part);
      return { kind: 'int32', ...base, min, max, first: v[from]!, last: v[to - 1]!, sum } satisfies Int32Statistics;
    }
    case DataType.INT64:
    case DataType.TIMESTAMP: {
      const v = values as BigInt64Array;
      const w = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      let minHi = w[2 * from + 1]!;
      let minLo = w[2 * from]! >>> 0;
      let maxHi = minHi;
      let maxLo = minLo;
      let minAt = from;
      let maxAt = from;
      let sum = minHi * TWO32 + minLo;
      for (let i = from + 1; i < to; i++) {
        const hi = w[2 * i + 1]!;
        const lo = w[2 * i]! >>> 0;
        if (hi < minHi || (hi === minHi && lo < minLo)) {
          minHi = hi;
          minLo = lo;
          minAt = i;
        }
        if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
          maxHi = hi;
          maxLo = lo;
          maxAt = i;
        }
        // (double) of an int64 is the one rounding of hi·2^32 + lo, which this sum performs exactly once.
        sum += hi * TWO32 + lo;
      }
      return { kind: 'int64', ...base, min: v[minAt]!, max: v[maxAt]!, first: v[from]!, last: v[to - 1]!, sum } satisfies Int64Statistics;
    }
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const v = values as Float32Array | Float64Array;
      let min = v[from]!;
      let max = min;
      let sum = min;
      for (let i = from + 1; i < to; i++) {
        const x = v[i]!;
        // Java's `<`/`>`: a NaN never replaces a set min/max, and a NaN first value stays.
        if (x < min) min = x;
        if (x > max) max = x;
        sum += x;
      }
      const kind = type === DataType.FLOAT ? 'float' : 'double';
      return { kind, ...base, min, max, first: v[from]!, last: v[to - 1]!, sum } satisfies FloatStatistics;
    }
    case DataType.TEXT: {
      const v = values as BinaryValues;
      return { kind: 'text', ...base, first: slice(v, from), last: slice(v, to - 1) } satisfies TextStatistics;
    }
    case DataType.STRING: {
      const v = values as BinaryValues;
      const o = v.offsets;
      let minAt = from;
      let maxAt = from;
      for (let i = from + 1; i < to; i++) {
        if (compareBytes(v.data, o[i]!, o[i + 1]!, v.data, o[minAt]!, o[minAt + 1]!) < 0) minAt = i;
        if (compareBytes(v.data, o[i]!, o[i + 1]!, v.data, o[maxAt]!, o[maxAt + 1]!) > 0) maxAt = i;
      }
      return {
        kind: 'string',
        ...base,
        first: slice(v, from),
        last: slice(v, to - 1),
        min: slice(v, minAt),
        max: slice(v, maxAt),
      } satisfies StringStatistics;
    }
    case DataType.BLOB:
    case DataType.VECTOR:
      return { kind: 'time', ...base };
  }
}

function cmp(a: Uint8Array, b: Uint8Array): number {
  return compareBytes(a, 0, a.length, b, 0, b.length);
}

/** Merges `b` into `a` (the part written later), returning a new object (§9.2). */
export function mergeStatistics(a: Statistics, b: Statistics): Statistics {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const startTime = b.startTime < a.startTime ? b.startTime : a.startTime;
  const endTime = b.endTime > a.endTime ? b.endTime : a.endTime;
  // Java takes first from the part whose start is not later, last from the part whose end is not earlier.
  const firstFromB = b.startTime <= a.startTime;
  const lastFromB = b.endTime >= a.endTime;
  const base = { count, startTime, endTime };
  switch (a.kind) {
    case 'boolean': {
      const y = b as BooleanStatistics;
      return { kind: 'boolean', ...base, first: firstFromB ? y.first : a.first, last: lastFromB ? y.last : a.last, sum: a.sum + y.sum };
    }
    case 'int32': {
      const y = b as Int32Statistics;
      return {
        kind: 'int32',
        ...base,
        min: y.min < a.min ? y.min : a.min,
        max: y.max > a.max ? y.max : a.max,
        first: firstFromB ? y.first : a.first,
        last: lastFromB ? y.last : a.last,
        sum: a.sum + y.sum,
      };
    }
    case 'int64': {
      const y = b as Int64Statistics;
      return {
        kind: 'int64',
        ...base,
        min: y.min < a.min ? y.min : a.min,
        max: y.max > a.max ? y.max : a.max,
        first: firstFromB ? y.first : a.first,
        last: lastFromB ? y.last : a.last,
        sum: a.sum + y.sum,
      };
    }
    case 'float':
    case 'double': {
      const y = b as FloatStatistics;
      return {
        kind: a.kind,
        ...base,
        min: y.min < a.min ? y.min : a.min,
        max: y.max > a.max ? y.max : a.max,
        first: firstFromB ? y.first : a.first,
        last: lastFromB ? y.last : a.last,
        sum: a.sum + y.sum,
      };
    }
    case 'text': {
      const y = b as TextStatistics;
      return { kind: 'text', ...base, first: firstFromB ? y.first : a.first, last: lastFromB ? y.last : a.last };
    }
    case 'string': {
      const y = b as StringStatistics;
      return {
        kind: 'string',
        ...base,
        first: firstFromB ? y.first : a.first,
        last: lastFromB ? y.last : a.last,
        min: cmp(y.min, a.min) < 0 ? y.min : a.min,
        max: cmp(y.max, a.max) > 0 ? y.max : a.max,
      };
    }
    case 'time':
      return { kind: 'time', ...base };
  }
}

/** Serializes a statistics block (§9.1). */
export function writeStatistics(out: ByteBuffer, s: Statistics): void {
  out.uvarint(s.count).i64(s.startTime).i64(s.endTime);
  switch (s.kind) {
    case 'boolean':
      out.bool(s.first).bool(s.last).i64(s.sum);
      return;
    case 'int32':
      out.i32(s.min).i32(s.max).i32(s.first).i32(s.last).i64(s.sum);
      return;
    case 'int64':
      out.i64(s.min).i64(s.max).i64(s.first).i64(s.last).f64(s.sum);
      return;
    case 'float':
      out.f32(s.min).f32(s.max).f32(s.first).f32(s.last).f64(s.sum);
      return;
    case 'double':
      out.f64(s.min).f64(s.max).f64(s.first).f64(s.last).f64(s.sum);
      return;
    case 'text':
      out.binary(s.first).binary(s.last);
      return;
    case 'string':
      out.binary(s.first).binary(s.last).binary(s.min).binary(s.max);
      return;
    case 'time':
      return;
  }
}
