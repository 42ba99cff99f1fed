import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/core/errors.js';
import { StreamLoadSink } from '../../../src/connectors/starrocks/stream-load-sink.js';
import type { StarRocksOptions } from '../../../src/connectors/starrocks/options.js';
import { allTypesBatch, deviceBatch } from '../batches.js';
import { StarRocksTestServer, type Row } from '../servers/starrocks-server.js';

const T0 = 1_700_000_000_000;
const EXPECTED_ALL_TYPES: Row[] = [
  { device: 'root.sg.d1', time: String(T0), b: 'true', i: '-5', l: null, f: '1.5', d: '0.1', s: 'plain', u: null, x: '0x00ff', dt: '2024-01-01', ts: '0' },
  { device: 'root.sg.d1', time: String(T0 + 1000), b: null, i: '2147483647', l: '9007199254740993', f: null, d: '1e+300', s: 'quote\'s "and" back\\slash', u: 'héllo wörld ✓', x: null, dt: null, ts: '1700000000123' },
  { device: 'root.sg.d1', time: String(T0 + 2000), b: 'false', i: null, l: '-1', f: '-0.25', d: null, s: null, u: '', x: '0x', dt: '1969-12-31', ts: null },
];

let server: StarRocksTestServer;
beforeEach(async () => { server = await new StarRocksTestServer().start(); });
afterEach(async () => { await server.close(); });

function sink(extra: Partial<StarRocksOptions> = {}): StreamLoadSink {
  return new StreamLoadSink({
    url: server.fe.url, database: 'db', table: 't', user: 'root', password: 'sr-secret',
    retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, labelWaitMs: 200, continueTimeoutMs: 300, ...extra,
  });
}

function numbered(n: number, device = 'root.sg.d2'): ReturnType<typeof deviceBatch> {
  const times = Array.from({ length: n }, (_, i) => T0 + i);
  return deviceBatch(device, times, [{ name: 'v', type: 'INT32', values: times.map((_, i) => i) }]);
}

describe('StarRocks Stream Load', () => {
  it('loads CSV through the FE 307 redirect with every type, nulls as \\N', async () => {
    const s = sink();
    await s.write(allTypesBatch());
    await s.close();
    expect(server.violations).toEqual([]);
    expect(server.rows()).toEqual(EXPECTED_ALL_TYPES);
    const be = server.requests.filter((r) => r.side === 'be');
    expect(be).toHaveLength(1);
    expect(be[0]!.headers.authorization).toMatch(/^Basic /);
    expect(be[0]!.headers.label).toBe(s.labels[0]);
    expect(be[0]!.headers.expect).toBe('100-continue');
    expect(be[0]!.headers.columns).toBe('`device`,`time`,`b`,`i`,`l`,`f`,`d`,`s`,`u`,`x`,`dt`,`ts`');
    expect(s.metrics).toMatchObject({ rows: 3, batches: 1, retries: 0, failedBatches: 0 });
  });

  it('loads JSON with strip_outer_array and datetime times', async () => {
    const s = sink({ format: 'json', timeFormat: 'datetime' });
    await s.write(allTypesBatch());
    await s.close();
    expect(server.violations).toEqual([]);
    const rows = server.rows();
    expect(rows.map((r) => r.time)).toEqual(['2023-11-14 22:13:20.000', '2023-11-14 22:13:21.000', '2023-11-14 22:13:22.000']);
    expect(rows.map((r) => r.s)).toEqual(EXPECTED_ALL_TYPES.map((r) => r.s));
    expect(rows.map((r) => r.u)).toEqual(EXPECTED_ALL_TYPES.map((r) => r.u));
    expect(rows.map((r) => r.l)).toEqual(EXPECTED_ALL_TYPES.map((r) => r.l));
    expect(server.requests.find((r) => r.side === 'be')!.headers.strip_outer_array).toBe('true');
  });

  it('splits by maxRows into requests with distinct labels and keeps every row once', async () => {
    const s = sink({ maxRows: 400 });
    await s.write(numbered(1000));
    await s.close();
    expect(s.labels).toHaveLength(3);
    expect(new Set(s.labels).size).toBe(3);
    expect(server.rows().map((r) => Number(r.v))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('splits by maxBytes as well', async () => {
    const s = sink({ maxBytes: 100_000 });
    await s.write(numbered(20_000));
    await s.close();
    expect(s.labels.length).toBeGreaterThanOrEqual(3);
    expect(server.rows()).toHaveLength(20_000);
  });

  it('starts a new request when the measurement set changes', async () => {
    const s = sink();
    await s.write(numbered(5, 'root.a'));
    await s.write(allTypesBatch('root.b'));
    await s.close();
    expect(s.labels).toHaveLength(2);
    expect(server.violations).toEqual([]);
    expect(server.rows()).toHaveLength(8);
  });

  const recoverable: [string, Parameters<StarRocksTestServer['faults']['push']>[0]][] = [
    ['BE 500', { at: 'be', kind: 'http-500' }],
    ['connection reset mid-body', { at: 'be', kind: 'reset-mid-body' }],
    ['lost response after commit', { at: 'be', kind: 'lost-response' }],
    ['slow 100 Continue', { at: 'be', kind: 'slow-continue', ms: 600 }],
    ['FE 503', { at: 'fe', kind: 'http-503' }],
    ['label reported RUNNING', { at: 'be', kind: 'label-running' }],
  ];
  for (const [what, fault] of recoverable) {
    it(`recovers from ${what} with exactly the input rows`, async () => {
      server.faults.push(fault);
      const s = sink();
      await s.write(numbered(50));
      await s.close();
      expect(server.rows().map((r) => Number(r.v))).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(s.metrics.retries).toBe(1);
      expect(server.faults.size).toBe(0);
    });
  }

  it('treats Publish Timeout as committed and does not resend', async () => {
    server.faults.push({ at: 'be', kind: 'publish-timeout' });
    const s = sink();
    await s.write(numbered(10));
    await s.close();
    expect(server.rows()).toHaveLength(10);
    expect(s.metrics.retries).toBe(0);
  });

  it('fails FE FAILED "No backend alive." after retries instead of counting it as loaded', async () => {
    server.faults.push({ at: 'fe', kind: 'no-backend' }, { at: 'fe', kind: 'no-backend' }, { at: 'fe', kind: 'no-backend' });
    const s = sink();
    await s.write(numbered(10));
    const err = await s.close().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).serverMessage).toContain('No backend alive.');
    expect((err as ConnectorError).rows).toBe(10);
    expect((err as ConnectorError).batch).toBe(0);
    expect(server.rows()).toHaveLength(0);
    expect(s.metrics.failedBatches).toBe(1);
  });

  it('does not retry "too many filtered rows" and names the batch, rows and error URL', async () => {
    server.faults.push({ at: 'be', kind: 'too-many-filtered' });
    const s = sink();
    await s.write(numbered(7));
    const err = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('7 rows');
    expect(err.message).toContain('root.sg.d2');
    expect(err.serverMessage).toContain('_load_error_log');
    expect(s.metrics.retries).toBe(0);
  });

  it('does not retry the "current running txns" throttle and reports it', async () => {
    server.faults.push({ at: 'be', kind: 'txn-limit' });
    const s = sink();
    await s.write(numbered(2));
    const err = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.serverMessage).toContain('current running txns on db');
    expect(err.retryable).toBe(false);
    expect(server.rows()).toHaveLength(0);
  });

  it('reports a redirect loop and an unreachable BE as errors, without the password', async () => {
    for (let i = 0; i < 5; i++) server.faults.push({ at: 'fe', kind: 'redirect-loop' });
    const s = sink({ retry: { maxRetries: 0 } });
    await s.write(numbered(3));
    const loop = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(loop.message).toMatch(/redirect/);
    server.faults.push({ at: 'fe', kind: 'unreachable-redirect' });
    const s2 = sink({ retry: { maxRetries: 0 } });
    await s2.write(numbered(3));
    const down = (await s2.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(down.failure).toBe('transport');
    for (const e of [loop, down]) {
      expect(e.message).not.toContain('sr-secret');
      expect(e.message).not.toContain(Buffer.from('root:sr-secret').toString('base64'));
    }
  });

  it('rejects wrong credentials as access denied without retrying', async () => {
    const s = sink({ password: 'wrong-pass' });
    await s.write(numbered(3));
    const err = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.status).toBe(401);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('wrong-pass');
  });

  it('refuses CSV text containing the column separator', async () => {
    const s = sink();
    await expect(s.write(deviceBatch('root.x', [1], [{ name: 's', type: 'TEXT', values: ['a\tb'] }]))).rejects.toThrow(/separator/);
    const j = sink({ format: 'json' });
    await j.write(deviceBatch('root.x', [1], [{ name: 's', type: 'TEXT', values: ['a\tb\n'] }]));
    await j.close();
    expect(server.rows()).toEqual([{ device: 'root.x', time: '1', s: 'a\tb\n' }]);
  });

  it('sends ignore_json_size so large JSON bodies are accepted', async () => {
    server.maxJsonBytes = 100;
    const s = sink({ format: 'json' });
    await s.write(numbered(20));
    await s.close();
    expect(server.violations).toEqual([]);
    expect(server.rows()).toHaveLength(20);
  });

  it('retries when the label-state query itself fails', async () => {
    server.faults.push({ at: 'be', kind: 'label-running' }, { at: 'state', kind: 'http-500' });
    const s = sink();
    await s.write(numbered(8));
    await s.close();
    expect(server.rows()).toHaveLength(8);
  });

  it('flushes on the interval without an explicit flush', async () => {
    const s = sink({ flushIntervalMs: 30 });
    await s.write(numbered(4));
    await new Promise((r) => setTimeout(r, 150));
    expect(server.rows()).toHaveLength(4);
    await s.close();
  });
});
