/**
 * Remote reads through a counting loopback server: request and byte budgets on the 20-million-point
 * file, every compression read through openUrl matching the fixtures' CSVs, and the failure modes
 * (Range ignored, transient errors, pre-signed URLs that refuse HEAD, a file replaced mid-read).
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource, parseContentRange } from '../../src/io/http-source.js';
import { isTsFileError } from '../../src/io/errors.js';
import { openUrl } from '../../src/reader/open-url.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { fixturePerCompression } from '../helpers/compression-picks.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';

describe.skipIf(!HAVE_SHARED)('HTTP range reads of large_20m', () => {
  const large = listFixtures('large')[0]!;
  const size = statSync(large.tsfile).size;
  let server: RangeServer;
  beforeAll(async () => {
    server = await startRangeServer({ files: new Map([['/large.tsfile', large.tsfile]]) });
  });
  afterAll(() => server.close());

  const sent = () => ({ requests: server.log.length, bytes: server.log.reduce((n, r) => n + r.bytes, 0) });

  it('open + devices: at most 3 requests and 64 KiB', async () => {
    server.log.length = 0;
    const reader = await openUrl(server.url('/large.tsfile'));
    const devices = await reader.devices();
    expect(devices.map((d) => d.path)).toEqual((large.json.device_list as { device: string }[]).map((d) => d.device));
    const { requests, bytes } = sent();
    expect(requests).toBeLessThanOrEqual(3);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    await reader.close();
  });

  it('one series: at most its chunks + 2 requests, values equal to the local read', async () => {
    server.log.length = 0;
    const reader = await openUrl(server.url('/large.tsfile'));
    // Chunks of the series, from the file's description: one per chunk group.
    const chunks = large.json.chunk_groups_per_device as number;
    const afterOpen = sent().requests;
    const remote: number[] = [];
    for await (const { batch } of reader.scan({ devices: ['root.bench.d3'], measurements: ['gor_dbl'], threads: 0 })) remote.push(...(batch.getChild('gor_dbl')!.toArray() as Float64Array));
    // Open (suffix + head), then the chunks, one request each.
    expect(sent().requests).toBeLessThanOrEqual(chunks + 2);
    expect(sent().requests - afterOpen).toBe(chunks);
    const local = await TsFileReader.open(large.tsfile);
    const expected: number[] = [];
    for await (const { batch } of local.scan({ devices: ['root.bench.d3'], measurements: ['gor_dbl'], threads: 0 })) expected.push(...(batch.getChild('gor_dbl')!.toArray() as Float64Array));
    expect(remote.length).toBe(500005);
    expect(remote.every((v, i) => Object.is(v, expected[i]))).toBe(true);
    await local.close();
    await reader.close();
  });

  it('timeseries() of every device reads chunk headers only: at most 2 % of the file', async () => {
    server.log.length = 0;
    const reader = await openUrl(server.url('/large.tsfile'));
    const want = large.json.device_list as { device: string; series: { measurement: string; encoding: string; compression: string; points: number }[] }[];
    for (const d of want) {
      const got = await reader.timeseries(d.device);
      expect(got.map((s) => [s.measurement, s.encoding, s.compression, s.points]).sort()).toEqual(d.series.map((s) => [s.measurement, s.encoding, s.compression, s.points]).sort());
    }
    expect(sent().bytes).toBeLessThanOrEqual(0.02 * size);
    await reader.close();
  });

  it('a full-device scan coalesces the chunks of a chunk group into one request', async () => {
    server.log.length = 0;
    const reader = await openUrl(server.url('/large.tsfile'));
    let rows = 0;
    for await (const { batch } of reader.scan({ devices: ['root.bench.d0'], threads: 0 })) rows += batch.numRows;
    expect(rows).toBe(500005);
    // 2 to open, then one request per chunk group (5) rather than one per chunk (20).
    expect(sent().requests).toBeLessThanOrEqual(2 + 5);
    await reader.close();
  });

  it('refuses a server that ignores Range on a large file, with a clear message', async () => {
    const ignoring = await startRangeServer({ files: new Map([['/large.tsfile', large.tsfile]]), ignoreRange: true });
    try {
      const e = await openUrl(ignoring.url('/large.tsfile')).catch((x: unknown) => x);
      expect(isTsFileError(e, 'UNSUPPORTED')).toBe(true);
      expect((e as Error).message).toMatch(/ignores Range/);
    } finally {
      await ignoring.close();
    }
  });
});

describe.skipIf(!HAVE_SHARED)('openUrl reads fixtures of every compression', () => {
  const picks = fixturePerCompression();
  let server: RangeServer;
  beforeAll(async () => {
    server = await startRangeServer({ files: new Map([...picks.values()].map((f) => [`/${f.group}/${f.name}.tsfile`, f.tsfile])) });
  });
  afterAll(() => server.close());

  it('covers all six compressions', () => {
    expect([...picks.keys()].sort()).toEqual(['GZIP', 'LZ4', 'LZMA2', 'SNAPPY', 'UNCOMPRESSED', 'ZSTD']);
  });

  for (const [compression, f] of fixturePerCompression()) {
    for (const mode of ['whole file', 'range by range'] as const) {
      it(`${compression} (${f.name}), ${mode}`, async () => {
        // Range by range: a tiny tail and no whole-file fetch, so every read is a range request.
        const opts = mode === 'whole file' ? {} : { tailBytes: 16, wholeFileBytes: 1, coalesceGap: 0, cacheBytes: 0 };
        const reader = await openUrl(server.url(`/${f.group}/${f.name}.tsfile`), opts);
        const sink = new StringSink();
        await exportCsv(reader, sink);
        expect(sink.toString() === expectedCsv(f)).toBe(true);
        await reader.close();
      });
    }
  }
});

describe.skipIf(!HAVE_SHARED)('HttpSource failure modes', () => {
  const f = listFixtures('java').find((x) => x.name === 'combo_boolean_rle')!;
  const size = statSync(f.tsfile).size;

  it('small files are fetched whole even from a server that ignores Range', async () => {
    const s = await startRangeServer({ files: new Map([['/f', f.tsfile]]), ignoreRange: true });
    try {
      const src = await HttpSource.open(s.url('/f'));
      expect(src.byteLength).toBe(size);
      const reader = await TsFileReader.open(src);
      const sink = new StringSink();
      await exportCsv(reader, sink);
      expect(sink.toString() === expectedCsv(f)).toBe(true);
      expect(s.log.length).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('retries transient failures (503) and then reads', async () => {
    const s = await startRangeServer({ files: new Map([['/f', f.tsfile]]), failFirst: 2 });
    try {
      const src = await HttpSource.open(s.url('/f'), { retryDelayMs: 1 });
      expect(src.byteLength).toBe(size);
      expect(s.log.map((r) => r.status)).toEqual([503, 503, 206]);
    } finally {
      await s.close();
    }
  });

  it('gives up after the retries with an IO error naming the status', async () => {
    const s = await startRangeServer({ files: new Map([['/f', f.tsfile]]), failFirst: 10 });
    try {
      const e = await HttpSource.open(s.url('/f'), { retries: 2, retryDelayMs: 1 }).catch((x: unknown) => x);
      expect(isTsFileError(e, 'IO')).toBe(true);
      expect((e as Error).message).toMatch(/HTTP 503/);
      expect(s.log.length).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('a missing file is NOT_FOUND', async () => {
    const s = await startRangeServer({ files: new Map() });
    try {
      const e = await openUrl(s.url('/nothing.tsfile')).catch((x: unknown) => x);
      expect(isTsFileError(e, 'NOT_FOUND')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('works with a pre-signed URL (GET only, signature in the query) and keeps the signature out of messages', async () => {
    const s = await startRangeServer({ files: new Map([['/bucket/f.tsfile', f.tsfile]]), token: 's3cr3t', refuseHead: true });
    try {
      const url = s.url('/bucket/f.tsfile?X-Amz-Expires=60&sig=s3cr3t');
      const reader = await openUrl(url, { wholeFileBytes: 1, tailBytes: 64 });
      const sink = new StringSink();
      await exportCsv(reader, sink);
      expect(sink.toString() === expectedCsv(f)).toBe(true);
      expect(s.log.every((r) => r.method === 'GET' && r.status === 206)).toBe(true);
      expect(reader.name).toBe(s.url('/bucket/f.tsfile'));
      const bad = await openUrl(s.url('/bucket/f.tsfile?sig=wrong')).catch((x: unknown) => x);
      expect((bad as Error).message).toMatch(/HTTP 403 \(an expired pre-signed URL/);
      expect((bad as Error).message).not.toMatch(/wrong/);
    } finally {
      await s.close();
    }
  });

  it('refuses a file replaced while it is read (another ETag)', async () => {
    const s = await startRangeServer({ files: new Map([['/f', f.tsfile]]), changeEtagAfter: 1 });
    try {
      const src = await HttpSource.open(s.url('/f'), { wholeFileBytes: 1, tailBytes: 64 });
      const e = await Promise.resolve(src.read(0, 7)).catch((x: unknown) => x);
      expect(isTsFileError(e, 'IO')).toBe(true);
      expect((e as Error).message).toMatch(/changed while it was read/);
    } finally {
      await s.close();
    }
  });

  it('passes headers and uses the given fetch, and stops on abort', async () => {
    const s = await startRangeServer({ files: new Map([['/f', f.tsfile]]) });
    try {
      const seen: Record<string, string>[] = [];
      const src = await HttpSource.open(s.url('/f'), {
        headers: { Authorization: 'Bearer t' },
        fetch: (url, init) => {
          seen.push(init.headers);
          return fetch(url, init);
        },
      });
      expect(src.byteLength).toBe(size);
      expect(seen[0]).toMatchObject({ Authorization: 'Bearer t', Range: 'bytes=-32768' });
      const ac = new AbortController();
      ac.abort();
      const e = await HttpSource.open(s.url('/f'), { signal: ac.signal }).catch((x: unknown) => x);
      expect((e as Error).name).toBe('AbortError');
    } finally {
      await s.close();
    }
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 0-9/100')).toEqual({ start: 0, end: 9, total: 100 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: undefined });
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
  });
});
