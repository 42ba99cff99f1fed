/**
 * CSV → TsFile (RFC 4180: csv-parser.ts). Two layouts, told apart by the header:
 *  - long (the canonical export): `device,measurement,time,value`, one point per row;
 *  - wide: `time,<column>...`, columns are measurements of `device`, or full paths `root.sg.d1.s1`
 *    (the device is all but the last node); an empty cell is no point.
 * Rows may come in any order (import-points.ts sorts them, or checks them with `presorted`).
 */
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { CsvParser } from './csv-parser.js';
import { parseTime } from './infer.js';
import { PointImporter, type ImportResult, type PointImportOptions } from './import-points.js';

export type { ImportResult } from './import-points.js';

export interface CsvImportOptions extends PointImportOptions {
  /** Wide layout: the device of every column that is not a full path. */
  device?: string;
}

const LONG_HEADER = 'device,measurement,time,value';
const INT = /^-?\d+$/;

/** Takes one row; returns a promise only when the row made work to wait for. */
type RowHandler = (row: string[], line: number) => Promise<void> | undefined;

/** Imports CSV text chunks (any chunking) into an open writer; detects the layout from the header. */
export async function importCsv(chunks: AsyncIterable<string>, writer: TsFileWriter, options: CsvImportOptions = {}): Promise<ImportResult> {
  const parser = new CsvParser(options.file);
  const points = new PointImporter(writer, options);
  const fail = (line: number, message: string): never => {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `line ${line}: ${message}`, options.file !== undefined ? { file: options.file } : {});
  };
  const time = (text: string, line: number): number | bigint => {
    // Epoch integers that a double holds exactly stay numbers.
    if (text.length < 16 && INT.test(text)) return Number(text);
    let t: bigint;
    try {
      t = parseTime(text, `line ${line}`);
    } catch {
      return fail(line, `time ${JSON.stringify(text)} is neither an integer nor an ISO date-time`);
    }
    if (BigInt.asIntN(64, t) !== t) fail(line, `time ${text} is outside the int64 range`);
    return t;
  };
  let handler: RowHandler | undefined;
  const header = (row: string[], line: number): RowHandler => {
    const names = row.map((h) => h.trim());
    if (names.join(',').toLowerCase() === LONG_HEADER) {
      return (r, at) => {
        if (r.length !== 4) fail(at, `expected 4 fields (device,measurement,time,value), got ${r.length}`);
        return points.add(r[0]!, r[1]!, time(r[2]!, at), r[3]!, at);
      };
    }
    if (!/^(time|timestamp)$/i.test(names[0] ?? '')) {
      fail(line, `the header must be device,measurement,time,value or start with a column named time, got ${JSON.stringify(row.join(','))}`);
    }
    const cols = names.slice(1).map((h) => {
      const full = h.startsWith('root.') && h.indexOf('.', 5) > 0;
      const device = full ? h.slice(0, h.lastIndexOf('.')) : options.device;
      if (device === undefined) fail(line, `column "${h}" is not a full path (root.….measurement): give the device with --device`);
      return { device: device!, measurement: full ? h.slice(h.lastIndexOf('.') + 1) : h };
    });
    const rest = async (r: string[], at: number, t: number | bigint, from: number, pending: Promise<void>): Promise<void> => {
      await pending;
      for (let k = from; k < cols.length; k++) {
        const v = r[k + 1]!;
        if (v !== '') await points.add(cols[k]!.device, cols[k]!.measurement, t, v, at);
      }
    };
    return (r, at) => {
      if (r.length !== names.length) fail(at, `expected ${names.length} fields as in the header, got ${r.length}`);
      const t = time(r[0]!, at);
      for (let k = 0; k < cols.length; k++) {
        const v = r[k + 1]!;
        if (v === '') continue;
        const pending = points.add(cols[k]!.device, cols[k]!.measurement, t, v, at);
        if (pending !== undefined) return rest(r, at, t, k + 1, pending);
      }
      return undefined;
    };
  };
  const handle = async (rows: string[][], lines: number[]): Promise<void> => {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.length === 1 && row[0] === '') continue;
      if (handler === undefined) handler = header(row, lines[i]!);
      else {
        const pending = handler(row, lines[i]!);
        if (pending !== undefined) await pending;
      }
    }
  };
  try {
    for await (const chunk of chunks) {
      throwIfAborted(options.signal);
      const rows = parser.push(chunk);
      await handle(rows, parser.lines);
    }
    const rows = parser.end();
    await handle(rows, parser.lines);
    if (handler === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the CSV is empty (no header)', options.file !== undefined ? { file: options.file } : {});
    return await points.finish();
  } finally {
    await points.dispose();
  }
}
