/**
 * Encoding a run of planned pages (tsfile-format.md §6, §7): a pure function from buffered values
 * and page ends to compressed page bodies and page statistics. For a non-aligned series the pages
 * hold times and values (§7.1); for an aligned device, the time pages (§7.2), then the pages of
 * each value column in order (§7.3), all sharing the page ends. Tasks hold only typed arrays and
 * plain data, so they can run on any thread and their arrays can be transferred; whoever runs
 * them, the bytes are the same. Chunk headers are assembled from the results by the writer.
 */
import type { ColumnValues } from '../encoding/types.js';
import type { Compression, Encoding } from '../format/codes.js';
import type { Statistics } from '../format/statistics.js';
import { buildSeriesPage, buildTimePage, buildValuePage, type BuiltPage, type ColumnSchema } from './chunk-writer.js';

/** Pages of one non-aligned series over rows [0, last page end) of `times`/`values`. */
export interface SeriesPages {
  schema: ColumnSchema;
  times: BigInt64Array;
  values: ColumnValues;
  /** Exclusive page ends, increasing. */
  pageEnds: Int32Array;
}

/** Pages of some series of one device (one task per write, not per series: fewer, larger tasks). */
export interface SeriesPagesTask {
  kind: 'encodeSeriesPages';
  timeEncoding: Encoding;
  series: SeriesPages[];
}

/** One aligned value column: its non-null values and, when some rows are null, a presence byte per row. */
export interface AlignedColumnData {
  schema: ColumnSchema;
  values: ColumnValues;
  present: Uint8Array | undefined;
}

/** Pages of an aligned device: the time column and every value column share the page ends (§7.3). */
export interface AlignedPagesTask {
  kind: 'encodeAlignedPages';
  timeEncoding: Encoding;
  timeCompression: Compression;
  times: BigInt64Array;
  pageEnds: Int32Array;
  columns: AlignedColumnData[];
}

export type EncodeTask = SeriesPagesTask | AlignedPagesTask;

/** One encoded page; its body is the next `size` bytes of the result's `bytes`. */
export interface EncodedPage {
  /** Encoded size before compression; 0 for the empty aligned page `00`. */
  uncompressedSize: number;
  size: number;
  statistics: Statistics | undefined;
}

export interface EncodeResult {
  /** Page bodies back to back, in the order of `pages`. */
  bytes: Uint8Array;
  /** Series: each series' pages in turn. Aligned: the time pages, then each column's pages. */
  pages: EncodedPage[];
}

function collect(built: BuiltPage[]): EncodeResult {
  let size = 0;
  for (const p of built) size += p.body.length;
  const bytes = new Uint8Array(size);
  const pages: EncodedPage[] = [];
  let at = 0;
  for (const p of built) {
    bytes.set(p.body, at);
    at += p.body.length;
    pages.push({ uncompressedSize: p.uncompressedSize, size: p.body.length, statistics: p.statistics });
  }
  return { bytes, pages };
}

async function encodeSeries(t: SeriesPagesTask): Promise<EncodeResult> {
  const built: BuiltPage[] = [];
  for (const s of t.series) {
    let from = 0;
    for (const to of s.pageEnds) {
      built.push(await buildSeriesPage(s.schema, t.timeEncoding, s.times, s.values, from, to));
      from = to;
    }
  }
  return collect(built);
}

async function encodeAligned(t: AlignedPagesTask): Promise<EncodeResult> {
  const built: BuiltPage[] = [];
  let from = 0;
  for (const to of t.pageEnds) {
    built.push(await buildTimePage(t.timeEncoding, t.timeCompression, t.times, from, to));
    from = to;
  }
  for (const c of t.columns) {
    let rowFrom = 0;
    let valueFrom = 0;
    for (const rowTo of t.pageEnds) {
      const { page, used } = await buildValuePage(c.schema, t.times, c.values, c.present, rowFrom, rowTo, valueFrom);
      built.push(page);
      valueFrom += used;
      rowFrom = rowTo;
    }
  }
  return collect(built);
}

/** Encodes and compresses a task's pages. */
export function runEncodeTask(task: EncodeTask): Promise<EncodeResult> {
  return task.kind === 'encodeSeriesPages' ? encodeSeries(task) : encodeAligned(task);
}

/** The pages of a result from `first`, `count` of them, with their bodies as views of its bytes. */
export function pagesOf(r: EncodeResult, first: number, count: number): BuiltPage[] {
  let at = 0;
  for (let i = 0; i < first; i++) at += r.pages[i]!.size;
  const out: BuiltPage[] = [];
  for (let i = first; i < first + count; i++) {
    const p = r.pages[i]!;
    out.push({ uncompressedSize: p.uncompressedSize, body: r.bytes.subarray(at, at + p.size), statistics: p.statistics });
    at += p.size;
  }
  return out;
}
