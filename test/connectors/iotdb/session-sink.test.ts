import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/core/errors.js';
import { IoTDBSessionSink } from '../../../src/connectors/iotdb/session-sink.js';
import type { IoTDBSessionOptions } from '../../../src/connectors/iotdb/options.js';
import { allTypesBatch, deviceBatch } from '../batches.js';
import { IoTDBRpcTestServer } from '../servers/iotdb-rpc-server.js';
import { selfSignedCertificate } from '../servers/common.js';

let server: IoTDBRpcTestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function start(protocol: 'binary' | 'compact' = 'binary'): Promise<IoTDBRpcTestServer> {
  server = await new IoTDBRpcTestServer(protocol).start();
  return server;
}

function sink(s: IoTDBRpcTestServer, extra: Partial<IoTDBSessionOptions> = {}): IoTDBSessionSink {
  return new IoTDBSessionSink({
    host: '127.0.0.1', port: s.port, user: 'root', password: 'iotdb-pw', protocol: s.protocol,
    retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, requestTimeoutMs: 500, connectTimeoutMs: 500, ...extra,
  });
}

const T0 = 1_700_000_000_000;
const EXPECTED = [
  'root.sg.d1,b,1700000000000,true', 'root.sg.d1,b,1700000002000,false',
  'root.sg.d1,d,1700000000000,0.1', 'root.sg.d1,d,1700000001000,1e+300',
  'root.sg.d1,dt,1700000000000,2024-01-01', 'root.sg.d1,dt,1700000002000,1969-12-31',
  'root.sg.d1,f,1700000000000,1.5', 'root.sg.d1,f,1700000002000,-0.25',
  'root.sg.d1,i,1700000000000,-5', 'root.sg.d1,i,1700000001000,2147483647',
  'root.sg.d1,l,1700000001000,9007199254740993', 'root.sg.d1,l,1700000002000,-1',
  'root.sg.d1,s,1700000000000,plain', 'root.sg.d1,s,1700000001000,"quote\'s ""and"" back\\slash"',
  'root.sg.d1,ts,1700000000000,0', 'root.sg.d1,ts,1700000001000,1700000000123',
  'root.sg.d1,u,1700000001000,héllo wörld ✓', 'root.sg.d1,u,1700000002000,',
  'root.sg.d1,x,1700000000000,0x00ff', 'root.sg.d1,x,1700000002000,0x',
];

function series(n: number, device = 'root.sg.d2', t0 = T0): ReturnType<typeof deviceBatch> {
  const times = Array.from({ length: n }, (_, i) => t0 + i);
  return deviceBatch(device, times, [{ name: 'v', type: 'INT64', values: times.map((_, i) => i) }]);
}

describe('IoTDB native session sink', () => {
  for (const protocol of ['binary', 'compact'] as const) {
    it(`writes every type with nulls over the ${protocol} protocol`, async () => {
      const s = await start(protocol);
      const k = sink(s);
      await k.write(allTypesBatch());
      await k.close();
      expect(s.violations).toEqual([]);
      expect(s.store.lines()).toEqual(EXPECTED);
      expect(s.calls).toEqual(['openSession', 'requestStatementId', 'insertTablet', 'closeSession']);
    });
  }

  it('batches several devices into one insertTablets call and keeps aligned devices aligned', async () => {
    const s = await start();
    const k = sink(s, { sessions: 1 });
    await k.write(series(3, 'root.a'));
    await k.write(deviceBatch('root.b', [1, 2], [{ name: 'x', type: 'INT32', values: [1, null] }], { aligned: true }));
    await k.write(series(3, 'root.c'));
    await k.close();
    expect(s.violations).toEqual([]);
    expect(s.calls.filter((c) => c.startsWith('insert'))).toEqual(['insertTablets', 'insertTablet']);
    expect([...s.store.alignedDevices]).toEqual(['root.b']);
    expect(s.store.count()).toBe(7);
  });

  it('creates timeseries before the first write and tolerates "already exists"', async () => {
    const s = await start();
    s.store.timeseries.add('root.sg.d2.v');
    const k = sink(s, { createSchema: true });
    await k.write(series(2));
    await k.write(deviceBatch('root.al', [1], [{ name: 'a', type: 'FLOAT', values: [1] }, { name: 'b b', type: 'TEXT', values: ['x'] }], { aligned: true }));
    await k.close();
    expect(s.statements).toEqual([
      'CREATE TIMESERIES root.sg.d2.v WITH DATATYPE=INT64, ENCODING=TS_2DIFF, COMPRESSOR=LZ4',
      'CREATE ALIGNED TIMESERIES root.al(a FLOAT encoding=GORILLA compressor=LZ4, `b b` TEXT encoding=PLAIN compressor=LZ4)',
    ]);
    expect(s.store.count()).toBe(4);
  });

  it('fails when schema creation is refused (not "already exists")', async () => {
    const s = await start();
    const k = sink(s, { createSchema: true, retry: { maxRetries: 0 } });
    await k.write(series(2, 'root.readonly.d'));
    const err = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.status).toBe(600);
    expect(s.store.count()).toBe(0);
  });

  it('writes table-model batches as tablets with TAG/FIELD categories over a table session', async () => {
    const s = await start();
    const k = sink(s, { tableDatabase: 'db1', tagColumns: ['region'] });
    await k.write(deviceBatch('sensors.north', [5, 6], [{ name: 'temp', type: 'DOUBLE', values: [1.5, null] }], { table: 'sensors', tags: ['north'] }));
    await k.close();
    expect(s.violations).toEqual([]);
    expect(s.tableRows.get('sensors')).toEqual([{ time: '5', region: 'north', temp: '1.5' }, { time: '6', region: 'north', temp: null }]);
  });

  const recoverable = [
    ['connection closed before the write', { at: 'insert', kind: 'close-before' }],
    ['connection closed after the write (lost reply)', { at: 'insert', kind: 'close-after' }],
    ['a reply slower than the request timeout', { at: 'insert', kind: 'slow', ms: 800 }],
    ['status 606 WRITE_PROCESS_REJECT', { at: 'insert', kind: 'status', code: 606 }],
    ['needRetry', { at: 'insert', kind: 'status', code: 305, needRetry: true }],
  ] as const;
  for (const [what, fault] of recoverable) {
    it(`retries after ${what} and ends with exactly the input points`, async () => {
      const s = await start();
      s.faults.push(fault);
      const k = sink(s, { sessions: 1 });
      await k.write(series(100));
      await k.close();
      expect(s.store.count()).toBe(100);
      expect(k.metrics.retries).toBe(1);
      expect(s.violations).toEqual([]);
    });
  }

  it('accepts 200/400 with a redirect hint as written and routes the device to the hinted node afterwards', async () => {
    const a = await start();
    const b = await new IoTDBRpcTestServer().start();
    try {
      a.faults.push({ at: 'insert', kind: 'redirect', code: 400, to: { ip: '127.0.0.1', port: b.port } });
      const k = sink(a);
      await k.write(series(3));
      await k.flush();
      expect(k.redirectHints().get('root.sg.d2')).toBe(`127.0.0.1:${b.port}`);
      await k.write(series(4, 'root.sg.d2', T0 + 100));
      await k.write(series(2, 'root.other', T0));
      await k.close();
      expect(a.store.count()).toBe(3 + 2);
      expect(b.store.count()).toBe(4);
      expect(k.metrics.retries).toBe(0);
    } finally { await b.close(); }
  });

  it('falls back to the configured node when a hinted node is down, without loss', async () => {
    const a = await start();
    const down = await new IoTDBRpcTestServer().start();
    const port = down.port;
    await down.close();
    a.faults.push({ at: 'insert', kind: 'redirect', code: 200, to: { ip: '127.0.0.1', port } });
    const k = sink(a);
    await k.write(series(3));
    await k.flush();
    await k.write(series(5, 'root.sg.d2', T0 + 100));
    await k.close();
    expect(a.store.count()).toBe(8);
    expect(k.metrics.retries).toBe(1);
    expect(k.redirectHints().size).toBe(0);
  });

  it('ignores hints with redirection off and 0.0.0.0 hints always', async () => {
    const a = await start();
    a.faults.push({ at: 'insert', kind: 'redirect', code: 400, to: { ip: '127.0.0.1', port: 9 } }, { at: 'insert', kind: 'redirect', code: 400 });
    const off = sink(a, { redirection: false });
    await off.write(series(2));
    await off.close();
    expect(off.redirectHints().size).toBe(0);
    const on = sink(a);
    await on.write(series(2, 'root.z'));
    await on.close();
    expect(on.redirectHints().size).toBe(0);
  });

  it('fails a type mismatch (614) without retry, naming the batch and devices', async () => {
    const s = await start();
    s.store.types.set('root.sg.d2.v', 'DOUBLE');
    const k = sink(s);
    await k.write(series(4));
    const err = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.status).toBe(614);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('root.sg.d2');
    expect(err.message).toContain('4 rows');
    await k.close().catch(() => undefined);
  });

  it('reports wrong credentials (801) and a protocol mismatch as errors without the password', async () => {
    const s = await start('compact');
    const k = sink(s, { password: 'not-the-password', retry: { maxRetries: 0 } });
    await k.write(series(1));
    const e1 = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(e1.status).toBe(801);
    expect(e1.message).not.toContain('not-the-password');
    const k2 = sink(s, { protocol: 'binary', retry: { maxRetries: 0 } });
    await k2.write(series(1));
    const e2 = (await k2.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(e2.failure).toBe('transport');
    expect(s.violations.some((v) => v.includes('undecodable'))).toBe(true);
  });

  it('runs two sessions in parallel and loses nothing', async () => {
    const s = await start();
    const k = sink(s, { sessions: 2, maxRows: 50 });
    for (let i = 0; i < 10; i++) await k.write(series(100, `root.p.d${i}`));
    await k.close();
    expect(s.store.count()).toBe(1000);
    expect(s.calls.filter((c) => c === 'openSession').length).toBe(2);
  });

  const pair = selfSignedCertificate();
  it.skipIf(pair === undefined)('writes over TLS (iotdbs://) with a trusted CA and refuses an untrusted certificate', async () => {
    server = await new IoTDBRpcTestServer('binary', 'root', 'iotdb-pw', pair).start();
    const k = sink(server, { tls: true, tlsOptions: { ca: pair!.cert } });
    await k.write(series(5));
    await k.close();
    expect(server.store.count()).toBe(5);
    const untrusted = sink(server, { tls: true, retry: { maxRetries: 0 } });
    await untrusted.write(series(1));
    const err = (await untrusted.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.failure).toBe('transport');
    expect(err.message).toMatch(/certificate/);
  });
});
