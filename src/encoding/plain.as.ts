/**
 * PLAIN fixed-width kernels in AssemblyScript (compiled to WebAssembly by src/encoding/build-kernels.mjs;
 * the TypeScript twin is plain.ts, the format is tsfile-format.md §10.2): big-endian 4- and 8-byte
 * values to little-endian, 16 bytes per SIMD shuffle. Bits move unchanged (NaN payloads included).
 */

/** `count` big-endian 32-bit values at `src` to little-endian at `dst`. */
export function plainSwap32(src: usize, count: i32, dst: usize): void {
  const bytes = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const v = v128.load(src + i);
    v128.store(dst + i, i8x16.shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  }
  for (; i < bytes; i += 4) store<i32>(dst + i, bswap<i32>(load<i32>(src + i)));
}

/** `count` big-endian 64-bit values at `src` to little-endian at `dst`. */
export function plainSwap64(src: usize, count: i32, dst: usize): void {
  const bytes = <usize>count << 3;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const v = v128.load(src + i);
    v128.store(dst + i, i8x16.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
  }
  for (; i < bytes; i += 8) store<i64>(dst + i, bswap<i64>(load<i64>(src + i)));
}
