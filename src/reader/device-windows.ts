/**
 * Rows of one device, as windows of (times, one Arrow column per measurement), in time order, built
 * from decode-task results. Non-aligned devices: each series has its own timestamps, so the series
 * are merged on time (a row for every timestamp any selected series has; a series without a point
 * there is null). When the series share timestamps — the usual case — the decoded arrays are used as
 * they are. Aligned devices: each time page with its value pages is a window.
 */
import type { Data } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { DataType } from '../format/codes.js';
import type { TimeseriesMetadata } from '../format/timeseries-metadata.js';
import type { ColumnValues } from '../encoding/types.js';
import { makeColumnData } from '../arrow/columns.js';
import type { SeriesPageResult, TaskResult } from './chunk-task.js';
import { sameTimes, upperBound, wordsOf } from './time-range.js';
import { sliceValues } from './values.js';

export interface Window {
  times: BigInt64Array;
  /** One Data per selected measurement, each of times.length rows. */
  columns: Data[];
}

/** An all-null column of `length` rows. */
export function nullColumn(t: DataType, length: number): Data {
  return makeColumnData(t, emptyValues(t), length, new Uint8Array((length + 7) >> 3), length);
}

function emptyValues(t: DataType): ColumnValues {
  switch (t) {
    case DataType.BOOLEAN:
      return new Uint8Array(0);
    case DataType.INT32:
    case DataType.DATE:
      return new Int32Array(0);
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.VECTOR:
      return new BigInt64Array(0);
    case DataType.FLOAT:
      return new Float32Array(0);
    case DataType.DOUBLE:
      return new Float64Array(0);
    default:
      return { offsets: new Int32Array(1), data: new Uint8Array(0) };
  }
}

interface Cursor {
  queue: SeriesPageResult[];
  page: SeriesPageResult | undefined;
  pos: number;
  /** Last time of the previous page: the next page must start after it. */
  last: bigint | undefined;
}

/** The pages of one series, handed over task by task, must follow each other in time (each page is checked sorted). */
function seriesWentBack(file: string | undefined, device: string, ts: TimeseriesMetadata, last: bigint, next: bigint): TsFileError {
  return new TsFileError(ErrorCode.CORRUPT, `${device}.${ts.measurementId}: times go back from one chunk to the next`, {
    file,
    offset: ts.chunks[0]?.offset,
    expected: `> ${last}`,
    actual: String(next),
  });
}

/** Windows of a non-aligned device from the results of its series tasks (in plan order). */
export async function* nonAlignedWindows(
  results: AsyncIterator<TaskResult>,
  series: TimeseriesMetadata[],
  where: { file: string | undefined; device: string } = { file: undefined, device: '' },
): AsyncGenerator<Window> {
  const cursors: Cursor[] = series.map(() => ({ queue: [], page: undefined, pos: 0, last: undefined }));
  let exhausted = false;
  const pull = async (): Promise<boolean> => {
    if (exhausted) return false;
    const r = await results.next();
    if (r.done) {
      exhausted = true;
      return false;
    }
    if (r.value.kind !== 'series') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'series task result expected', { file: where.file, actual: r.value.kind });
    for (const p of r.value.pages) cursors[p.series]!.queue.push(p);
    return true;
  };
  for (;;) {
    // Give every series its next page; a series is finished once the results are exhausted.
    for (let s = 0; s < cursors.length; s++) {
      const c = cursors[s]!;
      while (c.page === undefined || c.pos >= c.page.times.length) {
        const next = c.queue.shift();
        if (next !== undefined) {
          if (next.times.length === 0) continue;
          if (c.last !== undefined && next.times[0]! <= c.last) throw seriesWentBack(where.file, where.device, series[s]!, c.last, next.times[0]!);
          c.last = next.times[next.times.length - 1]!;
          c.page = next;
          c.pos = 0;
        } else if (!(await pull())) {
          c.page = undefined;
          break;
        }
      }
    }
    const active = cursors.filter((c) => c.page !== undefined);
    if (active.length === 0) return;
    // Everything up to the earliest page end is decoded for every series: emit up to there.
    let frontier = active[0]!.page!.times[active[0]!.page!.times.length - 1]!;
    for (const c of active) {
      const last = c.page!.times[c.page!.times.length - 1]!;
      if (last < frontier) frontier = last;
    }
    let taken = 0;
    const slices = cursors.map((c) => {
      if (c.page === undefined) return undefined;
      const end = upperBound(c.page.times, frontier, c.pos);
      const s = { times: c.page.times.subarray(c.pos, end), values: sliceValues(c.page.values, c.pos, end) };
      taken += end - c.pos;
      c.pos = end;
      return s;
    });
    // Sorted pages always give the page ending at the frontier up whole; anything else would loop.
    if (taken === 0) throw new TsFileError(ErrorCode.CORRUPT, `${where.device}: series pages are not in time order`, { file: where.file });
    yield mergeSlices(series, slices);
  }
}

function mergeSlices(series: TimeseriesMetadata[], slices: ({ times: BigInt64Array; values: ColumnValues } | undefined)[]): Window {
  const first = slices[0];
  if (first !== undefined && slices.every((s) => s !== undefined && sameTimes(s.times, first.times))) {
    const n = first.times.length;
    return { times: first.times, columns: slices.map((s, i) => makeColumnData(series[i]!.dataType, s!.values, n)) };
  }
  const times = unionTimes(slices.filter((s) => s !== undefined && s.times.length > 0).map((s) => s!.times));
  const n = times.length;
  const columns = slices.map((s, i) => {
    const t = series[i]!.dataType;
    if (s === undefined || s.times.length === 0) return nullColumn(t, n);
    if (s.times.length === n) return makeColumnData(t, s.values, n);
    return makeColumnData(t, s.values, n, presence(times, s.times), n - s.times.length);
  });
  return { times, columns };
}

/** Sorted union of sorted, duplicate-free int64 arrays. */
function unionTimes(parts: BigInt64Array[]): BigInt64Array {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new BigInt64Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  let w = 0;
  for (let r = 0; r < total; r++) if (r === 0 || all[r] !== all[w - 1]) all[w++] = all[r]!;
  return all.subarray(0, w);
}

/** Arrow validity bitmap over `all`: bit set where `some` (a sorted subset of `all`) has the time. */
function presence(all: BigInt64Array, some: BigInt64Array): Uint8Array {
  const bits = new Uint8Array((all.length + 7) >> 3);
  const a = wordsOf(all);
  const s = wordsOf(some);
  let j = 0;
  for (let i = 0; i < all.length && j < some.length; i++) {
    if (a[2 * i] === s[2 * j] && a[2 * i + 1] === s[2 * j + 1]) {
      bits[i >> 3]! |= 1 << (i & 7);
      j++;
    }
  }
  return bits;
}

/** Windows of an aligned device from the results of its chunk-group tasks. */
export async function* alignedWindows(results: AsyncIterable<TaskResult>, values: TimeseriesMetadata[]): AsyncGenerator<Window> {
  for await (const r of results) {
    if (r.kind !== 'aligned') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'aligned task result expected', { actual: r.kind });
    for (const p of r.pages) {
      const n = p.times.length;
      const columns = p.columns.map((c, v) =>
        c === null ? nullColumn(values[v]!.dataType, n) : makeColumnData(values[v]!.dataType, c.values, n, c.validity, c.nullCount),
      );
      if (p.lo === 0 && p.hi === n) yield { times: p.times, columns };
      else yield { times: p.times.subarray(p.lo, p.hi), columns: columns.map((d) => d.slice(p.lo, p.hi - p.lo)) };
    }
  }
}
