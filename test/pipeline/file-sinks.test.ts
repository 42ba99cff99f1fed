import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { ArrowIpcDirectorySink, CsvFileSink } from '../../src/pipeline/file-sinks.js';
import { pipe } from '../../src/pipeline/pipe.js';
import { HAVE_SHARED, SHARED_FIXTURES, SKIP_MESSAGE } from '../helpers/fixtures.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fsink-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
/** Canonical order: device, measurement (bytes), then time numerically. */
function sortCanonical(lines: string[]): string[] {
  const key = (l: string): [string, bigint] => {
    // Fields before the value never contain commas in these fixtures.
    const [d, m, t] = l.split(',');
    return [`${d},${m}`, BigInt(t!)];
  };
  return [...lines].sort((a, b) => { const [ka, ta] = key(a); const [kb, tb] = key(b); return cmp(ka, kb) || (ta < tb ? -1 : ta > tb ? 1 : 0); });
}

describe.skipIf(!HAVE_SHARED)('pipeline file sinks on fixtures', () => {
  if (!HAVE_SHARED) it.skip(SKIP_MESSAGE, () => {});

  for (const name of ['aligned_all_types', 'table_model', 'aligned_and_nonaligned']) {
    it(`CSV sink reproduces ${name}.csv`, async () => {
      const base = path.join(SHARED_FIXTURES, 'java', name);
      const out = path.join(dir, 'out.csv');
      const s = await pipe({ source: { paths: [`${base}.tsfile`], batchRows: 333 }, sink: new CsvFileSink(out) }).start();
      expect(s.state).toBe('done');
      const got = readFileSync(out, 'utf8').split('\n');
      const want = readFileSync(`${base}.csv`, 'utf8').split('\n');
      expect(got[0]).toBe(want[0]);
      expect(sortCanonical(got.slice(1).filter((l) => l !== ''))).toEqual(want.slice(1).filter((l) => l !== ''));
    });
  }

  it('selects devices by pattern and a time range', async () => {
    const base = path.join(SHARED_FIXTURES, 'java', 'aligned_and_nonaligned');
    const want = readFileSync(`${base}.csv`, 'utf8').split('\n').slice(1).filter((l) => l !== '');
    const devices = [...new Set(want.map((l) => l.split(',')[0]!))];
    const pattern = `${devices[0]!.split('.').slice(0, -1).join('.')}.*`;
    const times = want.map((l) => BigInt(l.split(',')[2]!)).sort((a, b) => (a < b ? -1 : 1));
    const lo = times[Math.floor(times.length / 4)]!;
    const hi = times[Math.floor(times.length / 2)]!;
    const out = path.join(dir, 'sel.csv');
    await pipe({ source: { paths: [`${base}.tsfile`], devices: [pattern], startTime: lo, endTime: hi }, sink: new CsvFileSink(out) }).start();
    const got = sortCanonical(readFileSync(out, 'utf8').split('\n').slice(1).filter((l) => l !== ''));
    const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace('*', '[^.]+')}$`);
    expect(got).toEqual(want.filter((l) => { const [d, , t] = l.split(','); return re.test(d!) && BigInt(t!) >= lo && BigInt(t!) <= hi; }));
    expect(got.length).toBeGreaterThan(0);
  });

  it('Arrow IPC sink writes readable streams holding every row', async () => {
    const base = path.join(SHARED_FIXTURES, 'java', 'aligned_all_types');
    const sink = new ArrowIpcDirectorySink(path.join(dir, 'ipc'));
    const s = await pipe({ source: { paths: [`${base}.tsfile`], batchRows: 500 }, sink, segmentBatches: 2 }).start();
    expect(s.state).toBe('done');
    let rows = 0;
    for (const f of sink.files) {
      const t = tableFromIPC(readFileSync(f));
      rows += t.numRows;
      expect(t.schema.fields[0]!.name).toBe('time');
    }
    expect(rows).toBe(s.rowsRead);
    expect(sink.files.length).toBeGreaterThan(1);
  });
});
