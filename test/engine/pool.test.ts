/**
 * The worker pool computes exactly what the inline path computes, on every fixture; aborting frees
 * the workers; worker failures surface as typed errors and leave the pool usable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tableToIPC, Table } from 'apache-arrow';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { inlineRunner } from '../../src/reader/task-runner.js';
import { createDecodePool, PoolRunner } from '../../src/engine/pool-runner.js';
import { HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';

const pool = createDecodePool(2);
// Every task goes to a worker, however small.
const pooled = new PoolRunner(pool, { minTaskBytes: 0 });
afterAll(async () => {
  await pool.destroy();
});

/** All batches of a scan as Arrow IPC bytes, per device: identical bytes mean identical data and layout. */
async function scanBytes(file: string, runner: typeof inlineRunner, opts: Parameters<TsFileReader['scan']>[0] = {}): Promise<string[]> {
  const reader = await TsFileReader.open(file, { runner });
  const out: string[] = [];
  for await (const { device, batch } of reader.scan({ ...opts, batchRows: 4096 })) {
    const ipc = tableToIPC(new Table([batch]), 'stream');
    out.push(`${device}:${Buffer.from(ipc).toString('base64')}`);
  }
  await reader.close();
  return out;
}

describe.skipIf(!HAVE_SHARED)('pooled and inline scans are identical', () => {
  for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
    it(f.name, async () => {
      const inline = await scanBytes(f.tsfile, inlineRunner);
      const viaPool = await scanBytes(f.tsfile, pooled);
      expect(viaPool.length).toBe(inline.length);
      expect(viaPool).toEqual(inline);
    }, 60_000);
  }

  it('with a time range too', async () => {
    const [f] = listFixtures('cpp').filter((x) => x.name === 'many_pages');
    const opts = { startTime: 1600004000000n, endTime: 1600006000000n };
    expect(await scanBytes(f!.tsfile, pooled, opts)).toEqual(await scanBytes(f!.tsfile, inlineRunner, opts));
  });
});

describe('pool behaviour', () => {
  it('an aborted scan rejects with AbortError and leaves no worker busy', async () => {
    const [large] = listFixtures('large');
    if (large === undefined) return;
    const reader = await TsFileReader.open(large.tsfile, { runner: pooled });
    const controller = new AbortController();
    let batches = 0;
    await expect(
      (async () => {
        for await (const _ of reader.scan({ signal: controller.signal })) {
          if (++batches === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await reader.close();
    // Tasks in flight at the abort are cancelled with it: nothing is left running or queued.
    for (let i = 0; i < 100 && pooled.running > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pooled.running).toBe(0);
    expect(pool.queueSize).toBe(0);
    const again = await TsFileReader.open(WORKED_EXAMPLE, { runner: pooled });
    let rows = 0;
    for await (const { batch } of again.scan()) rows += batch.numRows;
    expect(rows).toBe(3);
  }, 60_000);

  it('a worker that dies mid-task fails the scan with a clear error, and the pool stays usable', async () => {
    const [large] = listFixtures('large');
    if (large === undefined) return;
    const reader = await TsFileReader.open(large.tsfile, { runner: pooled });
    await expect(
      (async () => {
        let killed = false;
        for await (const _ of reader.scan()) {
          // Kill a worker while tasks are in flight (as a crash or an out-of-memory abort would).
          if (!killed && pool.threads.length > 0) {
            killed = true;
            await pool.threads[0]!.terminate();
          }
        }
      })(),
    ).rejects.toMatchObject({ name: 'TsFileError', code: 'IO', message: expect.stringMatching(/decode worker failed/) });
    await reader.close();
    const again = await TsFileReader.open(WORKED_EXAMPLE, { runner: pooled });
    let rows = 0;
    for await (const { batch } of again.scan()) rows += batch.numRows;
    expect(rows).toBe(3);
  }, 60_000);

  it('a decode error inside a worker keeps its code and offset, and the pool stays usable', async () => {
    const bad = WORKED_EXAMPLE.slice();
    bad[0x37] = 0xff; // the PLAIN INT32 values: an unterminated varint
    bad[0x38] = 0xff;
    bad[0x39] = 0xff;
    const reader = await TsFileReader.open(bad, { runner: pooled, name: 'bad.tsfile' });
    await expect(
      (async () => {
        for await (const _ of reader.scan()) void _;
      })(),
    ).rejects.toMatchObject({ name: 'TsFileError', code: 'DECODE_FAILED', file: 'bad.tsfile' });
    const good = await TsFileReader.open(WORKED_EXAMPLE, { runner: pooled });
    let rows = 0;
    for await (const { batch } of good.scan()) rows += batch.numRows;
    expect(rows).toBe(3);
  });
});
