/** The canonical text forms of values against JavaScript's own and hand-written expectations. */
import { describe, expect, it } from 'vitest';
import { formatDate, formatInt64, formatNumber, hexOf } from '../../src/export/value-format.js';

const words = (v: bigint) => new Int32Array(BigInt64Array.of(v).buffer);

describe('value text', () => {
  it('int64 text equals BigInt text across the whole range', () => {
    const samples = [0n, 1n, -1n, 999999n, 1000000n, 1000001n, 1700000000000n, 1700000999999n, 1700001000000n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 1234567000089n, 1234567000890n];
    let x = 987654321n;
    for (let i = 0; i < 2000; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
      samples.push(BigInt.asIntN(64, x), BigInt.asIntN(64, x) >> BigInt(i % 60));
    }
    for (const v of samples) expect(formatInt64(words(v), 0), String(v)).toBe(v.toString());
  });
  it('numbers, dates and bytes', () => {
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(Math.fround(1.51))).toBe('1.5099999904632568');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(19675)).toBe('2023-11-14');
    expect(formatDate(-719162)).toBe('0001-01-01');
    expect(hexOf(Uint8Array.of(0, 15, 255))).toBe('0x000fff');
  });
});
