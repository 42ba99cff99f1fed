/** For each compression, the smallest shared fixture that uses it (and ships its expected CSV). */
import { statSync } from 'node:fs';
import { expectedCsv, listFixtures, type Fixture } from './fixtures.js';

export function fixturePerCompression(): Map<string, Fixture> {
  const best = new Map<string, Fixture>();
  for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
    for (const c of Object.keys((f.json.compressions ?? {}) as Record<string, number>)) {
      const cur = best.get(c);
      if (expectedCsv(f) !== undefined && (cur === undefined || statSync(f.tsfile).size < statSync(cur.tsfile).size)) best.set(c, f);
    }
  }
  return best;
}
