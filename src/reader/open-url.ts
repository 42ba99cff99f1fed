/**
 * Opening a TsFile at a URL: an HttpSource (range requests planned from the index) under a
 * reader that closes it. Works wherever `fetch` does: browsers, Node, edge runtimes.
 */
import { HttpSource, type HttpSourceOptions } from '../io/http-source.js';
import type { ReaderOptions } from './options.js';
import { TsFileReader } from './tsfile-reader.js';

export type OpenUrlOptions = HttpSourceOptions & ReaderOptions;

/** Opens the TsFile at `url` for reading; `headers`, `fetch` and `signal` go to every request. */
export async function openUrl(url: string | URL, options: OpenUrlOptions = {}): Promise<TsFileReader> {
  const source = await HttpSource.open(String(url), options);
  try {
    return await TsFileReader.open(source, { ...options, name: options.name ?? source.name }, true);
  } catch (e) {
    source.close();
    throw e;
  }
}
