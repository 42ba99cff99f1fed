/** readTable: every shared fixture as one Arrow Table equals its expected CSV; clashing names resolved. */
import { Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { unionColumnNames, seriesKey } from '../../src/arrow/column-names.js';
import { readTable } from '../../src/reader/read-table.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { canonicalCsv, pointsOf, tableDevice } from '../helpers/arrow-csv.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

for (const group of ['cpp', 'java']) {
  describe.skipIf(!HAVE_SHARED)(`readTable of ${group} fixtures equals the expected CSV`, () => {
    for (const f of listFixtures(group)) {
      it(f.name, async () => {
        const table = await readTable(f.tsfile);
        const names = table.schema.fields.map((x) => x.name);
        expect(new Set(names).size).toBe(names.length);
        const batches = table.batches;
        let deviceOf;
        if (names[0] === 'device') {
          expect(table.schema.fields[0]!.type.typeId).toBe(Type.Dictionary);
          deviceOf = (b: (typeof batches)[number], r: number) => b.getChildAt(0)!.get(r) as string;
        } else {
          const tableName = table.schema.metadata.get('tsfile.table')!;
          const tags = table.schema.fields.filter((x) => x.metadata.get('tsfile.category') === 'TAG').map((x) => x.name);
          deviceOf = (b: (typeof batches)[number], r: number) => tableDevice(tableName, tags.map((t) => b.getChild(t)!.get(r) as string | null));
        }
        const csv = canonicalCsv(pointsOf(batches, deviceOf));
        const expected = expectedCsv(f)!;
        if (csv !== expected) {
          const a = csv.split('\n');
          const e = expected.split('\n');
          const i = e.findIndex((line, k) => a[k] !== line);
          expect(`line ${i + 1}: ${a[i]}`).toBe(`line ${i + 1}: ${e[i]}`);
        }
      }, 60_000);
    }
  });
}

describe('column names of the long form', () => {
  it('follow the documented rule', () => {
    const names = unionColumnNames(['device', 'time'], [
      { name: 's1', type: 'INT32' },
      { name: 'time', type: 'INT64' },
      { name: 's2', type: 'INT32' },
      { name: 's2', type: 'DOUBLE' },
      { name: 's2:INT32', type: 'TEXT' },
      { name: 'device', type: 'TEXT' },
    ]);
    expect(Object.fromEntries([...names].map(([k, v]) => [k.replace('\u0000', '/'), v]))).toEqual({
      'INT32/s1': 's1',
      'INT64/time': 'time:INT64',
      'INT32/s2': 's2:INT32:2',
      'DOUBLE/s2': 's2:DOUBLE',
      'TEXT/s2:INT32': 's2:INT32',
      'TEXT/device': 'device:TEXT',
    });
    expect(names.get(seriesKey('s1', 'INT32'))).toBe('s1');
  });

  it('a measurement named time or device, or one name with two types, never duplicates a field', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { threads: 0 });
    w.registerTimeseries('root.c.d1', [{ measurement: 'time', dataType: 'INT64' }, { measurement: 'v', dataType: 'INT32' }]);
    w.registerTimeseries('root.c.d2', [{ measurement: 'device', dataType: 'TEXT' }, { measurement: 'v', dataType: 'DOUBLE' }]);
    await w.write('root.c.d1', { time: [1n, 2n], columns: { time: [100n, 200n], v: [1, 2] } });
    await w.write('root.c.d2', { time: [1n], columns: { device: ['x'], v: [0.5] } });
    await w.close();
    const t = await readTable(sink.bytes(), { threads: 0 });
    expect(t.schema.fields.map((f) => f.name)).toEqual(['device', 'time', 'time:INT64', 'v:INT32', 'device:TEXT', 'v:DOUBLE']);
    expect(t.schema.fields[2]!.metadata.get('tsfile.measurement')).toBe('time');
    expect(t.numRows).toBe(3);
    expect(t.toArray().map((r) => r.toJSON())).toEqual([
      { device: 'root.c.d1', time: 1, 'time:INT64': 100n, 'v:INT32': 1, 'device:TEXT': null, 'v:DOUBLE': null },
      { device: 'root.c.d1', time: 2, 'time:INT64': 200n, 'v:INT32': 2, 'device:TEXT': null, 'v:DOUBLE': null },
      { device: 'root.c.d2', time: 1, 'time:INT64': null, 'v:INT32': null, 'device:TEXT': 'x', 'v:DOUBLE': 0.5 },
    ]);
  });
});
