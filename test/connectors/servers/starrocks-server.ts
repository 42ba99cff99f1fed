/**
 * A strict StarRocks FE + BE pair for tests (connectors.md §3.1, §3.2, §5 "StarRocks" rows). The FE
 * checks method, auth, `Expect: 100-continue`, db/table and answers 307 to the BE without reading
 * the body; the BE checks auth and label again, waits for the body only after `100 Continue`,
 * parses CSV (`\N`, column count) or JSON (`strip_outer_array`) against the `columns` header, and
 * keeps labels per database. Faults are queued one-shot by place.
 */
import * as http from 'node:http';
import { FaultQueue, listen, parseBasic, readBody, sendJson, type Listening } from './common.js';

export type Row = Record<string, string | null>;

export type StarRocksFault =
  | { at: 'fe'; kind: 'no-backend' | 'unreachable-redirect' | 'redirect-loop' | 'http-503' | 'no-database' }
  | { at: 'be'; kind: 'http-500' | 'reset-mid-body' | 'lost-response' | 'publish-timeout' | 'too-many-filtered' | 'txn-limit' | 'label-running' }
  | { at: 'be'; kind: 'slow-continue'; ms: number }
  | { at: 'begin' | 'prepare' | 'rollback'; kind: 'in-processing' | 'failed' }
  | { at: 'commit'; kind: 'publish-timeout' | 'lost-response' | 'failed'; labelEndsWith?: string }
  | { at: 'prepare'; kind: 'expire-after' }
  | { at: 'state'; kind: 'http-500' };

interface LabelRecord { table: string; state: 'PREPARE' | 'PREPARED' | 'COMMITTED' | 'VISIBLE' | 'ABORTED'; rows: Row[]; loadHeaders?: string; txnId: number }

export interface RequestLog { side: 'fe' | 'be'; method: string; path: string; headers: http.IncomingHttpHeaders }

const LOAD_HEADERS = ['format', 'columns', 'column_separator', 'row_delimiter', 'strip_outer_array', 'ignore_json_size', 'timeout', 'max_filter_ratio', 'strict_mode', 'partial_update'];

export class StarRocksTestServer {
  readonly faults = new FaultQueue<StarRocksFault>();
  /** Rows visible per `db.table`. */
  readonly tables = new Map<string, Row[]>();
  readonly labels = new Map<string, LabelRecord>();
  readonly requests: RequestLog[] = [];
  /** Protocol rules the client broke (tests expect this to stay empty). */
  readonly violations: string[] = [];
  fe!: Listening;
  be!: Listening;
  private txnSeq = 1;
  /** JSON bodies above this need `ignore_json_size: true` (100 MB on a real BE; small here for tests). */
  maxJsonBytes = 100 * 1024 * 1024;
  private readonly feServer = http.createServer();
  private readonly beServer = http.createServer();

  constructor(readonly user = 'root', readonly password = 'sr-secret', tables: string[] = ['db.t']) {
    for (const t of tables) this.tables.set(t, []);
  }

  async start(): Promise<this> {
    this.feServer.on('checkContinue', (req, res) => { void this.onFe(req, res, true); });
    this.feServer.on('request', (req, res) => { void this.onFe(req, res, false); });
    this.beServer.on('checkContinue', (req, res) => { void this.onBe(req, res, true); });
    this.beServer.on('request', (req, res) => { void this.onBe(req, res, false); });
    this.fe = await listen(this.feServer);
    this.be = await listen(this.beServer);
    return this;
  }

  async close(): Promise<void> { await Promise.all([this.fe.close(), this.be.close()]); }

  rows(table = 'db.t'): Row[] { return this.tables.get(table) ?? []; }

  private violation(res: http.ServerResponse, text: string, status = 200, body: unknown = { Status: 'FAILED', Message: text }): void {
    this.violations.push(text);
    sendJson(res, status, body, { Connection: 'close' });
  }

  private authOk(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const a = parseBasic(req.headers.authorization);
    if (typeof a === 'string' || a.user !== this.user || a.password !== this.password) {
      if (a === 'missing') this.violations.push(`${req.url}: no Authorization`);
      res.writeHead(401, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end('Access denied for user');
      return false;
    }
    return true;
  }

  private async onFe(req: http.IncomingMessage, res: http.ServerResponse, expect: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fe');
    this.requests.push({ side: 'fe', method: req.method ?? '', path: url.pathname, headers: req.headers });
    if (!this.authOk(req, res)) return;
    const m = /^\/api\/([^/]+)\/get_load_state$/.exec(url.pathname);
    if (m !== null) {
      if (req.method !== 'GET') { this.violation(res, 'get_load_state must be GET'); return; }
      if (this.faults.take('state') !== undefined) { sendJson(res, 500, { status: 'FAILED', msg: 'internal' }); return; }
      const label = url.searchParams.get('label') ?? '';
      const rec = this.labels.get(`${decodeURIComponent(m[1]!)}/${label}`);
      sendJson(res, 200, { code: '0', status: 'OK', message: 'OK', msg: 'Success', state: rec?.state ?? 'UNKNOWN', reason: '' });
      return;
    }
    const t = /^\/api\/transaction\/(begin|load|prepare|commit|rollback)$/.exec(url.pathname);
    const sl = /^\/api\/([^/]+)\/([^/]+)\/_stream_load$/.exec(url.pathname);
    if (t === null && sl === null) { this.violation(res, `unknown FE path ${url.pathname}`, 404); return; }
    if (!expect) { sendJson(res, 200, { Status: 'FAILED', Message: 'class com.starrocks.common.DdlException: There is no 100-continue header' }, { Connection: 'close' }); this.violations.push('no Expect: 100-continue'); return; }
    const label = String(req.headers.label ?? '');
    if (!/^[-\w]{1,128}$/.test(label)) { this.violation(res, `bad label ${JSON.stringify(label)}`); return; }
    if (sl !== null) {
      if (req.method !== 'PUT') { this.violation(res, 'stream load must be PUT'); return; }
      if (!this.tables.has(`${decodeURIComponent(sl[1]!)}.${decodeURIComponent(sl[2]!)}`)) { sendJson(res, 200, { Status: 'FAILED', Message: `class com.starrocks.common.DdlException: Unknown table ${sl[2]}` }); return; }
    }
    const op = t?.[1];
    if (op !== undefined && op !== 'load') { await this.onTxnControl(op, req, res, label); return; }
    if (op === 'load' && req.method !== 'PUT') { this.violation(res, 'transaction load must be PUT'); return; }
    const f = this.faults.take('fe');
    if (f?.kind === 'no-backend') { sendJson(res, 200, { Status: 'FAILED', Message: 'class com.starrocks.common.DdlException: No backend alive.' }, { Connection: 'close' }); return; }
    if (f?.kind === 'no-database') { sendJson(res, 200, { Status: 'FAILED', Message: 'class com.starrocks.common.DdlException: No database selected.' }, { Connection: 'close' }); return; }
    if (f?.kind === 'http-503') { res.writeHead(503, { Connection: 'close' }); res.end('busy'); return; }
    const target = f?.kind === 'unreachable-redirect' ? 'http://127.0.0.1:9' : f?.kind === 'redirect-loop' ? this.fe.url : this.be.url;
    // 307 without reading the body, as the FE does.
    res.writeHead(307, { Location: `${target}${url.pathname}${url.search}`, Connection: 'close', 'Content-Length': '0' });
    res.end();
  }

  private async onTxnControl(op: string, req: http.IncomingMessage, res: http.ServerResponse, label: string): Promise<void> {
    if (req.method !== 'POST') { this.violation(res, `${op} must be POST`); return; }
    await readBody(req);
    const db = String(req.headers.db ?? '');
    const table = String(req.headers.table ?? '');
    if (db === '' || (op === 'begin' && !this.tables.has(`${db}.${table}`))) { this.violation(res, `${op}: db/table headers missing or unknown`); return; }
    const key = `${db}/${label}`;
    const rec = this.labels.get(key);
    const f = this.faults.take(op as 'begin', (x) => !('labelEndsWith' in x) || x.labelEndsWith === undefined || label.endsWith(x.labelEndsWith));
    if (f?.kind === 'in-processing') { sendJson(res, 200, { Status: 'TXN_IN_PROCESSING', Label: label, Message: 'txn in processing' }); return; }
    if (f?.kind === 'failed') { sendJson(res, 200, { Status: 'FAILED', Message: 'class com.starrocks.common.UserException: injected' }); return; }
    switch (op) {
      case 'begin':
        if (rec !== undefined && rec.state !== 'ABORTED') {
          sendJson(res, 200, { Status: 'LABEL_ALREADY_EXISTS', ExistingJobStatus: rec.state === 'VISIBLE' ? 'FINISHED' : 'RUNNING', Message: `Label [${label}] has already been used.` });
          return;
        }
        this.labels.set(key, { table: `${db}.${table}`, state: 'PREPARE', rows: [], txnId: this.txnSeq++ });
        sendJson(res, 200, { Status: 'OK', Message: '', Label: label, TxnId: this.txnSeq - 1, BeginTxnTimeMs: 0 });
        return;
      case 'prepare':
        if (rec === undefined || rec.state !== 'PREPARE') { sendJson(res, 200, { Status: 'TXN_NOT_EXISTS', Message: 'Transcation Not Exist' }); return; }
        rec.state = f?.kind === 'expire-after' ? 'ABORTED' : 'PREPARED';
        sendJson(res, 200, { Status: 'OK', Message: '', TxnId: rec.txnId, NumberTotalRows: rec.rows.length, NumberLoadedRows: rec.rows.length, NumberFilteredRows: 0, NumberUnselectedRows: 0 });
        return;
      case 'commit':
        if (rec?.state === 'VISIBLE') { sendJson(res, 200, { Status: 'OK', Message: 'Transaction already commited' }); return; }
        if (rec === undefined || rec.state !== 'PREPARED') { sendJson(res, 200, { Status: 'TXN_NOT_EXISTS', Message: 'Transcation Not Exist' }); return; }
        this.tables.get(rec.table)!.push(...rec.rows);
        rec.state = f?.kind === 'publish-timeout' ? 'COMMITTED' : 'VISIBLE';
        if (f?.kind === 'publish-timeout') { sendJson(res, 200, { Status: 'PUBLISH_TIMEOUT', Message: 'publish timeout' }); setTimeout(() => { rec.state = 'VISIBLE'; }, 20); return; }
        if (f?.kind === 'lost-response') { req.socket.destroy(); return; }
        sendJson(res, 200, { Status: 'OK', Message: '', TxnId: rec.txnId, NumberLoadedRows: rec.rows.length });
        return;
      default:
        if (rec === undefined || (rec.state !== 'PREPARE' && rec.state !== 'PREPARED')) { sendJson(res, 200, { Status: 'TXN_NOT_EXISTS', Message: 'Transcation Not Exist' }); return; }
        rec.state = 'ABORTED';
        sendJson(res, 200, { Status: 'OK', Message: '' });
    }
  }

  private async onBe(req: http.IncomingMessage, res: http.ServerResponse, expect: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://be');
    this.requests.push({ side: 'be', method: req.method ?? '', path: url.pathname, headers: req.headers });
    if (!this.authOk(req, res)) return;
    if (!expect) { this.violation(res, 'BE request without Expect: 100-continue'); return; }
    if (req.method !== 'PUT') { this.violation(res, 'BE load must be PUT'); return; }
    const label = String(req.headers.label ?? '');
    if (!/^[-\w]{1,128}$/.test(label)) { this.violation(res, `BE: bad or missing label ${JSON.stringify(label)}`, 200, { Status: 'Fail', Message: 'label' }); return; }
    const sl = /^\/api\/([^/]+)\/([^/]+)\/_stream_load$/.exec(url.pathname);
    const isTxn = url.pathname === '/api/transaction/load';
    if (sl === null && !isTxn) { this.violation(res, `unknown BE path ${url.pathname}`, 404); return; }
    const db = sl !== null ? decodeURIComponent(sl[1]!) : String(req.headers.db ?? '');
    const table = sl !== null ? `${db}.${decodeURIComponent(sl[2]!)}` : `${db}.${String(req.headers.table ?? '')}`;
    const key = `${db}/${label}`;
    const f = this.faults.take('be');
    if (f?.kind === 'http-500') { res.writeHead(500); res.end('internal error'); return; }
    if (f?.kind === 'slow-continue') await new Promise((r) => setTimeout(r, f.ms));
    if (!res.writable || req.socket.destroyed) return;
    if (f?.kind === 'label-running') { sendJson(res, 200, { Status: 'Label Already Exists', ExistingJobStatus: 'RUNNING', Label: label, Message: 'label exists' }); return; }
    res.writeContinue();
    if (f?.kind === 'reset-mid-body') {
      req.once('data', () => req.socket.destroy());
      return;
    }
    const timeout = req.headers.timeout;
    if (timeout !== undefined && !(Number(timeout) >= 1 && Number(timeout) <= 259200)) { this.violation(res, `timeout ${String(timeout)} out of 1..259200`, 200, { Status: 'Fail', Message: 'Invalid timeout' }); return; }
    let body: Buffer;
    try { body = await readBody(req); } catch { return; }
    if (String(req.headers.format ?? '').toUpperCase() === 'JSON' && body.length > this.maxJsonBytes && req.headers.ignore_json_size !== 'true') {
      this.violation(res, 'JSON body over the size limit without ignore_json_size', 200, { Status: 'Fail', Message: 'The size of this batch exceed the max size of json type data' });
      return;
    }
    const parsed = this.parseBody(req.headers, body);
    if (typeof parsed === 'string') {
      this.violations.push(parsed);
      if (isTxn) { const r = this.labels.get(key); if (r) r.state = 'ABORTED'; sendJson(res, 200, { Status: 'INTERNAL_ERROR', Message: 'too many filtered rows', ErrorURL: `${this.be.url}/api/_load_error_log?file=x` }); return; }
      sendJson(res, 200, { Status: 'Fail', Label: label, Message: 'too many filtered rows', ErrorURL: `${this.be.url}/api/_load_error_log?file=x`, NumberTotalRows: 0, NumberLoadedRows: 0 });
      return;
    }
    if (isTxn) {
      const rec = this.labels.get(key);
      if (rec === undefined || rec.state !== 'PREPARE') { sendJson(res, 200, { Status: 'TXN_NOT_EXISTS', Message: 'Transcation Not Exist' }); return; }
      const h = LOAD_HEADERS.map((k) => `${k}=${String(req.headers[k] ?? '')}`).join('&');
      if (rec.loadHeaders !== undefined && rec.loadHeaders !== h) { this.violation(res, 'transaction loads with different headers'); return; }
      rec.loadHeaders = h;
      if (f?.kind === 'too-many-filtered') { rec.state = 'ABORTED'; sendJson(res, 200, { Status: 'INTERNAL_ERROR', Message: 'too many filtered rows' }); return; }
      rec.rows.push(...parsed);
      sendJson(res, 200, { Status: 'OK', Message: '', TxnId: rec.txnId, LoadBytes: body.length });
      return;
    }
    const existing = this.labels.get(key);
    if (existing !== undefined && existing.state !== 'ABORTED') {
      sendJson(res, 200, { Status: 'Label Already Exists', ExistingJobStatus: existing.state === 'VISIBLE' ? 'FINISHED' : 'RUNNING', Label: label, Message: `Label [${label}] has already been used.` });
      return;
    }
    if (f?.kind === 'too-many-filtered') { sendJson(res, 200, { Status: 'Fail', Label: label, Message: 'too many filtered rows', ErrorURL: `${this.be.url}/api/_load_error_log?file=y` }); return; }
    if (f?.kind === 'txn-limit') { sendJson(res, 200, { Status: 'Fail', Label: label, Message: `current running txns on db ${db} is 100, larger than limit 100` }); return; }
    this.tables.get(table)?.push(...parsed);
    this.labels.set(key, { table, state: 'VISIBLE', rows: [], txnId: this.txnSeq++ });
    if (f?.kind === 'lost-response') { req.socket.destroy(); return; }
    sendJson(res, 200, { TxnId: this.txnSeq - 1, Label: label, Status: f?.kind === 'publish-timeout' ? 'Publish Timeout' : 'Success', Message: 'OK',
      NumberTotalRows: parsed.length, NumberLoadedRows: parsed.length, NumberFilteredRows: 0, NumberUnselectedRows: 0, LoadBytes: body.length, LoadTimeMs: 1 });
  }

  /** Rows from a CSV or JSON body, or a description of what is wrong with it. */
  private parseBody(h: http.IncomingHttpHeaders, body: Buffer): Row[] | string {
    const rows = this.parseRows(h, body);
    if (typeof rows !== 'string' && rows.some((r) => '__op' in r && r.__op !== '0' && r.__op !== '1')) return "NULL or invalid value in non-nullable column '__op'";
    return rows;
  }

  private parseRows(h: http.IncomingHttpHeaders, body: Buffer): Row[] | string {
    const columns = String(h.columns ?? '').split(',').map((c) => c.trim().replace(/^`|`$/g, '').replace(/``/g, '`'));
    if (columns.length < 1 || columns[0] === '') return 'missing columns header';
    const format = String(h.format ?? 'CSV').toUpperCase();
    if (format === 'JSON') {
      if (h.strip_outer_array !== 'true') return 'JSON without strip_outer_array';
      let data: unknown;
      // Integers beyond 2^53 stay exact, as StarRocks parses BIGINT (values are quoted before parsing).
      try { data = JSON.parse(body.toString('utf8').replace(/([:\[,])(-?\d{16,})(?=[,}\]])/g, '$1"$2"')); } catch { return 'JSON body does not parse'; }
      if (!Array.isArray(data)) return 'JSON body is not an array';
      const rows: Row[] = [];
      for (const o of data as unknown[]) {
        if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'JSON row is not an object';
        const row: Row = {};
        for (const c of columns) {
          const v = (o as Record<string, unknown>)[c];
          // A JSON number keeps its sign at zero (-0.0 is negative zero in a DOUBLE column).
          row[c] = v === undefined || v === null ? null : typeof v === 'string' ? v : Object.is(v, -0) ? '-0' : JSON.stringify(v);
        }
        for (const k of Object.keys(o)) if (!columns.includes(k)) return `JSON key ${k} not in columns`;
        rows.push(row);
      }
      return rows;
    }
    if (format !== 'CSV') return `unknown format ${format}`;
    const sep = unhex(String(h.column_separator ?? '\t'));
    const delim = unhex(String(h.row_delimiter ?? '\n'));
    const text = body.toString('utf8');
    if (text.length > 0 && !text.endsWith(delim)) return 'CSV body does not end with the row delimiter';
    const lines = text.split(delim);
    lines.pop();
    const rows: Row[] = [];
    for (const line of lines) {
      const fields = line.split(sep);
      if (fields.length !== columns.length) return `CSV row has ${fields.length} fields, columns has ${columns.length}`;
      const row: Row = {};
      columns.forEach((c, i) => { row[c] = fields[i] === '\\N' ? null : fields[i]!; });
      rows.push(row);
    }
    return rows;
  }
}

function unhex(s: string): string {
  if (!s.startsWith('\\x')) return s;
  return Buffer.from(s.slice(2), 'hex').toString('utf8');
}
