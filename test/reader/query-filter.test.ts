/** Statistics verdicts of filters, checked against every value a block could hold: a page is skipped only when no value in it can match. */
import { describe, expect, it } from 'vitest';
import { DataType } from '../../src/format/codes.js';
import type { Statistics } from '../../src/format/statistics.js';
import { bindFilter, blockMay, type BoundCompare, candidateTimes, type CompareOp } from '../../src/reader/query-filter.js';

const OPS: CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];
const holds = (op: CompareOp, v: number, c: number) => ({ '=': v === c, '!=': v !== c, '<': v < c, '<=': v <= c, '>': v > c, '>=': v >= c })[op];

function bound(op: CompareOp, type: DataType, value: string): BoundCompare {
  return bindFilter({ op, path: 'p', value }, () => ({ slot: 0, type }), 'ms') as BoundCompare;
}

describe('blockMay', () => {
  it('is sound for doubles (NaN possible in any block) over all small blocks', () => {
    const vals = [-2, -1, -0, 0, 1, 2, NaN];
    for (const op of OPS) {
      for (const c of [-1, 0, 1, NaN]) {
        const b = bound(op, DataType.DOUBLE, String(c));
        for (let lo = -2; lo <= 2; lo++) {
          for (let hi = lo; hi <= 2; hi++) {
            const s = { kind: 'double', count: 3, startTime: 0n, endTime: 1n, min: lo, max: hi, first: lo, last: hi, sum: 0 } as Statistics;
            const m = blockMay(b, s);
            for (const v of vals.filter((x) => Number.isNaN(x) || (x >= lo && x <= hi))) {
              if (holds(op, v, c)) expect(m.t, `${v} ${op} ${c} in [${lo},${hi}]`).toBe(true);
              else expect(m.f, `!(${v} ${op} ${c}) in [${lo},${hi}]`).toBe(true);
            }
          }
        }
      }
    }
  });

  it('int64 bounds, booleans and strings prune exactly', () => {
    const i64 = (min: bigint, max: bigint) => ({ kind: 'int64', count: 2, startTime: 0n, endTime: 1n, min, max, first: min, last: max, sum: 0 }) as Statistics;
    expect(blockMay(bound('>', DataType.INT64, '9223372036854775806'), i64(0n, 9223372036854775806n)).t).toBe(false);
    expect(blockMay(bound('>', DataType.INT64, '9223372036854775806'), i64(0n, 9223372036854775807n)).t).toBe(true);
    const bools = (count: number, trues: number) => ({ kind: 'boolean', count, startTime: 0n, endTime: 1n, first: false, last: false, sum: BigInt(trues) }) as Statistics;
    expect(blockMay(bound('=', DataType.BOOLEAN, 'true'), bools(5, 0))).toEqual({ t: false, f: true });
    expect(blockMay(bound('=', DataType.BOOLEAN, 'true'), bools(5, 5))).toEqual({ t: true, f: false });
    const enc = new TextEncoder();
    const str = (a: string, b: string) => ({ kind: 'string', count: 2, startTime: 0n, endTime: 1n, min: enc.encode(a), max: enc.encode(b), first: enc.encode(a), last: enc.encode(b) }) as Statistics;
    expect(blockMay(bound('=', DataType.STRING, 'é'), str('a', 'z')).t).toBe(false);
    expect(blockMay(bound('<', DataType.STRING, 'b'), str('a', 'z')).t).toBe(true);
    // TEXT statistics have no bounds: never pruned by value.
    const text = { kind: 'text', count: 2, startTime: 0n, endTime: 1n, first: enc.encode('a'), last: enc.encode('a') } as Statistics;
    expect(blockMay(bound('=', DataType.TEXT, 'zzz'), text)).toEqual({ t: true, f: true });
  });

  it('candidate times: AND intersects, OR unions, NOT uses where the operand may be false', () => {
    const blocks = (spans: [number, number, number, number][]) =>
      spans.map(([s, e, min, max]) => ({ kind: 'int32', count: 1, startTime: BigInt(s), endTime: BigInt(e), min, max, first: min, last: max, sum: 0n }) as Statistics);
    const a = blocks([[0, 9, 0, 5], [10, 19, 6, 10], [20, 29, 11, 15]]);
    const b = blocks([[5, 14, 100, 200], [15, 24, 0, 1]]);
    const resolve = (p: string) => ({ slot: p === 'a' ? 0 : 1, type: DataType.INT32 });
    const blocksOf = (k: number) => (k === 0 ? a : b);
    const c = (f: Parameters<typeof bindFilter>[0]) => candidateTimes(bindFilter(f, resolve, 'ms'), blocksOf);
    expect(c({ op: '>', path: 'a', value: 10 })).toEqual([20n, 29n]);
    expect(c({ op: 'and', args: [{ op: '>', path: 'a', value: 5 }, { op: '>=', path: 'time', value: 15 }] })).toEqual([15n, 29n]);
    expect(c({ op: 'or', args: [{ op: '<', path: 'a', value: 3 }, { op: '>', path: 'b', value: 150 }] })).toEqual([0n, 14n]);
    expect(c({ op: 'not', arg: { op: '<=', path: 'a', value: 10 } })).toEqual([20n, 29n]);
    expect(c({ op: 'isNotNull', path: 'b' })).toEqual([5n, 24n]);
  });
});
