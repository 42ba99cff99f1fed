/** The `duckdb:PATH[?table=NAME]` target of `tsfile load`: a DuckDB database file and the table to fill. */
import { ErrorCode, TsFileError } from '../../io/errors.js';
import type { DuckDBSinkOptions } from './sink.js';

export function isDuckDBTarget(url: string): boolean {
  return url.startsWith('duckdb:');
}

export function parseDuckDBTarget(url: string): DuckDBSinkOptions {
  const rest = url.slice('duckdb:'.length).replace(/^\/\/(?=\/)/, '');
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  if (path === '') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the DuckDB target needs a database file: duckdb:PATH.duckdb[?table=NAME]', { actual: url });
  const out: DuckDBSinkOptions = { path };
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) {
      if (k === 'table' && v !== '') out.table = v;
      else throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown DuckDB target option "${k}"`, { expected: 'table=NAME', actual: `${k}=${v}` });
    }
  }
  return out;
}
