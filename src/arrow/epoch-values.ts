/**
 * Reading `time` and TIMESTAMP columns (Arrow Timestamp, or Int64 with `int64Time`) as int64 epoch
 * values in the file's unit, without a BigInt per row: views over the column's own buffer, as
 * BigInt64Array or as (lo, hi) int32 word pairs, plus an exact Number when the value fits 2^53.
 */
import type { Data, Field, Vector } from 'apache-arrow';
import { type InputTimeUnit, TIME_UNIT_KEY, unitOfTimestamp } from './time-unit.js';

/**
 * The int64 values of one column chunk, row 0 first (a view, not a copy). Arrow's `Data.slice`
 * slices the value buffer itself (`offset` then only locates bits in the null bitmap).
 */
export function epochValues(data: Data): BigInt64Array {
  const v = data.values as unknown as BigInt64Array | Int32Array;
  if (v instanceof BigInt64Array) return v.length === data.length ? v : v.subarray(0, data.length);
  return new BigInt64Array(v.buffer, v.byteOffset, data.length);
}

/** The values of one column chunk as (lo, hi) int32 pairs: row i at [2i] (unsigned low) and [2i+1] (signed high). */
export function epochWords(data: Data): Int32Array {
  const v = epochValues(data);
  return new Int32Array(v.buffer, v.byteOffset, v.length * 2);
}

/** Row `i` of `epochWords` as a Number: exact when |value| < 2^53, otherwise the nearest double. */
export function epochNumber(words: Int32Array, i: number): number {
  return words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
}

/** All chunks of a vector as one BigInt64Array (a view when there is one chunk). */
export function epochVector(v: Vector): BigInt64Array {
  if (v.data.length === 1) return epochValues(v.data[0]!);
  const out = new BigInt64Array(v.length);
  let at = 0;
  for (const d of v.data) {
    out.set(epochValues(d), at);
    at += d.length;
  }
  return out;
}

/** The unit of a time or TIMESTAMP field: its Timestamp unit, else the `tsfile.timeUnit` metadata, else undefined. */
export function timeUnitOfField(field: Field): InputTimeUnit | undefined {
  return unitOfTimestamp(field.type) ?? (field.metadata.get(TIME_UNIT_KEY) as InputTimeUnit | undefined);
}
