/**
 * The package as a Vite user meets it: a page importing `tsfile-arrow/native-free` (resolved through
 * the package's exports, from a node_modules link to this repository) builds with Vite and no
 * configuration, with no warning about Node built-ins and no `node:` import in the output, and the
 * built page, served from a loopback server to headless Chromium, reads a ZSTD fixture (the WASM
 * codec resolves) and a GZIP one through openUrl, matching their CSVs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { build, type Logger, type Rollup } from 'vite';
import { REPO_ROOT, expectedCsv, HAVE_SHARED } from '../helpers/fixtures.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { fixturePerCompression } from '../helpers/compression-picks.js';
import { launchChromium, RUN_BROWSER } from './browser.js';

const MAIN_JS = `import { exportCsv, openUrl, StringSink } from 'tsfile-arrow/native-free';

globalThis.readAll = async (urls) => {
  const out = [];
  for (const url of urls) {
    try {
      const reader = await openUrl(url);
      const sink = new StringSink();
      await exportCsv(reader, sink);
      await reader.close();
      out.push({ url, csv: sink.toString() });
    } catch (e) {
      out.push({ url, error: String(e?.stack ?? e) });
    }
  }
  return out;
};
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('Vite build of a page importing tsfile-arrow/native-free', () => {
  let root: string;
  let outDir: string;
  let output: Rollup.RollupOutput;
  const warnings: string[] = [];
  const parsed: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tsfile-vite-'));
    outDir = join(root, 'dist');
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO_ROOT, join(root, 'node_modules', 'tsfile-arrow'), 'dir');
    writeFileSync(join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>');
    writeFileSync(join(root, 'main.js'), MAIN_JS);
    const collect = (msg: string) => void warnings.push(msg);
    const logger: Logger = {
      info: () => {},
      warn: collect,
      warnOnce: collect,
      error: collect,
      clearScreen: () => {},
      hasErrorLogged: () => false,
      hasWarned: false,
    };
    const result = await build({
      root,
      configFile: false,
      logLevel: 'silent',
      customLogger: logger,
      plugins: [{ name: 'record-modules', moduleParsed: (info) => void parsed.push(info.id) }],
      build: {
        outDir,
        emptyOutDir: true,
        rollupOptions: { onwarn: (w) => collect(`${w.code ?? ''} ${w.message}`) },
      },
    });
    output = (Array.isArray(result) ? result[0] : result) as Rollup.RollupOutput;
  }, 60_000);

  it('builds through the package exports with no Node built-in in the warnings or the output', () => {
    // The import resolved through `exports` (browser condition) to the native-free bundle.
    expect(output.output.length).toBeGreaterThan(0);
    expect(parsed).toContain(realpathSync(join(REPO_ROOT, 'dist/bundle/native-free.js')));
    expect(warnings.filter((w) => /node:|\bfs\b|\bpath\b|externalized for browser compatibility/.test(w))).toEqual([]);
    const js = filesUnder(outDir).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const f of js) {
      const text = readFileSync(f, 'utf8');
      expect(text, relative(outDir, f)).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
      expect(text, relative(outDir, f)).not.toMatch(/\brequire\(["'](fs|path|os|zlib|worker_threads|stream|crypto)["']\)/);
    }
  });

  describe.skipIf(!RUN_BROWSER || !HAVE_SHARED)('the built page in headless Chromium', () => {
    const picks = fixturePerCompression();
    let browser: Browser;
    let server: RangeServer;
    beforeAll(async () => {
      server = await startRangeServer({
        files: new Map([...picks.values()].map((f) => [`/${f.group}/${f.name}.tsfile`, f.tsfile])),
        statics: new Map([['/', join(outDir, 'index.html')], ...filesUnder(outDir).map((f) => [`/${relative(outDir, f)}`, f] as [string, string])]),
      });
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('reads ZSTD and GZIP fixtures through openUrl, matching their CSVs', async () => {
      const chosen = (['ZSTD', 'GZIP'] as const).map((c) => {
        const f = picks.get(c);
        if (f === undefined) throw new Error(`no shared fixture uses ${c}`);
        return f;
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.url('/'));
      await page.waitForFunction(() => 'readAll' in globalThis);
      const urls = chosen.map((f) => server.url(`/${f.group}/${f.name}.tsfile`));
      const results = (await page.evaluate((u) => (globalThis as unknown as { readAll: (u: string[]) => Promise<unknown> }).readAll(u), urls)) as {
        url: string;
        csv?: string;
        error?: string;
      }[];
      expect(errors).toEqual([]);
      expect(results.map((r) => r.error)).toEqual(chosen.map(() => undefined));
      results.forEach((r, i) => expect(r.csv === expectedCsv(chosen[i]!), `${chosen[i]!.group}/${chosen[i]!.name}`).toBe(true));
      await page.close();
    }, 60_000);
  });
});
