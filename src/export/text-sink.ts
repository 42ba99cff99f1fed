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

/** Collects everything written, as text (for tests and small exports). */
export class StringSink implements TextSink {
  private parts: string[] = [];
  private readonly decoder = new TextDecoder();
  write(chunk: string | Uint8Array): void {
    this.parts.push(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }
  toString(): string {
    return this.parts.join('');
  }
}
