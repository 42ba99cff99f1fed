/**
 * Exactly once across crashes: `tsfile load --to duckdb:` killed with SIGKILL at random moments and
 * run again until it finishes ends with exactly the input in DuckDB — nothing lost, nothing twice.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedCsv, HAVE_SHARED, listFixtures, REPO_ROOT } from '../../helpers/fixtures.js';
import { csvLines, memoryDuckDB, readCanonical } from '../../helpers/duckdb.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Source batches the checkpoint records as loaded (0 before the first commit). */
function committed(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { done: number }> };
    return Object.values(data.files).reduce((a, f) => a + f.done, 0);
  } catch {
    return 0;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tsfile-duckdb-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE_SHARED)('a DuckDB load killed at random points', () => {
  it('resumes to exactly the input', async () => {
    const files = [listFixtures('java').find((f) => f.name === 'many_devices_5000')!, listFixtures('java').find((f) => f.name === 'aligned_all_types')!];
    const db = join(dir, 'killed.duckdb');
    const checkpoint = join(dir, 'load.json');
    const args = ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'load', ...files.map((f) => f.tsfile), '--to', `duckdb:${db}?table=points`, '--checkpoint', checkpoint, '--segment-batches', '40'];
    const rnd = prng(20261204);
    let kills = 0;
    let finished = false;
    let summary = '';
    for (let round = 0; round < 12 && !finished; round++) {
      const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<[number | null, string | null]>((r) => child.once('exit', (code, signal) => r([code, signal])));
      if (round < 5) {
        // Wait until this run has committed a segment of its own (the checkpoint moved on), then kill
        // at a random moment: mid-segment, mid-commit or between segments.
        const started = Date.now();
        const before = committed(checkpoint);
        while (committed(checkpoint) <= before && Date.now() - started < 120_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, rnd() * 400));
        if (child.exitCode === null) {
          child.kill('SIGKILL');
          kills++;
        }
      }
      const [code, signal] = await exited;
      if (signal === null) {
        expect(code, stderr).toBe(0);
        finished = true;
        summary = stderr;
      }
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThan(0);
    // The last run resumed from what earlier runs had committed.
    expect(summary).toMatch(/rows already loaded \(checkpoint\)/);
    const duck = await memoryDuckDB();
    try {
      await duck.conn.run(`ATTACH '${db}' AS k (READ_ONLY)`);
      const got = await readCanonical(duck.conn, 'k.points', { deviceColumn: 'device' });
      const expected = files.flatMap((f) => csvLines(expectedCsv(f)!));
      const order = (l: string[]) => [...l].sort();
      expect(got.lines.length).toBe(expected.length);
      expect(order(got.lines)).toEqual(order(expected));
    } finally {
      duck.close();
    }
  }, 300_000);
});
