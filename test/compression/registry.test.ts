import { afterEach, describe, expect, it } from 'vitest';
import { encodeLz4Block } from '../../src/compression/lz4-block.js';
import { codecsInUse, decompressPage, getCodec, registerCodec, supportedCompressions, useCodecs } from '../../src/compression/registry.js';
import type { Codec } from '../../src/compression/types.js';
import { Compression } from '../../src/format/codes.js';
import { ErrorCode, TsFileError } from '../../src/io/errors.js';

const where = { file: 'x.tsfile', offset: 1234 };

function caught(fn: () => unknown): TsFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TsFileError);
    return e as TsFileError;
  }
  throw new Error('expected a TsFileError');
}

function fakeCodec(decompress: Codec['decompress'], kind: Codec['kind'] = 'native', compression: Compression = Compression.LZ4): Codec {
  return { compression, kind, decompress, compress: (s) => s };
}

afterEach(() => useCodecs('native'));

describe('getCodec', () => {
  it('starts with a pure codec for each compression the Java writer uses', () => {
    for (const c of [Compression.UNCOMPRESSED, Compression.SNAPPY, Compression.GZIP, Compression.LZ4, Compression.ZSTD, Compression.LZMA2]) {
      expect(getCodec(c).compression).toBe(c);
    }
    expect(supportedCompressions()).toEqual([0, 1, 2, 7, 8, 9]);
  });

  it('rejects LZO, SDT, PAA, PLA and AUTO as UNSUPPORTED, naming the code and the place', () => {
    for (const [code, name] of [
      [3, 'LZO'],
      [4, 'SDT'],
      [5, 'PAA'],
      [6, 'PLA'],
      [10, 'AUTO'],
    ] as const) {
      const e = caught(() => getCodec(code, where));
      expect(e.code).toBe(ErrorCode.UNSUPPORTED);
      expect(e.message).toContain(`${name} (code ${code})`);
      expect(e.file).toBe('x.tsfile');
      expect(e.offset).toBe(1234);
    }
  });

  it('rejects undefined codes as UNKNOWN_CODE', () => {
    for (const code of [11, 99, 255, -1]) expect(caught(() => getCodec(code, where)).code).toBe(ErrorCode.UNKNOWN_CODE);
  });
});

describe('registerCodec and useCodecs', () => {
  it('prefers a registered native codec while native codecs are in use, and only then', () => {
    const lzo = fakeCodec(() => new Uint8Array(3), 'native', Compression.LZO);
    registerCodec(lzo);
    expect(codecsInUse()).toBe('native');
    expect(getCodec(Compression.LZO)).toBe(lzo);
    useCodecs('pure');
    expect(caught(() => getCodec(Compression.LZO)).code).toBe(ErrorCode.UNSUPPORTED);
    useCodecs('native');
    expect(getCodec(Compression.LZO)).toBe(lzo);
  });

  it('a registered pure codec replaces the pure one', () => {
    const mine = fakeCodec(() => new Uint8Array(0), 'pure', Compression.PLA);
    registerCodec(mine);
    useCodecs('pure');
    expect(getCodec(Compression.PLA)).toBe(mine);
  });

  it('refuses an unknown kind', () => {
    expect(caught(() => useCodecs('fast' as 'pure')).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});

describe('decompressPage', () => {
  it('returns the bytes of a synchronous codec as they are', () => {
    const data = new TextEncoder().encode('hello hello hello hello');
    const out = decompressPage(getCodec(Compression.LZ4), encodeLz4Block(data), data.length, where);
    expect(out).toEqual(data);
  });

  it('refuses a result of the wrong length, with file, offset, expected and actual', () => {
    const e = caught(() => decompressPage(fakeCodec(() => new Uint8Array(5)), new Uint8Array(1), 6, where));
    expect(e).toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED, file: 'x.tsfile', offset: 1234, expected: '6 bytes', actual: '5 bytes' });
  });

  it('wraps what a library throws, keeping it as the cause', () => {
    const boom = new RangeError('bad input');
    const e = caught(() =>
      decompressPage(
        fakeCodec(() => {
          throw boom;
        }),
        new Uint8Array(1),
        6,
        where,
      ),
    );
    expect(e).toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED, file: 'x.tsfile', offset: 1234 });
    expect(e.message).toContain('bad input');
    expect(e.cause).toBe(boom);
  });

  it('wraps asynchronous rejections and checks asynchronous results', async () => {
    const rejecting = fakeCodec(() => Promise.reject(new Error('async failure')));
    await expect(decompressPage(rejecting, new Uint8Array(1), 6, where)).rejects.toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED, offset: 1234 });
    const short = fakeCodec(() => Promise.resolve(new Uint8Array(2)));
    await expect(decompressPage(short, new Uint8Array(1), 6, where)).rejects.toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED, actual: '2 bytes' });
  });

  it("adds the place to a pure decoder's own error and keeps its explanation", () => {
    const e = caught(() => decompressPage(getCodec(Compression.LZ4), new Uint8Array([0x50, 1, 2]), 5, where));
    expect(e).toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED, file: 'x.tsfile', offset: 1234 });
    expect(e.message).toMatch(/^LZ4 \((pure|native)\): LZ4 block: truncated literals/);
    expect(e.message.match(/expected/g)).toHaveLength(1);
  });

  it('refuses a negative or fractional size', () => {
    expect(caught(() => decompressPage(getCodec(Compression.LZ4), new Uint8Array([0]), -1, where)).code).toBe(ErrorCode.DECOMPRESSION_FAILED);
    expect(caught(() => decompressPage(getCodec(Compression.LZ4), new Uint8Array([0]), 1.5, where)).code).toBe(ErrorCode.DECOMPRESSION_FAILED);
  });
});
