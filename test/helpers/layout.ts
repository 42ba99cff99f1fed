/** The layout of a TsFile as tests compare it: devices (aligned, table, tags), series with their codecs, table schemas. */
import { TsFileReader } from '../../src/reader/tsfile-reader.js';

export interface FileLayout {
  devices: { path: string; model: string; aligned: boolean; table?: string; tags?: (string | null)[]; series: string[] }[];
  tables: unknown[];
}

export async function layoutOf(source: string | Uint8Array): Promise<FileLayout> {
  const reader = await TsFileReader.open(source, { threads: 0 });
  try {
    const devices: FileLayout['devices'] = [];
    for (const d of await reader.devices()) {
      const series = (await reader.timeseries(d.path)).map((s) => `${s.measurement} ${s.dataType} ${s.encoding} ${s.compression}`).sort();
      devices.push({ path: d.path, model: d.model, aligned: d.aligned, ...(d.model === 'table' ? { table: d.table, tags: [...d.tags] } : {}), series });
    }
    devices.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { devices, tables: reader.tables() };
  } finally {
    await reader.close();
  }
}
