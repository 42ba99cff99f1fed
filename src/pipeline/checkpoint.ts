/**
 * The checkpoint file of a resumable load: per source file, how many of its batches are
 * durably written (batches come out of a scan in a fixed order, so a count identifies a position:
 * device and chunk group included), whether it is complete, and the transaction in flight for
 * exactly-once sinks. Saved by write-to-temp + rename so a crash never leaves a torn file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, TsFileError } from '../io/errors.js';

export interface FileProgress {
  size: number;
  mtimeMs: number;
  /** Source batches durably written, counted from the start of the file's scan. */
  done: number;
  rows: number;
  complete: boolean;
}

export interface PendingTransaction {
  file: string;
  from: number;
  to: number;
  segment: number;
  attempt: number;
  label: string;
}

export interface CheckpointData {
  version: 1;
  /** What was being loaded where; a checkpoint of another job is refused. */
  job: string;
  files: Record<string, FileProgress>;
  pending?: PendingTransaction | undefined;
}

export class Checkpoint {
  private constructor(readonly file: string | undefined, public data: CheckpointData) {}

  /** Loads `file` if it exists (checking it belongs to `job`), else starts empty. `undefined` = in memory only. */
  static async open(file: string | undefined, job: string): Promise<Checkpoint> {
    if (file === undefined) return new Checkpoint(undefined, { version: 1, job, files: {} });
    let text: string;
    try { text = await fs.readFile(file, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoint(file, { version: 1, job, files: {} });
      throw new TsFileError(ErrorCode.IO, 'cannot read the checkpoint', { file, cause: e });
    }
    let data: CheckpointData;
    try { data = JSON.parse(text) as CheckpointData; } catch (e) {
      throw new TsFileError(ErrorCode.CORRUPT, 'checkpoint is not JSON', { file, cause: e });
    }
    if (data.version !== 1 || typeof data.files !== 'object' || data.files === null) {
      throw new TsFileError(ErrorCode.CORRUPT, 'checkpoint has an unknown layout', { file, expected: 'version 1', actual: String(data.version) });
    }
    if (data.job !== job) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'checkpoint belongs to another load (other target or options)', { file, expected: job, actual: data.job });
    }
    return new Checkpoint(file, data);
  }

  progress(file: string): FileProgress | undefined { return this.data.files[file]; }

  async save(): Promise<void> {
    if (this.file === undefined) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    const h = await fs.open(tmp, 'w');
    try {
      await h.writeFile(JSON.stringify(this.data, null, 1));
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, this.file);
  }
}
