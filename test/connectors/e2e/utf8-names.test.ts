/**
 * Names IoTDB must receive quoted (non-ASCII letters, '-', numbers, backticks, dots) and CJK names
 * it takes bare: a TsFile with such devices and measurements loaded through every IoTDB sink holds
 * exactly its points, and `tsfile import --from` reads them back to the same raw names. A
 * table-model file sent to IoTDB without --table-database is refused, naming the option.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImportCommand as runImport } from '../../../src/cli/import.js';
import { runLoad } from '../../../src/cli/load.js';
import { TsFileWriter } from '../../../src/writer/tsfile-writer.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../../helpers/fixtures.js';
import { IoTDBRestTestServer } from '../servers/iotdb-rest-server.js';
import { csvLine } from '../servers/iotdb-store.js';
import { IoTDBRpcTestServer } from '../servers/iotdb-rpc-server.js';
import { cliIo, csvLinesOf } from './helpers.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'utf8-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const DEVICES = ['root.工厂.设备_1', 'root.sg.dév-1', 'root.sg.`a.b`', 'root.123.x'];
const MEASUREMENTS = ['état', '温度', 'x`y', '1e5', 'plain_1'];

/** Writes the file and returns its canonical lines, computed from the input. */
async function writeFixture(file: string): Promise<string[]> {
  const w = await TsFileWriter.open(file, { threads: 0 });
  const lines: [string, string, bigint, string][] = [];
  for (const [k, d] of DEVICES.entries()) {
    w.registerTimeseries(d, MEASUREMENTS.map((m) => ({ measurement: m, dataType: 'DOUBLE' as const })));
    const time = [1000n + BigInt(k), 2000n, 3000n];
    const columns: Record<string, number[]> = {};
    MEASUREMENTS.forEach((m, j) => { columns[m] = [j - 0.5, -0, k * 1e300]; });
    await w.write(d, { time, columns });
    for (const m of MEASUREMENTS) time.forEach((t, i) => lines.push([d, m, t, [String(columns[m]![i]), '-0', String(k * 1e300)][i]!.replace(/^0$/, '0')]));
  }
  await w.close();
  const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
  lines.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || (a[2] < b[2] ? -1 : 1));
  return lines.map(([d, m, t, v]) => csvLine([d, m, String(t), v]));
}


describe('UTF-8 and quoted names through IoTDB', () => {
  it('native RPC and REST sinks send every name legally and hold exactly the points; import --from reads them back', async () => {
    const file = path.join(dir, 'names.tsfile');
    const expected = await writeFixture(file);
    expect(await csvLinesOf(file)).toEqual(expected);
    const rpc = await new IoTDBRpcTestServer().start();
    const rest = await new IoTDBRestTestServer().start();
    try {
      for (const url of [`iotdb://root:iotdb-pw@127.0.0.1:${rpc.port}`, `iotdb+http://root:rest-pw@127.0.0.1:${rest.port}`]) {
        const io = cliIo();
        expect(await runLoad([file, '--to', url, '--create-schema', '--no-checkpoint'], io), io.err()).toBe(0);
      }
      for (const s of [rpc, rest]) {
        expect(s.violations).toEqual([]);
        expect(s.store.lines().sort()).toEqual([...expected].sort());
      }
      // The DDL names are quoted as well.
      expect(rpc.statements).toContain('CREATE TIMESERIES root.sg.`dév-1`.`état` WITH DATATYPE=DOUBLE, ENCODING=GORILLA, COMPRESSOR=LZ4');
      for (const url of [`iotdb://root:iotdb-pw@127.0.0.1:${rpc.port}`, `iotdb+http://root:rest-pw@127.0.0.1:${rest.port}`]) {
        const out = path.join(dir, `back-${url.startsWith('iotdb+http') ? 'rest' : 'rpc'}.tsfile`);
        const io = cliIo();
        expect(await runImport(['--from', url, '-o', out, '--page-rows', '2'], io), io.err()).toBe(0);
        expect(io.err()).toMatch(/4 splits, 12 rows/);
        expect(await csvLinesOf(out)).toEqual(expected);
      }
    } finally { await rpc.close(); await rest.close(); }
  });

  it.skipIf(!HAVE_SHARED)('refuses table-model devices without --table-database, naming the option, before sending anything', async () => {
    const rpc = await new IoTDBRpcTestServer().start();
    try {
      const io = cliIo();
      const code = await runLoad([path.join(SHARED_FIXTURES, 'java', 'table_model.tsfile'), '--to', `iotdb://root:iotdb-pw@127.0.0.1:${rpc.port}`, '--no-checkpoint'], io);
      expect(code).toBe(1);
      expect(io.err()).toMatch(/table-model device .*--table-database/);
      expect(rpc.calls.filter((c) => c.startsWith('insert'))).toEqual([]);
    } finally { await rpc.close(); }
  });
});
