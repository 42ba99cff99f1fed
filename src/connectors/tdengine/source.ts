/**
 * TDengine as a source (connectors.md §2.1 REST query results; after TDengine's Flink source,
 * which splits a query by time and subtable): the database's tables are listed from
 * `information_schema`, each table's columns come from `DESCRIBE`, and every table × time window
 * is one resumable split read in pages of `pageRows` rows (`ORDER BY ts LIMIT n`, the next page
 * starting after the last timestamp). Times travel as `CAST(ts AS BIGINT)` — integers in the
 * database precision, never reformatted. A subtable with a `device` tag (as `tsfile load --stable`
 * writes) is read back under that device path; other tables under their table name.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { DeviceBatchBuilder, type BuilderColumn, type CellValue } from '../core/batch-builder.js';
import type { DeviceBatch, TimeUnit, TsTypeName } from '../core/columns.js';
import { ConnectorError, registerSecret } from '../core/errors.js';
import { parseExactJson, type JsonValue } from '../core/exact-json.js';
import { basicAuth, httpRequest } from '../core/http.js';
import { emptyMetrics, type SinkMetrics } from '../core/metrics.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../core/retry.js';
import type { TlsOptions } from '../core/sink.js';
import { cellFromJson } from '../core/value-text.js';
import { quoteIdent } from './options.js';

export interface TDengineSourceOptions {
  /** taosAdapter base URL, http(s)://host:6041 */
  url: string;
  database: string;
  user?: string;
  password?: string;
  /** Device (or table) name patterns: `*` any run of characters, `**` likewise (default: all). */
  devices?: string[];
  /** Columns to read (default: all but tags). */
  measurements?: string[];
  /** Inclusive time range in the database precision. */
  startTime?: bigint;
  endTime?: bigint;
  /** Width of one split's time window, in the database precision (default: one day). */
  window?: bigint;
  /** Rows per query page (default 10 000). */
  pageRows?: number;
  /** Splits read at once (default 2). */
  parallel?: number;
  retry?: Partial<RetryPolicy>;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  tls?: TlsOptions;
}

interface TableInfo { name: string; device: string; timeColumn: string; columns: (BuilderColumn & { source: string; cast: boolean })[] }

const TD_TYPES: Record<string, TsTypeName> = {
  BOOL: 'BOOLEAN', TINYINT: 'INT32', SMALLINT: 'INT32', INT: 'INT32', BIGINT: 'INT64', FLOAT: 'FLOAT', DOUBLE: 'DOUBLE',
  VARCHAR: 'TEXT', BINARY: 'TEXT', NCHAR: 'TEXT', VARBINARY: 'BLOB', TIMESTAMP: 'TIMESTAMP',
  'TINYINT UNSIGNED': 'INT32', 'SMALLINT UNSIGNED': 'INT32',
};

const DAY: Record<TimeUnit, bigint> = { ms: 86_400_000n, us: 86_400_000_000n, ns: 86_400_000_000_000n };

/** Glob with `*` (and `**`) for any characters, else literal. */
export function matchesPattern(name: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split(/\*+/).map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

export class TDengineSource {
  readonly name = 'tdengine-source';
  readonly metrics: SinkMetrics = emptyMetrics();
  readonly parallel: number;
  private readonly base: URL;
  private readonly auth: string;
  private readonly agent: http.Agent;
  private readonly retry: RetryPolicy;
  private unit: TimeUnit = 'ms';

  constructor(readonly opts: TDengineSourceOptions) {
    const u = new URL(opts.url);
    this.base = new URL(`${u.protocol}//${u.host}`);
    registerSecret(opts.password, opts.user ?? 'root');
    this.auth = basicAuth(opts.user ?? 'root', opts.password ?? 'taosdata');
    this.agent = u.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...opts.tls }) : new http.Agent({ keepAlive: true });
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.parallel = Math.max(1, opts.parallel ?? 2);
  }

  /** Precision of the database, known after `splits()`. */
  get precision(): TimeUnit { return this.unit; }

  /** Runs one SQL query (retried when the failure is transient) and returns its rows. */
  async query(sql: string, signal?: AbortSignal): Promise<{ columns: string[]; types: string[]; rows: JsonValue[][] }> {
    return withRetry(async () => {
      const res = await httpRequest({
        url: new URL(`/rest/sql/${encodeURIComponent(this.opts.database)}`, this.base), method: 'POST', sink: this.name, wire: this.metrics,
        body: Buffer.from(sql, 'utf8'), agent: this.agent, signal, ...(this.opts.tls !== undefined ? { tls: this.opts.tls } : {}),
        headers: { Authorization: this.auth, 'Content-Type': 'text/plain; charset=utf-8' },
        connectTimeoutMs: this.opts.connectTimeoutMs ?? 10_000, requestTimeoutMs: this.opts.requestTimeoutMs ?? 60_000,
        maxResponseBytes: 256 * 1024 * 1024,
      });
      if (res.status === 502 || res.status === 503) {
        throw new ConnectorError('taosAdapter unavailable', { sink: this.name, failure: 'transport', retryable: true, status: res.status, endpoint: res.url, serverMessage: res.body.toString('utf8').slice(0, 200) });
      }
      const body = parseExactJson(res.body.toString('utf8'), this.name) as { code?: unknown; desc?: unknown; column_meta?: unknown; data?: unknown };
      if (body === null || typeof body !== 'object' || typeof body.code !== 'number') {
        throw new ConnectorError('query answer has no code', { sink: this.name, failure: 'protocol', retryable: false, status: res.status, endpoint: res.url });
      }
      if (body.code !== 0) {
        throw new ConnectorError('query failed', { sink: this.name, failure: 'rejected', retryable: res.status >= 500, status: body.code, serverMessage: `${String(body.desc ?? '')} (${sql.slice(0, 200)})`, endpoint: res.url });
      }
      const meta = body.column_meta;
      const data = body.data;
      if (!Array.isArray(meta) || !Array.isArray(data)) {
        throw new ConnectorError('query answer lacks column_meta or data', { sink: this.name, failure: 'protocol', retryable: false, endpoint: res.url });
      }
      const m = meta as JsonValue[][];
      return { columns: m.map((c) => String(c[0])), types: m.map((c) => String(c[1])), rows: data as JsonValue[][] };
    }, this.retry, { ...(signal !== undefined ? { signal } : {}), onRetry: () => { this.metrics.retries++; } });
  }

  private async tables(signal?: AbortSignal): Promise<TableInfo[]> {
    const db = this.opts.database.replace(/'/g, "\\'");
    const p = await this.query(`SELECT \`precision\` FROM information_schema.ins_databases WHERE name = '${db}'`, signal);
    if (p.rows.length === 0) throw new ConnectorError(`database ${this.opts.database} does not exist`, { sink: this.name, failure: 'rejected', retryable: false });
    const unit = String(p.rows[0]![0]);
    if (unit !== 'ms' && unit !== 'us' && unit !== 'ns') throw new ConnectorError(`unknown precision ${unit}`, { sink: this.name, failure: 'protocol', retryable: false });
    this.unit = unit;
    const t = await this.query(`SELECT table_name FROM information_schema.ins_tables WHERE db_name = '${db}'`, signal);
    const tags = await this.query(`SELECT table_name, tag_name, tag_value FROM information_schema.ins_tags WHERE db_name = '${db}'`, signal);
    const deviceTag = new Map<string, string>();
    for (const r of tags.rows) if (r[1] === 'device' && typeof r[2] === 'string') deviceTag.set(String(r[0]), r[2]);
    const out: TableInfo[] = [];
    for (const r of t.rows) {
      const name = String(r[0]);
      const device = deviceTag.get(name) ?? name;
      if (this.opts.devices !== undefined && !this.opts.devices.some((pat) => matchesPattern(device, pat))) continue;
      const d = await this.query(`DESCRIBE ${quoteIdent(this.opts.database)}.${quoteIdent(name)}`, signal);
      const fields = d.rows.filter((x) => String(x[3] ?? '') !== 'TAG');
      const time = fields[0];
      if (time === undefined || String(time[1]) !== 'TIMESTAMP') throw new ConnectorError(`table ${name} has no leading TIMESTAMP column`, { sink: this.name, failure: 'protocol', retryable: false });
      const columns = fields.slice(1).flatMap((x) => {
        const colName = String(x[0]);
        if (this.opts.measurements !== undefined && !this.opts.measurements.includes(colName)) return [];
        const type = TD_TYPES[String(x[1]).toUpperCase()];
        if (type === undefined) throw new ConnectorError(`column ${name}.${colName} has type ${String(x[1])}, which has no TsFile type`, { sink: this.name, failure: 'invalid', retryable: false });
        return [{ name: colName, type, source: colName, cast: type === 'TIMESTAMP' }];
      });
      out.push({ name, device, timeColumn: String(time[0]), columns });
    }
    return out;
  }

  /** Time range of a table: the option's, else its first and last row. */
  private async range(t: TableInfo, signal?: AbortSignal): Promise<[bigint, bigint] | undefined> {
    if (this.opts.startTime !== undefined && this.opts.endTime !== undefined) return [this.opts.startTime, this.opts.endTime];
    const ts = quoteIdent(t.timeColumn);
    const r = await this.query(`SELECT CAST(FIRST(${ts}) AS BIGINT), CAST(LAST(${ts}) AS BIGINT) FROM ${quoteIdent(this.opts.database)}.${quoteIdent(t.name)}`, signal);
    const row = r.rows[0];
    if (row === undefined || row[0] === null || row[1] === null) return undefined;
    const lo = BigInt(row[0] as number | bigint);
    const hi = BigInt(row[1] as number | bigint);
    return [this.opts.startTime ?? lo, this.opts.endTime ?? hi];
  }

  /** Every table × time window as a split; windows cover the inclusive range without gaps. */
  async splits(signal?: AbortSignal): Promise<TDengineSplit[]> {
    const out: TDengineSplit[] = [];
    for (const t of await this.tables(signal)) {
      const r = await this.range(t, signal);
      if (r === undefined || r[1] < r[0]) continue;
      const w = this.opts.window ?? DAY[this.unit];
      if (w <= 0n) throw new ConnectorError('window must be positive', { sink: this.name, failure: 'invalid', retryable: false });
      for (let from = r[0]; from <= r[1]; from += w) {
        const to = from + w - 1n < r[1] ? from + w - 1n : r[1];
        out.push(new TDengineSplit(this, t, from, to));
      }
    }
    return out;
  }

  async close(): Promise<void> { this.agent.destroy(); }

  /** Reads rows [from, to] of a table in pages; each page becomes one batch. */
  async *read(t: TableInfo, from: bigint, to: bigint, signal?: AbortSignal, first?: Promise<JsonValue[][]>): AsyncGenerator<DeviceBatch> {
    const builder = new DeviceBatchBuilder({ device: t.device, columns: t.columns, aligned: true, timeUnit: this.unit });
    const pageRows = Math.max(1, this.opts.pageRows ?? 10_000);
    let lo = from;
    let page: Promise<JsonValue[][]> = first ?? this.page(t, lo, to, pageRows, signal);
    for (;;) {
      const rows = await page;
      for (const r of rows) {
        const time = cellFromJson('INT64', r[0], this.name, `${t.name}.${t.timeColumn}`) as bigint;
        const values: CellValue[] = t.columns.map((c, k) => cellFromJson(c.type, r[k + 1], this.name, `${t.name}.${c.name}`));
        builder.append(time, values);
        lo = time + 1n;
      }
      const done = rows.length < pageRows || lo > to;
      // The next page is requested before this one is handed on.
      if (!done) page = this.page(t, lo, to, pageRows, signal);
      const b = builder.take();
      if (b !== undefined) { this.metrics.rows += b.batch.numRows; yield b; }
      if (done) return;
    }
  }

  page(t: TableInfo, lo: bigint, to: bigint, n: number, signal?: AbortSignal): Promise<JsonValue[][]> {
    const ts = quoteIdent(t.timeColumn);
    const cols = [`CAST(${ts} AS BIGINT)`, ...t.columns.map((c) => (c.cast ? `CAST(${quoteIdent(c.source)} AS BIGINT)` : quoteIdent(c.source)))];
    const sql = `SELECT ${cols.join(', ')} FROM ${quoteIdent(this.opts.database)}.${quoteIdent(t.name)} WHERE ${ts} >= ${lo} AND ${ts} <= ${to} ORDER BY ${ts} LIMIT ${n}`;
    return this.query(sql, signal).then((r) => r.rows);
  }
}

/** One table × time window; opening it starts fetching its first page. */
export class TDengineSplit {
  readonly id: string;
  constructor(private readonly src: TDengineSource, readonly table: TableInfo, readonly from: bigint, readonly to: bigint) {
    this.id = `tdengine:${src.opts.database}.${table.name}:${from}..${to}`;
  }

  async open(signal?: AbortSignal): Promise<{ scan(o: { signal?: AbortSignal }): AsyncIterable<DeviceBatch>; close(): Promise<void> }> {
    const first = this.src.page(this.table, this.from, this.to, Math.max(1, this.src.opts.pageRows ?? 10_000), signal);
    first.catch(() => undefined);
    return {
      scan: (o) => this.src.read(this.table, this.from, this.to, o.signal ?? signal, first),
      close: async () => {},
    };
  }
}
