/** TsFileMetadata (§13.5, v3 and v4) and TableSchema (§13.7): what the footer points at. */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import { checkCompression, checkDataType, checkEncoding, type Compression, type DataType, type Encoding } from './codes.js';
import { readMetadataIndexNode, type MetadataIndexNode } from './metadata-index.js';
import { readBloomFilter } from './bloom-filter.js';

export interface TableColumnSchema {
  name: string;
  dataType: DataType;
  encoding: Encoding;
  compression: Compression;
  properties: Map<string, string | null>;
  /** 0 = TAG (ID), 1 = FIELD (MEASUREMENT), 2 = ATTRIBUTE. */
  category: number;
}

export interface TableSchema {
  tableName: string;
  columns: TableColumnSchema[];
}

/** The bloom filter as read (checked: 1..8 hash functions, a size that covers its bytes). */
export interface BloomFilterData {
  /** BitSet.toByteArray layout, possibly shorter than sizeInBits / 8 (missing bytes are zero). */
  bits: Uint8Array;
  sizeInBits: number;
  hashFunctionCount: number;
}

export interface TsFileMetadata {
  /** Table name → device-level root node. v3 files have one root under the table "". */
  tableRoots: Map<string, MetadataIndexNode>;
  tableSchemas: Map<string, TableSchema>;
  /** Offset of the separator byte that ends the data section. */
  metaOffset: number;
  bloomFilter: BloomFilterData | undefined;
  properties: Map<string, string | null>;
}

/** Reads TsFileMetadata; the cursor spans exactly the metadata region named by the footer. */
export function readTsFileMetadata(c: Cursor, version: number): TsFileMetadata {
  const tableRoots = new Map<string, MetadataIndexNode>();
  const tableSchemas = new Map<string, TableSchema>();
  const properties = new Map<string, string | null>();
  if (version === 3) {
    tableRoots.set('', readMetadataIndexNode(c, 3, true));
    const metaOffset = c.offset64('meta offset');
    const bloomFilter = c.remaining > 0 ? readBloomFilter(c) : undefined;
    return { tableRoots, tableSchemas, metaOffset, bloomFilter, properties };
  }
  const tableCount = c.uvarint('table count');
  checkCount(c, tableCount, 2, 'table count');
  for (let i = 0; i < tableCount; i++) {
    const name = c.vstrNonNull('table name');
    tableRoots.set(name, readMetadataIndexNode(c, version, true));
  }
  const schemaCount = c.uvarint('table schema count');
  checkCount(c, schemaCount, 2, 'table schema count');
  for (let i = 0; i < schemaCount; i++) {
    const name = c.vstrNonNull('table schema name');
    tableSchemas.set(name, readTableSchema(c, name));
  }
  const metaOffset = c.offset64('meta offset');
  const bloomFilter = readBloomFilter(c);
  // [quirk] the count is written as a zig-zag varint but read as an unsigned one: read pairs while
  // bytes remain, at most `n` times, and treat running out of bytes as the end (§13.5).
  const n = c.remaining > 0 ? c.uvarint('property count') : 0;
  for (let i = 0; i < n && c.remaining > 0; i++) {
    const key = c.vstr('property key');
    const value = c.remaining > 0 ? c.vstr('property value') : '';
    if (key !== null) properties.set(key, value);
  }
  return { tableRoots, tableSchemas, metaOffset, bloomFilter, properties };
}

function checkCount(c: Cursor, n: number, minBytesEach: number, what: string): void {
  if (n * minBytesEach > c.remaining) {
    throw c.error(ErrorCode.CORRUPT, `${what} exceeds the metadata region`, `<= ${Math.floor(c.remaining / minBytesEach)}`, String(n));
  }
}

function readTableSchema(c: Cursor, tableName: string): TableSchema {
  const n = c.uvarint('table column count');
  checkCount(c, n, 15, 'table column count');
  const columns: TableColumnSchema[] = [];
  for (let i = 0; i < n; i++) {
    const name = c.istr('column name') ?? '';
    const where = () => ({ file: c.file, offset: c.offset - 1 });
    const dataType = checkDataType(c.u8('column data type'), where());
    const encoding = checkEncoding(c.u8('column encoding'), where());
    const compression = checkCompression(c.u8('column compression'), where());
    const propCount = c.i32('column property count');
    const properties = new Map<string, string | null>();
    if (propCount > 0) {
      checkCount(c, propCount, 8, 'column property count');
      for (let k = 0; k < propCount; k++) properties.set(c.istr('property key') ?? '', c.istr('property value'));
    }
    const category = c.i32('column category');
    if (category < 0 || category > 2) throw c.error(ErrorCode.UNKNOWN_CODE, 'unknown column category', '0-2', String(category), c.offset - 4);
    columns.push({ name, dataType, encoding, compression, properties, category });
  }
  return { tableName, columns };
}
