/**
 * Thrift binary and compact protocols, just enough for IoTDB's client RPC (connectors.md §1.3
 * "Transport and protocol"; Apache Thrift binary-protocol and compact-protocol specs): messages,
 * structs, lists, maps and the scalar types. Values are written from a small tagged model and read
 * into field-id maps, so the client and the test server share one codec. Lengths and counts read
 * from the wire are checked against the bytes actually present before anything is allocated.
 */
import { ErrorCode, TsFileError } from '../../io/errors.js';
import { ByteBuffer } from '../core/byte-buffer.js';

export type ThriftProtocol = 'binary' | 'compact';

export const TType = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;
export type TType = (typeof TType)[keyof typeof TType];

export const MessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const;

export type TValue =
  | { t: 'bool'; v: boolean } | { t: 'byte'; v: number } | { t: 'i16'; v: number } | { t: 'i32'; v: number }
  | { t: 'i64'; v: bigint } | { t: 'double'; v: number } | { t: 'binary'; v: Uint8Array | string }
  | { t: 'struct'; v: TField[] } | { t: 'list'; elem: TType; v: TValue[] }
  | { t: 'map'; key: TType; value: TType; v: [TValue, TValue][] };
export type TField = [id: number, value: TValue];

/** A decoded value: structs are field-id maps, i64 is bigint, binary is a Buffer. */
export type Decoded = boolean | number | bigint | string | Buffer | DecodedStruct | Decoded[] | Map<Decoded, Decoded>;
export type DecodedStruct = Map<number, Decoded>;

export interface ThriftMessage { name: string; type: number; seqid: number; body: DecodedStruct }

const TYPE_OF: Record<TValue['t'], TType> = { bool: 2, byte: 3, i16: 6, i32: 8, i64: 10, double: 4, binary: 11, struct: 12, list: 15, map: 13 };
// Compact type ids (bool in a list/map uses 1; a bool field carries its value in the type nibble).
const COMPACT: Record<number, number> = { 2: 1, 3: 3, 6: 4, 8: 5, 10: 6, 4: 7, 11: 8, 15: 9, 14: 10, 13: 11, 12: 12 };
const FROM_COMPACT: Record<number, TType> = { 1: 2, 2: 2, 3: 3, 4: 6, 5: 8, 6: 10, 7: 4, 8: 11, 9: 15, 10: 14, 11: 13, 12: 12 };

const enc = new TextEncoder();

function zigzag32(n: number): number { return ((n << 1) ^ (n >> 31)) >>> 0; }

function varint(out: ByteBuffer, n: number): void {
  while (n > 0x7f) { out.byte((n & 0x7f) | 0x80); n >>>= 7; }
  out.byte(n);
}

function varint64(out: ByteBuffer, n: bigint): void {
  while (n > 0x7fn) { out.byte(Number(n & 0x7fn) | 0x80); n >>= 7n; }
  out.byte(Number(n));
}

function bytesOf(v: Uint8Array | string): Uint8Array { return typeof v === 'string' ? enc.encode(v) : v; }

class Writer {
  private readonly lastIds: number[] = [];
  private lastId = 0;
  constructor(readonly out: ByteBuffer, readonly protocol: ThriftProtocol) {}

  message(name: string, type: number, seqid: number, args: TField[]): void {
    const o = this.out;
    const nb = enc.encode(name);
    if (this.protocol === 'binary') {
      o.int32BE((0x80010000 | type) | 0);
      o.int32BE(nb.length); o.bytes(nb);
      o.int32BE(seqid);
    } else {
      o.byte(0x82); o.byte((type << 5) | 1);
      varint(o, seqid >>> 0); varint(o, nb.length); o.bytes(nb);
    }
    this.struct(args);
  }

  struct(fields: TField[]): void {
    const o = this.out;
    if (this.protocol === 'compact') { this.lastIds.push(this.lastId); this.lastId = 0; }
    for (const [id, v] of fields) {
      if (this.protocol === 'binary') {
        o.byte(TYPE_OF[v.t]); o.byte((id >> 8) & 0xff); o.byte(id & 0xff);
        this.value(v);
      } else {
        const ct = v.t === 'bool' ? (v.v ? 1 : 2) : COMPACT[TYPE_OF[v.t]]!;
        const delta = id - this.lastId;
        if (delta > 0 && delta <= 15) o.byte((delta << 4) | ct);
        else { o.byte(ct); varint(o, zigzag32(id)); }
        this.lastId = id;
        if (v.t !== 'bool') this.value(v);
      }
    }
    o.byte(0);
    if (this.protocol === 'compact') this.lastId = this.lastIds.pop()!;
  }

  value(v: TValue): void {
    const o = this.out;
    const bin = this.protocol === 'binary';
    switch (v.t) {
      case 'bool': o.byte(bin ? (v.v ? 1 : 0) : (v.v ? 1 : 2)); return;
      case 'byte': o.byte(v.v & 0xff); return;
      case 'i16': if (bin) { o.byte((v.v >> 8) & 0xff); o.byte(v.v & 0xff); } else varint(o, zigzag32(v.v)); return;
      case 'i32': if (bin) o.int32BE(v.v); else varint(o, zigzag32(v.v)); return;
      case 'i64':
        if (bin) { o.int32BE(Number(BigInt.asIntN(32, v.v >> 32n))); o.int32BE(Number(BigInt.asIntN(32, v.v))); } else varint64(o, BigInt.asUintN(64, (v.v << 1n) ^ (v.v >> 63n)));
        return;
      case 'double':
        if (bin) o.float64BE(v.v);
        else { const b = Buffer.allocUnsafe(8); b.writeDoubleLE(v.v); o.bytes(b); }
        return;
      case 'binary': {
        const b = bytesOf(v.v);
        if (bin) o.int32BE(b.length); else varint(o, b.length);
        o.bytes(b);
        return;
      }
      case 'struct': this.struct(v.v); return;
      case 'list':
        if (bin) { o.byte(v.elem); o.int32BE(v.v.length); } else if (v.v.length < 15) o.byte((v.v.length << 4) | COMPACT[v.elem]!);
        else { o.byte(0xf0 | COMPACT[v.elem]!); varint(o, v.v.length); }
        for (const e of v.v) this.value(e);
        return;
      case 'map':
        if (bin) { o.byte(v.key); o.byte(v.value); o.int32BE(v.v.length); } else if (v.v.length === 0) o.byte(0);
        else { varint(o, v.v.length); o.byte((COMPACT[v.key]! << 4) | COMPACT[v.value]!); }
        for (const [k, x] of v.v) { this.value(k); this.value(x); }
    }
  }
}

/** Encodes one message (without the frame length). */
export function encodeMessage(protocol: ThriftProtocol, name: string, type: number, seqid: number, args: TField[], out = new ByteBuffer(1024)): ByteBuffer {
  new Writer(out, protocol).message(name, type, seqid, args);
  return out;
}

class Reader {
  p = 0;
  private lastIds: number[] = [];
  private lastId = 0;
  private depth = 0;
  constructor(readonly b: Buffer, readonly protocol: ThriftProtocol) {}

  private fail(what: string): never {
    throw new TsFileError(ErrorCode.CORRUPT, `thrift ${this.protocol}: ${what}`, { offset: this.p, file: 'thrift message' });
  }
  private need(n: number): void { if (n < 0 || this.p + n > this.b.length) this.fail(`needs ${n} bytes, ${this.b.length - this.p} left`); }
  private u8(): number { this.need(1); return this.b[this.p++]!; }
  private i32(): number { this.need(4); const v = this.b.readInt32BE(this.p); this.p += 4; return v; }
  private varint(): number {
    let r = 0;
    for (let s = 0; s < 35; s += 7) { const x = this.u8(); r |= (x & 0x7f) << s; if ((x & 0x80) === 0) return r >>> 0; }
    return this.fail('varint too long');
  }
  private varint64(): bigint {
    let r = 0n;
    for (let s = 0n; s < 70n; s += 7n) { const x = this.u8(); r |= BigInt(x & 0x7f) << s; if ((x & 0x80) === 0) return r; }
    return this.fail('varint64 too long');
  }
  private unzig(n: number): number { return (n >>> 1) ^ -(n & 1); }
  private count(n: number, minBytesEach: number): number {
    if (n < 0 || n * minBytesEach > this.b.length - this.p) this.fail(`count ${n} exceeds the message`);
    return n;
  }

  message(): ThriftMessage {
    let name: string; let type: number; let seqid: number;
    if (this.protocol === 'binary') {
      const v = this.i32();
      if ((v & 0xffff0000) !== (0x80010000 | 0)) this.fail(`not a strict binary message header (0x${(v >>> 0).toString(16)})`);
      type = v & 0xff;
      name = this.binary().toString('utf8');
      seqid = this.i32();
    } else {
      if (this.u8() !== 0x82) this.fail('not a compact protocol message');
      const tv = this.u8();
      if ((tv & 0x1f) !== 1) this.fail(`compact version ${tv & 0x1f}`);
      type = tv >> 5;
      seqid = this.varint() | 0;
      name = this.binary().toString('utf8');
    }
    return { name, type, seqid, body: this.struct() };
  }

  struct(): DecodedStruct {
    if (++this.depth > 64) this.fail('nesting deeper than 64');
    const m: DecodedStruct = new Map();
    if (this.protocol === 'compact') { this.lastIds.push(this.lastId); this.lastId = 0; }
    for (;;) {
      const h = this.u8();
      if (h === 0) break;
      let type: number; let id: number;
      if (this.protocol === 'binary') {
        type = h; this.need(2); id = this.b.readInt16BE(this.p); this.p += 2;
        m.set(id, this.value(type));
      } else {
        const ct = h & 0x0f;
        const delta = h >> 4;
        id = delta !== 0 ? this.lastId + delta : this.unzig(this.varint());
        this.lastId = id;
        type = FROM_COMPACT[ct] ?? this.fail(`unknown compact type ${ct}`);
        m.set(id, ct === 1 ? true : ct === 2 ? false : this.value(type));
      }
    }
    if (this.protocol === 'compact') this.lastId = this.lastIds.pop()!;
    this.depth--;
    return m;
  }

  binary(): Buffer {
    const n = this.protocol === 'binary' ? this.i32() : this.varint();
    this.need(n);
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  value(type: number): Decoded {
    const bin = this.protocol === 'binary';
    switch (type) {
      case TType.BOOL: { const x = this.u8(); return bin ? x !== 0 : x === 1; }
      case TType.BYTE: { const x = this.u8(); return x > 127 ? x - 256 : x; }
      case TType.I16: if (bin) { this.need(2); const v = this.b.readInt16BE(this.p); this.p += 2; return v; } return this.unzig(this.varint());
      case TType.I32: return bin ? this.i32() : this.unzig(this.varint());
      case TType.I64: {
        if (bin) { this.need(8); const v = this.b.readBigInt64BE(this.p); this.p += 8; return v; }
        const z = this.varint64();
        return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
      }
      case TType.DOUBLE: { this.need(8); const v = bin ? this.b.readDoubleBE(this.p) : this.b.readDoubleLE(this.p); this.p += 8; return v; }
      case TType.STRING: return this.binary();
      case TType.STRUCT: return this.struct();
      case TType.LIST: case TType.SET: {
        let elem: number; let n: number;
        if (bin) { elem = this.u8(); n = this.i32(); } else {
          const h = this.u8();
          elem = FROM_COMPACT[h & 0x0f] ?? this.fail(`unknown compact element type ${h & 0x0f}`);
          n = h >> 4 === 15 ? this.varint() : h >> 4;
        }
        this.count(n, 1);
        const a: Decoded[] = [];
        for (let i = 0; i < n; i++) a.push(this.value(elem));
        return a;
      }
      case TType.MAP: {
        let kt: number; let vt: number; let n: number;
        if (bin) { kt = this.u8(); vt = this.u8(); n = this.i32(); } else {
          n = this.varint();
          if (n === 0) return new Map();
          const h = this.u8();
          kt = FROM_COMPACT[h >> 4] ?? this.fail('unknown map key type');
          vt = FROM_COMPACT[h & 0x0f] ?? this.fail('unknown map value type');
        }
        this.count(n, 2);
        const m = new Map<Decoded, Decoded>();
        for (let i = 0; i < n; i++) { const k = this.value(kt); m.set(k instanceof Buffer ? k.toString('utf8') : k, this.value(vt)); }
        return m;
      }
      default: return this.fail(`unknown type ${type}`);
    }
  }
}

/** Decodes one message (frame payload). Trailing bytes are an error. */
export function decodeMessage(protocol: ThriftProtocol, payload: Buffer): ThriftMessage {
  const r = new Reader(payload, protocol);
  const m = r.message();
  if (r.p !== payload.length) {
    throw new TsFileError(ErrorCode.CORRUPT, `thrift ${protocol}: ${payload.length - r.p} bytes after the message`, { offset: r.p });
  }
  return m;
}

// Small constructors keep request builders readable.
export const T = {
  bool: (v: boolean): TValue => ({ t: 'bool', v }),
  byte: (v: number): TValue => ({ t: 'byte', v }),
  i32: (v: number): TValue => ({ t: 'i32', v }),
  i64: (v: bigint | number): TValue => ({ t: 'i64', v: BigInt(v) }),
  str: (v: string | Uint8Array): TValue => ({ t: 'binary', v }),
  struct: (v: TField[]): TValue => ({ t: 'struct', v }),
  list: (elem: TType, v: TValue[]): TValue => ({ t: 'list', elem, v }),
  strMap: (o: Record<string, string>): TValue => ({ t: 'map', key: TType.STRING, value: TType.STRING, v: Object.entries(o).map(([k, x]) => [T.str(k), T.str(x)]) }),
};

/** Field accessors for decoded structs. */
export function field<T extends Decoded>(s: DecodedStruct, id: number): T | undefined { return s.get(id) as T | undefined; }
export function text(s: DecodedStruct, id: number): string | undefined { const b = s.get(id); return b instanceof Buffer ? b.toString('utf8') : undefined; }
