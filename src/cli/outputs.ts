/**
 * How commands write files: checks of the planned outputs before anything is opened (an output is
 * never an input, two outputs are never one file, an existing file is replaced only with --force),
 * then each output through a temporary file beside it that is moved into place on success only.
 */
import { stat } from 'node:fs/promises';
import { AtomicFile } from '../io/atomic-file.js';
import { findOutputConflict } from '../io/file-identity.js';
import { FileSink } from '../writer/file-sink.js';
import type { TextSink } from '../export/text-sink.js';
import { resolveTsFiles } from '../engine/scan-files.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import { nearest, UsageError, type CommandSpec } from './args.js';

/**
 * The TsFiles named by paths, directories and globs. A missing path that looks like an option
 * without its dashes (`export f fromat`) is a usage error with a suggestion; otherwise an IO error.
 */
export async function resolveInputs(paths: readonly string[], spec: CommandSpec): Promise<string[]> {
  for (const p of paths) {
    if (/[*?]/.test(p)) continue;
    if ((await stat(p).catch(() => undefined)) !== undefined) continue;
    const option = nearest(p, spec.options.map((o) => o.name));
    if (option !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(p)}, not a file (did you mean --${option}?)`);
  }
  const files = await resolveTsFiles(paths);
  if (files.length === 0) throw new TsFileError(ErrorCode.NOT_FOUND, `no TsFile found in ${paths.join(' ')}`);
  return files;
}

/** Refuses (UsageError) outputs that are inputs, that coincide, that are directories, or that exist without `force`. */
export async function checkOutputs(inputs: readonly string[], outputs: readonly string[], force: boolean): Promise<void> {
  const conflict = await findOutputConflict(inputs, outputs);
  if (conflict !== undefined) throw new UsageError(conflict);
  for (const out of outputs) {
    const s = await stat(out).catch(() => undefined);
    if (s?.isDirectory()) throw new UsageError(`the output ${out} is a directory`);
    if (s !== undefined && !force) throw new UsageError(`the output ${out} exists (give --force to replace it)`);
  }
}

/**
 * Runs `write` on a file sink of a temporary file beside `target`; moves it to `target` when
 * `write` succeeds, removes it when anything fails (the sink is closed either way).
 */
export async function withOutputFile<T>(target: string, force: boolean, write: (sink: FileSink) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const out = await AtomicFile.create(target, { overwrite: force });
  let sink: FileSink | undefined;
  try {
    sink = await FileSink.create(out.tempPath, 1 << 20, target);
    const result = await write(sink);
    await sink.close();
    // Cancelled while the last bytes were written: the output does not appear.
    throwIfAborted(signal);
    await out.commit();
    return result;
  } catch (e) {
    await sink?.close().catch(() => undefined);
    await out.discard();
    throw e;
  }
}

/** A text sink over a file sink (strings as UTF-8). */
export function textOnto(sink: FileSink): TextSink {
  const encoder = new TextEncoder();
  return { write: (chunk) => sink.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk) };
}
