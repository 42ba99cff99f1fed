/**
 * Decoder and encoder throughput on 10 000-value pages (tsfile-format.md §10 hot paths): TS_2DIFF
 * INT64/INT32, GORILLA DOUBLE/INT32/FLOAT, PLAIN INT64/FLOAT/DOUBLE. Run with
 * `npx tsx bench/encoding.bench.ts`; prints values per second for each decoder and encoder.
 */
import { Bench } from 'tinybench';
import { decodeTimes, decodeValues, encodeValues, type FixedWidthValues } from '../src/encoding/index.js';
import { DataType, Encoding } from '../src/format/codes.js';

const N = 10_000;
let seed = 12345;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  return ((seed >>> 8) & 0xffffff) / 0x1000000;
}

// Irregular millisecond timestamps (about 1 s apart with jitter), a random walk of doubles with two
// decimals, small int32 deltas: the shapes of typical sensor data.
const times = new BigInt64Array(N);
let t = 1_700_000_000_000n;
for (let i = 0; i < N; i++) times[i] = t += BigInt(990 + Math.floor(random() * 20));
const doubles = new Float64Array(N);
let d = 20;
for (let i = 0; i < N; i++) doubles[i] = Math.round((d += random() - 0.5) * 100) / 100;
const ints = new Int32Array(N);
let k = 0;
for (let i = 0; i < N; i++) ints[i] = k += Math.floor(random() * 200) - 100;
const floats = Float32Array.from(doubles);

// Each decoder runs twice: into a fresh array per page, and into a reused array (DecodeContext.into),
// which is what a reader decoding a whole chunk into one buffer pays.
const cases: [string, () => unknown][] = [];
function add(name: string, encoding: Encoding, type: DataType, values: Parameters<typeof encodeValues>[2]): void {
  const bytes = encodeValues(encoding, type, values);
  const into = (values as { slice(): FixedWidthValues }).slice();
  cases.push([name, () => decodeValues(encoding, type, bytes, N)]);
  cases.push([`${name} (into)`, () => decodeValues(encoding, type, bytes, N, { into })]);
}
const timeBytes = encodeValues(Encoding.TS_2DIFF, DataType.INT64, times);
const timesInto = new BigInt64Array(N);
cases.push(['TS_2DIFF time column (decodeTimes)', () => decodeTimes(Encoding.TS_2DIFF, timeBytes, N)]);
cases.push(['TS_2DIFF time column (into)', () => decodeTimes(Encoding.TS_2DIFF, timeBytes, N, { into: timesInto })]);
add('TS_2DIFF INT64', Encoding.TS_2DIFF, DataType.INT64, times);
add('TS_2DIFF INT32', Encoding.TS_2DIFF, DataType.INT32, ints);
add('GORILLA DOUBLE', Encoding.GORILLA, DataType.DOUBLE, doubles);
add('GORILLA INT32', Encoding.GORILLA, DataType.INT32, ints);
add('PLAIN INT64', Encoding.PLAIN, DataType.INT64, times);
add('PLAIN DOUBLE', Encoding.PLAIN, DataType.DOUBLE, doubles);
add('PLAIN FLOAT', Encoding.PLAIN, DataType.FLOAT, floats);
add('PLAIN INT32', Encoding.PLAIN, DataType.INT32, ints);
add('RLE INT32', Encoding.RLE, DataType.INT32, ints);
// Encoders: the writer's page encoders, fresh output array per page as the writer gets it.
const encoders: [string, Encoding, DataType, Parameters<typeof encodeValues>[2]][] = [
  ['TS_2DIFF time column', Encoding.TS_2DIFF, DataType.INT64, times],
  ['TS_2DIFF INT32', Encoding.TS_2DIFF, DataType.INT32, ints],
  ['GORILLA DOUBLE', Encoding.GORILLA, DataType.DOUBLE, doubles],
  ['GORILLA FLOAT', Encoding.GORILLA, DataType.FLOAT, floats],
  ['GORILLA INT32', Encoding.GORILLA, DataType.INT32, ints],
  ['PLAIN DOUBLE', Encoding.PLAIN, DataType.DOUBLE, doubles],
  ['RLE INT32', Encoding.RLE, DataType.INT32, ints],
];
for (const [name, encoding, type, values] of encoders) cases.push([`encode ${name}`, () => encodeValues(encoding, type, values)]);

// Wall-clock statistics from tinybench, plus process CPU time per call, which stays meaningful when
// other processes share the machine.
const bench = new Bench({ time: 400, warmupTime: 100 });
const cpuMicros = new Map<string, number>();
for (const [name, fn] of cases) {
  bench.add(name, fn, {
    beforeAll() {
      const start = process.cpuUsage();
      let calls = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 200) {
        fn();
        calls++;
      }
      const used = process.cpuUsage(start);
      cpuMicros.set(name, (used.user + used.system) / calls);
    },
  });
}
await bench.run();
console.log(`${'decoder / encoder (10 000 values per page)'.padEnd(40)} ${'wall M/s'.padStart(9)} ${'cpu M/s'.padStart(9)}`);
for (const task of bench.tasks) {
  const result = task.result;
  const mean = 'latency' in result ? result.latency.mean : undefined;
  const cpu = cpuMicros.get(task.name);
  if (mean === undefined || cpu === undefined) continue;
  const wall = (N / mean) * 1e3;
  console.log(`${task.name.padEnd(40)} ${(wall / 1e6).toFixed(1).padStart(9)} ${(N / cpu).toFixed(1).padStart(9)}`);
}
