/**
 * Output files that appear only once complete: bytes go to a temporary file beside the target,
 * which is fsynced and renamed over the target on commit, or removed on discard — a failed or
 * interrupted export never leaves a truncated file or destroys the one that was there.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ParquetDirectory, ParquetFileOutput } from './parquet.js';

export async function atomicFile(target: string): Promise<ParquetFileOutput> {
  await fs.mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  const handle = await fs.open(tmp, 'wx');
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await handle.close();
  };
  return {
    path: target,
    async write(chunk) {
      await handle.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    },
    async commit() {
      await handle.sync();
      await close();
      await fs.rename(tmp, target);
    },
    async discard() {
      await close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
    },
  };
}

/** A file name for a device or table name: path separators and other awkward characters become "_". */
export function safeFileName(name: string): string {
  const s = name.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return s === '' || s === '.' || s === '..' ? `_${s}` : s;
}

/** One `<name>.parquet` per table in `dir` (the long tree table is `tree.parquet`). */
export function parquetDirectory(dir: string): ParquetDirectory {
  const used = new Set<string>();
  return {
    open(name, kind) {
      let base = kind === 'long' ? 'tree' : safeFileName(name);
      for (let i = 2; used.has(base.toLowerCase()); i++) base = `${kind === 'long' ? 'tree' : safeFileName(name)}_${i}`;
      used.add(base.toLowerCase());
      return atomicFile(path.join(dir, `${base}.parquet`));
    },
  };
}
