/**
 * Crafted files that once made the reader loop, throw untyped errors or allocate out of proportion:
 * each now ends within a second with a TsFileError (or the right points), and an AbortSignal stops
 * any scan within its timeout, inline and on the pool.
 */
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { destroySharedPool, installPoolRunner } from '../../src/engine/pool-runner.js';
import { TsFileError } from '../../src/io/errors.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';

installPoolRunner();
afterAll(() => destroySharedPool());

/** Index of `needle` in `hay` (the first occurrence), or -1. */
function indexOf(hay: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Replaces `remove` bytes at `at` by `insert` inside the metadata region and fixes the footer's size field. */
function spliceMetadata(file: Uint8Array, at: number, remove: number, insert: number[]): Uint8Array {
  const out = new Uint8Array([...file.subarray(0, at), ...insert, ...file.subarray(at + remove)]);
  const view = new DataView(out.buffer);
  const sizeAt = out.length - 10;
  view.setInt32(sizeAt, view.getInt32(sizeAt) + insert.length - remove);
  return out;
}

/** Reads every point as CSV, or returns the error; fails the test if that takes longer than `ms`. */
async function readWithin(bytes: Uint8Array, ms: number, threads = 0): Promise<string | TsFileError> {
  const started = performance.now();
  try {
    const reader = await TsFileReader.open(bytes, { name: 'crafted.tsfile', threads });
    const sink = new StringSink();
    await exportCsv(reader, sink);
    return sink.toString();
  } catch (e) {
    if (!(e instanceof TsFileError)) throw new Error(`untyped failure: ${(e as Error)?.stack ?? String(e)}`);
    return e;
  } finally {
    expect(performance.now() - started).toBeLessThan(ms);
  }
}

// The §17 worked example: root.sg.d1.s1 = 10, 20, 30 at times 1, 2, 3; TS_2DIFF times with
// minDelta 1 then first value 1; bloom filter "... 80 02 05" (256 bits, 5 hash functions).
const TIME_HEADER = [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const BLOOM_TAIL = [0x40, 0x00, 0x06, 0x80, 0x02, 0x05];

describe('crafted files end fast with a typed error', () => {
  it('reads the untouched worked example (the baseline the edits start from)', async () => {
    expect(await readWithin(WORKED_EXAMPLE, 1000)).toBe('device,measurement,time,value\nroot.sg.d1,s1,1,10\nroot.sg.d1,s1,2,20\nroot.sg.d1,s1,3,30\n');
  });

  for (const threads of [0, 2]) {
    it(`a page whose times go backwards (minDelta -5: 1, -4, -9) is CORRUPT, threads ${threads}`, async () => {
      const bytes = WORKED_EXAMPLE.slice();
      const at = indexOf(bytes, TIME_HEADER) + 8;
      expect(at).toBeGreaterThan(8);
      new DataView(bytes.buffer).setBigInt64(at, -5n);
      const e = await readWithin(bytes, 1000, threads);
      expect(e).toBeInstanceOf(TsFileError);
      expect((e as TsFileError).code).toBe('CORRUPT');
      expect((e as TsFileError).message).toMatch(/times do not increase/);
      expect((e as TsFileError).file).toBe('crafted.tsfile');
    });
  }

  it('a page of more points than its statistics count is CORRUPT', async () => {
    // Three points, but a first value of 5 puts them at 5, 6, 7: outside the statistics' 1..3.
    const bytes = WORKED_EXAMPLE.slice();
    const at = indexOf(bytes, TIME_HEADER) + 16;
    new DataView(bytes.buffer).setBigInt64(at, 5n);
    const e = await readWithin(bytes, 1000);
    expect((e as TsFileError).code).toBe('CORRUPT');
    expect((e as TsFileError).message).toMatch(/outside its statistics/);
  });

  it('a bloom filter with 15 hash functions is refused when the file opens', async () => {
    const at = indexOf(WORKED_EXAMPLE, BLOOM_TAIL) + 5;
    const bytes = WORKED_EXAMPLE.slice();
    bytes[at] = 15;
    const e = await readWithin(bytes, 1000);
    expect((e as TsFileError).code).toBe('CORRUPT');
    expect((e as TsFileError).message).toMatch(/bloom filter/);
    expect((e as TsFileError).actual).toMatch(/15 hash functions/);
  });

  it('a bloom filter of 2^32-1 bits is refused without allocating for it', async () => {
    const at = indexOf(WORKED_EXAMPLE, BLOOM_TAIL) + 3;
    const bytes = spliceMetadata(WORKED_EXAMPLE, at, 2, [0xff, 0xff, 0xff, 0xff, 0x0f]);
    const before = process.memoryUsage().arrayBuffers;
    const e = await readWithin(bytes, 1000);
    expect((e as TsFileError).code).toBe('CORRUPT');
    expect((e as TsFileError).actual).toMatch(/size 4294967295/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a bloom filter of 2^31-1 bits (a size Java can hold) keeps only the bytes the file has', async () => {
    const at = indexOf(WORKED_EXAMPLE, BLOOM_TAIL) + 3;
    const bytes = spliceMetadata(WORKED_EXAMPLE, at, 2, [0xff, 0xff, 0xff, 0xff, 0x07]);
    const reader = await TsFileReader.open(bytes);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 20; i++) await reader.hasSeries('root.sg.d1', `s${i}`);
    // Whatever the lying filter answers, it answers without allocating for its claimed size.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(reader.metadata.bloomFilter!.sizeInBits).toBe(2 ** 31 - 1);
    expect(reader.metadata.bloomFilter!.bits.length).toBe(26);
  });
});

describe('an AbortSignal stops a scan within its timeout', () => {
  let file: Uint8Array | undefined;
  async function bigFile(): Promise<Uint8Array> {
    if (file !== undefined) return file;
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { maxPointsPerPage: 10_000 });
    w.registerTimeseries('root.big.d1', [
      { measurement: 'a', dataType: 'DOUBLE', encoding: 'GORILLA', compression: 'LZ4' },
      { measurement: 'b', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' },
    ]);
    const n = 250_000;
    for (let g = 0; g < 8; g++) {
      const time = BigInt64Array.from({ length: n }, (_, i) => BigInt(g * n + i) * 10n);
      const a = Float64Array.from({ length: n }, (_, i) => Math.sin((g * n + i) / 50));
      const b = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 3 - g));
      await w.write('root.big.d1', { time, columns: { a, b } });
      await w.flush();
    }
    await w.close();
    return (file = sink.bytes());
  }

  for (const threads of [0, 2]) {
    it(`threads ${threads}`, async () => {
      const bytes = await bigFile();
      const reader = await TsFileReader.open(bytes, { threads });
      const started = performance.now();
      let rows = 0;
      let caught: unknown;
      try {
        for await (const { batch } of reader.scan({ signal: AbortSignal.timeout(40) })) rows += batch.numRows;
      } catch (e) {
        caught = e;
      }
      const elapsed = performance.now() - started;
      expect((caught as Error)?.name, String(caught)).toBe('AbortError');
      expect(rows).toBeLessThan(2_000_000);
      // Latency is at most about one decode task (a few MB), however loaded the machine.
      expect(elapsed).toBeLessThan(40 + 1500);
    }, 30_000);
  }
});
