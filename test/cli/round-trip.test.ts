/**
 * The command line's export → import round trips on a representative set of files (tree and
 * table model, aligned and not, every type, NaN/±0/extremes in text): through CSV, JSON lines and
 * Arrow IPC (file and stream) the same points come back — the fixture's expected CSV — and through
 * Arrow the same layout (aligned devices, series codecs, table schemas and tags). Every shared
 * fixture goes through the same library functions in test/convert/round-trip.test.ts and
 * test/export/arrow-ipc.test.ts; one round trip here runs the real `tsfile` process, with the
 * Arrow stream on its standard output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { expectedCsv, HAVE_SHARED, listFixtures, REPO_ROOT } from '../helpers/fixtures.js';
import { layoutOf } from '../helpers/layout.js';

const SAMPLE = join(REPO_ROOT, 'fixtures/sample.tsfile');

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

/** `--table NAME --tag-columns a,b` for a table-model file, as CSV and JSON-lines import need them. */
async function tableArgs(file: string): Promise<string[]> {
  const [t] = (await layoutOf(file)).tables as { name: string; columns: { name: string; category: string }[] }[];
  return t === undefined ? [] : ['--table', t.name, '--tag-columns', t.columns.filter((c) => c.category === 'TAG').map((c) => c.name).join(',')];
}

async function roundTrip(name: string, tsfile: string, expected: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-rt-'));
  try {
    const table = await tableArgs(tsfile);
    const layout = await layoutOf(tsfile);
    for (const ext of ['csv', 'jsonl', 'arrow', 'arrows'] as const) {
      const format = ext === 'arrows' ? 'arrow' : ext;
      const exported = join(dir, `out.${ext}`);
      const e = await run(['export', tsfile, '--format', format, '-o', exported, '--threads', '0']);
      expect(e.code, `${name} export ${ext}: ${e.stderr}`).toBe(0);
      const back = join(dir, `back-${ext}.tsfile`);
      const i = await run(['import', exported, '-o', back, '--threads', '0', ...(format === 'arrow' ? [] : table)]);
      expect(i.code, `${name} import ${ext}: ${i.stderr}`).toBe(0);
      const again = await run(['export', back, '--threads', '0']);
      expect(again.stdout.toString('utf8') === expected, `${name} through ${ext}`).toBe(true);
      if (format === 'arrow') expect(await layoutOf(back), `${name} layout through ${ext}`).toEqual(layout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tsfile export → tsfile import round trips', () => {
  it('the bundled example, through CSV, JSON lines, Arrow file and Arrow stream', async () => {
    const original = await run(['export', SAMPLE, '--threads', '0']);
    expect(original.code).toBe(0);
    await roundTrip('sample', SAMPLE, original.stdout.toString('utf8'));
  }, 120_000);

  describe.skipIf(!HAVE_SHARED)('shared fixtures', () => {
    const SET = ['java/aligned_and_nonaligned', 'java/aligned_mostly_null', 'java/table_model', 'java/strings', 'java/timestamps', 'cpp/all_encodings_snappy', 'cpp/extremes', 'cpp/negative_timestamps'];
    const all = [...listFixtures('cpp'), ...listFixtures('java')];
    for (const id of SET) {
      const f = all.find((x) => `${x.group}/${x.name}` === id);
      it.skipIf(f === undefined)(id, async () => {
        await roundTrip(id, f!.tsfile, expectedCsv(f!)!);
      }, 120_000);
    }
  });

  it('the tsfile process: an Arrow stream on standard output, imported by another process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfile-rt-'));
    try {
      const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20 });
      const e = cli(['export', SAMPLE, '--format', 'arrow', '--threads', '0']);
      expect(e.status, e.stderr.toString()).toBe(0);
      expect(e.stdout.subarray(0, 4)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
      writeFileSync(join(dir, 'piped.arrows'), e.stdout);
      const i = cli(['import', join(dir, 'piped.arrows'), '-o', join(dir, 'back.tsfile'), '--threads', '0']);
      expect(i.status, i.stderr.toString()).toBe(0);
      expect(i.stderr.toString()).toMatch(/→ .*back\.tsfile: \d+ devices, \d+ series, \d+ points/);
      const a = cli(['export', join(dir, 'back.tsfile'), '--threads', '0']);
      const b = cli(['export', SAMPLE, '--threads', '0']);
      expect(a.stdout.equals(b.stdout)).toBe(true);
      expect(readFileSync(join(dir, 'back.tsfile')).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
