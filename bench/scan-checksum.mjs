#!/usr/bin/env node
/**
 * Reads every point of a TsFile with the compiled package (dist/) and folds each into a checksum, for
 * same-work speed ratios against other TsFile readers: a 64-bit wrapping sum over the non-null points
 * of (time XOR key(value)), key = the integer sign-extended, a float's or double's IEEE bits (every
 * NaN as the canonical one), a boolean as 0/1, DATE as yyyymmdd, text as (length << 32) + byte sum.
 *   usage: node bench/scan-checksum.mjs FILE [--repeat N] [--threads T]   (one JSON line)
 */
import { statSync } from 'node:fs';
const args = process.argv.slice(2);
const file = args[0];
const opt = (k, d) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const repeat = Number(opt('repeat', 5));
const threads = opt('threads', undefined);
// The package's own entry, as a user's code imports it (the bundled build).
const lib = await import('tsfile-arrow');
const TWO32 = 4294967296;
let lo = 0;
let hi = 0;
let points = 0;

/** Adds (t XOR k) for rows [0, n) of one column: t, k as int32 halves; `lo` kept exact below 2^53. */
function fold(time, col, n) {
  const t = new Int32Array(time.values.buffer, time.values.byteOffset + time.offset * 8, 2 * n);
  const d = col.data[0];
  const bits = d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
  const off = d.offset;
  const id = d.type.typeId;
  const v = d.values;
  const wide = (id === 2 && d.type.bitWidth === 64) || id === 10 || (id === 3 && d.type.precision === 2);
  const w = wide || id === 2 || id === 3 ? new Int32Array(v.buffer, v.byteOffset + off * (wide ? 8 : 4), wide ? 2 * n : n) : null;
  let l = lo;
  let h = hi;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (bits !== null && ((bits[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 0) continue;
    let kl;
    let kh;
    if (wide) {
      kl = w[2 * i];
      kh = w[2 * i + 1];
      if (id === 3 && (kh & 0x7ff00000) === 0x7ff00000 && ((kh & 0xfffff) | kl) !== 0) { kh = 0x7ff80000; kl = 0; }
    } else if (id === 2) { kl = w[i]; kh = kl >> 31; }
    else if (id === 3) { kl = w[i]; kh = 0; if ((kl & 0x7f800000) === 0x7f800000 && (kl & 0x7fffff) !== 0) kl = 0x7fc00000; }
    else if (id === 6) { kl = (v[(off + i) >> 3] >> ((off + i) & 7)) & 1; kh = 0; }
    else if (id === 8) { const day = new Date(v[off + i] * 86400000); kl = day.getUTCFullYear() * 10000 + (day.getUTCMonth() + 1) * 100 + day.getUTCDate(); kh = 0; }
    else if (id === 4 || id === 5) { const o = d.valueOffsets; let s = 0; for (let j = o[off + i]; j < o[off + i + 1]; j++) s += v[j]; kl = s; kh = o[off + i + 1] - o[off + i]; }
    else throw new Error(`no checksum key for Arrow type ${d.type}`);
    l += (t[2 * i] ^ kl) >>> 0;
    h = (h + (t[2 * i + 1] ^ kh)) | 0;
    if ((++count & 0xfffff) === 0) { const c = Math.floor(l / TWO32); l -= c * TWO32; h = (h + c) | 0; }
  }
  const c = Math.floor(l / TWO32);
  lo = l - c * TWO32;
  hi = (h + c) | 0;
  points += count;
}

async function once() {
  lo = 0; hi = 0; points = 0;
  const o = threads === undefined ? {} : { threads: Number(threads) };
  const reader = await lib.TsFileReader.open(file, o);
  for await (const { batch } of reader.scan(o)) {
    const time = batch.getChild('time').data[0];
    for (const f of batch.schema.fields) {
      if (f.name !== 'time' && f.metadata.get('tsfile.category') !== 'TAG') fold(time, batch.getChild(f.name), batch.numRows);
    }
  }
  await reader.close();
  return ((BigInt(hi >>> 0) << 32n) | BigInt(lo)).toString(16).padStart(16, '0');
}

const ms = [];
let checksum = '';
for (let r = 0; r < repeat; r++) {
  const t0 = process.hrtime.bigint();
  checksum = await once();
  ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const warm = (repeat > 1 ? ms.slice(1) : ms).sort((a, b) => a - b);
const median = warm[(warm.length - 1) >> 1];
console.log(JSON.stringify({ file, threads: threads ?? 'default', bytes: statSync(file).size, points, runs_ms: ms.map((x) => +x.toFixed(1)), median_ms: +median.toFixed(1), checksum }));
await lib.destroySharedPool?.();
