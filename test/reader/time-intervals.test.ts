/** Time sets: union, intersection and complement of inclusive int64 intervals, checked against a brute-force membership over a small domain. */
import { describe, expect, it } from 'vitest';
import { ALL_TIMES, complement, intersect, overlaps, timeSetOf, union, type TimeSet } from '../../src/reader/time-intervals.js';

const has = (s: TimeSet, t: bigint) => {
  for (let i = 0; i < s.length; i += 2) if (s[i]! <= t && t <= s[i + 1]!) return true;
  return false;
};

function randomSet(seed: number): TimeSet {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const spans: [bigint, bigint][] = [];
  for (let k = 0; k < 4; k++) {
    const a = BigInt(next() % 60) - 30n;
    spans.push([a, a + BigInt(next() % 8)]);
  }
  return timeSetOf(spans);
}

describe('time sets', () => {
  it('union, intersect, complement and overlaps agree with membership', () => {
    for (let seed = 1; seed < 200; seed++) {
      const a = randomSet(seed);
      const b = randomSet(seed * 7 + 3);
      const u = union(a, b);
      const i = intersect(a, b);
      const c = complement(a);
      for (let t = -40n; t <= 40n; t++) {
        expect(has(u, t)).toBe(has(a, t) || has(b, t));
        expect(has(i, t)).toBe(has(a, t) && has(b, t));
        expect(has(c, t)).toBe(!has(a, t));
      }
      for (let s = -35n; s <= 35n; s += 3n) {
        let any = false;
        for (let t = s; t <= s + 4n; t++) any ||= has(a, t);
        expect(overlaps(a, s, s + 4n)).toBe(any);
      }
      // Canonical: sorted, disjoint, never adjacent.
      for (let k = 2; k < u.length; k += 2) expect(u[k]! > u[k - 1]! + 1n).toBe(true);
    }
  });

  it('the int64 extremes stay inside', () => {
    expect(complement(ALL_TIMES)).toEqual([]);
    expect(complement([])).toEqual(ALL_TIMES);
    expect(complement([ALL_TIMES[0]!, 5n])).toEqual([6n, ALL_TIMES[1]!]);
    expect(timeSetOf([[ALL_TIMES[0]!, ALL_TIMES[1]!], [3n, 4n]])).toEqual(ALL_TIMES);
  });
});
