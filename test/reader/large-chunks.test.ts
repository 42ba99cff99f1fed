/**
 * Memory flat in the chunk size: a file whose chunk groups are ~100 MB each (written on the fly,
 * deleted afterwards; times past 2^33 ms) is scanned in a child process, inline and on the pool,
 * and every value comes back (an exact checksum, times in order) while the child's peak RSS stays
 * under 256 MB — reading such a group whole held 386 MB inline and 432 MB pooled. Rewriting it
 * with the default writer settings (64 MiB chunk groups) stays under the same bound, and the
 * rewritten file holds every value (assembling each chunk group whole before writing it held 340 MB).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures.js';

const CHILD = join(REPO_ROOT, 'test/reader/large-chunks-child.ts');
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const RSS_HOOK = join(REPO_ROOT, 'test/helpers/report-rss.mjs');
const POINTS = 3_000_000;
const GROUPS = 2;
const dir = mkdtempSync(join(tmpdir(), 'tsfile-large-chunks-'));
const file = join(dir, 'large-chunks.tsfile');
const rewritten = join(dir, 'rewritten.tsfile');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same value rule the child writes with. */
const value = (series: number, i: number) => ((i * (series + 3)) % 1000) - 500;

function expected(): { rows: number; checksum: number } {
  let checksum = 0;
  for (let i = 0; i < GROUPS * POINTS; i++) checksum += value(0, i) + value(1, i) + value(2, i);
  for (let i = 0; i < POINTS; i++) checksum += value(3, i) + value(4, i);
  return { rows: GROUPS * POINTS + POINTS, checksum };
}

/** Whether dist/ holds a build at least as new as every source file (always so after `npm ci`). */
function buildIsCurrent(): boolean {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(join(REPO_ROOT, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .every((f) => {
      const out = join(REPO_ROOT, 'dist', f.slice(REPO_ROOT.length + 1).replace(/\.ts$/, '.js'));
      return existsSync(out) && statSync(out).mtimeMs >= statSync(f).mtimeMs;
    });
}
const BUILD = buildIsCurrent() ? join(REPO_ROOT, 'dist') : undefined;
if (BUILD === undefined) console.warn('dist/ is older than src/: the large-chunk scans run from sources, whose pool threads also load the TypeScript loader');

// Children run asynchronously: the test worker must keep answering the test runner meanwhile.
const run = promisify(execFile);

async function child(...args: string[]): Promise<string> {
  const env = { ...process.env, ...(BUILD === undefined ? {} : { TSFILE_BUILD: BUILD }) };
  return (await run(TSX, [CHILD, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', maxBuffer: 1 << 20, timeout: 300_000 })).stdout;
}

/** Peak RSS allowed: 256 MB; from sources, pool threads each also carry the TypeScript loader (~90 MB measured). */
const rssBound = (threads: number) => 256 * 1024 * 1024 + (BUILD === undefined ? threads * 96 * 1024 * 1024 : 0);

describe('large chunk groups', () => {
  it('are written (hundreds of MB)', async () => {
    await child('write', file, String(POINTS));
    expect(statSync(file).size).toBeGreaterThan(150 * 1024 * 1024);
  }, 300_000);

  for (const threads of [0, 2]) {
    it(`scan with threads ${threads}: every value, in order, peak RSS < 256 MB`, async () => {
      const r = JSON.parse(await child('scan', file, String(threads))) as { rows: number; checksum: number; ordered: boolean; maxRssBytes: number };
      const e = expected();
      expect(r.rows).toBe(e.rows);
      expect(r.checksum).toBe(e.checksum);
      expect(r.ordered).toBe(true);
      expect(r.maxRssBytes).toBeLessThan(rssBound(threads));
    }, 300_000);
  }

  it('rewrite with the default settings (the CLI as users run it): peak RSS < 256 MB, every value in the new file', async () => {
    // From the build, `node dist/src/cli/main.js`; else the CLI's sources through tsx (whose loader adds to the RSS).
    const cli = BUILD === undefined ? ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts')] : [join(BUILD, 'src/cli/main.js')];
    const { stderr } = await run(process.execPath, ['--import', RSS_HOOK, ...cli, 'rewrite', file, rewritten], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
    const rss = Number(/maxRSS (\d+)\s*$/.exec(stderr)?.[1]);
    expect(rss).toBeLessThan(rssBound(0) + (BUILD === undefined ? 96 * 1024 * 1024 : 0));
    const e = expected();
    const r = JSON.parse(await child('scan', rewritten, '0')) as { rows: number; checksum: number; ordered: boolean };
    expect(r.rows).toBe(e.rows);
    expect(r.checksum).toBe(e.checksum);
    expect(r.ordered).toBe(true);
  }, 300_000);
});
