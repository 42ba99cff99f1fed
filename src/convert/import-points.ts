/**
 * The shared back half of text imports (CSV, JSON lines): points arrive in any order as
 * (device, measurement, time, value text, line) and are held per series in typed columns; their
 * types are inferred over every value; each series is sorted by time with bounded memory
 * (import-sort.ts; a series whose times ascend is not sorted) — or, with `presorted`, taken as they
 * come and refused at the first point out of order — and written from typed columns
 * (import-columns.ts): non-aligned series each on its own times, aligned and table devices as rows.
 * Tree devices (`root.…`) are non-aligned unless `aligned`; devices of the table named by `table`
 * (`<table>.<tag>.<tag>…`) are table-model rows with those tag columns.
 */
import { type Compression, DataType, type Encoding, dataTypeName } from '../format/codes.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { ColumnInput } from '../writer/input.js';
import type { TableColumnSpec } from '../writer/schema.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { ColumnBuilder } from './import-columns.js';
import { ALL_CANDIDATES, candidatesOf, DEFAULT_IMPORT_COMPRESSION, defaultEncoding, parseValue, typeOfCandidates } from './infer.js';
import { type BlockSource, memorySource, mergeSources, type PointBlock, RunStore, SeriesBuffer } from './import-sort.js';

export interface ImportResult {
  devices: number;
  series: number;
  points: number;
}

export interface PointImportOptions {
  /** Write tree devices as aligned. */
  aligned?: boolean;
  /** Devices `<name>.<tag values>` are rows of this table, with these tag columns. */
  table?: { name: string; tagColumns: readonly string[] };
  /** Data type per measurement name, instead of inference. */
  types?: Record<string, DataType>;
  encoding?: Encoding;
  compression?: Compression;
  /** Rows per device buffered before writing (default 65 536). */
  batchRows?: number;
  /** Take points in the order given (per device by time) instead of sorting; refuse the first out of order. */
  presorted?: boolean;
  /** Points held in memory while sorting before a sorted run spills to a temporary file. */
  maxPointsInMemory?: number;
  /** Directory of the temporary sort runs (default: the system one). */
  tempDir?: string;
  /** Names the input in messages. */
  file?: string;
  signal?: AbortSignal;
  onProgress?: (points: number) => void;
}

interface SeriesState {
  /** Key of the series' runs in the run store. */
  id: number;
  mask: number;
  sawValue: boolean;
  type?: DataType;
  firstLine: number;
  /** Points not yet written or spilled, in arrival order. */
  buffer: SeriesBuffer;
}

interface DeviceState {
  path: string;
  kind: 'tree' | 'table';
  tags: (string | null)[];
  series: Map<string, SeriesState>;
  registered: boolean;
  /** Presorted mode: the last point seen, to check the order, and the rows buffered. */
  lastTime?: bigint;
  lastMeasurement?: string;
  rows: number;
}

/** Points of a series written per block: the last time and line written, to find a second value at one time. */
interface Last {
  time: bigint | undefined;
  line: number;
}

export class PointImporter {
  private readonly devices = new Map<string, DeviceState>();
  private readonly runs: RunStore | undefined;
  private readonly limit: number;
  /** Points held in series buffers (sorting mode). */
  private held = 0;
  private nextId = 0;
  private tableRegistered = false;
  private points = 0;
  private readonly batchRows: number;
  /** The device and series of the last point: rows of one device and series usually come together. */
  private lastDevice: DeviceState | undefined;
  private lastSeries: SeriesState | undefined;
  private lastName = '';

  constructor(
    private readonly writer: TsFileWriter,
    private readonly o: PointImportOptions = {},
  ) {
    this.batchRows = o.batchRows ?? 65536;
    this.limit = o.maxPointsInMemory ?? 500_000;
    if (!o.presorted) this.runs = new RunStore(o.tempDir);
  }

  /** Runs of sorted points written to temporary files so far. */
  get spilledRuns(): number {
    return this.runs?.spilledRuns ?? 0;
  }

  private fail(line: number, message: string): never {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `line ${line}: ${message}`, this.o.file !== undefined ? { file: this.o.file } : {});
  }

  private deviceOf(path: string, line: number): DeviceState {
    let d = this.devices.get(path);
    if (d !== undefined) return d;
    const t = this.o.table;
    if (t !== undefined && path.startsWith(`${t.name}.`)) {
      const tags: (string | null)[] = path.slice(t.name.length + 1).split('.');
      if (tags.length > t.tagColumns.length) this.fail(line, `device ${path} has ${tags.length} tag values, but --tag-columns names ${t.tagColumns.length} (${t.tagColumns.join(',')})`);
      while (tags.length < t.tagColumns.length) tags.push(null);
      d = { path, kind: 'table', tags, series: new Map(), registered: false, rows: 0 };
    } else if (path.startsWith('root.') && path.length > 5) {
      d = { path, kind: 'tree', tags: [], series: new Map(), registered: false, rows: 0 };
    } else if (path === '') {
      this.fail(line, 'the device is empty');
    } else {
      const table = path.split('.')[0]!;
      this.fail(line, t === undefined
        ? `device ${path} is not a tree path (root.…): to import it as a table-model device give --table ${table} --tag-columns <names of its tag columns>`
        : `device ${path} is neither a tree path (root.…) nor a device of table ${t.name}`);
    }
    this.devices.set(path, d);
    return d;
  }

  private seriesOf(d: DeviceState, device: string, measurement: string, line: number): SeriesState {
    let s = d.series.get(measurement);
    if (s !== undefined) return s;
    if (d.kind === 'table' && this.o.table!.tagColumns.includes(measurement)) this.fail(line, `measurement ${measurement} has the name of a tag column`);
    if (d.registered) this.fail(line, `${device}.${measurement} first appears after the device's first rows were written: drop --presorted, or give every measurement in the device's first rows`);
    s = { id: this.nextId++, mask: ALL_CANDIDATES, sawValue: false, firstLine: line, buffer: new SeriesBuffer() };
    d.series.set(measurement, s);
    return s;
  }

  /**
   * One point (`time` an int64, or a safe integer); `allowed` narrows the types its value may
   * have (JSON strings are no numbers).
   * Returns a promise only when the point made work to wait for (a spill, a batch written).
   */
  add(device: string, measurement: string, time: number | bigint, value: string, line: number, allowed = ALL_CANDIDATES): Promise<void> | undefined {
    let d = this.lastDevice;
    let s: SeriesState;
    if (d !== undefined && d.path === device && this.lastName === measurement) s = this.lastSeries!;
    else {
      if (d === undefined || d.path !== device) d = this.deviceOf(device, line);
      s = this.seriesOf(d, device, measurement, line);
      this.lastDevice = d;
      this.lastSeries = s;
      this.lastName = measurement;
    }
    const forced = this.o.types?.[measurement];
    if (forced !== undefined) {
      if (value !== '' || forced === DataType.TEXT || forced === DataType.STRING) {
        try {
          parseValue(forced, value, `${device}.${measurement}`);
        } catch (e) {
          this.fail(line, (e as TsFileError).what ?? (e as Error).message);
        }
      }
    } else if (value !== '') {
      s.mask = candidatesOf(value, s.mask & allowed);
      s.sawValue = true;
    }
    this.points++;
    if ((this.points & 0xffff) === 0) throwIfAborted(this.o.signal);
    if (this.runs !== undefined) {
      if (typeof time === 'number') s.buffer.push(time, line, value);
      else s.buffer.pushBig(time, line, value);
      if (++this.held >= this.limit) return this.spill();
      return undefined;
    }
    return this.addPresorted(d, s, device, measurement, typeof time === 'number' ? BigInt(time) : time, value, line);
  }

  /** Presorted: points per device by time, then measurement; a full batch of rows is written. */
  private addPresorted(d: DeviceState, s: SeriesState, device: string, measurement: string, time: bigint, value: string, line: number): Promise<void> | undefined {
    const newRow = d.lastTime === undefined || time > d.lastTime;
    if (!newRow && (time < d.lastTime! || measurement <= d.lastMeasurement!)) {
      const what = time === d.lastTime ? `time ${time} of ${device}.${measurement} appears twice` : `time ${time} of ${device}.${measurement} comes after time ${d.lastTime}`;
      this.fail(line, `${what}: with --presorted the points of a device must come in time order; leave --presorted out to have them sorted`);
    }
    d.lastTime = time;
    d.lastMeasurement = measurement;
    if (newRow && d.rows >= this.batchRows) {
      const full = d;
      return this.writeDevice(full).then(() => {
        full.rows = 1;
        s.buffer.pushBig(time, line, value);
      });
    }
    if (newRow) d.rows++;
    s.buffer.pushBig(time, line, value);
    return undefined;
  }

  private async spill(): Promise<void> {
    // In the order `finish` reads them back: devices by path, series as they first came.
    const buffers: [number, SeriesBuffer][] = [];
    for (const path of this.sortedPaths()) for (const s of this.devices.get(path)!.series.values()) if (s.buffer.length > 0) buffers.push([s.id, s.buffer]);
    // One block per run and series is read at a time when merging: keep blocks small when there are many series.
    const blockPoints = Math.max(256, Math.min(8192, Math.floor(this.limit / Math.max(1, buffers.length))));
    await this.runs!.spill(buffers, blockPoints);
    this.held = 0;
  }

  private sortedPaths(): string[] {
    return [...this.devices.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private typeOf(name: string, s: SeriesState): DataType {
    s.type ??= this.o.types?.[name] ?? typeOfCandidates(s.mask, s.sawValue);
    return s.type;
  }

  private spec(name: string, t: DataType) {
    return { measurement: name, dataType: t, encoding: this.o.encoding ?? defaultEncoding(t), compression: this.o.compression ?? DEFAULT_IMPORT_COMPRESSION };
  }

  private register(path: string, d: DeviceState): void {
    if (d.registered) return;
    d.registered = true;
    if (d.kind === 'tree') {
      const specs = [...d.series].map(([name, s]) => this.spec(name, this.typeOf(name, s)));
      if (this.o.aligned) this.writer.registerAlignedDevice(path, specs);
      else this.writer.registerTimeseries(path, specs);
      return;
    }
    if (this.tableRegistered) return;
    this.tableRegistered = true;
    // One schema for the table: every field of every device of it, one type each.
    const t = this.o.table!;
    const fields = new Map<string, { mask: number; sawValue: boolean }>();
    for (const dev of this.devices.values()) {
      if (dev.kind !== 'table') continue;
      dev.registered = true;
      for (const [name, s] of dev.series) {
        const f = fields.get(name);
        if (f === undefined) fields.set(name, { mask: s.mask, sawValue: s.sawValue });
        else {
          f.mask &= s.mask;
          f.sawValue ||= s.sawValue;
        }
      }
    }
    const columns: TableColumnSpec[] = t.tagColumns.map((name) => ({ name, category: 'TAG' }));
    for (const [name, f] of fields) {
      const type = this.o.types?.[name] ?? typeOfCandidates(f.mask, f.sawValue);
      for (const dev of this.devices.values()) {
        const s = dev.kind === 'table' ? dev.series.get(name) : undefined;
        if (s !== undefined) s.type = type;
      }
      const spec = this.spec(name, type);
      columns.push({ name, category: 'FIELD', dataType: dataTypeName(type), encoding: spec.encoding, compression: spec.compression } as TableColumnSpec);
    }
    this.writer.registerTable(t.name, columns);
  }

  /** A series' points in time order, `size` at a time: its runs merged with what is still in memory. */
  private stream(s: SeriesState, size: number): AsyncGenerator<PointBlock> {
    s.buffer.sort();
    const sources: BlockSource[] = this.runs?.sources(s.id) ?? [];
    if (s.buffer.length > 0) sources.push(memorySource(s.buffer, size));
    return mergeSources(sources, size);
  }

  /** Refuses a second value of a series at one time (points come by time, then line). */
  private checkDistinct(device: string, name: string, b: PointBlock, from: number, to: number, last: Last): void {
    let prev = last.time;
    for (let i = from; i < to; i++) {
      const t = b.times[i]!;
      if (t === prev) this.fail(b.lines[i]!, `${device}.${name} has two values at time ${t} (the other on line ${i > from ? b.lines[i - 1] : last.line})`);
      prev = t;
    }
    if (to > from) {
      last.time = prev;
      last.line = b.lines[to - 1]!;
    }
  }

  /** Writes every buffered point of a device (all of them at the end, or a batch when presorted) and empties its buffers. */
  private async writeDevice(d: DeviceState): Promise<void> {
    this.register(d.path, d);
    const series = [...d.series];
    if (d.kind === 'tree' && !this.o.aligned) {
      // Non-aligned series are independent: each is written on its own times.
      for (const [name, s] of series) {
        const where = (line: number) => `${d.path}.${name}, line ${line}`;
        const last: Last = { time: undefined, line: 0 };
        for await (const b of this.stream(s, this.batchRows)) {
          throwIfAborted(this.o.signal);
          this.checkDistinct(d.path, name, b, 0, b.length, last);
          const col = new ColumnBuilder(s.type!, b.length, false, where);
          const { ends, text, lines } = b;
          for (let i = 0, at = 0; i < b.length; i++) {
            const end = ends[i]!;
            col.set(i, text.slice(at, end), lines[i]!);
            at = end;
          }
          await this.writer.write(d.path, { time: b.times, columns: { [name]: col.finish() } });
          this.o.onProgress?.(this.points);
        }
        s.buffer.clear();
      }
      return;
    }
    await this.writeRows(d, series);
    for (const [, s] of series) s.buffer.clear();
  }

  /**
   * Aligned and table devices: the series merged into rows by time. Each step takes, from every
   * series, its points up to the earliest last time of the blocks at hand, so every row is whole.
   */
  private async writeRows(d: DeviceState, series: [string, SeriesState][]): Promise<void> {
    const k = series.length;
    const size = Math.max(256, Math.floor(this.batchRows / Math.max(1, k)));
    const streams = series.map(([, s]) => this.stream(s, size));
    const cur: (PointBlock | undefined)[] = [];
    const pos: number[] = new Array(k).fill(0);
    const lasts: Last[] = [];
    for (const st of streams) {
      cur.push((await st.next()).value as PointBlock | undefined);
      lasts.push({ time: undefined, line: 0 });
    }
    const ends: number[] = new Array(k).fill(0);
    for (;;) {
      throwIfAborted(this.o.signal);
      let bound: bigint | undefined;
      for (const b of cur) if (b !== undefined && (bound === undefined || b.times[b.length - 1]! < bound)) bound = b.times[b.length - 1]!;
      if (bound === undefined) break;
      let total = 0;
      for (let j = 0; j < k; j++) {
        const b = cur[j];
        let e = pos[j]!;
        if (b !== undefined) while (e < b.length && b.times[e]! <= bound) e++;
        ends[j] = e;
        total += e - pos[j]!;
      }
      const all = new BigInt64Array(total);
      let at = 0;
      for (let j = 0; j < k; j++) {
        const b = cur[j];
        if (b === undefined) continue;
        all.set(b.times.subarray(pos[j]!, ends[j]!), at);
        at += ends[j]! - pos[j]!;
      }
      all.sort();
      let rows = 0;
      for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[rows - 1]) all[rows++] = all[i]!;
      const time = all.slice(0, rows);
      const columns: Record<string, ColumnInput> = {};
      for (let j = 0; j < k; j++) {
        const [name, s] = series[j]!;
        const b = cur[j];
        if (b === undefined || ends[j] === pos[j]) continue;
        this.checkDistinct(d.path, name, b, pos[j]!, ends[j]!, lasts[j]!);
        const col = new ColumnBuilder(s.type!, rows, true, (line) => `${d.path}.${name}, line ${line}`);
        let r = 0;
        for (let i = pos[j]!; i < ends[j]!; i++) {
          const t = b.times[i]!;
          while (time[r]! < t) r++;
          col.set(r, b.text.slice(i === 0 ? 0 : b.ends[i - 1]!, b.ends[i]!), b.lines[i]!);
        }
        columns[name] = col.finish();
      }
      for (let j = 0; j < k; j++) {
        pos[j] = ends[j]!;
        const b = cur[j];
        if (b !== undefined && pos[j]! >= b.length) {
          cur[j] = (await streams[j]!.next()).value as PointBlock | undefined;
          pos[j] = 0;
        }
      }
      if (d.kind === 'table') {
        this.o.table!.tagColumns.forEach((tag, i) => {
          columns[tag] = new Array<string | null>(rows).fill(d.tags[i] ?? null);
        });
        await this.writer.write(this.o.table!.name, { time, columns });
      } else {
        await this.writer.write(d.path, { time, columns });
      }
      this.o.onProgress?.(this.points);
    }
  }

  /** Writes what is left (after sorting, unless presorted) and reports the counts. */
  async finish(): Promise<ImportResult> {
    try {
      // Every type is known now: register everything, then write the devices one after another.
      for (const [path, d] of this.devices) this.register(path, d);
      const paths = this.runs !== undefined ? this.sortedPaths() : [...this.devices.keys()];
      for (const path of paths) await this.writeDevice(this.devices.get(path)!);
    } finally {
      await this.runs?.dispose();
    }
    let series = 0;
    for (const d of this.devices.values()) series += d.series.size;
    return { devices: this.devices.size, series, points: this.points };
  }

  /** Removes temporary files after a failure. */
  async dispose(): Promise<void> {
    await this.runs?.dispose();
  }
}
