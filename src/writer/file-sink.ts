/** The Node file sink of the writer: appends through a staging buffer and fsyncs on close (§2). */
import { open, type FileHandle } from 'node:fs/promises';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { TsFileSink } from './sink.js';

/** Writes to a file through a staging buffer of `bufferSize` bytes; fsync on close. */
export class FileSink implements TsFileSink {
  private handle: FileHandle | undefined;
  private readonly staging: Uint8Array;
  private staged = 0;
  private closed = false;

  private constructor(
    readonly name: string,
    handle: FileHandle,
    bufferSize: number,
  ) {
    this.handle = handle;
    this.staging = new Uint8Array(bufferSize);
  }

  /** Creates (or truncates) `path`; `label` names it in errors (e.g. the target of a temporary file). */
  static async create(path: string, bufferSize = 1 << 20, label = path): Promise<FileSink> {
    try {
      return new FileSink(label, await open(path, 'w'), bufferSize);
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, 'cannot create the output file', { file: label, cause });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new TsFileError(ErrorCode.CLOSED, 'write after close', { file: this.name });
    if (this.staged + bytes.length <= this.staging.length) {
      this.staging.set(bytes, this.staged);
      this.staged += bytes.length;
      return;
    }
    await this.drain();
    if (bytes.length >= this.staging.length) await this.writeFully(bytes);
    else {
      this.staging.set(bytes, 0);
      this.staged = bytes.length;
    }
  }

  private async drain(): Promise<void> {
    if (this.staged === 0) return;
    await this.writeFully(this.staging.subarray(0, this.staged));
    this.staged = 0;
  }

  private async writeFully(bytes: Uint8Array): Promise<void> {
    const h = this.handle!;
    let at = 0;
    try {
      while (at < bytes.length) {
        const { bytesWritten } = await h.write(bytes, at, bytes.length - at);
        at += bytesWritten;
      }
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, 'write to the output file failed', { file: this.name, cause });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const h = this.handle!;
    try {
      await this.drain();
      await h.sync();
    } finally {
      this.handle = undefined;
      await h.close();
    }
  }
}
