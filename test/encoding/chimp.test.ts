/** CHIMP (tsfile-format.md §10.9): encoder bytes computed by hand from the §10.9 algorithm, ring buffer reuse. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('CHIMP', () => {
  it('INT32 1 1: a candidate with more than 11 trailing zeros gives 00 + index; the sentinel takes 11 + lead code', () => {
    // 1 verbatim; second 1: key 1 → candidate 0, XOR 0 → '00' 000000; sentinel 0x80000000 ^ 1 = 0x80000001
    // (trailing zeros 0, previous-value path) → '11' 000 + 32 bits; 45 bits in all → 6 bytes.
    const b = encodeValues(E.CHIMP, T.INT32, Int32Array.of(1, 1));
    expect(hex(b)).toBe('00 00 00 01 00 c4 00 00 00 08');
    expect([...(decodeValues(E.CHIMP, T.INT32, bytes('00 00 00 01 00 c4 00 00 00 08'), 2) as Int32Array)]).toEqual([1, 1]);
  });

  it('reuses values from the ring buffer (period longer than 1, shorter than the ring)', () => {
    // Values with different low 14 bits, so the lookup table finds each one's previous occurrence.
    const words = new Int32Array(10);
    for (let k = 0; k < 5; k++) {
      words[2 * k] = (k + 1) * 0x1234567;
      words[2 * k + 1] = 0x3ff00000 + k;
    }
    const period = new Float64Array(words.buffer);
    const v = Float64Array.from({ length: 500 }, (_, i) => period[i % 5]!);
    const b = encodeValues(E.CHIMP, T.DOUBLE, v);
    // Every value after the first period is found in the ring: '00' + 7-bit index = 9 bits each.
    expect(b.length).toBeLessThan(8 * 5 * 2 + Math.ceil((495 * 9) / 8) + 16);
    expect([...(decodeValues(E.CHIMP, T.DOUBLE, b, 500) as Float64Array)]).toEqual([...v]);
  });

  it('a time column ends at the sentinel', () => {
    const t = BigInt64Array.from({ length: 1000 }, (_, i) => 1_700_000_000_000n + BigInt(i * 1000 + (i % 7)));
    expect([...decodeTimes(E.CHIMP, encodeValues(E.CHIMP, T.INT64, t), 2000)]).toEqual([...t]);
  });
});
