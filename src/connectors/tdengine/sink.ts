/**
 * TDengine sinks over taosAdapter (connectors.md §2.1 REST, §2.3 schemaless): `TDengineSqlSink`
 * posts multi-table INSERT statements to `/rest/sql/{db}`, creating tables (or the supertable) once
 * per sink; `TDengineLineSink` posts line protocol to `/influxdb/v1/write`. taosAdapter answers
 * HTTP 200 for database errors, so the body's `code` decides. TDengine overwrites a row written
 * twice with the same timestamp, so retries never duplicate.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ByteBuffer } from '../core/byte-buffer.js';
import type { BatchView } from '../core/columns.js';
import { ConnectorError, registerSecret } from '../core/errors.js';
import { basicAuth, httpRequest, parseJsonBody } from '../core/http.js';
import { BatchingSink, type DeliveryGuarantee, type RequestSender } from '../core/sink.js';
import { appendLines } from './line-protocol.js';
import { epochMsApprox, type Precision } from '../core/time-format.js';
import { quoteIdent, tableName, TableNames, type TDengineOptions } from './options.js';
import { checkColumnNames, createTableSql, InsertBuilder, type InsertTarget, type SqlLayout } from './sql.js';

/** TDengine's default and largest KEEP, in days. */
const DEFAULT_KEEP_DAYS = 3650;
const MAX_KEEP_DAYS = 365_000;

/** Codes worth another try: out of memory / busy / timeouts on the server side. */
const TRANSIENT_CODES = new Set([0x0203, 0x000b, 0x0013, 0x2403, 0x0111]);

abstract class TDengineBase extends BatchingSink {
  protected readonly base: URL;
  protected readonly auth: string;
  protected readonly agent: http.Agent;
  /** KEEP (days) the created database has so far; 0 = not created yet. */
  private keptDays = 0;
  /** Oldest row (epoch ms) of the pending request. */
  protected pendingOldestMs = Infinity;
  private readonly names = new TableNames();
  /** Database precision: the option, else the time unit of the first batch. */
  protected precision: Precision | undefined;

  constructor(readonly opts: TDengineOptions) {
    super({ maxRows: 10_000, ...opts });
    const u = new URL(opts.url);
    this.base = new URL(`${u.protocol}//${u.host}`);
    registerSecret(opts.password, opts.user ?? 'root');
    this.auth = basicAuth(opts.user ?? 'root', opts.password ?? 'taosdata');
    registerSecret(this.auth.slice(6));
    this.agent = u.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...opts.tls }) : new http.Agent({ keepAlive: true });
  }

  /** Notes the batch's precision and oldest row before its rows [from, to) are encoded. */
  protected observe(view: BatchView, from: number, to: number): void {
    this.precision ??= this.opts.precision ?? view.timeUnit;
    for (let r = from; r < to; r++) {
      const ms = epochMsApprox(view.timeWords, r, view.timeUnit);
      if (ms < this.pendingOldestMs) this.pendingOldestMs = ms;
    }
  }

  protected target(view: BatchView): InsertTarget {
    const o = this.opts;
    const table = tableName(view.device, o.tableTemplate);
    this.names.check(table, view.device);
    if (o.stable === undefined) return { table };
    const tagNames = ['device'];
    const tagValues: (string | null)[] = [view.device];
    (view.tags ?? []).forEach((v, i) => { tagNames.push(o.tagColumns?.[i] ?? `tag${i + 1}`); tagValues.push(v); });
    return { table, stable: o.stable, tagNames, tagValues };
  }

  protected async post(url: URL, body: Uint8Array, devices: string[], signal: AbortSignal | undefined, json: boolean): Promise<void> {
    const res = await httpRequest({
      url, method: 'POST', sink: this.name, wire: this.metrics, body, agent: this.agent, signal, ...(this.opts.tls !== undefined ? { tls: this.opts.tls } : {}),
      headers: { Authorization: this.auth, 'Content-Type': 'text/plain; charset=utf-8' },
      connectTimeoutMs: this.opts.connectTimeoutMs ?? 10_000, requestTimeoutMs: this.opts.requestTimeoutMs ?? 60_000,
    });
    if (!json) {
      if (res.status === 204) return;
      const b = res.body.toString('utf8');
      throw new ConnectorError('line protocol write failed', {
        sink: this.name, failure: res.status >= 500 && res.status !== 500 ? 'transport' : 'rejected', retryable: res.status === 503 || res.status === 502,
        status: res.status, serverMessage: b.slice(0, 500), endpoint: res.url, devices,
      });
    }
    if (res.status === 503 || res.status === 502) {
      throw new ConnectorError('taosAdapter unavailable', { sink: this.name, failure: 'transport', retryable: true, status: res.status, serverMessage: res.body.toString('utf8').slice(0, 300), endpoint: res.url, devices });
    }
    const b = parseJsonBody(res, this.name) as { code?: unknown; desc?: unknown };
    const code = typeof b.code === 'number' ? b.code : -1;
    if (res.status === 200 && code === 0) return;
    throw new ConnectorError('SQL failed', {
      sink: this.name, failure: code === -1 ? 'protocol' : 'rejected', retryable: TRANSIENT_CODES.has(code) || res.status >= 500,
      status: code === -1 ? `HTTP ${res.status}` : code, serverMessage: String(b.desc ?? ''), endpoint: res.url, devices,
    });
  }

  /**
   * With `createDatabase`: creates the database with the data's PRECISION and a KEEP that covers
   * the oldest row of the request (TDengine refuses rows older than now − KEEP), and widens KEEP
   * when a later request holds older rows. An explicit `keepDays` too short for a row is refused.
   */
  protected async ensureDatabase(oldestMs: number, signal?: AbortSignal): Promise<void> {
    if (this.opts.createDatabase !== true) return;
    const need = Number.isFinite(oldestMs) ? Math.floor((Date.now() - oldestMs) / 86_400_000) + 2 : 0;
    const explicit = this.opts.keepDays;
    if (explicit !== undefined && need > explicit) {
      throw new ConnectorError(`rows from ${new Date(oldestMs).toISOString()} are older than --keep ${explicit} days allows (${need} needed)`, { sink: this.name, failure: 'invalid', retryable: false });
    }
    if (need > MAX_KEEP_DAYS) {
      throw new ConnectorError(`rows from ${new Date(oldestMs).toISOString()} are older than TDengine's longest KEEP (${MAX_KEEP_DAYS} days)`, { sink: this.name, failure: 'invalid', retryable: false });
    }
    const keep = explicit ?? Math.max(DEFAULT_KEEP_DAYS, need);
    const url = new URL('/rest/sql', this.base);
    if (this.keptDays === 0) {
      const sql = `CREATE DATABASE IF NOT EXISTS ${quoteIdent(this.opts.database)} PRECISION '${this.precision ?? 'ms'}' KEEP ${keep}`;
      await this.post(url, Buffer.from(sql), [], signal, true);
      this.keptDays = keep;
    } else if (keep > this.keptDays) {
      await this.post(url, Buffer.from(`ALTER DATABASE ${quoteIdent(this.opts.database)} KEEP ${keep}`), [], signal, true);
      this.keptDays = keep;
    }
  }

  protected override async release(): Promise<void> { this.agent.destroy(); }
}

export class TDengineSqlSink extends TDengineBase {
  readonly name = 'tdengine';
  readonly guarantee: DeliveryGuarantee = 'at-least-once-idempotent';
  private readonly layout: SqlLayout;
  private readonly builder: InsertBuilder;
  private ddl: string[] = [];
  private readonly created = new Set<string>();

  constructor(opts: TDengineOptions) {
    super(opts);
    this.layout = {
      timeColumn: opts.timeColumn ?? 'ts', precision: opts.precision ?? 'ms', textType: opts.textType ?? 'NCHAR', textWidth: opts.textWidth ?? 256,
      binaryWidth: opts.binaryWidth ?? 1024, nonFinite: opts.nonFinite ?? 'error', maxSqlBytes: opts.maxSqlBytes ?? 1_000_000,
    };
    this.builder = new InsertBuilder(opts.database, this.layout);
  }

  protected override encode(view: BatchView, from: number, to: number): void {
    this.observe(view, from, to);
    this.layout.precision = this.precision!;
    const t = this.target(view);
    checkColumnNames(view, t, this.layout);
    const ddl = createTableSql(this.opts.database, view, t, this.layout);
    if (!this.created.has(ddl)) { this.created.add(ddl); this.ddl.push(ddl); }
    this.builder.append(view, from, to, t);
  }

  protected override pendingBytes(): number { return this.builder.size; }

  protected override take(_seq: number): RequestSender {
    const statements = this.builder.take();
    const ddl = this.ddl;
    this.ddl = [];
    const devices = [...this.pendingDevices];
    const url = new URL(`/rest/sql/${encodeURIComponent(this.opts.database)}`, this.base);
    const oldest = this.pendingOldestMs;
    this.pendingOldestMs = Infinity;
    let ddlDone = 0;
    let done = 0;
    return async (_attempt, signal) => {
      await this.ensureDatabase(oldest, signal);
      // DDL and statements already acknowledged are not resent on a retry.
      for (; ddlDone < ddl.length; ddlDone++) await this.post(url, Buffer.from(ddl[ddlDone]!), devices, signal, true);
      for (; done < statements.length; done++) await this.post(url, statements[done]!, devices, signal, true);
    };
  }
}

export class TDengineLineSink extends TDengineBase {
  readonly name = 'tdengine-influx';
  readonly guarantee: DeliveryGuarantee = 'at-least-once-idempotent';
  private readonly buffer = new ByteBuffer(256 * 1024);

  protected override encode(view: BatchView, from: number, to: number): void {
    this.observe(view, from, to);
    const t = this.target(view);
    const tags: [string, string | null][] = [['device', view.device]];
    (view.tags ?? []).forEach((v, i) => tags.push([this.opts.tagColumns?.[i] ?? `tag${i + 1}`, v]));
    appendLines(this.buffer, view, from, to, { measurement: t.stable ?? 'tsfile', tags, precision: this.precision!, nonFinite: this.opts.nonFinite ?? 'error' });
  }

  protected override pendingBytes(): number { return this.buffer.length; }

  protected override take(_seq: number): RequestSender {
    const body = this.buffer.toBuffer();
    this.buffer.clear();
    const devices = [...this.pendingDevices];
    const url = new URL('/influxdb/v1/write', this.base);
    url.searchParams.set('db', this.opts.database);
    url.searchParams.set('precision', ({ ms: 'ms', us: 'u', ns: 'ns' } as const)[this.precision ?? 'ms']);
    // Subtables named after the device tag ('.' becomes '_'), instead of an MD5 name.
    url.searchParams.set('table_name_key', 'device');
    const oldest = this.pendingOldestMs;
    this.pendingOldestMs = Infinity;
    return async (_attempt, signal) => {
      await this.ensureDatabase(oldest, signal);
      if (body.length > 0) await this.post(url, body, devices, signal, false);
    };
  }
}
