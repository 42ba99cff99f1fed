/**
 * The writer's page-encode tasks (tsfile-format.md §6, §16.1): input arrays may be reused by the
 * caller as soon as a write resolves (complete pages are encoded straight from them, open rows are
 * copied), tasks in flight stay within `maxTasksInFlight`, and a runner that finishes tasks late
 * and out of order still gives the inline bytes.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TsFileError } from '../../src/io/errors.js';
import { inlineEncodeRunner, type EncodeRunner } from '../../src/writer/encode-runner.js';
import { runEncodeTask, type EncodeTask } from '../../src/writer/page-task.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from './read-back.js';

/** Runs tasks off the caller's turn, finishing later ones first; counts tasks pending at once. */
class LateRunner implements EncodeRunner {
  readonly concurrency = 2;
  readonly offThread = true;
  pending = 0;
  maxPending = 0;
  runs = 0;

  async run(task: EncodeTask) {
    this.runs++;
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    // Earlier tasks wait longer, so results arrive out of submission order.
    await new Promise((r) => setTimeout(r, this.runs % 2 === 1 ? 4 : 0));
    try {
      return await runEncodeTask(task);
    } finally {
      this.pending--;
    }
  }
}

async function writeReusingArrays(runner: EncodeRunner, maxTasksInFlight?: number): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { runner, maxPointsPerPage: 1000, maxTasksInFlight });
  const specs = [
    { measurement: 'i', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' },
    { measurement: 'f', dataType: 'DOUBLE', encoding: 'GORILLA', compression: 'UNCOMPRESSED' },
    { measurement: 'b', dataType: 'INT32', encoding: 'PLAIN', compression: 'LZ4' },
  ] as const;
  w.registerTimeseries('root.r.d', specs);
  w.registerAlignedDevice('root.r.a', specs);
  // One set of arrays, refilled for every batch (2500 rows: pages of 1000 plus open rows each time).
  const rows = 2500;
  const time = new BigInt64Array(rows);
  const i64 = new BigInt64Array(rows);
  const f64 = new Float64Array(rows);
  const i32 = new Int32Array(rows);
  for (let b = 0; b < 8; b++) {
    for (let r = 0; r < rows; r++) {
      const k = b * rows + r;
      time[r] = BigInt(k * 10 + (k % 3));
      i64[r] = BigInt(k) * 7n - 1000n;
      f64[r] = k / 4;
      i32[r] = k % 1001;
    }
    await w.write('root.r.d', { time, columns: { i: i64, f: f64, b: i32 } });
    await w.write('root.r.a', { time, columns: { i: i64, f: f64, b: i32 } });
  }
  time.fill(-1n);
  i64.fill(0n);
  f64.fill(NaN);
  await w.close();
  return sink.bytes();
}

describe('encode tasks', () => {
  it('input arrays reused after each write do not change what was written', async () => {
    const back = await readBack(await writeReusingArrays(inlineEncodeRunner));
    for (const device of ['root.r.d', 'root.r.a']) {
      const s = back.get(device)!;
      const n = 8 * 2500;
      expect(s.get('i')!.times.length).toBe(n);
      for (const k of [0, 999, 1000, 2499, 2500, 7777, n - 1]) {
        expect(s.get('i')!.times[k]).toBe(BigInt(k * 10 + (k % 3)));
        expect(s.get('i')!.values[k]).toBe(BigInt(k) * 7n - 1000n);
        expect(s.get('f')!.values[k]).toBe(k / 4);
        expect(s.get('b')!.values[k]).toBe(k % 1001);
      }
    }
  });

  it('a failed task fails the writer: nothing of its chunk group is written, later calls are refused', async () => {
    const failing: EncodeRunner = {
      concurrency: 1,
      offThread: true,
      run: () => Promise.reject(new TsFileError(ErrorCode.DECODE_FAILED, 'encoder broke')),
    };
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { runner: failing });
    w.registerTimeseries('root.x.d', [{ measurement: 's', dataType: 'INT32', encoding: 'PLAIN' }]);
    await w.write('root.x.d', { time: [1, 2, 3], columns: { s: [1, 2, 3] } });
    await expect(w.flush()).rejects.toMatchObject({ code: ErrorCode.DECODE_FAILED });
    expect(sink.byteLength).toBe(7); // magic and version only
    await expect(w.write('root.x.d', { time: [4], columns: { s: [4] } })).rejects.toMatchObject({ code: ErrorCode.IO });
  });

  it('a late, out-of-order runner gives the inline bytes and keeps tasks in flight bounded', async () => {
    const inline = await writeReusingArrays(inlineEncodeRunner);
    const late = new LateRunner();
    const bytes = await writeReusingArrays(late, 2);
    expect(late.runs).toBeGreaterThan(4);
    expect(late.maxPending).toBeLessThanOrEqual(2);
    expect(late.maxPending).toBe(2);
    expect(Buffer.from(bytes).equals(Buffer.from(inline))).toBe(true);
  });
});
