/** The test servers refuse what a real server refuses — so a passing connector test means something. */
import * as http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth } from '../../../src/connectors/core/http.js';
import { IoTDBSession } from '../../../src/connectors/iotdb/session.js';
import type { Tablet } from '../../../src/connectors/iotdb/tablet.js';
import { IoTDBRestTestServer } from './iotdb-rest-server.js';
import { IoTDBRpcTestServer } from './iotdb-rpc-server.js';
import { StarRocksTestServer } from './starrocks-server.js';
import { TDengineTestServer } from './tdengine-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

function post(url: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let b = '';
      res.on('data', (d: Buffer) => { b += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe('IoTDB RPC test server', () => {
  async function session(): Promise<{ s: IoTDBSession; server: IoTDBRpcTestServer }> {
    const server = await new IoTDBRpcTestServer().start();
    closers.push(() => server.close());
    const s = new IoTDBSession({ host: '127.0.0.1', port: server.port, protocol: 'binary', connectTimeoutMs: 500, requestTimeoutMs: 500, sink: 't', user: 'root', password: 'iotdb-pw' });
    await s.connect();
    closers.push(() => s.close());
    return { s, server };
  }
  const be64 = (xs: number[]): Buffer => { const b = Buffer.alloc(8 * xs.length); xs.forEach((x, i) => b.writeBigInt64BE(BigInt(x), 8 * i)); return b; };
  const tablet = (over: Partial<Tablet>): Tablet => ({
    device: 'root.t.d', measurements: ['v'], types: [1], typeNames: ['INT32'], size: 2, timestamps: be64([1, 2]), values: Buffer.from('0000000100000002', 'hex'), ...over,
  });

  it('accepts a well-formed tablet', async () => {
    const { s, server } = await session();
    await s.insertTablet(tablet({}), false);
    expect(server.store.lines()).toEqual(['root.t.d,v,1,1', 'root.t.d,v,2,2']);
  });

  for (const [what, t] of [
    ['timestamps shorter than 8*size', { timestamps: be64([1]) }],
    ['times not ascending', { timestamps: be64([2, 1]) }],
    ['values one byte short', { values: Buffer.from('00000001000000', 'hex') }],
    ['a bitmap marker without its size/8+1 bytes', { values: Buffer.from('000000010000000201', 'hex') }],
    ['bytes after the bitmaps', { values: Buffer.from('0000000100000002000000', 'hex') }],
    ['a TEXT length beyond the buffer', { types: [5], typeNames: ['TEXT'], values: Buffer.from('0000000561' + '00000001' + '62', 'hex') }],
    ['types and measurements of different length', { types: [1, 1] }],
  ] as [string, Partial<Tablet>][]) {
    it(`refuses ${what}`, async () => {
      const { s, server } = await session();
      await expect(s.insertTablet(tablet(t), false)).rejects.toThrow(/status 305/);
      expect(server.violations).toHaveLength(1);
      expect(server.store.count()).toBe(0);
    });
  }
});

describe('IoTDB REST test server', () => {
  it('checks fields, lengths and value kinds with the reference codes', async () => {
    const server = await new IoTDBRestTestServer().start();
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${server.port}/rest/v2/insertTablet`;
    const auth = { Authorization: basicAuth('root', 'rest-pw'), 'Content-Type': 'application/json' };
    const ok = { device: 'root.a', is_aligned: false, timestamps: [1, 2], measurements: ['v'], data_types: ['INT32'], values: [[1, null]] };
    expect(JSON.parse((await post(url, JSON.stringify(ok), auth)).body)).toEqual({ code: 200, message: 'SUCCESS_STATUS' });
    expect((await post(url, JSON.stringify(ok), {})).status).toBe(401);
    expect(JSON.parse((await post(url, JSON.stringify({ ...ok, device: undefined }), auth)).body)).toEqual({ code: 305, message: 'device should not be null' });
    expect(JSON.parse((await post(url, JSON.stringify({ ...ok, values: [[1]] }), auth)).body).code).toBe(305);
    expect(JSON.parse((await post(url, JSON.stringify({ ...ok, values: [[1.5, 2]] }), auth)).body).code).toBe(606);
    expect(JSON.parse((await post(url, JSON.stringify({ ...ok, data_types: ['INT33'] }), auth)).body).code).toBe(305);
    expect(JSON.parse((await post(url, JSON.stringify({ ...ok, timestamps: [1, 100000000000000] }), auth)).body).code).toBe(701);
  });
});

describe('StarRocks test server', () => {
  it('refuses a load without Expect: 100-continue and a CSV row with the wrong field count', async () => {
    const server = await new StarRocksTestServer().start();
    closers.push(() => server.close());
    const auth = { Authorization: basicAuth('root', 'sr-secret'), label: 'l1', columns: 'a,b' };
    const r = await post(`${server.fe.url}/api/db/t/_stream_load`, 'x\ty\n', auth, 'PUT');
    expect(JSON.parse(r.body).Message).toContain('There is no 100-continue header');
    expect(server.violations).toEqual(['no Expect: 100-continue']);
    const be = await new Promise<string>((resolve, reject) => {
      const q = http.request(`${server.be.url}/api/db/t/_stream_load`, { method: 'PUT', headers: { ...auth, Expect: '100-continue', 'Content-Length': 6 } }, (res) => {
        let b = ''; res.on('data', (d: Buffer) => { b += d.toString(); }); res.on('end', () => resolve(b));
      });
      q.on('continue', () => q.end('x\ty\tz\n'));
      q.on('error', reject);
      q.flushHeaders();
    });
    expect(JSON.parse(be)).toMatchObject({ Status: 'Fail', Message: 'too many filtered rows' });
    expect(server.rows()).toEqual([]);
  });
});

describe('TDengine test server', () => {
  it('checks auth, SQL length in bytes, syntax, types and widths', async () => {
    const server = await new TDengineTestServer().start();
    closers.push(() => server.close());
    const url = `${server.url}/rest/sql/power`;
    const auth = { Authorization: basicAuth('root', 'td-secret') };
    const send = async (sql: string, h = auth): Promise<{ code: number; desc?: string }> => JSON.parse((await post(url, sql, h)).body) as { code: number };
    expect((await send('CREATE TABLE IF NOT EXISTS t (ts TIMESTAMP, s NCHAR(3), i INT)')).code).toBe(0);
    expect(await send("INSERT INTO t VALUES (1,'ab',5)")).toMatchObject({ code: 0 });
    expect((await send("INSERT INTO t VALUES (1,'a'b',5)")).code).toBe(9728);
    expect((await send("INSERT INTO t VALUES (1,'abcd',5)")).code).toBe(548);
    expect((await send("INSERT INTO t VALUES (NULL,'a',5)")).code).toBe(9728);
    expect((await send("INSERT INTO t VALUES (2,'a',5.5)")).code).toBe(9728);
    expect((await send("INSERT INTO t VALUES (2,'a',5) x VALUES (1,'a',1)")).code).toBe(9731);
    expect((await send(`INSERT INTO t VALUES (3,'${'é'.repeat(3)}',1)${' '.repeat(1024 * 1024 - 20)}`)).code).toBe(537);
    expect((await post(url, 'SELECT 1', {})).status).toBe(401);
    expect((await send('SELECT 1', { Authorization: basicAuth('root', 'nope') })).code).toBe(855);
    expect((await post(url, '', auth)).status).toBe(400);
    expect(server.rows('t')).toEqual([{ ts: '1', s: 'ab', i: '5' }]);
  });
});
