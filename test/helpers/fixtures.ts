/** Locates the shared fixture corpus (../shared/fixtures beside the repository) and its expected data. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_FIXTURES = resolve(REPO_ROOT, '../shared/fixtures');
export const HAVE_SHARED = existsSync(SHARED_FIXTURES);
export const SKIP_MESSAGE = `shared fixtures not found at ${SHARED_FIXTURES}: golden-file tests skipped`;

if (!HAVE_SHARED) console.warn(SKIP_MESSAGE);

export interface Fixture {
  name: string;
  /** "cpp", "java" or "large". */
  group: string;
  tsfile: string;
  json: Record<string, unknown>;
}

export function listFixtures(group: string): Fixture[] {
  if (!HAVE_SHARED) return [];
  const dir = join(SHARED_FIXTURES, group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsfile'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.tsfile'.length);
      return { name, group, tsfile: join(dir, f), json: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown> };
    });
}

/** The expected canonical CSV of a fixture (gunzipped when stored as .csv.gz), or undefined when not shipped. */
export function expectedCsv(f: Fixture): string | undefined {
  const base = join(SHARED_FIXTURES, f.group, f.name);
  if (existsSync(`${base}.csv`)) return readFileSync(`${base}.csv`, 'utf8');
  if (existsSync(`${base}.csv.gz`)) return gunzipSync(readFileSync(`${base}.csv.gz`)).toString('utf8');
  return undefined;
}
