/**
 * IoTDB as a source (after IoTDB's own export tools: a path pattern and a time range to TsFile):
 * devices come from `SHOW DEVICES <pattern>` (with their aligned flag), each device's series and
 * types from `SHOW TIMESERIES <device>.*`, and each device is one resumable split read with
 * `SELECT <measurements> FROM <device> WHERE time >= a AND time <= b`. Over the native RPC
 * (connectors.md §1.3) the rows come as TsBlocks from `executeQueryStatementV2` and
 * `fetchResultsV2` (`fetchSize` rows per page); over REST v2 (`/rest/v2/query`, column-major
 * `timestamps`/`values`, §1.2) pages are `LIMIT n` queries, each starting after the last time
 * read. A failed page is retried from the last time delivered, so no row is lost or repeated.
 * Names are sent in IoTDB node syntax and read back to their raw form.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { DeviceBatchBuilder, type BuilderColumn, type CellValue } from '../core/batch-builder.js';
import type { DeviceBatch, TimeUnit, TsTypeName } from '../core/columns.js';
import { ConnectorError, registerSecret } from '../core/errors.js';
import { parseExactJson, type JsonValue } from '../core/exact-json.js';
import { basicAuth, httpRequest } from '../core/http.js';
import { emptyMetrics, type SinkMetrics } from '../core/metrics.js';
import { DEFAULT_RETRY, isRetryable, sleep, backoffMs, type RetryPolicy } from '../core/retry.js';
import type { TlsOptions } from '../core/sink.js';
import { cellFromJson, daysFromDateInt } from '../core/value-text.js';
import { parsePath, quoteNode, quotePath } from './path-names.js';
import { IoTDBSession } from './session.js';
import type { ThriftProtocol } from './thrift.js';
import { decodeTsBlock, type BlockValue } from './tsblock.js';

export interface IoTDBSourceOptions {
  host: string;
  port: number;
  /** 'rpc' = native session (default), 'rest' = REST API v2. */
  transport?: 'rpc' | 'rest';
  user?: string;
  password?: string;
  tls?: boolean;
  tlsOptions?: TlsOptions;
  protocol?: ThriftProtocol;
  /** Device path patterns in IoTDB syntax (default `root.**`). */
  devices?: string[];
  /** Measurements to read (default all). */
  measurements?: string[];
  /** Inclusive time range in the server's precision. */
  startTime?: bigint;
  endTime?: bigint;
  /** Rows per page (RPC fetchSize, REST LIMIT; default 10 000). */
  pageRows?: number;
  /** REST: the server's timestamp precision (RPC learns it from openSession; default ms). */
  precision?: TimeUnit;
  /** Devices read at once (default 2). */
  parallel?: number;
  retry?: Partial<RetryPolicy>;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** One result page: column names, times and column-major values (already typed for the row's type). */
interface Page { columns: string[]; times: bigint[]; values: CellValue[][] }

const TYPES = new Set(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP']);
const decoder = new TextDecoder();

interface DeviceInfo { device: string; path: string; aligned: boolean; columns: BuilderColumn[] }

export class IoTDBSource {
  readonly name: string;
  readonly metrics: SinkMetrics = emptyMetrics();
  readonly parallel: number;
  private readonly retry: RetryPolicy;
  private readonly sessions: IoTDBSession[] = [];
  private readonly idle: IoTDBSession[] = [];
  private readonly agent: http.Agent | undefined;
  private readonly auth: string;
  private unit: TimeUnit;

  constructor(readonly opts: IoTDBSourceOptions) {
    this.name = opts.transport === 'rest' ? 'iotdb-rest-source' : 'iotdb-source';
    registerSecret(opts.password, opts.user ?? 'root');
    this.auth = basicAuth(opts.user ?? 'root', opts.password ?? 'root');
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.parallel = Math.max(1, opts.parallel ?? 2);
    this.unit = opts.precision ?? 'ms';
    if (opts.transport === 'rest') this.agent = opts.tls ? new https.Agent({ keepAlive: true, ...opts.tlsOptions }) : new http.Agent({ keepAlive: true });
  }

  get precision(): TimeUnit { return this.unit; }

  private async session(): Promise<IoTDBSession> {
    const s = this.idle.pop();
    if (s !== undefined && s.open) return s;
    const o = this.opts;
    const n = new IoTDBSession({
      host: o.host, port: o.port, protocol: o.protocol ?? 'binary', tls: o.tls === true ? { ...o.tlsOptions } : false, sink: this.name, wire: this.metrics,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000, requestTimeoutMs: o.requestTimeoutMs ?? 60_000, user: o.user ?? 'root', password: o.password ?? 'root',
    });
    await n.connect();
    this.unit = n.precision;
    this.sessions.push(n);
    return n;
  }

  /** Runs a query and yields its pages (RPC: every fetch; REST: the one answer). */
  private async *run(sql: string, types: TsTypeName[] | undefined, signal?: AbortSignal): AsyncGenerator<Page> {
    if (this.opts.transport === 'rest') { yield await this.rest(sql, types, signal); return; }
    const s = await this.session();
    let ok = false;
    try {
      for await (const p of s.query(sql, Math.max(1, this.opts.pageRows ?? 10_000), this.opts.requestTimeoutMs ?? 60_000)) {
        for (const b of p.blocks) {
          const block = decodeTsBlock(b, this.name);
          const values: CellValue[][] = p.columns.map((_, i) => {
            const k = p.tsBlockIndex?.[i] ?? i;
            const col = k < 0 ? Array.from(block.times) : block.columns[k];
            if (col === undefined) throw new ConnectorError(`result column ${p.columns[i]} has no TsBlock column ${k}`, { sink: this.name, failure: 'protocol', retryable: false });
            const type = types?.[i] ?? (k < 0 ? 'INT64' : block.types[k]!);
            return col.map((v) => fromBlock(type, v));
          });
          yield { columns: p.columns, times: Array.from(block.times), values };
        }
      }
      ok = true;
    } finally {
      if (ok) this.idle.push(s); else await s.close();
    }
  }

  private async rest(sql: string, types: TsTypeName[] | undefined, signal?: AbortSignal): Promise<Page> {
    const o = this.opts;
    const res = await httpRequest({
      url: new URL('/rest/v2/query', `${o.tls ? 'https' : 'http'}://${o.host}:${o.port}`), method: 'POST', sink: this.name, wire: this.metrics, signal,
      body: Buffer.from(JSON.stringify({ sql })), ...(this.agent !== undefined ? { agent: this.agent } : {}), ...(o.tlsOptions !== undefined ? { tls: o.tlsOptions } : {}),
      headers: { Authorization: this.auth, 'Content-Type': 'application/json' }, maxResponseBytes: 256 * 1024 * 1024,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000, requestTimeoutMs: o.requestTimeoutMs ?? 60_000,
    });
    if (res.status >= 500) throw new ConnectorError('query failed', { sink: this.name, failure: 'transport', retryable: true, status: res.status, endpoint: res.url });
    const body = parseExactJson(res.body.toString('utf8'), this.name) as Record<string, JsonValue>;
    if (res.status !== 200 || typeof body.code === 'number') {
      throw new ConnectorError('query failed', { sink: this.name, failure: 'rejected', retryable: false, status: res.status === 200 ? body.code as number : `HTTP ${res.status}`, serverMessage: `${String(body.message ?? '')} (${sql.slice(0, 160)})`, endpoint: res.url });
    }
    const columns = body.column_names;
    const values = body.values;
    if (!Array.isArray(columns) || !Array.isArray(values) || values.length !== columns.length) {
      throw new ConnectorError('query answer lacks column_names / values of equal length', { sink: this.name, failure: 'protocol', retryable: false, endpoint: res.url });
    }
    const ts = Array.isArray(body.timestamps) ? body.timestamps : [];
    const rows = (values[0] as JsonValue[] | undefined)?.length ?? ts.length;
    return {
      columns: columns.map(String),
      times: ts.map((t) => BigInt(t as number | bigint)),
      values: (values as JsonValue[][]).map((col, i) => {
        if (!Array.isArray(col) || col.length !== rows) throw new ConnectorError('ragged values in a query answer', { sink: this.name, failure: 'protocol', retryable: false, endpoint: res.url });
        const t = types?.[i] ?? 'TEXT';
        return col.map((v) => (t === 'TEXT' && v !== null && typeof v !== 'string' ? String(v) : cellFromJson(t, v, this.name, String(columns[i]))));
      }),
    };
  }

  /** Rows of a metadata statement as text columns. */
  private async showRows(sql: string, signal?: AbortSignal): Promise<Record<string, string>[]> {
    const out: Record<string, string>[] = [];
    await this.withRetries(async () => {
      out.length = 0;
      for await (const p of this.run(sql, undefined, signal)) {
        const n = p.values[0]?.length ?? 0;
        for (let r = 0; r < n; r++) {
          const row: Record<string, string> = {};
          p.columns.forEach((c, k) => { const v = p.values[k]![r]; row[c] = v === null || v === undefined ? '' : v instanceof Uint8Array ? decoder.decode(v) : String(v); });
          out.push(row);
        }
      }
    }, signal);
    return out;
  }

  private async withRetries<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try { return await fn(); } catch (e) {
        if (!isRetryable(e) || attempt >= this.retry.maxRetries || signal?.aborted === true) throw e;
        this.metrics.retries++;
        await sleep(backoffMs(this.retry, attempt + 1), signal);
      }
    }
  }

  private async devices(signal?: AbortSignal): Promise<DeviceInfo[]> {
    const seen = new Map<string, DeviceInfo>();
    for (const pattern of this.opts.devices ?? ['root.**']) {
      for (const row of await this.showRows(`SHOW DEVICES ${pattern}`, signal)) {
        const path = row.Device ?? '';
        const nodes = parsePath(path, this.name);
        // Raw node names joined by '.', except a node holding a '.' itself, which stays quoted.
        const device = nodes.map((n) => (n.includes('.') ? quoteNode(n) : n)).join('.');
        if (!seen.has(device)) seen.set(device, { device, path: quotePath(device), aligned: row.IsAligned === 'true', columns: [] });
      }
    }
    for (const d of seen.values()) {
      for (const row of await this.showRows(`SHOW TIMESERIES ${d.path}.*`, signal)) {
        const nodes = parsePath(row.Timeseries ?? '', this.name);
        const m = nodes[nodes.length - 1]!;
        if (this.opts.measurements !== undefined && !this.opts.measurements.includes(m)) continue;
        const t = (row.DataType ?? '').toUpperCase();
        if (!TYPES.has(t)) throw new ConnectorError(`series ${row.Timeseries} has type ${row.DataType}`, { sink: this.name, failure: 'protocol', retryable: false });
        d.columns.push({ name: m, type: t as TsTypeName });
      }
    }
    return [...seen.values()].filter((d) => d.columns.length > 0);
  }

  /** One split per device. */
  async splits(signal?: AbortSignal): Promise<IoTDBSplit[]> {
    return (await this.devices(signal)).map((d) => new IoTDBSplit(this, d));
  }

  /** Reads a device's rows in time order; each page becomes one batch. */
  async *read(d: DeviceInfo, signal?: AbortSignal): AsyncGenerator<DeviceBatch> {
    const builder = new DeviceBatchBuilder({ device: d.device, columns: d.columns, aligned: d.aligned, timeUnit: this.unit });
    const types = d.columns.map((c) => c.type);
    const select = `SELECT ${d.columns.map((c) => quoteNode(c.name)).join(', ')} FROM ${d.path}`;
    const pageRows = Math.max(1, this.opts.pageRows ?? 10_000);
    let lo = this.opts.startTime;
    const hi = this.opts.endTime;
    const rest = this.opts.transport === 'rest';
    for (let attempt = 0; ;) {
      const where = [lo !== undefined ? `time >= ${lo}` : '', hi !== undefined ? `time <= ${hi}` : ''].filter((x) => x !== '').join(' AND ');
      const sql = `${select}${where !== '' ? ` WHERE ${where}` : ''}${rest ? ` LIMIT ${pageRows}` : ''}`;
      let got = 0;
      try {
        for await (const p of this.run(sql, types, signal)) {
          if (p.columns.length !== d.columns.length) {
            throw new ConnectorError(`query of ${d.device} answered ${p.columns.length} columns for ${d.columns.length}`, { sink: this.name, failure: 'protocol', retryable: false });
          }
          for (let r = 0; r < p.times.length; r++) {
            builder.append(p.times[r]!, p.values.map((col) => col[r] ?? null));
            lo = p.times[r]! + 1n;
          }
          got += p.times.length;
          const b = builder.take();
          if (b !== undefined) { this.metrics.rows += b.batch.numRows; attempt = 0; yield b; }
        }
      } catch (e) {
        // Rows already handed on are not read again: the retry starts after the last time.
        if (!isRetryable(e) || attempt >= this.retry.maxRetries || signal?.aborted === true) throw e;
        this.metrics.retries++;
        attempt++;
        await sleep(backoffMs(this.retry, attempt), signal);
        continue;
      }
      if (!rest || got < pageRows) return;
    }
  }

  async close(): Promise<void> {
    for (const s of this.sessions) await s.close();
    this.sessions.length = 0;
    this.idle.length = 0;
    this.agent?.destroy();
  }
}

/** A TsBlock value as the batch holds it: DATE int → days, text bytes → string. */
function fromBlock(type: TsTypeName, v: BlockValue): CellValue {
  if (v === null) return null;
  if (type === 'DATE') return daysFromDateInt(v as number) ?? null;
  if ((type === 'TEXT' || type === 'STRING') && v instanceof Uint8Array) return decoder.decode(v);
  return v;
}

export class IoTDBSplit {
  readonly id: string;
  constructor(private readonly src: IoTDBSource, readonly info: DeviceInfo) {
    this.id = `${src.name}:${info.device}`;
  }

  async open(): Promise<{ scan(o: { signal?: AbortSignal }): AsyncIterable<DeviceBatch>; close(): Promise<void> }> {
    return { scan: (o) => this.src.read(this.info, o.signal), close: async () => {} };
  }
}
