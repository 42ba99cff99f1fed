/** Chunk, page, statistics, index node and device id layouts against hand-computed bytes (§3–§9, §13, §17). */
import { describe, expect, it } from 'vitest';
import { Cursor } from '../../src/io/cursor.js';
import { readChunkHeader } from '../../src/format/chunk-header.js';
import { readPageHeader } from '../../src/format/page-header.js';
import { readStatistics } from '../../src/format/statistics.js';
import { readMetadataIndexNode } from '../../src/format/metadata-index.js';
import { compareDeviceIds, readDeviceId, treePathToDeviceId } from '../../src/format/device-id.js';
import { readTimeseriesMetadata } from '../../src/format/timeseries-metadata.js';
import { DataType } from '../../src/format/codes.js';
import { hex, i64 } from '../helpers/worked-example.js';

const cur = (bytes: number[]) => new Cursor(new Uint8Array(bytes), 0, bytes.length, 0, 't.tsfile');

describe('chunk header (§5)', () => {
  it('reads the §17 single-page INT32 PLAIN UNCOMPRESSED header', () => {
    const h = readChunkHeader(cur(hex('05 04 "s1" 1e 01 00 00')));
    expect(h).toMatchObject({ marker: 5, measurementId: 's1', dataSize: 30, dataType: DataType.INT32, compression: 0, encoding: 0, headerSize: 8, multiPage: false, isTimeChunk: false, isValueChunk: false });
  });
  it('recognises the aligned time/value markers of §17.4', () => {
    expect(readChunkHeader(cur(hex('85 00 1a 06 00 04')))).toMatchObject({ isTimeChunk: true, measurementId: '', dataType: DataType.VECTOR, encoding: 4 });
    expect(readChunkHeader(cur(hex('41 04 "s2" 0d 05 00 00')))).toMatchObject({ isValueChunk: true, multiPage: true, dataType: DataType.TEXT });
  });
  it('rejects unknown markers and codes with the offset', () => {
    expect(() => readChunkHeader(cur(hex('07 00 00 00 00 00')))).toThrow(/not a chunk header marker/);
    expect(() => readChunkHeader(cur(hex('05 00 00 07 00 00')))).toThrow(/unknown data type code.*got 7/);
    expect(() => readChunkHeader(cur(hex('05 00 00 01 0b 00')))).toThrow(/unknown compression code/);
    expect(() => readChunkHeader(cur(hex('05 00 00 01 00 0e')))).toThrow(/unknown encoding code/);
  });
});

describe('page header (§6)', () => {
  it('single-page chunk: two sizes, no statistics', () => {
    const c = cur([...hex('1c 1c'), ...new Array<number>(28).fill(0)]);
    expect(readPageHeader(c, DataType.INT32, false, 1 << 20)).toMatchObject({ uncompressedSize: 28, compressedSize: 28, statistics: undefined });
  });
  it('an empty page is the single byte 00', () => {
    const c = cur(hex('00 ff'));
    expect(readPageHeader(c, DataType.INT32, true, 1 << 20).uncompressedSize).toBe(0);
    expect(c.pos).toBe(1);
  });
  it('multi-page chunk: statistics follow the sizes', () => {
    const bytes = [...hex('02 02 03'), ...i64(1), ...i64(3), ...hex('00 00 00 0a 00 00 00 1e 00 00 00 0a 00 00 00 1e'), ...i64(60), 0xaa, 0xbb];
    const h = readPageHeader(cur(bytes), DataType.INT32, true, 1 << 20);
    expect(h.statistics).toMatchObject({ count: 3, startTime: 1n, endTime: 3n, min: 10, max: 30, sum: 60n });
  });
  it('refuses a body larger than the limit before reading it', () => {
    expect(() => readPageHeader(cur(hex('80 80 80 01 05')), DataType.INT32, false, 1 << 20)).toThrow(/exceeds the configured limit/);
  });
});

describe('statistics (§9)', () => {
  it('INT64 sum is a double; TEXT holds first/last binaries; empty statistics of §17.4', () => {
    const s = readStatistics(cur([...hex('02'), ...i64(1), ...i64(2), ...i64(100), ...i64(101), ...i64(100), ...i64(101), ...hex('40 69 20 00 00 00 00 00')]), DataType.INT64);
    expect(s).toMatchObject({ kind: 'int64', min: 100n, max: 101n, sum: 201 });
    const t = readStatistics(cur(hex('02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 03 00 00 00 02 "v1" 00 00 00 02 "v3"')), DataType.TEXT);
    expect(t.kind === 'text' && new TextDecoder().decode(t.last)).toBe('v3');
    const e = readStatistics(cur(hex('00 7f ff ff ff ff ff ff ff 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00')), DataType.TEXT);
    expect(e.count).toBe(0);
  });
});

describe('index (§13)', () => {
  it('reads the §17 LEAF_MEASUREMENT and LEAF_DEVICE nodes', () => {
    const m = readMetadataIndexNode(cur([...hex('01 04 "s1"'), ...i64(0x3b), ...i64(0x72), 3]), 4, false);
    expect(m).toEqual({ nodeType: 3, children: [{ measurement: 's1', offset: 0x3b }], endOffset: 0x72 });
    const d = readMetadataIndexNode(cur([...hex('01 02 0e "root.sg" 04 "d1"'), ...i64(0x72), ...i64(0x87), 1]), 4, true);
    expect(d).toEqual({ nodeType: 1, children: [{ device: ['root.sg', 'd1'], offset: 0x72 }], endOffset: 0x87 });
  });
  it('rejects a child count larger than the node and decreasing offsets', () => {
    expect(() => readMetadataIndexNode(cur(hex('ff ff 03 00')), 4, false)).toThrow(/child count exceeds/);
    const bad = [...hex('02 00'), ...i64(50), 0, ...i64(40), ...i64(60), 3];
    expect(() => readMetadataIndexNode(cur(bad), 4, false)).toThrow(/not increasing/);
  });
  it('reads the §17 TimeseriesMetadata with its one chunk', () => {
    const ts = readTimeseriesMetadata(cur([...hex('00 04 "s1" 01 08 03'), ...i64(1), ...i64(3), ...hex('00 00 00 0a 00 00 00 1e 00 00 00 0a 00 00 00 1e'), ...i64(60), ...i64(20)]));
    expect(ts).toMatchObject({ measurementId: 's1', dataType: 1, chunks: [{ offset: 20, statistics: undefined }], isTimeColumn: false });
  });
});

describe('device ids (§3)', () => {
  it('v4 segment arrays, with null segments; v3 plain paths', () => {
    expect(readDeviceId(cur(hex('02 0e "root.sg" 04 "d1"')), 4)).toEqual(['root.sg', 'd1']);
    expect(readDeviceId(cur(hex('03 04 "t1" 01 02 "a"')), 4)).toEqual(['t1', null, 'a']);
    expect(readDeviceId(cur(hex('00')), 4)).toEqual(['']);
    expect(readDeviceId(cur(hex('14 "root.sg.d1"')), 3)).toEqual(['root.sg.d1']);
  });
  it('splits tree paths as the v4 writer does and orders segment-wise with null first', () => {
    expect(treePathToDeviceId('root')).toEqual(['root']);
    expect(treePathToDeviceId('root.sg.d1')).toEqual(['root.sg', 'd1']);
    expect(treePathToDeviceId('root.a.b.c.d')).toEqual(['root.a.b', 'c', 'd']);
    expect(treePathToDeviceId('root.sg.`a.b`')).toEqual(['root.sg', '`a.b`']);
    expect(compareDeviceIds(['t', null], ['t', 'a'])).toBeLessThan(0);
    expect(compareDeviceIds(['t'], ['t', 'a'])).toBeLessThan(0);
    expect(compareDeviceIds(['root.sg', 'd10'], ['root.sg', 'd9'])).toBeLessThan(0);
  });
});
