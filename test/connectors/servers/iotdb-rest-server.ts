/**
 * A strict IoTDB REST server for tests (connectors.md §1.2, §5 "IoTDB REST" rows): Basic auth with
 * the reference codes, the request-size filter, every insertTablet field and length checked, JSON
 * value kinds checked per data type, the ms precision bound, path legality, rows sorted by time
 * before they are stored; table-model insertTablet with its seven fields; nonQuery for DDL.
 */
import * as http from 'node:http';
import { FaultQueue, listen, parseBasic, readBody, sendJson, type Listening } from './common.js';
import { canonical, IoTDBStore, queryStore, readPathNodes, storeDevice } from './iotdb-store.js';

export type RestFault = { at: 'insert' | 'query'; kind: 'http-503' | 'reset' } | { at: 'insert'; kind: 'code'; code: number; message?: string } | { at: 'insert'; kind: 'slow'; ms: number };

const TYPES = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'TIMESTAMP', 'DATE', 'BLOB', 'STRING'];
const BIG = Symbol('bigint');
type BigBox = { [BIG]: bigint };

/** JSON.parse that keeps integers beyond 2^53 exact (boxed) instead of rounding them. */
function parseExact(text: string): unknown {
  const marked = text.replace(/([[,:])\s*(-?\d{16,})(?=\s*[,\]}])/g, '$1{"$$big":"$2"}');
  return JSON.parse(marked, (_k, v: unknown) => (v !== null && typeof v === 'object' && '$big' in (v as object) ? { [BIG]: BigInt((v as { $big: string }).$big) } : v));
}

function isBig(v: unknown): v is BigBox { return v !== null && typeof v === 'object' && BIG in (v as object); }

export class IoTDBRestTestServer {
  readonly store = new IoTDBStore();
  readonly faults = new FaultQueue<RestFault>();
  readonly violations: string[] = [];
  readonly nonQueries: string[] = [];
  readonly queries: string[] = [];
  readonly tableRows = new Map<string, Record<string, string | null>[]>();
  requests = 0;
  maxBodyBytes = 0;
  server!: Listening;

  constructor(readonly user = 'root', readonly password = 'rest-pw') {}

  async start(): Promise<this> {
    this.server = await listen(http.createServer((req, res) => { void this.handle(req, res); }));
    return this;
  }
  get port(): number { return this.server.port; }
  async close(): Promise<void> { await this.server.close(); }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const a = parseBasic(req.headers.authorization);
    if (a === 'missing') { this.violations.push('no Authorization'); sendJson(res, 401, { code: 800, message: 'INIT_AUTH_ERROR' }); return; }
    if (a === 'malformed' || a === 'other-scheme') { sendJson(res, 400, { code: 303, message: 'Illegal format of authorization header.' }); return; }
    if (a.user !== this.user || a.password !== this.password) { sendJson(res, 401, { code: 801, message: 'WRONG_LOGIN_PASSWORD' }); return; }
    const len = Number(req.headers['content-length'] ?? -1);
    if (this.maxBodyBytes > 0 && len > this.maxBodyBytes) { sendJson(res, 413, { code: 413, message: 'Request body too large' }); return; }
    if (req.method !== 'POST') { sendJson(res, 405, { code: 405, message: 'method' }); return; }
    let body: unknown;
    const raw = (await readBody(req)).toString('utf8');
    // Jackson reads the integer token -0 as 0: a negative zero must travel as -0.0.
    if (/[[,]\s*-0\s*[,\]]/.test(raw)) this.violations.push('integer -0 in a JSON body (read as 0)');
    try { body = parseExact(raw); } catch { sendJson(res, 200, { code: 305, message: 'malformed JSON' }); this.violations.push('malformed JSON'); return; }
    const url = req.url ?? '';
    if (url === '/rest/v2/nonQuery' || url === '/rest/table/v1/nonQuery') {
      const sql = (body as { sql?: unknown }).sql;
      if (typeof sql !== 'string') { sendJson(res, 200, { code: 305, message: 'sql should not be null' }); return; }
      this.nonQueries.push(sql);
      const ts = /^CREATE TIMESERIES (\S+) WITH/.exec(sql);
      if (ts !== null && this.store.timeseries.has(ts[1]!)) { sendJson(res, 200, { code: 503, message: `Timeseries [${ts[1]}] already exist` }); return; }
      if (ts !== null) this.store.timeseries.add(ts[1]!);
      sendJson(res, 200, { code: 200, message: 'SUCCESS_STATUS' });
      return;
    }
    if (url === '/rest/v2/query') { this.query(body as Record<string, unknown>, req, res); return; }
    if (url !== '/rest/v2/insertTablet' && url !== '/rest/table/v1/insertTablet') { this.violations.push(`path ${url}`); sendJson(res, 404, { code: 404, message: 'not found' }); return; }
    const f = this.faults.take('insert');
    if (f?.kind === 'http-503') { sendJson(res, 503, { code: 503, message: 'request memory budget exhausted' }); return; }
    if (f?.kind === 'reset') { req.socket.destroy(); return; }
    if (f?.kind === 'slow') await new Promise((r) => setTimeout(r, f.ms));
    if (f?.kind === 'code') { sendJson(res, 200, { code: f.code, message: f.message ?? 'injected' }); return; }
    const outcome = url === '/rest/v2/insertTablet' ? this.insertTree(body as Record<string, unknown>) : this.insertTable(body as Record<string, unknown>);
    if (!res.writable || req.socket.destroyed) return;
    sendJson(res, 200, outcome === undefined ? { code: 200, message: 'SUCCESS_STATUS' } : outcome);
  }

  /** Largest answer of one query (rest_query_default_row_size_limit); a larger one is code 411. */
  rowLimit = 10_000;

  /**
   * `/rest/v2/query` (connectors.md §1.2): `{sql, row_limit?}` answered with column-major
   * `{expressions, column_names, timestamps, values}`; numbers as JSON numbers (int64 digits
   * exact), NaN/±Infinity as strings, DATE as `YYYY-MM-DD`, BLOB as `0x`-hex text.
   */
  private query(b: Record<string, unknown>, req: http.IncomingMessage, res: http.ServerResponse): void {
    const f = this.faults.take('query');
    if (f?.kind === 'http-503') { sendJson(res, 503, { code: 503, message: 'request memory budget exhausted' }); return; }
    if (f?.kind === 'reset') { req.socket.destroy(); return; }
    if (typeof b.sql !== 'string') { this.violations.push('query without sql'); sendJson(res, 200, { code: 305, message: 'sql should not be null' }); return; }
    if (b.row_limit !== undefined && !(Number.isInteger(b.row_limit) && (b.row_limit as number) > 0)) { sendJson(res, 200, { code: 305, message: 'row_limit should be positive' }); return; }
    this.queries.push(b.sql);
    const r = queryStore(this.store, b.sql);
    if ('code' in r) { sendJson(res, 200, r); return; }
    const limit = (b.row_limit as number | undefined) ?? this.rowLimit;
    if ((r.values[0]?.length ?? 0) > limit) { sendJson(res, 200, { code: 411, message: `Dataset row size exceeded the given max row size (${limit})` }); return; }
    const cell = (t: string, v: string | null): string => {
      if (v === null) return 'null';
      if (t === 'BOOLEAN') return v;
      if (['INT32', 'INT64', 'TIMESTAMP'].includes(t)) return v;
      if (t === 'FLOAT' || t === 'DOUBLE') return /^(NaN|-?Infinity)$/.test(v) ? JSON.stringify(v) : v === '-0' ? '-0.0' : v;
      return JSON.stringify(v);
    };
    const text = `{"expressions":${JSON.stringify(r.times === null ? null : r.columns)},"column_names":${JSON.stringify(r.columns)},` +
      `"timestamps":${r.times === null ? 'null' : `[${r.times.join(',')}]`},"values":[${r.values.map((c, k) => `[${c.map((v) => cell(r.types[k]!, v)).join(',')}]`).join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private checkValue(type: string, v: unknown): string | undefined {
    if (v === null) return undefined;
    switch (type) {
      case 'BOOLEAN': return v === true || v === false || String(v) === '1' || String(v) === '0' ? undefined : 'not a boolean';
      case 'INT32': case 'DATE': return Number.isInteger(v) && (v as number) >= -2147483648 && (v as number) <= 2147483647 ? undefined : 'not an int32';
      case 'INT64': case 'TIMESTAMP': return Number.isInteger(v) || isBig(v) ? undefined : 'not an int64';
      case 'FLOAT': case 'DOUBLE': return typeof v === 'number' || (typeof v === 'string' && !Number.isNaN(Number(v)) || v === 'NaN') ? undefined : 'not a number';
      default: return typeof v === 'string' ? undefined : 'not text';
    }
  }

  private decode(type: string, v: unknown): string {
    if (isBig(v)) return String(v[BIG]);
    if (type === 'BOOLEAN') return v === true || String(v) === '1' ? 'true' : 'false';
    if (type === 'FLOAT' || type === 'DOUBLE') return canonical(type, Number(v));
    if (type === 'DATE') return canonical('DATE', v as number);
    // BLOB has no binary JSON form: the server stores the text's bytes (connectors.md §1.2).
    if (type === 'BLOB') return canonical('BLOB', Buffer.from(String(v), 'utf8'));
    return String(v);
  }

  private insertTree(b: Record<string, unknown>): { code: number; message: string } | undefined {
    for (const k of ['timestamps', 'measurements', 'data_types', 'values', 'is_aligned', 'device']) {
      if (b[k] === undefined || b[k] === null) { this.violations.push(`${k} missing`); return { code: 305, message: `${k} should not be null` }; }
    }
    const ts = b.timestamps as unknown[];
    const ms = b.measurements as string[];
    const types = (b.data_types as string[]).map((t) => t.toUpperCase());
    const values = b.values as unknown[][];
    const fail = (code: number, message: string): { code: number; message: string } => { this.violations.push(message); return { code, message }; };
    const nodes = readPathNodes(b.device as string);
    if (typeof nodes === 'string') return fail(509, nodes);
    if (nodes[0] !== 'root' || nodes.length < 2) return fail(509, `${String(b.device)} is not a legal path: it must start with root.`);
    const device = storeDevice(nodes);
    if (types.some((t) => !TYPES.includes(t))) return fail(305, `The data type of ${device} is illegal`);
    if (values.length !== ms.length || types.length !== ms.length) return fail(305, 'values/measurements/data_types lengths differ');
    if (values.some((c) => c.length !== ts.length)) return fail(305, 'a values column length differs from timestamps');
    if (ts.some((t) => !Number.isInteger(t) && !isBig(t))) return fail(305, 'timestamp not an integer');
    const times = ts.map((t) => (isBig(t) ? t[BIG] : BigInt(t as number)));
    if (times.some((t) => t > 10_000_000_000_000n)) return { code: 701, message: 'Current system timestamp precision is ms' };
    const names: string[] = [];
    for (let c = 0; c < ms.length; c++) {
      const m = readPathNodes(ms[c]!);
      if (typeof m === 'string' || m.length !== 1) return fail(509, `illegal measurement ${ms[c]}: ${String(m)}`);
      names.push(m[0]!);
      for (const v of values[c]!) { const e = this.checkValue(types[c]!, v); if (e !== undefined) return fail(606, `${device}.${ms[c]}: ${e}`); }
    }
    const order = times.map((_, i) => i).sort((x, y) => (times[x]! < times[y]! ? -1 : times[x]! > times[y]! ? 1 : x - y));
    if (b.is_aligned === true) this.store.alignedDevices.add(device);
    for (let c = 0; c < ms.length; c++) {
      for (const r of order) {
        const v = values[c]![r];
        if (v === null) continue;
        const err = this.store.put(device, names[c]!, types[c]!, times[r]!, this.decode(types[c]!, v));
        if (err !== undefined) return { code: 614, message: err };
      }
    }
    return undefined;
  }

  private insertTable(b: Record<string, unknown>): { code: number; message: string } | undefined {
    const problems: string[] = [];
    for (const k of ['database', 'table', 'column_names', 'column_categories', 'data_types', 'timestamps', 'values']) if (b[k] === undefined || b[k] === null) problems.push(`${k} should not be null`);
    if (problems.length > 0) { this.violations.push(...problems); return { code: 305, message: problems.join(', ') }; }
    const names = b.column_names as string[];
    const cats = b.column_categories as string[];
    const types = b.data_types as string[];
    const rows = b.values as unknown[][];
    if (cats.length === 0 || cats.length !== names.length || types.length !== names.length) problems.push('column_categories, column_names and data_types lengths differ');
    if (cats.some((c) => c !== 'TAG' && c !== 'FIELD' && c !== 'ATTRIBUTE')) problems.push('column_categories must be TAG, FIELD or ATTRIBUTE');
    if (rows.length !== (b.timestamps as unknown[]).length) problems.push('values and timestamps lengths differ');
    if (rows.some((r) => r.length !== types.length)) problems.push('a row has the wrong number of values');
    if (problems.length > 0) { this.violations.push(...problems); return { code: 305, message: problems.join(', ') }; }
    const out = this.tableRows.get(String(b.table)) ?? [];
    rows.forEach((r, i) => {
      const t = (b.timestamps as unknown[])[i];
      const row: Record<string, string | null> = { time: String(isBig(t) ? t[BIG] : t) };
      names.forEach((n, k) => { row[n] = r[k] === null ? null : this.decode(types[k]!.toUpperCase(), r[k]); });
      out.push(row);
    });
    this.tableRows.set(String(b.table), out);
    return undefined;
  }
}
