/**
 * Arrow column data from decoded typed arrays, without per-value builders: numeric columns wrap
 * the decoder's typed array as is; variable-width columns reuse its offsets and bytes; only booleans
 * (bit-packing), dates (yyyymmdd → days) and null scattering touch each value.
 */
import { type Data, makeData, type DataType as ArrowType } from 'apache-arrow';
import { DataType } from '../format/codes.js';
import { type BinaryValues, type ColumnValues, isBinaryValues } from '../encoding/types.js';
import { arrowTypeOf } from './types.js';

/**
 * Builds the Data of a column of `length` rows. `values` holds one value per row when `validity` is
 * undefined; otherwise `validity` is an Arrow (LSB-first) bitmap of `length` bits and `values` holds
 * only the non-null values in row order, which are scattered to their rows here.
 */
export function makeColumnData(t: DataType, values: ColumnValues, length: number, validity?: Uint8Array, nullCount = 0): Data {
  const type = arrowTypeOf(t);
  if (validity !== undefined && nullCount > 0) values = scatter(values, validity, length);
  const nullBitmap = nullCount > 0 ? validity : undefined;
  return makeTypedData(type, t, values, length, nullBitmap, nullCount);
}

function makeTypedData(type: ArrowType, t: DataType, values: ColumnValues, length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
  // makeData's overloads are keyed by the concrete Arrow class; the props below match `type`.
  const make = makeData as unknown as (props: Record<string, unknown>) => Data;
  if (isBinaryValues(values)) {
    return make({ type, length, nullCount, nullBitmap, valueOffsets: values.offsets, data: values.data });
  }
  if (t === DataType.BOOLEAN) return make({ type, length, nullCount, nullBitmap, data: packBooleans(values as Uint8Array, length) });
  if (t === DataType.DATE) return make({ type, length, nullCount, nullBitmap, data: yyyymmddToDays(values as Int32Array, length) });
  return make({ type, length, nullCount, nullBitmap, data: values });
}

/** 0/1 bytes → Arrow's LSB-first bit-packed booleans. */
export function packBooleans(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (bytes[i] !== 0) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** TsFile DATE (yyyymmdd int32) → days since 1970-01-01 (Arrow DateDay). */
export function yyyymmddToDays(src: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const v = src[i]!;
    out[i] = daysFromCivil(Math.trunc(v / 10000), Math.trunc(v / 100) % 100, v % 100);
  }
  return out;
}

/** Days since the epoch of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since the epoch → yyyymmdd. */
export function civilFromDays(z: number): number {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/** Spreads densely stored non-null values to their row positions (null rows get zero / empty). */
function scatter(values: ColumnValues, validity: Uint8Array, length: number): ColumnValues {
  if (isBinaryValues(values)) return scatterBinary(values, validity, length);
  const Ctor = values.constructor as { new (n: number): typeof values };
  const out = new Ctor(length);
  let k = 0;
  for (let i = 0; i < length; i++) {
    if ((validity[i >> 3]! >> (i & 7)) & 1) (out as Int32Array)[i] = (values as Int32Array)[k++]!;
  }
  return out;
}

function scatterBinary(values: BinaryValues, validity: Uint8Array, length: number): BinaryValues {
  const offsets = new Int32Array(length + 1);
  offsets[0] = values.offsets[0]!;
  let k = 0;
  for (let i = 0; i < length; i++) {
    if ((validity[i >> 3]! >> (i & 7)) & 1) k++;
    offsets[i + 1] = values.offsets[k]!;
  }
  return { offsets, data: values.data };
}
