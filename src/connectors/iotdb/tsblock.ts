/**
 * IoTDB's TsBlock, the binary result format of `executeQueryStatementV2` / `fetchResultsV2`
 * (`queryResult` entries): i32 value-column count, one TSDataType byte per value column, i32 row
 * count, one column-encoding byte for the time column and each value column, then the time column
 * (INT64 array) and the value columns. Column encodings: 0 byte array (BOOLEAN, bit-packed
 * MSB first), 1 int32 array (INT32, DATE, FLOAT), 2 int64 array (INT64, TIMESTAMP, DOUBLE),
 * 3 binary array (i32 length + bytes), 4 run-length (an inner encoding byte and one value repeated).
 * Each array starts with a may-have-null byte and, when set, bit-packed null flags (MSB first,
 * set = null); null rows have no value bytes. Every length is checked against the buffer.
 */
import { ConnectorError } from '../core/errors.js';
import type { TsTypeName } from '../core/columns.js';

export const TYPE_BY_CODE: Record<number, TsTypeName> = { 0: 'BOOLEAN', 1: 'INT32', 2: 'INT64', 3: 'FLOAT', 4: 'DOUBLE', 5: 'TEXT', 8: 'TIMESTAMP', 9: 'DATE', 10: 'BLOB', 11: 'STRING' };

/** One decoded column: a value per row (null for a null row). DATE stays the int yyyymmdd. */
export type BlockValue = boolean | number | bigint | Uint8Array | null;

export interface TsBlock {
  rows: number;
  types: TsTypeName[];
  times: BigInt64Array;
  columns: BlockValue[][];
}

class Reader {
  p = 0;
  constructor(readonly b: Buffer, readonly sink: string) {}
  need(n: number, what: string): void {
    if (n < 0 || this.p + n > this.b.length) {
      throw new ConnectorError(`TsBlock: ${what} needs ${n} bytes at offset ${this.p}, ${this.b.length - this.p} left`, { sink: this.sink, failure: 'protocol', retryable: false });
    }
  }
  u8(what: string): number { this.need(1, what); return this.b[this.p++]!; }
  i32(what: string): number { this.need(4, what); const v = this.b.readInt32BE(this.p); this.p += 4; return v; }
}

function bits(r: Reader, n: number, what: string): boolean[] {
  const bytes = (n + 7) >> 3;
  r.need(bytes, what);
  const out = new Array<boolean>(n);
  for (let i = 0; i < n; i++) out[i] = (r.b[r.p + (i >> 3)]! & (0x80 >> (i & 7))) !== 0;
  r.p += bytes;
  return out;
}

function nullFlags(r: Reader, n: number): boolean[] | null {
  return r.u8('may-have-null byte') === 0 ? null : bits(r, n, 'null flags');
}

function readColumn(r: Reader, encoding: number, type: TsTypeName, n: number): BlockValue[] {
  const out = new Array<BlockValue>(n).fill(null);
  const wrong = (): never => {
    throw new ConnectorError(`TsBlock: column encoding ${encoding} cannot hold ${type}`, { sink: r.sink, failure: 'protocol', retryable: false });
  };
  if (encoding === 4) {
    const inner = r.u8('run-length inner encoding');
    if (inner === 4) wrong();
    const one = readColumn(r, inner, type, 1)[0] ?? null;
    return out.fill(one);
  }
  if (n === 0) return out;
  const nulls = nullFlags(r, n);
  switch (encoding) {
    case 0: {
      if (type !== 'BOOLEAN') wrong();
      const v = bits(r, n, 'boolean values');
      for (let i = 0; i < n; i++) if (nulls === null || !nulls[i]) out[i] = v[i]!;
      return out;
    }
    case 1:
      if (type !== 'INT32' && type !== 'DATE' && type !== 'FLOAT') wrong();
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i]) continue;
        r.need(4, 'int32 value');
        out[i] = type === 'FLOAT' ? r.b.readFloatBE(r.p) : r.b.readInt32BE(r.p);
        r.p += 4;
      }
      return out;
    case 2:
      if (type !== 'INT64' && type !== 'TIMESTAMP' && type !== 'DOUBLE') wrong();
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i]) continue;
        r.need(8, 'int64 value');
        out[i] = type === 'DOUBLE' ? r.b.readDoubleBE(r.p) : r.b.readBigInt64BE(r.p);
        r.p += 8;
      }
      return out;
    case 3:
      if (type !== 'TEXT' && type !== 'STRING' && type !== 'BLOB') wrong();
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i]) continue;
        const len = r.i32('binary length');
        r.need(len, 'binary value');
        out[i] = Uint8Array.prototype.slice.call(r.b, r.p, r.p + len);
        r.p += len;
      }
      return out;
    default:
      throw new ConnectorError(`TsBlock: unknown column encoding ${encoding}`, { sink: r.sink, failure: 'protocol', retryable: false });
  }
}

/** Decodes one serialized TsBlock; throws a protocol ConnectorError on any inconsistency. */
export function decodeTsBlock(buf: Buffer, sink = 'iotdb'): TsBlock {
  const r = new Reader(buf, sink);
  const count = r.i32('value column count');
  if (count < 0 || count > buf.length) throw new ConnectorError(`TsBlock: ${count} value columns`, { sink, failure: 'protocol', retryable: false });
  const types: TsTypeName[] = [];
  for (let k = 0; k < count; k++) {
    const code = r.u8('data type');
    const t = TYPE_BY_CODE[code];
    if (t === undefined) throw new ConnectorError(`TsBlock: unknown data type ${code}`, { sink, failure: 'protocol', retryable: false });
    types.push(t);
  }
  const rows = r.i32('row count');
  if (rows < 0 || rows > buf.length * 8) throw new ConnectorError(`TsBlock: ${rows} rows`, { sink, failure: 'protocol', retryable: false });
  const encodings: number[] = [];
  for (let k = 0; k <= count; k++) encodings.push(r.u8('column encoding'));
  const timeCol = readColumn(r, encodings[0]!, 'INT64', rows);
  const times = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    const t = timeCol[i];
    if (typeof t !== 'bigint') throw new ConnectorError(`TsBlock: null time at row ${i}`, { sink, failure: 'protocol', retryable: false });
    times[i] = t;
  }
  const columns = types.map((t, k) => readColumn(r, encodings[k + 1]!, t, rows));
  if (r.p !== buf.length) throw new ConnectorError(`TsBlock: ${buf.length - r.p} bytes after the last column`, { sink, failure: 'protocol', retryable: false });
  return { rows, types, times, columns };
}
