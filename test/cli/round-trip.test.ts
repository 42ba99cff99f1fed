/**
 * Every shared fixture and the bundled example, exported and imported again through CSV, JSON lines
 * and Arrow IPC with the command line: the same points come back (compared as the canonical CSV),
 * and through Arrow the same layout (aligned devices, table-model tables and tags).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ColumnCategory } from '../../src/format/codes.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

async function run(argv: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errs: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errs.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks), stderr: Buffer.concat(errs).toString('utf8') };
}

async function layout(file: string): Promise<{ tableArgs: string[]; devices: unknown[] }> {
  const reader = await TsFileReader.open(file, { threads: 0 });
  try {
    const [entry] = [...reader.metadata.tableSchemas];
    const tableArgs = entry === undefined ? [] : ['--table', entry[0], '--tag-columns', entry[1].columns.filter((c) => c.category === ColumnCategory.TAG).map((c) => c.name).join(',')];
    const devices = (await reader.devices()).map((d) => ({ path: d.path, model: d.model, aligned: d.aligned, ...(d.model === 'table' ? { table: d.table, tags: d.tags } : {}) }));
    return { tableArgs, devices };
  } finally {
    await reader.close();
  }
}

async function roundTrip(name: string, tsfile: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-rt-'));
  try {
    const original = await run(['export', tsfile, '--threads', '0']);
    expect(original.code, original.stderr).toBe(0);
    const { tableArgs, devices } = await layout(tsfile);
    for (const format of ['csv', 'jsonl', 'arrow'] as const) {
      const exported = join(dir, `out.${format}`);
      const e = await run(['export', tsfile, '--format', format, '-o', exported, '--threads', '0']);
      expect(e.code, `${name} export ${format}: ${e.stderr}`).toBe(0);
      const back = join(dir, `back-${format}.tsfile`);
      const i = await run(['import', exported, '-o', back, '--threads', '0', ...(format === 'arrow' ? [] : tableArgs)]);
      expect(i.code, `${name} import ${format}: ${i.stderr}`).toBe(0);
      const again = await run(['export', back, '--threads', '0']);
      expect(again.stdout.equals(original.stdout), `${name} through ${format}`).toBe(true);
      if (format === 'arrow') expect((await layout(back)).devices, `${name} layout through arrow`).toEqual(devices);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('export → import round trips', () => {
  it('the bundled example, through CSV, JSON lines and Arrow', async () => {
    await roundTrip('sample', join(import.meta.dirname, '../../fixtures/sample.tsfile'));
  }, 60_000);

  describe.skipIf(!HAVE_SHARED)('every shared fixture', () => {
    // The two 5000-device files take minutes through three formats on 2 cores: their CSV import is
    // covered by test/convert/import.test.ts.
    for (const f of [...listFixtures('cpp'), ...listFixtures('java')].filter((x) => !x.name.startsWith('many_devices'))) {
      it(`${f.group}/${f.name}`, async () => {
        await roundTrip(f.name, f.tsfile);
      }, 120_000);
    }
  });
});
