/** A ByteSource over a local file (Node only): positional reads, never the whole file at once. */
import { open, type FileHandle } from 'node:fs/promises';
import { checkRange, type ByteSource } from './byte-source.js';
import { ErrorCode, TsFileError } from './errors.js';

export class FileSource implements ByteSource {
  private constructor(
    private handle: FileHandle | null,
    readonly byteLength: number,
    readonly name: string,
  ) {}

  static async open(path: string): Promise<FileSource> {
    if (typeof path !== 'string' || path === '') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a file path is required', { actual: String(path) });
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, `cannot open file: ${(cause as Error).message}`, { file: path, cause });
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new TsFileError(ErrorCode.IO, stat.isDirectory() ? 'cannot open file: it is a directory' : 'cannot open file: not a regular file', { file: path });
    }
    return new FileSource(handle, stat.size, path);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    if (this.handle === null) throw new TsFileError(ErrorCode.CLOSED, 'file is closed', { file: this.name, offset });
    // Every byte is overwritten by the read: skip the zero fill (an ArrayBuffer of its own, never a pooled slice).
    const slow = Buffer.allocUnsafeSlow(length);
    const out = new Uint8Array(slow.buffer, slow.byteOffset, length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new TsFileError(ErrorCode.TRUNCATED, 'file ended during a read (was it truncated while open?)', {
          file: this.name,
          offset: offset + done,
          expected: `${length - done} more bytes`,
        });
      }
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }
}
