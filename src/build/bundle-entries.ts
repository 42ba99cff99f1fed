/**
 * Bundles the compiled entries (dist/src, dist/native-free) into the files the package ships in
 * dist/bundle, because loading ~190 small modules costs a start-up far more than running them:
 *   - index.js, native-free.js, worker.js: the Node entry, the native-free entry and the pool's worker,
 *     split into shared chunks (so the two entries share one registry, one TsFileError class). Every
 *     package stays external: apache-arrow in particular, so a user's `instanceof` checks on our
 *     batches see the same classes as their own code.
 *   - tsfile.js: the command, one file with apache-arrow and fflate inside (a process of its own, whose
 *     batches no other code sees); addons, piscina and WebAssembly packages stay external, since they
 *     load their binaries relative to their own files. Its pool runs worker.js beside it.
 * Source maps follow the compiled files' maps back to src/ and carry the sources; bundled packages'
 * own maps are not followed (apache-arrow's name .ts files it does not ship), so their lines map to
 * the package's shipped JavaScript, carried too. Run by
 * `npm run build` after tsc; `tsx src/build/bundle-entries.ts`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');

/** Packages the command leaves to Node's resolution: native addons, worker threads and WebAssembly files of their own. */
const CLI_EXTERNAL = ['piscina', '@duckdb/*', 'parquet-wasm', '@bokuweb/zstd-wasm', 'xz-decompress', 'lz4-napi', 'snappy', 'lzma-native'];

/** Loads package files without their `sourceMappingURL` comments, so the bundle's map embeds the files themselves. */
const packageFilesAsShipped: Plugin = {
  name: 'package-files-as-shipped',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''),
      loader: 'js',
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

export async function bundleEntries(outDir: string = join(DIST, 'bundle')): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: {
      index: join(DIST, 'src/index.js'),
      'native-free': join(DIST, 'native-free/index.js'),
      // The pool's worker file: pool-runner resolves it as ./worker.js beside the chunk it lands in.
      worker: join(DIST, 'src/engine/worker.js'),
    },
    splitting: true,
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    outdir: outDir,
  });
  await build({
    ...common,
    entryPoints: { tsfile: join(DIST, 'src/cli/main.js') },
    external: CLI_EXTERNAL,
    plugins: [packageFilesAsShipped],
    outdir: outDir,
  });
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`entries bundled in ${await bundleEntries()}`);
}
