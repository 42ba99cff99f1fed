/**
 * The checksums of the compressed containers of tsfile-format.md §11: CRC-32 (gzip trailer, .xz
 * headers and index) and CRC-64/ECMA-182 (the .xz check the Java writer's XZOutputStream uses).
 * Both are the reflected table-driven forms; CRC-64 is kept as two 32-bit halves so no BigInt
 * is touched per byte.
 */

const CRC32_TABLES = makeCrc32Tables();

function makeCrc32Tables(): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  // Slicing-by-4 tables: t[k][n] is the CRC of byte n followed by k zero bytes.
  const tables = [t0];
  for (let k = 1; k < 4; k++) {
    const prev = tables[k - 1]!;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (t0[prev[n]! & 0xff]! ^ (prev[n]! >>> 8)) >>> 0;
    tables.push(t);
  }
  return tables;
}

/** CRC-32 (IEEE 802.3, as in gzip and .xz) of `data`, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  const [t0, t1, t2, t3] = CRC32_TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  const n4 = n - (n & 3);
  for (; i < n4; i += 4) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < n; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
{
  const poly = 0xc96c5795d7870f42n;
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? poly ^ (c >> 1n) : c >> 1n;
    CRC64_LO[n] = Number(c & 0xffffffffn);
    CRC64_HI[n] = Number(c >> 32n);
  }
}

/** CRC-64/XZ (ECMA-182 polynomial, reflected) of `data`, as 8 little-endian bytes. */
export function crc64Bytes(data: Uint8Array): Uint8Array {
  let lo = 0xffffffff;
  let hi = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = (CRC64_LO[idx]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = (CRC64_HI[idx]! ^ (hi >>> 8)) >>> 0;
  }
  lo = ~lo >>> 0;
  hi = ~hi >>> 0;
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, lo, true);
  view.setUint32(4, hi, true);
  return out;
}
