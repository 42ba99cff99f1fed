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
