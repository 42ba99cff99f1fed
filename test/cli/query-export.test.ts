/** `tsfile export --paths … --where …`: the wide, time-aligned query result in every export format, against the outer join of the expected CSV. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadParquetWasm } from '../../src/export/parquet-writer.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { expectedRows, parseCsv, type RefFilter, rowsOfBatches, seriesOfCsv } from '../helpers/outer-join.js';

async function run(argv: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks), stderr: Buffer.concat(errChunks).toString('utf8') };
}

const dir = mkdtempSync(join(tmpdir(), 'tsfile-cli-query-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE_SHARED)('tsfile export --paths --where', () => {
  const f = HAVE_SHARED ? listFixtures('java').find((x) => x.name === 'aligned_and_nonaligned')! : undefined;
  const paths = ['root.jv.mixed.dev0.temperature', 'root.jv.mixed.dev1.count', 'root.jv.mixed.dev2.status'];
  const types: Record<string, string> = { temperature: 'FLOAT', count: 'INT32', status: 'TEXT' };
  const typeOf = (p: string) => types[p.slice(p.lastIndexOf('.') + 1)]!;
  // 1700000100000 ms = 2023-11-14T22:15:00Z.
  const where = "root.jv.mixed.dev1.count > 400 or root.jv.mixed.dev2.status = 'warn' and time >= 2023-11-14T22:15:00Z";
  const ref: RefFilter = {
    op: 'or',
    args: [
      { op: '>', path: 'root.jv.mixed.dev1.count', value: '400' },
      { op: 'and', args: [{ op: '=', path: 'root.jv.mixed.dev2.status', value: 'warn' }, { op: '>=', path: 'time', value: '1700000100000' }] },
    ],
  };
  const expected = () => expectedRows(seriesOfCsv(expectedCsv(f!)!), paths, typeOf, { filter: ref, end: 1700000300000n });
  const base = () => ['export', f!.tsfile, '--paths', paths.join(','), '--where', where, '--end-time', '1700000300000'];

  it('csv: header time,<paths>, a row per aligned time, nulls empty', async () => {
    const r = await run([...base(), '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout.toString('utf8'));
    expect(header).toEqual(['time', ...paths]);
    const want = expected();
    expect(want.length).toBeGreaterThan(20);
    expect(rows.map((cells) => cells.map((c) => (c === '' ? '∅' : c)).join('|'))).toEqual(want);
  });

  it('jsonl, arrow and parquet hold the same rows', async () => {
    const want = expected();
    const jl = await run([...base(), '--format', 'jsonl']);
    expect(jl.code).toBe(0);
    const lines = jl.stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((o) => [String(o.time), ...paths.map((p) => (o[p] === undefined ? '∅' : String(o[p])))].join('|'))).toEqual(want);

    const arrow = await run([...base(), '--format', 'arrow']);
    expect(arrow.code).toBe(0);
    expect(rowsOfBatches(tableFromIPC(arrow.stdout).batches)).toEqual(want);

    const out = join(dir, 'q.parquet');
    const pq = await run([...base(), '--format', 'parquet', '-o', out]);
    expect(pq.code).toBe(0);
    const pw = await loadParquetWasm();
    const table = tableFromIPC(pw.readParquet(new Uint8Array(readFileSync(out))).intoIPCStream());
    expect(table.schema.fields.map((x) => x.name)).toEqual(['time', ...paths]);
    expect(table.numRows).toBe(want.length);
  });

  it('epoch or ISO-8601 in every time option', async () => {
    const iso = await run(['export', f!.tsfile, '--paths', paths[1]!, '--start-time', '2023-11-14T22:13:20Z', '--end-time', '2023-11-14T22:13:25.000Z']);
    const epoch = await run(['export', f!.tsfile, '--paths', paths[1]!, '--start-time', '1700000000000', '--end-time', '1700000005000']);
    expect(iso.code).toBe(0);
    expect(iso.stdout.toString()).toBe(epoch.stdout.toString());
    expect(iso.stdout.toString().trim().split('\n').length).toBe(1 + 6);
    // The long export takes ISO times too.
    const long = await run(['export', f!.tsfile, '--devices', 'root.jv.mixed.dev1', '--measurements', 'count', '--start-time', '2023-11-14T22:13:20Z', '--end-time', '2023-11-14T22:13:25Z']);
    expect(long.code).toBe(0);
    expect(long.stdout.toString().trim().split('\n').length).toBe(1 + 6);
  });

  it('arrow: the IPC file format for a .arrow output, the stream format otherwise', async () => {
    const want = expected();
    const out = join(dir, 'q.arrow');
    const r = await run([...base(), '--format', 'arrow', '-o', out]);
    expect(r.code).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1');
    expect(bytes.subarray(bytes.length - 6).toString('latin1')).toBe('ARROW1');
    expect(rowsOfBatches(tableFromIPC(bytes).batches)).toEqual(want);
    const stream = join(dir, 'q.arrows');
    expect((await run([...base(), '--format', 'arrow', '-o', stream])).code).toBe(0);
    expect(readFileSync(stream).subarray(0, 6).toString('latin1')).not.toBe('ARROW1');
  });

  it('--time-unit: ISO times are read in it and Arrow labels it', async () => {
    // The same integers read as microseconds: 1700000000000 µs = 1970-01-20T16:13:20Z.
    const us = await run(['export', f!.tsfile, '--paths', paths[1]!, '--time-unit', 'us', '--start-time', '1970-01-20T16:13:20Z', '--end-time', '1970-01-20T16:13:20.005Z', '--format', 'arrow']);
    const epoch = await run(['export', f!.tsfile, '--paths', paths[1]!, '--start-time', '1700000000000', '--end-time', '1700000005000', '--format', 'arrow']);
    expect(us.stderr).toBe('');
    const t = tableFromIPC(us.stdout);
    expect(String(t.schema.fields[0]!.type)).toMatch(/Timestamp<MICROSECOND>/);
    expect(rowsOfBatches(t.batches)).toEqual(rowsOfBatches(tableFromIPC(epoch.stdout).batches));
    expect(t.numRows).toBe(6);
    // A fraction finer than the unit is refused, never rounded; the long export takes the option too.
    const fine = await run(['export', f!.tsfile, '--paths', paths[1]!, '--start-time', '2023-11-14T22:13:20.0005Z']);
    expect(fine.code).toBe(2);
    expect(fine.stderr).toMatch(/^tsfile export: --start-time .*--time-unit ms.*\n$/);
    const long = await run(['export', f!.tsfile, '--devices', 'root.jv.mixed.dev1', '--measurements', 'count', '--time-unit', 'ns', '--start-time', '1970-01-01T00:28:20Z', '--end-time', '1970-01-01T00:28:20.000005Z']);
    expect(long.code).toBe(0);
    expect(long.stdout.toString().trim().split('\n').length).toBe(1 + 6);
    const bad = await run(['export', f!.tsfile, '--time-unit', 's']);
    expect(bad.code).toBe(2);
  });

  it('strict errors: unknown path (exit 1), malformed --where naming the position (exit 2), bad times (exit 2)', async () => {
    const unknown = await run(['export', f!.tsfile, '--paths', 'root.jv.mixed.dev9.count']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^tsfile export: no series "root\.jv\.mixed\.dev9\.count" in the file.*\n$/);
    const bad = await run(['export', f!.tsfile, '--paths', paths[0]!, '--where', 'root.jv.mixed.dev1.count >']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tsfile export: .*position 27.*\n$/);
    const time = await run(['export', f!.tsfile, '--paths', paths[0]!, '--start-time', '2024-02-30']);
    expect(time.code).toBe(2);
    expect(time.stderr.split('\n').length).toBe(2);
    const mixed = await run(['export', f!.tsfile, '--paths', paths[0]!, '--devices', 'root.jv.mixed.dev0']);
    expect(mixed.code).toBe(2);
    const whereAlone = await run(['export', f!.tsfile, '--where', 'time > 0']);
    expect(whereAlone.code).toBe(2);
  });
});
