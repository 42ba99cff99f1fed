/**
 * The published package as a consumer sees it (the built dist/, as `npm ci` builds it): publint and
 * @arethetypeswrong/cli find nothing wrong; the public declarations type-check with
 * skipLibCheck false under node16 and bundler resolution; under the `browser` condition `.`
 * serves the native-free declarations, so a browser build importing FileSource fails at
 * type-check; every shipped source map points at sources it carries.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures.js';

const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const BUILT = existsSync(join(REPO_ROOT, 'dist/src/index.d.ts')) && existsSync(join(REPO_ROOT, 'dist/native-free/index.d.ts'));

/** A consumer project with tsfile-arrow linked into its node_modules. */
function consumer(files: Record<string, string>, compilerOptions: Record<string, unknown>): { code: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/tsfile-arrow'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', ...compilerOptions }, include: Object.keys(files) }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  try {
    return { code: 0, out: execFileSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' }) };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: `${x.stdout}${x.stderr}` };
  }
}

const NODE_USE = `import { TsFileReader, FileSource, openUrl, HttpSource, exportCsv, StringSink, type SeriesInfo } from 'tsfile-arrow';
import * as nf from 'tsfile-arrow/native-free';
export async function f(path: string): Promise<SeriesInfo[]> {
  const r = await TsFileReader.open(await FileSource.open(path));
  const remote = await openUrl('http://127.0.0.1/x.tsfile', { headers: {} });
  const s = new StringSink();
  await exportCsv(remote, s);
  void HttpSource; void nf.openUrl;
  return r.timeseries('d');
}
`;
const BROWSER_USE = `import { openUrl, TsFileReader, BufferSource, exportCsv, StringSink } from 'tsfile-arrow';
export async function f(url: string, bytes: Uint8Array): Promise<string> {
  const r = await openUrl(url, { signal: AbortSignal.timeout(1000) });
  await TsFileReader.open(new BufferSource(bytes));
  const s = new StringSink();
  await exportCsv(r, s);
  return s.toString();
}
`;

describe.skipIf(!BUILT)('the package as published', () => {
  let tarball: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfile-pack-'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' });
    tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  }, 120_000);

  it('publint finds nothing to warn about', async () => {
    const { publint } = await import('publint');
    // publint packs with npm itself (lifecycle scripts ignored) to see the published file list.
    const { messages } = await publint({ pkgDir: REPO_ROOT, level: 'warning', pack: 'npm' });
    expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`)).toEqual([]);
  }, 120_000);

  it('@arethetypeswrong/cli finds no problem (ESM only)', () => {
    const cli = join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    let out = '';
    let code = 0;
    try {
      out = execFileSync(process.execPath, [cli, tarball, '--profile', 'esm-only', '--format', 'json', '--no-color'], { encoding: 'utf8' });
    } catch (e) {
      code = (e as { status: number }).status;
      out = (e as { stdout: string }).stdout;
    }
    // The package is ESM only: CommonJS (node16-cjs) and pre-exports (node10) resolution are out of scope.
    const report = JSON.parse(out) as { analysis: { problems: { resolutionKind?: string }[] } };
    expect(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('the Node declarations type-check with skipLibCheck false (node16)', () => {
    const r = consumer({ 'use.ts': NODE_USE }, { module: 'node16', moduleResolution: 'node16', types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules/@types')] });
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('under the browser condition the declarations type-check with skipLibCheck false and no Node types, and FileSource is refused', () => {
    // One consumer project (bundler resolution, DOM, no @types/node): use.ts must pass; the two
    // files importing FileSource must fail, at type-check, with "no exported member".
    const r = consumer(
      {
        'use.ts': BROWSER_USE,
        'bad-root.ts': `import { FileSource } from 'tsfile-arrow';\nvoid FileSource;\n`,
        'bad-native-free.ts': `import { FileSource } from 'tsfile-arrow/native-free';\nvoid FileSource;\n`,
      },
      { module: 'esnext', moduleResolution: 'bundler', customConditions: ['browser'], lib: ['ES2022', 'DOM'], types: [] },
    );
    const errors = r.out.split('\n').filter((l) => l.includes('error TS'));
    expect(errors.filter((l) => !l.startsWith('bad-'))).toEqual([]);
    expect(errors.filter((l) => l.startsWith('bad-root.ts') && /no exported member.*'FileSource'/.test(l)).length).toBe(1);
    expect(errors.filter((l) => l.startsWith('bad-native-free.ts') && /no exported member.*'FileSource'/.test(l)).length).toBe(1);
    expect(errors.length).toBe(2);
  }, 120_000);

  it('ships a LICENSE and no source map whose sources are missing', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('package/LICENSE');
    const maps = listing.filter((f) => f.endsWith('.map'));
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(REPO_ROOT, m.slice('package/'.length)), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      // Either the sources are inlined, or every one of them is in the package.
      expect(map.sourcesContent?.length === map.sources.length && map.sourcesContent.every((s) => typeof s === 'string'), m).toBe(true);
    }
  });
});
