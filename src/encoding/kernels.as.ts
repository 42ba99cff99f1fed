/**
 * The WebAssembly kernels' entry point (AssemblyScript): every exported function of the module that
 * src/encoding/build-kernels.mjs compiles into kernels-wasm.ts. The module exports its memory; the
 * TypeScript side (wasm-kernels.ts) lays out inputs and outputs in it and calls these.
 */
export { ts2diffCount64, ts2diffDecode64, ts2diffEncode64 } from './ts2diff.as';
export { gorillaDecode32, gorillaDecode64 } from './gorilla.as';
export { plainSwap32, plainSwap64 } from './plain.as';
