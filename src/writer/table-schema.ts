/**
 * Table schemas of the table model (tsfile-format.md §13.7, §3.2): columns in declaration order, each
 * a MeasurementSchema (istr name, type, encoding, compression, i32 property count) plus an i32
 * column category. TAG columns are STRING, produce no chunks and become device-id segments.
 */
import { ColumnCategory, Compression, DataType, Encoding } from '../format/codes.js';
import type { ByteBuffer } from './byte-buffer.js';

export interface TableColumn {
  name: string;
  dataType: DataType;
  category: ColumnCategory;
  encoding: Encoding;
  compression: Compression;
}

export interface TableSchema {
  tableName: string;
  columns: readonly TableColumn[];
}

/** Serializes the schema body (the table name is written by the caller, §13.5 field 4). */
export function writeTableSchema(out: ByteBuffer, schema: TableSchema): void {
  out.uvarint(schema.columns.length);
  for (const c of schema.columns) {
    out.istr(c.name).u8(c.dataType).u8(c.encoding).u8(c.compression);
    out.i32(0);
    out.i32(c.category);
  }
}

/** Default schema fields of a TAG column: STRING, PLAIN, UNCOMPRESSED (§17.5). */
export function tagColumn(name: string): TableColumn {
  return { name, dataType: DataType.STRING, category: ColumnCategory.TAG, encoding: Encoding.PLAIN, compression: Compression.UNCOMPRESSED };
}
