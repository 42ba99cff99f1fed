/**
 * Non-aligned devices of the tree model (tsfile-format.md §4, §7.1, §16.2): each series buffers its
 * own times and values, plans its own pages, and gives one chunk per chunk group when it has
 * points — in registration order, or measurement order in the C++ layout (§19).
 */
import { compareStrings, type DeviceId } from '../format/device-id.js';
import type { ByteBuffer } from './byte-buffer.js';
import { assembleSeriesChunk, type BuiltChunk, type BuiltPage, type ColumnSchema } from './chunk-writer.js';
import { TimeBuffer, ValueBuffer } from './column-buffer.js';
import { copyRange, pageRuns, TASK_POINTS, type PageRun, type PageSettings, type PendingGroup } from './device-writer.js';
import type { TaskQueue } from './encode-runner.js';
import type { ChunkIndexEntry, DeviceIndexEntry, SeriesIndexEntry } from './index-writer.js';
import type { RowColumn } from './input-error.js';
import { PagePlanner, valueSizeEstimate } from './page-planner.js';
import { pagesOf, type EncodeResult, type SeriesPages } from './page-task.js';

export class SeriesState {
  readonly times = new TimeBuffer();
  readonly values: ValueBuffer;
  /** Last time written (buffered or flushed). */
  lastTime: bigint | undefined;
  readonly chunks: ChunkIndexEntry[] = [];
  private runs: PageRun[] = [];
  private readonly planner: PagePlanner;

  constructor(
    readonly schema: ColumnSchema,
    settings: PageSettings,
  ) {
    this.values = new ValueBuffer(schema.dataType);
    this.planner = new PagePlanner(settings.maxPointsPerPage, settings.pageSizeBytes);
  }

  /** Raw bytes of the points not yet sealed into pages. */
  get openBytes(): number {
    return this.times.length * 8 + this.values.byteSize();
  }

  get hasData(): boolean {
    return this.runs.length > 0 || this.times.length > 0;
  }

  /** Page ends of the complete pages (with `final`, the open one too); empty when none is complete. */
  planSeal(final: boolean): number[] {
    const n = this.times.length;
    if (n === 0) return [];
    return this.planner.plan(n, valueSizeEstimate(this.schema.dataType, this.schema.encoding, this.values.view()), final);
  }

  /**
   * Pages [i0, i1) of the plan as part of a task: copies of their rows when the task runs
   * off-thread, else views of the buffers.
   */
  pagesInRange(ends: readonly number[], i0: number, i1: number, copy: boolean): SeriesPages {
    const from = i0 === 0 ? 0 : ends[i0 - 1]!;
    const to = ends[i1 - 1]!;
    const times = this.times.view();
    const values = this.values.view();
    return {
      schema: this.schema,
      times: copy ? times.slice(from, to) : times,
      values: copy ? copyRange(values, from, to) : values,
      pageEnds: Int32Array.from(ends.slice(i0, i1), (e) => (copy ? e - from : e)),
    };
  }

  /** Records pages [first, first + count) of `result` as this series' next pages. */
  sealed(result: Promise<EncodeResult>, first: number, count: number): void {
    this.runs.push({ result, first, pages: count });
  }

  /** Drops the first `rows` raw points (sealed into pages). */
  drop(rows: number): void {
    this.times.dropPrefix(rows);
    this.values.dropPrefix(rows);
  }

  /** Copies rows still open out of borrowed input arrays. */
  settle(): void {
    this.times.settle();
    this.values.settle();
  }

  /** Takes the sealed pages (call after a final seal) as a chunk builder, or undefined when there are none. */
  /** The pending chunk: its pages once their tasks are done, then the chunk assembled from them. */
  takeChunk(): PendingChunk | undefined {
    if (this.runs.length === 0) return undefined;
    let runs: PageRun[] = this.runs;
    this.runs = [];
    let pages: BuiltPage[] = [];
    return {
      settle: async () => {
        for (const r of runs) pages.push(...pagesOf(await r.result, r.first, r.pages));
        runs = [];
      },
      assemble: (out) => {
        const chunk = assembleSeriesChunk(out, this.schema, pages);
        pages = []; // the chunk's bytes are in `out` now
        return chunk;
      },
    };
  }
}

/** A series' chunk of one flush: `settle` waits for its page tasks, `assemble` then writes it out. */
interface PendingChunk {
  settle(): Promise<void>;
  assemble(out: ByteBuffer): BuiltChunk;
}

/**
 * Buffers validated rows of non-aligned series (`last`: the series' last non-null row, -1 for
 * none). A series with nothing open and no nulls in the batch borrows the input arrays, so its
 * complete pages are encoded straight from them (TimeBuffer.borrow).
 */
export function bufferSeries(time: BigInt64Array, series: readonly { state: SeriesState; col: RowColumn; last: number }[]): void {
  for (const { state, col, last } of series) {
    if (last < 0) continue;
    if (col.valid === undefined && state.times.length === 0 && state.values.borrow(col.values, 0, time.length)) {
      state.times.borrow(time, 0, time.length);
    } else {
      state.times.append(time, col.valid);
      state.values.append(col.values, col.valid, 0, time.length);
    }
    state.lastTime = time[last]!;
  }
}

export class TreeDevice {
  readonly aligned = false;
  readonly series = new Map<string, SeriesState>();

  constructor(
    readonly path: string,
    readonly deviceId: DeviceId,
  ) {}

  get openBytes(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.openBytes;
    return n;
  }

  get hasData(): boolean {
    for (const s of this.series.values()) if (s.hasData) return true;
    return false;
  }

  settle(): void {
    for (const s of this.series.values()) s.settle();
  }

  /**
   * Sends the complete pages of all series (with `final`, the open ones too) to be encoded: inline
   * as one task over views of the buffers; off-thread as copies, in tasks of about TASK_POINTS.
   */
  async seal(settings: PageSettings, queue: TaskQueue, final: boolean): Promise<void> {
    const plans: { s: SeriesState; ends: number[] }[] = [];
    for (const s of this.series.values()) {
      const ends = s.planSeal(final);
      if (ends.length > 0) plans.push({ s, ends });
    }
    if (plans.length === 0) return;
    const copy = queue.offThread;
    let batch: { s: SeriesState; part: SeriesPages; count: number }[] = [];
    let points = 0;
    const submit = async (): Promise<void> => {
      const { result } = await queue.submit({ kind: 'encodeSeriesPages', timeEncoding: settings.timeEncoding, series: batch.map((b) => b.part) });
      let first = 0;
      for (const b of batch) {
        b.s.sealed(result, first, b.count);
        first += b.count;
      }
      batch = [];
      points = 0;
    };
    for (const { s, ends } of plans) {
      for (const [i0, i1] of copy ? pageRuns(ends, TASK_POINTS) : [[0, ends.length] as [number, number]]) {
        batch.push({ s, part: s.pagesInRange(ends, i0, i1, copy), count: i1 - i0 });
        points += ends[i1 - 1]! - (i0 === 0 ? 0 : ends[i0 - 1]!);
        if (copy && points >= TASK_POINTS) await submit();
      }
    }
    if (batch.length > 0) await submit();
    for (const { s, ends } of plans) s.drop(ends[ends.length - 1]!);
  }

  /** One chunk per series with points, in registration order (C++ layout: measurement order), after a final seal. */
  takeGroup(settings: PageSettings): PendingGroup | undefined {
    const series = [...this.series.values()];
    if (settings.cppLayout) series.sort((a, b) => compareStrings(a.schema.measurement, b.schema.measurement));
    const into: ChunkIndexEntry[][] = [];
    const pending: PendingChunk[] = [];
    for (const s of series) {
      const b = s.takeChunk();
      if (b === undefined) continue;
      pending.push(b);
      into.push(s.chunks);
    }
    if (pending.length === 0) return undefined;
    return {
      into,
      settle: async () => {
        for (const b of pending) await b.settle();
      },
      chunks: pending.map((b) => (out: ByteBuffer) => b.assemble(out)),
    };
  }

  indexEntry(): DeviceIndexEntry | undefined {
    const series: SeriesIndexEntry[] = [];
    for (const s of this.series.values()) {
      if (s.chunks.length > 0) series.push({ measurement: s.schema.measurement, dataType: s.schema.dataType, mask: 0, chunks: s.chunks });
    }
    return series.length === 0 ? undefined : { deviceId: this.deviceId, series };
  }
}

