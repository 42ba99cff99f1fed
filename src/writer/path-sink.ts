/**
 * How the writer creates a file at a path: through a function the Node entry installs (the local
 * file sink). The writer never imports Node modules itself; without an installed function a path
 * is refused with a clear message (pass a sink such as MemorySink instead).
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { TsFileSink } from './sink.js';

export type PathSinkFactory = (path: string) => Promise<TsFileSink>;

let factory: PathSinkFactory | undefined;

/** Sets the function that creates a sink for a file path (the Node entry installs FileSink). */
export function installPathSink(create: PathSinkFactory): void {
  factory = create;
}

/** Creates (or truncates) the file at `path` through the installed function. */
export function createPathSink(path: string): Promise<TsFileSink> {
  if (factory === undefined) {
    throw new TsFileError(ErrorCode.UNSUPPORTED, 'writing to a file path needs the Node entry of tsfile-arrow', {
      file: path,
      expected: 'a TsFileSink such as MemorySink here',
      actual: 'a path',
    });
  }
  return factory(path);
}
