/** The bloom filter of every fixture admits each of its series; absent series are answered "no". */
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { BloomFilter } from '../../src/format/bloom-filter.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';

describe('bloom filter', () => {
  it('the §17 file: its one series is in, others are out', async () => {
    const reader = await TsFileReader.open(WORKED_EXAMPLE);
    expect(await reader.hasSeries('root.sg.d1', 's1')).toBe(true);
    expect(await reader.hasSeries('root.sg.d1', 's2')).toBe(false);
    expect(await reader.hasSeries('root.sg.d9', 's1')).toBe(false);
  });

  describe.skipIf(!HAVE_SHARED)('on the fixtures', () => {
    for (const f of [...listFixtures('cpp'), ...listFixtures('java')]) {
      it(f.name, async () => {
        const reader = await TsFileReader.open(f.tsfile);
        const bf = reader.metadata.bloomFilter!;
        expect(bf).toBeDefined();
        const filter = new BloomFilter(bf.sizeInBits, bf.hashFunctionCount, bf.bits);
        let falsePositives = 0;
        let probes = 0;
        for (const d of await reader.devices()) {
          for (const s of await reader.timeseries(d.path)) {
            expect(filter.mightContain(`${d.path}.${s.measurement}`), `${d.path}.${s.measurement}`).toBe(true);
            probes++;
            if (filter.mightContain(`${d.path}.${s.measurement}__absent`)) falsePositives++;
          }
        }
        // The writer sizes the filter for a 5% error rate.
        expect(falsePositives).toBeLessThanOrEqual(Math.max(2, probes * 0.2));
      });
    }
  });
});
