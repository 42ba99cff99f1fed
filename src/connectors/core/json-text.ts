/**
 * JSON string literals written straight from UTF-8 bytes (RFC 8259 §7): only `"`, `\\` and control
 * characters are escaped, every other byte is copied, so no string is decoded on the hot path.
 */
import type { ByteBuffer } from './byte-buffer.js';

const HEX = '0123456789abcdef';

/** Appends a JSON string literal from UTF-8 bytes, escaping only what JSON requires. */
export function appendJsonString(out: ByteBuffer, b: Uint8Array, s: number, e: number): void {
  out.byte(34);
  let runStart = s;
  for (let i = s; i < e; i++) {
    const x = b[i]!;
    if (x >= 0x20 && x !== 34 && x !== 92) continue;
    if (i > runStart) out.bytes(b, runStart, i);
    runStart = i + 1;
    if (x === 34) out.ascii('\\"');
    else if (x === 92) out.ascii('\\\\');
    else if (x === 10) out.ascii('\\n');
    else if (x === 13) out.ascii('\\r');
    else if (x === 9) out.ascii('\\t');
    else out.ascii(`\\u00${HEX[x >> 4]}${HEX[x & 15]}`);
  }
  if (e > runStart) out.bytes(b, runStart, e);
  out.byte(34);
}

