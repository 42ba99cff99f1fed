/** Columns that hold the same value in every row (device names, tag values), built without builders. */
import { type Data, makeData, Utf8 } from 'apache-arrow';

const encoder = new TextEncoder();

/** A Utf8 column of `length` rows, each `value` (or null in every row when value is null). */
export function constantUtf8(value: string | null, length: number): Data<Utf8> {
  if (value === null) {
    return makeData({ type: new Utf8(), length, nullCount: length, nullBitmap: new Uint8Array((length + 7) >> 3), valueOffsets: new Int32Array(length + 1), data: new Uint8Array(0) });
  }
  const bytes = encoder.encode(value);
  const data = new Uint8Array(bytes.length * length);
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    data.set(bytes, i * bytes.length);
    offsets[i + 1] = (i + 1) * bytes.length;
  }
  return makeData({ type: new Utf8(), length, valueOffsets: offsets, data });
}
