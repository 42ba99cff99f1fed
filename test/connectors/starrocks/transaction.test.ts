import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/core/errors.js';
import { TransactionStreamLoadSink } from '../../../src/connectors/starrocks/transaction-sink.js';
import { deviceBatch } from '../batches.js';
import { StarRocksTestServer } from '../servers/starrocks-server.js';

let server: StarRocksTestServer;
beforeEach(async () => { server = await new StarRocksTestServer().start(); });
afterEach(async () => { await server.close(); });

function sink(maxRows = 1000): TransactionStreamLoadSink {
  return new TransactionStreamLoadSink({
    url: server.fe.url, database: 'db', table: 't', user: 'root', password: 'sr-secret', maxRows,
    retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, labelWaitMs: 300, continueTimeoutMs: 300,
  });
}

function rows(from: number, n: number): ReturnType<typeof deviceBatch> {
  const times = Array.from({ length: n }, (_, i) => from + i);
  return deviceBatch('root.sg.d1', times, [{ name: 'v', type: 'INT64', values: times }]);
}

const values = (): number[] => server.rows().map((r) => Number(r.v));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('StarRocks Transaction Stream Load', () => {
  it('begins, loads several requests, prepares and commits one transaction per flush', async () => {
    const s = sink(30);
    s.useLabel('job-seg-0');
    await s.write(rows(0, 100));
    expect(values()).toEqual([]); // nothing visible before commit
    await s.flush();
    expect(values()).toEqual(range(0, 100));
    expect(s.committed).toEqual(['job-seg-0']);
    expect(server.labels.get('db/job-seg-0')!.state).toBe('VISIBLE');
    const loads = server.requests.filter((r) => r.side === 'be');
    expect(loads).toHaveLength(4);
    expect(new Set(loads.map((r) => r.headers.label))).toEqual(new Set(['job-seg-0']));
    await s.write(rows(100, 5));
    await s.close();
    expect(values()).toEqual(range(0, 105));
    expect(s.committed).toHaveLength(2);
    expect(server.violations).toEqual([]);
  });

  it('settles a commit answered "publish timeout" or lost by checking the label state', async () => {
    for (const kind of ['publish-timeout', 'lost-response'] as const) {
      server.faults.push({ at: 'commit', kind });
      const s = sink();
      await s.write(rows(kind === 'lost-response' ? 10 : 0, 10));
      await s.close();
    }
    expect(values()).toEqual(range(0, 20));
  });

  it('rolls back after a connection reset during a load and loads nothing of it', async () => {
    server.faults.push({ at: 'be', kind: 'reset-mid-body' });
    const s = sink(10);
    s.useLabel('seg-a');
    await expect(s.write(rows(0, 25))).rejects.toBeInstanceOf(ConnectorError);
    expect(server.labels.get('db/seg-a')!.state).toBe('ABORTED');
    await s.abort();
    s.useLabel('seg-a-1');
    await s.write(rows(0, 25));
    await s.close();
    expect(values()).toEqual(range(0, 25));
  });

  it('retries TXN_IN_PROCESSING on begin and fails a FAILED prepare with rollback', async () => {
    server.faults.push({ at: 'begin', kind: 'in-processing' });
    const s = sink();
    await s.write(rows(0, 3));
    await s.flush();
    expect(values()).toEqual(range(0, 3));
    server.faults.push({ at: 'prepare', kind: 'failed' }, { at: 'prepare', kind: 'failed' }, { at: 'prepare', kind: 'failed' });
    s.useLabel('seg-fail');
    await s.write(rows(3, 3));
    const err = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(server.labels.get('db/seg-fail')!.state).toBe('ABORTED');
    expect(values()).toEqual(range(0, 3));
  });

  it('reports a prepared transaction that expired to ABORTED as a failure', async () => {
    server.faults.push({ at: 'prepare', kind: 'expire-after' });
    const s = sink();
    await s.write(rows(0, 3));
    const err = (await s.flush().catch((e: unknown) => e)) as ConnectorError;
    expect(err.message).toMatch(/ABORTED|TXN_NOT_EXISTS/);
    expect(values()).toEqual([]);
  });

  it('puts each columns layout of a segment in its own transaction and commits them together', async () => {
    const s = sink();
    s.useLabel('seg-m');
    await s.write(rows(0, 3));
    await s.write(deviceBatch('root.sg.other', [7, 8], [{ name: 'w', type: 'DOUBLE', values: [1.5, null] }]));
    await s.write(rows(3, 2));
    expect(values().filter((v) => !Number.isNaN(v))).toEqual([]);
    await s.flush();
    // The third batch has the first one's layout and joins its transaction.
    expect(s.committed).toEqual(['seg-m', 'seg-m_1']);
    expect(server.rows().map((r) => r.v ?? `w=${r.w}`)).toEqual(['0', '1', '2', '3', '4', 'w=1.5', 'w=null']);
    expect(server.violations).toEqual([]);
  });

  it('settles segments left by a crashed run by the two-phase rule', async () => {
    const committed = sink();
    committed.useLabel('run1-seg-0');
    await committed.write(rows(0, 4));
    await committed.flush(); // committed, but the run dies before recording it
    const row = (v: number): Record<string, string> => ({ device: 'root.sg.d1', time: String(v), v: String(v) });
    const put = (label: string, state: 'PREPARE' | 'PREPARED' | 'VISIBLE' | 'ABORTED', v: number): void => {
      server.labels.set(`db/${label}`, { table: 'db.t', state, rows: [row(v)], txnId: v });
      if (state === 'VISIBLE') server.tables.get('db.t')!.push(row(v));
    };
    put('seg-1', 'PREPARED', 10); put('seg-1_1', 'PREPARED', 11); // prepare phase complete
    put('seg-2', 'VISIBLE', 20); put('seg-2_1', 'PREPARED', 21); // commit phase under way
    put('seg-3', 'PREPARED', 30); put('seg-3_1', 'PREPARE', 31); // prepare phase incomplete
    put('seg-4', 'PREPARE', 40); // still loading
    put('seg-5', 'VISIBLE', 50); put('seg-5_1', 'ABORTED', 51); // impossible under the protocol
    const resumed = sink();
    expect(await resumed.settle('run1-seg-0')).toBe('committed');
    expect(await resumed.settle('seg-1')).toBe('committed');
    expect(await resumed.settle('seg-2')).toBe('committed');
    expect(await resumed.settle('seg-3')).toBe('absent');
    expect(await resumed.settle('seg-4')).toBe('absent');
    expect(await resumed.settle('never-used')).toBe('absent');
    await expect(resumed.settle('seg-5')).rejects.toThrow(/partly committed/);
    expect(['seg-3', 'seg-3_1', 'seg-4'].map((l) => server.labels.get(`db/${l}`)!.state)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(values().sort((a, b) => a - b)).toEqual([...range(0, 4), 10, 11, 20, 21, 50]);
    await resumed.close();
  });

  it('refuses a label outside [-_A-Za-z0-9]', () => {
    expect(() => sink().useLabel('bad label!')).toThrow(ConnectorError);
  });
});
