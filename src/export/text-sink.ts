/** Where exporters write text or bytes: a Node stream with backpressure, or a collector for tests. */
export interface TextSink {
  write(chunk: string | Uint8Array): Promise<void> | void;
}

/** Wraps a Node writable stream, waiting for 'drain' when its buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  return {
    write(chunk) {
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          stream.off('drain', done);
          stream.off('error', done);
          if (err) reject(err);
          else resolve();
        };
        stream.once('drain', done);
        stream.once('error', done);
      });
    },
  };
}

/**
 * Collects everything written (for tests and small exports): `bytes()` gives exactly the bytes
 * written, binary output included; `toString()` decodes them as UTF-8.
 */
export class StringSink implements TextSink {
  private parts: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();
  write(chunk: string | Uint8Array): void {
    // Copied: writers may reuse their buffers once write returns.
    this.parts.push(typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk.slice());
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    this.parts = [out];
    return out;
  }
  toString(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
