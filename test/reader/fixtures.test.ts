/**
 * Every file the reference implementations wrote reads back exactly as its expected CSV — read
 * whole chunk group by chunk group, and streamed page by page (a tiny in-flight budget makes every
 * chunk group "large").
 */
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { expectedCsv, HAVE_SHARED, listFixtures, SKIP_MESSAGE } from '../helpers/fixtures.js';

for (const [group, mode] of [
  ['cpp', 'whole'],
  ['java', 'whole'],
  ['cpp', 'by page'],
  ['java', 'by page'],
] as const) {
  describe.skipIf(!HAVE_SHARED)(`${group} fixtures → canonical CSV, ${mode}`, () => {
    if (!HAVE_SHARED) it.skip(SKIP_MESSAGE, () => {});
    for (const f of listFixtures(group)) {
      it(f.name, async () => {
        const expected = expectedCsv(f);
        expect(expected, `expected CSV of ${f.name}`).toBeDefined();
        const reader = await TsFileReader.open(f.tsfile, mode === 'by page' ? { maxBytesInFlight: 2048 } : {});
        try {
          expect(reader.version).toBe(f.json.format_version);
          const sink = new StringSink();
          const points = await exportCsv(reader, sink);
          const actual = sink.toString();
          expect(points).toBe(f.json.expected_csv_lines);
          if (actual !== expected) {
            // Show the first differing line rather than two multi-megabyte strings.
            const a = actual.split('\n');
            const e = expected!.split('\n');
            const i = e.findIndex((line, k) => a[k] !== line);
            expect(`line ${i + 1}: ${a[i]}`).toBe(`line ${i + 1}: ${e[i]}`);
          }
        } finally {
          await reader.close();
        }
      }, 60_000);
    }
  });
}
