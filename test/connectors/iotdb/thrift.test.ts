import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, MessageType, T, TType, type TField } from '../../../src/connectors/iotdb/thrift.js';
import { isTsFileError } from '../../../src/io/errors.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('thrift protocols', () => {
  it('encodes a binary-protocol CALL as the spec lays it out', () => {
    // 0x80010001, len 4 "ping", seqid 7, field (i32 id 1 = -2), field (string id 2 "a"), stop
    const b = encodeMessage('binary', 'ping', MessageType.CALL, 7, [[1, T.i32(-2)], [2, T.str('a')]]).contents();
    expect(hex(b)).toBe('80010001' + '00000004' + Buffer.from('ping').toString('hex') + '00000007' +
      '08' + '0001' + 'fffffffe' + '0b' + '0002' + '00000001' + '61' + '00');
  });

  it('encodes a compact-protocol CALL with delta field headers and zigzag varints', () => {
    // 0x82, (CALL<<5)|1 = 0x21, seqid varint 7, name len 4 + "ping"; field 1 i32 (delta 1, type 5) = zigzag(-2)=3;
    // field 2 binary (delta 1, type 8) len 1 "a"; field 20 bool true (long form: type 1, zigzag(20)=40); stop
    const b = encodeMessage('compact', 'ping', MessageType.CALL, 7, [[1, T.i32(-2)], [2, T.str('a')], [20, T.bool(true)]]).contents();
    expect(hex(b)).toBe('8221' + '07' + '04' + Buffer.from('ping').toString('hex') + '15' + '03' + '18' + '01' + '61' + '01' + '28' + '00');
  });

  for (const protocol of ['binary', 'compact'] as const) {
    it(`${protocol}: round-trips every type used by the RPC`, () => {
      const args: TField[] = [[1, T.struct([
        [1, T.i64(-1234567890123n)], [2, T.str('root.sg.d1')], [3, T.list(TType.STRING, [T.str('s1'), T.str('s2')])],
        [4, T.str(new Uint8Array([0, 1, 255]))], [6, T.list(TType.I32, Array.from({ length: 20 }, (_, i) => T.i32(i - 10)))],
        [7, T.i32(2147483647)], [8, T.bool(false)], [9, T.bool(true)], [10, T.list(TType.BYTE, [T.byte(0), T.byte(1), T.byte(2)])],
        [12, T.strMap({ version: 'V_1_0', sql_dialect: 'tree' })], [300, { t: 'double', v: -0.5 }], [301, { t: 'i16', v: -300 }],
      ])]];
      const m = decodeMessage(protocol, Buffer.from(encodeMessage(protocol, 'insertTablet', MessageType.CALL, 42, args).contents()));
      expect(m).toMatchObject({ name: 'insertTablet', type: 1, seqid: 42 });
      const r = m.body.get(1) as Map<number, unknown>;
      expect(r.get(1)).toBe(-1234567890123n);
      expect((r.get(2) as Buffer).toString()).toBe('root.sg.d1');
      expect((r.get(3) as Buffer[]).map(String)).toEqual(['s1', 's2']);
      expect([...(r.get(4) as Buffer)]).toEqual([0, 1, 255]);
      expect(r.get(6)).toEqual(Array.from({ length: 20 }, (_, i) => i - 10));
      expect(r.get(7)).toBe(2147483647);
      expect(r.get(8)).toBe(false);
      expect(r.get(9)).toBe(true);
      expect(r.get(10)).toEqual([0, 1, 2]);
      expect([...(r.get(12) as Map<string, Buffer>)].map(([k, v]) => [k, v.toString()])).toEqual([['version', 'V_1_0'], ['sql_dialect', 'tree']]);
      expect(r.get(300)).toBe(-0.5);
      expect(r.get(301)).toBe(-300);
    });

    it(`${protocol}: rejects truncated input and huge counts with a TsFileError`, () => {
      const full = Buffer.from(encodeMessage(protocol, 'x', MessageType.REPLY, 1, [[1, T.list(TType.I32, [T.i32(1), T.i32(2)])]]).contents());
      for (let cut = 1; cut < full.length; cut++) {
        let err: unknown;
        try { decodeMessage(protocol, full.subarray(0, cut)); } catch (e) { err = e; }
        expect(isTsFileError(err)).toBe(true);
      }
    });
  }

  it('binary: a list count larger than the message fails before allocating', () => {
    const b = Buffer.from('80010002000000017800000001' + '0f0001' + '08' + '7fffffff', 'hex');
    expect(() => decodeMessage('binary', b)).toThrow(/count/);
  });

  it('binary: an HTTP request is not a message', () => {
    expect(() => decodeMessage('binary', Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/strict binary/);
  });
});
