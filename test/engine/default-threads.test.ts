/** The default worker count: inline on one- and two-core machines (where a pool loses), cores − 1 beyond. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultThreads, PoolRunner, poolRunner } from '../../src/engine/pool-runner.js';
import { EncodePoolRunner, writePoolRunner } from '../../src/engine/write-pool.js';
import { inlineEncodeRunner } from '../../src/writer/encode-runner.js';

describe('default threads', () => {
  it('is 0 on up to two cores and one per core beside the main thread above', () => {
    expect([1, 2, 3, 4, 16].map((c) => defaultThreads(c))).toEqual([0, 0, 2, 3, 15]);
  });

  it.skipIf(availableParallelism() > 2)('reads and writes inline here when no thread count or pool is given', () => {
    expect(poolRunner({})).not.toBeInstanceOf(PoolRunner);
    expect(poolRunner({}).concurrency).toBe(1);
    expect(writePoolRunner({})).toBe(inlineEncodeRunner);
  });

  it('an explicit thread count still gets a pool', async () => {
    const r = poolRunner({ threads: 1 });
    expect(r).toBeInstanceOf(PoolRunner);
    const w = writePoolRunner({ threads: 1 });
    expect(w).toBeInstanceOf(EncodePoolRunner);
    await (r as PoolRunner).pool.destroy();
  });
});
