/**
 * The byte-exact worked example of tsfile-format.md §17 (a 275-byte version-4 file written by the
 * reference Java writer: device root.sg.d1, INT32 s1 = 10, 20, 30 at times 1, 2, 3), transcribed
 * from the spec's tables.
 */
export function hex(s: string): number[] {
  return s
    .replace(/"([^"]*)"/g, (_, t: string) => Array.from(new TextEncoder().encode(t), (b) => b.toString(16).padStart(2, '0')).join(' '))
    .split(/\s+/)
    .filter((x) => x.length > 0)
    .map((x) => parseInt(x, 16));
}
export const i64 = (n: number) => hex(n.toString(16).padStart(16, '0').replace(/(..)/g, '$1 '));

export const WORKED_EXAMPLE = new Uint8Array([
  ...hex('"TsFile" 04'),
  ...hex('00 02 0e "root.sg" 04 "d1"'), // chunk group header
  ...hex('05 04 "s1" 1e 01 00 00'), // chunk header: single page, dataSize 30, INT32, UNCOMPRESSED, PLAIN
  ...hex('1c 1c 18'), // page sizes 28/28, time column length 24
  ...hex('00 00 00 02 00 00 00 00'), // TS_2DIFF: 2 deltas, width 0
  ...i64(1),
  ...i64(1), // minDelta 1, first 1
  ...hex('14 28 3c'), // PLAIN INT32 zig-zag varints 10 20 30
  ...hex('02'), // separator at 0x3a
  ...hex('00 04 "s1" 01 08 03'),
  ...i64(1),
  ...i64(3),
  ...hex('00 00 00 0a 00 00 00 1e 00 00 00 0a 00 00 00 1e'),
  ...i64(60),
  ...i64(20), // chunk metadata: offset 0x14
  ...hex('01 04 "s1"'),
  ...i64(0x3b),
  ...i64(0x72),
  ...hex('03'), // LEAF_MEASUREMENT
  ...hex('01 0e "root.sg" 01 02 0e "root.sg" 04 "d1"'),
  ...i64(0x72),
  ...i64(0x87),
  ...hex('01 00'), // LEAF_DEVICE, 0 table schemas
  ...i64(0x3a),
  ...hex('1a 00 00 02 00 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 40 00 06 80 02 05'),
  ...hex('06 18 "encryptLevel" 02 "0" 14 "encryptKey" 00 16 "encryptType" 16 "UNENCRYPTED"'),
  ...hex('00 00 00 82 "TsFile"'),
]);

