/** What a CLI command gets: its output streams and a cancellation signal (Ctrl-C). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal?: AbortSignal;
}
