/**
 * The public reader: open a TsFile (a path, bytes, or any ByteSource), list its devices and series
 * from the index alone, and scan rows as Apache Arrow record batches, one device at a time, in time
 * order, skipping by statistics whatever a time range or series selection excludes.
 */
import { Field, makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';
import { BufferSource, type ByteSource } from '../io/byte-source.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { openPath } from '../io/path-opener.js';
import { compressionName, dataTypeName, encodingName } from '../format/codes.js';
import { BloomFilter } from '../format/bloom-filter.js';
import type { Statistics } from '../format/statistics.js';
import { chunkStatistics, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import { readPageHeaders } from './page-index.js';
import type { TsFileMetadata } from '../format/file-metadata.js';
import { measurementField, timeField } from '../arrow/types.js';
import { TIME_UNIT_KEY, type TimeUnitName } from '../arrow/time-unit.js';
import { CHUNK_HEADER_PROBE, readChunkHead, readChunkHeaderOnly } from './chunk-reader.js';
import type { ChunkTask, TaskResult } from './chunk-task.js';
import { alignedWindows, nonAlignedWindows, type Window } from './device-windows.js';
import { type Planned, prefetchOrdered } from './prefetch.js';
import { walkPageHeaders } from './page-slices.js';
import { planAlignedTasks, planSeriesTasks } from './scan-plan.js';
import { resolveRunner, type RunnerOptions, type TaskRunner } from './task-runner.js';
import { type DeviceEntry, FileIndex } from './file-index.js';
import { type ReaderOptions, resolveReaderOptions, type ResolvedReaderOptions } from './options.js';
import { compilePathPatterns } from './path-pattern.js';
import { planTableScan, tableInfo, type TableInfo, type TableSelection, toTableBatch } from './table-scan.js';
import { accountTask, checkAbort, newReadStats, type ReadContext, type ReadStats } from './read-context.js';
import { outsideRange, type TimeRange, toTimeRange } from './time-range.js';
import { type QueryOptions, type QuerySeries, type QuerySource, runQuery } from './query.js';
import { yieldToEventLoop } from '../io/yield.js';

/** Rows handed out between turns of the event loop (each window counts at least 1024). */
const YIELD_EVERY_ROWS = 1 << 20;

export type ReaderSource = string | Uint8Array | ByteSource;

export interface DeviceInfo {
  /** The device path as printed (table-model: table name and tag values joined with "."). */
  path: string;
  /** The stored id: v4 segments (null = null tag), or [path] for v3. */
  segments: readonly (string | null)[];
  /** 'table' for table-model devices (v4 devices whose table name does not start with "root."). */
  model: 'tree' | 'table';
  /** Table name (v4 segment 0; "" for v3). */
  table: string;
  /** Tag values of a table-model device (segments after the table name). */
  tags: readonly (string | null)[];
  aligned: boolean;
}

export interface SeriesInfo {
  device: string;
  measurement: string;
  dataType: string;
  encoding: string;
  compression: string;
  aligned: boolean;
  /** Non-null points, from statistics. */
  points: number;
  startTime: bigint;
  endTime: bigint;
  chunks: number;
  statistics: Statistics;
}

/** One page's statistics (or a single-page chunk's): time span, point count and, for numbers, min and max. */
export interface PageSummary {
  chunk: number;
  page: number;
  /** Absolute offset of the page header (of the chunk, for single-page chunks). */
  offset: number;
  startTime: bigint;
  endTime: bigint;
  count: number;
  min: number | undefined;
  max: number | undefined;
}

function summary(chunk: number, page: number, offset: number, s: Statistics): PageSummary {
  const numeric = s.kind === 'int32' || s.kind === 'int64' || s.kind === 'float' || s.kind === 'double';
  return { chunk, page, offset, startTime: s.startTime, endTime: s.endTime, count: s.count, min: numeric ? Number(s.min) : undefined, max: numeric ? Number(s.max) : undefined };
}

export interface ScanOptions extends RunnerOptions {
  /** Device paths, or patterns with `*` (one node) and `**` (any nodes); default all. */
  devices?: readonly string[];
  /** Measurement names to read; default all. */
  measurements?: readonly string[];
  /** Inclusive time bounds. */
  startTime?: bigint | number;
  endTime?: bigint | number;
  /** Most rows per batch (default 65 536); a batch never spans pages of different windows, so it may be smaller. */
  batchRows?: number;
  signal?: AbortSignal;
  /**
   * Table model: scan this table; batches are `time, <tags>, <fields>` with the table's whole
   * (selected) schema in every batch, tags dictionary-encoded. `devices`/`measurements` then do not apply.
   */
  table?: string;
  /** With `table`: the tag and field columns to return (default all). */
  columns?: readonly string[];
  /** With `table`: only devices whose tags have these values (null = null tag). */
  tags?: Readonly<Record<string, string | null>>;
}

export interface DeviceBatch {
  device: string;
  batch: RecordBatch;
}

export class TsFileReader {
  /** Work counters summed over every scan of this reader. */
  readonly stats: ReadStats = newReadStats();
  private readonly seriesCache = new Map<string, TimeseriesMetadata[]>();
  /** timeseries() answers, which cost a chunk-header read per series. */
  private readonly infoCache = new Map<string, SeriesInfo[]>();
  private deviceMap: Map<string, DeviceEntry> | undefined;
  private chunkStarts: number[] | undefined;
  private closed = false;

  private constructor(
    private readonly index: FileIndex,
    private readonly source: ByteSource,
    private readonly options: ResolvedReaderOptions,
    private readonly ownsSource: boolean,
    private readonly runnerOptions: RunnerOptions,
  ) {}

  /** Opens a path (Node entry), bytes or a ByteSource; `ownsSource` makes close() close the source too. */
  static async open(source: ReaderSource, options: ReaderOptions = {}, ownsSource = false): Promise<TsFileReader> {
    let bytes: ByteSource;
    let owns = ownsSource;
    if (typeof source === 'string') {
      bytes = await openPath(source);
      owns = true;
    } else if (source instanceof Uint8Array) {
      bytes = new BufferSource(source, options.name);
    } else if (typeof source === 'object' && source !== null && typeof (source as ByteSource).read === 'function') {
      bytes = source;
    } else {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'TsFileReader.open needs a path, bytes or a ByteSource', { actual: source === null ? 'null' : typeof source });
    }
    const resolved = resolveReaderOptions(options);
    try {
      return new TsFileReader(await FileIndex.open(bytes, resolved), bytes, resolved, owns, { threads: options.threads, pool: options.pool, runner: options.runner });
    } catch (e) {
      if (owns) await bytes.close?.();
      throw e;
    }
  }

  /** Format version: 3 or 4. */
  get version(): 3 | 4 {
    return this.index.version;
  }

  get metadata(): TsFileMetadata {
    return this.index.metadata;
  }

  get name(): string | undefined {
    return this.source.name;
  }

  /** Every device, in index order. */
  async devices(): Promise<DeviceInfo[]> {
    this.checkOpen();
    const out: DeviceInfo[] = [];
    for (const d of await this.index.devices()) {
      const series = await this.seriesOf(d);
      const model = this.version === 4 && !d.table.startsWith('root.') ? 'table' : 'tree';
      out.push({
        path: d.path,
        segments: d.id,
        model,
        table: d.table,
        tags: model === 'table' ? d.id.slice(1) : [],
        aligned: series[0]?.isTimeColumn ?? false,
      });
    }
    return out;
  }

  /** The series of a device with type, encoding, compression and statistics, without decoding data. */
  async timeseries(device: string): Promise<SeriesInfo[]> {
    this.checkOpen();
    const cached = this.infoCache.get(device);
    if (cached !== undefined) return [...cached];
    const entry = await this.findDevice(device);
    const all = await this.seriesOf(entry);
    const aligned = all[0]?.isTimeColumn ?? false;
    const series = all.filter((ts) => !ts.isTimeColumn);
    // Encoding and compression live only in chunk headers: read the first one of each series, the
    // header alone (a small bounded read each, announced together so a remote source fetches them at once).
    const firsts = series.map((ts) => ts.chunks[0]!.offset);
    this.source.prefetch?.(firsts.map((o) => [o, Math.min(CHUNK_HEADER_PROBE, this.index.dataEnd - o)] as const));
    const headers = await Promise.all(firsts.map((o) => readChunkHeaderOnly(this.source, o, this.index.dataEnd)));
    const out: SeriesInfo[] = series.map((ts, i) => ({
      device: entry.path,
      measurement: ts.measurementId,
      dataType: dataTypeName(ts.dataType),
      encoding: encodingName(headers[i]!.encoding),
      compression: compressionName(headers[i]!.compression),
      aligned,
      points: ts.statistics.count,
      startTime: ts.statistics.startTime,
      endTime: ts.statistics.endTime,
      chunks: ts.chunks.length,
      statistics: ts.statistics,
    }));
    this.infoCache.set(device, out);
    return [...out];
  }

  /**
   * Statistics of every page of one series overlapping a time range, read from the page headers
   * alone (nothing is decompressed or decoded; single-page chunks answer from the index). What a
   * chart draws as a min/max envelope; `offset`/`bodyOffset` say where each page lies.
   */
  async pageStatistics(device: string, measurement: string, range: { startTime?: bigint | number; endTime?: bigint | number } = {}): Promise<PageSummary[]> {
    this.checkOpen();
    const entry = await this.findDevice(device);
    const ts = (await this.seriesOf(entry)).find((t) => !t.isTimeColumn && t.measurementId === measurement);
    if (ts === undefined) throw new TsFileError(ErrorCode.NOT_FOUND, `no series "${measurement}" in device "${device}"`, { file: this.source.name });
    const r = toTimeRange(range.startTime, range.endTime);
    const wanted = ts.chunks.map((c, i) => ({ c, i, stats: chunkStatistics(ts, i) })).filter((x) => !outsideRange(x.stats, r));
    const perChunk = await Promise.all(
      wanted.map(async ({ c, i, stats }): Promise<PageSummary[]> => {
        const header = await readChunkHeaderOnly(this.source, c.offset, this.index.dataEnd);
        if (!header.multiPage) return [summary(i, 0, c.offset, stats)];
        const pages = await readPageHeaders(this.source, header, this.options.maxPageBytes);
        return pages.filter((p) => p.statistics !== undefined && !outsideRange(p.statistics, r)).map((p) => summary(i, p.index, p.offset, p.statistics!));
      }),
    );
    return perChunk.flat();
  }

  /**
   * Whether the file holds the series `device.measurement`: the bloom filter (§13.6) answers "no"
   * without touching the index; otherwise the device's index is consulted.
   */
  async hasSeries(device: string, measurement: string): Promise<boolean> {
    this.checkOpen();
    const bf = this.metadata.bloomFilter;
    // The metadata reader built (and checked) the filter; it holds only the bytes the file stored.
    const filter = bf === undefined || bf instanceof BloomFilter ? bf : new BloomFilter(bf.sizeInBits, bf.hashFunctionCount, bf.bits);
    if (filter !== undefined && !filter.mightContain(`${device}.${measurement}`)) return false;
    const entry = await this.lookupDevice(device);
    if (entry === undefined) return false;
    return (await this.seriesOf(entry)).some((ts) => !ts.isTimeColumn && ts.measurementId === measurement);
  }

  /**
   * The most points any page of the file holds (reading page headers of each series' first chunk,
   * nothing is decompressed): the page size the file was written with, when a page filled up.
   */
  async largestPage(): Promise<number> {
    this.checkOpen();
    let most = 0;
    for (const d of await this.index.devices()) {
      const all = await this.seriesOf(d);
      // Aligned devices: the time column's pages count every row.
      const series = all[0]?.isTimeColumn === true ? [all[0]] : all;
      for (const ts of series) {
        for (let i = 0; i < Math.min(ts.chunks.length, 2); i++) {
          // Page headers only, read with small reads: a chunk may be hundreds of MB.
          const head = await readChunkHead(this.source, ts.chunks[i]!.offset, this.index.dataEnd);
          const stats = ts.chunks[i]!.statistics ?? ts.statistics;
          const ctx = { source: this.source, file: this.source.name, options: this.options, stats: newReadStats() } as ReadContext;
          for await (const page of walkPageHeaders(ctx, { header: head.header, dataOffset: head.dataOffset, stats })) {
            most = Math.max(most, page.header.statistics?.count ?? stats.count);
          }
        }
      }
    }
    return most;
  }

  /** The tables of a table-model file, with their columns' categories and types (none for tree-model files). */
  tables(): TableInfo[] {
    this.checkOpen();
    return [...this.metadata.tableSchemas.values()].map(tableInfo);
  }

  /**
   * Rows of the selected devices and measurements as Arrow record batches, device by device, in time
   * order; with `table`, the rows of a table-model table (see ScanOptions.table).
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<DeviceBatch> {
    this.checkOpen();
    if (options.table !== undefined) {
      yield* this.scanTable(options as ScanOptions & TableSelection);
      return;
    }
    const matchDevice = options.devices === undefined ? () => true : compilePathPatterns(options.devices);
    yield* this.scanDevices(options, (d) => matchDevice(d.path));
  }

  private async *scanTable(options: ScanOptions & TableSelection): AsyncGenerator<DeviceBatch> {
    const schema = this.metadata.tableSchemas.get(options.table);
    if (schema === undefined) throw new TsFileError(ErrorCode.NOT_FOUND, `no table "${options.table}" in the file`, { file: this.source.name, expected: [...this.metadata.tableSchemas.keys()].join(', ') || 'a table-model file' });
    const entries = (await this.index.devices()).filter((d) => d.table === options.table);
    const plan = planTableScan(schema, entries.map((d) => ({ path: d.path, segments: d.id })), options, this.timeTyping, this.source.name);
    const keys = new Set(plan.devices.map((d) => d.key));
    // Only tags selected: read every field for the rows' times, then keep none of them.
    const measurements = plan.fieldNames.length > 0 ? plan.fieldNames : undefined;
    const inner = { ...options, table: undefined, devices: undefined, measurements };
    for await (const { device, batch } of this.scanDevices(inner, (d) => keys.has(JSON.stringify(d.id.slice(1))) && d.table === options.table)) {
      yield { device, batch: toTableBatch(plan, batch) };
    }
  }

  /**
   * The cross-device query: batches `time, <one column per path>` aligned on time across devices (a
   * row per timestamp any selected series has, null elsewhere), keeping the rows `filter` holds true
   * for; statistics skip the chunks and pages that cannot hold such a row (counted in `stats`).
   */
  query(options: QueryOptions): AsyncGenerator<RecordBatch> {
    this.checkOpen();
    return runQuery([this.querySource()], options);
  }

  /** This file as one source of a (possibly multi-file) query. */
  querySource(): QuerySource {
    this.checkOpen();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const reader = this;
    return {
      name: this.source.name,
      timeUnit: this.options.timeUnit,
      timeTyping: this.timeTyping,
      stats: this.stats,
      maxBytesInFlight: this.options.maxBytesInFlight,
      findSeries: (path) => reader.findSeriesByPath(path),
      seriesBlocks: (device, measurement, range, pages) => reader.seriesBlocks(device, measurement, range, pages),
      deviceRows: (device, measurements, range, o) => reader.deviceRows(device, measurements, range, o),
      runnerFor: (o) => resolveRunner({ ...this.runnerOptions, ...definedOnly({ threads: o.threads, pool: o.pool, runner: o.runner }) }),
    };
  }

  /** The series a full path (device path + "." + measurement) names; the longest matching device wins. */
  private async findSeriesByPath(path: string): Promise<QuerySeries | undefined> {
    for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
      const d = await this.lookupDevice(path.slice(0, i));
      if (d === undefined) continue;
      const measurement = path.slice(i + 1);
      const ts = (await this.seriesOf(d)).find((t) => !t.isTimeColumn && t.measurementId === measurement);
      if (ts !== undefined) return { device: d.path, measurement, dataType: ts.dataType, statistics: ts.statistics };
    }
    return undefined;
  }

  /** Statistics of a series' chunks meeting the range (from the index) or of their pages (from page headers). */
  private async seriesBlocks(device: string, measurement: string, range: TimeRange, pages: boolean): Promise<Statistics[]> {
    const entry = await this.findDevice(device);
    const ts = (await this.seriesOf(entry)).find((t) => !t.isTimeColumn && t.measurementId === measurement)!;
    const chunks = ts.chunks.map((c, i) => ({ c, stats: chunkStatistics(ts, i) })).filter((x) => !outsideRange(x.stats, range));
    if (!pages) return chunks.map((x) => x.stats);
    const perChunk = await Promise.all(
      chunks.map(async ({ c, stats }): Promise<Statistics[]> => {
        const header = await readChunkHeaderOnly(this.source, c.offset, this.index.dataEnd);
        if (!header.multiPage) return [stats];
        const list = await readPageHeaders(this.source, header, this.options.maxPageBytes);
        return list.flatMap((p) => (p.statistics === undefined || outsideRange(p.statistics, range) ? [] : [p.statistics]));
      }),
    );
    return perChunk.flat();
  }

  /** Rows of one device's measurements inside `range` (whose `within` skips blocks), for a query. */
  private async *deviceRows(
    device: string,
    measurements: readonly string[],
    range: TimeRange,
    o: { signal?: AbortSignal; batchRows: number; runner: TaskRunner; maxBytesInFlight: number },
  ): AsyncGenerator<RecordBatch> {
    const options: ScanOptions = { measurements, batchRows: o.batchRows, signal: o.signal, runner: o.runner };
    for await (const { batch } of this.scanDevices(options, () => true, { device, range, maxBytesInFlight: o.maxBytesInFlight })) yield batch;
  }

  private async *scanDevices(options: ScanOptions, matchDevice: (d: DeviceEntry) => boolean, query?: { device: string; range: TimeRange; maxBytesInFlight: number }): AsyncGenerator<DeviceBatch> {
    const range = query?.range ?? toTimeRange(options.startTime, options.endTime);
    const batchRows = options.batchRows ?? 65536;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'batchRows must be a positive integer', { actual: String(batchRows) });
    const wanted = options.measurements === undefined ? undefined : new Set(options.measurements);
    const runner = resolveRunner({ ...this.runnerOptions, ...definedOnly({ threads: options.threads, pool: options.pool, runner: options.runner }) });
    const ctx: ReadContext = {
      sinceYield: 0,
      source: this.source,
      file: this.source.name,
      dataEnd: this.index.dataEnd,
      options: query === undefined ? this.options : { ...this.options, maxBytesInFlight: query.maxBytesInFlight },
      stats: this.stats,
      signal: options.signal,
      extentOf: this.source.prefetch === undefined ? undefined : await this.chunkExtents(),
    };
    let rowsSinceYield = 0;
    // A query names its one device: no walk over the whole index per device.
    for (const d of query === undefined ? await this.index.devices() : [await this.findDevice(query.device)]) {
      checkAbort(ctx);
      if (!matchDevice(d)) continue;
      const all = await this.seriesOf(d);
      const aligned = all[0]?.isTimeColumn ?? false;
      const selected = all.filter((ts) => !ts.isTimeColumn && (wanted === undefined || wanted.has(ts.measurementId)));
      if (selected.length === 0) continue;
      // Series (or, aligned, the time column) statistics can rule the device out without touching a chunk.
      if (aligned ? outsideRange(all[0]!.statistics, range) : selected.every((ts) => outsideRange(ts.statistics, range))) continue;
      const schema = this.schemaFor(d, selected, aligned);
      const plan = aligned ? planAlignedTasks(ctx, d.path, all[0]!, selected, range) : planSeriesTasks(ctx, d.path, selected, range);
      const results = this.runPlan(ctx, plan, runner);
      try {
        const windows = aligned ? alignedWindows(results, selected) : nonAlignedWindows(results, selected, { file: ctx.file, device: d.path });
        for await (const w of windows) {
          // Windows may all come from results already at hand: turn the event loop now and then so
          // timers (an AbortSignal.timeout) fire, and honour the signal between windows.
          rowsSinceYield += w.times.length + 1024;
          if (rowsSinceYield >= YIELD_EVERY_ROWS) {
            rowsSinceYield = 0;
            await yieldToEventLoop();
          }
          checkAbort(ctx);
          for (const batch of toBatches(schema, w, batchRows)) yield { device: d.path, batch };
        }
      } finally {
        await results.return(undefined);
      }
    }
  }

  /** Runs a device's planned tasks with look-ahead, in plan order, counting their work. */
  private async *runPlan(ctx: ReadContext, plan: AsyncIterable<Planned<ChunkTask>>, runner: TaskRunner): AsyncGenerator<TaskResult> {
    const started = (async function* () {
      for await (const p of plan) {
        yield {
          estimate: p.estimate,
          start: async () => {
            checkAbort(ctx);
            return runner.run(await p.start(), ctx.signal);
          },
        };
      }
    })();
    for await (const r of prefetchOrdered(started, this.options.maxBytesInFlight, runner.lookahead ?? runner.concurrency * 2)) {
      await accountTask(ctx, r);
      checkAbort(ctx);
      yield r;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsSource) await this.source.close?.();
  }

  private checkOpen(): void {
    if (this.closed) throw new TsFileError(ErrorCode.CLOSED, 'reader is closed', { file: this.source.name });
  }

  private async lookupDevice(path: string): Promise<DeviceEntry | undefined> {
    if (this.deviceMap === undefined) this.deviceMap = new Map((await this.index.devices()).map((d) => [d.path, d]));
    return this.deviceMap.get(path);
  }

  private async findDevice(path: string): Promise<DeviceEntry> {
    const d = await this.lookupDevice(path);
    if (d === undefined) throw new TsFileError(ErrorCode.NOT_FOUND, `no device "${path}" in the file`, { file: this.source.name });
    return d;
  }

  /**
   * For sources that take read plans (remote ones): a function bounding where the chunk at an
   * offset ends — the next chunk's start in the file, or the data section's end. Built from the
   * whole index when it is in memory; otherwise chunks get no bound and are read header first.
   */
  private async chunkExtents(): Promise<((offset: number) => number | undefined) | undefined> {
    if (!this.index.indexInMemory) return undefined;
    if (this.chunkStarts === undefined) {
      const starts: number[] = [];
      for (const d of await this.index.devices()) for (const ts of await this.seriesOf(d)) for (const c of ts.chunks) starts.push(c.offset);
      starts.sort((a, b) => a - b);
      this.chunkStarts = starts;
    }
    const starts = this.chunkStarts;
    const end = this.index.dataEnd;
    return (offset) => {
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      return (lo < starts.length ? starts[lo]! : end) - offset;
    };
  }

  private async seriesOf(d: DeviceEntry): Promise<TimeseriesMetadata[]> {
    let s = this.seriesCache.get(d.path);
    if (s === undefined) {
      s = await this.index.deviceSeries(d);
      this.seriesCache.set(d.path, s);
    }
    return s;
  }

  /** How this reader types `time` and TIMESTAMP columns. */
  get timeTyping(): { unit: TimeUnitName; int64: boolean } {
    return { unit: this.options.timeUnit, int64: this.options.int64Time };
  }

  private schemaFor(d: DeviceEntry, selected: TimeseriesMetadata[], aligned: boolean): Schema {
    const time = this.timeTyping;
    const fields: Field[] = [timeField(time), ...selected.map((ts) => measurementField(ts.measurementId, ts.dataType, {}, time))];
    const meta = new Map<string, string>([
      [TIME_UNIT_KEY, time.unit],
      ['tsfile.device', d.path],
      ['tsfile.aligned', String(aligned)],
    ]);
    if (this.version === 4 && !d.table.startsWith('root.')) {
      meta.set('tsfile.table', d.table);
      meta.set('tsfile.tags', JSON.stringify(d.id.slice(1)));
    }
    return new Schema(fields, meta);
  }
}

/** Splits a window into record batches of at most `batchRows` rows (zero-copy slices). */
function* toBatches(schema: Schema, w: Window, batchRows: number): Generator<RecordBatch> {
  const n = w.times.length;
  const timeData = makeData({ type: schema.fields[0]!.type, length: n, data: w.times }) as Data;
  // Columns are assembled with default typings (TIMESTAMP in ms): relabel to the schema's, sharing the buffers.
  const children = [timeData, ...w.columns.map((c, i) => (String(c.type) === String(schema.fields[i + 1]!.type) ? c : c.clone(schema.fields[i + 1]!.type)))];
  const type = new Struct(schema.fields);
  for (let lo = 0; lo < n; lo += batchRows) {
    const len = Math.min(batchRows, n - lo);
    const parts = lo === 0 && len === n ? children : children.map((c) => c.slice(lo, len));
    yield new RecordBatch(schema, makeData({ type, length: len, nullCount: 0, children: parts }));
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
