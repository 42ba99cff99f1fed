/**
 * The native-free entry as a front-end user builds it: esbuild bundles it for the browser with no
 * configuration and no Node built-in left, and the bundle, run in headless Chromium, reads shared
 * fixtures of every compression through openUrl from a loopback server, matching their CSVs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { REPO_ROOT, expectedCsv, HAVE_SHARED } from '../helpers/fixtures.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { fixturePerCompression } from '../helpers/compression-picks.js';
import { bundleForBrowser, type Bundle } from './bundle.js';
import { launchChromium, RUN_BROWSER } from './browser.js';

describe('native-free bundle', () => {
  let bundle: Bundle;
  beforeAll(async () => {
    bundle = await bundleForBrowser(join(REPO_ROOT, 'test/browser/read-fixtures.page.ts'));
  }, 60_000);

  it('bundles for the browser with no Node built-in left', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('native-free/index.ts'))).toBe(true);
    expect(inputs.filter((i) => /^node:|(^|\/)node_modules\/(lz4-napi|snappy|lzma-native|piscina)\//.test(i))).toEqual([]);
    expect(bundle.text).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
    expect(bundle.text).not.toMatch(/\brequire\(["'](fs|path|os|zlib|worker_threads|stream|crypto)["']\)/);
  });

  describe.skipIf(!RUN_BROWSER || !HAVE_SHARED)('in headless Chromium', () => {
    const picks = fixturePerCompression();
    let browser: Browser;
    let server: RangeServer;
    beforeAll(async () => {
      writeFileSync(join(bundle.dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>');
      server = await startRangeServer({
        files: new Map([...picks.values()].map((f) => [`/${f.group}/${f.name}.tsfile`, f.tsfile])),
        statics: new Map([
          ['/', join(bundle.dir, 'index.html')],
          ['/bundle.js', bundle.file],
        ]),
      });
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const mode of ['whole file', 'range by range'] as const) {
      it(`reads a fixture of every compression through openUrl (${mode})`, async () => {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(server.url('/'));
        await page.waitForFunction(() => 'readAll' in globalThis);
        const urls = [...picks.values()].map((f) => server.url(`/${f.group}/${f.name}.tsfile`));
        const options = mode === 'whole file' ? {} : { tailBytes: 16, wholeFileBytes: 1, coalesceGap: 0, cacheBytes: 0 };
        const results = (await page.evaluate(([u, o]) => (globalThis as unknown as { readAll: (u: string[], o: object) => Promise<{ url: string; csv?: string; error?: string }[]> }).readAll(u, o), [urls, options] as const)) as {
          url: string;
          csv?: string;
          error?: string;
        }[];
        expect(errors).toEqual([]);
        const fixtures = [...picks.entries()];
        expect(results.map((r) => r.error)).toEqual(fixtures.map(() => undefined));
        results.forEach((r, i) => expect(r.csv === expectedCsv(fixtures[i]![1]), `${fixtures[i]![0]}: ${fixtures[i]![1].name}`).toBe(true));
        // The page fetched only through range requests in the range-by-range mode.
        if (mode === 'range by range') expect(server.log.filter((l) => l.path.endsWith('.tsfile') && l.status !== 206)).toEqual([]);
        await page.close();
      }, 120_000);
    }
  });
});
