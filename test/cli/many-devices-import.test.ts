/**
 * The command line on a file of 5000 devices (10 000 series): `tsfile export` to CSV and JSON lines,
 * `tsfile import` back — as exported, and with every CSV row shuffled and a sort buffer so small that
 * sorted runs spill to disk many times — gives the fixture's expected CSV, and leaves no temporary file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errs: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errs.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') };
}

/** The rows after the header in a fixed pseudo-random order (xorshift Fisher–Yates). */
function shuffled(csv: string): string {
  const [header, ...rows] = csv.trimEnd().split('\n');
  let s = 0x2545f491;
  for (let i = rows.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return `${header}\n${rows.join('\n')}\n`;
}

const fixture = listFixtures('java').find((f) => f.name === 'many_devices_5000');

describe.skipIf(!HAVE_SHARED || fixture === undefined)('tsfile export → tsfile import of 5000 devices', () => {
  it('through CSV as exported, CSV shuffled with runs spilled, and JSON lines', async () => {
    const f = fixture!;
    const want = expectedCsv(f)!;
    const dir = mkdtempSync(join(tmpdir(), 'tsfile-many-'));
    const temp = mkdtempSync(join(tmpdir(), 'tsfile-many-sort-'));
    const savedTmp = process.env.TMPDIR;
    try {
      const csv = join(dir, 'out.csv');
      const e = await run(['export', f.tsfile, '-o', csv, '--threads', '0']);
      expect(e.code, e.stderr).toBe(0);
      expect(readFileSync(csv, 'utf8') === want, 'the export itself').toBe(true);
      const jsonl = join(dir, 'out.jsonl');
      expect((await run(['export', f.tsfile, '--format', 'jsonl', '-o', jsonl, '--threads', '0'])).code).toBe(0);
      const mixed = join(dir, 'shuffled.csv');
      writeFileSync(mixed, shuffled(want));
      const cases: [string, string, string[]][] = [
        ['csv', csv, []],
        ['shuffled csv', mixed, ['--sort-buffer', '1000']],
        ['jsonl', jsonl, []],
      ];
      // Sorted runs go to the system temporary directory: here, one of the test's own.
      process.env.TMPDIR = temp;
      for (const [name, input, extra] of cases) {
        const back = join(dir, `back-${name.replace(' ', '-')}.tsfile`);
        const i = await run(['import', input, '-o', back, '--threads', '0', ...extra]);
        expect(i.code, `${name}: ${i.stderr}`).toBe(0);
        expect(i.stderr).toContain(': 5000 devices, 10000 series, 30000 points');
        const again = await run(['export', back, '--threads', '0']);
        expect(again.stdout === want, `${name}: the same points`).toBe(true);
      }
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(dir, { recursive: true, force: true });
      rmSync(temp, { recursive: true, force: true });
    }
  }, 180_000);
});
