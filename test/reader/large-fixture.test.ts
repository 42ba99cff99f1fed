/**
 * The 20-million-point benchmark file reads back exactly: its full canonical CSV hashes to the
 * sha256 in its JSON, and every series matches its summary (points, first/last time and value).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportCsv } from '../../src/export/csv.js';
import { listFixtures, HAVE_SHARED, SHARED_FIXTURES } from '../helpers/fixtures.js';
import { formatInt64, formatterFor } from '../../src/export/value-format.js';
import { TSFILE_TYPE_KEY } from '../../src/arrow/types.js';

interface SeriesSummary {
  device: string;
  measurement: string;
  points: number;
  min_time: number;
  max_time: number;
  /** Canonical CSV text of the first and last values. */
  first: string;
  last: string;
}

describe.skipIf(!HAVE_SHARED)('large fixture', () => {
  const [large] = listFixtures('large');

  it('every series matches its summary', async () => {
    const reader = await TsFileReader.open(large!.tsfile);
    const summaries = (large!.json.series_summary ?? []) as SeriesSummary[];
    expect(summaries.length).toBe(40);
    for (const s of summaries) {
      let n = 0;
      let first: string | undefined;
      let last = '';
      let firstTime = '';
      let lastTime = '';
      for await (const { batch } of reader.scan({ devices: [s.device], measurements: [s.measurement] })) {
        const t = batch.getChildAt(0)!.data[0]!;
        const tv = t.values as BigInt64Array;
        const words = new Int32Array(tv.buffer, tv.byteOffset, tv.length * 2);
        const col = batch.getChildAt(1)!.data[0]!;
        const fmt = formatterFor(batch.schema.fields[1]!.metadata.get(TSFILE_TYPE_KEY)!, col);
        if (first === undefined) {
          first = fmt(0);
          firstTime = formatInt64(words, t.offset);
        }
        last = fmt(batch.numRows - 1);
        lastTime = formatInt64(words, t.offset + batch.numRows - 1);
        n += batch.numRows;
      }
      const name = `${s.device}.${s.measurement}`;
      expect(n, name).toBe(s.points);
      expect([firstTime, lastTime, first, last], name).toEqual([String(s.min_time), String(s.max_time), s.first, s.last]);
    }
    await reader.close();
  }, 300_000);

  it('its full canonical CSV has the sha256 of its JSON', async () => {
    const reader = await TsFileReader.open(join(SHARED_FIXTURES, 'large/large_20m.tsfile'));
    const hash = createHash('sha256');
    const points = await exportCsv(reader, { write: (chunk) => void hash.update(chunk) });
    expect(points).toBe(large!.json.points);
    expect(hash.digest('hex')).toBe(large!.json.expected_csv_sha256);
    await reader.close();
  }, 900_000);
});
