/**
 * Every fixture rewritten by our reader + writer reads back exactly as its expected CSV, keeping
 * each series' type, encoding, compression and alignment; and with other encodings/compressions
 * and format version 3 where the data allows.
 */
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { rewriteTsFile } from '../../src/convert/rewrite.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';

async function csvOf(bytes: Uint8Array): Promise<string> {
  const reader = await TsFileReader.open(bytes);
  const sink = new StringSink();
  await exportCsv(reader, sink);
  await reader.close();
  return sink.toString();
}

async function layout(source: string | Uint8Array): Promise<string[]> {
  const reader = await TsFileReader.open(source);
  const out: string[] = [];
  for (const d of await reader.devices()) {
    for (const s of await reader.timeseries(d.path)) out.push([d.path, d.model, d.aligned, s.measurement, s.dataType, s.encoding, s.compression].join(' '));
  }
  await reader.close();
  return out;
}

describe.skipIf(!HAVE_SHARED)('rewrite', () => {
  for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
    it(`${f.group}/${f.name} reads back identical, same layout`, async () => {
      const sink = new MemorySink();
      await rewriteTsFile(f.tsfile, sink, { reader: { threads: 0 } });
      const bytes = sink.bytes();
      expect(await csvOf(bytes) === expectedCsv(f)).toBe(true);
      expect(await layout(bytes)).toEqual(await layout(f.tsfile));
      const r = await TsFileReader.open(bytes);
      expect(r.version).toBe(f.json.format_version);
      await r.close();
    }, 60_000);
  }

  it('changes encoding, compression and format version on request', async () => {
    const [f] = listFixtures('java').filter((x) => x.name === 'aligned_all_types');
    const sink = new MemorySink();
    await rewriteTsFile(f!.tsfile, sink, { compression: 'ZSTD', writer: { version: 3, maxPointsPerPage: 100, maxIndexDegree: 4 } });
    const bytes = sink.bytes();
    expect(await csvOf(bytes) === expectedCsv(f!)).toBe(true);
    const r = await TsFileReader.open(bytes);
    expect(r.version).toBe(3);
    for (const s of await r.timeseries('root.jv.aligned.d1')) expect(s.compression).toBe('ZSTD');
    await r.close();
  });
});
