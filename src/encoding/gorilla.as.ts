/**
 * GORILLA ("Gorilla v2") decoding kernels in AssemblyScript (compiled to WebAssembly by
 * src/encoding/build-kernels.mjs; the TypeScript twin is gorilla.ts, the format is tsfile-format.md
 * §10.5). W = 64 works on native i64 instead of lo/hi word pairs. The stream sits at `src` followed
 * by at least 32 zero bytes (reads past its end see zeros, as in the TypeScript decoder, and never
 * leave memory). Each function returns the value count, or -1 for any stream the TypeScript decoder
 * refuses (the caller then runs that decoder for the typed error).
 */
import { be32, be64 } from './ts2diff.as';

/**
 * Exactly `count` W = 64 values (INT64 / raw DOUBLE bits) into `dst`, then the sentinel must
 * follow (its high word `sentinelHi`, its low word 0).
 */
export function gorillaDecode64(src: usize, len: i32, count: i32, sentinelHi: i32, dst: usize): i32 {
  const sentinel = <i64>sentinelHi << 32;
  if (len == 0) return count <= 0 ? 0 : -1;
  const bitEnd: i64 = <i64>len << 3;
  let v = be64(src);
  let pos: i64 = 64;
  let storedLZ: i32 = -1;
  let storedTZ: i32 = 0;
  let n: i32 = 0;
  for (;;) {
    if (pos > bitEnd) return -1;
    if (n == count) {
      if (v != sentinel) return -1;
      break;
    }
    store<i64>(dst + (<usize>n << 3), v);
    n++;
    const q = src + <usize>(pos >>> 3);
    const win = be64(q) << (pos & 7);
    if (win >= 0) {
      pos += 1;
      continue;
    }
    let sig: i32;
    if ((win & 0x4000000000000000) == 0) {
      if (storedLZ < 0) return -1;
      pos += 2;
      sig = 64 - storedLZ - storedTZ;
    } else {
      const lz = <i32>(win >>> 56) & 63;
      sig = (<i32>(win >>> 50) & 63) + 1;
      if (lz + sig > 64) return -1;
      pos += 14;
      storedLZ = lz;
      storedTZ = 64 - lz - sig;
    }
    const r = src + <usize>(pos >>> 3);
    const s = <u64>(pos & 7);
    let x = <u64>be64(r) << s;
    if (s != 0) x |= <u64>load<u8>(r + 8) >> (8 - s);
    x = x >>> <u64>(64 - sig);
    v ^= <i64>(x << <u64>storedTZ);
    pos += sig;
  }
  return n;
}

/** Exactly `count` W = 32 values (INT32 / raw FLOAT bits) into `dst`, then the 32-bit `sentinel` must follow. */
export function gorillaDecode32(src: usize, len: i32, count: i32, sentinel: i32, dst: usize): i32 {
  if (len == 0) return count <= 0 ? 0 : -1;
  const bitEnd: i64 = <i64>len << 3;
  let v = be32(src);
  let pos: i64 = 32;
  let storedLZ: i32 = -1;
  let storedTZ: i32 = 0;
  let n: i32 = 0;
  for (;;) {
    if (pos > bitEnd) return -1;
    if (n == count) {
      if (v != sentinel) return -1;
      break;
    }
    store<i32>(dst + (<usize>n << 2), v);
    n++;
    // One 64-bit window holds the control bits, both 5-bit fields and up to 32 value bits.
    const q = src + <usize>(pos >>> 3);
    const win = be64(q) << (pos & 7);
    if (win >= 0) {
      pos += 1;
      continue;
    }
    let sig: i32;
    if ((win & 0x4000000000000000) == 0) {
      if (storedLZ < 0) return -1;
      pos += 2;
      sig = 32 - storedLZ - storedTZ;
    } else {
      const lz = <i32>(win >>> 57) & 31;
      sig = (<i32>(win >>> 52) & 31) + 1;
      if (lz + sig > 32) return -1;
      pos += 12;
      storedLZ = lz;
      storedTZ = 32 - lz - sig;
    }
    const r = src + <usize>(pos >>> 3);
    const x = <i32>((<u64>be64(r) << <u64>(pos & 7)) >>> <u64>(64 - sig));
    v ^= x << storedTZ;
    pos += sig;
  }
  return n;
}
