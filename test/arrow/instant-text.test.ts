/** Instants as text: epoch integers and ISO-8601, exact in every unit, against Date.parse and hand-computed values. */
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/arrow/instant-text.js';

describe('parseInstant', () => {
  it('agrees with Date.parse to the millisecond and keeps finer digits exactly', () => {
    for (const s of ['2024-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '2000-02-29T12:34:56.789+05:30', '1677-09-21T00:12:43.145Z', '2262-04-11T23:47:16.854Z', '2024-06-30T08:00:00-07:00']) {
      expect(parseInstant(s, 'ms')).toBe(BigInt(Date.parse(s)));
    }
    expect(parseInstant('2024-01-01', 'ms')).toBe(BigInt(Date.parse('2024-01-01T00:00:00Z')));
    expect(parseInstant('1970-01-01T00:00:00.000000001Z', 'ns')).toBe(1n);
    expect(parseInstant('1970-01-01T00:00:00.123456Z', 'us')).toBe(123456n);
    expect(parseInstant('1969-12-31T23:59:59.999999999Z', 'ns')).toBe(-1n);
    expect(parseInstant('2262-04-11T23:47:16.854775807Z', 'ns')).toBe(2n ** 63n - 1n);
    expect(parseInstant('-9223372036854775808', 'ns')).toBe(-(2n ** 63n));
    expect(parseInstant(' 1700000000000 ', 'ms')).toBe(1_700_000_000_000n);
  });

  it('refuses what it cannot represent exactly, and invalid dates', () => {
    for (const [s, unit] of [
      ['1970-01-01T00:00:00.0001Z', 'ms'],
      ['2262-04-11T23:47:16.854775808Z', 'ns'],
      ['9223372036854775808', 'ms'],
      ['2023-02-29', 'ms'],
      ['2024-01-01T24:00:00Z', 'ms'],
      ['yesterday', 'ms'],
      ['2024-01-01T00:00:00+25:00', 'ms'],
    ] as const) {
      expect(() => parseInstant(s, unit), s).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(parseInstant('1970-01-01T00:00:00.1000Z', 'ms')).toBe(100n);
  });
});
