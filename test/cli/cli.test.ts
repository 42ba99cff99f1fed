/** The `tsfile` command through its entry function, with captured output streams. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { expectedCsv, HAVE_SHARED, listFixtures, SHARED_FIXTURES } from '../helpers/fixtures.js';

async function run(argv: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks), stderr: Buffer.concat(errChunks).toString('utf8') };
}

describe('tsfile CLI', () => {
  it('prints help and rejects unknown commands', async () => {
    expect((await run(['--help'])).stdout.toString()).toContain('tsfile <command>');
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });

  it('reports a missing file as a clear error', async () => {
    const r = await run(['info', '/nonexistent/x.tsfile']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open file.*\/nonexistent\/x\.tsfile.*\[IO\]/);
    const imp = await run(['import', '/nonexistent/in.csv', '-o', join(mkdtempSync(join(tmpdir(), 'tsfile-missing-')), 'out.tsfile'), '--format', 'csv']);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/^tsfile import: .*no such file or directory.*\n$/);
  });

  describe.skipIf(!HAVE_SHARED)('on the shared fixtures', () => {
    const aligned = join(SHARED_FIXTURES, 'java/aligned_all_types.tsfile');

    it('info --json lists every series with type, encoding, compression, points and time range', async () => {
      const r = await run(['info', aligned, '--json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout.toString()) as { version: number; points: number; devices: { device: string; aligned: boolean; series: Record<string, unknown>[] }[] };
      const json = JSON.parse(readFileSync(join(SHARED_FIXTURES, 'java/aligned_all_types.json'), 'utf8')) as {
        points: number;
        device_list: { device: string; series: { measurement: string; type: string; encoding: string; compression: string }[] }[];
      };
      expect(doc.version).toBe(4);
      expect(doc.points).toBe(json.points);
      expect(doc.devices.map((d) => [d.device, d.aligned])).toEqual([['root.jv.aligned.d1', true]]);
      const got = doc.devices[0]!.series.map((s) => [s.measurement, s.dataType, s.encoding, s.compression]);
      expect(got).toEqual(json.device_list[0]!.series.map((s) => [s.measurement, s.type, s.encoding, s.compression]));
    });

    it('info prints a table', async () => {
      const r = await run(['info', aligned]);
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toMatch(/c4_double\s+DOUBLE\s+GORILLA\s+LZMA2/);
    });

    it('export --format csv is byte-identical to the expected CSV', async () => {
      for (const f of listFixtures('java').filter((x) => ['table_model', 'strings', 'aligned_mostly_null'].includes(x.name))) {
        const r = await run(['export', f.tsfile, '--format', 'csv']);
        expect(r.code).toBe(0);
        expect(r.stdout.toString('utf8') === expectedCsv(f), f.name).toBe(true);
      }
    });

    it('export selects devices, measurements and a time range', async () => {
      const f = listFixtures('java').find((x) => x.name === 'aligned_and_nonaligned')!;
      const lines = expectedCsv(f)!.trim().split('\n').slice(1);
      const devices = [...new Set(lines.map((l) => l.split(',')[0]!))];
      const want = lines.filter((l) => {
        const [d, m, t] = l.split(',');
        return d === devices[1] && m !== 'nothing' && BigInt(t!) >= 1700000000000n + 100000n && BigInt(t!) <= 1700000000000n + 300000n;
      });
      expect(want.length).toBeGreaterThan(0);
      const r = await run(['export', f.tsfile, '--devices', devices[1]!, '--start-time', '1700000100000', '--end-time', '1700000300000']);
      expect(r.stdout.toString().trim().split('\n').slice(1)).toEqual(want);
      const one = want[0]!.split(',')[1]!;
      const m = await run(['export', f.tsfile, '--devices', devices[1]!, '--measurements', one, '--start-time', '1700000100000', '--end-time', '1700000300000']);
      expect(m.stdout.toString().trim().split('\n').slice(1)).toEqual(want.filter((l) => l.split(',')[1] === one));
    });

    it('export -o writes a file, and --format arrow an IPC stream Arrow can open', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsfile-cli-'));
      const out = join(dir, 'out.arrows');
      const r = await run(['export', aligned, '--format', 'arrow', '-o', out]);
      expect(r.code).toBe(0);
      const table = tableFromIPC(readFileSync(out));
      expect(table.schema.fields.map((f) => f.name).slice(0, 3)).toEqual(['device', 'time', 'c0_boolean']);
      expect(table.numRows).toBe(2333);
      expect(table.getChild('c4_double')!.nullCount).toBeGreaterThan(0);
    });

    it('bench --json prints one line per benchmark of the suite', async () => {
      const r = await run(['bench', join(SHARED_FIXTURES, 'cpp/many_pages.tsfile'), '--runs', '1', '--threads', '0', '--json']);
      expect(r.code).toBe(0);
      const lines = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { name: string; ms: number; points: number; bytes: number });
      expect(lines.map((l) => l.name)).toEqual(['read-metadata', 'read-one-series', 'read-all', 'time-range', 'write', 'convert-to-arrow']);
      const total = (JSON.parse(readFileSync(join(SHARED_FIXTURES, 'cpp/many_pages.json'), 'utf8')) as { points: number }).points;
      expect(lines[2]!.points).toBe(total);
      expect(lines[4]!.points).toBe(total);
      expect(lines[5]!.points).toBe(total);
      expect(lines[3]!.points).toBeGreaterThan(0);
      expect(lines[3]!.points).toBeLessThan(total / 5);
      for (const l of lines) expect(l.ms).toBeGreaterThan(0);
    });

    it('export takes several files and a directory', async () => {
      const a = join(SHARED_FIXTURES, 'java/single_point.tsfile');
      const b = join(SHARED_FIXTURES, 'java/single_point_aligned.tsfile');
      const r = await run(['export', b, a, '--format', 'csv', '--threads', '0']);
      expect(r.code).toBe(0);
      const lines = r.stdout.toString().trim().split('\n');
      expect(lines[0]).toBe('device,measurement,time,value');
      expect(lines.filter((l) => l.startsWith('device,'))).toHaveLength(1);
      // Files in path order: single_point before single_point_aligned.
      expect(lines[1]!.startsWith('root.jv.one,')).toBe(true);
      const dir = await run(['export', join(SHARED_FIXTURES, 'cpp'), '--format', 'jsonl']);
      expect(dir.code).toBe(0);
      const devices = new Set(dir.stdout.toString().trim().split('\n').map((l) => (JSON.parse(l) as { device: string }).device));
      const expected = new Set<string>();
      for (const f of listFixtures('cpp')) {
        const reader = await TsFileReader.open(f.tsfile);
        for (const d of await reader.devices()) expected.add(d.path);
        await reader.close();
      }
      expect(devices).toEqual(expected);
    }, 120_000);

    it('rewrite keeps every series as it was, and applies writer options', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsfile-rw-'));
      const out = join(dir, 'out.tsfile');
      const r = await run(['rewrite', aligned, out, '--page-points', '100', '--index-degree', '3', '--threads', '0']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('10 series');
      const a = await run(['info', aligned, '--json']);
      const b = await run(['info', out, '--json']);
      // Everything but the chunk count (the rewrite writes one chunk group per device).
      const strip = (x: Buffer) => JSON.stringify((JSON.parse(x.toString()) as { devices: unknown }).devices, (k, v: unknown) => (k === 'chunks' ? undefined : v));
      expect(strip(b.stdout)).toBe(strip(a.stdout));
      const csv = await run(['export', out]);
      expect(csv.stdout.toString() === expectedCsv(listFixtures('java').find((f) => f.name === 'aligned_all_types')!)).toBe(true);
      const re = await run(['rewrite', aligned, join(dir, 'v3.tsfile'), '--format-version', '3', '--compression', 'gzip']);
      expect(re.code).toBe(0);
      const info = JSON.parse((await run(['info', join(dir, 'v3.tsfile'), '--json'])).stdout.toString()) as { version: number; devices: { series: { compression: string }[] }[] };
      expect(info.version).toBe(3);
      expect(new Set(info.devices[0]!.series.map((s) => s.compression))).toEqual(new Set(['GZIP']));
      expect((await run(['rewrite', aligned, aligned])).code).toBe(2);
    });

    it('recover repairs a file cut short and import reads the canonical CSV', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsfile-rec-'));
      const csvPath = join(dir, 'in.csv');
      const f = listFixtures('java').find((x) => x.name === 'many_chunk_groups')!;
      writeFileSync(csvPath, expectedCsv(f)!);
      const file = join(dir, 'x.tsfile');
      const imp = await run(['import', csvPath, '-o', file, '--chunk-group-bytes', '4096']);
      expect(imp.code).toBe(0);
      expect((await run(['export', file])).stdout.toString() === expectedCsv(f)).toBe(true);
      const bytes = readFileSync(file);
      // Cut inside the index: every chunk group survives; the footer is rebuilt.
      const reader = await TsFileReader.open(new Uint8Array(bytes));
      const metaOffset = reader.metadata.metaOffset;
      await reader.close();
      writeFileSync(file, bytes.subarray(0, metaOffset + 5));
      expect((await run(['info', file])).stderr).toContain('[INCOMPLETE]');
      const rec = await run(['recover', file]);
      expect(rec.code).toBe(0);
      expect(rec.stdout.toString()).toMatch(/recovered \d+ chunk groups/);
      expect((await run(['export', file])).stdout.toString() === expectedCsv(f)).toBe(true);
      expect((await run(['recover', file])).stdout.toString()).toContain('nothing to recover');
    });

    it('export --format jsonl writes one object per row', async () => {
      const r = await run(['export', join(SHARED_FIXTURES, 'java/single_point.tsfile'), '--format', 'jsonl']);
      expect(r.code).toBe(0);
      const lines = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.device).toBe('root.jv.one');
    });
  });
});

describe('tsfile CLI: misuse destroys nothing', () => {
  const sample = join(import.meta.dirname, '../../fixtures/sample.tsfile');
  const fresh = () => mkdtempSync(join(tmpdir(), 'tsfile-safe-'));

  it('a failed rewrite leaves an existing output byte-identical and no partial file', async () => {
    const dir = fresh();
    const good = join(dir, 'good.tsfile');
    expect((await run(['rewrite', sample, good])).code).toBe(0);
    const before = readFileSync(good);
    const r = await run(['rewrite', sample, good, '--encoding', 'TS_2DIFF', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(good).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['good.tsfile']);
    // Without --force an existing output is refused up front.
    const again = await run(['rewrite', sample, good]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists \(give --force/);
  });

  it('unknown options and bad values are refused with a suggestion, writing nothing', async () => {
    const dir = fresh();
    const r = await run(['rewrite', sample, join(dir, 'x.tsfile'), '--compresion', 'ZSTD']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tsfile rewrite: unknown option --compresion (did you mean --compression?) (see tsfile help rewrite)\n');
    expect((await run(['export', sample, '--fromat', 'csv'])).stderr).toMatch(/did you mean --format\?/);
    expect((await run(['export', sample, 'fromat'])).stderr).toMatch(/did you mean --format\?/);
    expect((await run(['info', sample, '--jsn'])).stderr).toMatch(/did you mean --json\?/);
    expect((await run(['export', sample, '--measurement', 'x'])).stderr).toMatch(/did you mean --measurements\?/);
    expect((await run(['load', sample, '--to', `csv:${join(dir, 'o.csv')}`, '--batch-rows', '0'])).code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('help on every command, through -h, --help and tsfile help CMD', async () => {
    const overview = await run(['help']);
    const names = [...overview.stdout.toString().matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).toEqual(expect.arrayContaining(['info', 'export', 'rewrite', 'import', 'recover', 'load', 'bench']));
    for (const name of names) {
      const a = await run(['help', name]);
      const b = await run([name, '-h']);
      const c = await run([name, '--help']);
      expect(a.code + b.code + c.code).toBe(0);
      expect(a.stdout.toString()).toMatch(new RegExp(`^Usage: tsfile ${name} `));
      expect(b.stdout.equals(a.stdout) && c.stdout.equals(a.stdout)).toBe(true);
      expect(a.stdout.toString()).toContain('Exit codes:');
    }
    expect((await run(['help', 'rewrit'])).stderr).toMatch(/did you mean rewrite\?/);
  });

  it('recover -o and --dry-run leave the damaged file as it was', async () => {
    const dir = fresh();
    const full = readFileSync(sample);
    const reader = await TsFileReader.open(new Uint8Array(full));
    const cut = full.subarray(0, reader.metadata.metaOffset + 3);
    await reader.close();
    const damaged = join(dir, 'd.tsfile');
    writeFileSync(damaged, cut);
    const dry = await run(['recover', damaged, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.toString()).toMatch(/would recover \d+ chunk groups/);
    expect(readFileSync(damaged).equals(cut)).toBe(true);
    const out = join(dir, 'fixed.tsfile');
    expect((await run(['recover', damaged, '-o', out])).code).toBe(0);
    expect(readFileSync(damaged).equals(cut)).toBe(true);
    expect((await run(['export', out])).stdout.equals((await run(['export', sample])).stdout)).toBe(true);
    expect((await run(['recover', damaged])).code).toBe(0);
    expect(readFileSync(damaged).equals(readFileSync(out))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['d.tsfile', 'fixed.tsfile']);
  });
});
