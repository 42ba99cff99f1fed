/** Test-only helpers: hex conversion, binary columns from strings, error assertions. */
import { expect } from 'vitest';
import type { BinaryValues } from '../../src/encoding/types.js';
import { isTsFileError, type ErrorCode } from '../../src/io/errors.js';

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Bytes from a hex string; spaces and `|` separators are ignored. */
export function bytes(text: string): Uint8Array {
  const clean = text.replace(/[\s|]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function binary(values: (string | Uint8Array)[]): BinaryValues {
  const parts = values.map((v) => (typeof v === 'string' ? utf8.encode(v) : v));
  const offsets = new Int32Array(parts.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    total += p.length;
    offsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return { offsets, data };
}

export function strings(v: BinaryValues): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < v.offsets.length; i++) out.push(utf8Decoder.decode(v.data.subarray(v.offsets[i]!, v.offsets[i + 1]!)));
  return out;
}

/** Runs fn and returns the TsFileError it throws, failing the test for anything else. */
export function errorOf(fn: () => unknown, code?: ErrorCode): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a TsFileError').toBeDefined();
  if (!isTsFileError(caught)) throw caught;
  if (code !== undefined) expect(caught.code).toBe(code);
  return caught;
}
