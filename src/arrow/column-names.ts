/**
 * Column names of union schemas (one Arrow schema over many devices): never two fields of one name.
 * The rule, applied in the order series are first seen:
 * - the fixed columns (`device`, `time`, tag columns) keep their names;
 * - a measurement name used with one data type, and not taken by a fixed column, is the column name;
 * - otherwise (a name used with several types, or the name of a fixed column) each of its types
 *   gets `name:TYPE` (e.g. `s1:INT32`, `time:INT64`), and if even that is taken, `name:TYPE:2`, `:3`, ...
 * Renamed fields keep the measurement name in `tsfile.measurement` metadata.
 */
export const MEASUREMENT_KEY = 'tsfile.measurement';

/** Key of one (measurement, type) pair. */
export function seriesKey(name: string, type: string): string {
  return `${type}\u0000${name}`;
}

/** Column name of each (measurement, type) pair, keyed by `seriesKey`. */
export function unionColumnNames(fixed: readonly string[], series: readonly { name: string; type: string }[]): Map<string, string> {
  const types = new Map<string, Set<string>>();
  for (const s of series) {
    let t = types.get(s.name);
    if (t === undefined) types.set(s.name, (t = new Set()));
    t.add(s.type);
  }
  const taken = new Set(fixed);
  const out = new Map<string, string>();
  // Plain names first, so a later `name:TYPE` can never take a name a measurement has as is.
  for (const [name, t] of types) {
    if (t.size === 1 && !taken.has(name)) {
      taken.add(name);
      out.set(seriesKey(name, [...t][0]!), name);
    }
  }
  for (const [name, t] of types) {
    for (const type of t) {
      const key = seriesKey(name, type);
      if (out.has(key)) continue;
      let candidate = `${name}:${type}`;
      for (let k = 2; taken.has(candidate); k++) candidate = `${name}:${type}:${k}`;
      taken.add(candidate);
      out.set(key, candidate);
    }
  }
  return out;
}
