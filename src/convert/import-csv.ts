/**
 * CSV → TsFile. Two layouts:
 *  - long (the canonical export: `device,measurement,time,value`): each series is buffered up to
 *    `batchRows` points and written; types are inferred from a series' first batch;
 *  - wide (`time,<column>...`): columns are measurements of `device`, or full paths
 *    `root.sg.d1.s1` (the device is all but the last node); empty cells are nulls.
 * Memory stays at one batch per open series, whatever the file size.
 */
import { DataType, type Compression, type Encoding } from '../format/codes.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import type { ColumnInput } from '../writer/input.js';
import { CsvParser } from './csv-parser.js';
import { DEFAULT_IMPORT_COMPRESSION, defaultEncoding, inferType, parseTime, parseValue, type ParsedValue } from './infer.js';

export interface CsvImportOptions {
  /** Wide layout: the device of every column that is not a full path. */
  device?: string;
  /** Wide layout: write devices as aligned. */
  aligned?: boolean;
  /** Data type per measurement name, instead of inference. */
  types?: Record<string, DataType>;
  encoding?: Encoding;
  compression?: Compression;
  /** Points buffered per series before writing (default 65 536). */
  batchRows?: number;
  signal?: AbortSignal;
  onProgress?: (points: number) => void;
}

export interface ImportResult {
  devices: number;
  series: number;
  points: number;
}

const LONG_HEADER = ['device', 'measurement', 'time', 'value'];

/** Imports CSV text chunks (any chunking) into an open writer; detects the layout from the header. */
export async function importCsv(chunks: AsyncIterable<string>, writer: TsFileWriter, options: CsvImportOptions = {}): Promise<ImportResult> {
  const parser = new CsvParser();
  let importer: LongImporter | WideImporter | undefined;
  const handle = async (rows: string[][]) => {
    for (const row of rows) {
      if (importer === undefined) {
        const header = row.map((h) => h.trim());
        importer = header.join(',').toLowerCase() === LONG_HEADER.join(',') ? new LongImporter(writer, options) : new WideImporter(writer, header, options);
        continue;
      }
      if (row.length === 1 && row[0] === '') continue;
      await importer.row(row, parser.rows);
    }
  };
  for await (const chunk of chunks) {
    throwIfAborted(options.signal);
    await handle(parser.push(chunk));
  }
  await handle(parser.end());
  if (importer === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the CSV is empty (no header)');
  return importer.finish();
}

function specFor(name: string, t: DataType, o: CsvImportOptions) {
  return { measurement: name, dataType: t, encoding: o.encoding ?? defaultEncoding(t), compression: o.compression ?? DEFAULT_IMPORT_COMPRESSION };
}

class LongImporter {
  private current: { device: string; measurement: string; times: bigint[]; texts: string[]; type?: DataType } | undefined;
  private readonly devices = new Set<string>();
  private series = 0;
  private points = 0;
  constructor(
    private readonly writer: TsFileWriter,
    private readonly o: CsvImportOptions,
  ) {}

  async row(row: string[], line: number): Promise<void> {
    if (row.length !== 4) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `line ${line + 1}: expected 4 fields (device,measurement,time,value), got ${row.length}`);
    const [device, measurement, time, value] = row as [string, string, string, string];
    const c = this.current;
    if (c === undefined || c.device !== device || c.measurement !== measurement) {
      await this.flush();
      this.current = { device, measurement, times: [], texts: [] };
      this.series++;
      this.devices.add(device);
    }
    this.current!.times.push(parseTime(time, `line ${line + 1}`));
    this.current!.texts.push(value);
    if (this.current!.times.length >= (this.o.batchRows ?? 65536)) await this.flush();
  }

  private async flush(): Promise<void> {
    const c = this.current;
    if (c === undefined || c.times.length === 0) return;
    if (c.type === undefined) {
      c.type = this.o.types?.[c.measurement] ?? inferType(c.texts);
      this.writer.registerTimeseries(c.device, specFor(c.measurement, c.type, this.o));
    }
    const where = `${c.device}.${c.measurement}`;
    const values = c.texts.map((t) => parseValue(c.type!, t, where));
    await this.writer.write(c.device, { time: BigInt64Array.from(c.times), columns: { [c.measurement]: values as ColumnInput } });
    this.points += c.times.length;
    this.o.onProgress?.(this.points);
    c.times = [];
    c.texts = [];
  }

  async finish(): Promise<ImportResult> {
    await this.flush();
    return { devices: this.devices.size, series: this.series, points: this.points };
  }
}

class WideImporter {
  /** Per device: its columns (index in the row, measurement name, type once inferred). */
  private readonly groups = new Map<string, { cols: { index: number; name: string; type?: DataType }[]; registered: boolean }>();
  private times: bigint[] = [];
  private rows: string[][] = [];
  private points = 0;

  constructor(
    private readonly writer: TsFileWriter,
    header: string[],
    private readonly o: CsvImportOptions,
  ) {
    if (!/^(time|timestamp)$/i.test(header[0] ?? '')) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a CSV needs the header device,measurement,time,value or a first column named time', { actual: header.join(',') });
    }
    header.slice(1).forEach((h, k) => {
      const full = h.startsWith('root.') && h.includes('.', 5);
      const device = full ? h.slice(0, h.lastIndexOf('.')) : o.device;
      if (device === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column "${h}" is not a full path: give the device with --device`);
      const name = full ? h.slice(h.lastIndexOf('.') + 1) : h;
      let g = this.groups.get(device);
      if (g === undefined) this.groups.set(device, (g = { cols: [], registered: false }));
      g.cols.push({ index: k + 1, name });
    });
  }

  async row(row: string[], line: number): Promise<void> {
    this.times.push(parseTime(row[0] ?? '', `line ${line + 1}`));
    this.rows.push(row);
    if (this.rows.length >= (this.o.batchRows ?? 65536)) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const time = BigInt64Array.from(this.times);
    for (const [device, g] of this.groups) {
      if (!g.registered) {
        for (const c of g.cols) c.type = this.o.types?.[c.name] ?? inferType(this.rows.map((r) => r[c.index] ?? ''));
        const specs = g.cols.map((c) => specFor(c.name, c.type!, this.o));
        if (this.o.aligned) this.writer.registerAlignedDevice(device, specs);
        else this.writer.registerTimeseries(device, specs);
        g.registered = true;
      }
      const columns: Record<string, ColumnInput> = {};
      for (const c of g.cols) {
        const where = `${device}.${c.name}`;
        const values: ParsedValue[] = this.rows.map((r) => {
          const text = r[c.index] ?? '';
          return text === '' ? null : parseValue(c.type!, text, where);
        });
        columns[c.name] = values as ColumnInput;
        this.points += values.reduce((n: number, v) => n + (v === null ? 0 : 1), 0);
      }
      await this.writer.write(device, { time, columns });
    }
    this.o.onProgress?.(this.points);
    this.times = [];
    this.rows = [];
  }

  async finish(): Promise<ImportResult> {
    await this.flush();
    return { devices: this.groups.size, series: [...this.groups.values()].reduce((n, g) => n + g.cols.length, 0), points: this.points };
  }
}
