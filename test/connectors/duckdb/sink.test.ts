/**
 * The DuckDB sink against the real DuckDB: every shared fixture loaded through the pipeline ends as
 * a table equal to the fixture's CSV (count, DESCRIBE types, every value), plus exactly-once
 * transactions (rollback, settle) and schema growth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBSink, LABELS_TABLE } from '../../../src/connectors/duckdb/index.js';
import { pipe } from '../../../src/pipeline/pipe.js';
import { TsFileReader } from '../../../src/reader/tsfile-reader.js';
import { expectedCsv, HAVE_SHARED, listFixtures, type Fixture } from '../../helpers/fixtures.js';
import { csvLines, duckTypeOf, memoryDuckDB, readCanonical } from '../../helpers/duckdb.js';

let dir: string;
let db: Awaited<ReturnType<typeof memoryDuckDB>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsfile-duckdb-sink-'));
  db = await memoryDuckDB();
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

let attached = 0;
async function attach(file: string): Promise<string> {
  const alias = `db${attached++}`;
  await db.conn.run(`ATTACH '${file}' AS ${alias} (READ_ONLY)`);
  return alias;
}

/** Measurement name → the DuckDB types its series may have. */
async function expectedTypes(f: Fixture): Promise<Map<string, Set<string>>> {
  const reader = await TsFileReader.open(f.tsfile, { threads: 0 });
  const byName = new Map<string, Set<string>>();
  for (const d of await reader.devices()) {
    for (const s of await reader.timeseries(d.path)) {
      if (!byName.has(s.measurement)) byName.set(s.measurement, new Set());
      byName.get(s.measurement)!.add(s.dataType);
    }
  }
  await reader.close();
  return new Map([...byName].map(([m, types]) => [m, new Set([...types].map((t) => duckTypeOf(t, 'TIMESTAMP_MS')))]));
}

describe.skipIf(!HAVE_SHARED)('the DuckDB sink loads every fixture exactly', () => {
  for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
    it(`${f.group}/${f.name}`, async () => {
      const file = join(dir, `${f.group}-${f.name}.duckdb`);
      const sink = await DuckDBSink.open({ path: file, table: 'points' });
      const status = await pipe({ source: { paths: [f.tsfile] }, sink, segmentBatches: 16 }).start();
      expect(status.state, String(status.error)).toBe('done');
      const alias = await attach(file);
      const got = await readCanonical(db.conn, `${alias}.points`, { deviceColumn: 'device' });
      expect(got.types.get('device')).toBe('VARCHAR');
      expect(got.types.get('time')).toBe('TIMESTAMP_MS');
      const want = await expectedTypes(f);
      for (const [name, type] of got.types) {
        if (name === 'device' || name === 'time') continue;
        const plain = name.replace(/:[A-Z0-9]+$/, '');
        expect(want.has(plain), name).toBe(true);
        // The first type seen keeps the plain name; another type of the same name gets "name:TYPE".
        if (name === plain) expect([...want.get(plain)!], name).toContain(type);
        else expect(type, name).toBe(duckTypeOf(name.slice(plain.length + 1), 'TIMESTAMP_MS'));
        if (want.get(plain)!.size === 1) expect(name, 'no second column for a single type').toBe(plain);
      }
      expect(got.rows).toBe(status.rowsRead);
      const expected = csvLines(expectedCsv(f)!);
      expect(got.lines.length).toBe(expected.length);
      expect(got.lines.join('\n')).toBe(expected.join('\n'));
      const labels = (await db.conn.runAndReadAll(`SELECT count(*), sum(rows) FROM ${alias}.${LABELS_TABLE}`)).getRows()[0]!;
      expect(Number(labels[1])).toBe(status.rowsRead);
      await db.conn.run(`DETACH ${alias}`);
    }, 60_000);
  }
});

describe.skipIf(!HAVE_SHARED)('transactions', () => {
  const f = () => listFixtures('java').find((x) => x.name === 'aligned_all_types')!;

  it('a rolled-back segment leaves nothing, a committed one is found by its label', async () => {
    const file = join(dir, 'txn.duckdb');
    const sink = await DuckDBSink.open({ path: file });
    const reader = await TsFileReader.open(f().tsfile);
    const batches = [];
    for await (const b of reader.scan({ batchRows: 500 })) batches.push(b);
    await reader.close();
    sink.useLabel('seg-a');
    await sink.write(batches[0]!);
    await sink.abort();
    expect(await sink.settle('seg-a')).toBe('absent');
    sink.useLabel('seg-b');
    await sink.write(batches[0]!);
    await sink.write(batches[1]!);
    await sink.flush();
    expect(await sink.settle('seg-b')).toBe('committed');
    const n = (await sink.connection.runAndReadAll('SELECT count(*) FROM tsfile')).getRows()[0]![0];
    expect(Number(n)).toBe(batches[0]!.batch.numRows + batches[1]!.batch.numRows);
    await sink.close();
  });

  it('adds columns when later devices bring new measurements, and refuses a type clash it cannot name', async () => {
    const file = join(dir, 'grow.duckdb');
    const both = listFixtures('java').find((x) => x.name === 'aligned_and_nonaligned')!;
    const sink = await DuckDBSink.open({ path: file });
    const status = await pipe({ source: { paths: [both.tsfile] }, sink }).start();
    expect(status.state).toBe('done');
    const again = await DuckDBSink.open({ path: file });
    const got = await readCanonical(again.connection, 'tsfile', { deviceColumn: 'device' });
    expect(got.lines).toEqual(csvLines(expectedCsv(both)!));
    await again.close();
  });
});
