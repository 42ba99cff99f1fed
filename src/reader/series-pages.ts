/**
 * The decoded pages of one non-aligned series (§7.1, §14 steps 8–9), in time order, restricted to
 * a time range. Chunks and pages whose statistics fall outside the range are skipped before they
 * are decompressed. Chunks that overlap in time (IoTDB "unsequence" data) are merged with the later
 * chunk winning, as the format requires.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ColumnValues } from '../encoding/types.js';
import { chunkStatistics, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import { iteratePages, readChunk } from './chunk-reader.js';
import { decodeSeriesPage, decompressBody, type TimeStreamCache } from './page-decoder.js';
import { accountPage, checkAbort, type ReadContext } from './read-context.js';
import { outsideRange, rangeIndices, type TimeRange } from './time-range.js';
import { concatValues, gatherValues, sliceValues } from './values.js';

export interface SeriesPage {
  times: BigInt64Array;
  /** One value per timestamp. */
  values: ColumnValues;
}

export async function* seriesPages(
  ctx: ReadContext,
  ts: TimeseriesMetadata,
  range: TimeRange,
  label: string,
  timeCache?: TimeStreamCache,
): AsyncGenerator<SeriesPage> {
  if (outsideRange(ts.statistics, range)) return;
  const order = ts.chunks.map((_, i) => i);
  order.sort((a, b) => {
    const x = chunkStatistics(ts, a).startTime;
    const y = chunkStatistics(ts, b).startTime;
    return x < y ? -1 : x > y ? 1 : ts.chunks[a]!.offset - ts.chunks[b]!.offset;
  });
  let overlapping = false;
  for (let k = 1; k < order.length; k++) {
    if (chunkStatistics(ts, order[k]!).startTime <= chunkStatistics(ts, order[k - 1]!).endTime) overlapping = true;
  }
  if (overlapping) {
    yield* mergedOverlappingChunks(ctx, ts, range, label, timeCache);
    return;
  }
  for (const i of order) yield* chunkPages(ctx, ts, i, range, label, timeCache);
}

/** Decoded pages of chunk i of a series, pruned and trimmed to the range. */
async function* chunkPages(
  ctx: ReadContext,
  ts: TimeseriesMetadata,
  i: number,
  range: TimeRange,
  label: string,
  timeCache: TimeStreamCache | undefined,
): AsyncGenerator<SeriesPage> {
  const chunkStats = chunkStatistics(ts, i);
  if (outsideRange(chunkStats, range)) {
    ctx.stats.chunksSkipped++;
    return;
  }
  checkAbort(ctx);
  const chunk = await readChunk(ctx.source, ts.chunks[i]!.offset, ctx.dataEnd);
  ctx.stats.chunksRead++;
  ctx.stats.bytesRead += chunk.header.headerSize + chunk.data.length;
  const h = chunk.header;
  if (h.measurementId !== ts.measurementId || h.dataType !== ts.dataType) {
    throw new TsFileError(ErrorCode.CORRUPT, 'chunk header does not match its timeseries metadata', {
      file: ctx.file,
      offset: h.offset,
      expected: `${ts.measurementId} type ${ts.dataType}`,
      actual: `${h.measurementId} type ${h.dataType}`,
    });
  }
  for (const page of iteratePages(chunk, ctx.options.maxPageBytes, ctx.file)) {
    const stats = page.header.statistics ?? chunkStats;
    if (page.header.uncompressedSize === 0 || outsideRange(stats, range)) {
      ctx.stats.pagesSkipped++;
      continue;
    }
    checkAbort(ctx);
    const where = { file: ctx.file, offset: page.header.bodyOffset, what: `${label} page ${page.index}` };
    const body = await decompressBody(h.compression, page.body, page.header.uncompressedSize, where);
    await accountPage(ctx, body.length);
    const decoded = decodeSeriesPage(body, h.dataType, h.encoding, ctx.options.maxPagePoints, where, timeCache);
    const [lo, hi] = rangeIndices(decoded.times, range);
    if (lo >= hi) continue;
    if (lo === 0 && hi === decoded.times.length) yield decoded;
    else yield { times: decoded.times.subarray(lo, hi), values: sliceValues(decoded.values, lo, hi) };
  }
}

/** Overlapping chunks: decode all of them, then sort by time keeping the last-written point per time. */
async function* mergedOverlappingChunks(
  ctx: ReadContext,
  ts: TimeseriesMetadata,
  range: TimeRange,
  label: string,
  timeCache: TimeStreamCache | undefined,
): AsyncGenerator<SeriesPage> {
  const parts: SeriesPage[] = [];
  const byOffset = ts.chunks.map((_, i) => i).sort((a, b) => ts.chunks[a]!.offset - ts.chunks[b]!.offset);
  for (const i of byOffset) for await (const p of chunkPages(ctx, ts, i, range, label, timeCache)) parts.push(p);
  if (parts.length === 0) return;
  const total = parts.reduce((n, p) => n + p.times.length, 0);
  const times = new BigInt64Array(total);
  let at = 0;
  for (const p of parts) {
    times.set(p.times, at);
    at += p.times.length;
  }
  const values = concatValues(parts.map((p) => p.values));
  // Stable order by time; for equal times the later position (later chunk) wins.
  const idx = Array.from({ length: total }, (_, k) => k);
  idx.sort((a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b));
  const keep: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    if (k + 1 < idx.length && times[idx[k + 1]!] === times[idx[k]!]) continue;
    keep.push(idx[k]!);
  }
  const outTimes = new BigInt64Array(keep.length);
  for (let k = 0; k < keep.length; k++) outTimes[k] = times[keep[k]!]!;
  yield { times: outTimes, values: gatherValues(values, keep) };
}
