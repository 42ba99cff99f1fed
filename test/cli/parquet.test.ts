/** `tsfile export --format parquet` (and the other Parquet and DuckDB commands) through the CLI entry. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { csvLines, memoryDuckDB, readCanonical } from '../helpers/duckdb.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8') };
}

const dir = mkdtempSync(join(tmpdir(), 'tsfile-cli-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (group: string, name: string) => listFixtures(group).find((f) => f.name === name)!;

describe.skipIf(!HAVE_SHARED)('tsfile export --format parquet', () => {
  it('writes one file for tree data and one per table, which DuckDB reads back as the CSV', async () => {
    const tree = fixture('java', 'aligned_and_nonaligned');
    const table = fixture('java', 'table_model');
    const out = join(dir, 'one.parquet');
    const r = await run(['export', tree.tsfile, '--format', 'parquet', '-o', out, '--compression', 'snappy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rows');
    const db = await memoryDuckDB();
    try {
      const got = await readCanonical(db.conn, `read_parquet('${out}')`, { deviceColumn: 'device' });
      expect(got.lines).toEqual(csvLines(expectedCsv(tree)!));
      const both = join(dir, 'both');
      const r2 = await run(['export', tree.tsfile, table.tsfile, '--format', 'parquet', '-o', both]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(readdirSync(both).sort()).toEqual(['sensors.parquet', 'tree.parquet']);
      const t = await readCanonical(db.conn, `read_parquet('${join(both, 'sensors.parquet')}')`, { table: 'sensors', tags: ['region', 'device_id'] });
      expect(t.lines).toEqual(csvLines(expectedCsv(table)!));
    } finally {
      db.close();
    }
  }, 60_000);

  it('needs -o, refuses a bad option, and never truncates the existing output on failure', async () => {
    const tree = fixture('java', 'aligned_and_nonaligned');
    expect((await run(['export', tree.tsfile, '--format', 'parquet'])).code).toBe(2);
    const out = join(dir, 'kept.parquet');
    writeFileSync(out, 'old');
    const bad = await run(['export', tree.tsfile, '--format', 'parquet', '-o', out, '--compression', 'lzo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--compression must be one of zstd, snappy, uncompressed');
    const none = await run(['export', tree.tsfile, '--format', 'parquet', '-o', out, '--devices', 'root.nothing.**']);
    expect(none.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  }, 60_000);
});

describe.skipIf(!HAVE_SHARED)('tsfile import x.parquet', () => {
  it('turns our Parquet export back into the same TsFile data, tree and table model', async () => {
    const tree = fixture('java', 'aligned_all_types');
    const table = fixture('java', 'table_model');
    const out = join(dir, 'rt');
    expect((await run(['export', tree.tsfile, table.tsfile, '--format', 'parquet', '-o', out])).code).toBe(0);
    for (const [file, f] of [[join(out, 'tree.parquet'), tree], [join(out, 'sensors.parquet'), table]] as const) {
      const ts = `${file}.tsfile`;
      const r = await run(['import', file, '-o', ts]);
      expect(r.code, r.stderr).toBe(0);
      expect((await run(['export', ts])).stdout).toBe(expectedCsv(f)!);
    }
  }, 60_000);

  it('reads a wide Parquet file DuckDB wrote, with tag columns naming a table', async () => {
    const db = await memoryDuckDB();
    const file = join(dir, 'duck.parquet');
    try {
      await db.conn.run(`COPY (SELECT * FROM (VALUES ('east', TIMESTAMP '2024-01-01 00:00:00.001', 1.5::FLOAT, 7::BIGINT), ('east', TIMESTAMP '2024-01-01 00:00:00.002', NULL, 8), ('west', TIMESTAMP '2024-01-01 00:00:00.001', -0.0::FLOAT, NULL)) t(site, time, temp, n)) TO '${file}' (FORMAT parquet)`);
    } finally {
      db.close();
    }
    const ts = join(dir, 'duck.tsfile');
    const r = await run(['import', file, '-o', ts, '--tag-columns', 'site', '--table', 'weather']);
    expect(r.code, r.stderr).toBe(0);
    expect((await run(['export', ts])).stdout).toBe([
      'device,measurement,time,value',
      'weather.east,n,1704067200001,7',
      'weather.east,n,1704067200002,8',
      'weather.east,temp,1704067200001,1.5',
      'weather.west,temp,1704067200001,-0',
      '',
    ].join('\n'));
    const bad = await run(['import', file, '-o', join(dir, 'bad.tsfile'), '--tag-columns', 'nope', '--table', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('tag column "nope" is not in the file');
  }, 60_000);
});

describe.skipIf(!HAVE_SHARED)('tsfile sql', () => {
  it('answers from the tree long table and a table-model table, equal to counts from the CSV', async () => {
    const tree = fixture('java', 'aligned_and_nonaligned');
    const table = fixture('java', 'table_model');
    const r = await run(['sql', 'SELECT device, count(COLUMNS(* EXCLUDE (device, time))) FROM tsfile GROUP BY device ORDER BY device', tree.tsfile, table.tsfile, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    // Non-null values per device, summed over the measurement columns.
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      .map((o) => `${String(o.device)},${Object.entries(o).filter(([k]) => k !== 'device').reduce((a, [, v]) => a + Number(v), 0)}`);
    const counts = new Map<string, number>();
    for (const l of csvLines(expectedCsv(tree)!)) counts.set(l.split(',')[0]!, (counts.get(l.split(',')[0]!) ?? 0) + 1);
    const want = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([d, n]) => `${d},${n}`);
    expect(got).toEqual(want);
    const t = await run(['sql', 'SELECT count(f_int64) AS n FROM sensors', table.tsfile, '--format', 'json']);
    expect(t.code, t.stderr).toBe(0);
    const n = csvLines(expectedCsv(table)!).filter((l) => l.split(',')[1] === 'f_int64').length;
    expect(JSON.parse(t.stdout)).toEqual({ n });
  }, 60_000);

  it('pushes a time range to the reader and still filters exactly', async () => {
    const f = fixture('java', 'aligned_all_types');
    const lines = csvLines(expectedCsv(f)!).filter((l) => l.split(',')[1] === 'c2_int64');
    const t0 = BigInt(lines[10]!.split(',')[2]!);
    const t1 = BigInt(lines[40]!.split(',')[2]!);
    const want = lines.filter((l) => { const t = BigInt(l.split(',')[2]!); return t > t0 && t <= t1; }).map((l) => l.split(',')[3]);
    const r = await run(['sql', `SELECT c2_int64 FROM tsfile WHERE time > epoch_ms(${t0}) AND time <= epoch_ms(${t1}) AND c2_int64 IS NOT NULL ORDER BY time`, f.tsfile, '--format', 'csv', '--explain-scan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1)).toEqual(want);
    const lit = await run(['sql', `SELECT count(*) FROM tsfile WHERE time BETWEEN '${new Date(Number(t0)).toISOString().replace('T', ' ').replace('Z', '')}' AND '${new Date(Number(t1)).toISOString().replace('T', ' ').replace('Z', '')}'`, f.tsfile, '--explain-scan']);
    expect(lit.code, lit.stderr).toBe(0);
    expect(lit.stderr).toMatch(new RegExp(`scan tsfile: \\d+ rows, time ${t0} \\.\\. ${t1}`));
    const total = (await run(['sql', 'SELECT count(*) FROM tsfile', f.tsfile, '--explain-scan'])).stderr;
    const scanned = (s: string) => Number(/scan tsfile: (\d+) rows/.exec(s)![1]);
    expect(scanned(lit.stderr)).toBeLessThan(scanned(total));
    const bad = await run(['sql', 'SELEC nothing', f.tsfile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does not parse');
  }, 60_000);
});
