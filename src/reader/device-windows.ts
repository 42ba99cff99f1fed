/**
 * Rows of one device, as windows of (times, one Arrow column per measurement), in time order.
 * Non-aligned devices: each series has its own timestamps, so the series are merged on time (a row
 * for every timestamp any selected series has; a series without a point there is null). When all
 * series share the same timestamps — the usual case — the decoded arrays are used as they are.
 * Aligned devices (§7.2–7.3, §14 step 9): one time chunk per chunk group, value chunks paired with
 * it by chunk group, pages paired by position.
 */
import type { Data } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { DataType } from '../format/codes.js';
import { chunkStatistics, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import type { ColumnValues } from '../encoding/types.js';
import { makeColumnData } from '../arrow/columns.js';
import { type Chunk, iteratePages, type RawPage, readChunk } from './chunk-reader.js';
import { decodeTimePage, decodeValuePage, decompressBody, TimeStreamCache } from './page-decoder.js';
import { accountPage, checkAbort, type ReadContext } from './read-context.js';
import { type SeriesPage, seriesPages } from './series-pages.js';
import { outsideRange, rangeIndices, sameTimes, type TimeRange, upperBound, wordsOf } from './time-range.js';
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
  ts: TimeseriesMetadata;
  it: AsyncIterator<SeriesPage>;
  page: SeriesPage | undefined;
  pos: number;
  done: boolean;
}

export async function* nonAlignedWindows(ctx: ReadContext, series: TimeseriesMetadata[], range: TimeRange, device: string): AsyncGenerator<Window> {
  const timeCache = new TimeStreamCache(Math.max(8, series.length * 2));
  const cursors: Cursor[] = series.map((ts) => ({
    ts,
    it: seriesPages(ctx, ts, range, `${device}.${ts.measurementId}`, timeCache)[Symbol.asyncIterator](),
    page: undefined,
    pos: 0,
    done: false,
  }));
  try {
    for (;;) {
      for (const c of cursors) {
        while (!c.done && (c.page === undefined || c.pos >= c.page.times.length)) {
          const r = await c.it.next();
          if (r.done) {
            c.done = true;
            c.page = undefined;
          } else {
            c.page = r.value;
            c.pos = 0;
          }
        }
      }
      const active = cursors.filter((c) => !c.done);
      if (active.length === 0) return;
      // Everything up to the earliest page end is decoded for every series: emit up to there.
      let frontier = active[0]!.page!.times[active[0]!.page!.times.length - 1]!;
      for (const c of active) {
        const last = c.page!.times[c.page!.times.length - 1]!;
        if (last < frontier) frontier = last;
      }
      const slices = cursors.map((c) => {
        if (c.done) return undefined;
        const end = upperBound(c.page!.times, frontier, c.pos);
        const s = { times: c.page!.times.subarray(c.pos, end), values: sliceValues(c.page!.values, c.pos, end) };
        c.pos = end;
        return s;
      });
      yield mergeSlices(cursors, slices);
    }
  } finally {
    for (const c of cursors) if (!c.done) await c.it.return?.();
  }
}

function mergeSlices(cursors: Cursor[], slices: (SeriesPage | undefined)[]): Window {
  const first = slices[0];
  if (first !== undefined && slices.every((s) => s !== undefined && sameTimes(s.times, first.times))) {
    const n = first.times.length;
    return { times: first.times, columns: slices.map((s, i) => makeColumnData(cursors[i]!.ts.dataType, s!.values, n)) };
  }
  const times = unionTimes(slices.filter((s): s is SeriesPage => s !== undefined && s.times.length > 0).map((s) => s.times));
  const n = times.length;
  const columns = slices.map((s, i) => {
    const t = cursors[i]!.ts.dataType;
    if (s === undefined || s.times.length === 0) return nullColumn(t, n);
    if (s.times.length === n) return makeColumnData(t, s.values, n);
    const validity = presence(times, s.times);
    return makeColumnData(t, s.values, n, validity, n - s.times.length);
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

/** Aligned device: `time` is the time column's metadata, `values` the selected value columns. */
export async function* alignedWindows(
  ctx: ReadContext,
  time: TimeseriesMetadata,
  values: TimeseriesMetadata[],
  range: TimeRange,
  device: string,
): AsyncGenerator<Window> {
  const timeOffsets = time.chunks.map((c) => c.offset);
  // Value chunk j of a column belongs to the chunk group whose time chunk precedes it most closely.
  const assigned = values.map((ts) => {
    const byGroup = new Map<number, number>();
    ts.chunks.forEach((c, j) => {
      const g = upperBoundNumber(timeOffsets, c.offset) - 1;
      if (g < 0 || byGroup.has(g)) {
        throw new TsFileError(ErrorCode.CORRUPT, 'value chunk cannot be paired with a time chunk', { file: ctx.file, offset: c.offset, expected: 'one value chunk per chunk group after its time chunk' });
      }
      byGroup.set(g, j);
    });
    return byGroup;
  });
  const groups = time.chunks.map((_, g) => g).sort((a, b) => (chunkStatistics(time, a).startTime < chunkStatistics(time, b).startTime ? -1 : 1));
  for (const g of groups) {
    const timeStats = chunkStatistics(time, g);
    if (outsideRange(timeStats, range)) {
      ctx.stats.chunksSkipped++;
      continue;
    }
    checkAbort(ctx);
    const timeChunk = await loadChunk(ctx, time.chunks[g]!.offset);
    const timePages = [...iteratePages(timeChunk, ctx.options.maxPageBytes, ctx.file)];
    const valueChunks: (Chunk | undefined)[] = [];
    const valuePages: (RawPage[] | undefined)[] = [];
    for (let v = 0; v < values.length; v++) {
      const j = assigned[v]!.get(g);
      const stats = j === undefined ? undefined : chunkStatistics(values[v]!, j);
      if (j === undefined || stats === undefined || stats.count === 0) {
        valueChunks.push(undefined);
        valuePages.push(undefined);
        continue;
      }
      const chunk = await loadChunk(ctx, values[v]!.chunks[j]!.offset);
      const pages = [...iteratePages(chunk, ctx.options.maxPageBytes, ctx.file)];
      if (pages.length !== 0 && pages.length !== timePages.length) {
        throw new TsFileError(ErrorCode.CORRUPT, 'value chunk has a different page count than its time chunk', {
          file: ctx.file,
          offset: chunk.header.offset,
          expected: `${timePages.length} pages`,
          actual: `${pages.length}`,
        });
      }
      valueChunks.push(chunk);
      valuePages.push(pages.length === 0 ? undefined : pages);
    }
    for (let p = 0; p < timePages.length; p++) {
      const tp = timePages[p]!;
      const stats = tp.header.statistics ?? timeStats;
      if (tp.header.uncompressedSize === 0 || outsideRange(stats, range)) {
        ctx.stats.pagesSkipped += 1 + valuePages.filter((v) => v !== undefined).length;
        continue;
      }
      checkAbort(ctx);
      const th = timeChunk.header;
      const where = { file: ctx.file, offset: tp.header.bodyOffset, what: `${device} time page ${p}` };
      const timeBody = await decompressBody(th.compression, tp.body, tp.header.uncompressedSize, where);
      await accountPage(ctx, timeBody.length);
      const times = decodeTimePage(timeBody, th.encoding, ctx.options.maxPagePoints, where);
      const [lo, hi] = rangeIndices(times, range);
      if (lo >= hi) continue;
      const columns: Data[] = [];
      for (let v = 0; v < values.length; v++) {
        const t = values[v]!.dataType;
        const vp = valuePages[v]?.[p];
        if (vp === undefined || vp.header.uncompressedSize === 0) {
          columns.push(nullColumn(t, times.length));
          continue;
        }
        const vh = valueChunks[v]!.header;
        const vwhere = { file: ctx.file, offset: vp.header.bodyOffset, what: `${device}.${values[v]!.measurementId} page ${p}` };
        const body = await decompressBody(vh.compression, vp.body, vp.header.uncompressedSize, vwhere);
        await accountPage(ctx, body.length);
        const decoded = decodeValuePage(body, vh.dataType, vh.encoding, times.length, vwhere);
        columns.push(makeColumnData(t, decoded.values, decoded.rows, decoded.validity, decoded.nullCount));
      }
      if (lo === 0 && hi === times.length) yield { times, columns };
      else yield { times: times.subarray(lo, hi), columns: columns.map((d) => d.slice(lo, hi - lo)) };
    }
  }
}

async function loadChunk(ctx: ReadContext, offset: number): Promise<Chunk> {
  const chunk = await readChunk(ctx.source, offset, ctx.dataEnd);
  ctx.stats.chunksRead++;
  ctx.stats.bytesRead += chunk.header.headerSize + chunk.data.length;
  return chunk;
}

/** First index whose value is > x in a sorted number array. */
function upperBoundNumber(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
