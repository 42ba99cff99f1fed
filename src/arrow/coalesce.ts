/**
 * Rows of many small batches of one schema gathered into few large ones: a file of thousands of
 * devices with a few rows each becomes batches of about `batchRows` rows, so IPC messages (and
 * their per-batch metadata) are proportional to the rows, not to the devices. A part may leave a
 * column out (undefined): those rows are null there. Dictionary columns keep their dictionary,
 * which every part must share.
 */
import { type Data, type DataType, makeData, RecordBatch, type Schema, Struct, Type } from 'apache-arrow';

/** One batch's worth of rows: `columns[i]` is the Data of field i (or undefined: null in every row). */
export interface BatchPart {
  length: number;
  columns: (Data | undefined)[];
}

export class BatchCoalescer {
  private parts: BatchPart[] = [];
  private rows = 0;
  private readonly type: Struct;

  constructor(
    readonly schema: Schema,
    private readonly batchRows: number,
  ) {
    this.type = new Struct(schema.fields);
  }

  /** Adds rows; returns the batches that are now complete (in order). */
  add(part: BatchPart): RecordBatch[] {
    if (part.length === 0) return [];
    const out: RecordBatch[] = [];
    // A part big enough on its own goes out as is (after what came before it), never copied.
    if (part.length >= this.batchRows / 2) {
      const before = this.flush();
      if (before !== undefined) out.push(before);
      out.push(this.build([part], part.length));
      return out;
    }
    this.parts.push(part);
    this.rows += part.length;
    if (this.rows >= this.batchRows) out.push(this.flush()!);
    return out;
  }

  /** The rows held so far as one batch, or undefined when none are held. */
  flush(): RecordBatch | undefined {
    if (this.rows === 0) return undefined;
    const batch = this.build(this.parts, this.rows);
    this.parts = [];
    this.rows = 0;
    return batch;
  }

  private build(parts: BatchPart[], rows: number): RecordBatch {
    const children = this.schema.fields.map((f, i) => concatColumn(f.type, parts, i, rows));
    return new RecordBatch(this.schema, makeData({ type: this.type, length: rows, nullCount: 0, children }));
  }
}

const make = makeData as unknown as (props: Record<string, unknown>) => Data;

function isValid(d: Data, i: number): boolean {
  if (d.nullCount === 0 || d.nullBitmap === undefined || d.nullBitmap.length === 0) return true;
  const bit = d.offset + i;
  return ((d.nullBitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/** Column `index` of every part, end to end. A single part with the column present is reused as is. */
function concatColumn(type: DataType, parts: BatchPart[], index: number, rows: number): Data {
  if (parts.length === 1 && parts[0]!.columns[index] !== undefined) return parts[0]!.columns[index]!;
  let nullCount = 0;
  for (const p of parts) {
    const d = p.columns[index];
    nullCount += d === undefined ? p.length : d.nullCount;
  }
  let nullBitmap: Uint8Array | undefined;
  if (nullCount > 0) {
    nullBitmap = new Uint8Array((rows + 7) >> 3);
    let at = 0;
    for (const p of parts) {
      const d = p.columns[index];
      if (d !== undefined) for (let i = 0; i < p.length; i++) if (isValid(d, i)) nullBitmap[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      at += p.length;
    }
  }
  switch (type.typeId) {
    case Type.Bool:
      return make({ type, length: rows, nullCount, nullBitmap, data: concatBits(parts, index, rows) });
    case Type.Utf8:
    case Type.Binary: {
      const { offsets, data } = concatVariable(parts, index, rows);
      return make({ type, length: rows, nullCount, nullBitmap, valueOffsets: offsets, data });
    }
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Timestamp:
    case Type.Dictionary: {
      const dictionary = parts.map((p) => p.columns[index]).find((d) => d !== undefined)?.dictionary;
      return make({ type, length: rows, nullCount, nullBitmap, data: concatFixed(type, parts, index, rows), ...(dictionary !== undefined ? { dictionary } : {}) });
    }
    default:
      throw new RangeError(`cannot join columns of Arrow type ${String(type)}`);
  }
}

/** Fixed-width values (one element per row for every type used here), copied as bytes. */
function concatFixed(type: DataType, parts: BatchPart[], index: number, rows: number): ArrayBufferView {
  // A dictionary column's values are its indices (its own ArrayType is the dictionary's).
  const valueType = type.typeId === Type.Dictionary ? (type as unknown as { indices: DataType }).indices : type;
  const Ctor = (valueType as unknown as { ArrayType: new (n: number) => ArrayBufferView & { BYTES_PER_ELEMENT: number } }).ArrayType;
  const out = new Ctor(rows);
  const width = out.BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(out.buffer, out.byteOffset, rows * width);
  let at = 0;
  for (const p of parts) {
    const d = p.columns[index];
    if (d !== undefined) {
      const v = d.values as ArrayBufferView;
      bytes.set(new Uint8Array(v.buffer, v.byteOffset, p.length * width), at * width);
    }
    at += p.length;
  }
  return out;
}

/** Bit-packed booleans; a part's bits start at its offset. */
function concatBits(parts: BatchPart[], index: number, rows: number): Uint8Array {
  const out = new Uint8Array((rows + 7) >> 3);
  let at = 0;
  for (const p of parts) {
    const d = p.columns[index];
    if (d !== undefined) {
      const v = d.values as Uint8Array;
      for (let i = 0; i < p.length; i++) {
        const bit = d.offset + i;
        if ((v[bit >> 3]! >> (bit & 7)) & 1) out[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      }
    }
    at += p.length;
  }
  return out;
}

/** Offsets and bytes of variable-width values; a part's offsets need not start at 0. */
function concatVariable(parts: BatchPart[], index: number, rows: number): { offsets: Int32Array; data: Uint8Array } {
  let size = 0;
  for (const p of parts) {
    const d = p.columns[index];
    if (d !== undefined) size += d.valueOffsets[p.length]! - d.valueOffsets[0]!;
  }
  const offsets = new Int32Array(rows + 1);
  const data = new Uint8Array(size);
  let at = 0;
  let pos = 0;
  for (const p of parts) {
    const d = p.columns[index];
    if (d === undefined) {
      offsets.fill(pos, at + 1, at + 1 + p.length);
    } else {
      const o = d.valueOffsets;
      const base = o[0]!;
      data.set((d.values as Uint8Array).subarray(base, o[p.length]!), pos);
      for (let i = 1; i <= p.length; i++) offsets[at + i] = pos + o[i]! - base;
      pos += o[p.length]! - base;
    }
    at += p.length;
  }
  return { offsets, data };
}
