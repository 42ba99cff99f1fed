/** Test helper: reads a whole file back with our reader into plain per-series point lists. */
import { civilFromDays } from '../../src/arrow/columns.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { epochVector } from '../../src/arrow/epoch-values.js';

export type Value = boolean | number | bigint | string | Uint8Array;
export interface Points {
  times: bigint[];
  values: Value[];
}

function normalize(typeName: string | undefined, v: unknown): Value {
  if (typeName === 'DATE') {
    const ms = v instanceof Date ? v.getTime() : Number(v);
    return civilFromDays(Math.round(ms / 86_400_000));
  }
  if (typeName === 'TIMESTAMP' || typeName === 'INT64') return typeof v === 'bigint' ? v : BigInt(v as number);
  if (typeName === 'BLOB') return v as Uint8Array;
  return v as Value;
}

/** device → measurement → non-null points in time order. */
export async function readBack(bytes: Uint8Array): Promise<Map<string, Map<string, Points>>> {
  const reader = await TsFileReader.open(bytes);
  const out = new Map<string, Map<string, Points>>();
  try {
    for await (const { device, batch } of reader.scan()) {
      let d = out.get(device);
      if (d === undefined) out.set(device, (d = new Map()));
      const time = epochVector(batch.getChild('time')!);
      for (const f of batch.schema.fields) {
        if (f.name === 'time') continue;
        const col = batch.getChild(f.name)!;
        const typeName = f.metadata.get('tsfile.type');
        let p = d.get(f.name);
        if (p === undefined) d.set(f.name, (p = { times: [], values: [] }));
        for (let i = 0; i < batch.numRows; i++) {
          if (!col.isValid(i)) continue;
          p.times.push(time[i]!);
          // Timestamp getters round to Numbers: read the stored int64 instead.
          p.values.push(typeName === 'TIMESTAMP' ? epochVector(col)[i]! : normalize(typeName, col.get(i)));
        }
      }
    }
  } finally {
    await reader.close();
  }
  return out;
}
