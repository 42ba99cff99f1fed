/**
 * What the writer's device buffers share (tsfile-format.md §4, §7, §16.1–§16.3): page settings, a
 * device's pending chunk group, and how sealed pages become encode tasks. Points wait in small raw
 * buffers only until their page is complete; then the completed pages go, as encode tasks
 * (`page-task.ts`), to the writer's runner — inline, or on worker threads while the writer goes on
 * buffering — and the encoded pages are kept until the chunk group is flushed, so memory holds
 * compressed pages plus one open page per series (plus the tasks in flight). Non-aligned devices
 * are in `series-writer.ts`, aligned ones in `aligned-writer.ts`.
 */
import type { ColumnValues } from '../encoding/types.js';
import type { Compression, Encoding } from '../format/codes.js';
import type { ByteBuffer } from './byte-buffer.js';
import type { BuiltChunk } from './chunk-writer.js';
import type { ChunkIndexEntry } from './index-writer.js';
import type { EncodeResult } from './page-task.js';

export interface PageSettings {
  maxPointsPerPage: number;
  pageSizeBytes: number;
  timeEncoding: Encoding;
  timeCompression: Compression;
  /**
   * The C++ v3 layout (§19): aligned chunks and their metadata carry no column masks, and the chunks
   * of a non-aligned group come in measurement order instead of registration order.
   */
  cppLayout: boolean;
}

/**
 * A device's chunk group: first every page task is waited for (`settle`), then its chunks are
 * assembled one at a time, so the writer can pass each one on before assembling the next — memory
 * holds the group's encoded pages once, never a second copy of the whole group.
 */
export interface PendingGroup {
  /** Per chunk, the list its metadata goes to once its offset is known. */
  into: ChunkIndexEntry[][];
  /** Waits for the group's page tasks; rejects when one failed (then nothing of the group is written). */
  settle(): Promise<void>;
  /** Per chunk, in file order: appends that chunk to `out` (only after `settle`). */
  chunks: ((out: ByteBuffer) => BuiltChunk)[];
}

/** Values [from, to) as arrays of their own (binary offsets rebased to 0). */
export function copyRange(v: ColumnValues, from: number, to: number): ColumnValues {
  if (!('offsets' in v)) return v.slice(from, to);
  const o = v.offsets;
  const offsets = new Int32Array(to - from + 1);
  for (let i = 0; i <= to - from; i++) offsets[i] = o[from + i]! - o[from]!;
  return { offsets, data: v.data.slice(o[from]!, o[to]!) };
}

/**
 * Off-thread tasks carry about this many points (rows × columns), so the pages of one large write
 * spread over the workers while a task still outweighs the cost of handing it over.
 */
export const TASK_POINTS = 1 << 17;

/** Splits page ends into runs of whole pages of at most `limit` rows each (at least one page per run). */
export function pageRuns(ends: readonly number[], limit: number): [number, number][] {
  const out: [number, number][] = [];
  let i0 = 0;
  while (i0 < ends.length) {
    const from = i0 === 0 ? 0 : ends[i0 - 1]!;
    let i1 = i0 + 1;
    while (i1 < ends.length && ends[i1]! - from <= limit) i1++;
    out.push([i0, i1]);
    i0 = i1;
  }
  return out;
}

/** Pages of one task's result: `pages` of them from index `first` (per column, for aligned tasks). */
export interface PageRun {
  result: Promise<EncodeResult>;
  first: number;
  pages: number;
}

