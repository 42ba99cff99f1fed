/**
 * The WebAssembly kernels (compiled from src/encoding/*.as.ts) as drop-in fast paths of the
 * TypeScript decoders and encoders: native i64 arithmetic and SIMD byte swaps instead of lo/hi
 * int32 word pairs. The module is instantiated on first use (a few KB, compiled synchronously); where
 * WebAssembly is unavailable, or `useWasmKernels(false)` was called, every function here returns
 * `false`/`undefined` and the caller runs the TypeScript path. A kernel that meets a stream the
 * TypeScript decoder would refuse also answers `false`, and the TypeScript decoder then throws the
 * typed error, so errors and results never depend on which path ran.
 *
 * Layout in the module's memory for one call: the input at 0, then 32 zero bytes (the kernels' bit
 * loads may read that far past the end), then the output at the next 16-byte boundary.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The little of the WebAssembly API used here (the ES2022 library the project compiles against has none). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  ts2diffCount64(src: number, len: number, max: number): number;
  ts2diffDecode64(src: number, len: number, count: number, dst: number): number;
  ts2diffEncode64(values: number, count: number, blockSize: number, out: number): number;
  gorillaDecode32(src: number, len: number, count: number, sentinel: number, dst: number): number;
  gorillaDecode64(src: number, len: number, count: number, sentinelHi: number, dst: number): number;
  plainSwap32(src: number, count: number, dst: number): void;
  plainSwap64(src: number, count: number, dst: number): void;
}

/** Bytes the kernels may read past an input's end. */
const PAD = 32;
/** Inputs beyond this go to the TypeScript path (bit positions stay far from 2^32, memory modest). */
const MAX_INPUT = 1 << 26;

let enabled = true;
let k: KernelExports | null | undefined;
let mem = new Uint8Array(0);

function load(): KernelExports | null {
  try {
    const bin = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return null;
    return new wasm.Instance(new wasm.Module(bytes), {}).exports as KernelExports;
  } catch {
    return null;
  }
}

/** The kernels, or null when they are off or unavailable. */
function kernels(): KernelExports | null {
  if (!enabled) return null;
  if (k === undefined) k = load();
  return k;
}

/** Turns the kernels on (the default) or off, e.g. to compare them with the TypeScript path. */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether the kernels are on and this runtime instantiated them. */
export function wasmKernelsActive(): boolean {
  return kernels() !== null;
}

/** Grows the memory to at least `bytes` and returns its current byte view. */
function memory(e: KernelExports, bytes: number): Uint8Array {
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / 65536));
  if (mem.buffer !== e.memory.buffer) mem = new Uint8Array(e.memory.buffer);
  return mem;
}

/** Copies `src` to offset 0 followed by PAD zero bytes; returns the output offset. */
function stage(e: KernelExports, src: Uint8Array, outBytes: number): number {
  const dst = (src.length + PAD + 15) & ~15;
  const m = memory(e, dst + outBytes + PAD);
  m.set(src, 0);
  m.fill(0, src.length, src.length + PAD);
  return dst;
}

function copyOut(at: number, bytes: number, target: ArrayBufferView): void {
  new Uint8Array(target.buffer, target.byteOffset, bytes).set(mem.subarray(at, at + bytes));
}

/** TS_2DIFF: exactly `count` 64-bit values into `out` (8 * count bytes). */
export function wasmTs2DiffDecode64(src: Uint8Array, count: number, out: ArrayBufferView): boolean {
  const e = kernels();
  if (e === null || src.length > MAX_INPUT || count > MAX_INPUT) return false;
  const dst = stage(e, src, 8 * count);
  if (e.ts2diffDecode64(0, src.length, count, dst) !== count) return false;
  copyOut(dst, 8 * count, out);
  return true;
}

/** TS_2DIFF time column: every value of the stream (at most `maxCount`), in `into` when it has room. */
export function wasmTs2DiffTimes(src: Uint8Array, maxCount: number, into: BigInt64Array | undefined): BigInt64Array | undefined {
  const e = kernels();
  if (e === null || src.length > MAX_INPUT) return undefined;
  const dst0 = stage(e, src, 0);
  const count = e.ts2diffCount64(0, src.length, Math.min(maxCount, MAX_INPUT));
  if (count < 0) return undefined;
  memory(e, dst0 + 8 * count + PAD);
  if (e.ts2diffDecode64(0, src.length, count, dst0) !== count) return undefined;
  const out = into !== undefined && into.length >= count ? into.subarray(0, count) : new BigInt64Array(count);
  copyOut(dst0, 8 * count, out);
  return out;
}

/** GORILLA W = 64: exactly `count` values (raw bits) into `out`; the sentinel's high word is `sentinelHi`. */
export function wasmGorillaDecode64(src: Uint8Array, count: number, sentinelHi: number, out: ArrayBufferView): boolean {
  const e = kernels();
  if (e === null || src.length > MAX_INPUT || count > MAX_INPUT) return false;
  const dst = stage(e, src, 8 * count);
  if (e.gorillaDecode64(0, src.length, count, sentinelHi, dst) !== count) return false;
  copyOut(dst, 8 * count, out);
  return true;
}

/** GORILLA W = 32: exactly `count` values (raw bits) into `out`. */
export function wasmGorillaDecode32(src: Uint8Array, count: number, sentinel: number, out: ArrayBufferView): boolean {
  const e = kernels();
  if (e === null || src.length > MAX_INPUT || count > MAX_INPUT) return false;
  const dst = stage(e, src, 4 * count);
  if (e.gorillaDecode32(0, src.length, count, sentinel, dst) !== count) return false;
  copyOut(dst, 4 * count, out);
  return true;
}

/** PLAIN: `count` big-endian values of `width` (4 or 8) bytes from `src` into `out`; the caller checked the size. */
export function wasmPlainSwap(src: Uint8Array, count: number, width: 4 | 8, out: ArrayBufferView): boolean {
  const e = kernels();
  if (e === null || src.length > MAX_INPUT) return false;
  const bytes = width * count;
  const dst = stage(e, src.subarray(0, bytes), bytes);
  if (width === 4) e.plainSwap32(0, count, dst);
  else e.plainSwap64(0, count, dst);
  copyOut(dst, bytes, out);
  return true;
}

/**
 * TS_2DIFF encoder: `count` 64-bit values (`values`, 8 * count bytes, little-endian) as blocks of
 * `blockSize` deltas. Hands the stream to `take` as a view of the kernels' memory (valid only during
 * the call) and returns what `take` returns, or undefined when the kernels are off.
 */
export function wasmTs2DiffEncode64<R>(values: ArrayBufferView, count: number, blockSize: number, take: (bytes: Uint8Array) => R): R | undefined {
  const e = kernels();
  if (e === null || count > MAX_INPUT / 8) return undefined;
  const inBytes = 8 * count;
  const worst = Math.ceil(count / (blockSize + 1)) * (24 + 8 * blockSize) + PAD;
  const out = (inBytes + 15) & ~15;
  const m = memory(e, out + worst);
  m.set(new Uint8Array(values.buffer, values.byteOffset, inBytes), 0);
  const n = e.ts2diffEncode64(0, count, blockSize, out);
  return take(m.subarray(out, out + n));
}
