/**
 * An IoTDB client session over the native RPC (connectors.md §1.3 calls and structs, §1.4 table
 * model): openSession with protocol V3 and the `version`/`sql_dialect`/`db` configuration,
 * requestStatementId, insertTablet(s), DDL through executeUpdateStatementV2, closeSession. Status
 * rule as in the reference clients: 200 and 400 (written, with a redirect hint) succeed, 302
 * succeeds only when every sub-status does, anything else fails; `needRetry` makes it retryable.
 */
import { ConnectorError } from '../core/errors.js';
import { FramedConnection, type ConnectionOptions } from './framed-connection.js';
import { field, T, text, TType, type Decoded, type DecodedStruct, type TField } from './thrift.js';
import type { Tablet } from './tablet.js';
import { quoteNode, quotePath } from './path-names.js';

export interface SessionOptions extends ConnectionOptions {
  user: string;
  password: string;
  zoneId?: string;
  sqlDialect?: 'tree' | 'table';
  database?: string;
}

export interface StatusInfo { code: number; message: string; needRetry: boolean; redirect: string | undefined; sub: StatusInfo[] }

const SUCCESS = 200;
const REDIRECTION_RECOMMEND = 400;
const MULTIPLE_ERROR = 302;

export function readStatus(s: DecodedStruct): StatusInfo {
  const sub = (field<DecodedStruct[]>(s, 3) ?? []).map(readStatus);
  const node = field<DecodedStruct>(s, 4);
  return {
    code: field<number>(s, 1) ?? -1, message: text(s, 2) ?? '', needRetry: field<boolean>(s, 5) === true,
    redirect: node === undefined ? undefined : `${text(node, 1) ?? ''}:${field<number>(node, 2) ?? 0}`, sub,
  };
}

export function statusOk(st: StatusInfo): boolean {
  if (st.code === SUCCESS || st.code === REDIRECTION_RECOMMEND) return true;
  return st.code === MULTIPLE_ERROR && st.sub.length > 0 && st.sub.every(statusOk);
}

/** Codes after which the same request can succeed later (timeouts, overload, read-only spells). */
const TRANSIENT = new Set([600, 606, 611, 712, 1700, 1704, 1705]);

export class IoTDBSession {
  private readonly conn: FramedConnection;
  private sessionId = -1n;
  private statementId = -1n;
  /** The server's timestamp precision, as openSession reported it (ms when it did not). */
  precision: 'ms' | 'us' | 'ns' = 'ms';
  /** Redirect hints received (device → endpoint); writes stay on this connection. */
  readonly redirects = new Map<string, string>();

  constructor(readonly opts: SessionOptions) {
    this.conn = new FramedConnection(opts);
  }

  get open(): boolean { return this.conn.open && this.sessionId >= 0n; }

  private statusError(what: string, st: StatusInfo, devices?: string[]): ConnectorError {
    const detail = st.code === MULTIPLE_ERROR ? st.sub.filter((x) => !statusOk(x)).map((x) => `${x.code} ${x.message}`).join('; ') : st.message;
    return new ConnectorError(`${what} failed`, {
      sink: this.opts.sink, failure: 'rejected', retryable: st.needRetry || TRANSIENT.has(st.code), status: st.code, serverMessage: detail,
      endpoint: this.conn.endpoint, ...(devices !== undefined ? { devices } : {}),
    });
  }

  async connect(): Promise<void> {
    await this.conn.connect();
    const config: Record<string, string> = { version: 'V_1_0', sql_dialect: this.opts.sqlDialect ?? 'tree' };
    if (this.opts.database !== undefined) config.db = this.opts.database;
    const req: TField[] = [[1, T.i32(2)], [2, T.str(this.opts.zoneId ?? 'Z')], [3, T.str(this.opts.user)], [4, T.str(this.opts.password)], [5, T.strMap(config)]];
    const r = await this.conn.call('openSession', [[1, T.struct(req)]]);
    const resp = field<DecodedStruct>(r.body, 0);
    if (resp === undefined) throw new ConnectorError('openSession: empty reply', { sink: this.opts.sink, failure: 'protocol', retryable: false, endpoint: this.conn.endpoint });
    const st = readStatus(field<DecodedStruct>(resp, 1) ?? new Map());
    const id = field<bigint>(resp, 3);
    if (!statusOk(st) || id === undefined || id < 0n) {
      this.conn.close();
      throw this.statusError('openSession', { ...st, needRetry: false });
    }
    this.sessionId = id;
    const conf = field<Map<Decoded, Decoded>>(resp, 4);
    for (const [k, v] of conf ?? []) if (String(k) === 'timestamp_precision' && ['ms', 'us', 'ns'].includes(String(v))) this.precision = String(v) as 'ms' | 'us' | 'ns';
    const sr = await this.conn.call('requestStatementId', [[1, T.i64(id)]]);
    this.statementId = field<bigint>(sr.body, 0) ?? -1n;
  }

  private async status(method: string, req: TField[], devices?: string[]): Promise<StatusInfo> {
    const r = await this.conn.call(method, [[1, T.struct(req)]]);
    const st = field<DecodedStruct>(r.body, 0);
    if (st === undefined) throw new ConnectorError(`${method}: empty reply`, { sink: this.opts.sink, failure: 'protocol', retryable: false, endpoint: this.conn.endpoint });
    const info = readStatus(st);
    if (!statusOk(info)) throw this.statusError(method, info, devices);
    return info;
  }

  private noteRedirects(st: StatusInfo, devices: string[]): void {
    if (st.redirect !== undefined && devices.length === 1) this.redirects.set(devices[0]!, st.redirect);
    st.sub.forEach((s, i) => { if (s.redirect !== undefined && devices[i] !== undefined) this.redirects.set(devices[i]!, s.redirect); });
  }

  /** One tablet (tree model, or table model with `categories` = TAG 0 / FIELD 1 / ATTRIBUTE 2). */
  async insertTablet(t: Tablet, aligned: boolean, categories?: number[]): Promise<void> {
    // Tree paths and measurements travel in IoTDB node syntax; table and column names as they are.
    const tree = categories === undefined;
    const req: TField[] = [
      [1, T.i64(this.sessionId)], [2, T.str(tree ? quotePath(t.device) : t.device)],
      [3, T.list(TType.STRING, t.measurements.map((m) => T.str(tree ? quoteNode(m) : m)))],
      [4, T.str(t.values)], [5, T.str(t.timestamps)], [6, T.list(TType.I32, t.types.map((x) => T.i32(x)))], [7, T.i32(t.size)],
      [8, T.bool(aligned)],
    ];
    if (categories !== undefined) req.push([9, T.bool(true)], [10, T.list(TType.BYTE, categories.map((c) => T.byte(c)))]);
    this.noteRedirects(await this.status('insertTablet', req, [t.device]), [t.device]);
  }

  /** Several tree-model tablets in one call (one aligned flag for all). */
  async insertTablets(ts: Tablet[], aligned: boolean): Promise<void> {
    const devices = ts.map((t) => t.device);
    const req: TField[] = [
      [1, T.i64(this.sessionId)], [2, T.list(TType.STRING, devices.map((d) => T.str(quotePath(d))))],
      [3, T.list(TType.LIST, ts.map((t) => T.list(TType.STRING, t.measurements.map((m) => T.str(quoteNode(m))))))],
      [4, T.list(TType.STRING, ts.map((t) => T.str(t.values)))], [5, T.list(TType.STRING, ts.map((t) => T.str(t.timestamps)))],
      [6, T.list(TType.LIST, ts.map((t) => T.list(TType.I32, t.types.map((x) => T.i32(x)))))],
      [7, T.list(TType.I32, ts.map((t) => T.i32(t.size)))], [8, T.bool(aligned)],
    ];
    this.noteRedirects(await this.status('insertTablets', req, devices), devices);
  }

  /** A non-query statement (DDL); `tolerate` lists codes that count as success (e.g. already exists). */
  async execute(sql: string, tolerate: number[] = []): Promise<void> {
    const req: TField[] = [[1, T.i64(this.sessionId)], [2, T.str(sql)], [3, T.i64(this.statementId)]];
    const r = await this.conn.call('executeUpdateStatementV2', [[1, T.struct(req)]]);
    const resp = field<DecodedStruct>(r.body, 0);
    const st = readStatus(field<DecodedStruct>(resp ?? new Map(), 1) ?? new Map());
    const ok = statusOk(st) || tolerate.includes(st.code) ||
      (st.code === MULTIPLE_ERROR && st.sub.length > 0 && st.sub.every((s) => statusOk(s) || tolerate.includes(s.code)));
    if (!ok) throw this.statusError(`statement "${sql.slice(0, 80)}"`, st);
  }

  /**
   * Runs a query (`executeQueryStatementV2`) and yields its result pages: the first answer's
   * TsBlocks, then `fetchResultsV2` while the server says there is more; the operation is closed
   * at the end (also when the caller stops early).
   */
  async *query(sql: string, fetchSize: number, timeoutMs = 60_000): AsyncGenerator<{ columns: string[]; types: string[]; blocks: Buffer[]; tsBlockIndex: number[] | undefined }> {
    const req: TField[] = [[1, T.i64(this.sessionId)], [2, T.str(sql)], [3, T.i64(this.statementId)], [4, T.i32(fetchSize)], [5, T.i64(BigInt(timeoutMs))]];
    const r = await this.conn.call('executeQueryStatementV2', [[1, T.struct(req)]]);
    const resp = field<DecodedStruct>(r.body, 0);
    if (resp === undefined) throw new ConnectorError('executeQueryStatementV2: empty reply', { sink: this.opts.sink, failure: 'protocol', retryable: false, endpoint: this.conn.endpoint });
    const st = readStatus(field<DecodedStruct>(resp, 1) ?? new Map());
    if (!statusOk(st)) throw this.statusError(`query "${sql.slice(0, 120)}"`, st);
    const queryId = field<bigint>(resp, 2) ?? -1n;
    const columns = (field<Buffer[]>(resp, 3) ?? []).map((b) => b.toString('utf8'));
    const types = (field<Buffer[]>(resp, 6) ?? []).map((b) => b.toString('utf8'));
    const tsBlockIndex = field<number[]>(resp, 17);
    let blocks = field<Buffer[]>(resp, 13) ?? [];
    let more = field<boolean>(resp, 14) === true;
    try {
      for (;;) {
        yield { columns, types, blocks, tsBlockIndex };
        if (!more) return;
        const f: TField[] = [[1, T.i64(this.sessionId)], [2, T.str(sql)], [3, T.i32(fetchSize)], [4, T.i64(queryId)], [5, T.bool(true)], [6, T.i64(BigInt(timeoutMs))], [7, T.i64(this.statementId)]];
        const fr = await this.conn.call('fetchResultsV2', [[1, T.struct(f)]]);
        const fresp = field<DecodedStruct>(fr.body, 0) ?? new Map();
        const fst = readStatus(field<DecodedStruct>(fresp, 1) ?? new Map());
        if (!statusOk(fst)) throw this.statusError(`fetchResultsV2 of "${sql.slice(0, 80)}"`, fst);
        blocks = field<Buffer[]>(fresp, 6) ?? [];
        more = field<boolean>(fresp, 7) === true;
        if (field<boolean>(fresp, 2) !== true) return;
      }
    } finally {
      if (this.conn.open && queryId >= 0n) {
        await this.conn.call('closeOperation', [[1, T.struct([[1, T.i64(this.sessionId)], [2, T.i64(queryId)], [3, T.i64(this.statementId)]])]]).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    try {
      if (this.conn.open && this.sessionId >= 0n) await this.conn.call('closeSession', [[1, T.struct([[1, T.i64(this.sessionId)]])]]);
    } catch { /* closing anyway */ } finally {
      this.sessionId = -1n;
      this.conn.close();
    }
  }
}
