import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransactionStreamLoadSink } from '../../src/connectors/starrocks/transaction-sink.js';
import { IoTDBSessionSink } from '../../src/connectors/iotdb/session-sink.js';
import { pipe, type PipeReader } from '../../src/pipeline/pipe.js';
import type { PipeBatch, PipeSink } from '../../src/pipeline/types.js';
import { deviceBatch } from '../connectors/batches.js';
import { StarRocksTestServer } from '../connectors/servers/starrocks-server.js';
import { IoTDBRpcTestServer } from '../connectors/servers/iotdb-rpc-server.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipe-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

/** Two fake source files of `batches` batches × 10 rows each; the reader is injected. */
async function sources(batches: number): Promise<{ files: string[]; open: (f: string) => Promise<PipeReader> }> {
  const files = ['a.tsfile', 'b.tsfile'].map((n) => path.join(dir, n));
  for (const f of files) await fs.writeFile(f, 'placeholder');
  const open = async (f: string): Promise<PipeReader> => ({
    async *scan(): AsyncGenerator<PipeBatch> {
      const base = path.basename(f) === 'a.tsfile' ? 0 : 1_000_000;
      for (let b = 0; b < batches; b++) {
        const times = Array.from({ length: 10 }, (_, i) => base + b * 10 + i);
        yield deviceBatch(`root.sg.${path.basename(f, '.tsfile')}`, times, [{ name: 'v', type: 'INT64', values: times }]);
      }
    },
    async close() {},
  });
  return { files, open };
}

/** Wraps a sink so that its n-th flush dies before or after the real flush (a crash). */
function crashing<S extends PipeSink>(inner: S, n: number, when: 'before' | 'after'): S {
  let flushes = 0;
  return new Proxy(inner, {
    get(t, p, r) {
      if (p === 'flush') {
        return async (signal?: AbortSignal) => {
          flushes++;
          if (flushes === n && when === 'before') throw new Error('crash');
          await t.flush(signal);
          if (flushes === n && when === 'after') throw new Error('crash');
        };
      }
      const v = Reflect.get(t, p, r) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

describe('pipe with StarRocks transactions (exactly-once)', () => {
  let server: StarRocksTestServer;
  beforeEach(async () => { server = await new StarRocksTestServer().start(); });
  afterEach(async () => { await server.close(); });
  const sink = (): TransactionStreamLoadSink => new TransactionStreamLoadSink({
    url: server.fe.url, database: 'db', table: 't', user: 'root', password: 'sr-secret',
    retry: { maxRetries: 2, initialBackoffMs: 5, maxBackoffMs: 20 }, labelWaitMs: 200, continueTimeoutMs: 300,
  });
  const loaded = (): number[] => server.rows().map((r) => Number(r.v)).sort((a, b) => a - b);
  const expected = (batches: number): number[] => [...Array.from({ length: batches * 10 }, (_, i) => i), ...Array.from({ length: batches * 10 }, (_, i) => 1_000_000 + i)];

  for (const when of ['before', 'after'] as const) {
    it(`resumes after a crash ${when} a commit without losing or duplicating a row`, async () => {
      const { files, open } = await sources(7);
      const cp = path.join(dir, 'load.ckpt');
      const first = pipe({ source: { paths: files }, sink: crashing(sink(), 2, when), checkpoint: cp, job: 'j', segmentBatches: 3, segmentRetries: 0, openReader: open });
      const s1 = await first.start();
      expect(s1.state).toBe('failed');
      const ck = JSON.parse(await fs.readFile(cp, 'utf8')) as { pending?: { label: string } };
      expect(ck.pending?.label).toMatch(/^tsfile-[0-9a-f]{8}-[0-9a-f]{12}-3-0$/);
      const second = pipe({ source: { paths: files }, sink: sink(), checkpoint: cp, job: 'j', segmentBatches: 3, openReader: open });
      const s2 = await second.start();
      expect(s2.state).toBe('done');
      expect(loaded()).toEqual(expected(7));
      expect(s2.rowsSkipped).toBe(when === 'after' ? 60 : 30);
      expect(server.violations).toEqual([]);
      // A third run finds everything complete and loads nothing.
      const third = await pipe({ source: { paths: files }, sink: sink(), checkpoint: cp, job: 'j', segmentBatches: 3, openReader: open }).start();
      expect(third.rowsRead).toBe(0);
      expect(loaded()).toEqual(expected(7));
    });
  }

  it('replays a segment whose load was cut mid-body under a new label, exactly once', async () => {
    const { files, open } = await sources(5);
    server.faults.push({ at: 'be', kind: 'reset-mid-body' });
    const s = await pipe({ source: { paths: files }, sink: sink(), segmentBatches: 2, openReader: open }).start();
    expect(s.state).toBe('done');
    expect(loaded()).toEqual(expected(5));
    expect([...server.labels.values()].filter((l) => l.state === 'ABORTED')).toHaveLength(1);
  });

  it('counts a lost commit answer as committed (label state) and does not replay', async () => {
    const { files, open } = await sources(4);
    server.faults.push({ at: 'commit', kind: 'lost-response' }, { at: 'commit', kind: 'publish-timeout' });
    const s = await pipe({ source: { paths: files }, sink: sink(), segmentBatches: 2, openReader: open }).start();
    expect(s.state).toBe('done');
    expect(loaded()).toEqual(expected(4));
  });

  for (const resume of ['in the same run', 'after a crash'] as const) {
    it(`settles a segment whose second transaction failed to commit ${resume}, exactly once`, async () => {
      const files = [path.join(dir, 'm.tsfile')];
      await fs.writeFile(files[0]!, 'placeholder');
      // Batches alternate between two devices with different measurements: two layouts per segment.
      const open = async (): Promise<PipeReader> => ({
        async *scan(): AsyncGenerator<PipeBatch> {
          for (let b = 0; b < 6; b++) {
            const times = Array.from({ length: 5 }, (_, i) => b * 5 + i);
            yield b % 2 === 0
              ? deviceBatch('root.m.a', times, [{ name: 'v', type: 'INT64', values: times }])
              : deviceBatch('root.m.b', times, [{ name: 'w', type: 'INT64', values: times }]);
          }
        },
        async close() {},
      });
      // Every commit attempt of segment 0's second transaction fails: its base commits, it stays PREPARED.
      for (let i = 0; i < 3; i++) server.faults.push({ at: 'commit', kind: 'failed', labelEndsWith: '-0-0_1' });
      const cp = path.join(dir, 'm.ckpt');
      const opts = { source: { paths: files }, checkpoint: cp, job: 'm', segmentBatches: 4, openReader: open };
      const first = await pipe({ ...opts, sink: sink(), segmentRetries: resume === 'after a crash' ? 0 : 2 }).start();
      if (resume === 'after a crash') {
        expect(first.state).toBe('failed');
        expect([...server.labels.entries()].map(([l, r]) => `${l.replace(/^db\/[^]*-0-0/, '')}:${r.state}`).sort()).toEqual([':VISIBLE', '_1:PREPARED']);
        const second = await pipe({ ...opts, sink: sink() }).start();
        expect(second.state).toBe('done');
      } else {
        expect(first.state).toBe('done');
      }
      const got = server.rows().map((r) => (r.v !== null && r.v !== undefined ? `a${r.v}` : `b${r.w}`)).sort();
      const want = Array.from({ length: 30 }, (_, t) => (Math.floor(t / 5) % 2 === 0 ? `a${t}` : `b${t}`)).sort();
      expect(got).toEqual(want);
    });
  }

  it('refuses a checkpoint of another job', async () => {
    const { files, open } = await sources(1);
    const cp = path.join(dir, 'x.ckpt');
    await pipe({ source: { paths: files }, sink: sink(), checkpoint: cp, job: 'one', openReader: open }).start();
    const s = await pipe({ source: { paths: files }, sink: sink(), checkpoint: cp, job: 'two', openReader: open }).start();
    expect(s.state).toBe('failed');
    expect(String(s.error)).toMatch(/another load/);
  });
});

describe('pipe with IoTDB (at-least-once, idempotent)', () => {
  it('resumes after a crash, filters through the processor, and holds exactly the input', async () => {
    const server = await new IoTDBRpcTestServer().start();
    try {
      const { files, open } = await sources(6);
      const cp = path.join(dir, 'io.ckpt');
      const mk = (): IoTDBSessionSink => new IoTDBSessionSink({ host: '127.0.0.1', port: server.port, password: 'iotdb-pw', retry: { maxRetries: 1, initialBackoffMs: 5 } });
      // Drop odd values and rename the device.
      const process = (b: PipeBatch): PipeBatch => ({ ...b, device: b.device.replace('root.sg', 'root.copy') });
      const s1 = await pipe({ source: { paths: files }, process, sink: crashing(mk(), 3, 'after'), checkpoint: cp, job: 'io', segmentBatches: 2, openReader: open }).start();
      expect(s1.state).toBe('failed');
      const s2 = await pipe({ source: { paths: files }, process, sink: mk(), checkpoint: cp, job: 'io', segmentBatches: 2, openReader: open }).start();
      expect(s2.state).toBe('done');
      expect(server.store.count()).toBe(120);
      expect([...server.store.points.keys()].sort()).toEqual(['root.copy.a', 'root.copy.b']);
      // The crashed segment was written twice; IoTDB overwrote it.
      expect(server.store.writes).toBe(140);
    } finally {
      await server.close();
    }
  });

  it('loads a source file again when it changed since the checkpoint', async () => {
    const server = await new IoTDBRpcTestServer().start();
    try {
      const { files, open } = await sources(2);
      const cp = path.join(dir, 'chg.ckpt');
      const mk = (): IoTDBSessionSink => new IoTDBSessionSink({ host: '127.0.0.1', port: server.port, password: 'iotdb-pw' });
      expect((await pipe({ source: { paths: files }, sink: mk(), checkpoint: cp, job: 'c', openReader: open }).start()).rowsRead).toBe(40);
      expect((await pipe({ source: { paths: files }, sink: mk(), checkpoint: cp, job: 'c', openReader: open }).start()).rowsRead).toBe(0);
      await fs.appendFile(files[1]!, 'grown');
      const third = await pipe({ source: { paths: files }, sink: mk(), checkpoint: cp, job: 'c', openReader: open }).start();
      expect(third.rowsRead).toBe(20);
      expect(third.rowsSkipped).toBe(20);
    } finally {
      await server.close();
    }
  });

  it('stops on request and reports status', async () => {
    const server = await new IoTDBRpcTestServer().start();
    try {
      const { open } = await sources(3);
      const p = pipe({ source: { paths: [dir], watch: true, watchIntervalMs: 20 }, sink: new IoTDBSessionSink({ host: '127.0.0.1', port: server.port, password: 'iotdb-pw' }), openReader: open });
      const done = p.start();
      await new Promise((r) => setTimeout(r, 100));
      expect(p.status().state).toBe('running');
      expect(p.status().filesDone).toBe(2);
      // A new file appears while watching.
      await fs.writeFile(path.join(dir, 'c.tsfile'), 'placeholder');
      await new Promise((r) => setTimeout(r, 150));
      expect(p.status().filesDone).toBe(3);
      const s = await p.stop();
      expect(s.state).toBe('stopped');
      expect((await done).state).toBe('stopped');
      expect(server.store.count()).toBe(90);
    } finally {
      await server.close();
    }
  });
});
