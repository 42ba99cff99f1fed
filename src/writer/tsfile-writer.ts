/**
 * `TsFileWriter`: writes a TsFile of format v4 (default) or v3 (tsfile-format.md §2, §16): magic and
 * version, chunk groups flushed whenever the buffered data passes the chunk group size, then the
 * separator, index area, TsFileMetadata and footer on close. Tree model (non-aligned and aligned
 * devices) and table model (§3.2, §13.7: a device per tag-value tuple, written aligned). Every
 * write is validated completely before anything is buffered, so a rejected write leaves the writer
 * (and the file it will close) exactly as it was.
 */
import { ColumnCategory, DataType } from '../format/codes.js';
import { treePathToDeviceId, type DeviceId } from '../format/device-id.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { writeChunkGroups } from './chunk-groups.js';
import type { ColumnSchema } from './chunk-writer.js';
import { AlignedDevice } from './aligned-writer.js';
import type { PageSettings } from './device-writer.js';
import { bufferSeries, SeriesState, TreeDevice } from './series-writer.js';
import { resolveEncodeRunner, TaskQueue } from './encode-runner.js';
import { buildIndexArea, type DeviceIndexEntry } from './index-writer.js';
import { checkTimes, firstValidRow, inputError, lastValidRow, readSourceBatch, toRowColumn, type InputContext, type RowColumn, type SourceBatch, type WriteInput } from './input.js';
import { resolveWriterOptions, type ResolvedWriterOptions, type TsFileWriterOptions } from './options.js';
import { resolveColumnSchema, resolveTableColumns, sameSchema, type TableColumnSpec, type TimeseriesSpec } from './schema.js';
import type { TsFileSink } from './sink.js';
import { createPathSink } from './path-sink.js';
import { checkExact, mayLoseValues } from './exactness.js';
import type { TableSchema } from './table-schema.js';
import { groupKeyOf, groupRowsByTags, takeRows } from './table-rows.js';
import { type AppendValue, RowBuffer } from './row-buffer.js';

const MAGIC = [0x54, 0x73, 0x46, 0x69, 0x6c, 0x65];

/**
 * Native codecs free their output buffers only when the event loop turns, and awaiting synchronous
 * work never turns it: a long run of writes yields once per this many rows so memory stays bounded.
 */
const ROWS_PER_YIELD = 1 << 18;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

interface TableState {
  schema: TableSchema;
  tagNames: string[];
  fields: ColumnSchema[];
  devices: Map<string, AlignedDevice>;
}

type Device = TreeDevice | AlignedDevice;

export class TsFileWriter {
  private readonly options: ResolvedWriterOptions;
  private readonly settings: PageSettings;
  private position = 0;
  /** Tree-model devices in registration order (chunk groups of a flush are written in device order). */
  private readonly devices: Device[] = [];
  private readonly treeDevices = new Map<string, Device>();
  private readonly tables = new Map<string, TableState>();
  private buffered = 0;
  private state: 'open' | 'closed' | 'failed' = 'open';
  private tail: Promise<unknown> = Promise.resolve();
  private rowsSinceYield = 0;
  private readonly queue: TaskQueue;
  /** Rows given to `append` and not yet written, per tree device or table device. */
  private readonly rowBuffers = new Map<string, RowBuffer>();
  private appendedBytes = 0;

  private constructor(
    private readonly sink: TsFileSink,
    options: TsFileWriterOptions,
  ) {
    this.options = resolveWriterOptions(options);
    this.settings = {
      maxPointsPerPage: this.options.maxPointsPerPage,
      pageSizeBytes: this.options.pageSizeBytes,
      timeEncoding: this.options.timeEncoding,
      timeCompression: this.options.timeCompression,
      cppLayout: this.options.layout === 'cpp',
    };
    const runner = resolveEncodeRunner(options);
    this.queue = new TaskQueue(runner, this.options.maxTasksInFlight ?? 4 * runner.concurrency);
  }

  /** Opens a writer on a file path (created or truncated) or on a sink such as `MemorySink`. */
  static async open(target: string | TsFileSink, options: TsFileWriterOptions = {}): Promise<TsFileWriter> {
    resolveWriterOptions(options);
    const sink = typeof target === 'string' ? await createPathSink(target) : target;
    const w = new TsFileWriter(sink, options);
    await w.emit(new Uint8Array([...MAGIC, w.options.version]));
    return w;
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.position;
  }

  /**
   * Raw bytes of the points written since the last chunk group flush (8 per time, the values' own
   * size); the data is flushed when this passes `chunkGroupSizeBytes`.
   */
  get bufferedBytes(): number {
    return this.buffered;
  }

  private get label(): string | undefined {
    return this.sink.name;
  }

  private checkOpen(): void {
    if (this.state === 'closed') throw new TsFileError(ErrorCode.CLOSED, 'the writer is closed', { file: this.label });
    if (this.state === 'failed') throw new TsFileError(ErrorCode.IO, 'the writer failed earlier and cannot continue', { file: this.label });
  }

  private deviceIdOf(path: string): DeviceId {
    if (this.options.version === 3) {
      if (path.length === 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a device needs a non-empty path');
      return [path];
    }
    // In v4 a device whose first segment does not start with "root." belongs to the table model (§3.2).
    if (!path.startsWith('root.')) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `a tree-model device path must start with "root." (device ${path})`, { expected: 'root.…', actual: path });
    }
    return treePathToDeviceId(path);
  }

  /** Registers non-aligned series of a tree-model device. Registering the same series again with the same settings is allowed. */
  registerTimeseries(device: string, specs: TimeseriesSpec | readonly TimeseriesSpec[]): void {
    this.checkOpen();
    const list = Array.isArray(specs) ? specs : [specs as TimeseriesSpec];
    const schemas = list.map((s) => resolveColumnSchema(s, this.options, device));
    let d = this.treeDevices.get(device);
    if (d !== undefined && d.aligned) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${device} is registered as aligned`);
    if (this.tables.has(device)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${device} is a table`);
    for (const s of schemas) {
      const old = d?.series.get(s.measurement);
      if (old !== undefined && !sameSchema(old.schema, s)) {
        throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `series registered twice with different settings (device ${device}, measurement ${s.measurement})`);
      }
    }
    if (d === undefined) {
      d = new TreeDevice(device, this.deviceIdOf(device));
      this.treeDevices.set(device, d);
      this.devices.push(d);
    }
    const tree = d as TreeDevice;
    for (const s of schemas) if (!tree.series.has(s.measurement)) tree.series.set(s.measurement, new SeriesState(s, this.settings));
  }

  /** Registers an aligned tree-model device; columns may be added until its first chunk group is flushed. */
  registerAlignedDevice(device: string, columns: readonly TimeseriesSpec[]): void {
    this.checkOpen();
    const schemas = columns.map((s) => resolveColumnSchema(s, this.options, device));
    let d = this.treeDevices.get(device);
    if (d !== undefined && !d.aligned) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${device} is registered as non-aligned`);
    if (this.tables.has(device)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${device} is a table`);
    const existing = d as AlignedDevice | undefined;
    const added = schemas.filter((s) => {
      const old = existing?.columns.get(s.measurement);
      if (old !== undefined && !sameSchema(old.schema, s)) {
        throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column registered twice with different settings (device ${device}, measurement ${s.measurement})`);
      }
      return old === undefined;
    });
    if (existing?.flushedOnce && added.length > 0) {
      // Readers pair aligned chunks by position: every chunk group must carry the same columns (§16.2).
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `cannot add columns to aligned device ${device} after its first chunk group was written`, {
        actual: added.map((s) => s.measurement).join(', '),
      });
    }
    if (d === undefined) {
      d = new AlignedDevice(device, this.deviceIdOf(device), this.settings);
      this.treeDevices.set(device, d);
      this.devices.push(d);
    }
    for (const s of added) (d as AlignedDevice).addColumn(s);
  }

  /** Registers a table of the table model (format v4 only). */
  registerTable(table: string, columns: readonly TableColumnSpec[]): void {
    this.checkOpen();
    if (this.options.version !== 4) throw new TsFileError(ErrorCode.UNSUPPORTED, 'tables need format version 4', { actual: 'version 3' });
    if (this.tables.has(table) || this.treeDevices.has(table)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `table ${table} is already registered`);
    if (table.length === 0 || table.startsWith('root.')) {
      // A first segment starting with "root." marks a tree-model device (§3.2).
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a table needs a non-empty name not starting with "root."', { actual: table });
    }
    const { columns: cols, fields } = resolveTableColumns(table, columns, this.options);
    const tagNames = cols.filter((c) => c.category === ColumnCategory.TAG).map((c) => c.name);
    this.tables.set(table, { schema: { tableName: table, columns: cols }, tagNames, fields, devices: new Map() });
  }

  /**
   * Writes rows of a device (tree model) or table: an Arrow RecordBatch/Table with a `time` column,
   * or `{ time, columns }`. Times must increase strictly, per series (non-aligned) or per device.
   */
  write(deviceOrTable: string, data: WriteInput): Promise<void> {
    return this.serialize(async () => {
      this.checkOpen();
      // Rows appended to this device or table go first, so its times stay in order.
      await this.writeAppended((b) => b.target === deviceOrTable);
      await this.writeNow(deviceOrTable, data);
    });
  }

  /**
   * Appends one record: `values` maps measurement (or, for a table, tag and field column) names to
   * values (null / undefined: no value at this time). Records are buffered per device in columns
   * and written through `write` (see `appendBatchRows`, `appendBufferBytes`), validated now as
   * `write` validates them: the device and series must be registered (unless `inferSchema`), the
   * values must fit their types and encodings, and times must increase strictly per device; a
   * refused record leaves the writer as it was and names the device and time.
   */
  append(deviceOrTable: string, time: bigint | number, values: Readonly<Record<string, AppendValue>>): Promise<void> {
    return this.serialize(async () => {
      this.checkOpen();
      const buffer = this.acceptRecord(deviceOrTable, time, values);
      if (buffer.rows >= this.options.appendBatchRows) {
        this.appendedBytes -= buffer.bytes;
        await this.writeNow(buffer.target, buffer.take());
      }
      if (this.appendedBytes >= this.options.appendBufferBytes) await this.writeAppended(() => true);
    });
  }

  /** Memory held by appended records not yet handed to the write path (an estimate). */
  get appendedBufferBytes(): number {
    return this.appendedBytes;
  }

  private async writeNow(deviceOrTable: string, data: WriteInput): Promise<void> {
    const table = this.tables.get(deviceOrTable);
    if (table !== undefined) await this.writeTable(table, data);
    else {
      const device = this.treeDevices.get(deviceOrTable);
      const ctx: InputContext = { device: deviceOrTable, file: this.label, timeUnit: this.options.timeUnit };
      if (device === undefined) throw inputError(ctx, 'unregistered device or table');
      const batch = readSourceBatch(data, ctx);
      if (device.aligned) {
        const p = this.prepareAligned(device, batch, ctx);
        await this.commit(device, p.time.length, () => device.buffer(p.time, p.cols));
      } else {
        const p = this.prepareTree(device, batch, ctx);
        await this.commit(device, p.time.length, () => bufferSeries(p.time, p.series));
      }
    }
    if (this.buffered >= this.options.chunkGroupSizeBytes) await this.flushAll();
    if (this.rowsSinceYield >= ROWS_PER_YIELD) {
      this.rowsSinceYield = 0;
      await yieldToEventLoop();
    }
  }

  /** Hands the appended rows of the chosen buffers to the write path. */
  private async writeAppended(which: (b: RowBuffer) => boolean): Promise<void> {
    for (const b of this.rowBuffers.values()) {
      if (b.rows === 0 || !which(b)) continue;
      this.appendedBytes -= b.bytes;
      await this.writeNow(b.target, b.take());
    }
  }

  /** Validates one record completely, then buffers it (nothing changes when it is refused). */
  private acceptRecord(name: string, time: bigint | number, values: Readonly<Record<string, AppendValue>>): RowBuffer {
    const ctx: InputContext = { device: name, file: this.label, timeUnit: this.options.timeUnit };
    let t: bigint;
    if (typeof time === 'bigint' && time === BigInt.asIntN(64, time)) t = time;
    else if (typeof time === 'number' && Number.isSafeInteger(time)) t = BigInt(time);
    else throw inputError(ctx, 'time must be an int64 (a bigint or a safe integer)', undefined, undefined, 'an int64', `${typeof time} ${String(time)}`);
    ctx.at = `time ${t}`;
    if (values === null || typeof values !== 'object') throw inputError(ctx, 'values must be an object of measurement names to values', undefined, undefined, 'an object', String(values));
    const entries = Object.entries(values);
    const table = this.tables.get(name);
    if (table !== undefined) return this.acceptTableRecord(table, t, entries, ctx);
    let device = this.treeDevices.get(name);
    const toRegister: TimeseriesSpec[] = [];
    if (device === undefined && !this.options.inferSchema) throw inputError(ctx, 'unregistered device or table');
    const key = `tree:${name}`;
    const buffer = this.rowBuffers.get(key);
    const last = latest(buffer?.lastTime, device?.aligned === true ? device.lastTime : undefined);
    checkAppendTime(ctx, t, last);
    const accepted = new Map<string, AppendValue>();
    for (const [m, v] of entries) {
      if (v === null || v === undefined) continue;
      let schema: ColumnSchema | undefined;
      if (device?.aligned === true) schema = device.columns.get(m)?.schema;
      else {
        const s = device?.series.get(m);
        if (s?.lastTime !== undefined && t <= s.lastTime) throw inputError(ctx, 'time is not after the last time already written', m, undefined, `> ${s.lastTime}`, String(t));
        schema = s?.schema;
      }
      if (schema === undefined) {
        if (!this.options.inferSchema || device?.aligned === true) throw inputError(ctx, 'unregistered series', m);
        const spec: TimeseriesSpec = { measurement: m, dataType: inferAppendType(v, this.options.version) };
        schema = resolveColumnSchema(spec, this.options, name);
        toRegister.push(spec);
      }
      this.checkAppendValue(schema, v, buffer, ctx);
      accepted.set(m, v);
    }
    if (device === undefined || toRegister.length > 0) {
      this.registerTimeseries(name, toRegister);
      device = this.treeDevices.get(name)!;
    }
    return this.bufferRecord(key, name, undefined, t, accepted);
  }

  private acceptTableRecord(table: TableState, t: bigint, entries: [string, AppendValue][], ctx: InputContext): RowBuffer {
    const name = table.schema.tableName;
    const known = new Map(table.schema.columns.map((c) => [c.name, c]));
    for (const [col] of entries) if (!known.has(col)) throw inputError(ctx, 'unregistered column', col);
    const given = new Map(entries);
    const tags = new Map<string, string | null>();
    for (const tag of table.tagNames) {
      const v = given.get(tag);
      if (v === null || v === undefined) tags.set(tag, null);
      else if (typeof v === 'string') tags.set(tag, v);
      else throw inputError(ctx, 'type mismatch', tag, undefined, 'a string (or null) tag value', `${typeof v} ${String(v)}`);
    }
    const id = [name, ...tags.values()];
    while (id.length > 1 && id[id.length - 1] === null) id.pop();
    const device = table.devices.get(groupKeyOf(id));
    ctx.device = id.map((s) => s ?? 'null').join('.');
    const key = `table:${groupKeyOf(id)}`;
    const buffer = this.rowBuffers.get(key);
    checkAppendTime(ctx, t, latest(buffer?.lastTime, device?.lastTime));
    const accepted = new Map<string, AppendValue>();
    for (const f of table.fields) {
      const v = given.get(f.measurement);
      if (v === null || v === undefined) continue;
      this.checkAppendValue(f, v, buffer, ctx);
      accepted.set(f.measurement, v);
    }
    return this.bufferRecord(key, name, tags, t, accepted);
  }

  /** The value converts to the column's type as in a batch, and its encoding stores it exactly. */
  private checkAppendValue(schema: ColumnSchema, v: AppendValue, buffer: RowBuffer | undefined, ctx: InputContext): void {
    const col = toRowColumn({ kind: 'plain', input: [v] }, schema.dataType, 1, ctx, schema.measurement);
    if (this.options.allowLossyEncoding) return;
    // Encodings checked by encoding the stream are checked on the stream the batch will hold.
    if (mayLoseValues(schema) && buffer !== undefined && buffer.rows > 0) {
      const stream = [...buffer.valuesOf(schema.measurement), v];
      checkExact(schema, toRowColumn({ kind: 'plain', input: stream }, schema.dataType, stream.length, ctx, schema.measurement), ctx);
    } else checkExact(schema, col, ctx);
  }

  private bufferRecord(key: string, target: string, tags: Map<string, string | null> | undefined, t: bigint, values: Map<string, AppendValue>): RowBuffer {
    let buffer = this.rowBuffers.get(key);
    if (buffer === undefined) {
      buffer = new RowBuffer(target, tags);
      this.rowBuffers.set(key, buffer);
    }
    const before = buffer.bytes;
    buffer.push(t, values);
    this.appendedBytes += buffer.bytes - before;
    return buffer;
  }

  /** Writes every buffered point as chunk groups now. */
  flush(): Promise<void> {
    return this.serialize(async () => {
      this.checkOpen();
      await this.writeAppended(() => true);
      await this.flushAll();
    });
  }

  /** Flushes, writes the index area and footer, and closes the sink. Closing twice is a no-op. */
  close(): Promise<void> {
    return this.serialize(async () => {
      if (this.state === 'closed') return;
      this.checkOpen();
      await this.writeAppended(() => true);
      await this.flushAll();
      const cpp = this.options.layout === 'cpp';
      if (cpp) {
        // The C++ writer ends its data section with an operation-index record, min = max = 0 (§2.1).
        await this.emit(new Uint8Array(17).fill(0x04, 0, 1));
      }
      const entries: DeviceIndexEntry[] = [];
      for (const d of this.devices) {
        const e = d.aligned ? d.indexEntry(!cpp) : d.indexEntry();
        if (e !== undefined) entries.push(e);
      }
      for (const t of this.tables.values()) {
        for (const d of t.devices.values()) {
          const e = d.indexEntry();
          if (e !== undefined) entries.push(e);
        }
      }
      const index = buildIndexArea(this.position, entries, {
        version: this.options.version,
        maxDegree: this.options.maxIndexDegree,
        tableSchemas: [...this.tables.values()].map((t) => t.schema),
        bloomFilterErrorRate: this.options.bloomFilterErrorRate,
        cppBloomFilter: cpp,
      });
      await this.emit(index);
      this.state = 'closed';
      await this.sink.close();
    }).catch(async (e: unknown) => {
      // A failed close leaves a file for `recoverTsFile`; release the sink (file handle) either way.
      if (this.state === 'failed') await Promise.resolve(this.sink.close()).catch(() => undefined);
      throw e;
    });
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.tail.then(op);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async emit(bytes: Uint8Array): Promise<number> {
    const at = this.position;
    try {
      await this.sink.write(bytes);
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
    this.position += bytes.length;
    return at;
  }

  private async flushAll(): Promise<void> {
    const all: Device[] = [...this.devices];
    for (const t of this.tables.values()) all.push(...t.devices.values());
    await writeChunkGroups(all, this.options.version, this.settings, this.queue, {
      position: () => this.position,
      emit: (bytes) => this.emit(bytes),
      fail: () => {
        this.state = 'failed';
      },
    });
    this.buffered = 0;
    await yieldToEventLoop();
  }

  // ---- validation (no state change) and commit (no failure) ----

  private prepareTree(device: TreeDevice, batch: SourceBatch, ctx: InputContext): PreparedTree {
    checkTimes(batch.time, undefined, ctx);
    const out: PreparedTree = { time: batch.time, series: [] };
    for (const [name, src] of batch.columns) {
      const s = device.series.get(name);
      if (s === undefined) throw inputError(ctx, 'unregistered series', name);
      const col = toRowColumn(src, s.schema.dataType, batch.rows, ctx, name);
      const first = firstValidRow(col, batch.rows);
      if (first >= 0 && s.lastTime !== undefined && batch.time[first]! <= s.lastTime) {
        throw inputError(ctx, 'time is not after the last time already written', name, first, `> ${s.lastTime}`, String(batch.time[first]));
      }
      this.checkEncodable(s.schema, col, ctx);
      out.series.push({ state: s, col, last: lastValidRow(col, batch.rows) });
    }
    return out;
  }

  /**
   * Buffers validated rows, then sends the pages they completed to be encoded. The flush threshold
   * counts raw bytes, which do not depend on where or when pages are encoded.
   */
  private async commit(device: Device, rows: number, buffer: () => void): Promise<void> {
    const before = device.openBytes;
    buffer();
    this.rowsSinceYield += rows;
    this.buffered += device.openBytes - before;
    try {
      await device.seal(this.settings, this.queue, false);
    } finally {
      // Rows still open are copied out of borrowed input arrays before the write returns.
      device.settle();
    }
  }

  private prepareAligned(device: AlignedDevice, batch: SourceBatch, ctx: InputContext): PreparedAligned {
    checkTimes(batch.time, device.lastTime, ctx);
    const cols = new Map<string, RowColumn>();
    for (const [name, src] of batch.columns) {
      const c = device.columns.get(name);
      if (c === undefined) throw inputError(ctx, 'unregistered series', name);
      const col = toRowColumn(src, c.schema.dataType, batch.rows, ctx, name);
      this.checkEncodable(c.schema, col, ctx);
      cols.set(name, col);
    }
    return { time: batch.time, cols };
  }

  private async writeTable(table: TableState, data: WriteInput): Promise<void> {
    const name = table.schema.tableName;
    const ctx: InputContext = { device: name, file: this.label, timeUnit: this.options.timeUnit };
    const batch = readSourceBatch(data, ctx);
    const tags: RowColumn[] = [];
    for (const tag of table.tagNames) {
      const src = batch.columns.get(tag);
      tags.push(src === undefined ? { values: { offsets: new Int32Array(batch.rows + 1), data: new Uint8Array(0) }, valid: new Uint8Array(batch.rows) } : toRowColumn(src, DataType.STRING, batch.rows, ctx, tag));
    }
    const known = new Set(table.schema.columns.map((c) => c.name));
    for (const col of batch.columns.keys()) if (!known.has(col)) throw inputError(ctx, 'unregistered column', col);
    const converted = new Map<string, RowColumn>();
    for (const f of table.fields) {
      const src = batch.columns.get(f.measurement);
      if (src !== undefined) converted.set(f.measurement, toRowColumn(src, f.dataType, batch.rows, ctx, f.measurement));
    }
    const groups = groupRowsByTags(name, tags, batch.rows);
    // Validate every device's rows first; only then buffer anything.
    const prepared: [AlignedDevice, PreparedAligned][] = [];
    const fresh: AlignedDevice[] = [];
    for (const g of groups) {
      let device = table.devices.get(g.key);
      if (device === undefined) {
        device = new AlignedDevice(g.deviceId.map((s) => s ?? 'null').join('.'), g.deviceId, this.settings);
        for (const f of table.fields) device.addColumn(f);
        fresh.push(device);
      }
      const sub = takeRows(batch, converted, g.rows);
      const dctx: InputContext = { device: device.path, file: this.label, timeUnit: this.options.timeUnit };
      prepared.push([device, this.prepareAligned(device, sub, dctx)]);
    }
    for (const d of fresh) table.devices.set(groupKeyOf(d.deviceId), d);
    for (const [d, p] of prepared) await this.commit(d, p.time.length, () => d.buffer(p.time, p.cols));
  }

  private checkEncodable(schema: ColumnSchema, col: RowColumn, ctx: InputContext): void {
    if (!this.options.allowLossyEncoding) checkExact(schema, col, ctx);
  }
}

interface PreparedTree {
  time: BigInt64Array;
  series: { state: SeriesState; col: RowColumn; last: number }[];
}

interface PreparedAligned {
  time: BigInt64Array;
  cols: Map<string, RowColumn>;
}

function latest(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function checkAppendTime(ctx: InputContext, t: bigint, last: bigint | undefined): void {
  if (last === undefined || t > last) return;
  throw inputError(ctx, t === last ? 'duplicate time' : 'time is not after the last time appended to the device', undefined, undefined, `> ${last}`, String(t));
}

/** The type `inferSchema` gives a new series from its first value. */
function inferAppendType(v: Exclude<AppendValue, null | undefined>, version: 3 | 4): DataType {
  if (typeof v === 'boolean') return DataType.BOOLEAN;
  if (typeof v === 'bigint') return DataType.INT64;
  if (typeof v === 'number') return DataType.DOUBLE;
  if (typeof v === 'string') return version === 3 ? DataType.TEXT : DataType.STRING;
  return DataType.BLOB;
}
