/**
 * The pipeline's source — TsFiles and directories (history), optionally watched for new files
 * (realtime): expands paths into `.tsfile` files in a stable order and, when watching, reports
 * files that appear later once their size has stopped changing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, TsFileError } from '../io/errors.js';

export interface SourceFile { path: string; size: number; mtimeMs: number }

async function walk(dir: string, out: SourceFile[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && e.name.endsWith('.tsfile')) {
      const st = await fs.stat(p);
      out.push({ path: path.resolve(p), size: st.size, mtimeMs: st.mtimeMs });
    }
  }
}

/** Every TsFile named by `sources` (files as given, directories recursively), sorted by path. */
export async function listSourceFiles(sources: readonly string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const s of sources) {
    let st;
    try { st = await fs.stat(s); } catch (e) {
      throw new TsFileError(ErrorCode.NOT_FOUND, 'source not found', { file: s, cause: e });
    }
    if (st.isDirectory()) await walk(s, out);
    else out.push({ path: path.resolve(s), size: st.size, mtimeMs: st.mtimeMs });
  }
  const seen = new Set<string>();
  return out.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Watches directories by polling: each call returns files not seen before whose size and mtime
 * were the same on the previous poll (so a file still being copied is not read half-written).
 */
export class DirectoryWatcher {
  private readonly seen = new Set<string>();
  private readonly lastSeen = new Map<string, string>();

  constructor(private readonly dirs: readonly string[], known: Iterable<string>) {
    for (const k of known) this.seen.add(k);
  }

  async poll(): Promise<SourceFile[]> {
    const now = await listSourceFiles(this.dirs);
    const ready: SourceFile[] = [];
    for (const f of now) {
      if (this.seen.has(f.path)) continue;
      const sig = `${f.size}:${f.mtimeMs}`;
      if (this.lastSeen.get(f.path) === sig) { this.seen.add(f.path); this.lastSeen.delete(f.path); ready.push(f); } else this.lastSeen.set(f.path, sig);
    }
    return ready;
  }
}
