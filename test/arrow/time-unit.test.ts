/**
 * Time units across the Arrow boundary: writers convert Timestamp(s/ms/µs/ns), Date32 and Date64
 * inputs to the file's unit exactly or refuse them naming column and row; readers label `time`
 * and TIMESTAMP columns as Timestamp in the unit they are told, with the stored int64s untouched.
 */
import { DateDay, DateMillisecond, Field, Int64, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond, TimeUnit, type DataType as ArrowType, Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { epochNumber, epochValues, epochVector, epochWords } from '../../src/arrow/epoch-values.js';
import { rescaleEpoch } from '../../src/arrow/time-unit.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import type { TimeUnitName } from '../../src/arrow/time-unit.js';

function batchOf(fields: [string, ArrowType, BigInt64Array | Int32Array][]): RecordBatch {
  const schema = new Schema(fields.map(([n, t]) => new Field(n, t, true)));
  const n = fields[0]![2].length;
  const children = fields.map(([, type, data]) => makeData({ type, length: n, data } as never));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
}

async function writeOne(unit: TimeUnitName | undefined, batch: RecordBatch): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { timeUnit: unit, threads: 0 });
  w.registerTimeseries('root.u.d1', [{ measurement: 'ts', dataType: 'TIMESTAMP', encoding: 'PLAIN' }]);
  await w.write('root.u.d1', batch);
  await w.close();
  return sink.bytes();
}

async function readBack(bytes: Uint8Array, unit?: TimeUnitName): Promise<{ times: bigint[]; ts: bigint[]; timeType: ArrowType; tsType: ArrowType }> {
  const r = await TsFileReader.open(bytes, { timeUnit: unit, threads: 0 });
  const times: bigint[] = [];
  const ts: bigint[] = [];
  let timeType: ArrowType | undefined;
  let tsType: ArrowType | undefined;
  for await (const { batch } of r.scan()) {
    times.push(...epochVector(batch.getChild('time')!));
    ts.push(...epochVector(batch.getChild('ts')!));
    timeType = batch.schema.fields[0]!.type;
    tsType = batch.schema.fields[1]!.type;
  }
  await r.close();
  return { times, ts, timeType: timeType!, tsType: tsType! };
}

// One instant, 2023-11-14T22:13:20.123456789Z, in every unit.
const NS = 1_700_000_000_123_456_789n;

describe('writer: Arrow time inputs become the file unit', () => {
  const cases: [string, ArrowType, bigint][] = [
    ['s', new TimestampSecond(), NS / 1_000_000_000n],
    ['ms', new TimestampMillisecond(), NS / 1_000_000n],
    ['us', new TimestampMicrosecond(), NS / 1000n],
    ['ns', new TimestampNanosecond(), NS],
  ];
  for (const [inUnit, type, v] of cases) {
    for (const fileUnit of ['ms', 'us', 'ns'] as const) {
      const factor = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n }[inUnit]!;
      const perFile = { ms: 1_000_000n, us: 1000n, ns: 1n }[fileUnit];
      const exactNs = v * factor;
      const lossy = exactNs % perFile !== 0n;
      it(`Timestamp(${inUnit}) into a ${fileUnit} file ${lossy ? 'is refused' : 'round-trips'}`, async () => {
        const times = new BigInt64Array([v, v + 1n]);
        const b = batchOf([['time', type, times], ['ts', type, new BigInt64Array([v + 1n, v])]]);
        if (lossy) {
          const err = await writeOne(fileUnit, b).catch((e: unknown) => e);
          expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
          expect(String((err as Error).message)).toMatch(/measurement time, row 0/);
          return;
        }
        const back = await readBack(await writeOne(fileUnit, b), fileUnit);
        expect(back.times).toEqual([exactNs / perFile, (exactNs + factor) / perFile]);
        expect(back.ts).toEqual([(exactNs + factor) / perFile, exactNs / perFile]);
        const unit = { ms: TimeUnit.MILLISECOND, us: TimeUnit.MICROSECOND, ns: TimeUnit.NANOSECOND }[fileUnit];
        expect(back.timeType.typeId).toBe(Type.Timestamp);
        expect((back.timeType as TimestampMillisecond).unit).toBe(unit);
        expect((back.tsType as TimestampMillisecond).unit).toBe(unit);
      });
    }
  }

  it('names the TIMESTAMP column and the row of a lossy value', async () => {
    const b = batchOf([['time', new Int64(), new BigInt64Array([1n, 2n, 3n])], ['ts', new TimestampMicrosecond(), new BigInt64Array([1000n, 2000n, 2001n])]]);
    await expect(writeOne('ms', b)).rejects.toThrow(/measurement ts, row 2/);
  });

  it('refuses a value that overflows int64 when scaled up', async () => {
    const b = batchOf([['time', new TimestampSecond(), new BigInt64Array([1n, 9_300_000_000n])], ['ts', new Int64(), new BigInt64Array([0n, 0n])]]);
    const err = await writeOne('ns', b).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/beyond the int64 range.*measurement time, row 1/);
  });

  it('takes Int64 times as already in the file unit', async () => {
    const b = batchOf([['time', new Int64(), new BigInt64Array([5n, 7n])], ['ts', new Int64(), new BigInt64Array([-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n])]]);
    const back = await readBack(await writeOne('ns', b), 'ns');
    expect(back.times).toEqual([5n, 7n]);
    expect(back.ts).toEqual([-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n]);
  });

  it('converts Date32 and Date64 inputs', async () => {
    const b = batchOf([['time', new DateDay(), new Int32Array([19_000, 19_001])], ['ts', new DateMillisecond(), new BigInt64Array([86_400_000n, -1n])]]);
    const back = await readBack(await writeOne('us', b), 'us');
    expect(back.times).toEqual([19_000n * 86_400_000_000n, 19_001n * 86_400_000_000n]);
    expect(back.ts).toEqual([86_400_000_000n, -1000n]);
  });
});

describe('reader: time typing', () => {
  it('defaults to Timestamp(ms) with the unit in field and schema metadata; int64Time gives Int64', async () => {
    const bytes = await writeOne(undefined, batchOf([['time', new Int64(), new BigInt64Array([1n, 2n])], ['ts', new Int64(), new BigInt64Array([3n, 4n])]]));
    const r = await TsFileReader.open(bytes, { threads: 0 });
    for await (const { batch } of r.scan()) {
      expect(String(batch.schema.fields[0]!.type)).toBe('Timestamp<MILLISECOND>');
      expect(batch.schema.fields[0]!.metadata.get('tsfile.time_unit')).toBe('ms');
      expect(batch.schema.metadata.get('tsfile.time_unit')).toBe('ms');
    }
    await r.close();
    const raw = await TsFileReader.open(bytes, { threads: 0, int64Time: true, timeUnit: 'us' });
    for await (const { batch } of raw.scan()) {
      expect(String(batch.schema.fields[0]!.type)).toBe('Int64');
      expect(String(batch.schema.fields[1]!.type)).toBe('Int64');
      expect(batch.schema.fields[1]!.metadata.get('tsfile.time_unit')).toBe('us');
      expect([...epochVector(batch.getChild('ts')!)]).toEqual([3n, 4n]);
    }
    await raw.close();
  });

  it('refuses an unknown unit', async () => {
    await expect(TsFileReader.open(new Uint8Array(0), { timeUnit: 'min' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('epoch helpers', () => {
  it('view a sliced column without copying and read words exactly', () => {
    const values = new BigInt64Array([-1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 1_700_000_000_000n]);
    const d = makeData({ type: new TimestampMillisecond(), length: 4, data: values }).slice(1, 2);
    expect([...epochValues(d)]).toEqual([2n ** 53n - 1n, -(2n ** 53n) + 1n]);
    expect(epochValues(d).buffer).toBe(values.buffer);
    const w = epochWords(d);
    expect(epochNumber(w, 0)).toBe(2 ** 53 - 1);
    expect(epochNumber(w, 1)).toBe(-(2 ** 53) + 1);
  });

  it('rescale leaves null rows alone', () => {
    const v = new BigInt64Array([1500n, 7n]);
    rescaleEpoch(v, 'us', 'ms', () => { throw new Error('refused'); }, new Uint8Array([0, 0]));
    expect([...v]).toEqual([1500n, 7n]);
  });
});
