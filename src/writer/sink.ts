/**
 * Output sinks of the writer (tsfile-format.md §2: a file is written strictly front to back, so a sink
 * only ever appends). A memory sink collects the bytes for callers that want them in memory (tests,
 * uploads, browsers); the Node file sink lives in `file-sink.ts`. Nothing here imports Node.
 */

export interface TsFileSink {
  /** Appends bytes; the caller may reuse `bytes` after the returned promise settles. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Flushes and releases the sink. */
  close(): void | Promise<void>;
  /** Label for error messages. */
  readonly name?: string;
}

/** Collects everything in memory; `bytes()` returns the written file. */
export class MemorySink implements TsFileSink {
  readonly name = '<memory>';
  private parts: Uint8Array[] = [];
  private size = 0;
  private joined: Uint8Array | undefined;

  write(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
    this.size += bytes.length;
    this.joined = undefined;
  }

  close(): void {}

  get byteLength(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    if (this.joined === undefined) {
      const out = new Uint8Array(this.size);
      let at = 0;
      for (const p of this.parts) {
        out.set(p, at);
        at += p.length;
      }
      this.parts = [out];
      this.joined = out;
    }
    return this.joined;
  }
}
