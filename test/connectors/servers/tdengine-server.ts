/**
 * A strict taosAdapter test server (connectors.md §2.1, §2.3, §5 "TDengine" rows): `/rest/sql[/db]`
 * with Basic auth, empty-body and length checks (1 MiB in UTF-8 bytes), a parser for the CREATE and
 * multi-table INSERT subset, typed column checks, widths, a non-NULL integer first timestamp, rows
 * keyed by timestamp (a rewrite overwrites); `/influxdb/v1/write` with db/precision/auth checks,
 * line parsing with escapes, type suffixes and per-column type stability. Faults are one-shot.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { FaultQueue, listen, parseBasic, readBody, sendJson, type Listening } from './common.js';
import { canonical } from './iotdb-store.js';
import { Parser, SqlError, tokenize, type Token } from './tdengine-sql.js';

/** A KEEP value: days as an integer or with a `d` suffix. */
function keepDays(tok: Token): number {
  const m = /^(\d+)d?$/.exec(tok.v);
  if (m === null || Number(m[1]) < 1 || Number(m[1]) > 365_000) throw new SqlError(9728, `invalid KEEP ${tok.raw}`);
  return Number(m[1]);
}

export type TdFault = { at: 'sql' | 'influx'; kind: 'http-503' | 'reset' | 'partial' } | { at: 'sql'; kind: 'code'; code: number; desc: string } | { at: 'sql' | 'influx'; kind: 'slow'; ms: number };

interface Column { name: string; type: string; width: number }
interface Table { columns: Column[]; stable?: string; tags?: Record<string, string | null>; rows: Map<bigint, Record<string, string | null>> }
interface Stable { columns: Column[]; tags: Column[] }

interface Db { precision: string; keep: number; tables: Map<string, Table>; stables: Map<string, Stable> }

const MAX_SQL = 1024 * 1024;
const PER_MS: Record<string, bigint> = { ms: 1n, us: 1000n, ns: 1_000_000n };
const PRECISIONS: Record<string, bigint> = { ns: 1n, u: 1000n, 'μ': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

export class TDengineTestServer {
  readonly databases = new Map<string, Db>();
  readonly faults = new FaultQueue<TdFault>();
  readonly violations: string[] = [];
  readonly statements: string[] = [];
  /** HTTP requests received (any path, any outcome). */
  requests = 0;
  server!: Listening;

  /** `databases` exist from the start, created with `keep` days (default: TDengine's longest, 365000). */
  constructor(readonly user = 'root', readonly password = 'td-secret', databases: string[] = ['power'], keep = 365_000) {
    for (const d of databases) this.databases.set(d, { precision: 'ms', keep, tables: new Map(), stables: new Map() });
  }
  async start(): Promise<this> { this.server = await listen(http.createServer((q, s) => { void this.handle(q, s); })); return this; }
  get url(): string { return this.server.url; }
  async close(): Promise<void> { await this.server.close(); }

  table(name: string, db = 'power'): Table | undefined { return this.databases.get(db)?.tables.get(name); }
  /** Rows of a table sorted by time, `ts` as a string. */
  rows(name: string, db = 'power'): Record<string, string | null>[] {
    const t = this.table(name, db);
    if (t === undefined) return [];
    const timeName = t.columns[0]!.name;
    return [...t.rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ts, r]) => ({ ...r, [timeName]: String(ts) }));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://td');
    if (url.pathname === '/influxdb/v1/write') { await this.influx(req, res, url); return; }
    const m = /^\/rest\/sql(?:\/([^/]+))?$/.exec(url.pathname);
    if (m === null || req.method !== 'POST') { this.violations.push(`${req.method} ${url.pathname}`); sendJson(res, 404, { code: 404, desc: 'not found' }); return; }
    const a = parseBasic(req.headers.authorization);
    if (a === 'missing') { this.violations.push('no Authorization'); sendJson(res, 401, { code: 4357, desc: 'no auth info input' }); return; }
    if (a === 'other-scheme') { sendJson(res, 401, { code: 4386, desc: 'invalid type of Authorization' }); return; }
    if (a === 'malformed' || a.user === '' || a.password === '') { sendJson(res, 401, { code: 4388, desc: 'invalid basic Authorization' }); return; }
    if (a.user !== this.user || a.password !== this.password) { sendJson(res, 401, { code: 855, desc: 'Authentication failure' }); return; }
    for (const [k, v] of url.searchParams) {
      const bad = (k === 'tz' || k === 'conn_tz') ? !validZone(v) : k === 'req_id' ? !/^\d{1,20}$/.test(v) : k === 'row_with_meta' ? !/^(true|false)$/.test(v) : false;
      if (bad) { sendJson(res, 400, { code: 65535, desc: `invalid ${k}: ${v}` }); return; }
    }
    const body = await readBody(req);
    const f = this.faults.take('sql');
    if (f?.kind === 'http-503') { res.writeHead(503, { 'Content-Type': 'text/plain' }); res.end('"memory exceeds threshold"'); return; }
    if (f?.kind === 'reset') { req.socket.destroy(); return; }
    if (f?.kind === 'slow') await new Promise((r) => setTimeout(r, f.ms));
    if (f?.kind === 'code') { sendJson(res, 200, { code: f.code, desc: f.desc, timing: 1 }); return; }
    if (body.length === 0) { sendJson(res, 400, { code: 4358, desc: 'request is empty' }); return; }
    const sql = body.toString('utf8').trim();
    if (sql === '') { sendJson(res, 400, { code: 4359, desc: 'no sql input' }); return; }
    if (body.length > MAX_SQL) { this.violations.push(`SQL of ${body.length} bytes`); sendJson(res, 200, { code: 537, desc: 'SQL statement too long', timing: 1 }); return; }
    this.statements.push(sql);
    if (/^(SELECT|DESCRIBE)\b/i.test(sql)) {
      try {
        const r = this.select(sql, m[1] !== undefined ? decodeURIComponent(m[1]) : undefined);
        const text = `{"code":0,"column_meta":${JSON.stringify(r.meta)},"data":[${r.rows.map((row) => `[${row.join(',')}]`).join(',')}],"rows":${r.rows.length}}`;
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        if (e.code === 9728) this.violations.push(e.message);
        sendJson(res, 200, { code: e.code, desc: e.message, timing: 1 });
      }
      return;
    }
    try {
      const n = this.execute(sql, m[1] !== undefined ? decodeURIComponent(m[1]) : undefined, f?.kind === 'partial');
      // A multi-table insert that reached only some vnodes (writes are independent per vnode, §2.2).
      if (f?.kind === 'partial') { sendJson(res, 200, { code: 0x0203, desc: 'Invalid value (after a partial write)', timing: 1 }); return; }
      if (!res.writable || req.socket.destroyed) return;
      sendJson(res, 200, { code: 0, column_meta: [['affected_rows', 'INT', 4]], data: [[n]], rows: 1 });
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      if (e.code === 9728 || e.code === 9730) this.violations.push(e.message);
      sendJson(res, 200, { code: e.code, desc: e.message, timing: 1 });
    }
  }

  private db(name: string | undefined, dflt: string | undefined): Db {
    const n = name ?? dflt;
    const d = n === undefined ? undefined : this.databases.get(n);
    if (d === undefined) throw new SqlError(904, `Database not exist: ${n ?? '(none)'}`);
    return d;
  }

  private execute(sql: string, dflt: string | undefined, partial: boolean): number {
    const p = new Parser(tokenize(sql));
    if (p.is('ALTER')) {
      p.next(); p.expect('DATABASE');
      const d = this.db(p.ident(), undefined);
      p.expect('KEEP');
      d.keep = keepDays(p.next());
      if (!p.done()) throw new SqlError(9728, 'syntax error: trailing tokens');
      return 0;
    }
    p.expect(p.is('CREATE') ? 'CREATE' : 'INSERT');
    if (p.t[0]!.v.toUpperCase() === 'CREATE') {
      const kind = p.next().v.toUpperCase();
      if (p.is('IF')) { p.expect('IF'); p.expect('NOT'); p.expect('EXISTS'); }
      if (kind === 'DATABASE') {
        const name = p.ident();
        let precision = 'ms';
        let keep = 3650;
        while (!p.done()) {
          if (p.is('PRECISION')) {
            p.next();
            const tok = p.next();
            if (tok.k !== 'str' || !['ms', 'us', 'ns'].includes(tok.v)) throw new SqlError(9728, `invalid precision ${tok.raw}`);
            precision = tok.v;
          } else if (p.is('KEEP')) { p.next(); keep = keepDays(p.next()); } else throw new SqlError(9728, `syntax error near ${p.next().raw}`);
        }
        if (!this.databases.has(name)) this.databases.set(name, { precision, keep, tables: new Map(), stables: new Map() });
        return 0;
      }
      const q = p.qualified();
      const d = this.db(q.db, dflt);
      const cols = p.list(() => ({ name: p.ident(), ...p.type() }));
      if (cols[0]!.type !== 'TIMESTAMP') throw new SqlError(9728, 'first column must be TIMESTAMP');
      if (new Set(cols.map((c) => c.name.toLowerCase())).size !== cols.length) throw new SqlError(9728, 'duplicated column names');
      if (kind === 'STABLE') {
        p.expect('TAGS');
        const tags = p.list(() => ({ name: p.ident(), ...p.type() }));
        if (!d.stables.has(q.name)) d.stables.set(q.name, { columns: cols, tags });
      } else if (kind === 'TABLE') {
        if (!d.tables.has(q.name)) d.tables.set(q.name, { columns: cols, rows: new Map() });
      } else throw new SqlError(9728, `syntax error near "${kind}"`);
      if (!p.done()) throw new SqlError(9728, 'syntax error: trailing tokens');
      return 0;
    }
    p.expect('INTO');
    let affected = 0;
    let tablesSeen = 0;
    const writes: [Table, [bigint, Record<string, string | null>][]][] = [];
    while (!p.done()) {
      const q = p.qualified();
      const d = this.db(q.db, dflt);
      let t = d.tables.get(q.name);
      if (p.is('USING')) {
        p.next();
        const sq = p.qualified();
        const st = this.db(sq.db, dflt).stables.get(sq.name);
        if (st === undefined) throw new SqlError(9731, `Table does not exist: ${sq.name}`);
        const names = p.isP('(') ? p.list(() => p.ident()) : st.tags.map((x) => x.name);
        p.expect('TAGS');
        const values = p.list(() => p.next());
        if (values.length !== names.length) throw new SqlError(9728, 'tags count mismatch');
        if (t === undefined) {
          const tags: Record<string, string | null> = {};
          names.forEach((n, i) => {
            const col = st.tags.find((x) => x.name === n);
            if (col === undefined) throw new SqlError(9730, `invalid tag name ${n}`);
            tags[n] = this.value(col, values[i]!);
          });
          t = { columns: st.columns, stable: sq.name, tags, rows: new Map() };
          d.tables.set(q.name, t);
        }
      }
      if (t === undefined) throw new SqlError(9731, `Table does not exist: ${q.name}`);
      const cols = p.isP('(') ? p.list(() => p.ident()).map((n) => {
        const c = t!.columns.find((x) => x.name === n);
        if (c === undefined) throw new SqlError(9730, `invalid column name ${n}`);
        return c;
      }) : t.columns;
      if (cols[0] !== t.columns[0]) throw new SqlError(9728, 'first column must be the timestamp');
      p.expect('VALUES');
      const pending: [bigint, Record<string, string | null>][] = [];
      while (p.isP('(')) {
        const vals = p.list(() => p.next());
        if (vals.length !== cols.length) throw new SqlError(9728, `values count ${vals.length} != columns ${cols.length}`);
        const tsTok = vals[0]!;
        if (tsTok.k !== 'num' || !/^-?\d+$/.test(tsTok.v)) throw new SqlError(9728, `timestamp must be an integer, got ${tsTok.raw}`);
        const ts = BigInt(tsTok.v);
        const upper = d.precision === 'ns' ? 9_223_372_036_854_775_807n : d.precision === 'us' ? 31_556_889_864_403_199_000_000n : 31_556_889_864_403_199n;
        if (ts > upper) throw new SqlError(1547, 'Timestamp out of range');
        const oldest = (BigInt(Date.now()) - BigInt(d.keep) * 86_400_000n) * PER_MS[d.precision]!;
        if (ts < oldest) throw new SqlError(1547, `Timestamp data out of range: ${ts} ${d.precision} is older than now - KEEP ${d.keep}d`);
        const row: Record<string, string | null> = {};
        cols.slice(1).forEach((c, k) => { row[c.name] = this.value(c, vals[k + 1]!); });
        for (const c of t.columns.slice(1)) if (!(c.name in row)) row[c.name] = null;
        pending.push([ts, row]);
      }
      if (pending.length === 0) throw new SqlError(9728, 'VALUES without rows');
      writes.push([t, pending]);
    }
    // The whole statement is parsed and checked before anything is written.
    for (const [t, pending] of writes) {
      if (partial && tablesSeen >= 1) break;
      for (const [ts, row] of pending) t.rows.set(ts, row);
      affected += pending.length;
      tablesSeen++;
    }
    return affected;
  }

  /**
   * The query side (connectors.md §2.1 query answers): the information_schema tables a reader
   * lists, DESCRIBE, FIRST/LAST of the timestamp, and
   * `SELECT CAST(ts AS BIGINT), cols FROM t WHERE ts >= a AND ts <= b ORDER BY ts LIMIT n`.
   * Cells are returned as JSON tokens: numbers for numeric columns (BIGINT digits exact), strings
   * for text, `\x`-hex strings for VARBINARY. Anything else is a syntax error.
   */
  private select(sql: string, dflt: string | undefined): { meta: [string, string, number][]; rows: string[][] } {
    const q = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
    const lit = (x: string): string => x.replace(/\\'/g, "'");
    let m = /^SELECT `precision` FROM information_schema\.ins_databases WHERE name = '((?:[^'\\]|\\.)*)'$/.exec(sql);
    if (m !== null) {
      const d = this.databases.get(lit(m[1]!));
      return { meta: [['precision', 'VARCHAR', 2]], rows: d === undefined ? [] : [[q(d.precision)]] };
    }
    m = /^SELECT table_name FROM information_schema\.ins_tables WHERE db_name = '((?:[^'\\]|\\.)*)'$/.exec(sql);
    if (m !== null) {
      const d = this.db(lit(m[1]!), undefined);
      return { meta: [['table_name', 'VARCHAR', 192]], rows: [...d.tables.keys()].map((n) => [q(n)]) };
    }
    m = /^SELECT table_name, tag_name, tag_value FROM information_schema\.ins_tags WHERE db_name = '((?:[^'\\]|\\.)*)'$/.exec(sql);
    if (m !== null) {
      const d = this.db(lit(m[1]!), undefined);
      const rows: string[][] = [];
      for (const [n, t] of d.tables) for (const [k, v] of Object.entries(t.tags ?? {})) rows.push([q(n), q(k), q(v)]);
      return { meta: [['table_name', 'VARCHAR', 192], ['tag_name', 'VARCHAR', 64], ['tag_value', 'VARCHAR', 16384]], rows };
    }
    const p = new Parser(tokenize(sql));
    if (p.is('DESCRIBE')) {
      p.next();
      const tq = p.qualified();
      const t = this.db(tq.db, dflt).tables.get(tq.name);
      if (t === undefined) throw new SqlError(9731, `Table does not exist: ${tq.name}`);
      const st = t.stable === undefined ? undefined : this.db(tq.db, dflt).stables.get(t.stable);
      const rows = t.columns.map((c) => [q(c.name), q(c.type), String(c.width), q('')]);
      for (const c of st?.tags ?? []) rows.push([q(c.name), q(c.type), String(c.width), q('TAG')]);
      return { meta: [['field', 'VARCHAR', 64], ['type', 'VARCHAR', 32], ['length', 'INT', 4], ['note', 'VARCHAR', 8]], rows };
    }
    p.expect('SELECT');
    type Item = { kind: 'cast'; col: string; fn?: 'FIRST' | 'LAST' } | { kind: 'col'; col: string };
    const items: Item[] = [];
    for (;;) {
      if (p.is('CAST')) {
        p.next(); p.expectP('(');
        let fn: 'FIRST' | 'LAST' | undefined;
        if (p.is('FIRST') || p.is('LAST')) { fn = p.next().v.toUpperCase() as 'FIRST' | 'LAST'; p.expectP('('); }
        const col = p.ident();
        if (fn !== undefined) p.expectP(')');
        p.expect('AS'); p.expect('BIGINT'); p.expectP(')');
        items.push(fn === undefined ? { kind: 'cast', col } : { kind: 'cast', col, fn });
      } else items.push({ kind: 'col', col: p.ident() });
      if (p.isP(',')) { p.next(); continue; }
      break;
    }
    p.expect('FROM');
    const tq = p.qualified();
    const d = this.db(tq.db, dflt);
    const t = d.tables.get(tq.name);
    if (t === undefined) throw new SqlError(9731, `Table does not exist: ${tq.name}`);
    const timeName = t.columns[0]!.name;
    const colOf = (n: string): Column => {
      const c = t.columns.find((x) => x.name === n);
      if (c === undefined) throw new SqlError(9730, `invalid column name ${n}`);
      return c;
    };
    for (const it of items) colOf(it.col);
    let lo: bigint | undefined;
    let hi: bigint | undefined;
    let limit: number | undefined;
    let ordered = false;
    if (p.is('WHERE')) {
      for (;;) {
        p.next();
        if (p.ident() !== timeName) throw new SqlError(9728, 'only the timestamp can be filtered here');
        const op = p.next().v;
        const v = p.next();
        if (v.k !== 'num' || !/^-?\d+$/.test(v.v)) throw new SqlError(9728, `timestamp bound must be an integer, got ${v.raw}`);
        if (op === '>=') lo = BigInt(v.v); else if (op === '<=') hi = BigInt(v.v); else throw new SqlError(9728, `unsupported operator ${op}`);
        if (!p.is('AND')) break;
      }
    }
    if (p.is('ORDER')) { p.next(); p.expect('BY'); if (p.ident() !== timeName) throw new SqlError(9728, 'ORDER BY the timestamp only'); ordered = true; }
    if (p.is('LIMIT')) { p.next(); const n = p.next(); if (n.k !== 'num' || !/^\d+$/.test(n.v)) throw new SqlError(9728, 'bad LIMIT'); limit = Number(n.v); }
    if (!p.done()) throw new SqlError(9728, `syntax error near "${p.next().raw}"`);
    let times = [...t.rows.keys()].filter((x) => (lo === undefined || x >= lo) && (hi === undefined || x <= hi)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const meta = items.map((it): [string, string, number] => (it.kind === 'cast' ? [`cast(${it.fn ?? ''}${it.col})`, 'BIGINT', 8] : [it.col, colOf(it.col).type, colOf(it.col).width]));
    if (items.some((it) => it.kind === 'cast' && it.fn !== undefined)) {
      if (items.some((it) => it.kind !== 'cast' || it.fn === undefined)) throw new SqlError(9728, 'aggregates mixed with columns');
      const pick = (fn: string | undefined): string => (times.length === 0 ? 'null' : String(fn === 'FIRST' ? times[0] : times[times.length - 1]));
      return { meta, rows: [items.map((it) => pick((it as { fn?: string }).fn))] };
    }
    if (limit !== undefined) {
      if (!ordered) throw new SqlError(9728, 'LIMIT without ORDER BY has no defined rows');
      times = times.slice(0, limit);
    }
    const cell = (c: Column, v: string | null | undefined, cast: boolean): string => {
      if (v === null || v === undefined) return 'null';
      if (cast || ['INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'TIMESTAMP'].includes(c.type)) return v === 'NaN' || /Infinity/.test(v) ? JSON.stringify(v) : v;
      if (c.type === 'BOOL') return v;
      if (c.type === 'VARBINARY') return JSON.stringify(`\\x${v.slice(2)}`);
      return JSON.stringify(v);
    };
    const rows = times.map((ts) => {
      const r = t.rows.get(ts)!;
      return items.map((it) => (it.col === timeName ? String(ts) : cell(colOf(it.col), r[it.col], it.kind === 'cast')));
    });
    return { meta, rows };
  }

  /** Checks a literal against a column and returns its canonical text. */
  private value(c: Column, tok: Token): string | null {
    if (tok.k === 'word' && tok.v.toUpperCase() === 'NULL') return null;
    const bad = (): never => { throw new SqlError(9728, `invalid value ${tok.raw} for ${c.type} column ${c.name}`); };
    switch (c.type) {
      case 'BOOL': if (tok.k === 'word' && /^(true|false)$/i.test(tok.v)) return tok.v.toLowerCase(); return bad();
      case 'INT': { if (tok.k !== 'num' || !/^-?\d+$/.test(tok.v)) bad(); const n = Number(tok.v); if (n < -2147483648 || n > 2147483647) throw new SqlError(548, 'value out of range'); return tok.v; }
      case 'BIGINT': case 'TIMESTAMP': if (tok.k !== 'num' || !/^-?\d+$/.test(tok.v)) bad(); return BigInt(tok.v).toString();
      // A floating column needs a floating literal; the stored value prints canonically (−0 kept).
      case 'FLOAT': if (tok.k !== 'num' || /^-?\d+$/.test(tok.v)) bad(); return canonical('FLOAT', Number(tok.v));
      case 'DOUBLE': if (tok.k !== 'num' || /^-?\d+$/.test(tok.v)) bad(); return canonical('DOUBLE', Number(tok.v));
      case 'VARBINARY': {
        if (tok.k !== 'str' || !tok.v.startsWith('\\x')) return bad();
        const hex = tok.v.slice(2);
        if (!/^([0-9a-f]{2})*$/i.test(hex) || hex.length / 2 > c.width) bad();
        return `0x${hex.toLowerCase()}`;
      }
      default: {
        if (tok.k !== 'str') bad();
        const len = c.type === 'NCHAR' ? [...tok.v].length : Buffer.byteLength(tok.v);
        if (len > c.width) throw new SqlError(548, `value too long for ${c.type}(${c.width})`);
        return tok.v;
      }
    }
  }

  private async influx(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const f = this.faults.take('influx');
    if (f?.kind === 'http-503') { sendJson(res, 503, { code: 'internal error', message: 'memory exceeds threshold' }); return; }
    if (f?.kind === 'reset') { req.socket.destroy(); return; }
    if (f?.kind === 'slow') await new Promise((r) => setTimeout(r, f.ms));
    const a = parseBasic(req.headers.authorization);
    const user = typeof a === 'object' ? a.user : url.searchParams.get('u');
    const pass = typeof a === 'object' ? a.password : url.searchParams.get('p');
    if (user !== this.user || pass !== this.password) { sendJson(res, 401, { code: 'forbidden', message: 'authentication failure' }); return; }
    const dbName = url.searchParams.get('db');
    if (dbName === null || dbName === '') { sendJson(res, 400, { code: 'not found', message: 'db required', op: 'parse', err: 'db required', line: 0 }); return; }
    const precision = url.searchParams.get('precision') ?? 'ns';
    const scale = PRECISIONS[precision];
    if (scale === undefined) { this.violations.push(`precision ${precision}`); sendJson(res, 400, { code: 'illegal param', message: `precision ${precision} not configured` }); return; }
    const d = this.databases.get(dbName);
    if (d === undefined) { sendJson(res, 500, { code: 'internal error', message: 'Database not exist' }); return; }
    const body = (await readBody(req)).toString('utf8');
    const key = url.searchParams.get('table_name_key');
    try {
      const lines = body.split('\n').filter((l) => l.length > 0);
      for (const line of lines) this.influxLine(d, line, scale, key);
    } catch (e) {
      this.violations.push((e as Error).message);
      sendJson(res, 500, { code: 'internal error', message: (e as Error).message });
      return;
    }
    res.writeHead(204);
    res.end();
  }

  private influxLine(d: Db, line: string, scale: bigint, key: string | null): void {
    // Split on unescaped spaces outside quoted field values.
    const parts: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && i + 1 < line.length) { cur += c + line[++i]!; continue; }
      if (c === '"') quoted = !quoted;
      if (c === ' ' && !quoted) { parts.push(cur); cur = ''; continue; }
      cur += c;
    }
    parts.push(cur);
    if (parts.length !== 3 || quoted) throw new Error(`malformed line: ${line.slice(0, 60)}`);
    const splitEsc = (s: string, sep: string): string[] => {
      const out: string[] = []; let x = ''; let q = false;
      for (let i = 0; i < s.length; i++) {
        const c = s[i]!;
        if (c === '\\' && i + 1 < s.length) { x += c + s[++i]!; continue; }
        if (c === '"') q = !q;
        if (c === sep && !q) { out.push(x); x = ''; continue; }
        x += c;
      }
      out.push(x);
      return out;
    };
    const unesc = (s: string): string => s.replace(/\\([,= \\])/g, '$1');
    const [mt, ...tagParts] = splitEsc(parts[0]!, ',');
    const measurement = unesc(mt!);
    const tags: Record<string, string> = {};
    for (const t of tagParts) { const [k, v] = splitEsc(t, '='); if (v === undefined || v.startsWith('"')) throw new Error(`bad tag ${t}`); tags[unesc(k!)] = unesc(v); }
    const ts = BigInt(parts[2]!) * scale / 1_000_000n;
    const fields: Record<string, { type: string; value: string }> = {};
    for (const f of splitEsc(parts[1]!, ',')) {
      const eq = splitEsc(f, '=');
      if (eq.length !== 2) throw new Error(`bad field ${f}`);
      const name = unesc(eq[0]!);
      const raw = eq[1]!;
      let m: RegExpExecArray | null;
      if ((m = /^L"(.*)"$/s.exec(raw)) !== null) fields[name] = { type: 'NCHAR', value: m[1]!.replace(/\\(["\\])/g, '$1') };
      else if ((m = /^B"\\x([0-9a-f]*)"$/i.exec(raw)) !== null) fields[name] = { type: 'VARBINARY', value: `0x${m[1]!.toLowerCase()}` };
      else if ((m = /^"(.*)"$/s.exec(raw)) !== null) fields[name] = { type: 'VARCHAR', value: m[1]!.replace(/\\(["\\])/g, '$1') };
      else if (/^(t|T|true|True|TRUE)$/.test(raw)) fields[name] = { type: 'BOOL', value: 'true' };
      else if (/^(f|F|false|False|FALSE)$/.test(raw)) fields[name] = { type: 'BOOL', value: 'false' };
      else if ((m = /^(-?\d+)i32$/.exec(raw)) !== null) fields[name] = { type: 'INT', value: m[1]! };
      else if ((m = /^(-?\d+)(i64|i)$/.exec(raw)) !== null) fields[name] = { type: 'BIGINT', value: BigInt(m[1]!).toString() };
      else if ((m = /^(-?[\d.]+(?:e[+-]?\d+)?)f32$/i.exec(raw)) !== null) fields[name] = { type: 'FLOAT', value: canonical('FLOAT', Number(m[1])) };
      else if ((m = /^(-?[\d.]+(?:e[+-]?\d+)?)(f64)?$/i.exec(raw)) !== null) fields[name] = { type: 'DOUBLE', value: canonical('DOUBLE', Number(m[1])) };
      else throw new Error(`invalid field value ${raw}`);
    }
    let st = d.stables.get(measurement);
    if (st === undefined) { st = { columns: [{ name: '_ts', type: 'TIMESTAMP', width: 0 }], tags: [] }; d.stables.set(measurement, st); }
    for (const [name, f] of Object.entries(fields)) {
      const c = st.columns.find((x) => x.name === name);
      if (c === undefined) st.columns.push({ name, type: f.type, width: 0 });
      else if (c.type !== f.type) throw new Error(`data type of ${measurement}.${name} is ${c.type}, not ${f.type}`);
    }
    for (const k of Object.keys(tags)) if (!st.tags.some((x) => x.name === k)) st.tags.push({ name: k, type: 'NCHAR', width: 0 });
    const sorted = Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(',');
    const name = key !== null && tags[key] !== undefined ? tags[key]!.replace(/\./g, '_') : `t_${createHash('md5').update(`${measurement},${sorted}`).digest('hex')}`;
    let t = d.tables.get(name);
    if (t === undefined) { t = { columns: st.columns, stable: measurement, tags: { ...tags }, rows: new Map() }; d.tables.set(name, t); }
    const row: Record<string, string | null> = {};
    for (const [n, f] of Object.entries(fields)) row[n] = f.value;
    t.rows.set(ts, { ...t.rows.get(ts), ...row });
  }
}

function validZone(z: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: z }); return true; } catch { return false; }
}
