/**
 * Arrow IPC stream export. A stream has one schema, so every device's rows are written against the
 * union of all series: `device` (Utf8), `time` (Int64), then one nullable column per measurement
 * name (a name used with two different types gets one column per type, named `name:TYPE`).
 */
import { type Data, Field, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, Utf8 } from 'apache-arrow';
import { constantUtf8 } from '../arrow/constant.js';
import type { TsFileReader, ScanOptions } from '../reader/tsfile-reader.js';
import { measurementField, timeField, TSFILE_TYPE_KEY } from '../arrow/types.js';
import { ColumnCategory, parseDataTypeName } from '../format/codes.js';
import { nullColumn } from '../reader/device-windows.js';
import type { TextSink } from './text-sink.js';

/** Schema metadata key of the devices' layout: `{devices: {path: {aligned, table?, tags?}}, tables: {name: {tags, fields}}}`. */
export const TSFILE_LAYOUT_KEY = 'tsfile.layout';

export interface ArrowLayout {
  devices: Record<string, { aligned: boolean; table?: string; tags?: (string | null)[] }>;
  tables: Record<string, { tags: string[]; fields: string[] }>;
}

export async function unionSchema(reader: TsFileReader): Promise<Schema> {
  const byName = new Map<string, Set<string>>();
  const layout: ArrowLayout = { devices: {}, tables: {} };
  for (const d of await reader.devices()) {
    if (d.model === 'table') {
      layout.devices[d.path] = { aligned: true, table: d.table, tags: [...d.tags] };
      if (layout.tables[d.table] === undefined) {
        const schema = reader.metadata.tableSchemas.get(d.table);
        const tags = schema?.columns.filter((c) => c.category === ColumnCategory.TAG).map((c) => c.name) ?? [];
        while (tags.length < d.tags.length) tags.push(`tag${tags.length + 1}`);
        layout.tables[d.table] = { tags, fields: [] };
      }
      const fields = layout.tables[d.table]!.fields;
      for (const s of await reader.timeseries(d.path)) if (!fields.includes(s.measurement)) fields.push(s.measurement);
    } else layout.devices[d.path] = { aligned: d.aligned };
    for (const s of await reader.timeseries(d.path)) {
      let types = byName.get(s.measurement);
      if (types === undefined) byName.set(s.measurement, (types = new Set()));
      types.add(s.dataType);
    }
  }
  const time = reader.timeTyping;
  const fields: Field[] = [new Field('device', new Utf8(), false), timeField(time)];
  for (const [name, types] of byName) {
    for (const t of types) fields.push(measurementField(types.size > 1 ? `${name}:${t}` : name, parseDataTypeName(t), {}, time));
  }
  return new Schema(fields, new Map([[TSFILE_LAYOUT_KEY, JSON.stringify(layout)]]));
}

export async function exportArrowIpc(reader: TsFileReader, out: TextSink, options: ScanOptions & { onProgress?: (rows: number) => void } = {}): Promise<number> {
  const schema = await unionSchema(reader);
  const position = new Map(schema.fields.map((f, i) => [f.name, i]));
  const writer = new RecordBatchStreamWriter();
  const pump = (async () => {
    for await (const chunk of writer) await out.write(chunk);
  })();
  let rows = 0;
  try {
    writer.reset(undefined, schema);
    const type = new Struct(schema.fields);
    for await (const { device, batch } of reader.scan(options)) {
      const n = batch.numRows;
      const children: Data[] = new Array(schema.fields.length);
      children[0] = constantUtf8(device, n);
      children[1] = batch.getChildAt(0)!.data[0]!;
      batch.schema.fields.slice(1).forEach((f, k) => {
        const t = f.metadata.get(TSFILE_TYPE_KEY)!;
        const i = position.get(f.name) ?? position.get(`${f.name}:${t}`)!;
        children[i] = batch.getChildAt(k + 1)!.data[0]!;
      });
      for (let i = 2; i < children.length; i++) {
        if (children[i] === undefined) children[i] = nullColumn(parseDataTypeName(schema.fields[i]!.metadata.get(TSFILE_TYPE_KEY)!), n).clone(schema.fields[i]!.type);
      }
      writer.write(new RecordBatch(schema, makeData({ type, length: n, nullCount: 0, children })));
      rows += n;
      options.onProgress?.(rows);
    }
  } finally {
    writer.close();
    await pump;
  }
  return rows;
}
