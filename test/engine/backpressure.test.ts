/**
 * A consumer that stops pulling batches stops the reading: no new decode task starts while it
 * waits, so memory stays flat; and a full scan of the 20M-point file stays within a bounded
 * amount of decoded data in flight.
 */
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import type { TaskRunner } from '../../src/reader/task-runner.js';
import { createDecodePool, PoolRunner } from '../../src/engine/pool-runner.js';
import { HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

const pool = createDecodePool(2);
afterAll(() => pool.destroy());

function counting(inner: TaskRunner): TaskRunner & { started: number; settled: number } {
  const r = {
    started: 0,
    settled: 0,
    concurrency: inner.concurrency,
    lookahead: inner.lookahead,
    run: async (task: Parameters<TaskRunner['run']>[0], signal?: AbortSignal) => {
      r.started++;
      try {
        return await inner.run(task, signal);
      } finally {
        r.settled++;
      }
    },
  };
  return r;
}

describe.skipIf(!HAVE_SHARED)('backpressure', () => {
  const [large] = listFixtures('large');

  it('a paused consumer starts no new tasks and holds memory flat', async () => {
    const runner = counting(new PoolRunner(pool, { minTaskBytes: 0 }));
    const reader = await TsFileReader.open(large!.tsfile, { runner, maxBytesInFlight: 32 * 1024 * 1024 });
    const it = reader.scan()[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) expect((await it.next()).done).toBe(false);
    // Let the look-ahead fill up and settle (reads finish, tasks run), then watch: nothing new may start.
    let last = -1;
    for (let i = 0; i < 100 && (runner.started !== last || runner.settled < runner.started); i++) {
      last = runner.started;
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = runner.started;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    await new Promise((r) => setTimeout(r, 500));
    expect(runner.started).toBe(started);
    // Bounded by the look-ahead and by maxBytesInFlight (each task here decodes to ~6.4 MB).
    expect(started).toBeLessThanOrEqual(Math.min(runner.lookahead ?? 2, 32 / 6) + 2);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024);
    // Pulling again resumes the scan to the end.
    let batches = 5;
    while (!(await it.next()).done) batches++;
    expect(batches).toBeGreaterThan(100);
    expect(runner.started).toBe(50); // 10 devices x 5 chunk groups
    await reader.close();
  }, 120_000);

  it('a full pooled scan keeps resident memory bounded', async () => {
    const reader = await TsFileReader.open(large!.tsfile, { runner: new PoolRunner(pool), maxBytesInFlight: 64 * 1024 * 1024 });
    const before = process.memoryUsage().rss;
    let peak = before;
    let points = 0;
    for await (const { batch } of reader.scan()) {
      points += batch.numRows * (batch.numCols - 1);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(points).toBe(20_000_200);
    // Generous: the decoded file is ~300 MB; the scan must never hold more than a fraction of it.
    expect(peak - before).toBeLessThan(256 * 1024 * 1024);
    await reader.close();
  }, 120_000);
});
