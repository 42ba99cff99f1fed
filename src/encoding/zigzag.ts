/**
 * ZIGZAG (tsfile-format.md §10.8; INT32/DATE, INT64/TIMESTAMP): per page one package
 * `uvarint byteLength, uvarint count, payload` where the payload holds `count` zig-zag varints
 * (up to 5 bytes for the 32-bit variant, 10 for the 64-bit one). An empty page writes nothing.
 */
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { countMismatch, decodeFailed, streamEnded } from './decode-error.js';
import { int64Words } from './int64.js';
import type { DecodeContext } from './types.js';
import { WordSink } from './word-sink.js';

export function decodeZigzagInt32(src: Uint8Array, count: number, ctx?: DecodeContext): Int32Array {
  const out = new Int32Array(count);
  const r = new ByteReader(src, ctx, 'ZIGZAG INT32');
  let done = 0;
  while (!r.atEnd()) {
    const at = r.pos;
    const length = r.length('payload length');
    const n = r.length('value count');
    r.need(length, 'payload');
    if (n > count - done) throw countMismatch(ctx, 'ZIGZAG INT32 package holds more values than the page', at, count, done + n);
    const sub = new ByteReader(src, ctx, 'ZIGZAG INT32', r.pos, r.pos + length);
    for (let i = 0; i < n; i++) {
      const u = sub.uvarint('value');
      out[done++] = (u >>> 1) ^ -(u & 1);
    }
    if (!sub.atEnd()) throw decodeFailed(ctx, 'ZIGZAG INT32: payload longer than its values', sub.pos, `${length} bytes`);
    r.pos = sub.pos;
  }
  if (done !== count) throw streamEnded(ctx, 'ZIGZAG INT32', r.pos, `${count} values`, `${done} values`);
  return out;
}

/** Decodes 64-bit packages into `sink` (exact count or until the stream ends). */
export function decodeZigzag64(src: Uint8Array, sink: WordSink, ctx?: DecodeContext): void {
  const r = new ByteReader(src, ctx, sink.what);
  while (!r.atEnd()) {
    const at = r.pos;
    const length = r.length('payload length');
    const n = r.length('value count');
    r.need(length, 'payload');
    // Every value takes at least one byte, so n is bounded by the payload before reserving.
    if (n > length) throw decodeFailed(ctx, `${sink.what}: more values than payload bytes`, at, `at most ${length}`, String(n));
    sink.reserve(n, at);
    const sub = new ByteReader(src, ctx, sink.what, r.pos, r.pos + length);
    for (let i = 0; i < n; i++) {
      sub.uvarint64('value');
      const ul = sub.lo;
      const uh = sub.hi;
      const sign = -(ul & 1);
      sink.push(((ul >>> 1) | (uh << 31)) ^ sign, (uh >>> 1) ^ sign);
    }
    if (!sub.atEnd()) throw decodeFailed(ctx, `${sink.what}: payload longer than its values`, sub.pos, `${length} bytes`);
    r.pos = sub.pos;
  }
  sink.finish(r.pos);
}

export function decodeZigzagInt64(src: Uint8Array, count: number, ctx?: DecodeContext): BigInt64Array {
  const out = new BigInt64Array(count);
  decodeZigzag64(src, new WordSink(count, count, ctx, 'ZIGZAG INT64', int64Words(out)), ctx);
  return out;
}

export function decodeZigzagTimes(src: Uint8Array, maxCount: number, ctx?: DecodeContext): BigInt64Array {
  const sink = new WordSink(-1, maxCount, ctx, 'ZIGZAG time column');
  decodeZigzag64(src, sink, ctx);
  return sink.toInt64();
}

function framePackage(payload: ByteWriter, count: number): Uint8Array {
  if (count === 0) return new Uint8Array(0);
  const w = new ByteWriter(payload.length + 10);
  w.uvarint(payload.length);
  w.uvarint(count);
  w.bytes(payload.toBytes());
  return w.toBytes();
}

export function encodeZigzagInt32(values: Int32Array): Uint8Array {
  const p = new ByteWriter(values.length * 2 + 16);
  for (let i = 0; i < values.length; i++) p.svarint(values[i]!);
  return framePackage(p, values.length);
}

export function encodeZigzagInt64(values: BigInt64Array): Uint8Array {
  const words = int64Words(values);
  const p = new ByteWriter(values.length * 3 + 16);
  for (let i = 0; i < values.length; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    const sign = hi >> 31;
    p.uvarint64(((hi << 1) | (lo >>> 31)) ^ sign, (lo << 1) ^ sign);
  }
  return framePackage(p, values.length);
}
