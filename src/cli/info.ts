/** `tsfile info FILE [--json]`: version, devices, and each series' type, encoding, compression, points, time range. */
import { TsFileReader, type SeriesInfo } from '../reader/tsfile-reader.js';
import type { CommandArgs, CommandSpec } from './args.js';
import type { CliIo } from './io.js';

function jsonTime(t: bigint): number | string {
  return t >= BigInt(Number.MIN_SAFE_INTEGER) && t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : t.toString();
}

export const infoCommand: CommandSpec = {
  name: 'info',
  summary: 'devices and series of a TsFile, from its index',
  usage: ['FILE [--json]'],
  description: `Prints the format version, the devices and, for every series, its data type, encoding,
compression, number of points and time range, from the file's index and statistics only.`,
  positionals: { min: 1, max: 1, names: 'one FILE' },
  options: [{ name: 'json', type: 'flag', help: 'print one JSON document instead of a table' }],
  run: runInfo,
};

async function runInfo(args: CommandArgs, io: CliIo): Promise<number> {
  const file = args.positionals[0]!;
  const reader = await TsFileReader.open(file);
  try {
    const devices = await reader.devices();
    const rows: { device: (typeof devices)[number]; series: SeriesInfo[] }[] = [];
    for (const d of devices) rows.push({ device: d, series: await reader.timeseries(d.path) });
    const points = rows.reduce((n, r) => n + r.series.reduce((m, s) => m + s.points, 0), 0);
    if (args.flag('json')) {
      const doc = {
        file,
        version: reader.version,
        devices: rows.map((r) => ({
          device: r.device.path,
          model: r.device.model,
          aligned: r.device.aligned,
          ...(r.device.model === 'table' ? { table: r.device.table, tags: r.device.tags } : {}),
          series: r.series.map((s) => ({
            measurement: s.measurement,
            dataType: s.dataType,
            encoding: s.encoding,
            compression: s.compression,
            points: s.points,
            chunks: s.chunks,
            startTime: jsonTime(s.startTime),
            endTime: jsonTime(s.endTime),
          })),
        })),
        points,
      };
      io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    const seriesCount = rows.reduce((n, r) => n + r.series.length, 0);
    out.push(`${file}: TsFile format version ${reader.version}, ${devices.length} devices, ${seriesCount} series, ${points} points`);
    for (const r of rows) {
      const kind = r.device.model === 'table' ? `table ${r.device.table}, tags ${JSON.stringify(r.device.tags)}` : r.device.aligned ? 'aligned' : 'non-aligned';
      out.push(`${r.device.path} (${kind})`);
      const table = [['measurement', 'type', 'encoding', 'compression', 'points', 'chunks', 'start time', 'end time']];
      for (const s of r.series) {
        table.push([s.measurement, s.dataType, s.encoding, s.compression, String(s.points), String(s.chunks), String(s.startTime), String(s.endTime)]);
      }
      const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
      for (const row of table) out.push(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await reader.close();
  }
}
