/**
 * Writer → reader round trips over every data type × encoding, every compression, non-aligned and
 * aligned devices (with nulls), several pages and chunk groups, table model and format v3. Values
 * are chosen so each encoding stores them exactly (the float wrapper keeps 2 decimals).
 */
import { DateDay, Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { supportsEncoding } from '../../src/encoding/index.js';
import { DataType, Encoding, type DataTypeName, type EncodingName, type CompressionName } from '../../src/format/codes.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack, type Value } from './read-back.js';

const TYPES: DataTypeName[] = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP'];
const ENCODINGS: EncodingName[] = ['PLAIN', 'DICTIONARY', 'RLE', 'TS_2DIFF', 'GORILLA_V1', 'GORILLA', 'ZIGZAG', 'CHIMP', 'SPRINTZ', 'RLBE'];
const COMPRESSIONS: CompressionName[] = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZ4', 'ZSTD', 'LZMA2'];
const WORDS = ['', 'a', 'running', 'idle', 'ünïcødé ✓', 'with,comma', 'quote"d', 'line\nbreak'];

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function values(type: DataTypeName, encoding: EncodingName, n: number, seed: number): Value[] {
  const r = rng(seed);
  const out: Value[] = [];
  let walk = 0;
  for (let i = 0; i < n; i++) {
    walk += Math.floor(r() * 21) - 10;
    const exactFloat = encoding === 'RLE' || encoding === 'TS_2DIFF';
    // SPRINTZ predicts raw IEEE bits: a sign change is a 2^31 jump that its residuals cannot hold.
    if (encoding === 'SPRINTZ' && (type === 'FLOAT' || type === 'DOUBLE')) {
      out.push((4000 + walk) / 4);
      continue;
    }
    switch (type) {
      case 'BOOLEAN':
        out.push(r() < 0.5);
        break;
      case 'INT32':
        // SPRINTZ cannot store deltas that overflow 32 bits; the writer rejects them (see validation tests).
        out.push(encoding === 'SPRINTZ' ? walk : i % 97 === 5 ? -2147483648 : i % 89 === 7 ? 2147483647 : walk);
        break;
      case 'INT64':
        out.push(i % 97 === 5 && encoding !== 'SPRINTZ' ? -(2n ** 63n) : BigInt(walk) * 1_000_003n + 2n ** 40n);
        break;
      case 'FLOAT':
        out.push(exactFloat ? Math.fround(walk / 100) : encoding === 'GORILLA' || encoding === 'PLAIN' ? Math.fround(i % 50 === 3 ? NaN : walk * 0.37) : walk / 4);
        break;
      case 'DOUBLE':
        out.push(exactFloat ? walk / 100 : encoding === 'GORILLA' || encoding === 'PLAIN' ? (i % 50 === 3 ? -0 : walk * 0.37) : walk / 4);
        break;
      case 'TEXT':
      case 'STRING':
        out.push(WORDS[Math.floor(r() * WORDS.length)]!);
        break;
      case 'BLOB':
        out.push(Uint8Array.from({ length: Math.floor(r() * 6) }, () => Math.floor(r() * 256)));
        break;
      case 'DATE':
        out.push(20240101 + (i % 28));
        break;
      case 'TIMESTAMP':
        out.push(1_700_000_000_000n + BigInt(i * 1000 + walk));
        break;
    }
  }
  return out;
}

function columnsFor(encoding: EncodingName): { measurement: string; dataType: DataTypeName; encoding: EncodingName; compression: CompressionName }[] {
  return TYPES.filter((t) => supportsEncoding(DataType[t], Encoding[encoding])).map((t, i) => ({
    measurement: `m_${t.toLowerCase()}`,
    dataType: t,
    encoding,
    compression: COMPRESSIONS[i % COMPRESSIONS.length]!,
  }));
}

function expectSame(actual: Value[], expected: Value[], what: string): void {
  expect(actual.length, `${what} point count`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (typeof e === 'number') {
      if (!Object.is(a, e)) expect(a, `${what} value ${i}`).toBe(e);
    } else if (e instanceof Uint8Array) {
      expect(Buffer.from(a as Uint8Array).equals(Buffer.from(e)), `${what} value ${i}`).toBe(true);
    } else if (a !== e) expect(a, `${what} value ${i}`).toBe(e);
  }
}

describe('writer → reader round trips', () => {
  it.each(ENCODINGS)('every type with %s, every compression, aligned and not, 3 chunk groups', async (encoding) => {
    const cols = columnsFor(encoding);
    const n = 2500;
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { maxPointsPerPage: 700 });
    w.registerTimeseries('root.rt.plain', cols);
    w.registerAlignedDevice('root.rt.aligned', cols);
    const times = BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000n + BigInt(i) * 1000n + BigInt(i % 7));
    const data = new Map(cols.map((c, k) => [c.measurement, values(c.dataType, encoding, n, 17 + k)]));
    const nullRow = (k: number, i: number) => (i * 31 + k * 7) % 10 < 3 || (i >= 1000 && i < 1400 && k === 0);
    const cuts = [0, 900, 1800, n];
    for (let g = 0; g < 3; g++) {
      const [lo, hi] = [cuts[g]!, cuts[g + 1]!];
      const time = times.slice(lo, hi);
      const plain: Record<string, Value[]> = {};
      const aligned: Record<string, (Value | null)[]> = {};
      cols.forEach((c, k) => {
        const v = data.get(c.measurement)!.slice(lo, hi);
        plain[c.measurement] = v;
        aligned[c.measurement] = v.map((x, i) => (nullRow(k, lo + i) ? null : x));
      });
      await w.write('root.rt.plain', { time, columns: plain as never });
      await w.write('root.rt.aligned', { time, columns: aligned as never });
      await w.flush();
    }
    await w.close();
    const back = await readBack(sink.bytes());
    cols.forEach((c, k) => {
      const expected = data.get(c.measurement)!;
      const p = back.get('root.rt.plain')!.get(c.measurement)!;
      expect(p.times).toEqual([...times]);
      expectSame(p.values, expected, `plain ${c.measurement}`);
      const a = back.get('root.rt.aligned')!.get(c.measurement)!;
      const keep = expected.map((_, i) => !nullRow(k, i));
      expect(a.times).toEqual([...times].filter((_, i) => keep[i]));
      expectSame(a.values, expected.filter((_, i) => keep[i]), `aligned ${c.measurement}`);
    });
  });

  it('table model: devices per tag tuple (a null tag included), several writes', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { maxPointsPerPage: 100 });
    w.registerTable('sensors', [
      { name: 'region', category: 'TAG' },
      { name: 'temp', category: 'FIELD', dataType: 'DOUBLE', encoding: 'GORILLA', compression: 'LZ4' },
      { name: 'id', category: 'TAG' },
      { name: 'note', category: 'FIELD', dataType: 'STRING', encoding: 'DICTIONARY', compression: 'ZSTD' },
    ]);
    const rows = 600;
    const region = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 'north' : 'south'));
    const id = Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `m${i % 2}`));
    const temp = Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : i * 0.5));
    const note = Array.from({ length: rows }, (_, i) => WORDS[i % WORDS.length]!);
    // Rows are grouped per device; each device's times must increase.
    const time = Array.from({ length: rows }, (_, i) => 1000 + i);
    await w.write('sensors', { time: time.slice(0, 300), columns: { region: region.slice(0, 300), id: id.slice(0, 300), temp: temp.slice(0, 300), note: note.slice(0, 300) } });
    await w.write('sensors', { time: time.slice(300), columns: { region: region.slice(300), id: id.slice(300), temp: temp.slice(300), note: note.slice(300) } });
    await w.close();
    const back = await readBack(sink.bytes());
    const expected = new Map<string, { t: bigint[]; temp: Value[]; note: Value[] }>();
    for (let i = 0; i < rows; i++) {
      const dev = id[i] === null ? `sensors.${region[i]}` : `sensors.${region[i]}.${id[i]}`;
      let e = expected.get(dev);
      if (e === undefined) expected.set(dev, (e = { t: [], temp: [], note: [] }));
      e.t.push(BigInt(time[i]!));
      if (temp[i] !== null) e.temp.push(temp[i]!);
      e.note.push(note[i]!);
    }
    expect([...back.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [dev, e] of expected) {
      expect(back.get(dev)!.get('note')!.times).toEqual(e.t);
      expectSame(back.get(dev)!.get('note')!.values, e.note, `${dev} note`);
      expectSame(back.get(dev)!.get('temp')!.values, e.temp, `${dev} temp`);
    }
  });

  it('format v3 with the default settings and many devices reads back', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { version: 3, maxIndexDegree: 3 });
    for (let d = 0; d < 12; d++) {
      w.registerTimeseries(`root.v3.d${d}`, [
        { measurement: 's', dataType: 'INT64', encoding: 'TS_2DIFF' },
        { measurement: 't', dataType: 'FLOAT', encoding: 'GORILLA' },
      ]);
      await w.write(`root.v3.d${d}`, { time: [1, 2, 3], columns: { s: [BigInt(d), 5n, 6n], t: [d, 0.5, 1.5] } });
    }
    await w.close();
    const bytes = sink.bytes();
    expect(bytes[6]).toBe(3);
    const back = await readBack(bytes);
    expect(back.size).toBe(12);
    expect(back.get('root.v3.d7')!.get('s')!.values).toEqual([7n, 5n, 6n]);
    expect(back.get('root.v3.d11')!.get('t')!.values).toEqual([11, 0.5, 1.5]);
  });

  it('format v3 with an aligned device (Java v3 layout) and the C++ layout for non-aligned data', async () => {
    for (const layout of ['java', 'cpp'] as const) {
      const sink = new MemorySink();
      const w = await TsFileWriter.open(sink, { version: 3, layout, maxPointsPerPage: 2 });
      w.registerTimeseries('root.v3.n', [
        { measurement: 'z', dataType: 'INT32', encoding: 'PLAIN' },
        { measurement: 'a', dataType: 'DOUBLE', encoding: 'GORILLA' },
      ]);
      if (layout === 'java') w.registerAlignedDevice('root.v3.al', [{ measurement: 'x', dataType: 'TEXT' }]);
      await w.write('root.v3.n', { time: [1, 2, 3], columns: { z: [1, -2, 3], a: [0.5, 1.5, 2.5] } });
      if (layout === 'java') await w.write('root.v3.al', { time: [1, 2, 3], columns: { x: ['p', null, 'r'] } });
      await w.close();
      const back = await readBack(sink.bytes());
      expect(back.get('root.v3.n')!.get('z')!.values, layout).toEqual([1, -2, 3]);
      expect(back.get('root.v3.n')!.get('a')!.values, layout).toEqual([0.5, 1.5, 2.5]);
      if (layout === 'java') expect(back.get('root.v3.al')!.get('x')!.values).toEqual(['p', 'r']);
    }
  });

  it('Arrow RecordBatch input with nulls and a DateDay column', async () => {
    const times = new BigInt64Array([10n, 20n, 30n, 40n]);
    const table = new Table({
      time: vectorFromArray([...times], new Int64()),
      v: vectorFromArray([1.5, null, 3.25, 4], new Float64()),
      s: vectorFromArray(['x', 'y', null, 'zz'], new Utf8()),
      e: vectorFromArray(['p', null, 'q', 'p']),
      d: vectorFromArray([new Date(Date.UTC(2024, 0, 31)), null, new Date(Date.UTC(2000, 1, 29)), new Date(Date.UTC(1970, 0, 1))], new DateDay()),
    });
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink);
    w.registerAlignedDevice('root.arrow.d', [
      { measurement: 'v', dataType: 'DOUBLE' },
      { measurement: 's', dataType: 'STRING' },
      { measurement: 'd', dataType: 'DATE' },
      { measurement: 'e', dataType: 'TEXT' },
    ]);
    await w.write('root.arrow.d', table);
    await w.close();
    const back = (await readBack(sink.bytes())).get('root.arrow.d')!;
    expect(back.get('v')!.values).toEqual([1.5, 3.25, 4]);
    expect(back.get('v')!.times).toEqual([10n, 30n, 40n]);
    expect(back.get('s')!.values).toEqual(['x', 'y', 'zz']);
    expect(back.get('d')!.values).toEqual([20240131, 20000229, 19700101]);
    expect(back.get('e')!.values).toEqual(['p', 'q', 'p']);
    expect(back.get('e')!.times).toEqual([10n, 30n, 40n]);
  });
});
