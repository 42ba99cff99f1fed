import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/core/errors.js';
import { IoTDBRestSink } from '../../../src/connectors/iotdb/rest-sink.js';
import type { IoTDBOptions } from '../../../src/connectors/iotdb/options.js';
import { allTypesBatch, deviceBatch } from '../batches.js';
import { IoTDBRestTestServer } from '../servers/iotdb-rest-server.js';

let server: IoTDBRestTestServer;
beforeEach(async () => { server = await new IoTDBRestTestServer().start(); });
afterEach(async () => { await server.close(); });

function sink(extra: Partial<IoTDBOptions> = {}): IoTDBRestSink {
  return new IoTDBRestSink({
    host: '127.0.0.1', port: server.port, user: 'root', password: 'rest-pw',
    retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, requestTimeoutMs: 400, ...extra,
  });
}

function series(n: number, device = 'root.sg.d2'): ReturnType<typeof deviceBatch> {
  const times = Array.from({ length: n }, (_, i) => 1000 + i);
  return deviceBatch(device, times, [{ name: 'v', type: 'DOUBLE', values: times.map((_, i) => i / 4) }]);
}

describe('IoTDB REST sink', () => {
  it('refuses BLOB columns unless asked to store their hex text, naming the options', async () => {
    const k = sink();
    await expect(k.write(allTypesBatch())).rejects.toThrow(/BLOB.*iotdb:\/\/.*--rest-blob hex-text/);
    await k.close();
    expect(server.requests).toBe(0);
  });

  it('writes insertTablet v2 bodies the strict server accepts, every type preserved', async () => {
    const k = sink({ restBlob: 'hex-text' });
    await k.write(allTypesBatch());
    await k.close();
    expect(server.violations).toEqual([]);
    const lines = server.store.lines();
    expect(lines).toContain('root.sg.d1,l,1700000001000,9007199254740993');
    expect(lines).toContain('root.sg.d1,dt,1700000000000,2024-01-01');
    expect(lines).toContain('root.sg.d1,s,1700000001000,"quote\'s ""and"" back\\slash"');
    expect(lines).toContain('root.sg.d1,u,1700000001000,héllo wörld ✓');
    // The server holds the bytes of the text "0x00ff".
    expect(lines).toContain(`root.sg.d1,x,1700000000000,0x${Buffer.from('0x00ff').toString('hex')}`);
    expect(lines).toContain('root.sg.d1,f,1700000002000,-0.25');
    expect(lines).toHaveLength(20);
  });

  it('sends NaN and infinities as numeric strings and unsorted rows in time order', async () => {
    const k = sink();
    await k.write(deviceBatch('root.n', [3, 1, 2], [{ name: 'v', type: 'DOUBLE', values: [Number.NaN, Infinity, -Infinity] }]));
    await k.close();
    expect(server.violations).toEqual([]);
    expect(server.store.lines()).toEqual(['root.n,v,1,Infinity', 'root.n,v,2,-Infinity', 'root.n,v,3,NaN']);
  });

  it('creates timeseries through nonQuery first when asked', async () => {
    const k = sink({ createSchema: { compressor: 'ZSTD' } });
    await k.write(series(2));
    await k.close();
    expect(server.nonQueries).toEqual(['CREATE TIMESERIES root.sg.d2.v WITH DATATYPE=DOUBLE, ENCODING=GORILLA, COMPRESSOR=ZSTD']);
  });

  it('writes table-model batches to /rest/table/v1/insertTablet', async () => {
    const k = sink({ tableDatabase: 'db1' });
    await k.write(deviceBatch('t1.a.b', [7], [{ name: 'm', type: 'INT32', values: [3] }], { table: 't1', tags: ['a', 'b'] }));
    await k.close();
    expect(server.violations).toEqual([]);
    expect(server.tableRows.get('t1')).toEqual([{ time: '7', tag1: 'a', tag2: 'b', m: '3' }]);
  });

  for (const [what, fault] of [
    ['HTTP 503 from the size filter', { at: 'insert', kind: 'http-503' }],
    ['a connection reset', { at: 'insert', kind: 'reset' }],
    ['a slow server past the request timeout', { at: 'insert', kind: 'slow', ms: 600 }],
    ['code 606 (write rejected, transient)', { at: 'insert', kind: 'code', code: 606 }],
  ] as const) {
    it(`retries after ${what} with no loss`, async () => {
      server.faults.push(fault);
      const k = sink();
      await k.write(series(40));
      await k.close();
      expect(server.store.count()).toBe(40);
      expect(k.metrics.retries).toBe(1);
    });
  }

  it('reports HTTP 413 from the size filter as not retryable', async () => {
    server.maxBodyBytes = 200;
    const k = sink();
    await k.write(series(40));
    const err = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.status).toBe('HTTP 413/413');
    expect(err.retryable).toBe(false);
    expect(k.metrics.retries).toBe(0);
  });

  it('fails on code 302 partial failure and on 401 without retrying or leaking the password', async () => {
    server.faults.push({ at: 'insert', kind: 'code', code: 302, message: 'a; b; ' });
    const k = sink();
    await k.write(series(2));
    const e1 = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(e1.status).toBe(302);
    expect(e1.serverMessage).toBe('a; b; ');
    const bad = sink({ password: 'zzz-wrong' });
    await bad.write(series(2));
    const e2 = (await bad.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(e2.status).toBe('HTTP 401/801');
    expect(e2.retryable).toBe(false);
    expect(e2.message).not.toContain('zzz-wrong');
    expect(bad.metrics.retries).toBe(0);
  });
});
