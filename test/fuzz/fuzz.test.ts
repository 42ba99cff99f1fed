/**
 * A short fixed-seed fuzz run (mutants of our own and, when present, the shared corpus' small
 * files), inline and with every task on a worker pool, each case under a 2-second watchdog; and
 * the kept regression inputs (mutants that once hung the reader or threw untyped errors), each of
 * which must now end within a second with a TsFileError or its points. `npm run fuzz` runs the
 * long campaign (see the README's reliability section).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { createDecodePool, PoolRunner } from '../../src/engine/pool-runner.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';
import { runCampaign, type CampaignReport } from './campaign.js';
import { runCase } from './run-case.js';

const FIXTURES = join(REPO_ROOT, 'test/fuzz/fixtures');

function expectClean(r: CampaignReport): void {
  const findings = r.findings.map((f) => `${f.kind} case ${f.index} (${f.how}): ${f.message.split('\n')[0]}`);
  expect(findings).toEqual([]);
  expect(r.hangs + r.crashes + r.untyped).toBe(0);
  expect(r.ok + r.typed).toBe(r.cases);
  // Most mutants are refused; some still read (an edit inside a value, a flipped padding bit).
  expect(r.typed).toBeGreaterThan(0);
  expect(r.ok).toBeGreaterThan(0);
}

describe('fuzz: a fixed-seed run', () => {
  it('2000 mutants inline: no hang, crash or untyped error', async () => {
    const r = await runCampaign({ runSeed: 20251204, from: 0, to: 2000, mode: 'inline', sharedMaxBytes: 16 * 1024, hangMs: 5000 });
    expectClean(r);
    expect(r.cases).toBe(2000);
  }, 120_000);

  it('400 mutants with every task on a worker pool: the same', async () => {
    const r = await runCampaign({ runSeed: 20251205, from: 0, to: 400, mode: 'pool', sharedMaxBytes: 16 * 1024, hangMs: 5000 });
    expectClean(r);
  }, 120_000);
});

describe('fuzz: kept regression inputs', () => {
  const files = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.tsfile')).sort() : [];
  const pool = createDecodePool(2);
  const runner = new PoolRunner(pool, { minTaskBytes: 0 });
  afterAll(() => pool.destroy());
  // Start the pool's threads first: their start-up is not the reader's time.
  beforeAll(async () => {
    await Promise.all([1, 2, 3, 4].map(() => runCase(WORKED_EXAMPLE, runner)));
  }, 60_000);

  it('there are some', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    it(f, async () => {
      const bytes = new Uint8Array(readFileSync(join(FIXTURES, f)));
      for (const r of [undefined, runner]) {
        for (const csv of [false, true]) {
          const started = performance.now();
          const outcome = await runCase(bytes, r, csv);
          expect(outcome.kind === 'untyped' ? outcome.message : outcome.kind).not.toMatch(/untyped|Error/);
          expect(performance.now() - started).toBeLessThan(1000);
        }
      }
    });
  }
});
