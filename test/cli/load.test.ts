/**
 * End to end: fixtures loaded through `tsfile load` into the strict test servers, and what each
 * server holds compared with the fixture's expected canonical CSV.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { runLoad } from '../../src/cli/load.js';
import { HAVE_SHARED, SHARED_FIXTURES, SKIP_MESSAGE } from '../helpers/fixtures.js';
import { csvLine } from '../connectors/servers/iotdb-store.js';
import { IoTDBRestTestServer } from '../connectors/servers/iotdb-rest-server.js';
import { IoTDBRpcTestServer } from '../connectors/servers/iotdb-rpc-server.js';
import { StarRocksTestServer, type Row } from '../connectors/servers/starrocks-server.js';
import { TDengineTestServer } from '../connectors/servers/tdengine-server.js';

const FIXTURE = path.join(SHARED_FIXTURES, 'java', 'aligned_all_types');

function expectedLines(base: string): string[] {
  return readFileSync(`${base}.csv`, 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
}

function types(base: string): Map<string, string> {
  const j = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { device_list: { series: { measurement: string; type: string }[] }[] };
  return new Map(j.device_list.flatMap((d) => d.series.map((s) => [s.measurement, s.type] as [string, string])));
}

/** Wide rows (device, time, measurements...) → sorted canonical lines. */
function canonicalFromRows(rows: Row[], timeKey: string, deviceOf: (r: Row) => string, fix: (m: string, v: string) => string = (_m, v) => v): string[] {
  const out: [string, string, bigint, string][] = [];
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (k === timeKey || k === 'device' || v === null || v === undefined) continue;
      out.push([deviceOf(r), k, BigInt(r[timeKey]!), fix(k, v)]);
    }
  }
  const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
  out.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  return out.map(([d, m, t, v]) => csvLine([d, m, String(t), v]));
}

/** What a FLOAT column holds of a value sent as text: the float32 it parses to (printed widened, as the fixtures do). */
function floatColumns(base: string): (m: string, v: string) => string {
  const ty = types(base);
  return (m, v) => (ty.get(m) === 'FLOAT' ? String(Math.fround(Number(v))) : v);
}

function io(signal?: AbortSignal): { stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string; signal?: AbortSignal } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => { o += d.toString(); });
  stderr.on('data', (d: Buffer) => { e += d.toString(); });
  return { stdout, stderr, out: () => o, err: () => e, ...(signal ? { signal } : {}) };
}

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'load-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe.skipIf(!HAVE_SHARED)('tsfile load end to end', () => {
  if (!HAVE_SHARED) it.skip(SKIP_MESSAGE, () => {});

  it('iotdb:// (native RPC, compact protocol) holds exactly the fixture', async () => {
    const server = await new IoTDBRpcTestServer('compact').start();
    try {
      const t = io();
      const code = await runLoad([`${FIXTURE}.tsfile`, '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--protocol', 'compact', '--batch-rows', '700', '--checkpoint', path.join(dir, 'c.json')], t);
      expect(t.err()).toContain('loaded: 2,333 rows');
      expect(code).toBe(0);
      expect(server.violations).toEqual([]);
      expect(server.store.lines()).toEqual(expectedLines(FIXTURE));
      expect([...server.store.alignedDevices]).toEqual(['root.jv.aligned.d1']);
      expect(t.err()).not.toContain('iotdb-pw');
    } finally { await server.close(); }
  });

  it('iotdb+http:// (REST) holds exactly the fixture, several devices', async () => {
    const base = path.join(SHARED_FIXTURES, 'java', 'aligned_and_nonaligned');
    const server = await new IoTDBRestTestServer().start();
    try {
      const t = io();
      const code = await runLoad([`${base}.tsfile`, '--to', `iotdb+http://127.0.0.1:${server.port}`, '--user', 'root', '--password', 'rest-pw', '--no-checkpoint'], t);
      expect(code).toBe(0);
      expect(server.violations).toEqual([]);
      expect(server.store.lines()).toEqual(expectedLines(base));
    } finally { await server.close(); }
  });

  for (const format of ['csv', 'json'] as const) {
    it(`starrocks:// (${format}) holds exactly the fixture`, async () => {
      const server = await new StarRocksTestServer('root', 'sr-secret', ['db.t']).start();
      try {
        const t = io();
        const url = `starrocks://root:sr-secret@127.0.0.1:${server.fe.port}/db/t`;
        const code = await runLoad([`${FIXTURE}.tsfile`, '--to', url, '--format', format, '--batch-rows', '1000', '--no-checkpoint'], t);
        expect(code).toBe(0);
        expect(server.violations).toEqual([]);
        expect(canonicalFromRows(server.rows(), 'time', (r) => r.device!, floatColumns(FIXTURE))).toEqual(expectedLines(FIXTURE));
      } finally { await server.close(); }
    });
  }

  it('starrocks:// --exactly-once survives a reset mid-body and a lost commit answer without duplicates', async () => {
    const server = await new StarRocksTestServer('root', 'sr-secret', ['db.t']).start();
    server.faults.push({ at: 'be', kind: 'reset-mid-body' }, { at: 'commit', kind: 'lost-response' });
    try {
      const t = io();
      const code = await runLoad([`${FIXTURE}.tsfile`, '--to', `starrocks://127.0.0.1:${server.fe.port}/db/t`, '--user', 'root', '--password', 'sr-secret',
        '--exactly-once', '--segment-batches', '1', '--retries', '1', '--checkpoint', path.join(dir, 'x.json')], t);
      expect(t.err()).toContain('[exactly-once]');
      expect(code).toBe(0);
      expect(canonicalFromRows(server.rows(), 'time', (r) => r.device!, floatColumns(FIXTURE))).toEqual(expectedLines(FIXTURE));
    } finally { await server.close(); }
  });

  it('tdengine+http:// (SQL, supertable) holds exactly the fixture', async () => {
    const server = await new TDengineTestServer('root', 'td-secret', ['power']).start();
    try {
      const t = io();
      const code = await runLoad([`${FIXTURE}.tsfile`, '--to', `tdengine+http://root:td-secret@127.0.0.1:${new URL(server.url).port}/power`, '--stable', 'meters', '--text-width', '512', '--no-checkpoint'], t);
      expect(t.err()).toBe(t.err().replace('td-secret', ''));
      expect(code).toBe(0);
      expect(server.violations).toEqual([]);
      const ty = types(FIXTURE);
      const ymd = (v: string): string => `${v.slice(0, v.length - 4).padStart(4, '0')}-${v.slice(-4, -2)}-${v.slice(-2)}`;
      const rows = server.rows('root_jv_aligned_d1');
      expect(canonicalFromRows(rows, 'ts', () => 'root.jv.aligned.d1', (m, v) => (ty.get(m) === 'DATE' ? ymd(v) : v))).toEqual(expectedLines(FIXTURE));
    } finally { await server.close(); }
  });

  it('tdengine+http:// --line-protocol holds exactly the fixture', async () => {
    const server = await new TDengineTestServer('root', 'td-secret', ['power']).start();
    try {
      const t = io();
      const code = await runLoad([`${FIXTURE}.tsfile`, '--to', `tdengine+http://root:td-secret@127.0.0.1:${new URL(server.url).port}/power`, '--line-protocol', '--no-checkpoint'], t);
      expect(code).toBe(0);
      expect(server.violations).toEqual([]);
      const ty = types(FIXTURE);
      const ymd = (v: string): string => `${v.slice(0, v.length - 4).padStart(4, '0')}-${v.slice(-4, -2)}-${v.slice(-2)}`;
      const rows = server.rows('root_jv_aligned_d1');
      expect(canonicalFromRows(rows, '_ts', () => 'root.jv.aligned.d1', (m, v) => (ty.get(m) === 'DATE' ? ymd(v) : v))).toEqual(expectedLines(FIXTURE));
      expect(server.table('root_jv_aligned_d1')!.stable).toBe('tsfile');
    } finally { await server.close(); }
  });

  it('iotdb:// --table-database writes table-model files as IoTDB 2.x tables with TAG columns', async () => {
    const base = path.join(SHARED_FIXTURES, 'java', 'table_model');
    const server = await new IoTDBRpcTestServer().start();
    try {
      const t = io();
      const code = await runLoad([`${base}.tsfile`, '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--table-database', 'db1', '--tag-columns', 'region,model', '--no-checkpoint'], t);
      expect(code).toBe(0);
      expect(server.violations).toEqual([]);
      const rows: Row[] = [...server.tableRows.entries()].flatMap(([table, rs]) => rs.map((r) => ({ ...r, __table: table })));
      const deviceOf = (r: Row): string => {
        const parts = [r.__table!, r.region ?? null, r.model ?? null];
        while (parts.length > 1 && parts[parts.length - 1] === null) parts.pop();
        return parts.map((p) => p ?? 'null').join('.');
      };
      const clean = rows.map((r) => { const { region: _r, model: _m, ...rest } = r; return rest; });
      const lines = canonicalFromRows(clean.map((r, i) => ({ ...r, device: deviceOf(rows[i]!) })), 'time', (r) => r.device!).filter((l) => !l.includes(',__table,'));
      expect(lines).toEqual(expectedLines(base));
    } finally { await server.close(); }
  });

  it('loads a directory of fixtures, fails on a dropped connection, and resumes to exactly their union', async () => {
    const names = ['aligned_all_types', 'aligned_and_nonaligned', 'many_chunk_groups'];
    const src = path.join(dir, 'src');
    await fs.mkdir(path.join(src, 'sub'), { recursive: true });
    for (const [i, n] of names.entries()) await fs.copyFile(path.join(SHARED_FIXTURES, 'java', `${n}.tsfile`), path.join(src, i === 2 ? 'sub' : '', `${n}.tsfile`));
    const server = await new IoTDBRpcTestServer().start();
    try {
      const args = [src, '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--checkpoint', path.join(dir, 'dir.json'), '--segment-batches', '2', '--batch-rows', '300', '--retries', '0'];
      // Zero-delay 'slow' faults only count insert calls: the failures land after some progress.
      const after = (n: number): void => { for (let i = 0; i < n; i++) server.faults.push({ at: 'insert', kind: 'slow', ms: 0 }); };
      after(5);
      server.faults.push({ at: 'insert', kind: 'status', code: 305, message: 'injected failure' });
      const t1 = io();
      expect(await runLoad(args, t1)).toBe(1);
      expect(t1.err()).toContain('status 305');
      after(4);
      server.faults.push({ at: 'insert', kind: 'close-before' });
      const t2 = io();
      expect(await runLoad(args, t2)).toBe(1);
      expect(t2.err()).toMatch(/rows already loaded \(checkpoint\)/);
      expect(server.faults.size).toBe(0);
      const t3 = io();
      expect(await runLoad(args, t3)).toBe(0);
      expect(t3.err()).toMatch(/rows already loaded \(checkpoint\)/);
      const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
      const want = names.flatMap((n) => expectedLines(path.join(SHARED_FIXTURES, 'java', n))).sort((a, b) => {
        const [da, ma, ta] = a.split(','); const [db, mb, tb] = b.split(',');
        return cmp(`${da},${ma}`, `${db},${mb}`) || (BigInt(ta!) < BigInt(tb!) ? -1 : BigInt(ta!) > BigInt(tb!) ? 1 : 0);
      });
      expect(server.store.lines()).toEqual(want);
      expect(server.violations).toEqual([]);
    } finally { await server.close(); }
  });

  it('--dry-run prints the first requests and sends nothing', async () => {
    const t = io();
    const code = await runLoad([`${FIXTURE}.tsfile`, '--to', 'starrocks://root:hidden-pw@127.0.0.1:1/db/t', '--dry-run'], t);
    expect(code).toBe(0);
    expect(t.out()).toContain('PUT http://127.0.0.1:1/api/db/t/_stream_load');
    expect(t.out()).toContain('Expect: 100-continue');
    expect(t.out()).toContain('columns: `device`,`time`,`c0_boolean`');
    expect(t.out()).not.toContain('hidden-pw');
  });

  it('exits 1 with the server message when a batch is rejected', async () => {
    const server = await new IoTDBRpcTestServer().start();
    server.store.types.set('root.jv.aligned.d1.c1_int32', 'DOUBLE');
    try {
      const t = io();
      const code = await runLoad([`${FIXTURE}.tsfile`, '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--no-checkpoint'], t);
      expect(code).toBe(1);
      expect(t.err()).toMatch(/status 614/);
      expect(t.err()).toContain('root.jv.aligned.d1');
    } finally { await server.close(); }
  });

  it('Ctrl-C stops with exit 130 and the same command resumes to the exact fixture', async () => {
    const server = await new IoTDBRpcTestServer().start();
    try {
      const args = [`${FIXTURE}.tsfile`, '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--checkpoint', path.join(dir, 'r.json'), '--segment-batches', '1', '--batch-rows', '100'];
      const ac = new AbortController();
      server.faults.push({ at: 'insert', kind: 'slow', ms: 30 });
      const t1 = io(ac.signal);
      const run = runLoad(args, t1);
      setTimeout(() => ac.abort(), 15);
      expect(await run).toBe(130);
      expect(t1.err()).toContain('re-run the same command to resume');
      const t2 = io();
      expect(await runLoad(args, t2)).toBe(0);
      expect(server.store.lines()).toEqual(expectedLines(FIXTURE));
    } finally { await server.close(); }
  });

  it('prints help, and refuses unknown options and missing arguments with exit 2', async () => {
    const t = io();
    expect(await runLoad(['--help'], t)).toBe(0);
    expect(t.out()).toContain('Usage: tsfile load SOURCE... --to URL');
    const u = io();
    expect(await runLoad(['a.tsfile', '--to', 'starrocks://h/db/t', '--exactly-onec'], u)).toBe(2);
    expect(u.err()).toContain('unknown option --exactly-onec');
    expect(await runLoad(['a.tsfile'], io())).toBe(2);
    const bad = io();
    expect(await runLoad(['a.tsfile', '--to', 'mysql://u:zz-secret@h/db'], bad)).toBe(2);
    expect(bad.err()).not.toContain('zz-secret');
  });
});

describe.skipIf(!HAVE_SHARED)('tsfile load --dry-run per target', () => {
  const cases: [string, string[], RegExp[]][] = [
    ['iotdb://root:pw-a1@127.0.0.1:1', ['--protocol', 'compact'], [/^insertTablet iotdb:\/\/127\.0\.0\.1:1 \(thrift compact, framed\)/m, /prefixPath=root\.jv\.aligned\.d1 size=\d+ aligned=true/, /types=BOOLEAN,INT32,INT64,FLOAT,DOUBLE,TEXT,STRING,BLOB,DATE,TIMESTAMP/]],
    ['iotdb+http://root:pw-a1@127.0.0.1:1', [], [/POST http:\/\/127\.0\.0\.1:1\/rest\/v2\/insertTablet/, /"device":"root\.jv\.aligned\.d1","is_aligned":true,"timestamps":\[1700000000000,/]],
    ['tdengine+http://root:pw-a1@127.0.0.1:1/power', ['--stable', 'meters'], [/CREATE STABLE IF NOT EXISTS `power`\.`meters` \(`ts` TIMESTAMP, `c0_boolean` BOOL/, /INSERT INTO `power`\.`root_jv_aligned_d1` USING `power`\.`meters` \(`device`\) TAGS \('root\.jv\.aligned\.d1'\)/]],
    ['tdengine+http://root:pw-a1@127.0.0.1:1/power', ['--line-protocol'], [/\/influxdb\/v1\/write\?db=power&precision=ms&table_name_key=device/, /^tsfile,device=root\.jv\.aligned\.d1 c0_boolean=false,/m]],
  ];
  for (const [url, extra, patterns] of cases) {
    it(`${url.replace(/\/\/.*@/, '//')} ${extra.join(' ')}`, async () => {
      const t = io();
      expect(await runLoad([`${FIXTURE}.tsfile`, '--to', url, '--dry-run', ...extra], t)).toBe(0);
      for (const p of patterns) expect(t.out()).toMatch(p);
      expect(t.out()).not.toContain('pw-a1');
    });
  }
});
