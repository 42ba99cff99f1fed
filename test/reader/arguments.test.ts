/** Public reader entries validate their arguments and answer with TsFileError codes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../helpers/local-files.js';
import { isTsFileError } from '../../src/io/errors.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';

const SAMPLE = join(import.meta.dirname, '../../fixtures/sample.tsfile');
const code = (c: string) => (e: unknown) => isTsFileError(e) && e.code === c;

describe('TsFileReader arguments', () => {
  it('open refuses undefined, a directory and a missing path with typed errors', async () => {
    await expect(TsFileReader.open(undefined as unknown as string)).rejects.toSatisfy(code('INVALID_ARGUMENT'));
    await expect(TsFileReader.open(mkdtempSync(join(tmpdir(), 'tsfile-dir-')))).rejects.toSatisfy((e) => code('IO')(e) && /is a directory/.test((e as Error).message));
    await expect(TsFileReader.open('/nonexistent/x.tsfile')).rejects.toSatisfy(code('IO'));
  });

  it('scan refuses non-integer times; an unknown device is NOT_FOUND for timeseries and matches nothing in scan', async () => {
    const r = await TsFileReader.open(SAMPLE, { threads: 0 });
    try {
      const drain = async (o: Parameters<TsFileReader['scan']>[0]) => {
        let n = 0;
        for await (const _ of r.scan(o)) n++;
        return n;
      };
      await expect(drain({ startTime: 'abc' as unknown as bigint })).rejects.toSatisfy(code('INVALID_ARGUMENT'));
      await expect(drain({ endTime: 1.5 })).rejects.toSatisfy(code('INVALID_ARGUMENT'));
      await expect(drain({ startTime: 2n ** 63n })).rejects.toSatisfy(code('INVALID_ARGUMENT'));
      await expect(r.timeseries('root.nope')).rejects.toSatisfy(code('NOT_FOUND'));
      // scan takes device patterns: one that matches no device selects nothing.
      expect(await drain({ devices: ['root.nope'] })).toBe(0);
      expect(await drain({ startTime: 0, endTime: Number.MAX_SAFE_INTEGER })).toBeGreaterThan(0);
    } finally {
      await r.close();
    }
  });
});
