/**
 * Optional schema creation before writing: timeseries registered with type, encoding and
 * compression first (connectors.md §1.2 nonQuery DDL, §1.4 CREATE TABLE). Statements for
 * tree-model timeseries (aligned or not) and IoTDB 2.x tables, and the status codes that mean the
 * schema is already there.
 */
import type { BatchView, TsTypeName } from '../core/columns.js';
import { quoteNode as pathNode, quotePath } from './path-names.js';

export type SchemaEncoding = 'PLAIN' | 'RLE' | 'TS_2DIFF' | 'GORILLA' | 'DICTIONARY' | 'ZIGZAG' | 'CHIMP' | 'SPRINTZ' | 'RLBE';

export interface SchemaOptions {
  /** Encoding per type; defaults: BOOLEAN RLE, integers TS_2DIFF, floats GORILLA, text PLAIN. */
  encodings?: Partial<Record<TsTypeName, SchemaEncoding>>;
  /** Compressor for every series (default LZ4). */
  compressor?: string;
}

const DEFAULT_ENCODING: Record<TsTypeName, SchemaEncoding> = {
  BOOLEAN: 'RLE', INT32: 'TS_2DIFF', INT64: 'TS_2DIFF', DATE: 'TS_2DIFF', TIMESTAMP: 'TS_2DIFF', FLOAT: 'GORILLA', DOUBLE: 'GORILLA',
  TEXT: 'PLAIN', STRING: 'PLAIN', BLOB: 'PLAIN',
};

/** TSStatus codes that mean "already exists" for DDL: database and timeseries. */
export const ALREADY_EXISTS = [501, 503];


/** Statements registering every measurement of a tree-model device. */
export function treeSchemaStatements(view: BatchView, device: string, aligned: boolean, o: SchemaOptions = {}): string[] {
  const enc = (t: TsTypeName): string => o.encodings?.[t] ?? DEFAULT_ENCODING[t];
  const comp = o.compressor ?? 'LZ4';
  if (aligned) {
    const cols = view.columns.map((c) => `${pathNode(c.name)} ${c.type} encoding=${enc(c.type)} compressor=${comp}`);
    return [`CREATE ALIGNED TIMESERIES ${quotePath(device)}(${cols.join(', ')})`];
  }
  return view.columns.map((c) => `CREATE TIMESERIES ${quotePath(device)}.${pathNode(c.name)} WITH DATATYPE=${c.type}, ENCODING=${enc(c.type)}, COMPRESSOR=${comp}`);
}

function ident(name: string): string { return `"${name.replace(/"/g, '""')}"`; }

/** Statements creating the database and table of a table-model batch (IF NOT EXISTS, idempotent). */
export function tableSchemaStatements(view: BatchView, database: string, table: string, tagColumns: string[]): string[] {
  const cols = [...tagColumns.map((t) => `${ident(t)} STRING TAG`), ...view.columns.map((c) => `${ident(c.name)} ${c.type} FIELD`)];
  return [`CREATE DATABASE IF NOT EXISTS ${ident(database)}`, `CREATE TABLE IF NOT EXISTS ${ident(database)}.${ident(table)} (${cols.join(', ')})`];
}

/** Tag column names of a table-model batch: explicit option, else `tag1..n`. */
export function tagColumnsOf(view: BatchView, explicit?: string[]): string[] {
  const n = view.tags?.length ?? 0;
  if (explicit !== undefined && explicit.length >= n) return explicit.slice(0, n);
  return Array.from({ length: n }, (_, i) => explicit?.[i] ?? `tag${i + 1}`);
}
