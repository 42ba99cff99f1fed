/**
 * The canonical long CSV (`device,measurement,time,value`, see ../shared/fixtures/README.md):
 * devices and measurements sorted as UTF-8 byte strings, points in time order, nulls omitted,
 * RFC 4180 quoting. Each series is scanned on its own, so memory stays at one page per series.
 */
import type { TsFileReader } from '../reader/tsfile-reader.js';
import { compilePathPatterns } from '../reader/path-pattern.js';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { epochWords } from '../arrow/epoch-values.js';
import { formatInt64, formatterFor, isValid } from './value-format.js';
import type { TextSink } from './text-sink.js';

const encoder = new TextEncoder();

export function compareUtf8(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** RFC 4180: quote a field containing a comma, a quote, CR or LF; double inner quotes. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface ExportProgress {
  (pointsDone: number): void;
}

export interface CsvExportOptions {
  devices?: readonly string[];
  measurements?: readonly string[];
  startTime?: bigint | number;
  endTime?: bigint | number;
  signal?: AbortSignal;
  onProgress?: ExportProgress;
  /** Write the header line (default true; false when appending another file's rows). */
  header?: boolean;
}

/** Writes the canonical CSV of a file to `out`; returns the number of points written. */
export async function exportCsv(reader: TsFileReader, out: TextSink, options: CsvExportOptions = {}): Promise<number> {
  if (options.header !== false) await out.write('device,measurement,time,value\n');
  const matches = options.devices === undefined ? () => true : compilePathPatterns(options.devices);
  const devices = (await reader.devices()).map((d) => d.path).filter(matches).sort(compareUtf8);
  const wanted = options.measurements === undefined ? undefined : new Set(options.measurements);
  let points = 0;
  for (const device of devices) {
    const series = (await reader.timeseries(device)).map((s) => s.measurement).filter((m) => wanted === undefined || wanted.has(m));
    series.sort(compareUtf8);
    const prefix = `${csvField(device)},`;
    for (const m of series) {
      const head = `${prefix}${csvField(m)},`;
      const scan = reader.scan({
        devices: [device],
        measurements: [m],
        startTime: options.startTime,
        endTime: options.endTime,
        signal: options.signal,
      });
      for await (const { batch } of scan) {
        const words = epochWords(batch.getChildAt(0)!.data[0]!);
        const col = batch.getChildAt(1)!.data[0]!;
        const type = batch.schema.fields[1]!.metadata.get(TSFILE_TYPE_KEY)!;
        const fmt = formatterFor(type, col);
        const quote = type === 'TEXT' || type === 'STRING';
        let text = '';
        for (let i = 0; i < batch.numRows; i++) {
          if (!isValid(col, i)) continue;
          const v = fmt(i);
          text += `${head}${formatInt64(words, i)},${quote ? csvField(v) : v}\n`;
          points++;
        }
        await out.write(text);
        options.onProgress?.(points);
      }
    }
  }
  return points;
}
