import { describe, expect, it } from 'vitest';
import { DataType } from '../../src/format/codes.js';
import { readStatistics, type Statistics } from '../../src/format/statistics.js';
import { Cursor } from '../../src/io/cursor.js';
import { ByteBuffer } from '../../src/writer/byte-buffer.js';
import { PagePlanner, planPages } from '../../src/writer/page-planner.js';
import { computeStatistics, emptyStatistics, mergeStatistics, writeStatistics } from '../../src/writer/statistics-writer.js';

const enc = new TextEncoder();
const bin = (xs: string[]) => {
  const parts = xs.map((x) => enc.encode(x));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[parts.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return { offsets, data };
};

function roundTrip(s: Statistics, type: DataType): Statistics {
  const b = new ByteBuffer();
  writeStatistics(b, s);
  return readStatistics(new Cursor(b.toBytes()), type);
}

describe('statistics (§9)', () => {
  it('INT64: min/max across the 32-bit halves, first/last, sum as a double of doubles', () => {
    const v = new BigInt64Array([-1n, 0x1_0000_0000n, -0x1_0000_0000n, 5n]);
    const s = computeStatistics(DataType.INT64, v, 0, 4, 1n, 4n);
    expect(s).toMatchObject({ kind: 'int64', count: 4, min: -0x1_0000_0000n, max: 0x1_0000_0000n, first: -1n, last: 5n, sum: 4 });
    // (double)(2^53 + 1) is 2^53, and 2^53 + 1.0 rounds back to 2^53.
    const big = computeStatistics(DataType.INT64, new BigInt64Array([2n ** 53n + 1n, 1n]), 0, 2, 1n, 2n);
    expect((big as { sum: number }).sum).toBe(2 ** 53);
  });

  it('INT32: the sum is exact as an i64', () => {
    const s = computeStatistics(DataType.INT32, new Int32Array([2147483647, 2147483647, 2147483647, -5]), 0, 4, 1n, 4n);
    expect(s).toMatchObject({ min: -5, max: 2147483647, sum: 6442450936n });
  });

  it('FLOAT/DOUBLE: a NaN first value stays min and max; later NaNs never replace them', () => {
    expect(computeStatistics(DataType.DOUBLE, new Float64Array([NaN, 1, 2]), 0, 3, 1n, 3n)).toMatchObject({ min: NaN, max: NaN, first: NaN, last: 2 });
    expect(computeStatistics(DataType.FLOAT, new Float32Array([1, NaN, 0.5]), 0, 3, 1n, 3n)).toMatchObject({ min: 0.5, max: 1, last: 0.5 });
    const z = computeStatistics(DataType.DOUBLE, new Float64Array([-0, 0]), 0, 2, 1n, 2n) as { min: number; max: number };
    expect(Object.is(z.min, -0) && Object.is(z.max, -0)).toBe(true);
  });

  it('STRING: min/max in unsigned byte order, shorter prefix first', () => {
    const s = computeStatistics(DataType.STRING, bin(['b', 'ä', 'a', '', 'ab']), 0, 5, 1n, 5n) as { min: Uint8Array; max: Uint8Array; first: Uint8Array };
    expect(Buffer.from(s.min).toString()).toBe('');
    expect(Buffer.from(s.max).toString()).toBe('ä');
    expect(Buffer.from(s.first).toString()).toBe('b');
  });

  it('merging: counts and sums add, first/last follow time, empty parts vanish', () => {
    const a = computeStatistics(DataType.INT32, new Int32Array([4, 9]), 0, 2, 10n, 20n);
    const b = computeStatistics(DataType.INT32, new Int32Array([1, 7]), 0, 2, 30n, 40n);
    const m = mergeStatistics(mergeStatistics(emptyStatistics(DataType.INT32), a), b);
    expect(m).toMatchObject({ count: 4, startTime: 10n, endTime: 40n, min: 1, max: 9, first: 4, last: 7, sum: 21n });
    expect(mergeStatistics(b, emptyStatistics(DataType.INT32))).toEqual(b);
  });

  it('serializes every kind so the reader gets the same values back', () => {
    const cases: [DataType, Statistics][] = [
      [DataType.BOOLEAN, computeStatistics(DataType.BOOLEAN, new Uint8Array([1, 0, 1]), 0, 3, 1n, 3n)],
      [DataType.DATE, computeStatistics(DataType.DATE, new Int32Array([20240101, 19991231]), 0, 2, 1n, 2n)],
      [DataType.TIMESTAMP, computeStatistics(DataType.TIMESTAMP, new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]), 0, 2, 1n, 2n)],
      [DataType.FLOAT, computeStatistics(DataType.FLOAT, new Float32Array([1.5, -2.25]), 0, 2, 1n, 2n)],
      [DataType.TEXT, computeStatistics(DataType.TEXT, bin(['x', 'yz']), 0, 2, 1n, 2n)],
      [DataType.STRING, computeStatistics(DataType.STRING, bin(['x', 'yz']), 0, 2, 1n, 2n)],
      [DataType.BLOB, computeStatistics(DataType.BLOB, bin(['x']), 0, 1, 7n, 7n)],
    ];
    for (const [t, s] of cases) expect(roundTrip(s, t)).toEqual(s);
  });

  it('empty TEXT statistics are the bytes of §17.4', () => {
    const b = new ByteBuffer();
    writeStatistics(b, emptyStatistics(DataType.TEXT));
    expect(Buffer.from(b.toBytes()).toString('hex')).toBe('007fffffffffffffff80000000000000000000000000000000');
  });
});

describe('page planning (§16.1)', () => {
  it('seals at max points when no size estimate applies', () => {
    expect(planPages(2500, 1000, 65536)).toEqual([1000, 2000, 2500]);
  });

  it('follows Java\'s size-check schedule: first look at 1500 points, then at the predicted count', () => {
    // 8 bytes per point, 64 KiB pages: checks at 1500 (12000 B), predicted 8192 (65536 B, not over),
    // then 8193 (over) → the page holds 8193 points.
    const ends = planPages(20000, 10000, 65536, (from, to) => 8 * (to - from));
    expect(ends.slice(0, 2)).toEqual([8193, 16386]);
  });

  it('keeps a page open until it is complete and plans it the same way once more points arrive', () => {
    const estimate = (from: number, to: number) => 8 * (to - from);
    const p = new PagePlanner(10000, 65536);
    expect(p.plan(5000, estimate, false)).toEqual([]);
    expect(p.plan(9000, estimate, false)).toEqual([8193]);
    expect(p.plan(807, estimate, true)).toEqual([807]);
  });
});
