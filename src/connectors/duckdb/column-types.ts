/**
 * Arrow columns (as the reader produces them) → DuckDB column types, exactly: Int64 times and
 * Timestamp(ms) as TIMESTAMP_MS (DuckDB keeps the int64 milliseconds as they are, the whole int64
 * range included), other Timestamp units as TIMESTAMP_S / TIMESTAMP / TIMESTAMP_NS, DateDay as DATE,
 * Float32 as FLOAT, Binary as BLOB, Utf8 (TEXT and STRING) as VARCHAR.
 */
import { type Field, Type, TimeUnit } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../../io/errors.js';

/** How values of a column are copied into a DuckDB vector. */
export type CopyKind = 'fixed' | 'boolean' | 'bytes' | 'dictionary-utf8';

export interface DuckColumnType {
  /** SQL name, as in CREATE TABLE and DESCRIBE. */
  sql: string;
  /** duckdb_type code (node-bindings' Type enum). */
  code: number;
  copy: CopyKind;
  /** Bytes per value for fixed-width copies. */
  width: number;
}

// duckdb_type codes (duckdb.h).
const T = { BOOLEAN: 1, INTEGER: 4, BIGINT: 5, FLOAT: 10, DOUBLE: 11, TIMESTAMP: 12, DATE: 13, VARCHAR: 17, BLOB: 18, TIMESTAMP_S: 20, TIMESTAMP_MS: 21, TIMESTAMP_NS: 22 } as const;

const fixed = (sql: keyof typeof T, width: number): DuckColumnType => ({ sql, code: T[sql], copy: 'fixed', width });

/** The DuckDB type of an Arrow field; `asTime` makes an Int64 a TIMESTAMP_MS (the TsFile time column). */
export function duckColumnType(f: Field, asTime = false): DuckColumnType {
  const t = f.type as { typeId: Type; bitWidth?: number; isSigned?: boolean; precision?: number; unit?: TimeUnit; dictionary?: { typeId: Type } };
  switch (t.typeId) {
    case Type.Bool:
      return { sql: 'BOOLEAN', code: T.BOOLEAN, copy: 'boolean', width: 1 };
    case Type.Int:
      if (t.isSigned && t.bitWidth === 32) return fixed('INTEGER', 4);
      if (t.isSigned && t.bitWidth === 64) return asTime ? fixed('TIMESTAMP_MS', 8) : fixed('BIGINT', 8);
      break;
    case Type.Float:
      if (t.precision === 1) return fixed('FLOAT', 4);
      if (t.precision === 2) return fixed('DOUBLE', 8);
      break;
    case Type.Date:
      // DateDay is int32 days since the epoch, like DuckDB's DATE.
      if ((t as { unit?: number }).unit === 0) return fixed('DATE', 4);
      break;
    case Type.Timestamp:
      return t.unit === TimeUnit.SECOND ? fixed('TIMESTAMP_S', 8) : t.unit === TimeUnit.MILLISECOND ? fixed('TIMESTAMP_MS', 8) : t.unit === TimeUnit.MICROSECOND ? fixed('TIMESTAMP', 8) : fixed('TIMESTAMP_NS', 8);
    case Type.Utf8:
      return { sql: 'VARCHAR', code: T.VARCHAR, copy: 'bytes', width: 0 };
    case Type.Binary:
      return { sql: 'BLOB', code: T.BLOB, copy: 'bytes', width: 0 };
    case Type.Dictionary:
      if (t.dictionary?.typeId === Type.Utf8) return { sql: 'VARCHAR', code: T.VARCHAR, copy: 'dictionary-utf8', width: 0 };
      break;
    default:
      break;
  }
  throw new TsFileError(ErrorCode.UNSUPPORTED, `column "${f.name}" has an Arrow type DuckDB gets no exact column for`, { actual: String(f.type) });
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
