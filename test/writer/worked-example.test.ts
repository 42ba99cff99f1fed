/** The byte-exact worked examples of tsfile-format.md §17 (produced there by the Java writer). */
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const clean = (s: string) => s.replace(/\s+/g, '');
const ascii = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** §17.1–17.3, row by row. */
const EXAMPLE_17 = clean(`
  5473 4669 6c65 04
  00 02 0e726f6f742e7367 046431
  05 047331 1e 01 00 00
  1c 1c 18
  00000002 00000000 0000000000000001 0000000000000001
  14283c
  02
  00 047331 01 08 03 0000000000000001 0000000000000003
  0000000a 0000001e 0000000a 0000001e 000000000000003c
  0000000000000014
  01 047331 000000000000003b 0000000000000072 03
  01 0e726f6f742e7367
  01 02 0e726f6f742e7367 046431 0000000000000072 0000000000000087 01
  00
  000000000000003a
  1a 0000020000000000000000400000000000000000000000400006 8002 05
  06 18${ascii('encryptLevel')} 0230 14${ascii('encryptKey')} 00 16${ascii('encryptType')} 16${ascii('UNENCRYPTED')}
  00000082
  5473 4669 6c65
`);

describe('§17 worked example', () => {
  it('writes the 275-byte file of §17.1–17.3 byte for byte', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink);
    w.registerTimeseries('root.sg.d1', { measurement: 's1', dataType: 'INT32', encoding: 'PLAIN', compression: 'UNCOMPRESSED' });
    await w.write('root.sg.d1', { time: new BigInt64Array([1n, 2n, 3n]), columns: { s1: new Int32Array([10, 20, 30]) } });
    await w.close();
    const bytes = sink.bytes();
    expect(bytes.length).toBe(275);
    expect(hex(bytes)).toBe(EXAMPLE_17);
  });

  it('§17.4: aligned device with a TEXT column and a null, data section byte for byte', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { timeCompression: 'UNCOMPRESSED' });
    w.registerAlignedDevice('root.sg.d2', [
      { measurement: 's1', dataType: 'INT32', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
      { measurement: 's2', dataType: 'TEXT', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
    ]);
    await w.write('root.sg.d2', { time: [1, 2, 3], columns: { s1: [10, 20, 30], s2: ['v1', null, 'v3'] } });
    await w.close();
    const b = sink.bytes();
    const dataSection = clean(`
      5473 4669 6c65 04
      00 02 0e726f6f742e7367 046432
      85 00 1a 06 00 04
      18 18 00000002 00000000 0000000000000001 0000000000000001
      45 047331 0a 01 00 00
      08 08 00000003 e0 14283c
      45 047332 0d 05 00 00
      0b 0b 00000003 a0 047631 047633
      02
    `);
    expect(hex(b.subarray(0, dataSection.length / 2))).toBe(dataSection);
    const index = hex(b.subarray(dataSection.length / 2));
    // Time column: type 80, id "", VECTOR, list 8 bytes, count 3, times 1..3, chunk offset 0x14.
    expect(index.startsWith(clean('80 00 06 08 03 0000000000000001 0000000000000003 0000000000000014'))).toBe(true);
    // s2: TEXT statistics count 2, first "v1", last "v3", chunk at 0x46.
    expect(index).toContain(clean('40 047332 05 08 02 0000000000000001 0000000000000003 00000002 7631 00000002 7633 0000000000000046'));
    expect(index).toContain(clean('40 047331 01 08'));
  });

  it('§17.4: an all-null aligned column is a header-only chunk with empty statistics', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { timeCompression: 'UNCOMPRESSED' });
    w.registerAlignedDevice('root.sg.d2', [
      { measurement: 's1', dataType: 'INT32', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
      { measurement: 's2', dataType: 'TEXT', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
    ]);
    await w.write('root.sg.d2', { time: [1, 2, 3], columns: { s1: [10, 20, 30], s2: [null, null, null] } });
    await w.close();
    const all = hex(sink.bytes());
    expect(all).toContain(clean('45 047332 00 05 00 00 02'));
    expect(all).toContain(clean('40 047332 05 08 00 7fffffffffffffff 8000000000000000 00000000 00000000'));
  });

  it('§17.5: table model device id, aligned chunks and table schema', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { timeCompression: 'UNCOMPRESSED' });
    w.registerTable('t1', [
      { name: 'id1', category: 'TAG' },
      { name: 'm1', category: 'FIELD', dataType: 'INT64', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
    ]);
    await w.write('t1', { time: [1, 2], columns: { id1: ['a', 'a'], m1: [100n, 101n] } });
    await w.close();
    const all = hex(sink.bytes());
    expect(all.slice(14, 14 + 14)).toBe(clean('00 02 047431 0261'));
    expect(all).toContain(clean('85 00'));
    expect(all).toContain(clean('45 046d31'));
    expect(all).toContain(
      clean(`01 047431 02
        00000003 696431 0b 00 00 00000000 00000000
        00000002 6d31 02 00 00 00000000 00000001`),
    );
    // INT64 sum is the double 201.0.
    expect(all).toContain('4069200000000000');
  });
});
