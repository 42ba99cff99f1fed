/** DICTIONARY (tsfile-format.md §10.7) and PLAIN binary values: order of first appearance, raw bytes. */
import { describe, expect, it } from 'vitest';
import { decodeValues, encodeValues } from '../../src/encoding/index.js';
import type { BinaryValues } from '../../src/encoding/types.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { binary, hex, strings } from './helpers.js';

describe('DICTIONARY', () => {
  it('lists entries in order of first appearance, with the RLE index stream after them', () => {
    const b = encodeValues(E.DICTIONARY, T.STRING, binary(['z', 'a', 'z', '', 'a']));
    // 3 entries: "z", "a", ""; then RLE of the indexes 0 1 0 2 1: length 5, width 2, one group of 5.
    expect(hex(b)).toBe('06 02 7a 02 61 00 05 02 03 05 12 40');
    expect(strings(decodeValues(E.DICTIONARY, T.STRING, b, 5) as BinaryValues)).toEqual(['z', 'a', 'z', '', 'a']);
  });

  it('keeps arbitrary bytes (not valid UTF-8) exactly', () => {
    const raw = binary([Uint8Array.of(0xff, 0x00, 0xfe), Uint8Array.of(), Uint8Array.of(0xff, 0x00, 0xfe)]);
    for (const [enc, type] of [
      [E.DICTIONARY, T.TEXT],
      [E.PLAIN, T.BLOB],
    ] as const) {
      const back = decodeValues(enc, type, encodeValues(enc, type, raw), 3) as BinaryValues;
      expect([...back.offsets]).toEqual([0, 3, 3, 6]);
      expect([...back.data]).toEqual([0xff, 0, 0xfe, 0xff, 0, 0xfe]);
    }
  });
});
