/**
 * Streaming large chunk groups page by page (tsfile-format.md §5–§6): instead of reading a chunk
 * group whole (hundreds of MB in big files), its chunks' page headers are walked with small reads
 * and the pages are handed out as a sequence of decode tasks of a few MB each. A task holds, for
 * each chunk, a contiguous run of its pages (read as one range) — a "slice" with the chunk's own
 * header, so the task runs exactly the code of a whole chunk. Non-aligned series advance in step by
 * page start time, so the row merge never waits on a series far behind; aligned chunks advance page
 * by page together, as their pages correspond one to one.
 */
import { readRange } from '../io/byte-source.js';
import { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ChunkHeader } from '../format/chunk-header.js';
import { type PageHeader, readPageHeader } from '../format/page-header.js';
import type { ChunkStats, TaskChunk } from './chunk-task.js';
import type { ReadContext } from './read-context.js';

/** Where a chunk's pages lie: its header and the absolute range of its page data. */
export interface ChunkStart {
  header: ChunkHeader;
  dataOffset: number;
  /** The chunk's statistics from the index (what single-page chunks use). */
  stats: ChunkStats;
}

export interface PageRef {
  /** Position in the chunk (0-based). */
  index: number;
  /** Absolute offset of the page header. */
  start: number;
  /** Absolute offset one past the page body. */
  end: number;
  header: PageHeader;
}

/** First read at a page header; grown (up to 1 MiB) only for statistics with long strings. */
const PAGE_PROBE = 4096;
const MAX_PAGE_HEADER = 1 << 20;

/** Walks the page headers of a chunk with small reads; bodies are not read. */
export async function* walkPageHeaders(ctx: ReadContext, chunk: ChunkStart): AsyncGenerator<PageRef> {
  const { header } = chunk;
  const end = chunk.dataOffset + header.dataSize;
  let pos = chunk.dataOffset;
  let index = 0;
  while (pos < end) {
    if (!header.multiPage && index > 0) {
      throw new TsFileError(ErrorCode.CORRUPT, 'single-page chunk holds more than one page', { file: ctx.file, offset: pos, expected: 'one page', actual: 'a second page' });
    }
    let probe = Math.min(PAGE_PROBE, end - pos);
    for (;;) {
      const bytes = await readRange(ctx.source, pos, probe);
      ctx.stats.bytesRead += probe;
      let ph: PageHeader;
      try {
        ph = readPageHeader(new Cursor(bytes, 0, probe, pos, ctx.file), header.dataType, header.multiPage, ctx.options.maxPageBytes, end);
      } catch (e) {
        const more = Math.min(probe * 16, MAX_PAGE_HEADER, end - pos);
        if (e instanceof TsFileError && e.code === ErrorCode.TRUNCATED && more > probe) {
          probe = more;
          continue;
        }
        throw e;
      }
      const pageEnd = ph.bodyOffset + ph.compressedSize;
      yield { index, start: pos, end: pageEnd, header: ph };
      pos = pageEnd;
      index++;
      break;
    }
  }
}

/** Bytes a page stands for in flight: decoded (its points × (time + value width)) plus stored. */
export function pageEstimate(p: PageRef, chunkStats: ChunkStats, bytesPerPoint: number): number {
  const count = p.header.statistics?.count ?? chunkStats.count;
  // The stored bytes are in flight too (read, then handed to a worker) until the page is decoded.
  return count * bytesPerPoint + (p.end - p.start) + 64;
}

/** Reads a run of consecutive pages of a chunk as a task chunk of its own. */
export async function readSlice(ctx: ReadContext, chunk: ChunkStart, pages: PageRef[]): Promise<TaskChunk> {
  const first = pages[0]!;
  const last = pages[pages.length - 1]!;
  const data = await readRange(ctx.source, first.start, last.end - first.start);
  ctx.stats.bytesRead += data.length;
  return {
    header: chunk.header,
    data,
    dataOffset: first.start,
    stats: sliceStats(chunk, pages),
    firstPage: first.index,
  };
}

/** Statistics of a run of pages (single-page chunks: the chunk's own). */
function sliceStats(chunk: ChunkStart, pages: PageRef[]): ChunkStats {
  if (!chunk.header.multiPage) return chunk.stats;
  let count = 0;
  let startTime = 0x7fffffffffffffffn;
  let endTime = -0x8000000000000000n;
  for (const p of pages) {
    const s = p.header.statistics;
    if (s === undefined) continue;
    count += s.count;
    if (s.startTime < startTime) startTime = s.startTime;
    if (s.endTime > endTime) endTime = s.endTime;
  }
  return { count, startTime, endTime };
}

/**
 * Cuts non-aligned chunks into runs of pages of about `target` decoded bytes in all: pages are
 * taken from the chunk whose next page starts earliest, so the series stay level in time.
 */
export async function* seriesSlices(
  ctx: ReadContext,
  chunks: ChunkStart[],
  bytesPerPoint: number[],
  target: number,
): AsyncGenerator<{ estimate: number; pages: PageRef[][] }> {
  const walkers = chunks.map((c) => walkPageHeaders(ctx, c));
  const heads: (PageRef | undefined)[] = [];
  for (const w of walkers) heads.push((await w.next()).value ?? undefined);
  const startOf = (k: number) => heads[k]!.header.statistics?.startTime ?? chunks[k]!.stats.startTime;
  while (heads.some((h) => h !== undefined)) {
    const pages: PageRef[][] = chunks.map(() => []);
    let estimate = 0;
    while (estimate < target) {
      let k = -1;
      for (let i = 0; i < heads.length; i++) if (heads[i] !== undefined && (k < 0 || startOf(i) < startOf(k))) k = i;
      if (k < 0) break;
      const p = heads[k]!;
      pages[k]!.push(p);
      estimate += pageEstimate(p, chunks[k]!.stats, bytesPerPoint[k]!);
      heads[k] = (await walkers[k]!.next()).value ?? undefined;
    }
    yield { estimate, pages };
  }
}

/**
 * Cuts an aligned chunk group into runs of pages: the time chunk's page i goes with page i of every
 * value chunk (each value chunk must have exactly as many pages as the time chunk).
 */
export async function* alignedSlices(
  ctx: ReadContext,
  time: ChunkStart,
  values: (ChunkStart | null)[],
  bytesPerRow: number,
  target: number,
): AsyncGenerator<{ estimate: number; time: PageRef[]; values: (PageRef[] | null)[] }> {
  const tw = walkPageHeaders(ctx, time);
  const vws = values.map((v) => (v === null ? null : walkPageHeaders(ctx, v)));
  let t = (await tw.next()).value ?? undefined;
  for (;;) {
    const timePages: PageRef[] = [];
    const valuePages: (PageRef[] | null)[] = values.map((v) => (v === null ? null : []));
    let estimate = 0;
    while (t !== undefined && estimate < target) {
      timePages.push(t);
      estimate += pageEstimate(t, time.stats, bytesPerRow);
      for (let v = 0; v < vws.length; v++) {
        const w = vws[v];
        if (w === null || w === undefined) continue;
        const vp = (await w.next()).value ?? undefined;
        if (vp === undefined) throw pageCountMismatch(ctx, values[v]!, t.index + 1, vp);
        valuePages[v]!.push(vp);
      }
      t = (await tw.next()).value ?? undefined;
    }
    if (timePages.length > 0) yield { estimate, time: timePages, values: valuePages };
    if (t === undefined) break;
  }
  for (let v = 0; v < vws.length; v++) {
    const extra = vws[v] === null ? undefined : (await vws[v]!.next()).value;
    if (extra !== undefined) throw pageCountMismatch(ctx, values[v]!, extra.index, extra);
  }
}

function pageCountMismatch(ctx: ReadContext, chunk: ChunkStart, timePages: number, at: PageRef | undefined): TsFileError {
  return new TsFileError(ErrorCode.CORRUPT, 'value chunk has a different page count than its time chunk', {
    file: ctx.file,
    offset: at?.start ?? chunk.header.offset,
    expected: at === undefined ? `at least ${timePages} pages` : `${timePages} pages`,
    actual: at === undefined ? 'fewer' : 'more',
  });
}
