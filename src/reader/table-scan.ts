/**
 * The table model as tables (tsfile-format.md §3.2, §13.7): a table's schema from TsFileMetadata,
 * and its rows as batches `time, <tag columns>, <field columns>`, one device (tag-value tuple) at a
 * time. Tags come from the device id (a missing trailing segment is a null tag) as dictionary-
 * encoded Utf8 whose dictionary, built from the index, is the same in every batch of the scan.
 */
import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { constantDictionaryData, utf8Dictionary, utf8DictionaryType } from '../arrow/dictionary.js';
import { TIME_UNIT_KEY } from '../arrow/time-unit.js';
import { measurementField, timeField, TSFILE_TYPE_KEY, type TimeTyping } from '../arrow/types.js';
import { ColumnCategory, compressionName, dataTypeName, encodingName, parseDataTypeName } from '../format/codes.js';
import type { TableSchema } from '../format/file-metadata.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { nullColumn } from './device-windows.js';

/** Field metadata key of a table column's category. */
export const CATEGORY_KEY = 'tsfile.category';

export type ColumnCategoryName = 'TAG' | 'FIELD' | 'ATTRIBUTE';

export interface TableColumnInfo {
  name: string;
  category: ColumnCategoryName;
  dataType: string;
  encoding: string;
  compression: string;
}

export interface TableInfo {
  name: string;
  columns: TableColumnInfo[];
}

const CATEGORY_NAMES: Record<number, ColumnCategoryName> = { [ColumnCategory.TAG]: 'TAG', [ColumnCategory.FIELD]: 'FIELD', [ColumnCategory.ATTRIBUTE]: 'ATTRIBUTE' };

export function tableInfo(schema: TableSchema): TableInfo {
  return {
    name: schema.tableName,
    columns: schema.columns.map((c) => ({
      name: c.name,
      category: CATEGORY_NAMES[c.category] ?? 'FIELD',
      dataType: dataTypeName(c.dataType),
      encoding: encodingName(c.encoding),
      compression: compressionName(c.compression),
    })),
  };
}

/** A device of the table as the index lists it. */
export interface TableDevice {
  path: string;
  /** JSON of the id's segments after the table name, as scan batches carry it in `tsfile.tags`. */
  key: string;
  /** Tag values in the table's tag-column order (null = null tag). */
  tags: (string | null)[];
}

/** What a table scan selects, checked against the table's schema. */
export interface TablePlan {
  schema: Schema;
  tagNames: string[];
  /** Tag columns in the output, as indices into `tagNames`. */
  tagColumns: number[];
  fieldNames: string[];
  /** Devices whose tags pass the filter. */
  devices: TableDevice[];
  dictionaries: ReturnType<typeof utf8Dictionary>[];
  /** Dictionary index of each (device, tag). */
  tagIndex: Map<string, (number | null)[]>;
}

export interface TableSelection {
  table: string;
  /** Tag and field columns to return, default all (ATTRIBUTE columns hold no data in a TsFile). */
  columns?: readonly string[];
  /** Keep only devices whose tags equal these values (null: the tag is null). */
  tags?: Readonly<Record<string, string | null>>;
}

/** Resolves a selection: output schema, matching devices and the tag dictionaries. */
export function planTableScan(schema: TableSchema, devicesOfTable: { path: string; segments: readonly (string | null)[] }[], sel: TableSelection, time: TimeTyping, file?: string): TablePlan {
  const tagCols = schema.columns.filter((c) => c.category === ColumnCategory.TAG);
  const fieldCols = schema.columns.filter((c) => c.category === ColumnCategory.FIELD);
  const tagNames = tagCols.map((c) => c.name);
  const known = new Set([...tagNames, ...fieldCols.map((c) => c.name)]);
  for (const c of sel.columns ?? []) {
    if (!known.has(c)) throw new TsFileError(ErrorCode.NOT_FOUND, `table ${schema.tableName} has no tag or field column "${c}"`, { file, expected: [...known].join(', '), actual: c });
  }
  const wanted = sel.columns === undefined ? undefined : new Set(sel.columns);
  const filter = Object.entries(sel.tags ?? {});
  for (const [k] of filter) {
    if (!tagNames.includes(k)) throw new TsFileError(ErrorCode.NOT_FOUND, `table ${schema.tableName} has no tag column "${k}"`, { file, expected: tagNames.join(', '), actual: k });
  }
  const devices: TableDevice[] = [];
  for (const d of devicesOfTable) {
    const tags = tagNames.map((_, i) => d.segments[i + 1] ?? null);
    if (filter.every(([k, v]) => tags[tagNames.indexOf(k)] === v)) devices.push({ path: d.path, key: JSON.stringify(d.segments.slice(1)), tags });
  }
  const tagColumns = tagNames.map((_, i) => i).filter((i) => wanted === undefined || wanted.has(tagNames[i]!));
  const fields = fieldCols.filter((c) => wanted === undefined || wanted.has(c.name));
  // Dictionaries list each tag's distinct values in byte order: the same for every batch and every run.
  const dictionaries = tagNames.map((_, i) => utf8Dictionary([...new Set(devices.map((d) => d.tags[i]).filter((v): v is string => v !== null))].sort(compareCodeUnits)));
  const positions = dictionaries.map((dict) => new Map([...dict].map((v, k) => [v as string, k])));
  const tagIndex = new Map(devices.map((d) => [d.key, d.tags.map((v, i) => (v === null ? null : positions[i]!.get(v)!))]));
  const out: Field[] = [timeField(time)];
  for (const i of tagColumns) out.push(new Field(tagNames[i]!, utf8DictionaryType(), true, new Map([[TSFILE_TYPE_KEY, 'STRING'], [CATEGORY_KEY, 'TAG']])));
  for (const c of fields) out.push(measurementField(c.name, c.dataType, { [CATEGORY_KEY]: 'FIELD', 'tsfile.encoding': encodingName(c.encoding), 'tsfile.compression': compressionName(c.compression) }, time));
  const meta = new Map([
    ['tsfile.table', schema.tableName],
    ['tsfile.aligned', 'true'],
    [TIME_UNIT_KEY, time.unit ?? 'ms'],
  ]);
  return { schema: new Schema(out, meta), tagNames, tagColumns, fieldNames: fields.map((c) => c.name), devices, dictionaries, tagIndex };
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One device batch (time, then the device's selected fields) as a batch of the table plan's schema. */
export function toTableBatch(plan: TablePlan, batch: RecordBatch): RecordBatch {
  const n = batch.numRows;
  const tagIdx = plan.tagIndex.get(batch.schema.metadata.get('tsfile.tags')!)!;
  const children: Data[] = [batch.getChildAt(0)!.data[0]!];
  const fields = plan.schema.fields;
  let k = 1;
  for (const i of plan.tagColumns) {
    children.push(constantDictionaryData(fields[k]!.type, plan.dictionaries[i]!, tagIdx[i]!, n));
    k++;
  }
  for (; k < fields.length; k++) {
    const f = fields[k]!;
    const col = batch.getChild(f.name);
    children.push(col !== null ? col.data[0]! : nullColumn(parseDataTypeName(f.metadata.get(TSFILE_TYPE_KEY)!), n).clone(f.type));
  }
  return new RecordBatch(plan.schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
}
