/**
 * TDengine both ways: a fixture loaded with `tsfile load` into the strict taosAdapter server, then
 * read back by the TDengine source (table × time-window splits, paged, parallel) into a TsFile whose
 * CSV is the fixture's — except what TDengine cannot keep (DATE is stored as INT yyyymmdd).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../../src/cli/load.js';
import { TDengineSource } from '../../../src/connectors/tdengine/source.js';
import { pipe } from '../../../src/pipeline/pipe.js';
import { TsFilePipeSink } from '../../../src/pipeline/tsfile-sink.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../../helpers/fixtures.js';
import { TDengineTestServer } from '../servers/tdengine-server.js';
import { cliIo, csvLinesOf, expectedLines, fixtureTypes } from './helpers.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-rt-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

/** The fixture lines as TDengine holds them: DATE values become the INT yyyymmdd. */
function asTdengine(lines: string[], types: Map<string, string>): string[] {
  return lines.map((l) => {
    const [d, m, t, v] = l.split(',');
    return types.get(m!) === 'DATE' ? [d, m, t, v!.replace(/-/g, '').replace(/^0+/, '')].join(',') : l;
  });
}

describe.skipIf(!HAVE_SHARED)('TDengine round trip', () => {
  it('file → load → server → source → TsFile keeps every value, also through 503s, resets and a slow answer', async () => {
    const base = path.join(SHARED_FIXTURES, 'java', 'aligned_all_types');
    const server = await new TDengineTestServer('root', 'td-secret', []).start();
    try {
      const io = cliIo();
      const code = await runLoad([`${base}.tsfile`, '--to', `tdengine+http://root:td-secret@127.0.0.1:${new URL(server.url).port}/rt`,
        '--stable', 'meters', '--text-width', '512', '--create-database', '--no-checkpoint'], io);
      expect(io.err()).toContain('loaded:');
      expect(code).toBe(0);
      server.faults.push({ at: 'sql', kind: 'http-503' }, { at: 'sql', kind: 'reset' }, { at: 'sql', kind: 'slow', ms: 300 });
      const source = new TDengineSource({ url: server.url, database: 'rt', user: 'root', password: 'td-secret', window: 400_000n, pageRows: 300, parallel: 3,
        requestTimeoutMs: 200, retry: { maxRetries: 3, initialBackoffMs: 5, maxBackoffMs: 20 } });
      const out = path.join(dir, 'back.tsfile');
      const sink = new TsFilePipeSink(out);
      const st = await pipe({ source: source, sink }).start();
      expect(st.error).toBeUndefined();
      expect(st.state).toBe('done');
      await sink.commit();
      expect(server.violations).toEqual([]);
      expect(source.metrics.retries).toBeGreaterThanOrEqual(3);
      // Several windows, several pages each.
      expect(source.metrics.requests).toBeGreaterThan(12);
      const types = fixtureTypes(base);
      const back = await csvLinesOf(out);
      expect(back).toEqual(asTdengine(expectedLines(base), types).sort((a, b) => {
        const [da, ma, ta] = a.split(','); const [db, mb, tb] = b.split(',');
        return Buffer.compare(Buffer.from(`${da},${ma}`), Buffer.from(`${db},${mb}`)) || (BigInt(ta!) < BigInt(tb!) ? -1 : 1);
      }));
    } finally { await server.close(); }
  });
});
