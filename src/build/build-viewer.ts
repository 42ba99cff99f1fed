/**
 * Builds the viewer page (src/viewer/page) into a static folder: index.html, viewer.js (the page
 * and the native-free reader, bundled for browsers by esbuild) and viewer.css (uPlot's styles and
 * ours). Run by `npm run build`; `tsx src/build/build-viewer.ts [outDir]` (default dist/viewer).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = join(ROOT, 'src/viewer/page');

export async function buildViewer(outDir: string = join(ROOT, 'dist/viewer')): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(PAGE, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    outfile: join(outDir, 'viewer.js'),
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  const uplotCss = readFileSync(join(dirname(require.resolve('uplot')), 'uPlot.min.css'), 'utf8');
  writeFileSync(join(outDir, 'viewer.css'), `${uplotCss}\n${readFileSync(join(PAGE, 'style.css'), 'utf8')}`);
  copyFileSync(join(PAGE, 'index.html'), join(outDir, 'index.html'));
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildViewer(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  console.log(`viewer built in ${out}`);
}
