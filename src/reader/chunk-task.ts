/**
 * Decode tasks: the unit of work the scan hands to a worker or runs inline. A task holds the bytes of
 * the chunks of one device that belong together (one chunk group, or a whole series whose chunks
 * overlap in time) and comes back as decoded pages, already restricted to the time range. The
 * function below is pure — bytes in, typed arrays out — so pooled and inline scans compute the same.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ChunkHeader } from '../format/chunk-header.js';
import type { StatisticsBase } from '../format/statistics.js';
import type { ColumnValues } from '../encoding/types.js';
import { iteratePages, type Chunk, type RawPage } from './chunk-reader.js';
import { ChunkArena, decodeSeriesPage, decodeTimePage, decodeValuePage, decompressBody, TimeStreamCache } from './page-decoder.js';
import { checkPageTimes, outsideRange, pagePointBound, rangeIndices, type TimeRange } from './time-range.js';
import { concatValues, gatherValues, sliceValues } from './values.js';

/** Chunk statistics the task prunes with (pages of single-page chunks have none of their own). */
export type ChunkStats = Pick<StatisticsBase, 'count' | 'startTime' | 'endTime'>;

export interface TaskChunk {
  header: ChunkHeader;
  /** The chunk's pages, or a run of them (a large chunk streamed by page). */
  data: Uint8Array;
  dataOffset: number;
  stats: ChunkStats;
  /** Index in the chunk of the first page in `data` (0 unless a run of pages). */
  firstPage?: number;
}

export interface TaskLimits {
  maxPageBytes: number;
  maxPagePoints: number;
}

/** Non-aligned series of one device: `chunks[i]` belongs to selected series `series[i]`. */
export interface SeriesTask {
  kind: 'series';
  file: string | undefined;
  device: string;
  range: TimeRange;
  limits: TaskLimits;
  chunks: TaskChunk[];
  series: number[];
  /** The chunks of each series overlap in time: merge them, the later chunk winning. */
  mergeOverlaps: boolean;
}

/** One chunk group of an aligned device: its time chunk and the selected value chunks (null: all null here). */
export interface AlignedTask {
  kind: 'aligned';
  file: string | undefined;
  device: string;
  range: TimeRange;
  limits: TaskLimits;
  time: TaskChunk;
  values: (TaskChunk | null)[];
}

export type ChunkTask = SeriesTask | AlignedTask;

export interface SeriesPageResult {
  series: number;
  times: BigInt64Array;
  /** One value per timestamp. */
  values: ColumnValues;
}

export interface ValueColumnResult {
  /** Non-null values in row order. */
  values: ColumnValues;
  /** Arrow validity bitmap over all rows of the page. */
  validity: Uint8Array;
  nullCount: number;
}

export interface AlignedPageResult {
  /** All timestamps of the page; rows [lo, hi) are inside the range. */
  times: BigInt64Array;
  lo: number;
  hi: number;
  /** One entry per selected value column; null when the column has no value in this page. */
  columns: (ValueColumnResult | null)[];
}

export interface TaskCounters {
  pagesDecoded: number;
  pagesSkipped: number;
  bytesDecompressed: number;
}

export type TaskResult = (
  | ({ kind: 'series'; pages: SeriesPageResult[] } & TaskCounters)
  | ({ kind: 'aligned'; pages: AlignedPageResult[] } & TaskCounters)
) & {
  /** Buffers the task allocated itself: results may be views into them, and they may be moved whole. */
  ownBuffers?: ArrayBuffer[];
};

export async function runChunkTask(task: ChunkTask): Promise<TaskResult> {
  return task.kind === 'series' ? runSeriesTask(task) : runAlignedTask(task);
}

function chunkOf(c: TaskChunk): Chunk {
  return { header: c.header, data: c.data, dataOffset: c.dataOffset };
}

async function runSeriesTask(task: SeriesTask): Promise<TaskResult> {
  const counters: TaskCounters = { pagesDecoded: 0, pagesSkipped: 0, bytesDecompressed: 0 };
  const cache = new TimeStreamCache(Math.max(8, task.chunks.length * 2));
  const pages: SeriesPageResult[] = [];
  // Page i of every chunk in turn: series written together share their time streams page by page,
  // and the small cache then decodes each shared stream once.
  const iterators = task.chunks.map((c) => iteratePages(chunkOf(c), task.limits.maxPageBytes, task.file));
  const arenas = task.chunks.map((c) => new ChunkArena(Math.min(c.stats.count, ChunkArena.MAX_POINTS), c.header.dataType));
  // Shared time arrays (cache hits) are checked once; each chunk's pages must follow each other in time.
  let lastChecked: BigInt64Array | undefined;
  const prevEnd: (bigint | undefined)[] = task.chunks.map(() => undefined);
  let live = iterators.length;
  while (live > 0) {
    live = 0;
    for (let k = 0; k < task.chunks.length; k++) {
      const next = iterators[k]!.next();
      if (next.done) continue;
      live++;
      const page = next.value;
      const c = task.chunks[k]!;
      const stats = page.header.statistics ?? c.stats;
      if (page.header.uncompressedSize === 0 || outsideRange(stats, task.range)) {
        counters.pagesSkipped++;
        continue;
      }
      const where = { file: task.file, offset: page.header.bodyOffset, what: `${task.device}.${c.header.measurementId} page ${page.index + (c.firstPage ?? 0)}` };
      const maxPoints = pagePointBound(stats, task.limits.maxPagePoints, where);
      const body = await decompressBody(c.header.compression, page.body, page.header.uncompressedSize, where);
      counters.pagesDecoded++;
      counters.bytesDecompressed += body.length;
      const d = decodeSeriesPage(body, c.header.dataType, c.header.encoding, maxPoints, where, cache, arenas[k]);
      checkPageTimes(d.times, stats, where, d.times === lastChecked);
      lastChecked = d.times;
      if (d.times.length > 0 && prevEnd[k] !== undefined && d.times[0]! <= prevEnd[k]!) {
        throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: times go back before the previous page's`, {
          file: task.file,
          offset: page.header.bodyOffset,
          expected: `> ${prevEnd[k]}`,
          actual: String(d.times[0]),
        });
      }
      if (d.times.length > 0) prevEnd[k] = d.times[d.times.length - 1]!;
      const [lo, hi] = rangeIndices(d.times, task.range);
      if (lo >= hi) continue;
      const series = task.series[k]!;
      if (lo === 0 && hi === d.times.length) pages.push({ series, times: d.times, values: d.values });
      else pages.push({ series, times: d.times.subarray(lo, hi), values: sliceValues(d.values, lo, hi) });
    }
  }
  const own = new Set<ArrayBuffer>();
  for (const a of arenas) a.buffers(own);
  return { kind: 'series', pages: task.mergeOverlaps ? mergeOverlaps(pages) : pages, ...counters, ownBuffers: [...own] };
}

/** Per series: one page, sorted by time, keeping the last-written point of each timestamp. */
function mergeOverlaps(pages: SeriesPageResult[]): SeriesPageResult[] {
  const bySeries = new Map<number, SeriesPageResult[]>();
  for (const p of pages) {
    const list = bySeries.get(p.series);
    if (list === undefined) bySeries.set(p.series, [p]);
    else list.push(p);
  }
  const out: SeriesPageResult[] = [];
  for (const [series, parts] of bySeries) {
    const total = parts.reduce((n, p) => n + p.times.length, 0);
    const times = new BigInt64Array(total);
    let at = 0;
    for (const p of parts) {
      times.set(p.times, at);
      at += p.times.length;
    }
    const values = concatValues(parts.map((p) => p.values));
    // Stable order by time; for equal times the later position (a later chunk) wins.
    const idx = Array.from({ length: total }, (_, k) => k);
    idx.sort((a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b));
    const keep: number[] = [];
    for (let k = 0; k < idx.length; k++) {
      if (k + 1 < idx.length && times[idx[k + 1]!] === times[idx[k]!]) continue;
      keep.push(idx[k]!);
    }
    const outTimes = new BigInt64Array(keep.length);
    for (let k = 0; k < keep.length; k++) outTimes[k] = times[keep[k]!]!;
    out.push({ series, times: outTimes, values: gatherValues(values, keep) });
  }
  return out;
}

async function runAlignedTask(task: AlignedTask): Promise<TaskResult> {
  const counters: TaskCounters = { pagesDecoded: 0, pagesSkipped: 0, bytesDecompressed: 0 };
  const th = task.time.header;
  const timePages = [...iteratePages(chunkOf(task.time), task.limits.maxPageBytes, task.file)];
  const valuePages: (RawPage[] | null)[] = task.values.map((v) => {
    if (v === null) return null;
    const pages = [...iteratePages(chunkOf(v), task.limits.maxPageBytes, task.file)];
    if (pages.length === 0) return null;
    if (pages.length !== timePages.length) {
      throw new TsFileError(ErrorCode.CORRUPT, 'value chunk has a different page count than its time chunk', {
        file: task.file,
        offset: v.header.offset,
        expected: `${timePages.length} pages`,
        actual: `${pages.length}`,
      });
    }
    return pages;
  });
  const pages: AlignedPageResult[] = [];
  let prevEnd: bigint | undefined;
  for (let p = 0; p < timePages.length; p++) {
    const tp = timePages[p]!;
    const stats = tp.header.statistics ?? task.time.stats;
    if (tp.header.uncompressedSize === 0 || outsideRange(stats, task.range)) {
      counters.pagesSkipped += 1 + valuePages.filter((v) => v !== null).length;
      continue;
    }
    const where = { file: task.file, offset: tp.header.bodyOffset, what: `${task.device} time page ${p + (task.time.firstPage ?? 0)}` };
    const timeBody = await decompressBody(th.compression, tp.body, tp.header.uncompressedSize, where);
    counters.pagesDecoded++;
    counters.bytesDecompressed += timeBody.length;
    const times = decodeTimePage(timeBody, th.encoding, pagePointBound(stats, task.limits.maxPagePoints, where), where);
    checkPageTimes(times, stats, where);
    if (times.length > 0 && prevEnd !== undefined && times[0]! <= prevEnd) {
      throw new TsFileError(ErrorCode.CORRUPT, `${where.what}: times go back before the previous page's`, { file: task.file, offset: where.offset, expected: `> ${prevEnd}`, actual: String(times[0]) });
    }
    if (times.length > 0) prevEnd = times[times.length - 1]!;
    const [lo, hi] = rangeIndices(times, task.range);
    if (lo >= hi) continue;
    const columns: (ValueColumnResult | null)[] = [];
    for (let v = 0; v < task.values.length; v++) {
      const vp = valuePages[v]?.[p];
      if (vp === undefined || vp.header.uncompressedSize === 0) {
        columns.push(null);
        continue;
      }
      const vh = task.values[v]!.header;
      const vwhere = { file: task.file, offset: vp.header.bodyOffset, what: `${task.device}.${vh.measurementId} page ${p + (task.time.firstPage ?? 0)}` };
      const body = await decompressBody(vh.compression, vp.body, vp.header.uncompressedSize, vwhere);
      counters.pagesDecoded++;
      counters.bytesDecompressed += body.length;
      const d = decodeValuePage(body, vh.dataType, vh.encoding, times.length, vwhere);
      columns.push({ values: d.values, validity: d.validity, nullCount: d.nullCount });
    }
    pages.push({ times, lo, hi, columns });
  }
  return { kind: 'aligned', pages, ...counters };
}
