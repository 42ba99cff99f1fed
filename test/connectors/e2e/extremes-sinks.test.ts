/**
 * The extremes fixture (−0, NaN, ±Infinity, subnormals, max floats, int32/int64 limits) through every
 * sink, each under an injected 5xx and a reset: IoTDB (RPC and REST) holds exactly the fixture's CSV;
 * TDengine and StarRocks refuse NaN/±Infinity naming --non-finite, and with --non-finite null hold
 * every other value exactly.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../../src/cli/load.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../../helpers/fixtures.js';
import { IoTDBRestTestServer } from '../servers/iotdb-rest-server.js';
import { csvLine } from '../servers/iotdb-store.js';
import { IoTDBRpcTestServer } from '../servers/iotdb-rpc-server.js';
import { StarRocksTestServer } from '../servers/starrocks-server.js';
import { TDengineTestServer } from '../servers/tdengine-server.js';
import { cliIo, expectedLines, fixtureTypes } from './helpers.js';

const BASE = path.join(SHARED_FIXTURES, 'java', 'extremes');
const FILE = `${BASE}.tsfile`;
const finite = (lines: string[]): string[] => lines.filter((l) => !/,(NaN|-?Infinity)$/.test(l));
const cmp = (a: string, b: string): number => {
  const [da, ma, ta] = a.split(','); const [db, mb, tb] = b.split(',');
  return Buffer.compare(Buffer.from(`${da},${ma}`), Buffer.from(`${db},${mb}`)) || (BigInt(ta!) < BigInt(tb!) ? -1 : 1);
};

/** Wide rows → canonical lines, the text of each value read as its column type would store it. */
function lines(rows: Record<string, string | null>[], timeKey: string, deviceOf: (r: Record<string, string | null>) => string, types: Map<string, string>): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (k === timeKey || k === 'device' || v === null || v === undefined) continue;
      const t = types.get(k);
      const text = t === 'FLOAT' ? (Object.is(Math.fround(Number(v)), -0) ? '-0' : String(Math.fround(Number(v))))
        : t === 'DOUBLE' ? (Object.is(Number(v), -0) ? '-0' : String(Number(v)))
        : t === 'DATE' && /^\d+$/.test(v) ? `${v.slice(0, -4).padStart(4, '0')}-${v.slice(-4, -2)}-${v.slice(-2)}` : v;
      out.push(csvLine([deviceOf(r), k, String(r[timeKey]), text]));
    }
  }
  return out.sort(cmp);
}

describe.skipIf(!HAVE_SHARED)('extremes through every sink', () => {
  const expected = HAVE_SHARED ? expectedLines(BASE) : [];
  const types = HAVE_SHARED ? fixtureTypes(BASE) : new Map<string, string>();

  it('IoTDB RPC and REST hold exactly the fixture across a failed call and a reset', async () => {
    const rpc = await new IoTDBRpcTestServer().start();
    const rest = await new IoTDBRestTestServer().start();
    rpc.faults.push({ at: 'insert', kind: 'status', code: 606, message: 'write rejected for now' }, { at: 'insert', kind: 'close-before' });
    rest.faults.push({ at: 'insert', kind: 'http-503' }, { at: 'insert', kind: 'reset' });
    try {
      for (const url of [`iotdb://root:iotdb-pw@127.0.0.1:${rpc.port}`, `iotdb+http://root:rest-pw@127.0.0.1:${rest.port}`]) {
        const io = cliIo();
        expect(await runLoad([FILE, '--to', url, '--batch-rows', '20', '--no-checkpoint', '--timeout', '2000'], io), io.err()).toBe(0);
        expect(io.err()).toMatch(/[1-9]\d* retries/);
      }
      for (const s of [rpc, rest]) {
        expect(s.violations).toEqual([]);
        expect(s.store.lines()).toEqual(expected);
      }
    } finally { await rpc.close(); await rest.close(); }
  });

  it('TDengine refuses NaN naming --non-finite, and with it holds every finite value exactly', async () => {
    const server = await new TDengineTestServer('root', 'td-secret', []).start();
    try {
      const url = `tdengine+http://root:td-secret@127.0.0.1:${new URL(server.url).port}/x`;
      const refused = cliIo();
      expect(await runLoad([FILE, '--to', url, '--create-database', '--stable', 'm', '--no-checkpoint'], refused)).toBe(1);
      expect(refused.err()).toMatch(/NaN cannot be stored by tdengine .*--non-finite null/);
      server.faults.push({ at: 'sql', kind: 'http-503' }, { at: 'sql', kind: 'reset' });
      const io = cliIo();
      expect(await runLoad([FILE, '--to', url, '--create-database', '--stable', 'm', '--non-finite', 'null', '--no-checkpoint', '--timeout', '2000'], io), io.err()).toBe(0);
      expect(server.violations).toEqual([]);
      const db = server.databases.get('x')!;
      const rows = [...db.tables.entries()].flatMap(([, t]) => [...t.rows.entries()].map(([ts, r]) => ({ ...r, ts: String(ts), device: t.tags!.device! })));
      expect(lines(rows, 'ts', (r) => r.device!, types)).toEqual(finite(expected));
    } finally { await server.close(); }
  });

  for (const format of ['csv', 'json'] as const) {
    it(`StarRocks ${format} refuses NaN naming --non-finite, and with it holds every finite value exactly`, async () => {
      const server = await new StarRocksTestServer('root', 'sr', ['db.t']).start();
      try {
        const url = `starrocks://root:sr@127.0.0.1:${server.fe.port}/db/t`;
        const refused = cliIo();
        expect(await runLoad([FILE, '--to', url, '--format', format, '--no-checkpoint'], refused)).toBe(1);
        expect(refused.err()).toMatch(/cannot be stored by starrocks .*--non-finite null/);
        server.faults.push({ at: 'be', kind: 'http-500' }, { at: 'be', kind: 'reset-mid-body' });
        const io = cliIo();
        expect(await runLoad([FILE, '--to', url, '--format', format, '--non-finite', 'null', '--no-checkpoint', '--timeout', '5000'], io), io.err()).toBe(0);
        expect(server.violations).toEqual([]);
        expect(lines(server.rows(), 'time', (r) => r.device!, types)).toEqual(finite(expected));
      } finally { await server.close(); }
    });
  }
});
