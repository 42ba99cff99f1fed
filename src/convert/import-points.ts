/**
 * The shared back half of text imports (CSV, JSON lines): points arrive in any order as
 * (device, measurement, time, value text, line); their types are inferred over every value; they
 * are sorted per device by time with bounded memory (import-sort.ts) — or, with `presorted`, taken
 * as they come and refused at the first point out of order — and written as rows per device.
 * Tree devices (`root.…`) are non-aligned unless `aligned`; devices of the table named by `table`
 * (`<table>.<tag>.<tag>…`) are table-model rows with those tag columns.
 */
import { type Compression, DataType, type Encoding, dataTypeName } from '../format/codes.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { ColumnInput } from '../writer/input.js';
import type { TableColumnSpec } from '../writer/schema.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { ALL_CANDIDATES, candidatesOf, DEFAULT_IMPORT_COMPRESSION, defaultEncoding, parseValue, typeOfCandidates, type ParsedValue } from './infer.js';
import { ExternalSorter, type PointRecord } from './import-sort.js';

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
  mask: number;
  sawValue: boolean;
  type?: DataType;
  firstLine: number;
}

interface DeviceState {
  kind: 'tree' | 'table';
  tags: (string | null)[];
  series: Map<string, SeriesState>;
  registered: boolean;
  /** Presorted mode: the last point seen, to check the order. */
  lastTime?: bigint;
  lastMeasurement?: string;
}

interface RowBuffer {
  device: string;
  times: bigint[];
  lines: number[];
  cols: Map<string, (string | undefined)[]>;
}

export class PointImporter {
  private readonly devices = new Map<string, DeviceState>();
  private readonly sorter: ExternalSorter | undefined;
  private readonly rows = new Map<string, RowBuffer>();
  private tableRegistered = false;
  private points = 0;
  private readonly batchRows: number;

  constructor(
    private readonly writer: TsFileWriter,
    private readonly o: PointImportOptions = {},
  ) {
    this.batchRows = o.batchRows ?? 65536;
    if (!o.presorted) this.sorter = new ExternalSorter({ ...(o.maxPointsInMemory !== undefined ? { maxPointsInMemory: o.maxPointsInMemory } : {}), ...(o.tempDir !== undefined ? { tempDir: o.tempDir } : {}) });
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
      d = { kind: 'table', tags, series: new Map(), registered: false };
    } else if (path.startsWith('root.') && path.length > 5) {
      d = { kind: 'tree', tags: [], series: new Map(), registered: false };
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

  /** One point; `allowed` narrows the types its value may have (JSON strings are no numbers). */
  async add(p: PointRecord, allowed = ALL_CANDIDATES): Promise<void> {
    const d = this.deviceOf(p.device, p.line);
    if (this.o.table !== undefined && d.kind === 'table' && this.o.table.tagColumns.includes(p.measurement)) {
      this.fail(p.line, `measurement ${p.measurement} has the name of a tag column`);
    }
    let s = d.series.get(p.measurement);
    if (s === undefined) {
      if (d.registered) this.fail(p.line, `${p.device}.${p.measurement} first appears after the device's first rows were written: drop --presorted, or give every measurement in the device's first rows`);
      d.series.set(p.measurement, (s = { mask: ALL_CANDIDATES, sawValue: false, firstLine: p.line }));
    }
    const forced = this.o.types?.[p.measurement];
    if (forced !== undefined) {
      if (p.value !== '' || forced === DataType.TEXT || forced === DataType.STRING) {
        try {
          parseValue(forced, p.value, `${p.device}.${p.measurement}`);
        } catch (e) {
          this.fail(p.line, (e as TsFileError).what ?? (e as Error).message);
        }
      }
    } else if (p.value !== '') {
      s.mask &= candidatesOf(p.value) & allowed;
      s.sawValue = true;
    }
    this.points++;
    if (this.sorter !== undefined) {
      await this.sorter.add(p);
      if ((this.points & 0xffff) === 0) throwIfAborted(this.o.signal);
      return;
    }
    // Presorted: per device, by time, then measurement.
    if (d.lastTime !== undefined && (p.time < d.lastTime || (p.time === d.lastTime && p.measurement <= d.lastMeasurement!))) {
      const what = p.time === d.lastTime ? `time ${p.time} of ${p.device}.${p.measurement} appears twice` : `time ${p.time} of ${p.device}.${p.measurement} comes after time ${d.lastTime}`;
      this.fail(p.line, `${what}: with --presorted the points of a device must come in time order; leave --presorted out to have them sorted`);
    }
    d.lastTime = p.time;
    d.lastMeasurement = p.measurement;
    await this.place(p);
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
    const fields = new Map<string, SeriesState>();
    for (const dev of this.devices.values()) {
      if (dev.kind !== 'table') continue;
      dev.registered = true;
      for (const [name, s] of dev.series) {
        const f = fields.get(name);
        if (f === undefined) fields.set(name, { ...s });
        else {
          f.mask &= s.mask;
          f.sawValue ||= s.sawValue;
        }
      }
    }
    const columns: TableColumnSpec[] = t.tagColumns.map((name) => ({ name, category: 'TAG' }));
    for (const [name, f] of fields) {
      const type = this.typeOf(name, f);
      for (const dev of this.devices.values()) {
        const s = dev.kind === 'table' ? dev.series.get(name) : undefined;
        if (s !== undefined) s.type = type;
      }
      const spec = this.spec(name, type);
      columns.push({ name, category: 'FIELD', dataType: dataTypeName(type), encoding: spec.encoding, compression: spec.compression } as TableColumnSpec);
    }
    this.writer.registerTable(t.name, columns);
  }

  /** Puts a point into its device's row buffer (points of a device come by time, then measurement). */
  private async place(p: PointRecord): Promise<void> {
    let b = this.rows.get(p.device);
    if (b === undefined) this.rows.set(p.device, (b = { device: p.device, times: [], lines: [], cols: new Map() }));
    const n = b.times.length;
    if (n === 0 || b.times[n - 1] !== p.time) {
      if (n >= this.batchRows) {
        await this.flush(b);
        return this.place(p);
      }
      b.times.push(p.time);
      b.lines.push(p.line);
    }
    const row = b.times.length - 1;
    let col = b.cols.get(p.measurement);
    if (col === undefined) b.cols.set(p.measurement, (col = []));
    if (col[row] !== undefined) this.fail(p.line, `${p.device}.${p.measurement} has two values at time ${p.time} (the other on line ${b.lines[row]})`);
    col[row] = p.value;
  }

  private async flush(b: RowBuffer): Promise<void> {
    const n = b.times.length;
    if (n === 0) return;
    const d = this.devices.get(b.device)!;
    this.register(b.device, d);
    const columns: Record<string, ColumnInput> = {};
    for (const [name, s] of d.series) {
      const type = s.type!;
      const texts = b.cols.get(name);
      const values: ParsedValue[] = new Array(n);
      for (let r = 0; r < n; r++) {
        const text = texts?.[r];
        values[r] = text === undefined ? null : parseValue(type, text, `${b.device}.${name}, line ${b.lines[r]}`);
      }
      columns[name] = values as ColumnInput;
    }
    if (d.kind === 'table') {
      this.o.table!.tagColumns.forEach((tag, k) => {
        columns[tag] = new Array<string | null>(n).fill(d.tags[k] ?? null);
      });
      await this.writer.write(this.o.table!.name, { time: BigInt64Array.from(b.times), columns });
    } else {
      await this.writer.write(b.device, { time: BigInt64Array.from(b.times), columns });
    }
    b.times = [];
    b.lines = [];
    b.cols = new Map();
    this.o.onProgress?.(this.points);
  }

  /** Writes what is left (after sorting, unless presorted) and reports the counts. */
  async finish(): Promise<ImportResult> {
    try {
      if (this.sorter !== undefined) {
        // Every type is known now: register everything, then write the devices one after another.
        for (const [path, d] of this.devices) this.register(path, d);
        let current: RowBuffer | undefined;
        let k = 0;
        for await (const p of this.sorter.sorted()) {
          if (current !== undefined && current.device !== p.device) {
            await this.flush(current);
            this.rows.delete(current.device);
          }
          await this.place(p);
          current = this.rows.get(p.device);
          if ((++k & 0xffff) === 0) throwIfAborted(this.o.signal);
        }
      }
      for (const b of this.rows.values()) await this.flush(b);
      for (const [path, d] of this.devices) this.register(path, d);
    } finally {
      await this.sorter?.dispose();
    }
    let series = 0;
    for (const d of this.devices.values()) series += d.series.size;
    return { devices: this.devices.size, series, points: this.points };
  }

  /** Removes temporary files after a failure. */
  async dispose(): Promise<void> {
    await this.sorter?.dispose();
  }
}
