/**
 * Aligned devices (tree-model aligned devices and table-model devices; tsfile-format.md §7.2,
 * §7.3, §16.2, §16.3): the time column and every value column are sealed into pages together, and
 * a chunk group holds the time chunk first, then a chunk for *every* column — header-only when all
 * its rows are null — so every chunk group of the device carries the same columns.
 */
import { DataType, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../format/codes.js';
import type { DeviceId } from '../format/device-id.js';
import type { ByteBuffer } from './byte-buffer.js';
import { assembleTimeChunk, assembleValueChunk, type BuiltPage, type ColumnSchema } from './chunk-writer.js';
import { PresenceBuffer, TimeBuffer, ValueBuffer } from './column-buffer.js';
import { copyRange, pageRuns, TASK_POINTS, type PageRun, type PageSettings, type PendingGroup } from './device-writer.js';
import type { TaskQueue } from './encode-runner.js';
import type { ChunkIndexEntry, DeviceIndexEntry, SeriesIndexEntry } from './index-writer.js';
import type { RowColumn } from './input-error.js';
import { PagePlanner, rowsEstimate, sumEstimates, valueSizeEstimate, type SizeEstimate } from './page-planner.js';
import { pagesOf, type EncodeResult, type EncodeTask } from './page-task.js';

export class AlignedColumnState {
  readonly values: ValueBuffer;
  readonly present = new PresenceBuffer();
  readonly chunks: ChunkIndexEntry[] = [];

  constructor(readonly schema: ColumnSchema) {
    this.values = new ValueBuffer(schema.dataType);
  }
}

/** Encoded pages of one aligned task: time pages, then `pages` per column of `columns`. */
interface AlignedRun extends PageRun {
  columns: AlignedColumnState[];
}

const EMPTY_PAGE: BuiltPage = { uncompressedSize: 0, body: new Uint8Array(0), statistics: undefined };

export class AlignedDevice {
  readonly aligned = true;
  readonly times = new TimeBuffer();
  readonly columns = new Map<string, AlignedColumnState>();
  readonly timeChunks: ChunkIndexEntry[] = [];
  lastTime: bigint | undefined;
  private runs: AlignedRun[] = [];
  private readonly planner: PagePlanner;

  constructor(
    readonly path: string,
    readonly deviceId: DeviceId,
    settings: PageSettings,
  ) {
    this.planner = new PagePlanner(settings.maxPointsPerPage, settings.pageSizeBytes);
  }

  /** True once a chunk group of this device is in the file (its column set is then fixed). */
  get flushedOnce(): boolean {
    return this.timeChunks.length > 0;
  }

  get hasData(): boolean {
    return this.runs.length > 0 || this.times.length > 0;
  }

  get openBytes(): number {
    let n = this.times.length * 8;
    for (const c of this.columns.values()) n += c.values.byteSize() + c.present.length;
    return n;
  }

  addColumn(schema: ColumnSchema): void {
    const c = new AlignedColumnState(schema);
    // Rows buffered before the column existed are null for it (§16.3 back-fill); pages already
    // sealed without it become empty pages when the chunk is built.
    c.present.appendNulls(this.times.length);
    this.columns.set(schema.measurement, c);
  }

  /** Buffers validated rows; columns absent from `cols` are null. With no rows open, input arrays are borrowed. */
  buffer(time: BigInt64Array, cols: ReadonlyMap<string, RowColumn>): void {
    const n = time.length;
    if (n === 0) return;
    const fresh = this.times.length === 0;
    if (fresh) this.times.borrow(time, 0, n);
    else this.times.append(time, undefined);
    for (const [name, c] of this.columns) {
      const col = cols.get(name);
      if (col === undefined) {
        c.present.appendNulls(n);
        continue;
      }
      c.present.append(col.valid, 0, n);
      if (!(fresh && col.valid === undefined && c.values.borrow(col.values, 0, n))) c.values.append(col.values, col.valid, 0, n);
    }
    this.lastTime = time[n - 1]!;
  }

  /** Copies rows still open out of borrowed input arrays. */
  settle(): void {
    this.times.settle();
    for (const c of this.columns.values()) c.values.settle();
  }

  /** Seals complete pages of all columns together (with `final`, the open one too). */
  async seal(settings: PageSettings, queue: TaskQueue, final: boolean): Promise<void> {
    const n = this.times.length;
    if (n === 0) return;
    const columns = [...this.columns.values()];
    const estimates: SizeEstimate[] = [];
    const rowMaps: (Int32Array | undefined)[] = [];
    for (const c of columns) {
      const present = c.present.view();
      let map: Int32Array | undefined;
      if (present !== undefined) {
        map = new Int32Array(n + 1);
        for (let r = 0; r < n; r++) map[r + 1] = map[r]! + present[r]!;
      }
      rowMaps.push(map);
      const e = valueSizeEstimate(c.schema.dataType, c.schema.encoding, c.values.view());
      if (e !== undefined) estimates.push(rowsEstimate(e, map));
    }
    const ends = this.planner.plan(n, sumEstimates(estimates), final);
    if (ends.length === 0) return;
    const end = ends[ends.length - 1]!;
    const copy = queue.offThread;
    // Value index of a row: rows before it that have a value.
    const valueAt = (k: number, row: number) => (rowMaps[k] === undefined ? row : rowMaps[k]![row]!);
    const times = this.times.view();
    // Inline: one task over views of the buffers. Off-thread: copies, in tasks of about TASK_POINTS.
    const runs = copy ? pageRuns(ends, Math.max(1, Math.floor(TASK_POINTS / (1 + columns.length)))) : [[0, ends.length] as [number, number]];
    for (const [i0, i1] of runs) {
      const from = i0 === 0 ? 0 : ends[i0 - 1]!;
      const to = ends[i1 - 1]!;
      const task: EncodeTask = {
        kind: 'encodeAlignedPages',
        timeEncoding: settings.timeEncoding,
        timeCompression: settings.timeCompression,
        times: copy ? times.slice(from, to) : times,
        pageEnds: Int32Array.from(ends.slice(i0, i1), (e) => e - from),
        columns: columns.map((c, k) => {
          const values = c.values.view();
          const present = c.present.view();
          return {
            schema: c.schema,
            values: copy ? copyRange(values, valueAt(k, from), valueAt(k, to)) : values,
            present: present === undefined || !copy ? present : present.slice(from, to),
          };
        }),
      };
      const { result } = await queue.submit(task);
      this.runs.push({ result, first: 0, pages: i1 - i0, columns });
    }
    columns.forEach((c, k) => {
      c.values.dropPrefix(valueAt(k, end));
      c.present.dropPrefix(end);
    });
    this.times.dropPrefix(end);
  }

  /** Time chunk, then one chunk per column (after a final seal); undefined when the group has no rows. */
  takeGroup(settings: PageSettings): PendingGroup | undefined {
    if (this.runs.length === 0) return undefined;
    const runs = this.runs;
    this.runs = [];
    const masks = !settings.cppLayout;
    const columns = [...this.columns.values()];
    const results: EncodeResult[] = [];
    return {
      into: [this.timeChunks, ...columns.map((c) => c.chunks)],
      settle: async () => {
        for (const r of runs) results.push(await r.result);
      },
      chunks: [
        (out: ByteBuffer) => {
          const timePages: BuiltPage[] = [];
          runs.forEach((r, i) => timePages.push(...pagesOf(results[i]!, 0, r.pages)));
          return assembleTimeChunk(out, settings.timeEncoding, settings.timeCompression, timePages, masks);
        },
        ...columns.map((c) => (out: ByteBuffer) => {
          const pages: BuiltPage[] = [];
          runs.forEach((r, i) => {
            const k = r.columns.indexOf(c);
            if (k >= 0) pages.push(...pagesOf(results[i]!, r.pages * (1 + k), r.pages));
            else for (let p = 0; p < r.pages; p++) pages.push(EMPTY_PAGE);
          });
          return assembleValueChunk(out, c.schema, pages, masks);
        }),
      ],
    };
  }

  indexEntry(masks = true): DeviceIndexEntry | undefined {
    if (this.timeChunks.length === 0) return undefined;
    const series: SeriesIndexEntry[] = [{ measurement: '', dataType: DataType.VECTOR, mask: masks ? TIME_COLUMN_MASK : 0, chunks: this.timeChunks }];
    for (const c of this.columns.values()) {
      series.push({ measurement: c.schema.measurement, dataType: c.schema.dataType, mask: masks ? VALUE_COLUMN_MASK : 0, chunks: c.chunks });
    }
    return { deviceId: this.deviceId, series };
  }
}
