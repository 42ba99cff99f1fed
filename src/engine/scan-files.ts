/**
 * Many files as one stream: paths, directories (every *.tsfile below them) and glob patterns
 * (`*`, `**`, `?`) resolve to a sorted file list; each file is scanned with the same filters on the
 * same task runner, so chunk groups of every file are spread over the pool's workers. A query
 * over several files joins them on time.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import { TsFileReader, type ScanOptions } from '../reader/tsfile-reader.js';
import type { ReaderOptions } from '../reader/options.js';
import { type QueryOptions, runQuery } from '../reader/query.js';

export interface FileBatch {
  file: string;
  device: string;
  batch: RecordBatch;
}

/** Expands paths, directories and globs into the list of TsFiles they name, sorted, without duplicates. */
export async function resolveTsFiles(inputs: string | readonly string[]): Promise<string[]> {
  const list = typeof inputs === 'string' ? [inputs] : inputs;
  const out = new Set<string>();
  for (const input of list) {
    if (/[*?]/.test(input)) {
      for (const f of await expandGlob(input)) out.add(f);
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, `cannot read ${input}: ${(cause as Error).message}`, { file: input, cause });
    }
    if (st.isDirectory()) for (const f of await walk(input)) out.add(f);
    else out.add(input);
  }
  return [...out].sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && e.name.endsWith('.tsfile')) out.push(p);
  }
  return out;
}

/** Glob over the file system: the fixed leading directories, then every file below that matches. */
async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]/);
  const firstWild = parts.findIndex((p) => /[*?]/.test(p));
  const base = parts.slice(0, firstWild).join(sep) || (pattern.startsWith(sep) ? sep : '.');
  const re = globToRegExp(parts.slice(firstWild).join('/'));
  const root = resolve(base);
  let files: string[];
  try {
    files = await walkAll(root);
  } catch {
    return [];
  }
  return files.filter((f) => re.test(f.slice(root.length + 1).split(sep).join('/'))).map((f) => join(base, f.slice(root.length + 1)));
}

async function walkAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walkAll(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Scans several TsFiles as one stream of batches, file by file (sorted by path), each device in time order. */
export async function* scanFiles(inputs: string | readonly string[], options: ScanOptions & ReaderOptions = {}): AsyncGenerator<FileBatch> {
  const files = await resolveTsFiles(inputs);
  for (const file of files) {
    throwIfAborted(options.signal);
    const reader = await TsFileReader.open(file, options);
    try {
      for await (const { device, batch } of reader.scan(options)) yield { file, device, batch };
    } finally {
      await reader.close();
    }
  }
}

/**
 * The cross-device query over several TsFiles as one: rows of every file joined on time (a series
 * in several files is one column; where two files hold the same time, the later file's non-null
 * value wins), the filter decided on the statistics of all of them and evaluated on the joined rows.
 */
export async function* queryFiles(inputs: string | readonly string[], options: QueryOptions & ReaderOptions): AsyncGenerator<RecordBatch> {
  const files = await resolveTsFiles(inputs);
  if (files.length === 0) throw new TsFileError(ErrorCode.NOT_FOUND, 'no TsFile to query', { actual: JSON.stringify(inputs) });
  const readers: TsFileReader[] = [];
  try {
    for (const file of files) {
      throwIfAborted(options.signal);
      readers.push(await TsFileReader.open(file, options));
    }
    yield* runQuery(
      readers.map((r) => r.querySource()),
      options,
    );
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}
