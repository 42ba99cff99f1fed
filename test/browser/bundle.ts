/** Bundles a page module for the browser with esbuild, as a front-end build would. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';

export interface Bundle {
  dir: string;
  file: string;
  text: string;
  metafile: Metafile;
}

export async function bundleForBrowser(entry: string, name = 'bundle.js'): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-bundle-'));
  const file = join(dir, name);
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', outfile: file, metafile: true, logLevel: 'silent' });
  return { dir, file, text: readFileSync(file, 'utf8'), metafile: result.metafile };
}
