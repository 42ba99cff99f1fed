/**
 * The native-free entry: its whole static import graph is free of Node built-ins and addons, and
 * with only the pure codecs in use every fixture still reads back exactly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nf from '../../native-free/index.js';
import { expectedCsv, HAVE_SHARED, listFixtures, REPO_ROOT } from '../helpers/fixtures.js';

/** Follows static `import ... from '...'` / `export ... from '...'` of local modules, collecting bare specifiers. */
function staticImports(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (/^import\s+type\s|^export\s+type\s/.test(m[0].trim())) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('native-free entry', () => {
  it('imports no Node built-in and no native addon, statically', () => {
    const { files, bare } = staticImports(join(REPO_ROOT, 'native-free/index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const forbidden = [...bare].filter((s) => s.startsWith('node:') || ['fs', 'path', 'os', 'zlib', 'worker_threads', 'lz4-napi', 'snappy', 'lzma-native', 'piscina'].includes(s));
    expect(forbidden).toEqual([]);
  });

  it('loads no Node built-in or addon dynamically, and only by literal names (bundlers see the whole graph)', () => {
    const { files } = staticImports(join(REPO_ROOT, 'native-free/index.ts'));
    const NODE_ONLY = ['fs', 'path', 'os', 'zlib', 'worker_threads', 'module', 'url', 'lz4-napi', 'snappy', 'lzma-native', 'piscina'];
    const dynamic: string[] = [];
    for (const f of files) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const m of code.matchAll(/\bimport\s*\(\s*([^)]*)\)/g)) {
        const spec = /^'([^']+)'$/.exec(m[1]!.trim())?.[1];
        // Literal, browser-safe names only.
        if (spec === undefined || spec.startsWith('node:') || NODE_ONLY.includes(spec)) dynamic.push(`${f}: import(${m[1]})`);
        else if (spec.startsWith('.') && /^\s*import\s.*from\s+'node:/m.test(readFileSync(resolve(dirname(f), spec.replace(/\.js$/, '.ts')), 'utf8'))) dynamic.push(`${f}: import(${spec}) uses Node`);
      }
    }
    expect(dynamic).toEqual([]);
  });

  it('refuses a file path with UNSUPPORTED when no local file access is installed', async () => {
    const { openPath } = await import('../../src/io/path-opener.js');
    // The test setup installs the Node file source; a fresh module graph has none.
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = (await import('../../src/io/path-opener.js')) as typeof import('../../src/io/path-opener.js');
    expect(fresh.openPath).not.toBe(openPath);
    await expect(async () => fresh.openPath('/tmp/x.tsfile')).rejects.toMatchObject({ code: 'UNSUPPORTED', file: '/tmp/x.tsfile' });
  });

  describe.skipIf(!HAVE_SHARED)('reads every fixture with pure codecs only', () => {
    beforeAll(() => nf.useCodecs('pure'));
    afterAll(() => nf.useCodecs('native'));
    for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
      it(f.name, async () => {
        const reader = await nf.TsFileReader.open(new Uint8Array(readFileSync(f.tsfile)), { name: f.name });
        const sink = new nf.StringSink();
        await nf.exportCsv(reader, sink);
        expect(sink.toString() === expectedCsv(f)).toBe(true);
      }, 60_000);
    }
  });
});
