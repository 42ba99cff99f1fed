/**
 * Planning a device's scan (tsfile-format.md §14): which chunks are needed for the time range and
 * how they are bundled into decode tasks. Non-aligned series written together (the usual case: the
 * k-th chunk of every series in the same chunk group) become one task per chunk group, so their
 * shared timestamps are decoded once; otherwise each chunk is its own task, in time order. Aligned
 * devices get one task per chunk group: the time chunk and its value chunks. A chunk group too
 * large for one task (by its statistics or its stored size) is streamed as runs of pages instead
 * (page-slices.ts), so memory stays flat however large chunks are. The plan is produced lazily:
 * chunk headers are read as the scan gets to them.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import { DataType } from '../format/codes.js';
import { chunkStatistics, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import type { ChunkHeader } from '../format/chunk-header.js';
import { type ChunkHead, readChunkData, readChunkHead } from './chunk-reader.js';
import { alignedSlices, type ChunkStart, readSlice, seriesSlices } from './page-slices.js';
import type { ChunkTask, ChunkStats, TaskChunk } from './chunk-task.js';
import type { Planned } from './prefetch.js';
import type { ReadContext } from './read-context.js';
import { outsideRange, type TimeRange } from './time-range.js';

interface ChunkRef {
  series: number;
  offset: number;
  stats: ChunkStats;
  dataType: DataType;
}

/** Rough decoded size of a chunk: timestamps plus values. */
function estimate(refs: ChunkRef[]): number {
  let n = 0;
  for (const r of refs) n += r.stats.count * (8 + valueWidth(r.dataType));
  return Math.max(n, 1024);
}

function valueWidth(t: DataType): number {
  switch (t) {
    case DataType.BOOLEAN:
      return 1;
    case DataType.INT32:
    case DataType.DATE:
    case DataType.FLOAT:
      return 4;
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.DOUBLE:
      return 8;
    default:
      return 32;
  }
}

/** Announces the chunks a task is about to read to a source that takes read plans (one coalesced request). */
function announce(ctx: ReadContext, offsets: number[]): void {
  const extentOf = ctx.extentOf;
  if (extentOf === undefined || ctx.source.prefetch === undefined) return;
  const ranges: [number, number][] = [];
  for (const o of offsets) {
    const n = extentOf(o);
    if (n !== undefined && n > 0) ranges.push([o, n]);
  }
  if (ranges.length > 0) ctx.source.prefetch(ranges);
}

async function loadHead(ctx: ReadContext, ref: { offset: number }, ts: TimeseriesMetadata): Promise<ChunkHead> {
  const head = await readChunkHead(ctx.source, ref.offset, ctx.dataEnd);
  checkHeader(ctx, head, ts);
  ctx.stats.chunksRead++;
  ctx.stats.bytesRead += head.probe.length;
  return head;
}

async function loadChunk(ctx: ReadContext, head: ChunkHead, stats: ChunkStats): Promise<TaskChunk> {
  const chunk = await readChunkData(ctx.source, head);
  if (chunk.data.buffer !== head.probe.buffer) ctx.stats.bytesRead += chunk.data.length;
  return { ...chunk, stats };
}

/** Chunk groups above this (estimated decoded bytes, or stored bytes) are streamed by page. */
function sliceAbove(ctx: ReadContext): number {
  return Math.floor(ctx.options.maxBytesInFlight / 4);
}

/** Decoded bytes a page-run task aims at. */
function sliceTarget(ctx: ReadContext): number {
  return Math.max(1, Math.floor(ctx.options.maxBytesInFlight / 32));
}

function checkHeader(ctx: ReadContext, c: { header: ChunkHeader }, ts: TimeseriesMetadata): void {
  const h = c.header;
  if (h.measurementId !== ts.measurementId || h.dataType !== ts.dataType) {
    throw new TsFileError(ErrorCode.CORRUPT, 'chunk header does not match its timeseries metadata', {
      file: ctx.file,
      offset: h.offset,
      expected: `${ts.measurementId} type ${ts.dataType}`,
      actual: `${h.measurementId} type ${h.dataType}`,
    });
  }
}

const byStart = (a: ChunkRef, b: ChunkRef) => (a.stats.startTime < b.stats.startTime ? -1 : a.stats.startTime > b.stats.startTime ? 1 : a.offset - b.offset);

/** Tasks for the selected non-aligned series of a device, in an order whose pages come per series in time order. */
export async function* planSeriesTasks(ctx: ReadContext, device: string, selected: TimeseriesMetadata[], range: TimeRange): AsyncGenerator<Planned<ChunkTask>> {
  const perSeries: ChunkRef[][] = selected.map((ts, series) =>
    ts.chunks.map((c, i) => ({ series, offset: c.offset, stats: chunkStatistics(ts, i), dataType: ts.dataType })).sort((a, b) => a.offset - b.offset),
  );
  const overlapping = perSeries.some((refs) => {
    const sorted = [...refs].sort(byStart);
    return sorted.some((r, i) => i > 0 && r.stats.startTime <= sorted[i - 1]!.stats.endTime);
  });
  const groups: ChunkRef[][] = [];
  if (overlapping) {
    groups.push(perSeries.flat());
  } else if (interleaved(perSeries)) {
    for (let k = 0; k < perSeries[0]!.length; k++) groups.push(perSeries.map((refs) => refs[k]!));
    groups.sort((a, b) => byStart(a[0]!, b[0]!));
  } else {
    for (const r of perSeries.flat().sort(byStart)) groups.push([r]);
  }
  const task = (chunks: TaskChunk[], series: number[]): ChunkTask => ({
    kind: 'series',
    file: ctx.file,
    device,
    range,
    limits: ctx.options,
    chunks,
    series,
    mergeOverlaps: overlapping,
  });
  for (const group of groups) {
    const refs = group.filter((r) => {
      if (!outsideRange(r.stats, range)) return true;
      ctx.stats.chunksSkipped++;
      return false;
    });
    if (refs.length === 0) continue;
    announce(ctx, refs.map((r) => r.offset));
    const heads = await Promise.all(refs.map((r) => loadHead(ctx, r, selected[r.series]!)));
    const est = estimate(refs);
    const stored = heads.reduce((n, h) => n + h.header.dataSize, 0);
    if (overlapping || (est <= sliceAbove(ctx) && stored <= sliceAbove(ctx))) {
      yield {
        estimate: est,
        start: async () => task(await Promise.all(heads.map((h, i) => loadChunk(ctx, h, refs[i]!.stats))), refs.map((r) => r.series)),
      };
      continue;
    }
    const starts: ChunkStart[] = heads.map((h, i) => ({ header: h.header, dataOffset: h.dataOffset, stats: refs[i]!.stats }));
    for await (const s of seriesSlices(ctx, starts, refs.map((r) => 8 + valueWidth(r.dataType)), sliceTarget(ctx))) {
      const used = s.pages.flatMap((pages, i) => (pages.length > 0 ? [i] : []));
      yield {
        estimate: s.estimate,
        start: async () => task(await Promise.all(used.map((i) => readSlice(ctx, starts[i]!, s.pages[i]!))), used.map((i) => refs[i]!.series)),
      };
    }
  }
}

/** Every series has k chunks and the k-th chunks of all series lie between the (k-1)-th and (k+1)-th. */
function interleaved(perSeries: ChunkRef[][]): boolean {
  const n = perSeries[0]!.length;
  if (perSeries.some((refs) => refs.length !== n)) return false;
  let prevMax = -1;
  for (let k = 0; k < n; k++) {
    let min = Infinity;
    let max = -1;
    for (const refs of perSeries) {
      min = Math.min(min, refs[k]!.offset);
      max = Math.max(max, refs[k]!.offset);
    }
    if (min <= prevMax) return false;
    prevMax = max;
  }
  return true;
}

/** One task per chunk group of an aligned device; value chunks are paired with the time chunk before them. */
export async function* planAlignedTasks(
  ctx: ReadContext,
  device: string,
  time: TimeseriesMetadata,
  values: TimeseriesMetadata[],
  range: TimeRange,
): AsyncGenerator<Planned<ChunkTask>> {
  const timeOffsets = time.chunks.map((c) => c.offset);
  for (let i = 1; i < timeOffsets.length; i++) {
    if (timeOffsets[i]! <= timeOffsets[i - 1]!) {
      throw new TsFileError(ErrorCode.CORRUPT, 'time chunks are not listed in file order', { file: ctx.file, offset: timeOffsets[i], expected: `> ${timeOffsets[i - 1]}` });
    }
  }
  const assigned = values.map((ts) => {
    const byGroup = new Map<number, number>();
    ts.chunks.forEach((c, j) => {
      const g = lastBefore(timeOffsets, c.offset);
      if (g < 0 || byGroup.has(g)) {
        throw new TsFileError(ErrorCode.CORRUPT, 'value chunk cannot be paired with a time chunk', {
          file: ctx.file,
          offset: c.offset,
          expected: 'one value chunk per chunk group, after its time chunk',
        });
      }
      byGroup.set(g, j);
    });
    return byGroup;
  });
  const groups = time.chunks.map((_, g) => g);
  groups.sort((a, b) => {
    const x = chunkStatistics(time, a).startTime;
    const y = chunkStatistics(time, b).startTime;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  yield* alignedGroups(ctx, device, time, values, range, groups, timeOffsets, assigned);
}

async function* alignedGroups(
  ctx: ReadContext,
  device: string,
  time: TimeseriesMetadata,
  values: TimeseriesMetadata[],
  range: TimeRange,
  groups: number[],
  timeOffsets: number[],
  assigned: Map<number, number>[],
): AsyncGenerator<Planned<ChunkTask>> {
  const task = (timeChunk: TaskChunk, valueChunks: (TaskChunk | null)[]): ChunkTask => ({ kind: 'aligned', file: ctx.file, device, range, limits: ctx.options, time: timeChunk, values: valueChunks });
  for (const g of groups) {
    const timeStats = chunkStatistics(time, g);
    if (outsideRange(timeStats, range)) {
      ctx.stats.chunksSkipped++;
      continue;
    }
    const valueRefs = values.map((ts, v): ChunkRef | null => {
      const j = assigned[v]!.get(g);
      if (j === undefined) return null;
      const stats = chunkStatistics(ts, j);
      return stats.count === 0 ? null : { offset: ts.chunks[j]!.offset, stats, dataType: ts.dataType, series: v };
    });
    const timeRef = { offset: timeOffsets[g]!, stats: timeStats, dataType: DataType.INT64, series: -1 };
    const present = valueRefs.filter((r): r is ChunkRef => r !== null);
    announce(ctx, [timeRef.offset, ...present.map((r) => r.offset)]);
    const [timeHead, ...valueHeads] = await Promise.all([loadHead(ctx, timeRef, time), ...valueRefs.map((r, v) => (r === null ? null : loadHead(ctx, r, values[v]!)))]);
    const est = estimate([timeRef, ...present]);
    const stored = [timeHead!, ...valueHeads].reduce((n, h) => n + (h?.header.dataSize ?? 0), 0);
    if (est <= sliceAbove(ctx) && stored <= sliceAbove(ctx)) {
      yield {
        estimate: est,
        start: async () => {
          const [timeChunk, ...valueChunks] = await Promise.all([
            loadChunk(ctx, timeHead!, timeRef.stats),
            ...valueHeads.map((h, v) => (h === null ? null : loadChunk(ctx, h, valueRefs[v]!.stats))),
          ]);
          return task(timeChunk!, valueChunks);
        },
      };
      continue;
    }
    const timeStart: ChunkStart = { header: timeHead!.header, dataOffset: timeHead!.dataOffset, stats: timeStats };
    // A value chunk without pages holds no value in this group: null, as for a missing chunk.
    const valueStarts = valueHeads.map((h, v): ChunkStart | null => (h === null || h.header.dataSize === 0 ? null : { header: h.header, dataOffset: h.dataOffset, stats: valueRefs[v]!.stats }));
    const bytesPerRow = 8 + present.reduce((n, r) => n + valueWidth(r.dataType), 0);
    for await (const s of alignedSlices(ctx, timeStart, valueStarts, bytesPerRow, sliceTarget(ctx))) {
      yield {
        estimate: s.estimate,
        start: async () => {
          const [timeChunk, ...valueChunks] = await Promise.all([
            readSlice(ctx, timeStart, s.time),
            ...s.values.map((pages, v) => (pages === null ? null : readSlice(ctx, valueStarts[v]!, pages))),
          ]);
          return task(timeChunk!, valueChunks);
        },
      };
    }
  }
}

/** Index of the last element < x in a sorted array, or -1. */
function lastBefore(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
