import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/compression/crc.js';
import { decodeGzipMember, encodeGzipMember } from '../../src/compression/gzip-member.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { firstDifference, repetitiveBytes, roundTripSamples } from './samples.js';

function expectFailure(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected DECOMPRESSION_FAILED');
}

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** A gzip member with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC) set. */
function memberWithAllHeaderFields(data: Uint8Array): Uint8Array {
  const head = [0x1f, 0x8b, 0x08, 0x1e, 0, 0, 0, 0, 0x00, 0xff];
  head.push(3, 0, 0x41, 0x42, 0x43); // FEXTRA: length 3
  head.push(...Array.from(new TextEncoder().encode('page.bin')), 0); // FNAME
  head.push(...Array.from(new TextEncoder().encode('a comment')), 0); // FCOMMENT
  const hcrc = crc32(new Uint8Array(head)) & 0xffff;
  head.push(hcrc & 0xff, hcrc >>> 8); // FHCRC
  return new Uint8Array([...head, ...deflateRawSync(data), ...u32le(crc32(data)), ...u32le(data.length)]);
}

describe('gzip member decoder', () => {
  for (const [name, data] of roundTripSamples()) {
    it(`round trips ${name}, and reads node:zlib's gzip of it`, () => {
      expect(firstDifference(decodeGzipMember(encodeGzipMember(data), data.length), data)).toBe(-1);
      expect(firstDifference(decodeGzipMember(gzipSync(data), data.length), data)).toBe(-1);
    });
  }
  it('accepts any header: extra field, file name, comment and header CRC', () => {
    const data = repetitiveBytes(20_000);
    expect(firstDifference(decodeGzipMember(memberWithAllHeaderFields(data), data.length), data)).toBe(-1);
  });
  it('refuses an ISIZE other than the page header before inflating', () => {
    const gz = gzipSync(repetitiveBytes(1000));
    expectFailure(() => decodeGzipMember(gz, 999), /ISIZE/);
  });
  it('detects a corrupt CRC32, a wrong magic, a too-short member and corrupt deflate data', () => {
    const data = repetitiveBytes(5000);
    const gz = new Uint8Array(gzipSync(data));
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8] ^= 0x01;
    expectFailure(() => decodeGzipMember(badCrc, data.length), /CRC32/);
    const badMagic = gz.slice();
    badMagic[1] = 0;
    expectFailure(() => decodeGzipMember(badMagic, data.length), /not a gzip member/);
    expectFailure(() => decodeGzipMember(gz.subarray(0, 10), data.length), /too short/);
    const badData = gz.slice();
    for (let i = 12; i < 40; i++) badData[i] = 0xff;
    expectFailure(() => decodeGzipMember(badData, data.length), /gzip member/);
  });
  it('writes a standard member: magic, deflate method, CRC32 and ISIZE trailer', () => {
    const data = repetitiveBytes(3000);
    const gz = encodeGzipMember(data);
    expect(Array.from(gz.subarray(0, 3))).toEqual([0x1f, 0x8b, 0x08]);
    expect(Array.from(gz.subarray(gz.length - 8))).toEqual([...u32le(crc32(data)), ...u32le(3000)]);
  });
});
