/**
 * Every shared fixture and the bundled example, exported and imported again in-process through the
 * library functions the CLI runs (exportCsv → importCsv, exportJsonLines → importJsonLines): the
 * points that come back equal the fixture's expected CSV. (Arrow IPC, with the layout, is
 * test/export/arrow-ipc.test.ts; the command line itself is test/cli/round-trip.test.ts.)
 */
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import '../../src/local-files.js';
import { importCsv } from '../../src/convert/import-csv.js';
import { importJsonLines } from '../../src/convert/import-jsonl.js';
import { exportCsv } from '../../src/export/csv.js';
import { exportJsonLines } from '../../src/export/jsonl.js';
import { StringSink } from '../../src/export/text-sink.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { canonicalCsv, pointsOf } from '../helpers/arrow-csv.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

const SAMPLE = join(import.meta.dirname, '../../fixtures/sample.tsfile');

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** The canonical CSV of a file from one scan, computed by the test's own formatter. */
async function csvOf(source: string | Uint8Array): Promise<string> {
  const reader = await TsFileReader.open(source, { threads: 0 });
  const devices = new WeakMap<RecordBatch, string>();
  const batches: RecordBatch[] = [];
  try {
    for await (const { device, batch } of reader.scan()) {
      devices.set(batch, device);
      batches.push(batch);
    }
  } finally {
    await reader.close();
  }
  return canonicalCsv(pointsOf(batches, (b) => devices.get(b)!));
}

/** The file's table-model naming (table and tag columns), as `import --table --tag-columns` takes it. */
function tableOf(reader: TsFileReader): { name: string; tagColumns: string[] } | undefined {
  const [t] = reader.tables();
  return t === undefined ? undefined : { name: t.name, tagColumns: t.columns.filter((c) => c.category === 'TAG').map((c) => c.name) };
}

async function through(format: 'csv' | 'jsonl', source: string): Promise<Uint8Array> {
  const reader = await TsFileReader.open(source, { threads: 0 });
  const text = new StringSink();
  const table = tableOf(reader);
  try {
    if (format === 'csv') await exportCsv(reader, text);
    else await exportJsonLines(reader, text);
  } finally {
    await reader.close();
  }
  const sink = new MemorySink();
  const writer = await TsFileWriter.open(sink);
  // Odd chunks: quoted fields, lines and UTF-8 text split anywhere.
  const chunks = chunked(text.toString(), 65_519);
  const options = { batchRows: 4096, ...(table !== undefined ? { table } : {}) };
  if (format === 'csv') await importCsv(chunks, writer, options);
  else await importJsonLines(chunks, writer, options);
  await writer.close();
  return sink.bytes();
}

describe('export → import round trips in-process', () => {
  it('the bundled example, through CSV and JSON lines', async () => {
    const want = await csvOf(SAMPLE);
    for (const format of ['csv', 'jsonl'] as const) expect(await csvOf(await through(format, SAMPLE)), format).toBe(want);
  });

  describe.skipIf(!HAVE_SHARED)('every shared fixture, through CSV and JSON lines, equals its expected CSV', () => {
    for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
      it(`${f.group}/${f.name}`, async () => {
        const want = expectedCsv(f);
        for (const format of ['csv', 'jsonl'] as const) {
          expect((await csvOf(await through(format, f.tsfile))) === want, `${f.name} through ${format}`).toBe(true);
        }
      }, 120_000);
    }
  });
});
