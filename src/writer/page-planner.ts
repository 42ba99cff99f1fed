/**
 * Where pages end (tsfile-format.md §16.1 "page sealing"): a page is sealed at `maxPointsPerPage`
 * points, or when its estimated size passes `pageSizeBytes`. Like the Java writer the size is only
 * looked at after 1500 points and then at the point count predicted from the last look, so pages of
 * fixed-width data come out the same length as Java's. Any split is legal for readers; aligned
 * devices share one plan for the time column and every value column (§7.3).
 */
import { DataType, Encoding } from '../format/codes.js';
import type { BinaryValues, ColumnValues } from '../encoding/types.js';

/** The first size check happens at this many points (Java `MINIMUM_RECORD_COUNT_FOR_CHECK`). */
const FIRST_SIZE_CHECK = 1500;

/** Estimated encoded bytes of rows [from, to); 0 when the encoding's size cannot be told cheaply. */
export type SizeEstimate = (from: number, to: number) => number;

/**
 * Decides page ends as points arrive. The size-check schedule carries from one page to the next
 * (as in Java); a page still open when the data runs out is planned again, from the same state,
 * once more points are buffered.
 */
export class PagePlanner {
  private nextCheck = FIRST_SIZE_CHECK;

  constructor(
    private readonly maxPointsPerPage: number,
    private readonly pageSizeBytes: number,
  ) {}

  /**
   * Ends (exclusive, increasing) of the pages complete within rows [0, count). With `final` the
   * rows left after them form one more, last page.
   */
  plan(count: number, estimate: SizeEstimate | undefined, final: boolean): number[] {
    const max = this.maxPointsPerPage;
    const ends: number[] = [];
    let start = 0;
    while (start < count) {
      let end = -1;
      let check = this.nextCheck;
      if (estimate !== undefined) {
        let p = check;
        while (p < max && start + p <= count) {
          const size = estimate(start, start + p);
          if (size > this.pageSizeBytes) {
            end = start + p;
            check = FIRST_SIZE_CHECK;
            break;
          }
          // Java predicts the next check from the size/points ratio in float arithmetic.
          const predicted = size <= 0 ? Infinity : Math.floor(Math.fround(Math.fround(this.pageSizeBytes / size) * p));
          p = Math.max(p + 1, predicted);
          check = p;
        }
      }
      if (end < 0) {
        if (start + max <= count) end = start + max;
        else if (final) end = count;
        else break;
      }
      ends.push(end);
      start = end;
      this.nextCheck = check;
    }
    return ends;
  }
}

/** Page ends for `count` rows planned in one go (a fresh planner, last page included). */
export function planPages(count: number, maxPointsPerPage: number, pageSizeBytes: number, estimate?: SizeEstimate): number[] {
  return new PagePlanner(maxPointsPerPage, pageSizeBytes).plan(count, estimate, true);
}

/** Bytes of a zig-zag varint of an int32 (PLAIN INT32, §10.2). */
function svarintSize(v: number): number {
  let u = ((v << 1) ^ (v >> 31)) >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

/**
 * Size estimate of one column's values [from, to) (value indices, not rows): exact for PLAIN, the
 * raw byte length for strings under any encoding, and undefined where only encoding would tell.
 */
export function valueSizeEstimate(type: DataType, encoding: Encoding, values: ColumnValues): SizeEstimate | undefined {
  if (type === DataType.TEXT || type === DataType.STRING || type === DataType.BLOB) {
    const o = (values as BinaryValues).offsets;
    return (from, to) => o[to]! - o[from]! + (to - from);
  }
  if (encoding !== Encoding.PLAIN) return undefined;
  switch (type) {
    case DataType.BOOLEAN:
      return (from, to) => to - from;
    case DataType.INT32:
    case DataType.DATE: {
      const v = values as Int32Array;
      return (from, to) => {
        let n = 0;
        for (let i = from; i < to; i++) n += svarintSize(v[i]!);
        return n;
      };
    }
    case DataType.FLOAT:
      return (from, to) => 4 * (to - from);
    default:
      return (from, to) => 8 * (to - from);
  }
}

/** Maps a row-range estimate onto a column that stores only non-null rows (`rowToValue[r]` = values before row r). */
export function rowsEstimate(columnEstimate: SizeEstimate, rowToValue: Int32Array | undefined): SizeEstimate {
  if (rowToValue === undefined) return columnEstimate;
  return (from, to) => columnEstimate(rowToValue[from]!, rowToValue[to]!);
}

/** Sum of several estimates (aligned devices: all columns share the page plan). */
export function sumEstimates(parts: SizeEstimate[]): SizeEstimate | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return (from, to) => {
    let n = 0;
    for (const p of parts) n += p(from, to);
    return n;
  };
}
