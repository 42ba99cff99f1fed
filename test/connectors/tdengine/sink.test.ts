import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/core/errors.js';
import { TDengineLineSink, TDengineSqlSink } from '../../../src/connectors/tdengine/sink.js';
import type { TDengineOptions } from '../../../src/connectors/tdengine/options.js';
import { allTypesBatch, deviceBatch } from '../batches.js';
import { TDengineTestServer } from '../servers/tdengine-server.js';

let server: TDengineTestServer;
beforeEach(async () => { server = await new TDengineTestServer().start(); });
afterEach(async () => { await server.close(); });

function opts(extra: Partial<TDengineOptions> = {}): TDengineOptions {
  return { url: server.url, database: 'power', user: 'root', password: 'td-secret', retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, requestTimeoutMs: 400, ...extra };
}

function series(n: number, device = 'root.sg.d2'): ReturnType<typeof deviceBatch> {
  const times = Array.from({ length: n }, (_, i) => 1000 + i);
  return deviceBatch(device, times, [{ name: 'v', type: 'INT32', values: times.map((_, i) => i) }]);
}

describe('TDengine SQL sink', () => {
  it('creates one table per device and inserts every type exactly', async () => {
    const k = new TDengineSqlSink(opts({ textWidth: 64, timeColumn: 'time' }));
    await k.write(allTypesBatch());
    await k.close();
    expect(server.violations).toEqual([]);
    const t = server.table('root_sg_d1')!;
    expect(t.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['time TIMESTAMP', 'b BOOL', 'i INT', 'l BIGINT', 'f FLOAT', 'd DOUBLE', 's NCHAR', 'u NCHAR', 'x VARBINARY', 'dt INT', 'ts TIMESTAMP']);
    expect(server.rows('root_sg_d1')).toEqual([
      { time: '1700000000000', b: 'true', i: '-5', l: null, f: '1.5', d: '0.1', s: 'plain', u: null, x: '0x00ff', dt: '20240101', ts: '0' },
      { time: '1700000001000', b: null, i: '2147483647', l: '9007199254740993', f: null, d: '1e+300', s: 'quote\'s "and" back\\slash', u: 'héllo wörld ✓', x: null, dt: null, ts: '1700000000123' },
      { time: '1700000002000', b: 'false', i: null, l: '-1', f: '-0.25', d: null, s: null, u: '', x: '0x', dt: '19691231', ts: null },
    ]);
  });

  it('refuses a measurement named like the timestamp column', async () => {
    const k = new TDengineSqlSink(opts());
    await expect(k.write(allTypesBatch())).rejects.toThrow(/collides/);
  });

  it('with a supertable, auto-creates subtables tagged with the device path', async () => {
    const k = new TDengineSqlSink(opts({ stable: 'meters' }));
    await k.write(series(3, 'root.a'));
    await k.write(series(2, 'root.b'));
    await k.close();
    expect(server.violations).toEqual([]);
    expect(server.table('root_a')).toMatchObject({ stable: 'meters', tags: { device: 'root.a' } });
    expect(server.rows('root_b').map((r) => r.v)).toEqual(['0', '1']);
    expect(server.statements.filter((s) => s.startsWith('INSERT'))).toHaveLength(1);
  });

  it('keeps every statement under the SQL length limit for large batches', async () => {
    const k = new TDengineSqlSink(opts({ maxSqlBytes: 2000, maxRows: 5000 }));
    await k.write(series(3000));
    await k.close();
    expect(server.rows('root_sg_d2')).toHaveLength(3000);
    expect(server.statements.filter((s) => s.startsWith('INSERT')).length).toBeGreaterThan(10);
  });

  for (const [what, fault] of [
    ['503 memory threshold', { at: 'sql', kind: 'http-503' }],
    ['connection reset', { at: 'sql', kind: 'reset' }],
    ['slow server', { at: 'sql', kind: 'slow', ms: 600 }],
  ] as const) {
    it(`retries after ${what} and holds exactly the input`, async () => {
      const k = new TDengineSqlSink(opts());
      await k.write(series(20));
      await k.flush();
      server.faults.push(fault);
      await k.write(series(30, 'root.sg.d3'));
      await k.close();
      expect(server.rows('root_sg_d2')).toHaveLength(20);
      expect(server.rows('root_sg_d3').map((r) => Number(r.v))).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(k.metrics.retries).toBe(1);
    });
  }

  it('retries a multi-table INSERT that partly succeeded; the overwrite leaves exactly the input', async () => {
    const k = new TDengineSqlSink(opts());
    await k.write(series(5, 'root.x1'));
    await k.write(series(7, 'root.x2'));
    await k.flush();
    server.faults.push({ at: 'sql', kind: 'partial' });
    await k.write(series(6, 'root.x1'));
    await k.write(series(9, 'root.x2'));
    await k.close();
    expect(server.rows('root_x1')).toHaveLength(6);
    expect(server.rows('root_x2').map((r) => Number(r.v))).toEqual(Array.from({ length: 9 }, (_, i) => i));
    expect(k.metrics.retries).toBe(1);
  });

  it('reports a database error (HTTP 200, code != 0) with the server text and no password', async () => {
    server.faults.push({ at: 'sql', kind: 'code', code: 1547, desc: 'Timestamp out of range' });
    const k = new TDengineSqlSink(opts());
    await k.write(series(2));
    const err = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.status).toBe(1547);
    expect(err.serverMessage).toBe('Timestamp out of range');
    expect(err.retryable).toBe(false);
    const bad = new TDengineSqlSink(opts({ password: 'bad-pass-123' }));
    await bad.write(series(1));
    const e2 = (await bad.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(e2.status).toBe(855);
    expect(e2.message).not.toContain('bad-pass-123');
  });

  it('fails on an unknown database (904) without retrying', async () => {
    const k = new TDengineSqlSink(opts({ database: 'nodb' }));
    await k.write(series(1));
    const err = (await k.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.status).toBe(904);
    expect(k.metrics.retries).toBe(0);
  });

  it('creates the database with its precision when asked and converts times to µs', async () => {
    const k = new TDengineSqlSink(opts({ database: 'newdb', createDatabase: true, precision: 'us' }));
    await k.write(series(2));
    await k.close();
    expect(server.databases.get('newdb')!.precision).toBe('us');
    expect(server.rows('root_sg_d2', 'newdb').map((r) => r.ts)).toEqual(['1000000', '1001000']);
  });
});

describe('TDengine line protocol sink', () => {
  it('writes schemaless lines into a supertable with device-named subtables', async () => {
    const k = new TDengineLineSink(opts({ stable: 'meters' }));
    await k.write(allTypesBatch());
    await k.close();
    expect(server.violations).toEqual([]);
    const rows = server.rows('root_sg_d1');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ _ts: '1700000001000', ts: '1700000000123', i: '2147483647', l: '9007199254740993', d: '1e+300', s: 'quote\'s "and" back\\slash', u: 'héllo wörld ✓' });
    expect(rows[0]).toMatchObject({ b: 'true', f: '1.5', x: '0x00ff', dt: '20240101' });
    expect(server.table('root_sg_d1')!.stable).toBe('meters');
  });

  it('retries a 503 and a reset', async () => {
    server.faults.push({ at: 'influx', kind: 'http-503' }, { at: 'influx', kind: 'reset' });
    const k = new TDengineLineSink(opts());
    await k.write(series(10));
    await k.close();
    expect(server.rows('root_sg_d2')).toHaveLength(10);
    expect(k.metrics.retries).toBe(2);
  });
});

describe('TDengine database creation and names', () => {
  it('creates the database with the data precision and a KEEP that covers the oldest row', async () => {
    // Rows from 1970 are refused by a default KEEP of 3650 days: the created database must keep them.
    const k = new TDengineSqlSink(opts({ database: 'fresh', createDatabase: true }));
    await k.write(deviceBatch('root.sg.old', [0, 1], [{ name: 'v', type: 'DOUBLE', values: [-0, 2.5] }]));
    await k.close();
    const db = server.databases.get('fresh')!;
    expect(db.precision).toBe('ms');
    const days = Math.floor(Date.now() / 86_400_000);
    expect(db.keep).toBeGreaterThan(days);
    expect(db.keep).toBeLessThan(days + 10);
    expect(server.rows('root_sg_old', 'fresh')).toEqual([{ ts: '0', v: '-0' }, { ts: '1', v: '2.5' }]);
    expect(server.violations).toEqual([]);
  });

  it('widens KEEP when a later request holds older rows, and refuses rows older than --keep', async () => {
    const k = new TDengineSqlSink(opts({ database: 'grow', createDatabase: true, maxRows: 1 }));
    await k.write(deviceBatch('root.sg.a', [Date.now() - 1000, 86_400_000 * 365], [{ name: 'v', type: 'INT32', values: [1, 2] }]));
    await k.close();
    expect(server.statements.filter((s) => /^(CREATE DATABASE|ALTER DATABASE)/.test(s)).map((s) => s.replace(/KEEP \d+/, 'KEEP n'))).toEqual([
      "CREATE DATABASE IF NOT EXISTS `grow` PRECISION 'ms' KEEP n", 'ALTER DATABASE `grow` KEEP n']);
    expect(server.rows('root_sg_a', 'grow')).toHaveLength(2);
    const short = new TDengineSqlSink(opts({ database: 'short', createDatabase: true, keepDays: 30 }));
    await short.write(deviceBatch('root.sg.a', [0], [{ name: 'v', type: 'INT32', values: [1] }]));
    await expect(short.flush()).rejects.toThrow(/older than --keep 30 days/);
  });

  it('takes the precision from a microsecond time column and keeps its digits', async () => {
    const { batch } = deviceBatch('root.sg.us', [0], [{ name: 'v', type: 'INT32', values: [0] }]);
    const { Field, RecordBatch, Schema, Struct, TimestampMicrosecond, makeData } = await import('apache-arrow');
    const tType = new TimestampMicrosecond();
    const fields = [new Field('time', tType, false), batch.schema.fields[1]!];
    const time = makeData({ type: tType, length: 2, nullCount: 0, data: BigInt64Array.from([1_700_000_000_000_001n, 1_700_000_000_000_002n]) });
    const v = makeData({ type: batch.schema.fields[1]!.type, length: 2, nullCount: 0, data: Int32Array.from([7, 8]) });
    const us = new RecordBatch(new Schema(fields, batch.schema.metadata), makeData({ type: new Struct(fields), length: 2, nullCount: 0, children: [time, v] }));
    const k = new TDengineSqlSink(opts({ database: 'micro', createDatabase: true }));
    await k.write({ device: 'root.sg.us', batch: us });
    await k.close();
    expect(server.databases.get('micro')!.precision).toBe('us');
    expect(server.rows('root_sg_us', 'micro').map((r) => r.ts)).toEqual(['1700000000000001', '1700000000000002']);
    // The same microseconds cannot go into a millisecond database without losing digits.
    const ms = new TDengineSqlSink(opts({ precision: 'ms' }));
    await expect(ms.write({ device: 'root.sg.us', batch: us })).rejects.toThrow(/losing digits/);
  });

  it('refuses two devices that map to one table name, and NaN unless mapped to NULL', async () => {
    const k = new TDengineSqlSink(opts());
    await k.write(deviceBatch('root.a_b.c', [1], [{ name: 'v', type: 'INT32', values: [1] }]));
    await expect(k.write(deviceBatch('root.a.b_c', [1], [{ name: 'v', type: 'INT32', values: [1] }]))).rejects.toThrow(/both map to TDengine table root_a_b_c/);
    const nan = new TDengineSqlSink(opts());
    await expect(nan.write(deviceBatch('root.n', [1], [{ name: 'v', type: 'FLOAT', values: [Number.NaN] }]))).rejects.toThrow(/--non-finite null/);
  });

  it('counts every HTTP request it sends, DDL included', async () => {
    server.faults.push({ at: 'sql', kind: 'http-503' });
    const k = new TDengineSqlSink(opts({ database: 'counted', createDatabase: true, maxRows: 5 }));
    await k.write(series(20));
    await k.close();
    // CREATE DATABASE (503, then again), CREATE TABLE, 4 INSERTs.
    expect(k.metrics.batches).toBe(4);
    expect(k.metrics.requests).toBe(server.requests);
    expect(k.metrics.requests).toBe(7);
    expect(k.metrics.bytesSent).toBeGreaterThan(k.metrics.bytes);
  });
});
