/**
 * DuckDB SQL over TsFiles, in process: the tree-model devices are the table `tsfile` in long form
 * (device, time, one column per measurement) and each table-model table is a table of its own name
 * (tag columns, time, fields). Only the tables the statement names are read, and when it reads one
 * table under top-level `time` comparisons (AND-ed, against constants), those bounds go to the
 * reader's time-range pushdown — a superset of the rows DuckDB then filters exactly.
 */
import { ErrorCode, TsFileError } from '../../io/errors.js';
import type { TsFileReader } from '../../reader/tsfile-reader.js';
import { fitBatch, planParquetParts, type ParquetPart } from '../../export/parquet-layout.js';
import { DuckDBSink, loadDuckDB } from './sink.js';
import { quoteLiteral } from './column-types.js';

export const TREE_TABLE = 'tsfile';

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface QueryResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
  /** The tables read, with the time range pushed to the reader (undefined = the whole table). */
  scans: { table: string; rows: number; startTime?: bigint; endTime?: bigint }[];
}

type Json = { [k: string]: unknown };

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit);
  } else if (node !== null && typeof node === 'object') {
    visit(node as Json);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

interface Bounds { start?: bigint; end?: bigint }

function isTimeColumn(n: unknown): boolean {
  const e = n as Json | undefined;
  if (e?.class !== 'COLUMN_REF') return false;
  const names = e.column_names as string[];
  return names[names.length - 1]?.toLowerCase() === 'time';
}

/** The constant of a comparison as SQL text DuckDB can turn into epoch milliseconds, or undefined. */
function constantSql(n: unknown): string | undefined {
  const e = n as Json | undefined;
  if (e?.class === 'CONSTANT') {
    const v = e.value as { type: { id: string }; is_null: boolean; value: unknown };
    if (v.is_null) return undefined;
    if (/INT/.test(v.type.id)) return `epoch_ms(${String(v.value)}::BIGINT)`;
    if (v.type.id === 'VARCHAR') return `${quoteLiteral(String(v.value))}::TIMESTAMP`;
    return undefined;
  }
  if (e?.class === 'CAST') {
    const target = (e.cast_type as { id: string }).id;
    const inner = constantSql(e.child);
    if (inner !== undefined && /^TIMESTAMP/.test(target)) return inner;
  }
  return undefined;
}

/** Time bounds implied by the top-level AND of a WHERE clause (comparisons of `time` with constants). */
function timeConditions(where: unknown, out: { op: string; sql: string }[]): void {
  const e = where as Json | undefined;
  if (e === undefined || e === null) return;
  if (e.class === 'CONJUNCTION' && e.type === 'CONJUNCTION_AND') {
    for (const c of e.children as unknown[]) timeConditions(c, out);
    return;
  }
  if (e.class === 'BETWEEN' && isTimeColumn(e.input)) {
    const lo = constantSql(e.lower);
    const hi = constantSql(e.upper);
    if (lo !== undefined) out.push({ op: '>=', sql: lo });
    if (hi !== undefined) out.push({ op: '<=', sql: hi });
    return;
  }
  if (e.class !== 'COMPARISON') return;
  const flip: Record<string, string> = { COMPARE_GREATERTHAN: '<', COMPARE_GREATERTHANOREQUALTO: '<=', COMPARE_LESSTHAN: '>', COMPARE_LESSTHANOREQUALTO: '>=', COMPARE_EQUAL: '=' };
  const same: Record<string, string> = { COMPARE_GREATERTHAN: '>', COMPARE_GREATERTHANOREQUALTO: '>=', COMPARE_LESSTHAN: '<', COMPARE_LESSTHANOREQUALTO: '<=', COMPARE_EQUAL: '=' };
  const op = String(e.type);
  if (isTimeColumn(e.left) && same[op] !== undefined) {
    const c = constantSql(e.right);
    if (c !== undefined) out.push({ op: same[op], sql: c });
  } else if (isTimeColumn(e.right) && flip[op] !== undefined) {
    const c = constantSql(e.left);
    if (c !== undefined) out.push({ op: flip[op], sql: c });
  }
}

type Connection = import('@duckdb/node-api').DuckDBConnection;

/** What the statement reads: the base tables it names, and time bounds when it is one plain SELECT of one table. */
async function analyse(conn: Connection, sql: string): Promise<{ tables: Set<string>; single?: string; bounds: Bounds }> {
  const text = (await conn.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(sql)})`)).getRows()[0]![0] as string;
  const tree = JSON.parse(text) as { error: boolean; error_message?: string; statements: { node: Json }[] };
  if (tree.error) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `the SQL does not parse: ${tree.error_message ?? 'syntax error'}`, { actual: sql });
  const tables = new Set<string>();
  walk(tree.statements, (n) => {
    if (n.type === 'BASE_TABLE' && typeof n.table_name === 'string') tables.add(n.table_name);
  });
  const bounds: Bounds = {};
  const node = tree.statements.length === 1 ? tree.statements[0]!.node : undefined;
  const from = node?.from_table as Json | undefined;
  if (node?.type !== 'SELECT_NODE' || from?.type !== 'BASE_TABLE' || tables.size !== 1) return { tables, bounds };
  const conditions: { op: string; sql: string }[] = [];
  timeConditions(node.where_clause, conditions);
  for (const c of conditions) {
    const ms = BigInt(String((await conn.runAndReadAll(`SELECT epoch_ms(${c.sql})`)).getRows()[0]![0]));
    // Inclusive bounds that keep every row the condition keeps (DuckDB applies it exactly after).
    if (c.op !== '<' && c.op !== '<=' && (bounds.start === undefined || ms > bounds.start)) bounds.start = ms;
    if (c.op !== '>' && c.op !== '>=' && (bounds.end === undefined || ms < bounds.end)) bounds.end = ms;
  }
  return { tables, single: from.table_name as string, bounds };
}

function tableNameOf(part: ParquetPart): string {
  return part.kind === 'long' ? TREE_TABLE : part.name;
}

/** Runs `sql` over the readers' data in an in-memory DuckDB; returns every row. */
export async function queryTsFiles(sql: string, readers: readonly TsFileReader[], options: QueryOptions = {}): Promise<QueryResult> {
  const { api } = await loadDuckDB();
  const instance = await api.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const parts = await planParquetParts(readers, {});
    const analysis = await analyse(conn, sql);
    const scans: QueryResult['scans'] = [];
    for (const part of parts) {
      const name = tableNameOf(part);
      if (![...analysis.tables].some((t) => t.toLowerCase() === name.toLowerCase())) continue;
      const bounds = analysis.single?.toLowerCase() === name.toLowerCase() ? analysis.bounds : {};
      const sink = await DuckDBSink.onConnection(conn, { table: name, deviceColumn: false });
      let rows = 0;
      for (let i = 0; i < part.devices.length;) {
        const reader = part.devices[i]!.reader;
        const group = new Map<string, ParquetPart['devices'][number]>();
        for (; i < part.devices.length && part.devices[i]!.reader === reader; i++) group.set(part.devices[i]!.device.path, part.devices[i]!);
        const scan = reader.scan({
          devices: [...group.keys()],
          ...(bounds.start !== undefined ? { startTime: bounds.start } : {}),
          ...(bounds.end !== undefined ? { endTime: bounds.end } : {}),
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        });
        for await (const { device, batch } of scan) {
          if (batch.numRows === 0) continue;
          await sink.write({ device, batch: fitBatch(part, group.get(device)!.device, batch) });
          rows += batch.numRows;
        }
      }
      await sink.close();
      scans.push({ table: name, rows, ...(bounds.start !== undefined ? { startTime: bounds.start } : {}), ...(bounds.end !== undefined ? { endTime: bounds.end } : {}) });
    }
    let result;
    try {
      result = await conn.runAndReadAll(sql);
    } catch (e) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `DuckDB: ${(e as Error).message}`, { cause: e });
    }
    return { columns: result.columnNames(), types: result.columnTypes().map((t) => t.toString()), rows: result.getRows(), scans };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
