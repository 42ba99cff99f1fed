/**
 * A strict IoTDB DataNode client-RPC server for tests (connectors.md §1.3, §5 "IoTDB Thrift RPC"):
 * framed transport with a frame-size limit, binary or compact protocol fixed per server (a client
 * speaking the other one is disconnected, as a real server would fail), openSession checks
 * (protocol V3, credentials, sql_dialect), session required before anything else, tablets decoded
 * byte-exactly — `8*size` timestamp bytes, ascending times, column widths, TEXT lengths in bounds,
 * bitmap markers with `size/8+1` bytes — and one-shot injected faults.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ByteBuffer } from '../../../src/connectors/core/byte-buffer.js';
import { decodeMessage, encodeMessage, MessageType, T, TType, field, text, type DecodedStruct, type TField, type ThriftProtocol } from '../../../src/connectors/iotdb/thrift.js';
import { FaultQueue, listen, type Listening } from './common.js';
import { canonical, IoTDBStore, queryStore, readPathNodes, storeDevice, TYPE_NAMES } from './iotdb-store.js';

export type RpcFault =
  | { at: 'insert'; kind: 'status'; code: number; message?: string; needRetry?: boolean }
  | { at: 'insert'; kind: 'redirect'; code: 200 | 400; to?: { ip: string; port: number } }
  | { at: 'insert'; kind: 'close-before' | 'close-after' }
  | { at: 'insert'; kind: 'slow'; ms: number }
  | { at: 'open'; kind: 'status'; code: number }
  | { at: 'query' | 'fetch'; kind: 'close-before' }
  | { at: 'query' | 'fetch'; kind: 'status'; code: number; message?: string };

interface Conn { session: bigint | undefined; dialect: string; statementId: bigint | undefined; queries: Map<bigint, Buffer[]>; opened: Set<bigint> }

const TYPE_CODES: Record<string, number> = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 3, DOUBLE: 4, TEXT: 5, TIMESTAMP: 8, DATE: 9, BLOB: 10, STRING: 11 };

/**
 * Serializes rows as a TsBlock the way a DataNode answers queries: value column count, type bytes,
 * row count, column encodings (time int64 array; BOOLEAN byte array, INT32/DATE/FLOAT int32,
 * INT64/TIMESTAMP/DOUBLE int64, text/BLOB binary), each column with its null flags (MSB first) and
 * values for the non-null rows only. Values arrive as canonical text.
 */
export function encodeTsBlock(types: string[], times: bigint[], cols: (string | null)[][]): Buffer {
  const parts: Buffer[] = [];
  const i32 = (v: number): void => { const b = Buffer.alloc(4); b.writeInt32BE(v); parts.push(b); };
  const packed = (flags: boolean[]): void => {
    const b = Buffer.alloc((flags.length + 7) >> 3);
    flags.forEach((f, i) => { if (f) b[i >> 3]! |= 0x80 >> (i & 7); });
    parts.push(b);
  };
  i32(types.length);
  parts.push(Buffer.from(types.map((t) => TYPE_CODES[t]!)));
  i32(times.length);
  const enc = (t: string): number => (t === 'BOOLEAN' ? 0 : ['INT32', 'DATE', 'FLOAT'].includes(t) ? 1 : ['INT64', 'TIMESTAMP', 'DOUBLE'].includes(t) ? 2 : 3);
  parts.push(Buffer.from([2, ...types.map(enc)]));
  if (times.length > 0) {
    parts.push(Buffer.from([0]));
    const tb = Buffer.alloc(8 * times.length);
    times.forEach((t, i) => tb.writeBigInt64BE(t, i * 8));
    parts.push(tb);
  }
  types.forEach((t, k) => {
    const col = cols[k]!;
    if (times.length === 0) return;
    const nulls = col.map((v) => v === null);
    if (nulls.some((x) => x)) { parts.push(Buffer.from([1])); packed(nulls); } else parts.push(Buffer.from([0]));
    if (t === 'BOOLEAN') { packed(col.map((v) => v === 'true')); return; }
    for (const v of col) {
      if (v === null) continue;
      const b = Buffer.alloc(8);
      switch (t) {
        case 'INT32': b.writeInt32BE(Number(v)); parts.push(b.subarray(0, 4)); break;
        case 'DATE': b.writeInt32BE(Number(v.replace(/-/g, ''))); parts.push(b.subarray(0, 4)); break;
        case 'FLOAT': b.writeFloatBE(Number(v)); parts.push(b.subarray(0, 4)); break;
        case 'DOUBLE': b.writeDoubleBE(Number(v)); parts.push(b); break;
        case 'INT64': case 'TIMESTAMP': b.writeBigInt64BE(BigInt(v)); parts.push(b); break;
        default: {
          const bytes = t === 'BLOB' ? Buffer.from(v.slice(2), 'hex') : Buffer.from(v, 'utf8');
          i32(bytes.length);
          parts.push(bytes);
        }
      }
    }
  });
  return Buffer.concat(parts);
}

export class IoTDBRpcTestServer {
  readonly store = new IoTDBStore();
  readonly faults = new FaultQueue<RpcFault>();
  readonly violations: string[] = [];
  readonly calls: string[] = [];
  readonly statements: string[] = [];
  /** Table-model rows: table → rows as column → canonical value. */
  readonly tableRows = new Map<string, Record<string, string | null>[]>();
  server!: Listening;
  private nextSession = 1000n;
  private nextQuery = 1;
  /** Queries answered but not yet closed by closeOperation. */
  readonly openQueries = new Set<bigint>();
  maxFrame = 16 * 1024 * 1024;

  constructor(readonly protocol: ThriftProtocol = 'binary', readonly user = 'root', readonly password = 'iotdb-pw', private readonly tlsPair?: { key: string; cert: string }) {}

  async start(): Promise<this> {
    const srv = this.tlsPair !== undefined
      ? tls.createServer({ key: this.tlsPair.key, cert: this.tlsPair.cert }, (s) => this.onConnection(s))
      : net.createServer((s) => this.onConnection(s));
    this.server = await listen(srv);
    return this;
  }

  get port(): number { return this.server.port; }
  async close(): Promise<void> { await this.server.close(); }

  private onConnection(s: net.Socket): void {
    const conn: Conn = { session: undefined, dialect: 'tree', statementId: undefined, queries: new Map(), opened: new Set() };
    let buf = Buffer.alloc(0);
    let busy = Promise.resolve();
    s.on('error', () => undefined);
    // A lost connection ends its session and the queries it left open, as on a DataNode.
    s.on('close', () => { for (const id of conn.queries.keys()) this.openQueries.delete(id); for (const id of conn.opened) this.openQueries.delete(id); });
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4) {
        const n = buf.readInt32BE(0);
        if (n <= 0 || n > this.maxFrame) { this.violations.push(`frame size ${n}`); s.destroy(); return; }
        if (buf.length < 4 + n) return;
        const payload = buf.subarray(4, 4 + n);
        buf = buf.subarray(4 + n);
        busy = busy.then(() => this.onFrame(s, conn, payload));
      }
    });
  }

  private reply(s: net.Socket, name: string, seqid: number, success: TField[] | bigint | null): void {
    const out = new ByteBuffer(256);
    out.int32BE(0);
    const body: TField[] = success === null ? [] : typeof success === 'bigint' ? [[0, T.i64(success)]] : [[0, T.struct(success)]];
    encodeMessage(this.protocol, name, MessageType.REPLY, seqid, body, out);
    const b = Buffer.from(out.contents());
    b.writeInt32BE(b.length - 4, 0);
    if (!s.destroyed) s.write(b);
  }

  private async onFrame(s: net.Socket, conn: Conn, payload: Buffer): Promise<void> {
    let m;
    try { m = decodeMessage(this.protocol, payload); } catch (e) {
      this.violations.push(`undecodable ${this.protocol} message: ${(e as Error).message}`);
      s.destroy();
      return;
    }
    this.calls.push(m.name);
    if (m.type !== MessageType.CALL) { this.violations.push(`message type ${m.type}`); s.destroy(); return; }
    const req = field<DecodedStruct>(m.body, 1);
    const status = (code: number, message = '', extra: TField[] = []): TField[] => [[1, T.i32(code)], [2, T.str(message)], ...extra];
    if (m.name === 'openSession') {
      const f = this.faults.take('open') as Extract<RpcFault, { at: 'open' }> | undefined;
      const r = req ?? new Map();
      const cfg = field<Map<string, Buffer>>(r, 5) ?? new Map();
      const dialect = (cfg.get('sql_dialect')?.toString() ?? 'tree').toLowerCase();
      let st: TField[];
      if (f !== undefined) st = status(f.code, 'injected');
      else if (field<number>(r, 1) !== 2) st = status(201, 'INCOMPATIBLE_VERSION');
      else if (text(r, 3) !== this.user || text(r, 4) !== this.password) st = status(801, 'Authentication failed.');
      else if (dialect !== 'tree' && dialect !== 'table') st = status(205, 'UNSUPPORTED_SQL_DIALECT');
      else if (cfg.get('version')?.toString() !== 'V_1_0' || text(r, 2) === undefined) { st = status(303, 'missing version/zoneId'); this.violations.push('openSession without version or zoneId'); }
      else {
        conn.session = this.nextSession++;
        conn.dialect = dialect;
        this.reply(s, m.name, m.seqid, [[1, T.struct(status(200))], [2, T.i32(2)], [3, T.i64(conn.session)], [4, T.strMap({ timestamp_precision: 'ms' })]]);
        return;
      }
      this.reply(s, m.name, m.seqid, [[1, T.struct(st)], [2, T.i32(2)], [3, T.i64(-1)]]);
      return;
    }
    if (conn.session === undefined) { this.violations.push(`${m.name} before openSession`); this.reply(s, m.name, m.seqid, status(802, 'NOT_LOGIN')); return; }
    switch (m.name) {
      case 'requestStatementId':
        conn.statementId = 1n;
        this.reply(s, m.name, m.seqid, 1n);
        return;
      case 'executeQueryStatementV2': {
        if (conn.statementId === undefined) this.violations.push('query before requestStatementId');
        const f = this.faults.take('query') as { kind: string; code?: number; message?: string } | undefined;
        if (f?.kind === 'close-before') { s.destroy(); return; }
        if (f?.kind === 'status') { this.reply(s, m.name, m.seqid, [[1, T.struct(status(f.code ?? 305, f.message ?? 'injected'))]]); return; }
        const sql = text(req!, 2) ?? '';
        this.statements.push(sql);
        const fetchSize = field<number>(req!, 4) ?? 0;
        if (fetchSize <= 0) this.violations.push('query without a fetchSize');
        const r = queryStore(this.store, sql);
        if ('code' in r) { this.reply(s, m.name, m.seqid, [[1, T.struct(status(r.code, r.message))]]); return; }
        const times = r.times ?? r.values[0]?.map((_, i) => BigInt(i)) ?? [];
        const blocks: Buffer[] = [];
        const size = Math.max(1, fetchSize);
        for (let from = 0; from < times.length || from === 0; from += size) {
          blocks.push(encodeTsBlock(r.types.map((t) => (r.times === null ? 'TEXT' : t)), times.slice(from, from + size), r.values.map((c) => c.slice(from, from + size))));
          if (times.length === 0) break;
        }
        const queryId = BigInt(this.nextQuery++);
        const first = blocks.shift()!;
        if (blocks.length > 0) conn.queries.set(queryId, blocks);
        this.openQueries.add(queryId);
        conn.opened.add(queryId);
        this.reply(s, m.name, m.seqid, [[1, T.struct(status(200))], [2, T.i64(queryId)], [3, T.list(TType.STRING, r.columns.map((c) => T.str(c)))],
          [5, T.bool(r.times === null)], [6, T.list(TType.STRING, r.types.map((t) => T.str(t)))], [13, T.list(TType.STRING, [T.str(first)])], [14, T.bool(blocks.length > 0)]]);
        return;
      }
      case 'fetchResultsV2': {
        const f = this.faults.take('fetch') as { kind: string; code?: number; message?: string } | undefined;
        if (f?.kind === 'close-before') { s.destroy(); return; }
        if (f?.kind === 'status') { this.reply(s, m.name, m.seqid, [[1, T.struct(status(f.code ?? 305, f.message ?? 'injected'))], [2, T.bool(false)], [3, T.bool(true)]]); return; }
        const id = field<bigint>(req!, 4) ?? -1n;
        const left = conn.queries.get(id);
        if (left === undefined) { this.violations.push(`fetch of query ${id} with nothing left`); this.reply(s, m.name, m.seqid, [[1, T.struct(status(301, 'no such query'))], [2, T.bool(false)], [3, T.bool(true)]]); return; }
        const next = left.shift()!;
        if (left.length === 0) conn.queries.delete(id);
        this.reply(s, m.name, m.seqid, [[1, T.struct(status(200))], [2, T.bool(true)], [3, T.bool(true)], [6, T.list(TType.STRING, [T.str(next)])], [7, T.bool(left.length > 0)]]);
        return;
      }
      case 'closeOperation': {
        const id = field<bigint>(req!, 2) ?? -1n;
        if (!this.openQueries.delete(id)) this.violations.push(`closeOperation of unknown query ${id}`);
        conn.queries.delete(id);
        this.reply(s, m.name, m.seqid, status(200));
        return;
      }
      case 'closeSession':
        conn.session = undefined;
        this.reply(s, m.name, m.seqid, status(200));
        return;
      case 'executeUpdateStatementV2': {
        if (conn.statementId === undefined) this.violations.push('statement before requestStatementId');
        const sql = text(req!, 2) ?? '';
        this.statements.push(sql);
        const ts = /^CREATE TIMESERIES (\S+) WITH/.exec(sql);
        let st = status(200);
        if (/^CREATE (ALIGNED )?TIMESERIES root\.readonly\./.test(sql)) st = status(600, 'Database is read-only');
        else if (ts !== null) { if (this.store.timeseries.has(ts[1]!)) st = status(503, `Timeseries [${ts[1]}] already exist`); else this.store.timeseries.add(ts[1]!); }
        this.reply(s, m.name, m.seqid, [[1, T.struct(st)]]);
        return;
      }
      case 'insertTablet': case 'insertTablets': {
        const f = this.faults.take('insert') as Extract<RpcFault, { at: 'insert' }> | undefined;
        if (f?.kind === 'slow') await new Promise((r) => setTimeout(r, f.ms));
        if (f?.kind === 'close-before') { s.destroy(); return; }
        if (f?.kind === 'status') { this.reply(s, m.name, m.seqid, status(f.code, f.message ?? 'injected', f.needRetry ? [[5, T.bool(true)]] : [])); return; }
        const r = req!;
        const tablets = m.name === 'insertTablet'
          ? [{ device: text(r, 2) ?? '', measurements: field<Buffer[]>(r, 3) ?? [], values: field<Buffer>(r, 4), times: field<Buffer>(r, 5), types: field<number[]>(r, 6) ?? [], size: field<number>(r, 7) ?? -1, aligned: field<boolean>(r, 8) === true, table: field<boolean>(r, 9) === true, cats: field<number[]>(r, 10) }]
          : (field<Buffer[]>(r, 2) ?? []).map((d, i) => ({ device: d.toString(), measurements: field<Buffer[][]>(r, 3)?.[i] ?? [], values: field<Buffer[]>(r, 4)?.[i], times: field<Buffer[]>(r, 5)?.[i], types: field<number[][]>(r, 6)?.[i] ?? [], size: field<number[]>(r, 7)?.[i] ?? -1, aligned: field<boolean>(r, 8) === true, table: false, cats: undefined }));
        const subs: string[] = [];
        for (const t of tablets) {
          const err = this.applyTablet(t.device, t.measurements.map((x) => x.toString()), t.values, t.times, t.types, t.size, t.aligned, t.table, t.cats, conn.dialect);
          if (err !== undefined) subs.push(err);
        }
        if (f?.kind === 'close-after') { s.destroy(); return; }
        if (subs.length > 0) { this.reply(s, m.name, m.seqid, status(Number(/^\d+/.exec(subs[0]!)?.[0] ?? 305), subs.join('; '))); return; }
        if (f?.kind === 'redirect') {
          const to = f.to ?? { ip: '0.0.0.0', port: 6667 };
          const node = T.struct([[1, T.str(to.ip)], [2, T.i32(to.port)]]);
          // insertTablets carries one hint per device in subStatus (code 400 each).
          const extra: TField[] = m.name === 'insertTablets' ? [[3, T.list(12, tablets.map(() => T.struct([[1, T.i32(400)], [4, node]])))]] : [[4, node]];
          this.reply(s, m.name, m.seqid, status(f.code, '', extra));
          return;
        }
        this.reply(s, m.name, m.seqid, status(200));
        return;
      }
      default:
        this.violations.push(`unknown method ${m.name}`);
        s.destroy();
    }
  }

  private applyTablet(prefixPath: string, sentMeasurements: string[], values: Buffer | undefined, times: Buffer | undefined, types: number[], size: number, aligned: boolean, table: boolean, cats: number[] | undefined, dialect: string): string | undefined {
    const bad = (why: string): string => { this.violations.push(`${prefixPath}: ${why}`); return `305 ${why}`; };
    // Tree-model paths and measurements are in IoTDB node syntax; table and column names are plain.
    let device = prefixPath;
    let measurements = sentMeasurements;
    if (!table) {
      const nodes = readPathNodes(prefixPath);
      if (typeof nodes === 'string') { this.violations.push(nodes); return `509 ${nodes}`; }
      if (nodes[0] !== 'root' || nodes.length < 2) { this.violations.push(`${prefixPath} not under root`); return `509 ${prefixPath} is not a legal path`; }
      device = storeDevice(nodes);
      measurements = [];
      for (const m of sentMeasurements) {
        const n = readPathNodes(m);
        if (typeof n === 'string' || n.length !== 1) { this.violations.push(`measurement ${m}`); return `509 illegal measurement ${m}`; }
        measurements.push(n[0]!);
      }
    }
    if (values === undefined || times === undefined || size < 0) return bad('missing required field');
    if (types.length !== measurements.length) return bad(`types ${types.length} != measurements ${measurements.length}`);
    if (times.length !== 8 * size) return bad(`timestamps ${times.length} bytes for size ${size}`);
    if (table !== (dialect === 'table')) return bad('writeToTable does not match the session dialect');
    if (table && (cats === undefined || cats.length !== measurements.length)) return bad('columnCategories length');
    const ts: bigint[] = [];
    for (let i = 0; i < size; i++) ts.push(times.readBigInt64BE(i * 8));
    for (let i = 1; i < size; i++) if (ts[i]! < ts[i - 1]!) return bad('timestamps not ascending');
    for (const t of ts) if (t > 10_000_000_000_000n) return '701 Current system timestamp precision is ms';
    let p = 0;
    const cols: (number | bigint | boolean | Buffer)[][] = [];
    for (const code of types) {
      const type = TYPE_NAMES[code];
      if (type === undefined) return bad(`type code ${code}`);
      const col: (number | bigint | boolean | Buffer)[] = [];
      for (let i = 0; i < size; i++) {
        const need = (n: number): boolean => p + n <= values.length;
        switch (type) {
          case 'BOOLEAN': if (!need(1)) return bad('values too short'); col.push(values[p]! !== 0); p += 1; break;
          case 'INT32': case 'DATE': if (!need(4)) return bad('values too short'); col.push(values.readInt32BE(p)); p += 4; break;
          case 'FLOAT': if (!need(4)) return bad('values too short'); col.push(values.readFloatBE(p)); p += 4; break;
          case 'INT64': case 'TIMESTAMP': if (!need(8)) return bad('values too short'); col.push(values.readBigInt64BE(p)); p += 8; break;
          case 'DOUBLE': if (!need(8)) return bad('values too short'); col.push(values.readDoubleBE(p)); p += 8; break;
          default: {
            if (!need(4)) return bad('values too short');
            const n = values.readInt32BE(p); p += 4;
            if (n < 0 || !need(n)) return bad(`text length ${n} out of bounds`);
            col.push(values.subarray(p, p + n)); p += n;
          }
        }
      }
      cols.push(col);
    }
    const nulls: (Uint8Array | null)[] = types.map(() => null);
    if (p < values.length) {
      const bm = (size >> 3) + 1;
      for (let k = 0; k < types.length; k++) {
        if (p >= values.length) return bad('bitmap section ends early');
        const marker = values[p++]!;
        if (marker === 1) { if (p + bm > values.length) return bad('bitmap too short'); nulls[k] = values.subarray(p, p + bm); p += bm; }
        else if (marker !== 0) return bad(`bitmap marker ${marker}`);
      }
      if (p !== values.length) return bad(`${values.length - p} bytes after the bitmaps`);
    }
    const isNull = (k: number, i: number): boolean => nulls[k] !== null && (nulls[k]![i >> 3]! & (1 << (i & 7))) !== 0;
    if (table) {
      const rows = this.tableRows.get(device) ?? [];
      for (let i = 0; i < size; i++) {
        const row: Record<string, string | null> = { time: String(ts[i]) };
        measurements.forEach((m, k) => { row[m] = isNull(k, i) ? null : canonical(TYPE_NAMES[types[k]!]!, cols[k]![i]!); });
        rows.push(row);
      }
      this.tableRows.set(device, rows);
      return undefined;
    }
    if (aligned) this.store.alignedDevices.add(device);
    for (let k = 0; k < measurements.length; k++) {
      for (let i = 0; i < size; i++) {
        if (isNull(k, i)) continue;
        const err = this.store.put(device, measurements[k]!, TYPE_NAMES[types[k]!]!, ts[i]!, canonical(TYPE_NAMES[types[k]!]!, cols[k]![i]!));
        if (err !== undefined) return `614 ${err}`;
      }
    }
    return undefined;
  }
}
