/**
 * The Node entry does no work at import: no native addon is opened, and neither piscina nor the zstd
 * and xz libraries are loaded, until a page of that compression or a pool needs them (a CLI start
 * pays only for what it uses). Checked in a fresh process through Node's CommonJS module cache,
 * where the addons and piscina land when they load.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

const PROBE = `
import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const heavy = /^(snappy|lz4-napi|lzma-native|piscina|@bokuweb\\/zstd-wasm|xz-decompress)$/;
const loaded = () => [...new Set(Object.keys(req.cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]))].filter((n) => n !== undefined && heavy.test(n)).sort();
const lib = await import(process.argv[1]);
const seen = { atImport: loaded() };
lib.getCodec(lib.Compression.LZ4);
seen.afterLz4Page = loaded();
const pool = lib.createDecodePool(1);
seen.afterPool = loaded();
await pool.destroy();
console.log(JSON.stringify(seen));
`;

/** Child processes run asynchronously, so the test worker keeps answering the runner meanwhile. */
const run = async (args: string[], cwd?: string): Promise<string> => (await promisify(execFile)(process.execPath, args, { encoding: 'utf8', ...(cwd ? { cwd } : {}) })).stdout;

describe('the Node entry', () => {
  it('loads no addon, pool or optional codec library at import; each loads on first use', async () => {
    const out = await run(['--import', 'tsx', '--input-type=module', '-e', PROBE, join(REPO_ROOT, 'src/index.ts')], REPO_ROOT);
    expect(JSON.parse(out)).toEqual({ atImport: [], afterLz4Page: ['lz4-napi'], afterPool: ['lz4-napi', 'piscina'] });
  }, 60_000);
});
