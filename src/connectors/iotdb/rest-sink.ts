/**
 * IoTDB sink over the REST API (connectors.md §1.2): one `insertTablet` POST per device row range
 * (v2 tree model, or `/rest/table/v1/insertTablet` for table-model batches), optional DDL through
 * `nonQuery`. The HTTP status only covers auth and size filters; the outcome is the body's TSStatus
 * `code`, which is classified like the native client's.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ByteBuffer } from '../core/byte-buffer.js';
import type { BatchView } from '../core/columns.js';
import { ConnectorError, registerSecret } from '../core/errors.js';
import { basicAuth, httpRequest, parseJsonBody } from '../core/http.js';
import { BatchingSink, type DeliveryGuarantee, type RequestSender } from '../core/sink.js';
import type { IoTDBOptions } from './options.js';
import { checkTreeDevice } from './path-names.js';
import { appendTableTablet, appendTreeTablet, checkRestBlobs } from './rest-json.js';
import { ALREADY_EXISTS, tableSchemaStatements, tagColumnsOf, treeSchemaStatements, type SchemaOptions } from './schema.js';

interface PendingCall { path: string; body: Uint8Array; device: string; schema: string[]; database?: string }

const TRANSIENT = new Set([600, 606, 611, 712, 1700, 1704, 1705]);

export class IoTDBRestSink extends BatchingSink {
  readonly name = 'iotdb-rest';
  readonly guarantee: DeliveryGuarantee = 'at-least-once-idempotent';
  private pending: PendingCall[] = [];
  private pendingSize = 0;
  private readonly base: URL;
  private readonly auth: string;
  private readonly agent: http.Agent;
  private readonly schemaOptions: SchemaOptions | undefined;
  private readonly schemaDone = new Set<string>();

  constructor(readonly opts: IoTDBOptions) {
    super({ maxRows: 10_000, ...opts });
    this.base = new URL(`${opts.tls ? 'https' : 'http'}://${opts.host}:${opts.port}`);
    registerSecret(opts.password, opts.user ?? 'root');
    this.auth = basicAuth(opts.user ?? 'root', opts.password ?? 'root');
    registerSecret(this.auth.slice(6));
    this.agent = opts.tls ? new https.Agent({ keepAlive: true, ...opts.tlsOptions }) : new http.Agent({ keepAlive: true });
    this.schemaOptions = opts.createSchema === true ? {} : opts.createSchema === false ? undefined : opts.createSchema;
    // One insertTablet body per encode call.
    this.encodeChunkRows = Number.MAX_SAFE_INTEGER;
  }

  protected override encode(view: BatchView, from: number, to: number): void {
    const out = new ByteBuffer(1024 + (to - from) * 16 * (view.columns.length + 1));
    const db = this.opts.tableDatabase;
    checkRestBlobs(view, this.opts.restBlob ?? 'refuse');
    let call: PendingCall;
    if (db !== undefined && view.table !== undefined) {
      const tags = tagColumnsOf(view, this.opts.tagColumns);
      appendTableTablet(out, view, from, to, db, tags);
      call = { path: '/rest/table/v1/insertTablet', body: out.contents(), device: view.device, database: db,
        schema: this.schemaOptions !== undefined ? tableSchemaStatements(view, db, view.table, tags) : [] };
    } else {
      checkTreeDevice(view.device, view.table, this.name);
      const aligned = this.opts.aligned === undefined || this.opts.aligned === 'auto' ? view.aligned : this.opts.aligned;
      appendTreeTablet(out, { ...view, aligned }, from, to);
      call = { path: '/rest/v2/insertTablet', body: out.contents(), device: view.device,
        schema: this.schemaOptions !== undefined ? treeSchemaStatements(view, view.device, aligned, this.schemaOptions) : [] };
    }
    this.pending.push(call);
    this.pendingSize += call.body.length;
  }

  protected override pendingBytes(): number { return this.pendingSize; }

  protected override take(_seq: number): RequestSender {
    const calls = this.pending;
    this.pending = [];
    this.pendingSize = 0;
    return async (_attempt, signal) => {
      for (const c of calls) {
        const key = `${c.path}:${c.device}:${c.schema.join(';')}`;
        if (c.schema.length > 0 && !this.schemaDone.has(key)) {
          for (const sql of c.schema) {
            const body = Buffer.from(JSON.stringify(c.database !== undefined ? { sql, database: c.database } : { sql }));
            await this.post(c.path.startsWith('/rest/table') ? '/rest/table/v1/nonQuery' : '/rest/v2/nonQuery', body, [c.device], signal, ALREADY_EXISTS);
          }
          this.schemaDone.add(key);
        }
        await this.post(c.path, c.body, [c.device], signal);
      }
    };
  }

  private async post(path: string, body: Uint8Array, devices: string[], signal: AbortSignal | undefined, tolerate: number[] = []): Promise<void> {
    const o = this.opts;
    const res = await httpRequest({
      url: new URL(path, this.base), method: 'POST', sink: this.name, wire: this.metrics, signal, body, agent: this.agent, ...(o.tlsOptions !== undefined ? { tls: o.tlsOptions } : {}),
      headers: { Authorization: this.auth, 'Content-Type': 'application/json' },
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000, requestTimeoutMs: o.requestTimeoutMs ?? 60_000,
    });
    const json = res.status === 503 && res.body.length === 0 ? {} : parseJsonBody(res, this.name) as { code?: unknown; message?: unknown };
    const code = typeof (json as { code?: unknown }).code === 'number' ? (json as { code: number }).code : -1;
    const message = String((json as { message?: unknown }).message ?? '');
    if (res.status === 200 && (code === 200 || code === 400)) return;
    if (res.status === 200 && tolerate.includes(code)) return;
    const retryable = res.status === 503 || res.status >= 500 || (res.status === 200 && TRANSIENT.has(code));
    throw new ConnectorError(`${path} failed`, {
      sink: this.name, failure: res.status >= 500 ? 'transport' : code === -1 ? 'protocol' : 'rejected', retryable,
      status: res.status === 200 ? code : `HTTP ${res.status}/${code}`, serverMessage: message, endpoint: res.url, devices,
    });
  }

  protected override async release(): Promise<void> { this.agent.destroy(); }
}
