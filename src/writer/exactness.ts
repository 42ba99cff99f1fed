/**
 * Values an encoding cannot store exactly, rejected at write time naming the row instead of being
 * stored silently changed: RLE/TS_2DIFF on FLOAT/DOUBLE keep `maxPointNumber` decimals of a finite
 * value in an int32/int64 (§10.3.4); GORILLA_V1 ends a page at the first NaN (§10.6); SPRINTZ and
 * RLBE lose values on overflowing or floating-point deltas (§10.10, §10.11), so for those the
 * batch's values are encoded and decoded once and compared. The stream checked is the batch's own
 * column; page boundaries only restart the predictors.
 */
import { decodeValues, encodeValues } from '../encoding/index.js';
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import { DataType, Encoding, encodingName } from '../format/codes.js';
import type { ColumnSchema } from './chunk-writer.js';
import { compactInto } from './column-buffer.js';
import { inputError, type InputContext, type RowColumn } from './input-error.js';
import { usesFloatWrapper } from './schema.js';

/** Throws INVALID_ARGUMENT naming the first row whose value the column's encoding would not reproduce. */
export function checkExact(schema: ColumnSchema, col: RowColumn, ctx: InputContext): void {
  if (mayLoseValues(schema)) {
    const row = firstInexactRow(schema, col);
    if (row >= 0) {
      throw inputError(ctx, `value cannot be stored exactly by ${encodingName(schema.encoding)}`, schema.measurement, row, 'a value the encoding reproduces', describeValue(col.values, row));
    }
    return;
  }
  if (!usesFloatWrapper(schema)) return;
  const v = col.values as Float32Array | Float64Array;
  const scale = 10 ** schema.maxPointNumber!;
  const isFloat = schema.dataType === DataType.FLOAT;
  for (let i = 0; i < v.length; i++) {
    if (col.valid !== undefined && col.valid[i] === 0) continue;
    const x = v[i]!;
    const scaled = Math.round(x * scale);
    const inRange = isFloat ? Math.abs(scaled) <= 2147483647 : Math.abs(scaled) < 9223372036854775807;
    // Decoding divides the stored integer (FLOAT: then narrows to f32).
    const back = isFloat ? Math.fround(scaled / scale) : scaled / scale;
    if (!Number.isFinite(x) || !inRange || !Object.is(back, x)) {
      throw inputError(ctx, `value cannot be stored exactly by ${encodingName(schema.encoding)} with maxPointNumber ${schema.maxPointNumber}`, schema.measurement, i, 'a finite value with at most that many decimals', String(x));
    }
  }
}

const CHECKED = new Set<number>([Encoding.GORILLA_V1, Encoding.SPRINTZ, Encoding.RLBE]);

export function mayLoseValues(schema: ColumnSchema): boolean {
  return CHECKED.has(schema.encoding);
}

type Fixed = Exclude<ColumnValues, BinaryValues>;

/** Row of the first value that does not survive encode → decode, or -1. */
export function firstInexactRow(schema: ColumnSchema, col: RowColumn): number {
  const src = col.values as Fixed;
  if (schema.encoding === Encoding.GORILLA_V1) {
    // NaN is GORILLA_V1's end-of-page marker (§10.6): Java readers stop at the first one.
    for (let i = 0; i < src.length; i++) {
      if ((col.valid === undefined || col.valid[i] !== 0) && Number.isNaN(src[i] as number)) return i;
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < src.length; i++) if (col.valid === undefined || col.valid[i] !== 0) rows.push(i);
  if (rows.length === 0) return -1;
  let dense = src;
  if (rows.length < src.length) {
    dense = new (src.constructor as new (n: number) => Fixed)(rows.length);
    compactInto(dense, 0, src, col.valid!, 0, src.length);
  }
  const options = schema.maxPointNumber === undefined ? undefined : { maxPointNumber: schema.maxPointNumber };
  const back = decodeValues(schema.encoding, schema.dataType, encodeValues(schema.encoding, schema.dataType, dense, options), rows.length) as Fixed;
  if (dense instanceof BigInt64Array) {
    // Compare 64-bit values as word pairs (no BigInt per value).
    const a = new Int32Array(dense.buffer, dense.byteOffset, rows.length * 2);
    const b = new Int32Array(back.buffer, back.byteOffset, rows.length * 2);
    for (let i = 0; i < 2 * rows.length; i++) if (a[i] !== b[i]) return rows[i >> 1]!;
    return -1;
  }
  const a = dense as Exclude<Fixed, BigInt64Array>;
  const b = back as Exclude<Fixed, BigInt64Array>;
  for (let i = 0; i < rows.length; i++) {
    if (!Object.is(b[i], a[i])) return rows[i]!;
  }
  return -1;
}

export function describeValue(values: ColumnValues, row: number): string {
  return 'offsets' in values ? `value at row ${row}` : String((values as { [i: number]: number | bigint })[row]);
}
