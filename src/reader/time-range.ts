/**
 * Time-range helpers over sorted int64 time columns, pruning by statistics, and the checks that a
 * decoded time column really is sorted and agrees with its statistics (the binary searches and the
 * row merge rely on it; a corrupt or crafted page must not make them loop or misplace rows).
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { StatisticsBase } from '../format/statistics.js';
import { overlaps, type TimeSet } from './time-intervals.js';

export interface TimeRange {
  /** Inclusive lower bound. */
  start: bigint;
  /** Inclusive upper bound. */
  end: bigint;
  /**
   * A query's candidate times (inside [start, end]): blocks meeting none of them are skipped. Rows
   * are cut by [start, end] only; the query's filter decides the rest.
   */
  within?: TimeSet;
}

export const ALL_TIME: TimeRange = { start: -0x8000000000000000n, end: 0x7fffffffffffffffn };

/** A scan bound: an int64 bigint or a safe integer number; anything else is INVALID_ARGUMENT. */
function bound(name: string, v: unknown, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  const t = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (t === undefined || t < ALL_TIME.start || t > ALL_TIME.end) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${name} must be an int64 timestamp (bigint or safe integer)`, { actual: typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v) });
  }
  return t;
}

export function toTimeRange(startTime?: bigint | number, endTime?: bigint | number): TimeRange {
  return { start: bound('startTime', startTime, ALL_TIME.start), end: bound('endTime', endTime, ALL_TIME.end) };
}

/** True when statistics say no point of the block can fall inside the range (count 0 included). */
export function outsideRange(s: StatisticsBase, r: TimeRange): boolean {
  if (s.count === 0 || s.endTime < r.start || s.startTime > r.end) return true;
  return r.within !== undefined && !overlaps(r.within, s.startTime, s.endTime);
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


/** Index of the first time not greater than the one before it (times must increase strictly), or -1. */
export function firstNotAscending(times: BigInt64Array): number {
  const n = times.length;
  if (n < 2) return -1;
  // Compare (signed hi, unsigned lo) word pairs: no BigInt per value.
  const w = wordsOf(times);
  let ph = w[1]!;
  let pl = w[0]! >>> 0;
  for (let i = 1; i < n; i++) {
    const h = w[2 * i + 1]!;
    const l = w[2 * i]! >>> 0;
    if (h < ph || (h === ph && l <= pl)) return i;
    ph = h;
    pl = l;
  }
  return -1;
}

export interface TimesWhere {
  file: string | undefined;
  offset: number | undefined;
  what: string;
}

/**
 * Checks a decoded page's times: strictly increasing, as many as the statistics count, and inside
 * the statistics' [startTime, endTime]. Everything downstream (range cuts, the merge of series,
 * pruning by statistics) assumes this.
 */
export function checkPageTimes(
  times: BigInt64Array,
  stats: Pick<StatisticsBase, 'count' | 'startTime' | 'endTime'> | undefined,
  where: TimesWhere,
  knownAscending = false,
): void {
  const bad = knownAscending ? -1 : firstNotAscending(times);
  if (bad >= 0) {
    throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: times do not increase`, {
      file: where.file,
      offset: where.offset,
      expected: `time ${bad} > ${times[bad - 1]}`,
      actual: String(times[bad]),
    });
  }
  if (stats === undefined) return;
  const n = times.length;
  if (n !== stats.count) {
    throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: point count differs from its statistics`, {
      file: where.file,
      offset: where.offset,
      expected: `${stats.count} points`,
      actual: `${n}`,
    });
  }
  if (n > 0 && (times[0]! < stats.startTime || times[n - 1]! > stats.endTime)) {
    throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: times lie outside its statistics`, {
      file: where.file,
      offset: where.offset,
      expected: `${stats.startTime}..${stats.endTime}`,
      actual: `${times[0]}..${times[n - 1]}`,
    });
  }
}

/** The most points a page may decode to: its statistics' count (when known), never above the configured limit. */
export function pagePointBound(stats: Pick<StatisticsBase, 'count'> | undefined, maxPagePoints: number, where: TimesWhere): number {
  if (stats === undefined) return maxPagePoints;
  if (!Number.isSafeInteger(stats.count) || stats.count < 0) {
    throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: invalid point count in its statistics`, { file: where.file, offset: where.offset, actual: String(stats.count) });
  }
  if (stats.count > maxPagePoints) {
    throw new TsFileError(ErrorCode.SIZE_LIMIT, `${where.what}: more points than the configured page limit`, {
      file: where.file,
      offset: where.offset,
      expected: `<= ${maxPagePoints} points`,
      actual: `${stats.count}`,
    });
  }
  return stats.count;
}
