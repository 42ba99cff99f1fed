/**
 * Headless Chromium for tests (Debian's `chromium`, driven by playwright-core). Where it is
 * missing the browser tests are skipped locally, but under CI (CI=true) they fail loudly.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '');

export const CHROMIUM = CANDIDATES.find((p) => existsSync(p));
export const IN_CI = process.env.CI === 'true';
/** Run browser tests when Chromium exists, and always under CI (where a missing one must fail). */
export const RUN_BROWSER = CHROMIUM !== undefined || IN_CI;

if (CHROMIUM === undefined && !IN_CI) console.warn('chromium not found: browser tests skipped (CI=true makes this a failure)');

export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error(`headless Chromium is required for the browser tests; none of ${CANDIDATES.join(', ')} exists (apt-get install chromium)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
