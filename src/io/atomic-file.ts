/**
 * Atomic file output (Node only): a command writes into a temporary file beside its target and
 * moves it into place only once everything was written, so a failed, refused or interrupted command
 * leaves an existing target byte-identical and no partial file. Without `overwrite` the move is a
 * hard link (refused by the file system when the target appeared meanwhile) and never replaces a file.
 */
import { closeSync, openSync, fsyncSync, unlinkSync } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode, TsFileError } from './errors.js';

export interface AtomicFileOptions {
  /** Replace an existing target (default: refuse it). */
  overwrite?: boolean;
}

/** Temporary files not yet committed or discarded: removed if the process exits first. */
const pending = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of pending) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  });
}

function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class AtomicFile {
  private done = false;

  private constructor(
    /** Where the output appears on commit. */
    readonly target: string,
    /** Where to write meanwhile (same directory, so the move is a rename). */
    readonly tempPath: string,
    private readonly overwrite: boolean,
  ) {}

  /**
   * Plans an output at `target`: checks that its directory exists and that it is not a directory
   * (nor, without `overwrite`, an existing file). Nothing is created until the caller writes `tempPath`.
   */
  static async create(target: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
    if (typeof target !== 'string' || target === '') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'an output path is required', { actual: String(target) });
    const dir = dirname(resolve(target));
    const dirStat = await stat(dir).catch((cause: unknown) => {
      throw new TsFileError(ErrorCode.IO, `the output directory ${dirname(target)} does not exist`, { file: target, cause });
    });
    if (!dirStat.isDirectory()) throw new TsFileError(ErrorCode.IO, `${dirname(target)} is not a directory`, { file: target });
    const existing = await stat(target).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT') return undefined;
      throw new TsFileError(ErrorCode.IO, 'cannot check the output path', { file: target, cause: e });
    });
    if (existing?.isDirectory()) throw new TsFileError(ErrorCode.IO, 'the output is a directory', { file: target });
    if (existing !== undefined && options.overwrite !== true) throw new TsFileError(ErrorCode.IO, 'the output exists (give --force to replace it)', { file: target });
    const temp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    installExitHook();
    pending.add(temp);
    return new AtomicFile(target, temp, options.overwrite === true);
  }

  /** Moves the complete temporary file into place (after syncing it to disk). */
  async commit(): Promise<void> {
    if (this.done) throw new TsFileError(ErrorCode.CLOSED, 'the output was already committed or discarded', { file: this.target });
    try {
      const fd = openSync(this.tempPath, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (this.overwrite) await rename(this.tempPath, this.target);
      else {
        await link(this.tempPath, this.target);
        await unlink(this.tempPath);
      }
    } catch (cause) {
      await this.discard();
      if (errnoCode(cause) === 'EEXIST') throw new TsFileError(ErrorCode.IO, 'the output appeared while writing it (give --force to replace it)', { file: this.target, cause });
      throw new TsFileError(ErrorCode.IO, `cannot move the output into place: ${(cause as Error).message}`, { file: this.target, cause });
    }
    this.done = true;
    pending.delete(this.tempPath);
  }

  /** Removes the temporary file; the target stays as it was. Safe to call more than once. */
  async discard(): Promise<void> {
    this.done = true;
    pending.delete(this.tempPath);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** Runs `write(tempPath)` and commits its file to `target` on success; discards it on any failure. */
export async function writeAtomically<T>(target: string, write: (tempPath: string) => Promise<T>, options: AtomicFileOptions = {}): Promise<T> {
  const out = await AtomicFile.create(target, options);
  let result: T;
  try {
    result = await write(out.tempPath);
  } catch (e) {
    await out.discard();
    throw e;
  }
  await out.commit();
  return result;
}
