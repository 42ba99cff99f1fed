/** Table-model files read as tables: schemas from tables(), rows as time, tags (dictionary Utf8), fields. */
import { Table, Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { canonicalCsv, pointsOf, tableDevice } from '../helpers/arrow-csv.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

const tableModel = listFixtures('java').find((f) => f.name === 'table_model');

async function collect(r: TsFileReader, opts: Parameters<TsFileReader['scan']>[0]) {
  const batches = [];
  for await (const { batch } of r.scan(opts)) batches.push(batch);
  return batches;
}

describe.skipIf(!HAVE_SHARED || tableModel === undefined)('table_model fixture', () => {
  it('lists the table with its tag and field columns', async () => {
    const r = await TsFileReader.open(tableModel!.tsfile);
    const [t, ...rest] = r.tables();
    expect(rest).toEqual([]);
    expect(t!.name).toBe('sensors');
    const tags = t!.columns.filter((c) => c.category === 'TAG');
    expect(tags.map((c) => c.dataType)).toEqual(['STRING', 'STRING']);
    expect(t!.columns.filter((c) => c.category === 'FIELD')).toHaveLength(10);
    await r.close();
  });

  it('scans rows equal to the expected CSV, tags as dictionary columns with the null tag kept', async () => {
    const r = await TsFileReader.open(tableModel!.tsfile);
    const tagNames = r.tables()[0]!.columns.filter((c) => c.category === 'TAG').map((c) => c.name);
    const batches = await collect(r, { table: 'sensors' });
    const table = new Table(batches);
    expect(table.schema.fields.slice(0, 3).map((f) => f.name)).toEqual(['time', ...tagNames]);
    expect(table.schema.fields[1]!.type.typeId).toBe(Type.Dictionary);
    const deviceOf = (b: (typeof batches)[number], row: number) => tableDevice('sensors', tagNames.map((n) => b.getChild(n)!.get(row) as string | null));
    expect(canonicalCsv(pointsOf(batches, deviceOf))).toBe(expectedCsv(tableModel!));
    // One device has a null second tag: it survives as a null, not as "null" text.
    expect(batches.some((b) => b.getChild(tagNames[1]!)!.nullCount === b.numRows)).toBe(true);
    await r.close();
  });

  it('filters by tag values and selects columns', async () => {
    const r = await TsFileReader.open(tableModel!.tsfile);
    const [tag0, tag1] = r.tables()[0]!.columns.filter((c) => c.category === 'TAG').map((c) => c.name);
    const field = r.tables()[0]!.columns.find((c) => c.category === 'FIELD')!.name;
    const batches = await collect(r, { table: 'sensors', tags: { [tag0!]: 'north', [tag1!]: null }, columns: [tag1!, field] });
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) expect(b.schema.fields.map((f) => f.name)).toEqual(['time', tag1, field]);
    const expected = expectedCsv(tableModel!)!.split('\n').filter((l) => l.startsWith(`sensors.north,${field},`));
    const got = canonicalCsv(pointsOf(batches, () => 'sensors.north')).trim().split('\n').slice(1);
    expect(got).toEqual(expected);
    await expect(collect(r, { table: 'sensors', columns: ['nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(r, { table: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await r.close();
  });
});

describe('generated table-model file', () => {
  it('gives every batch the whole table schema, null tags and missing fields as nulls', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { threads: 0 });
    w.registerTable('t', [
      { name: 'region', category: 'TAG' },
      { name: 'id', category: 'TAG' },
      { name: 'a', category: 'FIELD', dataType: 'INT32' },
      { name: 'ts', category: 'FIELD', dataType: 'TIMESTAMP' },
    ]);
    await w.write('t', { time: [1n, 2n, 3n, 4n], columns: { region: ['x', null, 'x', null], id: [null, 'k', 'j', 'k'], a: [10, 20, null, 40], ts: [null, null, null, null] } });
    await w.close();
    const r = await TsFileReader.open(sink.bytes(), { threads: 0, timeUnit: 'us' });
    const batches = await collect(r, { table: 't' });
    const rows = new Table(batches).toArray().map((row) => ({ ...row.toJSON(), time: undefined }));
    rows.sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q)));
    expect(rows).toEqual(
      [
        { region: null, id: 'k', a: 20, ts: null, time: undefined },
        { region: null, id: 'k', a: 40, ts: null, time: undefined },
        { region: 'x', id: null, a: 10, ts: null, time: undefined },
        { region: 'x', id: 'j', a: null, ts: null, time: undefined },
      ].sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q))),
    );
    for (const b of batches) expect(String(b.schema.fields[4]!.type)).toBe('Timestamp<MICROSECOND>');
    const onlyTags = await collect(r, { table: 't', columns: ['id'], tags: { region: null } });
    expect(onlyTags.reduce((n, b) => n + b.numRows, 0)).toBe(2);
    await r.close();
  });
});
