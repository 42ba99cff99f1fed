/**
 * Dictionary-encoded Utf8 columns whose value is the same in every row of a batch (device paths,
 * tag values): one dictionary per column shared by every batch, and per batch only an index
 * buffer, so a path or tag costs 4 bytes a row instead of its text.
 */
import { type Data, Dictionary, Int32, makeData, makeVector, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

/** A dictionary column type over Utf8 values with Int32 indices (a fresh dictionary id each call). */
export function utf8DictionaryType(): Dictionary<Utf8, Int32> {
  return new Dictionary(new Utf8(), new Int32());
}

/** The dictionary vector of distinct values, in the order given. */
export function utf8Dictionary(values: readonly string[]): Vector<Utf8> {
  return values.length === 0 ? makeVector(makeData({ type: new Utf8(), length: 0, valueOffsets: new Int32Array(1), data: new Uint8Array(0) })) : vectorFromArray(values as string[], new Utf8());
}

/** `length` rows all holding dictionary entry `index` (null rows when index is null). */
export function constantDictionaryData(type: Dictionary<Utf8, Int32>, dictionary: Vector<Utf8>, index: number | null, length: number): Data<Dictionary<Utf8, Int32>> {
  const indices = new Int32Array(length);
  if (index === null) {
    return makeData({ type, length, nullCount: length, nullBitmap: new Uint8Array((length + 7) >> 3), data: indices, dictionary });
  }
  if (index !== 0) indices.fill(index);
  return makeData({ type, length, nullCount: 0, data: indices, dictionary });
}
