/**
 * Arrow column data → DuckDB data-chunk vectors, a column at a time: fixed-width values and null
 * bitmaps are copied as whole byte ranges (Arrow's LSB-first validity bits are DuckDB's layout), a
 * per-device constant becomes a constant vector, booleans are unpacked, and only strings and blobs
 * are assigned element by element (the C API's only way to place variable-length data).
 */
import type { Data } from 'apache-arrow';
import type { DuckColumnType } from './column-types.js';

export type Bindings = typeof import('@duckdb/node-bindings');
type Vector = import('@duckdb/node-bindings').Vector;
type Value = import('@duckdb/node-bindings').Value;

/** Rows of one DuckDB data chunk (STANDARD_VECTOR_SIZE). */
export const CHUNK_ROWS = 2048;

const scratch = new Uint8Array(CHUNK_ROWS);
const validityScratch = new Uint8Array(CHUNK_ROWS / 8);
const noneValid = new Uint8Array(CHUNK_ROWS / 8);

function bufferOf(view: ArrayBufferView): ArrayBuffer {
  return view.buffer as ArrayBuffer;
}

/** Copies the validity of rows [from, from + n) of `data`, or marks them all null when `data` is null. */
function copyValidity(b: Bindings, vector: Vector, data: Data | null, from: number, n: number): void {
  const bytes = (n + 7) >> 3;
  if (data === null) {
    b.vector_ensure_validity_writable(vector);
    b.copy_data_to_vector_validity(vector, 0, noneValid.buffer, 0, bytes);
    return;
  }
  const bm = data.nullBitmap;
  if (data.nullCount === 0 || bm === undefined || bm.length === 0) return;
  b.vector_ensure_validity_writable(vector);
  const bit = data.offset + from;
  if ((bit & 7) === 0) {
    b.copy_data_to_vector_validity(vector, 0, bufferOf(bm), bm.byteOffset + (bit >> 3), bytes);
    return;
  }
  validityScratch.fill(0, 0, bytes);
  for (let i = 0; i < n; i++) {
    const j = bit + i;
    if ((bm[j >> 3]! >> (j & 7)) & 1) validityScratch[i >> 3]! |= 1 << (i & 7);
  }
  b.copy_data_to_vector_validity(vector, 0, validityScratch.buffer, 0, bytes);
}

/** Fills `vector` with rows [from, from + n) of `data` (null: every row null). */
export function copyColumn(b: Bindings, vector: Vector, data: Data | null, type: DuckColumnType, from: number, n: number): void {
  copyValidity(b, vector, data, from, n);
  if (data === null) return;
  // Arrow JS slices value buffers (a slice's values start at its first row); null bitmaps keep the offset.
  const start = from;
  const bitStart = data.offset + from;
  switch (type.copy) {
    case 'fixed': {
      const values = data.values as unknown as ArrayBufferView;
      b.copy_data_to_vector(vector, 0, bufferOf(values), values.byteOffset + start * type.width, n * type.width);
      return;
    }
    case 'boolean': {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const j = bitStart + i;
        scratch[i] = (bits[j >> 3]! >> (j & 7)) & 1;
      }
      b.copy_data_to_vector(vector, 0, scratch.buffer, 0, n);
      return;
    }
    case 'bytes': {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const bm = data.nullCount > 0 ? data.nullBitmap : undefined;
      for (let i = 0; i < n; i++) {
        const j = start + i;
        const k = bitStart + i;
        if (bm !== undefined && bm.length > 0 && ((bm[k >> 3]! >> (k & 7)) & 1) === 0) continue;
        b.vector_assign_string_element_len(vector, i, bytes.subarray(offsets[j]!, offsets[j + 1]!));
      }
      return;
    }
    case 'dictionary-utf8': {
      const dict = data.dictionary!.data[0]!;
      const offsets = dict.valueOffsets as Int32Array;
      const bytes = dict.values as Uint8Array;
      const keys = data.values as Int32Array;
      for (let i = 0; i < n; i++) {
        const k = keys[start + i]! + dict.offset;
        b.vector_assign_string_element_len(vector, i, bytes.subarray(offsets[k]!, offsets[k + 1]!));
      }
      return;
    }
  }
}

/** Makes `vector` the constant `value` for the whole chunk (a device path, a tag value). */
export function constantColumn(b: Bindings, vector: Vector, value: Value): void {
  b.vector_reference_value(vector, value);
}
