/** Time-range helpers over sorted int64 time columns, and pruning by statistics. */
import type { StatisticsBase } from '../format/statistics.js';

export interface TimeRange {
  /** Inclusive lower bound. */
  start: bigint;
  /** Inclusive upper bound. */
  end: bigint;
}

export const ALL_TIME: TimeRange = { start: -0x8000000000000000n, end: 0x7fffffffffffffffn };

export function toTimeRange(startTime?: bigint | number, endTime?: bigint | number): TimeRange {
  return {
    start: startTime === undefined ? ALL_TIME.start : BigInt(startTime),
    end: endTime === undefined ? ALL_TIME.end : BigInt(endTime),
  };
}

/** True when statistics say no point of the block can fall inside the range (count 0 included). */
export function outsideRange(s: StatisticsBase, r: TimeRange): boolean {
  return s.count === 0 || s.endTime < r.start || s.startTime > r.end;
}

/** First index whose time is >= t. */
export function lowerBound(times: BigInt64Array, t: bigint, from = 0, to = times.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > t. */
export function upperBound(times: BigInt64Array, t: bigint, from = 0, to = times.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index range [lo, hi) of the times inside the range. */
export function rangeIndices(times: BigInt64Array, r: TimeRange): [number, number] {
  const n = times.length;
  if (n === 0) return [0, 0];
  const lo = r.start <= times[0]! ? 0 : lowerBound(times, r.start);
  const hi = r.end >= times[n - 1]! ? n : upperBound(times, r.end, lo);
  return [lo, hi];
}

/** Int32 view (lo, hi word pairs on little-endian platforms) of an int64 array, for fast equality tests. */
export function wordsOf(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** Whether two int64 arrays hold the same values. */
export function sameTimes(a: BigInt64Array, b: BigInt64Array): boolean {
  if (a.length !== b.length) return false;
  if (a === b || (a.buffer === b.buffer && a.byteOffset === b.byteOffset)) return true;
  const x = wordsOf(a);
  const y = wordsOf(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

