/** DuckDB and the Parquet library load only when used: no module imports them statically. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/fixtures.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('heavy optional libraries', () => {
  it('are imported only dynamically (import("...")) or for types', () => {
    const offenders: string[] = [];
    for (const file of sources(join(REPO_ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^;]*?from\s+'(parquet-wasm|@duckdb\/[^']+)'/gm)) offenders.push(`${file}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('importing the Node entry leaves them unloaded', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', `
      const { createRequire } = await import('node:module');
      await import(${JSON.stringify(join(REPO_ROOT, 'src/index.ts'))});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules[\\/](@duckdb|parquet-wasm)[\\/]/.test(k));
      console.log(JSON.stringify(loaded));
    `], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([]);
  }, 60_000);
});
