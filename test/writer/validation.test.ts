/**
 * Input errors: each gives a TsFileError naming device, measurement and row, and a rejected write
 * changes nothing — the file closed afterwards holds exactly the accepted writes.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TsFileError } from '../../src/io/errors.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from './read-back.js';

async function writer() {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink);
  w.registerTimeseries('root.sg.d1', [
    { measurement: 's1', dataType: 'INT32', encoding: 'PLAIN' },
    { measurement: 'f', dataType: 'FLOAT', encoding: 'RLE' },
  ]);
  w.registerAlignedDevice('root.sg.a', [{ measurement: 'x', dataType: 'DOUBLE', encoding: 'GORILLA_V1' }]);
  await w.write('root.sg.d1', { time: [1, 2], columns: { s1: [10, 20] } });
  return { sink, w };
}

async function rejected(p: Promise<unknown>): Promise<TsFileError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TsFileError);
  return e as TsFileError;
}

describe('write validation', () => {
  it.each([
    ['unsorted times', { time: [5, 4], columns: { s1: [1, 2] } }, /times are not increasing.*device root\.sg\.d1.*row 1/],
    ['duplicate times', { time: [5, 5], columns: { s1: [1, 2] } }, /duplicate time.*row 1/],
    ['a time not after the written ones', { time: [2, 3], columns: { s1: [1, 2] } }, /not after the last time.*measurement s1, row 0/],
    ['a wrong typed array', { time: [7], columns: { s1: new Float64Array([1]) } }, /type mismatch.*measurement s1.*INT32.*Float64Array/],
    ['a wrong JS value', { time: [7, 8], columns: { s1: [1, 'x'] } }, /type mismatch.*measurement s1, row 1/],
    ['an unregistered series', { time: [7], columns: { nope: [1] } }, /unregistered series.*measurement nope/],
    ['a column of another length', { time: [7, 8], columns: { s1: [1] } }, /length differs/],
    ['a FLOAT RLE cannot store (3 decimals)', { time: [7, 8], columns: { f: [1.25, 1.125] } }, /cannot be stored exactly by RLE.*measurement f, row 1/],
    ['NaN under RLE', { time: [7], columns: { f: [NaN] } }, /cannot be stored exactly.*row 0/],
  ])('rejects %s and leaves the file as it was', async (_, data, message) => {
    const { sink, w } = await writer();
    const e = await rejected(w.write('root.sg.d1', data as never));
    expect(e.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(e.message).toMatch(message);
    await w.write('root.sg.d1', { time: [10], columns: { s1: [30] } });
    await w.close();
    const back = await readBack(sink.bytes());
    expect(back.get('root.sg.d1')!.get('s1')!.values).toEqual([10, 20, 30]);
    expect(back.get('root.sg.d1')!.has('f')).toBe(false);
  });

  it('rejects a NaN under GORILLA_V1 (it ends the page) and an unknown device', async () => {
    const { w } = await writer();
    const e = await rejected(w.write('root.sg.a', { time: [1, 2], columns: { x: [1, NaN] } }));
    expect(e.message).toMatch(/GORILLA_V1.*measurement x, row 1/);
    const u = await rejected(w.write('root.sg.zz', { time: [1], columns: {} }));
    expect(u.message).toMatch(/unregistered device.*root\.sg\.zz/);
  });

  it('a rejected table write buffers no row of any device', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink);
    w.registerTable('t', [
      { name: 'k', category: 'TAG' },
      { name: 'v', category: 'FIELD', dataType: 'INT64' },
    ]);
    // Device "a" is fine, device "b" goes backwards in time: nothing of either may be kept.
    const e = await rejected(w.write('t', { time: [1, 2, 9, 8], columns: { k: ['a', 'a', 'b', 'b'], v: [1n, 2n, 3n, 4n] } }));
    expect(e.message).toMatch(/device t\.b, row 1/);
    await w.write('t', { time: [5], columns: { k: ['a'], v: [5n] } });
    await w.close();
    const back = await readBack(sink.bytes());
    expect([...back.keys()]).toEqual(['t.a']);
    expect(back.get('t.a')!.get('v')!.values).toEqual([5n]);
  });

  it('rejects bad registrations with typed errors', async () => {
    const w = await TsFileWriter.open(new MemorySink());
    expect(() => w.registerTimeseries('root.x', { measurement: 's', dataType: 'TEXT', encoding: 'GORILLA' })).toThrow(/cannot store TEXT/);
    expect(() => w.registerTimeseries('root.x', { measurement: 's', dataType: 'INT32', compression: 'LZO' })).toThrow(/LZO cannot be written/);
    expect(() => w.registerTimeseries('root.x', { measurement: 's', dataType: 'NOPE' as never })).toThrow(/unknown data type/);
    w.registerTimeseries('root.x', { measurement: 's', dataType: 'INT32' });
    expect(() => w.registerTimeseries('root.x', { measurement: 's', dataType: 'INT64' })).toThrow(/different settings/);
    expect(() => w.registerAlignedDevice('root.x', [{ measurement: 'y', dataType: 'INT32' }])).toThrow(/non-aligned/);
    w.registerAlignedDevice('root.al', [{ measurement: 'a', dataType: 'INT32' }]);
    await w.write('root.al', { time: [1], columns: { a: [1] } });
    await w.flush();
    expect(() => w.registerAlignedDevice('root.al', [{ measurement: 'b', dataType: 'INT32' }])).toThrow(/after its first chunk group/);
    await expect(TsFileWriter.open(new MemorySink(), { maxPointsPerPage: 0 })).rejects.toThrow(/maxPointsPerPage/);
    const v3 = await TsFileWriter.open(new MemorySink(), { version: 3 });
    expect(() => v3.registerTable('t', [])).toThrow(/version 4/);
  });

  it('rejects malformed binary columns and Arrow columns of the wrong type', async () => {
    const w = await TsFileWriter.open(new MemorySink());
    w.registerTimeseries('root.b', [
      { measurement: 't', dataType: 'TEXT' },
      { measurement: 'i', dataType: 'INT64' },
    ]);
    const bad = { offsets: new Int32Array([0, 3, 2]), data: new Uint8Array(3) };
    expect((await rejected(w.write('root.b', { time: [1, 2], columns: { t: bad } }))).message).toMatch(/offsets decrease.*measurement t, row 1/);
    const past = { offsets: new Int32Array([0, 2, 9]), data: new Uint8Array(3) };
    expect((await rejected(w.write('root.b', { time: [1, 2], columns: { t: past } }))).message).toMatch(/run past the data/);
    const { Table, vectorFromArray, Float64, Int64 } = await import('apache-arrow');
    const table = new Table({ time: vectorFromArray([1n], new Int64()), i: vectorFromArray([1.5], new Float64()) });
    expect((await rejected(w.write('root.b', table))).message).toMatch(/type mismatch.*measurement i.*INT64.*Float64/);
    const noTime = new Table({ i: vectorFromArray([1n], new Int64()) });
    expect((await rejected(w.write('root.b', noTime))).message).toMatch(/no "time" column/);
  });

  it('allowLossyEncoding stores what the encoding keeps (RLE FLOAT rounds to 2 decimals)', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { allowLossyEncoding: true });
    w.registerTimeseries('root.l', { measurement: 'f', dataType: 'DOUBLE', encoding: 'RLE' });
    await w.write('root.l', { time: [1, 2], columns: { f: [1.125, -2.5] } });
    await w.close();
    // Math.round(112.5) = 113 and Math.round(-250) = -250 (Java's round half up).
    expect((await readBack(sink.bytes())).get('root.l')!.get('f')!.values).toEqual([1.13, -2.5]);
  });

  it('a file without data is valid (v4 and v3) and an empty batch changes nothing', async () => {
    for (const version of [4, 3] as const) {
      const sink = new MemorySink();
      const w = await TsFileWriter.open(sink, { version });
      w.registerTimeseries('root.e', { measurement: 's', dataType: 'INT32' });
      await w.write('root.e', { time: [], columns: { s: [] } });
      await w.close();
      const b = sink.bytes();
      expect(Buffer.from(b.subarray(b.length - 6)).toString()).toBe('TsFile');
      expect((await readBack(b)).size).toBe(0);
    }
  });

  it('an output path that cannot be created is an IO error', async () => {
    await expect(TsFileWriter.open('/nonexistent-dir-for-tsfile-test/x.tsfile')).rejects.toMatchObject({ code: ErrorCode.IO });
  });

  it('write after close is a CLOSED error; close twice is fine', async () => {
    const { w } = await writer();
    await w.close();
    await w.close();
    const e = await rejected(w.write('root.sg.d1', { time: [100], columns: { s1: [1] } }));
    expect(e.code).toBe(ErrorCode.CLOSED);
  });

  it('an aligned column missing from a write is null for those rows', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink);
    w.registerAlignedDevice('root.al', [
      { measurement: 'a', dataType: 'INT32' },
      { measurement: 'b', dataType: 'BOOLEAN' },
    ]);
    await w.write('root.al', { time: [1, 2], columns: { a: [1, 2] } });
    await w.write('root.al', { time: [3], columns: { a: { values: new Int32Array([3]), valid: new Uint8Array([0]) }, b: [true] } });
    await w.close();
    const back = (await readBack(sink.bytes())).get('root.al')!;
    expect(back.get('a')!.times).toEqual([1n, 2n]);
    expect(back.get('b')!.times).toEqual([3n]);
    expect(back.get('b')!.values).toEqual([true]);
  });
});
