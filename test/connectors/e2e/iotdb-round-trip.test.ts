/**
 * IoTDB both ways: fixtures loaded with `tsfile load` into the strict RPC and REST servers, then read
 * back by the IoTDB source (SHOW DEVICES / SHOW TIMESERIES, then per-device SELECTs: TsBlocks with
 * fetchResultsV2 paging over RPC, LIMIT pages over REST) into a TsFile whose CSV is the fixtures' —
 * also when a fetch loses its connection or a page answers 503.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../../src/cli/load.js';
import { IoTDBSource } from '../../../src/connectors/iotdb/source.js';
import { pipe } from '../../../src/pipeline/pipe.js';
import { TsFilePipeSink } from '../../../src/pipeline/tsfile-sink.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../../helpers/fixtures.js';
import { IoTDBRestTestServer } from '../servers/iotdb-rest-server.js';
import { IoTDBRpcTestServer } from '../servers/iotdb-rpc-server.js';
import { cliIo, csvLinesOf, expectedLines } from './helpers.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iotdb-rt-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const cmp = (a: string, b: string): number => {
  const [da, ma, ta] = a.split(','); const [db, mb, tb] = b.split(',');
  return Buffer.compare(Buffer.from(`${da},${ma}`), Buffer.from(`${db},${mb}`)) || (BigInt(ta!) < BigInt(tb!) ? -1 : 1);
};

async function readBack(source: IoTDBSource): Promise<string[]> {
  const out = path.join(dir, `back-${Math.random().toString(36).slice(2)}.tsfile`);
  const sink = new TsFilePipeSink(out);
  const st = await pipe({ source, sink }).start();
  if (st.error !== undefined) throw st.error;
  await sink.commit();
  return csvLinesOf(out);
}

describe.skipIf(!HAVE_SHARED)('IoTDB round trip', () => {
  it('RPC: every type, extremes, aligned and non-aligned devices come back exactly, across a lost fetch', async () => {
    const names = ['aligned_all_types', 'extremes', 'aligned_and_nonaligned'];
    const server = await new IoTDBRpcTestServer().start();
    try {
      for (const n of names) {
        const io = cliIo();
        expect(await runLoad([path.join(SHARED_FIXTURES, 'java', `${n}.tsfile`), '--to', `iotdb://root:iotdb-pw@127.0.0.1:${server.port}`, '--no-checkpoint'], io)).toBe(0);
      }
      server.faults.push({ at: 'fetch', kind: 'close-before' }, { at: 'query', kind: 'status', code: 600, message: 'read-only for a moment' });
      const source = new IoTDBSource({ host: '127.0.0.1', port: server.port, password: 'iotdb-pw', pageRows: 400, retry: { maxRetries: 3, initialBackoffMs: 5, maxBackoffMs: 20 } });
      const back = await readBack(source);
      const expected = names.flatMap((n) => expectedLines(path.join(SHARED_FIXTURES, 'java', n))).sort(cmp);
      expect(back).toEqual(expected);
      expect(server.violations).toEqual([]);
      expect(server.openQueries.size).toBe(0);
      expect(source.metrics.retries).toBe(2);
      expect(server.calls.filter((c) => c === 'fetchResultsV2').length).toBeGreaterThanOrEqual(5);
    } finally { await server.close(); }
  });

  it('REST: pages of LIMIT queries after the last time read, across a 503 and a reset', async () => {
    const names = ['aligned_and_nonaligned', 'many_chunk_groups'];
    const server = await new IoTDBRestTestServer().start();
    try {
      for (const n of names) {
        const io = cliIo();
        expect(await runLoad([path.join(SHARED_FIXTURES, 'java', `${n}.tsfile`), '--to', `iotdb+http://root:rest-pw@127.0.0.1:${server.port}`, '--no-checkpoint'], io)).toBe(0);
      }
      server.rowLimit = 300;
      server.faults.push({ at: 'query', kind: 'http-503' }, { at: 'query', kind: 'reset' });
      const source = new IoTDBSource({ host: '127.0.0.1', port: server.port, transport: 'rest', password: 'rest-pw', pageRows: 250, retry: { maxRetries: 3, initialBackoffMs: 5, maxBackoffMs: 20 } });
      const back = await readBack(source);
      expect(back).toEqual(names.flatMap((n) => expectedLines(path.join(SHARED_FIXTURES, 'java', n))).sort(cmp));
      expect(server.violations).toEqual([]);
      expect(source.metrics.retries).toBe(2);
      expect(server.queries.filter((q) => q.startsWith('SELECT')).length).toBeGreaterThan(20);
    } finally { await server.close(); }
  });
});
