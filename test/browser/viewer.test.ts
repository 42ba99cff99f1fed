/**
 * The viewer page in headless Chromium on large_20m served by a counting loopback server: the tree
 * lists the devices, the series table shows the fixture's statistics, the chart draws (a non-blank
 * plot area) min/max envelopes without decoding, and zooming in reads and decodes only the pages of
 * the visible range. Screenshots of the tree and the chart go to test-output/viewer/. Also
 * `tsfile view FILE` itself: it prints a 127.0.0.1 address whose page opens the file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildViewer } from '../../src/build/build-viewer.js';
import { main } from '../../src/cli/main.js';
import { TsFileReader, type PageSummary } from '../../src/reader/tsfile-reader.js';
import { HAVE_SHARED, listFixtures, REPO_ROOT } from '../helpers/fixtures.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { launchChromium, RUN_BROWSER } from './browser.js';

const OUT = join(REPO_ROOT, 'test-output/viewer');

interface ViewerHandle {
  ready: Promise<void>;
  state: { mode: string; pagesInView: number; points: number };
  zoom(from: number, to: number): Promise<void>;
  selectDevice(p: string): Promise<void>;
  reader: { stats: { pagesDecoded: number; chunksRead: number } };
}
declare const tsfileViewer: ViewerHandle;

interface PlotCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface Element {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  checked?: boolean;
  querySelector(s: string): Element;
  querySelectorAll(s: string): Iterable<Element>;
}

/** Non-background pixels of the chart's plot area (its canvas). */
async function inkedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    // The page's DOM (this test is type-checked without the DOM library).
    const canvas = (globalThis as unknown as { document: { querySelector(s: string): PlotCanvas } }).document.querySelector('#chart canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240)) n++;
    return n;
  });
}

describe.skipIf(!RUN_BROWSER || !HAVE_SHARED)('viewer in headless Chromium', () => {
  const large = listFixtures('large')[0]!;
  let assets: string;
  let browser: Browser;
  let server: RangeServer;
  let local: TsFileReader;
  beforeAll(async () => {
    assets = await buildViewer(mkdtempSync(join(tmpdir(), 'tsfile-viewer-')));
    server = await startRangeServer({
      files: new Map([['/large_20m.tsfile', large.tsfile]]),
      statics: new Map(['index.html', 'viewer.js', 'viewer.css'].map((f) => [`/${f}`, join(assets, f)] as [string, string]).concat([['/', join(assets, 'index.html')]])),
    });
    browser = await launchChromium();
    local = await TsFileReader.open(large.tsfile);
    mkdirSync(OUT, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await local?.close();
  });

  it('shows the tree, the statistics and envelopes, and zooming in decodes only the pages in view', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(String(e)));
    await page.goto(server.url('/?url=/large_20m.tsfile'));
    await page.waitForFunction(() => 'tsfileViewer' in globalThis);
    await page.evaluate(() => tsfileViewer.ready);
    expect(errors).toEqual([]);

    // The tree: every device of the file.
    const devices = await page.$$eval('#tree a[data-device]', (as) => as.map((a) => (a as unknown as Element).dataset.device));
    expect(devices).toEqual((large.json.device_list as { device: string }[]).map((d) => d.device));
    writeFileSync(join(OUT, 'tree.png'), await page.locator('#tree').screenshot());

    // The series table of the first device shows the fixture's statistics.
    const rows = await page.$$eval('#series tbody tr', (trs) => trs.map((tr) => [...(tr as unknown as Element).querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const summaries = (large.json.series_summary as { device: string; measurement: string; type: string; points: number; min_time: number; max_time: number; first: string; last: string }[]).filter((s) => s.device === 'root.bench.d0');
    expect(rows.length).toBe(summaries.length);
    for (const s of summaries) {
      const row = rows.find((r) => r[1] === s.measurement)!;
      expect({ type: row[2], points: row[5], start: row[6], end: row[7], first: row[10], last: row[11] }).toEqual({
        type: s.type,
        points: String(s.points),
        start: String(s.min_time),
        end: String(s.max_time),
        first: s.first,
        last: s.last,
      });
    }

    // Zoomed out: an envelope of every page of the checked series, nothing decoded.
    const checked = await page.$$eval('#series tbody tr', (trs) => (trs as unknown as Element[]).filter((tr) => tr.querySelector('input').checked === true).map((tr) => tr.dataset.measurement));
    expect(checked.length).toBe(1);
    const measurement = checked[0]!;
    const allPages = await local.pageStatistics('root.bench.d0', measurement);
    const state = await page.evaluate(() => ({ ...tsfileViewer.state, decoded: tsfileViewer.reader.stats.pagesDecoded }));
    expect(state).toMatchObject({ mode: 'envelope', pagesInView: allPages.length, decoded: 0 });
    expect(await inkedPixels(page)).toBeGreaterThan(2000);
    writeFileSync(join(OUT, 'chart-envelope.png'), await page.locator('#chart').screenshot());

    // Zoom into two pages in the middle of the third chunk.
    const third = allPages.filter((p) => p.chunk === 2);
    const from = Number(third[3]!.startTime);
    const to = Number(third[4]!.endTime);
    const inView = (p: PageSummary) => Number(p.endTime) >= from && Number(p.startTime) <= to;
    const visible = allPages.filter(inView);
    server.log.length = 0;
    const before = await page.evaluate(() => tsfileViewer.reader.stats.pagesDecoded);
    await page.evaluate(([a, b]) => tsfileViewer.zoom(a!, b!), [from, to]);
    const zoomed = await page.evaluate(() => ({ ...tsfileViewer.state, decoded: tsfileViewer.reader.stats.pagesDecoded }));
    let expectedPoints = 0;
    for await (const { batch } of local.scan({ devices: ['root.bench.d0'], measurements: [measurement], startTime: BigInt(from), endTime: BigInt(to), threads: 0 })) expectedPoints += batch.numRows;
    expect(zoomed.mode).toBe('points');
    expect(zoomed.points).toBe(expectedPoints);
    expect(zoomed.decoded - before).toBe(visible.length);
    // Every byte fetched for the zoom lies in the chunk holding the visible pages.
    const chunkStart = Math.min(...allPages.filter((p) => p.chunk === 2).map((p) => p.offset)) - 1024;
    const chunkEnd = Math.min(...allPages.filter((p) => p.chunk === 3).map((p) => p.offset));
    expect(server.log.length).toBeGreaterThan(0);
    for (const r of server.log) {
      expect(r.span, JSON.stringify(r)).toBeDefined();
      expect(r.span![0]).toBeGreaterThanOrEqual(chunkStart);
      expect(r.span![1]).toBeLessThanOrEqual(chunkEnd);
    }
    expect(await inkedPixels(page)).toBeGreaterThan(2000);
    writeFileSync(join(OUT, 'chart-zoomed.png'), await page.locator('#chart').screenshot());
    writeFileSync(join(OUT, 'page.png'), await page.screenshot());
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('`tsfile view FILE` prints a loopback address whose page opens the file', async () => {
    await buildViewer();
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString()));
    const ac = new AbortController();
    const f = listFixtures('java').find((x) => x.name === 'table_model')!;
    const done = main(['view', f.tsfile], { stdout: out, stderr: out, signal: ac.signal });
    for (let i = 0; i < 200 && !printed.includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(printed)?.[0];
    expect(url, printed).toBeDefined();
    const page = await browser.newPage();
    await page.goto(url!);
    await page.waitForFunction(() => 'tsfileViewer' in globalThis);
    await page.evaluate(() => tsfileViewer.ready);
    const devices = await page.$$eval('#tree a[data-device]', (as) => as.length);
    const reader = await TsFileReader.open(f.tsfile);
    expect(devices).toBe((await reader.devices()).length);
    await reader.close();
    expect(await page.textContent('#status')).toMatch(/table_model\.tsfile: TsFile v4/);
    await page.close();
    ac.abort();
    expect(await done).toBe(0);
  }, 120_000);
});
