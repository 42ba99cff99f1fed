/**
 * Sets of int64 times as sorted, disjoint, inclusive intervals, stored flat as [start0, end0,
 * start1, end1, …]: what a query's filter leaves possible after looking at statistics, so chunks
 * and pages lying wholly outside the set are never decoded.
 */
import { I64_MAX, I64_MIN } from '../format/statistics.js';

/** Sorted, disjoint, non-adjacent inclusive intervals, flat. */
export type TimeSet = readonly bigint[];

export const ALL_TIMES: TimeSet = [I64_MIN, I64_MAX];
export const NO_TIMES: TimeSet = [];

/** The set covering the given [start, end] spans (any order, overlaps allowed). */
export function timeSetOf(spans: Iterable<readonly [bigint, bigint]>): TimeSet {
  const list = [...spans].filter(([s, e]) => s <= e).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: bigint[] = [];
  for (const [s, e] of list) {
    const n = out.length;
    // Merge when overlapping or adjacent (s <= previous end + 1; no overflow: previous end < I64_MAX here).
    if (n > 0 && (out[n - 1]! === I64_MAX || s <= out[n - 1]! + 1n)) {
      if (e > out[n - 1]!) out[n - 1] = e;
    } else {
      out.push(s, e);
    }
  }
  return out;
}

export function union(a: TimeSet, b: TimeSet): TimeSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const spans: [bigint, bigint][] = [];
  for (let i = 0; i < a.length; i += 2) spans.push([a[i]!, a[i + 1]!]);
  for (let i = 0; i < b.length; i += 2) spans.push([b[i]!, b[i + 1]!]);
  return timeSetOf(spans);
}

export function intersect(a: TimeSet, b: TimeSet): TimeSet {
  const out: bigint[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = a[i]! > b[j]! ? a[i]! : b[j]!;
    const e = a[i + 1]! < b[j + 1]! ? a[i + 1]! : b[j + 1]!;
    if (s <= e) out.push(s, e);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

/** Every int64 time not in `a`. */
export function complement(a: TimeSet): TimeSet {
  const out: bigint[] = [];
  let from = I64_MIN;
  let open = true;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i]! > from) out.push(from, a[i]! - 1n);
    if (a[i + 1]! === I64_MAX) {
      open = false;
      break;
    }
    from = a[i + 1]! + 1n;
  }
  if (open) out.push(from, I64_MAX);
  return out;
}

/** Whether [start, end] meets the set (binary search over the intervals). */
export function overlaps(set: TimeSet, start: bigint, end: bigint): boolean {
  let lo = 0;
  let hi = set.length >> 1;
  // First interval whose end is >= start.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[2 * mid + 1]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < set.length >> 1 && set[2 * lo]! <= end;
}
