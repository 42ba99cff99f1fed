/**
 * JSON lines: one object per row, `{"device": ..., "time": ..., "<measurement>": value, ...}`, nulls
 * omitted. Integers beyond 2^53, NaN and ±Infinity are written as strings so nothing is lost;
 * DATE as "YYYY-MM-DD", BLOB as "0x..." hex.
 */
import type { Data } from 'apache-arrow';
import type { TsFileReader, ScanOptions } from '../reader/tsfile-reader.js';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { epochWords } from '../arrow/epoch-values.js';
import { formatInt64, formatterFor, isValid } from './value-format.js';
import type { TextSink } from './text-sink.js';

type JsonCell = (row: number) => string;

export function jsonCell(type: string, data: Data): JsonCell {
  const fmt = formatterFor(type, data);
  switch (type) {
    case 'BOOLEAN':
    case 'INT32':
      return fmt;
    case 'INT64':
    case 'TIMESTAMP':
      return (i) => {
        const s = fmt(i);
        return Number.isSafeInteger(Number(s)) ? s : JSON.stringify(s);
      };
    case 'FLOAT':
    case 'DOUBLE':
      return (i) => {
        const s = fmt(i);
        return s === 'NaN' || s === 'Infinity' || s === '-Infinity' ? JSON.stringify(s) : s === '-0' ? '-0.0' : s;
      };
    default:
      return (i) => JSON.stringify(fmt(i));
  }
}

export async function exportJsonLines(reader: TsFileReader, out: TextSink, options: ScanOptions & { onProgress?: (points: number) => void } = {}): Promise<number> {
  let rows = 0;
  let points = 0;
  for await (const { device, batch } of reader.scan(options)) {
    const words = epochWords(batch.getChildAt(0)!.data[0]!);
    const cols = batch.schema.fields.slice(1).map((f, k) => {
      const data = batch.getChildAt(k + 1)!.data[0]!;
      return { key: `,${JSON.stringify(f.name)}:`, data, cell: jsonCell(f.metadata.get(TSFILE_TYPE_KEY)!, data) };
    });
    const head = `{"device":${JSON.stringify(device)},"time":`;
    let text = '';
    for (let i = 0; i < batch.numRows; i++) {
      const t = formatInt64(words, i);
      let line = head + (Number.isSafeInteger(Number(t)) ? t : JSON.stringify(t));
      for (const c of cols) {
        if (!isValid(c.data, i)) continue;
        line += c.key + c.cell(i);
        points++;
      }
      text += `${line}}\n`;
    }
    rows += batch.numRows;
    await out.write(text);
    options.onProgress?.(points);
  }
  return rows;
}
