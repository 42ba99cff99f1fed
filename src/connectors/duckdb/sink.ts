/**
 * `DuckDBSink`: loads device batches into a table of an embedded DuckDB database file, in process,
 * through `@duckdb/node-api` (loaded on first use, so importing the core stays light). The table is
 * created from the batches' Arrow schema with exact types (column-types.ts) — a `device` column,
 * `time`, one column per measurement, columns added as new measurements appear — and filled by
 * appending whole data chunks copied column by column (chunk-copy.ts), never a value at a time.
 *
 * Exactly once: the rows written between two flushes form one DuckDB transaction, and the label of
 * that segment is inserted into `tsfile_load_labels` inside the same transaction. A run killed at any
 * point leaves either the whole segment with its label or neither, and the resumed pipeline asks
 * `settle(label)` which of the two it was.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { ErrorCode, TsFileError, throwIfAborted } from '../../io/errors.js';
import type { DeliveryGuarantee, PipeBatch, PipeSinkMetrics, TransactionalPipeSink } from '../../pipeline/types.js';
import { CHUNK_ROWS, constantColumn, copyColumn, type Bindings } from './chunk-copy.js';
import { duckColumnType, quoteIdent, quoteLiteral, type DuckColumnType } from './column-types.js';

type NodeApi = typeof import('@duckdb/node-api');
type Connection = import('@duckdb/node-api').DuckDBConnection;
type Instance = import('@duckdb/node-api').DuckDBInstance;
type Appender = import('@duckdb/node-api').DuckDBAppender;
type RawChunk = import('@duckdb/node-bindings').DataChunk;
type Value = import('@duckdb/node-bindings').Value;

export const LABELS_TABLE = 'tsfile_load_labels';

export interface DuckDBSinkOptions {
  /** The database file (created when missing); ":memory:" for an in-memory database. */
  path: string;
  /** Table to load into (default "tsfile"). */
  table?: string;
  /** Name of the device column (default "device"); false for none (batches that carry their own key columns). */
  deviceColumn?: string | false;
}

let modules: Promise<{ api: NodeApi; bindings: Bindings }> | undefined;

/** @duckdb/node-api and its bindings, loaded once, with a clear error when the native binding is missing. */
export function loadDuckDB(): Promise<{ api: NodeApi; bindings: Bindings }> {
  modules ??= Promise.all([import('@duckdb/node-api'), import('@duckdb/node-bindings')]).then(
    ([api, b]) => ({ api, bindings: (b as unknown as { default: Bindings }).default ?? (b as unknown as Bindings) }),
    (cause: unknown) => {
      modules = undefined;
      throw new TsFileError(ErrorCode.UNSUPPORTED, `DuckDB (@duckdb/node-api) did not load: ${(cause as Error).message}`, { cause });
    },
  );
  return modules;
}

interface Column {
  name: string;
  type: DuckColumnType;
}

/** Where each table column's values come from for one batch layout. */
interface Plan {
  fields: readonly unknown[];
  /** Per table column: the batch column index, -1 for the device, -2 for all null. */
  source: number[];
}

export class DuckDBSink implements TransactionalPipeSink {
  readonly name = 'duckdb';
  readonly guarantee: DeliveryGuarantee = 'exactly-once';
  readonly metrics: PipeSinkMetrics = { rows: 0, bytes: 0, batches: 0, retries: 0, failedBatches: 0, latencyTotalMs: 0, latencyMaxMs: 0 };
  readonly table: string;
  private readonly deviceColumn: string | undefined;
  private columns: Column[] = [];
  private tableExists = false;
  private appender: Appender | undefined;
  private chunk: RawChunk | undefined;
  private chunkWrapper: unknown;
  private inTransaction = false;
  private label: string | undefined;
  private pendingRows = 0;
  private pendingBytes = 0;
  private startedAt = 0;
  private plans = new WeakMap<object, Plan>();
  private readonly deviceValues = new Map<string, Value>();
  private closed = false;

  private constructor(
    private readonly api: NodeApi,
    private readonly b: Bindings,
    private readonly instance: Instance | undefined,
    private readonly conn: Connection,
    options: DuckDBSinkOptions,
  ) {
    this.table = options.table ?? 'tsfile';
    this.deviceColumn = options.deviceColumn === false ? undefined : (options.deviceColumn ?? 'device');
  }

  static async open(options: DuckDBSinkOptions): Promise<DuckDBSink> {
    const { api, bindings } = await loadDuckDB();
    let instance: Instance;
    try {
      instance = await api.DuckDBInstance.create(options.path);
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, `cannot open the DuckDB database: ${(cause as Error).message}`, { file: options.path, cause });
    }
    const conn = await instance.connect();
    const sink = new DuckDBSink(api, bindings, instance, conn, options);
    await sink.init();
    return sink;
  }

  /** A sink writing through an existing connection (which it leaves open on close). */
  static async onConnection(conn: Connection, options: Omit<DuckDBSinkOptions, 'path'>): Promise<DuckDBSink> {
    const { api, bindings } = await loadDuckDB();
    const sink = new DuckDBSink(api, bindings, undefined, conn, { path: '', ...options });
    await sink.init();
    return sink;
  }

  private async init(): Promise<void> {
    await this.conn.run(`CREATE TABLE IF NOT EXISTS ${LABELS_TABLE} (label VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, rows BIGINT NOT NULL, committed_at TIMESTAMP NOT NULL)`);
    const rows = (await this.conn.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${quoteLiteral(this.table)} ORDER BY ordinal_position`,
    )).getRows();
    this.tableExists = rows.length > 0;
    this.columns = rows.map((r) => ({ name: String(r[0]), type: sqlOnly(String(r[1])) }));
  }

  /** The connection, for queries after loading (the sink keeps it open until close). */
  get connection(): Connection {
    return this.conn;
  }

  useLabel(label: string): void {
    this.label = label;
  }

  async settle(label: string): Promise<'committed' | 'absent'> {
    if (this.inTransaction) await this.abort();
    const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${LABELS_TABLE} WHERE label = ${quoteLiteral(label)}`);
    return Number(r.getRows()[0]![0]) > 0 ? 'committed' : 'absent';
  }

  async abort(): Promise<void> {
    this.dropAppender();
    if (this.inTransaction) {
      this.inTransaction = false;
      await this.conn.run('ROLLBACK');
    }
    this.pendingRows = 0;
    this.pendingBytes = 0;
    // A rolled-back CREATE/ALTER leaves the table as it was: read its columns again.
    await this.init();
    this.plans = new WeakMap();
  }

  async write(item: PipeBatch, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.closed) throw new TsFileError(ErrorCode.CLOSED, 'the DuckDB sink is closed');
    const batch = item.batch;
    if (batch.numRows === 0) return;
    if (!this.inTransaction) {
      await this.conn.run('BEGIN TRANSACTION');
      this.inTransaction = true;
      this.startedAt = performance.now();
    }
    const plan = await this.planFor(batch);
    if (this.appender === undefined) await this.openAppender();
    const b = this.b;
    const chunk = this.chunk!;
    const device = this.deviceValue(item.device);
    const datas = batch.schema.fields.map((_, j) => batch.getChildAt(j)!.data);
    for (let from = 0; from < batch.numRows; from += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, batch.numRows - from);
      b.data_chunk_reset(chunk);
      b.data_chunk_set_size(chunk, n);
      for (let c = 0; c < this.columns.length; c++) {
        const vector = b.data_chunk_get_vector(chunk, c);
        const s = plan.source[c]!;
        if (s === -1) {
          constantColumn(b, vector, device);
          continue;
        }
        const column = this.columns[c]!;
        if (s === -2) {
          copyColumn(b, vector, null, column.type, 0, n);
          continue;
        }
        const [data, at] = locate(datas[s]!, from);
        if (at + n <= data.length) copyColumn(b, vector, data, column.type, at, n);
        else copyColumn(b, vector, sliceAcross(datas[s]!, from, n), column.type, 0, n);
        this.pendingBytes += n * Math.max(1, column.type.width);
      }
      this.appender!.appendDataChunk(this.chunkWrapper as never);
    }
    this.pendingRows += batch.numRows;
  }

  async flush(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (!this.inTransaction) return;
    try {
      this.appender?.flushSync();
      this.dropAppender();
      if (this.label !== undefined) {
        await this.conn.run(`INSERT INTO ${LABELS_TABLE} VALUES (${quoteLiteral(this.label)}, ${quoteLiteral(this.table)}, ${this.pendingRows}, now()::TIMESTAMP)`);
      }
      await this.conn.run('COMMIT');
    } catch (e) {
      this.metrics.failedBatches++;
      await this.abort().catch(() => undefined);
      throw new TsFileError(ErrorCode.IO, `DuckDB refused the rows: ${(e as Error).message}`, { cause: e });
    }
    this.inTransaction = false;
    this.label = undefined;
    const ms = performance.now() - this.startedAt;
    this.metrics.rows += this.pendingRows;
    this.metrics.bytes += this.pendingBytes;
    this.metrics.batches++;
    this.metrics.latencyTotalMs += ms;
    if (ms > this.metrics.latencyMaxMs) this.metrics.latencyMaxMs = ms;
    this.pendingRows = 0;
    this.pendingBytes = 0;
  }

  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush(signal);
      // Fold the write-ahead log into the database file, so the file alone holds the data.
      if (this.instance !== undefined) await this.conn.run('CHECKPOINT');
    } finally {
      this.closed = true;
      this.dropAppender();
      if (this.instance !== undefined) {
        this.conn.closeSync();
        this.instance.closeSync();
      }
    }
  }

  private deviceValue(device: string): Value {
    const known = this.deviceValues.get(device);
    if (known !== undefined) return known;
    if (this.deviceValues.size > 10_000) this.deviceValues.clear();
    const v = this.b.create_varchar(device);
    this.deviceValues.set(device, v);
    return v;
  }

  private dropAppender(): void {
    const a = this.appender;
    this.appender = undefined;
    this.chunk = undefined;
    this.chunkWrapper = undefined;
    if (a !== undefined) {
      try {
        a.closeSync();
      } catch {
        // A rolled-back transaction may already have invalidated it.
      }
    }
  }

  private async openAppender(): Promise<void> {
    this.appender = await this.conn.createAppender(this.table);
    const types = this.columns.map((c) => this.b.create_logical_type(c.type.code));
    const chunk = this.b.create_data_chunk(types);
    this.chunk = chunk;
    this.chunkWrapper = new this.api.DuckDBDataChunk(chunk);
  }

  /** Maps the batch's columns onto the table's, creating the table or adding columns when needed. */
  private async planFor(batch: RecordBatch): Promise<Plan> {
    const cached = this.plans.get(batch.schema);
    if (cached !== undefined) return cached;
    const fields = batch.schema.fields;
    const wanted = fields.map((f, j) => {
      if (f.name === this.deviceColumn) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `a column is named like the device column "${f.name}"`);
      return { name: f.name, type: duckColumnType(f, j === 0 && f.name === 'time'), alt: `${f.name}:${f.metadata.get('tsfile.type') ?? duckColumnType(f).sql}` };
    });
    let index = new Map(this.columns.map((c, i) => [c.name, i]));
    // A name taken by a column of another type is loaded as "name:TYPE".
    const resolve = (w: (typeof wanted)[number]): { name: string; i: number | undefined } => {
      const i = index.get(w.name);
      if (i === undefined || this.columns[i]!.type.sql === w.type.sql) return { name: w.name, i };
      const k = index.get(w.alt);
      if (k !== undefined && this.columns[k]!.type.sql !== w.type.sql) {
        throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column ${w.alt} of table ${this.table} has type ${this.columns[k]!.type.sql}, the data ${w.type.sql}`, { expected: this.columns[k]!.type.sql, actual: w.type.sql });
      }
      return { name: w.alt, i: k };
    };
    const missing: Column[] = [];
    for (const w of wanted) {
      const r = resolve(w);
      if (r.i === undefined && !missing.some((m) => m.name === r.name)) missing.push({ name: r.name, type: w.type });
    }
    if (missing.length > 0) {
      if (this.appender !== undefined) {
        this.appender.flushSync();
        this.dropAppender();
      }
      if (!this.tableExists) {
        const defs = [...(this.deviceColumn !== undefined ? [`${quoteIdent(this.deviceColumn)} VARCHAR NOT NULL`] : []), ...missing.map((c) => `${quoteIdent(c.name)} ${c.type.sql}${c.name === 'time' ? ' NOT NULL' : ''}`)];
        await this.conn.run(`CREATE TABLE ${quoteIdent(this.table)} (${defs.join(', ')})`);
        this.columns = this.deviceColumn !== undefined ? [{ name: this.deviceColumn, type: sqlOnly('VARCHAR') }] : [];
        this.tableExists = true;
      } else {
        for (const c of missing) await this.conn.run(`ALTER TABLE ${quoteIdent(this.table)} ADD COLUMN ${quoteIdent(c.name)} ${c.type.sql}`);
      }
      this.columns.push(...missing);
      this.plans = new WeakMap();
      index = new Map(this.columns.map((c, i) => [c.name, i]));
    }
    const source: number[] = this.columns.map((c) => (c.name === this.deviceColumn ? -1 : -2));
    wanted.forEach((w, j) => {
      const i = resolve(w).i!;
      source[i] = j;
      this.columns[i]!.type = w.type;
    });
    const plan: Plan = { fields, source };
    this.plans.set(batch.schema, plan);
    return plan;
  }
}

/** A column known from the database only (for null filling): its type code from its SQL name. */
function sqlOnly(sql: string): DuckColumnType {
  const codes: Record<string, [number, number]> = {
    BOOLEAN: [1, 1], INTEGER: [4, 4], BIGINT: [5, 8], FLOAT: [10, 4], DOUBLE: [11, 8], TIMESTAMP: [12, 8], DATE: [13, 4],
    VARCHAR: [17, 0], BLOB: [18, 0], TIMESTAMP_S: [20, 8], TIMESTAMP_MS: [21, 8], TIMESTAMP_NS: [22, 8],
  };
  const c = codes[sql];
  if (c === undefined) throw new TsFileError(ErrorCode.UNSUPPORTED, `the table has a column of type ${sql}, which this loader does not write`, { actual: sql });
  return { sql, code: c[0], copy: c[1] === 0 ? 'bytes' : sql === 'BOOLEAN' ? 'boolean' : 'fixed', width: c[1] };
}

/** The Data chunk holding row `row` of a column, and the row's index within it. */
function locate(chunks: readonly Data[], row: number): [Data, number] {
  let at = row;
  for (const d of chunks) {
    if (at < d.length) return [d, at];
    at -= d.length;
  }
  return [chunks[chunks.length - 1]!, at];
}

/** Rows [from, from + n) of a column split over several Data chunks, as one Data. */
function sliceAcross(chunks: readonly Data[], from: number, n: number): Data {
  // Rare (the reader yields one chunk per column); concatenating through a Vector keeps it simple.
  const parts: Data[] = [];
  let at = from;
  let left = n;
  for (const d of chunks) {
    if (left === 0) break;
    if (at >= d.length) {
      at -= d.length;
      continue;
    }
    const take = Math.min(left, d.length - at);
    parts.push(d.slice(at, take));
    left -= take;
    at = 0;
  }
  if (parts.length === 1) return parts[0]!;
  throw new TsFileError(ErrorCode.UNSUPPORTED, 'a column split across Arrow chunks inside one DuckDB chunk is not supported');
}
