/** BatchCoalescer: small batches joined end to end, sliced inputs (bit offsets) and absent columns as nulls. */
import { Binary, Bool, DateDay, Dictionary, Field, Float64, Int32, Int64, makeData, makeVector, RecordBatch, Schema, Struct, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BatchCoalescer } from '../../src/arrow/coalesce.js';

const fields = [
  new Field('time', new TimestampMillisecond(), false),
  new Field('b', new Bool(), true),
  new Field('i', new Int32(), true),
  new Field('l', new Int64(), true),
  new Field('d', new Float64(), true),
  new Field('s', new Utf8(), true),
  new Field('x', new Binary(), true),
  new Field('day', new DateDay(), true),
  new Field('dict', new Dictionary(new Utf8(), new Int32()), true),
];
const schema = new Schema(fields);

type Row = [number, boolean | null, number | null, bigint | null, number | null, string | null, Uint8Array | null, number | null, string | null];

function rowsOf(n: number, seed: number): Row[] {
  const out: Row[] = [];
  for (let k = 0; k < n; k++) {
    const v = seed * 1000 + k;
    const nul = (m: number) => (v * 7 + m) % 5 === 0;
    out.push([v, nul(1) ? null : v % 3 === 0, nul(2) ? null : v, nul(3) ? null : BigInt(v) * 4294967296n, nul(4) ? null : v / 7, nul(0) ? null : `é${v}`, nul(1) ? null : new Uint8Array([v & 255, 1]), nul(2) ? null : v, nul(3) ? null : ['a', 'b', 'c'][v % 3]!]);
  }
  return out;
}

const dictionary = vectorFromArray(['a', 'b', 'c'], new Utf8());

/** The Data of every column of `rows`, built by apache-arrow's own builders. */
function columnsOf(rows: Row[]) {
  const col = <T>(k: number) => rows.map((r) => r[k] as T);
  const dict = fields[8]!.type as Dictionary<Utf8, Int32>;
  const codes = col<string | null>(8).map((v) => (v === null ? null : ['a', 'b', 'c'].indexOf(v)));
  const idx = vectorFromArray(codes, new Int32()).data[0]!;
  return [
    vectorFromArray(col<number>(0).map((t) => new Date(t)), fields[0]!.type).data[0]!,
    vectorFromArray(col(1), new Bool()).data[0]!,
    vectorFromArray(col(2), new Int32()).data[0]!,
    vectorFromArray(col(3), new Int64()).data[0]!,
    vectorFromArray(col(4), new Float64()).data[0]!,
    vectorFromArray(col(5), new Utf8()).data[0]!,
    vectorFromArray(col(6), new Binary()).data[0]!,
    vectorFromArray(col<number | null>(7).map((d) => (d === null ? null : new Date(d * 86_400_000))), new DateDay()).data[0]!,
    makeVector({ type: dict, length: rows.length, nullCount: idx.nullCount, nullBitmap: idx.nullBitmap, data: idx.values, dictionary } as never).data[0]!,
  ];
}

function valuesOf(batch: RecordBatch): unknown[][] {
  return batch.toArray().map((r) => fields.map((f) => {
    const v = (r as Record<string, unknown>)[f.name];
    return v instanceof Uint8Array ? [...v] : v;
  }));
}

describe('BatchCoalescer', () => {
  it('joins parts (sliced at odd offsets, some columns absent) into batches equal to the rows end to end', () => {
    const c = new BatchCoalescer(schema, 100);
    const expected: unknown[][] = [];
    const out: RecordBatch[] = [];
    for (let p = 0; p < 12; p++) {
      const all = rowsOf(20, p);
      const full = new RecordBatch(schema, makeData({ type: new Struct(fields), length: 20, nullCount: 0, children: columnsOf(all) }));
      // A slice starting mid-byte: bitmaps keep their offset.
      const start = 3 + (p % 5);
      const part = full.slice(start, start + 9);
      const dropped = p % 4 === 1 ? 5 : -1;
      const columns = fields.map((_, i) => (i === dropped ? undefined : part.getChildAt(i)!.data[0]!));
      const want = valuesOf(part).map((r) => r.map((v, i) => (i === dropped ? null : v)));
      expected.push(...want);
      out.push(...c.add({ length: part.numRows, columns }));
    }
    const last = c.flush();
    if (last !== undefined) out.push(last);
    expect(out.map((b) => b.numRows)).toEqual([108]);
    expect(out.flatMap(valuesOf)).toEqual(expected);
  });

  it('passes a big part through as is, after what it holds', () => {
    const c = new BatchCoalescer(schema, 16);
    const small = columnsOf(rowsOf(3, 1));
    const big = columnsOf(rowsOf(10, 2));
    expect(c.add({ length: 3, columns: small })).toEqual([]);
    const out = c.add({ length: 10, columns: big });
    expect(out.map((b) => b.numRows)).toEqual([3, 10]);
    expect(out[1]!.getChildAt(5)!.data[0]).toBe(big[5]);
    expect(c.flush()).toBeUndefined();
  });
});
