/**
 * The bundled entries the package ships (dist/bundle, built by `npm run build`): they export what the
 * compiled entries export, the native-free entry reaches no Node built-in or addon through its chunks,
 * the Node entry loads no addon or pool at import, and the bundled command reads the bundled example
 * with and without its worker pool (whose worker file must sit beside it) exactly as the compiled one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures.js';

const BUNDLE = join(REPO_ROOT, 'dist/bundle');
const BUILT = existsSync(join(BUNDLE, 'index.js')) && existsSync(join(REPO_ROOT, 'dist/src/index.js'));
const SAMPLE = join(REPO_ROOT, 'fixtures/sample.tsfile');

/** Every file reachable from `entry` by relative imports, and every bare specifier they import. */
function graph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
      else bare.add(spec);
    }
  };
  walk(entry);
  return { files: [...files], bare: [...bare].sort() };
}

/** Child processes run asynchronously, so the test worker keeps answering the runner meanwhile. */
const run = async (args: string[]): Promise<string> => (await promisify(execFile)(process.execPath, args, { encoding: 'utf8' })).stdout;

describe.skipIf(!BUILT)('the bundled entries', () => {
  it('export the same names as the compiled entries', async () => {
    for (const [bundled, compiled] of [
      ['index.js', 'dist/src/index.js'],
      ['native-free.js', 'dist/native-free/index.js'],
    ] as const) {
      const a = Object.keys(await import(pathToFileURL(join(BUNDLE, bundled)).href)).sort();
      const b = Object.keys(await import(pathToFileURL(join(REPO_ROOT, compiled)).href)).sort();
      expect(a.length).toBeGreaterThan(20);
      expect(a).toEqual(b);
    }
  });

  it('the native-free entry reaches no Node built-in and no addon, and apache-arrow stays external', () => {
    const { files, bare } = graph(join(BUNDLE, 'native-free.js'));
    expect(files.length).toBeGreaterThan(1);
    expect(bare.filter((s) => s.startsWith('node:') || /^(snappy|lz4-napi|lzma-native|piscina|@duckdb\/)/.test(s))).toEqual([]);
    expect(bare).toContain('apache-arrow');
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\brequire\(|createRequire/);
  });

  it('the Node entry opens no addon and loads no pool at import', async () => {
    const probe = `
      import { createRequire } from 'node:module';
      const req = createRequire(import.meta.url);
      const heavy = /^(snappy|lz4-napi|lzma-native|piscina|@bokuweb\\/zstd-wasm|xz-decompress|@duckdb\\/.*|parquet-wasm)$/;
      await import(process.argv[1]);
      const names = Object.keys(req.cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]);
      console.log(JSON.stringify([...new Set(names)].filter((n) => n !== undefined && heavy.test(n))));
    `;
    const out = await run(['--input-type=module', '-e', probe, pathToFileURL(join(BUNDLE, 'index.js')).href]);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('the bundled Node entry decodes on its pool, whose worker file sits beside the chunks, as it does inline', async () => {
    const lib = await import(pathToFileURL(join(BUNDLE, 'index.js')).href);
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    const csv = async (options: object): Promise<string> => {
      const sink = new lib.StringSink();
      await lib.exportCsv(await lib.TsFileReader.open(new lib.BufferSource(bytes), options), sink);
      return sink.toString() as string;
    };
    const pool = lib.createDecodePool(1);
    try {
      const pooled = await csv({ runner: new lib.PoolRunner(pool, { minTaskBytes: 0 }) });
      expect(pool.completed).toBeGreaterThan(0);
      expect(pooled).toBe(await csv({ threads: 0 }));
    } finally {
      await pool.destroy();
    }
  }, 60_000);

  it('the bundled command exports the example as the compiled one does, with threads 0 and 2', async () => {
    const csv = (cli: string, threads: string): Promise<string> => run([cli, 'export', SAMPLE, '--format', 'csv', '--threads', threads]);
    const expected = await csv(join(REPO_ROOT, 'dist/src/cli/main.js'), '0');
    expect(expected.split('\n').length).toBeGreaterThan(100);
    expect(await csv(join(BUNDLE, 'tsfile.js'), '0')).toBe(expected);
    expect(await csv(join(BUNDLE, 'tsfile.js'), '2')).toBe(expected);
  }, 60_000);
});
