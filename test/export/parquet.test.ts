/**
 * Parquet export checked through the real DuckDB: for every shared fixture, `read_parquet` of our
 * export gives back the fixture's CSV (count, DESCRIBE types, every value), plus layouts,
 * compressions, bounded row groups and the refusals.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportParquet, type ParquetFileOutput } from '../../src/export/parquet.js';
import { atomicFile, parquetDirectory } from '../../src/export/atomic-file.js';
import { TIME_UNIT_KEY } from '../../src/export/parquet-layout.js';
import { TsFileError } from '../../src/io/errors.js';
import { openAsBlob } from 'node:fs';
import { importParquet } from '../../src/convert/import-parquet.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { MemorySink } from '../../src/writer/sink.js';
import { expectedCsv, HAVE_SHARED, listFixtures, type Fixture } from '../helpers/fixtures.js';
import { csvLines, duckTypeOf, memoryDuckDB, readCanonical } from '../helpers/duckdb.js';
import type { DuckDBConnection } from '@duckdb/node-api';

const MAX_MICROS_SAFE_MS = 9_223_372_036_854_775n;
let dir: string;
let db: Awaited<ReturnType<typeof memoryDuckDB>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsfile-parquet-'));
  db = await memoryDuckDB();
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** What DuckDB must report for each column, from the reader's index and the time ranges. */
async function expectedTypes(reader: TsFileReader, devices: string[]): Promise<{ columns: Map<string, string>; time: string }> {
  const columns = new Map<string, Set<string>>();
  let lo = 0n;
  let hi = 0n;
  const stamps = new Map<string, [bigint, bigint]>();
  for (const d of devices) {
    for (const s of await reader.timeseries(d)) {
      if (s.points > 0) {
        if (s.startTime < lo) lo = s.startTime;
        if (s.endTime > hi) hi = s.endTime;
      }
      if (s.dataType === 'TIMESTAMP' && s.points > 0) {
        const st = s.statistics as unknown as { min: bigint; max: bigint };
        const [a, b] = stamps.get(s.measurement) ?? [0n, 0n];
        stamps.set(s.measurement, [st.min < a ? st.min : a, st.max > b ? st.max : b]);
      }
      if (!columns.has(s.measurement)) columns.set(s.measurement, new Set());
      columns.get(s.measurement)!.add(s.dataType);
    }
  }
  const fits = (a: bigint, b: bigint) => a >= -MAX_MICROS_SAFE_MS && b <= MAX_MICROS_SAFE_MS;
  const out = new Map<string, string>();
  for (const [m, types] of columns) {
    const [a, b] = stamps.get(m) ?? [0n, 0n];
    for (const t of types) out.set(types.size > 1 ? `${m}:${t}` : m, duckTypeOf(t, fits(a, b) ? 'TIMESTAMP' : 'BIGINT'));
  }
  return { columns: out, time: fits(lo, hi) ? 'TIMESTAMP' : 'BIGINT' };
}

async function checkFixture(conn: DuckDBConnection, f: Fixture): Promise<void> {
  const reader = await TsFileReader.open(f.tsfile, { threads: 0 });
  try {
    const devices = await reader.devices();
    const table = devices.some((d) => d.model === 'table');
    const out = join(dir, `${f.group}-${f.name}`);
    const target = table ? parquetDirectory(out) : await atomicFile(`${out}.parquet`);
    const result = await exportParquet(reader, target, { compression: 'zstd' });
    if (!table) await (target as ParquetFileOutput).commit();
    const lines: string[] = [];
    let rows = 0;
    for (const t of result.tables) {
      const file = t.path ?? `${out}.parquet`;
      const members = devices.filter((d) => (table ? d.table === t.name : true));
      const tags = table ? reader.metadata.tableSchemas.get(t.name)!.columns.filter((c) => c.category === 0).map((c) => c.name) : [];
      const got = await readCanonical(conn, `read_parquet(${sqlString(file)})`, table ? { table: t.name, tags } : { deviceColumn: 'device' });
      const want = await expectedTypes(reader, members.map((d) => d.path));
      expect(got.types.get('time')).toBe(want.time);
      if (!table) expect(got.types.get('device')).toBe('VARCHAR');
      for (const tag of tags) expect(got.types.get(tag)).toBe('VARCHAR');
      for (const [m, ty] of want.columns) expect(got.types.get(m), m).toBe(ty);
      expect(got.types.size).toBe(want.columns.size + 1 + (table ? tags.length : 1));
      expect(got.rows).toBe(t.rows);
      for (const l of got.lines) lines.push(l);
      rows += got.rows;
    }
    expect(rows).toBe(result.rows);
    const expected = csvLines(expectedCsv(f)!);
    expect(lines.length).toBe(expected.length);
    expect(lines.join('\n')).toBe(expected.join('\n'));
    // And back: each Parquet file imported into a TsFile gives the same canonical CSV.
    const back: string[] = [];
    for (const t of result.tables) {
      const sink = new MemorySink();
      const writer = await TsFileWriter.open(sink);
      await importParquet(await openAsBlob(t.path ?? `${out}.parquet`), writer, table ? { table: t.name } : {});
      await writer.close();
      const r = await TsFileReader.open(sink.bytes(), { threads: 0 });
      const csv = new StringSink();
      await exportCsv(r, csv);
      await r.close();
      for (const l of csvLines(csv.toString())) back.push(l);
    }
    expect(back.join('\n')).toBe(expected.join('\n'));
  } finally {
    await reader.close();
  }
}

describe.skipIf(!HAVE_SHARED)('read_parquet of the export equals every fixture', () => {
  const all = [...listFixtures('cpp'), ...listFixtures('java')];
  for (const f of all) {
    it(`${f.group}/${f.name}`, async () => {
      await checkFixture(db.conn, f);
    }, 60_000);
  }
});

describe.skipIf(!HAVE_SHARED)('layouts, compressions and row groups', () => {
  const [java] = [listFixtures('java')];
  const byName = (n: string) => java.find((f) => f.name === n)!;

  it('per-device layout writes one file per device, each with that device\'s rows', async () => {
    const f = byName('aligned_and_nonaligned');
    const out = join(dir, 'per-device');
    const r = await exportParquet([f.tsfile], parquetDirectory(out), { layout: 'per-device', compression: 'snappy' });
    const reader = await TsFileReader.open(f.tsfile);
    const devices = (await reader.devices()).map((d) => d.path);
    await reader.close();
    expect(r.tables.map((t) => t.name)).toEqual([...devices].sort());
    const lines: string[] = [];
    for (const t of r.tables) {
      const got = await readCanonical(db.conn, `read_parquet(${sqlString(t.path!)})`, { device: t.name });
      expect(got.types.has('device')).toBe(false);
      lines.push(...got.lines);
    }
    const expected = csvLines(expectedCsv(f)!);
    expect(lines.sort().join('\n')).toBe([...expected].sort().join('\n'));
    expect(readdirSync(out).every((n) => n.endsWith('.parquet'))).toBe(true);
  }, 60_000);

  it('writes each compression DuckDB names in the file metadata, and bounded row groups', async () => {
    const f = listFixtures('cpp').find((x) => x.name === 'many_pages')!;
    for (const [c, name] of [['zstd', 'ZSTD'], ['snappy', 'SNAPPY'], ['uncompressed', 'UNCOMPRESSED']] as const) {
      const file = join(dir, `many_pages_${c}.parquet`);
      const out = await atomicFile(file);
      const r = await exportParquet([f.tsfile], out, { compression: c, rowGroupRows: 30_000 });
      await out.commit();
      const meta = (await db.conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata(${sqlString(file)})`)).getRows().map((x) => String(x[0]));
      expect(meta).toEqual([name]);
      const groups = (await db.conn.runAndReadAll(`SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata(${sqlString(file)}) GROUP BY 1`)).getRows();
      expect(groups.length).toBe(Math.ceil(r.rows / 30_000));
      for (const g of groups) expect(Number(g[1])).toBeLessThanOrEqual(30_000);
    }
  }, 60_000);

  it('keeps times beyond the microsecond range as Int64 with their unit, refuses nothing silently', async () => {
    const f = listFixtures('cpp').find((x) => x.name === 'extreme_timestamps')!;
    const file = join(dir, 'extreme.parquet');
    const out = await atomicFile(file);
    await exportParquet([f.tsfile], out, {});
    await out.commit();
    const pw = await import('parquet-wasm');
    const { tableFromIPC } = await import('apache-arrow');
    const t = tableFromIPC(pw.readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
    const time = t.schema.fields.find((x) => x.name === 'time')!;
    expect(String(time.type)).toBe('Int64');
    expect(time.metadata.get(TIME_UNIT_KEY)).toBe('ms');
  }, 60_000);

  it('a selection of devices, measurements and a time range', async () => {
    const f = byName('aligned_all_types');
    const file = join(dir, 'selection.parquet');
    const out = await atomicFile(file);
    const r = await exportParquet([f.tsfile], out, { measurements: ['c2_int64'], startTime: 1700000010000n, endTime: 1700000019000n });
    await out.commit();
    const got = await readCanonical(db.conn, `read_parquet(${sqlString(file)})`, { deviceColumn: 'device' });
    const expected = csvLines(expectedCsv(f)!).filter((l) => {
      const [, m, t] = l.split(',');
      return m === 'c2_int64' && BigInt(t!) >= 1700000010000n && BigInt(t!) <= 1700000019000n;
    });
    expect(got.lines).toEqual(expected);
    expect(r.rows).toBeGreaterThanOrEqual(expected.length);
  }, 60_000);

  it('refuses several tables into one byte sink, and a failed export leaves no file', async () => {
    const f = byName('aligned_and_nonaligned');
    const sink = { write: () => undefined };
    await expect(exportParquet([f.tsfile], sink, { layout: 'per-device' })).rejects.toThrow(TsFileError);
    const file = join(dir, 'keep.parquet');
    writeFileSync(file, 'precious');
    const out = await atomicFile(file);
    const controller = new AbortController();
    controller.abort();
    await expect(exportParquet([f.tsfile], out, { signal: controller.signal })).rejects.toThrow();
    await out.discard();
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(readdirSync(dir).filter((n) => n.startsWith('keep.parquet.'))).toEqual([]);
    expect(existsSync(file)).toBe(true);
  }, 60_000);
});
