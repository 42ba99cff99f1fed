/**
 * Planning a device's scan (tsfile-format.md §14): which chunks are needed for the time range and
 * how they are bundled into decode tasks. Non-aligned series written together (the usual case: the
 * k-th chunk of every series in the same chunk group) become one task per chunk group, so their
 * shared timestamps are decoded once; otherwise each chunk is its own task, in time order. Aligned
 * devices get one task per chunk group: the time chunk and its value chunks.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import { DataType } from '../format/codes.js';
import { chunkStatistics, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import { readChunk } from './chunk-reader.js';
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

async function loadChunk(ctx: ReadContext, ref: { offset: number; stats: ChunkStats }): Promise<TaskChunk> {
  const chunk = await readChunk(ctx.source, ref.offset, ctx.dataEnd);
  ctx.stats.chunksRead++;
  ctx.stats.bytesRead += chunk.header.headerSize + chunk.data.length;
  return { ...chunk, stats: ref.stats };
}

function checkHeader(ctx: ReadContext, c: TaskChunk, ts: TimeseriesMetadata): void {
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
export function planSeriesTasks(ctx: ReadContext, device: string, selected: TimeseriesMetadata[], range: TimeRange): Planned<ChunkTask>[] {
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
  const tasks: Planned<ChunkTask>[] = [];
  for (const group of groups) {
    const refs = group.filter((r) => {
      if (!outsideRange(r.stats, range)) return true;
      ctx.stats.chunksSkipped++;
      return false;
    });
    if (refs.length === 0) continue;
    tasks.push({
      estimate: estimate(refs),
      start: async () => {
        announce(ctx, refs.map((r) => r.offset));
        const chunks = await Promise.all(refs.map((r) => loadChunk(ctx, r)));
        chunks.forEach((c, i) => checkHeader(ctx, c, selected[refs[i]!.series]!));
        return {
          kind: 'series',
          file: ctx.file,
          device,
          range,
          limits: ctx.options,
          chunks,
          series: refs.map((r) => r.series),
          mergeOverlaps: overlapping,
        };
      },
    });
  }
  return tasks;
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
export function planAlignedTasks(
  ctx: ReadContext,
  device: string,
  time: TimeseriesMetadata,
  values: TimeseriesMetadata[],
  range: TimeRange,
): Planned<ChunkTask>[] {
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
  const tasks: Planned<ChunkTask>[] = [];
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
    tasks.push({
      estimate: estimate([timeRef, ...valueRefs.filter((r): r is ChunkRef => r !== null)]),
      start: async () => {
        announce(ctx, [timeRef.offset, ...valueRefs.flatMap((r) => (r === null ? [] : [r.offset]))]);
        const [timeChunk, ...valueChunks] = await Promise.all([loadChunk(ctx, timeRef), ...valueRefs.map((r) => (r === null ? null : loadChunk(ctx, r)))]);
        checkHeader(ctx, timeChunk!, time);
        valueChunks.forEach((c, v) => c !== null && checkHeader(ctx, c, values[v]!));
        return { kind: 'aligned', file: ctx.file, device, range, limits: ctx.options, time: timeChunk!, values: valueChunks };
      },
    });
  }
  return tasks;
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
