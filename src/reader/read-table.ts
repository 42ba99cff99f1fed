/**
 * One Arrow Table for a file: a table-model table as its rows (`time, <tags>, <fields>`), or the
 * tree model in long form (`device`, `time`, the union of measurements; see long-form.ts for how
 * clashing column names are resolved).
 */
import { Table } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ReaderOptions } from './options.js';
import { planLongForm } from './long-form.js';
import { planTableScan } from './table-scan.js';
import { type ReaderSource, type ScanOptions, TsFileReader } from './tsfile-reader.js';

export type ReadTableOptions = ReaderOptions & ScanOptions;

/**
 * Reads a file (path, bytes, ByteSource or an open reader, which stays open) into one Table. With
 * `table`, that table of a table-model file; a file whose devices all belong to one table gives
 * that table by default; otherwise the long form of the selected devices.
 */
export async function readTable(source: ReaderSource | TsFileReader, options: ReadTableOptions = {}): Promise<Table> {
  const reader = source instanceof TsFileReader ? source : await TsFileReader.open(source, options);
  try {
    let table = options.table;
    if (table === undefined && options.devices === undefined && options.measurements === undefined) {
      const devices = await reader.devices();
      const tables = new Set(devices.map((d) => (d.model === 'table' ? d.table : '')));
      if (devices.length > 0 && tables.size === 1 && !tables.has('')) table = [...tables][0];
    }
    if (table !== undefined) {
      if (options.devices !== undefined || options.measurements !== undefined) {
        throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a table is selected with columns and tags, not devices or measurements');
      }
      const batches = [];
      for await (const { batch } of reader.scan({ ...options, table })) batches.push(batch);
      if (batches.length > 0) return new Table(batches);
      // No rows: still the table's schema.
      const schema = reader.metadata.tableSchemas.get(table)!;
      return new Table(planTableScan(schema, [], { ...options, table }, reader.timeTyping).schema);
    }
    const form = await planLongForm(reader, options);
    const batches = [];
    for await (const { device, batch } of reader.scan(options)) batches.push(form.fit(device, batch));
    return new Table(form.schema, batches);
  } finally {
    if (!(source instanceof TsFileReader)) await reader.close();
  }
}
