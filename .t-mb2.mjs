import { FileSource } from './dist/src/io/file-source.js';
import { TsFileReader } from './dist/src/index.js';
import { readChunk, iteratePages } from './dist/src/reader/chunk-reader.js';
import { decompressBody } from './dist/src/reader/page-decoder.js';
import { decodeValues, decodeTimes } from './dist/src/encoding/index.js';
import { useWasmKernels } from './dist/src/encoding/wasm-kernels.js';
const f = '/work/shared/fixtures/large/large_20m.tsfile';
const r = await TsFileReader.open(f, { threads: 0 });
const src = await FileSource.open(f);
const ts = await r.index.deviceSeries((await r.index.devices())[0]);
const pages = {};
for (const s of ts) {
  const ch = await readChunk(src, s.chunks[0].offset, r.index.dataEnd);
  const pg = [...iteratePages(ch, 1 << 30)][0];
  const body = await decompressBody(ch.header.compression, pg.body, pg.header.uncompressedSize, {});
  let p = 0; let tl = 0, sh = 0; for (;;) { const b = body[p++]; tl |= (b & 127) << sh; sh += 7; if (!(b & 128)) break; }
  pages[s.measurementId] = { t: body.subarray(p, p + tl), v: body.subarray(p + tl), enc: ch.header.encoding, type: ch.header.dataType };
}
const N = 300;
function bench(name, fn) { for (let i = 0; i < 50; i++) fn(); const c0 = process.cpuUsage(); for (let i = 0; i < N; i++) fn(); const c = process.cpuUsage(c0); return ((c.user + c.system) * 1e3 / N / 10000).toFixed(2); }
const into = new BigInt64Array(10000);
for (const w of [false, true, false, true]) {
  useWasmKernels(w); const row = [w ? 'wasm' : 'ts  '];
  row.push('times ' + bench('t', () => decodeTimes(4, pages.ts_i64.t, 1 << 20, { into })));
  for (const [k, p] of Object.entries(pages)) { const o = new ({1:Int32Array,2:BigInt64Array,3:Float32Array,4:Float64Array})[p.type](10000); row.push(k + " " + bench(k, () => decodeValues(p.enc, p.type, p.v, 10000, { into: o }))); }
  console.log(row.join('  '));
}
