/**
 * Per-device buffering and chunk group flushing (tsfile-format.md §4, §7, §16.2, §16.3). Points wait
 * in small raw buffers only until their page is complete; then the page is encoded, compressed and
 * kept as bytes until the chunk group is flushed, so memory holds compressed pages plus one open
 * page per series. A tree device writes one chunk per series that has points; an aligned device
 * (tree-model aligned or a table-model device) seals pages of the time column and every value column
 * together, and writes the time chunk first, then a chunk for *every* column — header-only when all
 * its rows are null — so every chunk group of the device carries the same columns.
 */
import { DataType, type Encoding, type Compression, VALUE_COLUMN_MASK, TIME_COLUMN_MASK } from '../format/codes.js';
import { compareStrings, type DeviceId } from '../format/device-id.js';
import {
  assembleSeriesChunk,
  assembleTimeChunk,
  assembleValueChunk,
  buildSeriesPage,
  buildTimePage,
  buildValuePage,
  type BuiltChunk,
  type BuiltPage,
  type ColumnSchema,
} from './chunk-writer.js';
import { PresenceBuffer, TimeBuffer, ValueBuffer } from './column-buffer.js';
import type { ChunkIndexEntry, DeviceIndexEntry, SeriesIndexEntry } from './index-writer.js';
import { PagePlanner, rowsEstimate, sumEstimates, valueSizeEstimate, type SizeEstimate } from './page-planner.js';

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

/** A chunk ready to be written and the list its metadata goes to once its offset is known. */
export interface PendingChunk {
  chunk: BuiltChunk;
  into: ChunkIndexEntry[];
}

export class SeriesState {
  readonly times = new TimeBuffer();
  readonly values: ValueBuffer;
  /** Last time written (buffered or flushed). */
  lastTime: bigint | undefined;
  readonly chunks: ChunkIndexEntry[] = [];
  private pages: BuiltPage[] = [];
  private sealedBytes = 0;
  private readonly planner: PagePlanner;

  constructor(
    readonly schema: ColumnSchema,
    settings: PageSettings,
  ) {
    this.values = new ValueBuffer(schema.dataType);
    this.planner = new PagePlanner(settings.maxPointsPerPage, settings.pageSizeBytes);
  }

  get bufferedBytes(): number {
    return this.sealedBytes + this.times.length * 8 + this.values.byteSize();
  }

  get hasData(): boolean {
    return this.pages.length > 0 || this.times.length > 0;
  }

  /** Encodes every complete page (with `final`, the open one too) and drops its raw points. */
  async seal(settings: PageSettings, final: boolean): Promise<void> {
    const n = this.times.length;
    if (n === 0) return;
    const values = this.values.view();
    const ends = this.planner.plan(n, valueSizeEstimate(this.schema.dataType, this.schema.encoding, values), final);
    if (ends.length === 0) return;
    const times = this.times.view();
    let from = 0;
    for (const to of ends) {
      const page = await buildSeriesPage(this.schema, settings.timeEncoding, times, values, from, to);
      this.pages.push(page);
      this.sealedBytes += page.body.length + 16;
      from = to;
    }
    this.times.dropPrefix(from);
    this.values.dropPrefix(from);
  }

  /** The chunk of the sealed pages (call after a final seal), or undefined when there are none. */
  takeChunk(): PendingChunk | undefined {
    if (this.pages.length === 0) return undefined;
    const chunk = assembleSeriesChunk(this.schema, this.pages);
    this.pages = [];
    this.sealedBytes = 0;
    return { chunk, into: this.chunks };
  }
}

export class TreeDevice {
  readonly aligned = false;
  readonly series = new Map<string, SeriesState>();

  constructor(
    readonly path: string,
    readonly deviceId: DeviceId,
  ) {}

  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.bufferedBytes;
    return n;
  }

  get hasData(): boolean {
    for (const s of this.series.values()) if (s.hasData) return true;
    return false;
  }

  async seal(settings: PageSettings, final: boolean): Promise<void> {
    for (const s of this.series.values()) await s.seal(settings, final);
  }

  /** One chunk per series with points, in registration order (after a final seal). */
  takeChunks(settings: PageSettings): PendingChunk[] {
    const out: PendingChunk[] = [];
    const series = [...this.series.values()];
    if (settings.cppLayout) series.sort((a, b) => compareStrings(a.schema.measurement, b.schema.measurement));
    for (const s of series) {
      const c = s.takeChunk();
      if (c !== undefined) out.push(c);
    }
    return out;
  }

  indexEntry(): DeviceIndexEntry | undefined {
    const series: SeriesIndexEntry[] = [];
    for (const s of this.series.values()) {
      if (s.chunks.length > 0) series.push({ measurement: s.schema.measurement, dataType: s.schema.dataType, mask: 0, chunks: s.chunks });
    }
    return series.length === 0 ? undefined : { deviceId: this.deviceId, series };
  }
}

export class AlignedColumnState {
  readonly values: ValueBuffer;
  readonly present = new PresenceBuffer();
  readonly chunks: ChunkIndexEntry[] = [];
  pages: BuiltPage[] = [];

  constructor(readonly schema: ColumnSchema) {
    this.values = new ValueBuffer(schema.dataType);
  }
}

export class AlignedDevice {
  readonly aligned = true;
  readonly times = new TimeBuffer();
  readonly columns = new Map<string, AlignedColumnState>();
  readonly timeChunks: ChunkIndexEntry[] = [];
  lastTime: bigint | undefined;
  private timePages: BuiltPage[] = [];
  private sealedBytes = 0;
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
    return this.timePages.length > 0 || this.times.length > 0;
  }

  get bufferedBytes(): number {
    let n = this.sealedBytes + this.times.length * 8;
    for (const c of this.columns.values()) n += c.values.byteSize() + c.present.length;
    return n;
  }

  addColumn(schema: ColumnSchema): void {
    const c = new AlignedColumnState(schema);
    // Rows buffered before the column existed are null for it (§16.3 back-fill).
    c.present.appendNulls(this.times.length);
    for (const _ of this.timePages) c.pages.push({ uncompressedSize: 0, body: new Uint8Array(0), statistics: undefined });
    this.columns.set(schema.measurement, c);
  }

  /** Seals complete pages of all columns together (with `final`, the open one too). */
  async seal(settings: PageSettings, final: boolean): Promise<void> {
    const n = this.times.length;
    if (n === 0) return;
    const estimates: SizeEstimate[] = [];
    const rowMaps: (Int32Array | undefined)[] = [];
    for (const c of this.columns.values()) {
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
    const times = this.times.view();
    let from = 0;
    for (const to of ends) {
      const page = await buildTimePage(settings.timeEncoding, settings.timeCompression, times, from, to);
      this.timePages.push(page);
      this.sealedBytes += page.body.length + 16;
      from = to;
    }
    let k = 0;
    for (const c of this.columns.values()) {
      const map = rowMaps[k++];
      const values = c.values.view();
      const present = c.present.view();
      let rowFrom = 0;
      for (const rowTo of ends) {
        const { page } = await buildValuePage(c.schema, times, values, present, rowFrom, rowTo, map === undefined ? rowFrom : map[rowFrom]!);
        c.pages.push(page);
        this.sealedBytes += page.body.length + 16;
        rowFrom = rowTo;
      }
      c.values.dropPrefix(map === undefined ? from : map[from]!);
      c.present.dropPrefix(from);
    }
    this.times.dropPrefix(from);
  }

  /** Time chunk, then one chunk per column (after a final seal); none when the group has no rows. */
  takeChunks(settings: PageSettings): PendingChunk[] {
    if (this.timePages.length === 0) return [];
    const masks = !settings.cppLayout;
    const out: PendingChunk[] = [{ chunk: assembleTimeChunk(settings.timeEncoding, settings.timeCompression, this.timePages, masks), into: this.timeChunks }];
    for (const c of this.columns.values()) {
      out.push({ chunk: assembleValueChunk(c.schema, c.pages, masks), into: c.chunks });
      c.pages = [];
    }
    this.timePages = [];
    this.sealedBytes = 0;
    return out;
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
