/**
 * Connector throughput: rows/s serialised per adapter (StarRocks CSV and JSON, IoTDB tablet
 * buffers and REST JSON, TDengine SQL and line protocol) from one 100 000-row batch of six columns
 * with 10% nulls, rows/s end to end into the loopback test servers, and rows/s read back out of
 * them by the sources (IoTDB RPC TsBlocks, IoTDB REST pages, TDengine REST pages) in the same run.
 * Same-run baseline: a memcpy of the batch's column bytes. Run: npx tsx bench/load.bench.ts
 */
import { Bench } from 'tinybench';
import { ByteBuffer } from '../src/connectors/core/byte-buffer.js';
import { viewBatch } from '../src/connectors/core/columns.js';
import { appendTreeTablet } from '../src/connectors/iotdb/rest-json.js';
import { IoTDBRestSink } from '../src/connectors/iotdb/rest-sink.js';
import { IoTDBSessionSink } from '../src/connectors/iotdb/session-sink.js';
import { IoTDBSource } from '../src/connectors/iotdb/source.js';
import { TDengineSource } from '../src/connectors/tdengine/source.js';
import { IoTDBRestTestServer } from '../test/connectors/servers/iotdb-rest-server.js';
import { buildTablet } from '../src/connectors/iotdb/tablet.js';
import { StreamLoadSink } from '../src/connectors/starrocks/stream-load-sink.js';
import { appendCsvRows, appendJsonRows, DEFAULT_LAYOUT } from '../src/connectors/starrocks/rows.js';
import { appendLines } from '../src/connectors/tdengine/line-protocol.js';
import { TDengineSqlSink } from '../src/connectors/tdengine/sink.js';
import { InsertBuilder, type SqlLayout } from '../src/connectors/tdengine/sql.js';
import { deviceBatch } from '../test/connectors/batches.js';
import { IoTDBRpcTestServer } from '../test/connectors/servers/iotdb-rpc-server.js';
import { StarRocksTestServer } from '../test/connectors/servers/starrocks-server.js';
import { TDengineTestServer } from '../test/connectors/servers/tdengine-server.js';

const N = 100_000;
const times = Array.from({ length: N }, (_, i) => 1_700_000_000_000 + i * 1000);
const nulls = <T>(f: (i: number) => T) => Array.from({ length: N }, (_, i) => (i % 10 === 3 ? null : f(i)));
const item = deviceBatch('root.bench.d1', times, [
  { name: 'l', type: 'INT64', values: nulls((i) => i * 7919) },
  { name: 'd', type: 'DOUBLE', values: nulls((i) => Math.sin(i) * 1000) },
  { name: 'f', type: 'FLOAT', values: nulls((i) => Math.fround(i / 3)) },
  { name: 'i', type: 'INT32', values: nulls((i) => i % 100_000) },
  { name: 'b', type: 'BOOLEAN', values: nulls((i) => i % 3 === 0) },
  { name: 's', type: 'TEXT', values: nulls((i) => `value-${i % 977}`) },
]);
const view = viewBatch(item);
let columnBytes = view.timeWords.byteLength;
for (const c of view.columns) columnBytes += (c.numbers ?? c.words ?? c.bytes ?? c.bits)!.byteLength;
const src = new Uint8Array(columnBytes);
const dst = new Uint8Array(columnBytes);
const out = new ByteBuffer(64 * 1024 * 1024);
const layout: SqlLayout = { timeColumn: 'ts', precision: 'ms', textType: 'NCHAR', textWidth: 64, binaryWidth: 64, nonFinite: 'null', maxSqlBytes: 1_000_000 };

const serialisers: [string, () => void][] = [
  ['memcpy of the column bytes (baseline)', () => dst.set(src)],
  ['StarRocks CSV', () => { out.clear(); appendCsvRows(out, view, 0, N, DEFAULT_LAYOUT, 'bench'); }],
  ['StarRocks JSON', () => { out.clear(); appendJsonRows(out, view, 0, N, { ...DEFAULT_LAYOUT, format: 'json' }, true); }],
  ['IoTDB tablet buffers', () => { buildTablet(view, 0, N); }],
  ['IoTDB REST JSON', () => { out.clear(); appendTreeTablet(out, view, 0, N); }],
  ['TDengine SQL', () => { const b = new InsertBuilder('db', layout); b.append(view, 0, N, { table: 't' }); b.take(); }],
  ['TDengine line protocol', () => { out.clear(); appendLines(out, view, 0, N, { measurement: 'm', tags: [['device', 'root.bench.d1']], precision: 'ms', nonFinite: 'null' }); }],
];

const bench = new Bench({ time: 1500, warmupTime: 300 });
for (const [name, fn] of serialisers) bench.add(name, fn);
await bench.run();

function report(title: string, b: Bench, rows: number): void {
  console.log(title);
  console.table(b.tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`${t.name}: ${r.state}`, { cause: (r as { error?: unknown }).error });
    return { name: t.name, 'ms/batch': Number(r.latency.mean.toFixed(2)), 'M rows/s': Number((rows / r.latency.mean / 1000).toFixed(2)) };
  }));
}
report(`serialisation, ${N} rows × 6 columns (${(columnBytes / 1e6).toFixed(1)} MB of column data)`, bench, N);

// End to end into loopback servers: each iteration writes the batch and flushes.
const iotdb = await new IoTDBRpcTestServer().start();
const starrocks = await new StarRocksTestServer('root', 'pw', ['db.t']).start();
const tdengine = await new TDengineTestServer('root', 'pw', ['power']).start();
const e2e = new Bench({ time: 0, warmupTime: 0, warmupIterations: 0, iterations: 2 });
const sinks = {
  'IoTDB native RPC (binary, 2 sessions)': () => new IoTDBSessionSink({ host: '127.0.0.1', port: iotdb.port, password: 'iotdb-pw', maxRows: 20_000, sessions: 2 }),
  'StarRocks Stream Load CSV': () => new StreamLoadSink({ url: starrocks.fe.url, database: 'db', table: 't', user: 'root', password: 'pw' }),
  'TDengine SQL': () => new TDengineSqlSink({ url: tdengine.url, database: 'power', user: 'root', password: 'pw', textWidth: 64, nonFinite: 'null' }),
};
for (const [name, make] of Object.entries(sinks)) {
  e2e.add(name, async () => { const s = make(); await s.write(item); await s.close(); });
}
await e2e.run();
report('end to end to loopback test servers (includes the servers\' own decoding)', e2e, N);

// Sources: the rows just written, read back (includes the servers' own query answering).
const rest = await new IoTDBRestTestServer().start();
const restSink = new IoTDBRestSink({ host: '127.0.0.1', port: rest.port, password: 'rest-pw' });
await restSink.write(item);
await restSink.close();
const sources = {
  'IoTDB source, native RPC TsBlocks': () => new IoTDBSource({ host: '127.0.0.1', port: iotdb.port, password: 'iotdb-pw', pageRows: 10_000 }),
  'IoTDB source, REST v2 query pages': () => new IoTDBSource({ host: '127.0.0.1', port: rest.port, transport: 'rest', password: 'rest-pw', pageRows: 10_000 }),
  'TDengine source, REST SQL pages': () => new TDengineSource({ url: tdengine.url, database: 'power', user: 'root', password: 'pw', pageRows: 10_000, window: 10n ** 12n }),
};
const read = new Bench({ time: 0, warmupTime: 0, warmupIterations: 0, iterations: 3 });
for (const [name, make] of Object.entries(sources)) {
  read.add(name, async () => {
    const s = make();
    let rows = 0;
    for (const split of await s.splits()) {
      const r = await split.open();
      for await (const b of r.scan({})) rows += b.batch.numRows;
    }
    await s.close();
    // IoTDB has no row whose every value is null (one row in ten here); TDengine keeps them.
    if (rows !== N && rows !== N - N / 10) throw new Error(`${name}: read ${rows} rows, expected ${N} or ${N - N / 10}`);
  });
}
await read.run();
report('sources reading back from the loopback test servers', read, N);
await Promise.all([iotdb.close(), starrocks.close(), tdengine.close(), rest.close()]);
