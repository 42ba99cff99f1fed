/** Several files as one stream: paths, directories and globs resolve to sorted files; filters apply to each. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { resolveTsFiles, scanFiles } from '../../src/engine/scan-files.js';
import { HAVE_SHARED, listFixtures, SHARED_FIXTURES } from '../helpers/fixtures.js';

describe.skipIf(!HAVE_SHARED)('scanFiles', () => {
  it('resolves directories and globs to sorted TsFiles', async () => {
    const cpp = listFixtures('cpp').map((f) => f.tsfile);
    expect(await resolveTsFiles(join(SHARED_FIXTURES, 'cpp'))).toEqual(cpp);
    expect(await resolveTsFiles([join(SHARED_FIXTURES, 'cpp/combo_int32_*_lz4.tsfile')])).toEqual(cpp.filter((f) => /combo_int32_.*_lz4\.tsfile$/.test(f)));
    expect(await resolveTsFiles([join(SHARED_FIXTURES, '**/single_point*.tsfile')])).toEqual(
      [...listFixtures('cpp'), ...listFixtures('java')].filter((f) => f.name.startsWith('single_point')).map((f) => f.tsfile),
    );
    await expect(resolveTsFiles('/nonexistent/dir')).rejects.toMatchObject({ code: 'IO' });
  });

  it('streams every file in order with the same filters, and equals per-file scans', async () => {
    const files = listFixtures('java').filter((f) => f.name.startsWith('combo_int64_'));
    const seen: string[] = [];
    for await (const { file, batch } of scanFiles([...files.map((f) => f.tsfile)].reverse(), { measurements: ['s_snappy'], threads: 0 })) {
      if (seen[seen.length - 1] !== file) seen.push(file);
      expect(batch.schema.fields.map((f) => f.name)).toEqual(['time', 's_snappy']);
    }
    expect(seen).toEqual(files.map((f) => f.tsfile));
    let perFile = 0;
    for await (const { batch } of scanFiles(join(SHARED_FIXTURES, 'java'), { threads: 0, devices: ['root.jv.int64_*'] })) perFile += batch.numRows * (batch.numCols - 1);
    const expected = files.reduce((n, f) => n + (f.json.points as number), 0);
    expect(perFile).toBe(expected);
  });
});
