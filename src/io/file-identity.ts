/**
 * Which file a path names, by identity rather than spelling (Node only): device and inode after
 * following symbolic links, so `a.tsfile`, `./sub/../a.tsfile`, a symlink and a hard link to it are
 * one file. Used before anything is opened for writing: an output must not be one of the inputs,
 * and several outputs must not land on one file.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

/** A file that exists (`ino`), or a name in an existing directory (`name`). */
export interface FileIdentity {
  dev: number;
  ino: number;
  /** Set when the path does not exist: the identity is its directory's plus this name. */
  name?: string;
}

async function statOrUndefined(path: string): Promise<{ dev: number; ino: number } | undefined> {
  try {
    const s = await stat(path, { bigint: false });
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** The identity of `path`; undefined when neither it nor its directory exists. */
export async function fileIdentity(path: string): Promise<FileIdentity | undefined> {
  const own = await statOrUndefined(path);
  if (own !== undefined) return own;
  const dir = await statOrUndefined(dirname(resolve(path)));
  return dir === undefined ? undefined : { ...dir, name: basename(resolve(path)) };
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino && a.name === b.name;
}

/**
 * The first conflict among planned writes, as a sentence, or undefined: an output that is one of the
 * inputs, or two outputs that are one file.
 */
export async function findOutputConflict(inputs: readonly string[], outputs: readonly string[]): Promise<string | undefined> {
  const ins = await Promise.all(inputs.map(async (p) => ({ p, id: await fileIdentity(p) })));
  const seen: { p: string; id: FileIdentity | undefined }[] = [];
  for (const p of outputs) {
    const id = await fileIdentity(p);
    const input = ins.find((i) => sameIdentity(i.id, id));
    if (input !== undefined) return input.p === p ? `the output ${p} is the input` : `the output ${p} is the input ${input.p} (same file)`;
    const twin = seen.find((s) => sameIdentity(s.id, id) || resolve(s.p) === resolve(p));
    if (twin !== undefined) return `two outputs would be one file: ${twin.p} and ${p}`;
    seen.push({ p, id });
  }
  return undefined;
}
