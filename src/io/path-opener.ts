/**
 * How the core opens a file path: through an opener the Node entry installs (the local file
 * source). The core never imports Node modules itself, so it bundles for browsers and edge
 * runtimes, where a path has no meaning and opening one is refused with a clear message.
 */
import type { ByteSource } from './byte-source.js';
import { ErrorCode, TsFileError } from './errors.js';

export type PathOpener = (path: string) => Promise<ByteSource>;

let opener: PathOpener | undefined;

/** Sets the function that opens file paths (the Node entry installs the local file source). */
export function installPathOpener(open: PathOpener): void {
  opener = open;
}

/** Opens `path` with the installed opener; without one (browsers, edge runtimes), UNSUPPORTED. */
export function openPath(path: string): Promise<ByteSource> {
  if (opener === undefined) {
    throw new TsFileError(ErrorCode.UNSUPPORTED, 'opening a file path needs the Node entry of tsfile-arrow', {
      file: path,
      expected: 'bytes, a ByteSource or openUrl(url) here',
      actual: 'a path',
    });
  }
  return opener(path);
}
