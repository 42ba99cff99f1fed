/**
 * Row-wise appends: records appended one at a time give a file that reads back exactly the points
 * of the same data written as batches (tree non-aligned, aligned and table-model devices, nulls,
 * every value type), and the reference reads it the same when /work/oracle/bin/jdump exists;
 * refused records name device and time and change nothing; memory stays bounded by the options.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, TsFileError } from '../../src/io/errors.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import type { TsFileWriterOptions } from '../../src/writer/options.js';
import type { AppendValue } from '../../src/writer/row-buffer.js';
import { readBack } from './read-back.js';

const JDUMP = '/work/oracle/bin/jdump';

interface Rec {
  target: string;
  time: bigint;
  values: Record<string, AppendValue>;
}

/** A deterministic stream of records over three kinds of device, interleaved as a broker delivers them. */
function records(n: number): Rec[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000_000n + BigInt(i) * 10n;
    out.push({
      target: 'root.sg.d1',
      time: t,
      values: {
        i32: i % 7 === 0 ? null : Math.floor(rnd() * 2000) - 1000,
        dbl: i % 11 === 3 ? -0 : i % 13 === 5 ? Number.NaN : rnd() * 100,
        txt: i % 5 === 0 ? undefined : `v${i}é`,
        ok: rnd() < 0.5,
      },
    });
    if (i % 2 === 0) out.push({ target: 'root.sg.a', time: t + 1n, values: { big: i % 3 === 0 ? 9223372036854775807n : BigInt(-i), f: i % 9 === 0 ? null : Math.fround(i / 4) } });
    const region = ['north', 'south', null][i % 3]!;
    out.push({ target: 'sensors', time: t + 2n, values: { region, site: i % 4 === 0 ? null : 's1', temp: i % 6 === 0 ? null : Math.fround(20 + (i % 40) / 8), day: 20240101 + (i % 28) } });
  }
  return out;
}

async function open(options: TsFileWriterOptions = {}): Promise<{ sink: MemorySink; w: TsFileWriter }> {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { maxPointsPerPage: 300, ...options });
  w.registerTimeseries('root.sg.d1', [
    { measurement: 'i32', dataType: 'INT32', encoding: 'TS_2DIFF' },
    { measurement: 'dbl', dataType: 'DOUBLE', encoding: 'GORILLA' },
    { measurement: 'txt', dataType: 'TEXT', compression: 'ZSTD' },
    { measurement: 'ok', dataType: 'BOOLEAN', encoding: 'RLE' },
  ]);
  w.registerAlignedDevice('root.sg.a', [
    { measurement: 'big', dataType: 'INT64', encoding: 'TS_2DIFF' },
    { measurement: 'f', dataType: 'FLOAT', encoding: 'GORILLA' },
  ]);
  w.registerTable('sensors', [
    { name: 'region', category: 'TAG' },
    { name: 'site', category: 'TAG' },
    { name: 'temp', category: 'FIELD', dataType: 'FLOAT' },
    { name: 'day', category: 'FIELD', dataType: 'DATE' },
  ]);
  return { sink, w };
}

/** The same records as one batch per device (table: per table, tags as columns). */
async function writeAsBatches(w: TsFileWriter, recs: Rec[]): Promise<void> {
  const byTarget = new Map<string, Rec[]>();
  for (const r of recs) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  for (const [target, rs] of byTarget) {
    const names = [...new Set(rs.flatMap((r) => Object.keys(r.values)))];
    const columns = Object.fromEntries(names.map((m) => [m, rs.map((r) => r.values[m] ?? null)]));
    await w.write(target, { time: rs.map((r) => r.time), columns: columns as Record<string, (AppendValue | null)[]> as never });
  }
}

async function rejected(p: Promise<unknown>): Promise<TsFileError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TsFileError);
  return e as TsFileError;
}

describe('TsFileWriter.append', () => {
  it('appended records read back as the same points as batch writes of the same data', async () => {
    const recs = records(3000);
    const batch = await open();
    await writeAsBatches(batch.w, recs);
    await batch.w.close();
    const appended = await open({ appendBatchRows: 128 });
    for (const r of recs) await appended.w.append(r.target, r.time, r.values);
    await appended.w.close();

    const want = await readBack(batch.sink.bytes());
    const got = await readBack(appended.sink.bytes());
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    expect(got).toEqual(want);
    // Independently of the batch path: every non-null value appended is there, at its time.
    const d1 = got.get('root.sg.d1')!;
    const i32 = recs.filter((r) => r.target === 'root.sg.d1' && r.values.i32 !== null);
    expect(d1.get('i32')!.times).toEqual(i32.map((r) => r.time));
    expect(d1.get('i32')!.values).toEqual(i32.map((r) => r.values.i32));
    expect(d1.get('dbl')!.values.filter((v) => Object.is(v, -0)).length).toBe(recs.filter((r) => Object.is(r.values.dbl, -0)).length);
    expect(got.get('root.sg.a')!.get('big')!.values[0]).toBe(9223372036854775807n);
    // Table devices: one per tag tuple (trailing null tags dropped), with the table's tag columns on scan.
    const reader = await TsFileReader.open(appended.sink.bytes());
    let rows = 0;
    let nullRegion = 0;
    for await (const { batch: b } of reader.scan({ table: 'sensors' })) {
      rows += b.numRows;
      const region = b.getChild('region')!;
      for (let i = 0; i < b.numRows; i++) if (!region.isValid(i)) nullRegion++;
    }
    await reader.close();
    expect(rows).toBe(recs.filter((r) => r.target === 'sensors').length);
    expect(nullRegion).toBe(recs.filter((r) => r.target === 'sensors' && r.values.region === null).length);

    if (existsSync(JDUMP)) {
      const dir = mkdtempSync(join(tmpdir(), 'tsfile-append-'));
      writeFileSync(join(dir, 'batch.tsfile'), batch.sink.bytes());
      writeFileSync(join(dir, 'append.tsfile'), appended.sink.bytes());
      const dump = (f: string) => execFileSync(JDUMP, [join(dir, f)], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
      expect(dump('append.tsfile')).toBe(dump('batch.tsfile'));
    }
  }, 120_000);

  it('takes the batches of write in order with appends to the same device', async () => {
    const { sink, w } = await open();
    await w.append('root.sg.d1', 10, { i32: 1 });
    await w.write('root.sg.d1', { time: [20, 30], columns: { i32: [2, 3] } });
    await w.append('root.sg.d1', 40n, { i32: 4, ok: true });
    // A batch behind the appended rows is refused as any late batch is.
    const e = await rejected(w.write('root.sg.d1', { time: [35], columns: { i32: [9] } }));
    expect(e.message).toMatch(/not after the last time/);
    await w.close();
    const back = await readBack(sink.bytes());
    expect(back.get('root.sg.d1')!.get('i32')).toEqual({ times: [10n, 20n, 30n, 40n], values: [1, 2, 3, 4] });
    expect(back.get('root.sg.d1')!.get('ok')).toEqual({ times: [40n], values: [true] });
  });

  it('refuses bad records naming device and time, and a refused record changes nothing', async () => {
    const { sink, w } = await open();
    w.registerTimeseries('root.sg.r', [{ measurement: 'v', dataType: 'FLOAT', encoding: 'RLE' }]);
    w.registerAlignedDevice('root.sg.g', [{ measurement: 'x', dataType: 'DOUBLE', encoding: 'GORILLA_V1' }]);
    await w.append('root.sg.d1', 100, { i32: 1, txt: 'a' });
    await w.append('sensors', 100, { region: 'north', temp: 1.5 });
    const cases: [string, Promise<void>, RegExp][] = [
      ['a time not after the last', w.append('root.sg.d1', 99, { i32: 2 }), /time is not after the last time appended.*device root\.sg\.d1, time 99/],
      ['a duplicate time', w.append('root.sg.d1', 100n, { i32: 2 }), /duplicate time \(device root\.sg\.d1, time 100\)/],
      ['a table device out of order', w.append('sensors', 50, { region: 'north', temp: 2 }), /not after.*device sensors\.north, time 50/],
      ['a type mismatch', w.append('root.sg.d1', 101, { i32: 'x' }), /type mismatch \(device root\.sg\.d1, measurement i32, time 101\)/],
      ['an int32 out of range', w.append('root.sg.d1', 101, { i32: 2 ** 31 }), /type mismatch.*measurement i32, time 101/],
      ['an unregistered device', w.append('root.sg.nope', 1, { a: 1 }), /unregistered device or table \(device root\.sg\.nope, time 1\)/],
      ['an unregistered series', w.append('root.sg.d1', 101, { nope: 1 }), /unregistered series \(device root\.sg\.d1, measurement nope, time 101\)/],
      ['an unregistered column of a table', w.append('sensors', 101, { region: 'x', wind: 3 }), /unregistered column.*measurement wind/],
      ['a tag that is not a string', w.append('sensors', 101, { region: 5 }), /type mismatch.*measurement region/],
      ['a time that is not an int64', w.append('root.sg.d1', 1.5, { i32: 1 }), /time must be an int64/],
      ['a time beyond int64', w.append('root.sg.d1', 2n ** 63n, { i32: 1 }), /time must be an int64/],
      ['an invalid DATE', w.append('sensors', 101, { region: 'north', day: 20240230 }), /not a valid DATE.*time 101/],
      ['a value RLE cannot store exactly', w.append('root.sg.r', 5, { v: 1.2345 }), /cannot be stored exactly by RLE.*device root\.sg\.r, measurement v, time 5/],
      ['NaN under GORILLA_V1', w.append('root.sg.g', 5, { x: Number.NaN }), /cannot be stored exactly by GORILLA_V1.*time 5/],
    ];
    for (const [what, p, message] of cases) {
      const e = await rejected(p);
      expect(e.code, what).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(e.message, what).toMatch(message);
    }
    // After all that, the next record in order is accepted and the file holds only accepted ones.
    await w.append('root.sg.d1', 101, { i32: 2 });
    await w.close();
    const back = await readBack(sink.bytes());
    expect(back.get('root.sg.d1')!.get('i32')).toEqual({ times: [100n, 101n], values: [1, 2] });
    expect(back.get('root.sg.d1')!.get('txt')).toEqual({ times: [100n], values: ['a'] });
    expect(back.has('root.sg.r')).toBe(false);
    expect(back.has('root.sg.g')).toBe(false);
    expect(back.get('sensors.north')!.get('temp')).toEqual({ times: [100n], values: [1.5] });
    await expect(w.append('root.sg.d1', 200, { i32: 1 })).rejects.toThrow(/closed/);
  });

  it('checks stream-encoded values on the stream the batch will hold (RLBE)', async () => {
    // RLBE stores deltas: whether a value survives depends on the values before it in the stream.
    const values = [0.1, 1e300, -1e300, 0.3];
    const spec = [{ measurement: 'v', dataType: 'DOUBLE' as const, encoding: 'RLBE' as const }];
    const stream = await open();
    stream.w.registerTimeseries('root.sg.s', spec);
    for (let i = 0; i < 3; i++) await stream.w.append('root.sg.s', i, { v: values[i]! });
    expect((await rejected(stream.w.append('root.sg.s', 3, { v: 0.3 }))).message).toMatch(/cannot be stored exactly by RLBE.*measurement v, time 3/);
    // The batch path refuses the same stream, and takes the value alone.
    const batch = await open();
    batch.w.registerTimeseries('root.sg.s', spec);
    expect((await rejected(batch.w.write('root.sg.s', { time: [0, 1, 2, 3], columns: { v: values } }))).message).toMatch(/RLBE.*row 3/);
    await batch.w.append('root.sg.s', 3, { v: 0.3 });
    await batch.w.close();
    // Whatever was accepted is written exactly (the batch path's own check passes on close).
    await stream.w.close();
    expect((await readBack(stream.sink.bytes())).get('root.sg.s')!.get('v')!.values).toEqual(values.slice(0, 3));
    expect((await readBack(batch.sink.bytes())).get('root.sg.s')!.get('v')!.values).toEqual([0.3]);
  });

  it('with inferSchema registers new devices and series with types from their first value', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { inferSchema: true });
    w.registerAlignedDevice('root.sg.al', [{ measurement: 'x', dataType: 'INT32' }]);
    await w.append('root.mqtt.dev1', 1, { temp: 21.5, count: 3n, on: true, label: 'ä', raw: Uint8Array.of(1, 2), later: null });
    await w.append('root.mqtt.dev1', 2, { temp: 22, later: 'now' });
    expect((await rejected(w.append('root.mqtt.dev1', 3, { temp: 'hot' }))).message).toMatch(/type mismatch.*measurement temp, time 3/);
    // Aligned devices keep their declared columns.
    expect((await rejected(w.append('root.sg.al', 1, { y: 1 }))).message).toMatch(/unregistered series.*measurement y/);
    await w.close();
    const reader = await TsFileReader.open(sink.bytes());
    const types = Object.fromEntries((await reader.timeseries('root.mqtt.dev1')).map((s) => [s.measurement, s.dataType]));
    await reader.close();
    expect(types).toEqual({ temp: 'DOUBLE', count: 'INT64', on: 'BOOLEAN', label: 'STRING', raw: 'BLOB', later: 'STRING' });
    const back = await readBack(sink.bytes());
    expect(back.get('root.mqtt.dev1')!.get('temp')).toEqual({ times: [1n, 2n], values: [21.5, 22] });
    expect(back.get('root.mqtt.dev1')!.get('later')).toEqual({ times: [2n], values: ['now'] });
  });

  it('keeps memory bounded: appended rows are written once they pass appendBufferBytes, and chunk groups flushed', async () => {
    const sink = new MemorySink();
    const limit = 64 * 1024;
    const w = await TsFileWriter.open(sink, { appendBufferBytes: limit, appendBatchRows: 1 << 20, chunkGroupSizeBytes: 256 * 1024 });
    const devices = 50;
    for (let d = 0; d < devices; d++) w.registerTimeseries(`root.bound.d${d}`, [{ measurement: 'v', dataType: 'DOUBLE' }, { measurement: 's', dataType: 'STRING' }]);
    let most = 0;
    let mostWriter = 0;
    const rows = 1000;
    let writtenMidway = 0;
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < devices; d++) {
        await w.append(`root.bound.d${d}`, i, { v: i + d / 100, s: `row ${i} of device ${d}` });
        most = Math.max(most, w.appendedBufferBytes);
        mostWriter = Math.max(mostWriter, w.bufferedBytes);
      }
      if (i === rows / 2) writtenMidway = w.bytesWritten;
    }
    expect(most).toBeLessThan(limit);
    expect(mostWriter).toBeLessThan(256 * 1024 + limit);
    // Data left memory for the sink while records were still arriving.
    expect(writtenMidway).toBeGreaterThan(100_000);
    await w.close();
    const back = await readBack(sink.bytes());
    expect(back.size).toBe(devices);
    for (const [, m] of back) expect(m.get('v')!.times.length).toBe(rows);
    expect(back.get('root.bound.d7')!.get('s')!.values[999]).toBe('row 999 of device 7');
  }, 120_000);
});
