/**
 * The tree model in long form: one Arrow schema for every selected device, `device` (dictionary-
 * encoded Utf8 over the device paths in index order), `time`, then one nullable column per
 * (measurement, type) of the union, named by `unionColumnNames`. Device batches are fitted to it
 * without copying values: their columns are placed, absent ones are null columns.
 */
import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { MEASUREMENT_KEY, seriesKey, unionColumnNames } from '../arrow/column-names.js';
import { constantDictionaryData, utf8Dictionary, utf8DictionaryType } from '../arrow/dictionary.js';
import { TIME_UNIT_KEY } from '../arrow/time-unit.js';
import { measurementField, timeField, TSFILE_TYPE_KEY } from '../arrow/types.js';
import { parseDataTypeName } from '../format/codes.js';
import { nullColumn } from './device-windows.js';
import { compilePathPatterns } from './path-pattern.js';
import type { DeviceInfo, SeriesInfo, TsFileReader } from './tsfile-reader.js';

export interface LongForm {
  schema: Schema;
  devices: DeviceInfo[];
  /** Series of each selected device (after the measurement selection). */
  series: Map<string, SeriesInfo[]>;
  /** A scanned device batch as a batch of `schema`. */
  fit(device: string, batch: RecordBatch): RecordBatch;
}

export async function planLongForm(reader: TsFileReader, options: { devices?: readonly string[]; measurements?: readonly string[] } = {}): Promise<LongForm> {
  const match = options.devices === undefined ? () => true : compilePathPatterns(options.devices);
  const wanted = options.measurements === undefined ? undefined : new Set(options.measurements);
  const devices = (await reader.devices()).filter((d) => match(d.path));
  const series = new Map<string, SeriesInfo[]>();
  const union: { name: string; type: string; encodings: Set<string>; compressions: Set<string> }[] = [];
  const byKey = new Map<string, (typeof union)[number]>();
  for (const d of devices) {
    const s = (await reader.timeseries(d.path)).filter((x) => wanted === undefined || wanted.has(x.measurement));
    series.set(d.path, s);
    for (const x of s) {
      const key = seriesKey(x.measurement, x.dataType);
      let u = byKey.get(key);
      if (u === undefined) {
        u = { name: x.measurement, type: x.dataType, encodings: new Set(), compressions: new Set() };
        byKey.set(key, u);
        union.push(u);
      }
      u.encodings.add(x.encoding);
      u.compressions.add(x.compression);
    }
  }
  const names = unionColumnNames(['device', 'time'], union);
  const time = reader.timeTyping;
  const paths = [...new Set(devices.map((d) => d.path))];
  const dictionary = utf8Dictionary(paths);
  const deviceIndex = new Map(paths.map((p, i) => [p, i]));
  const deviceType = utf8DictionaryType();
  const fields: Field[] = [new Field('device', deviceType, false), timeField(time)];
  const position = new Map<string, number>();
  for (const u of union) {
    const col = names.get(seriesKey(u.name, u.type))!;
    const extra: Record<string, string> = {};
    if (col !== u.name) extra[MEASUREMENT_KEY] = u.name;
    // Encoding and compression are column facts only when every device agrees.
    if (u.encodings.size === 1) extra['tsfile.encoding'] = [...u.encodings][0]!;
    if (u.compressions.size === 1) extra['tsfile.compression'] = [...u.compressions][0]!;
    position.set(seriesKey(u.name, u.type), fields.length);
    fields.push(measurementField(col, parseDataTypeName(u.type), extra, time));
  }
  const schema = new Schema(fields, new Map([[TIME_UNIT_KEY, time.unit]]));
  const type = new Struct(fields);
  const fit = (device: string, batch: RecordBatch): RecordBatch => {
    const n = batch.numRows;
    const children: (Data | undefined)[] = new Array(fields.length);
    children[0] = constantDictionaryData(deviceType, dictionary, deviceIndex.get(device)!, n);
    children[1] = batch.getChildAt(0)!.data[0]!;
    batch.schema.fields.forEach((f, k) => {
      if (k === 0) return;
      children[position.get(seriesKey(f.name, f.metadata.get(TSFILE_TYPE_KEY)!))!] = batch.getChildAt(k)!.data[0]!;
    });
    for (let i = 2; i < fields.length; i++) {
      if (children[i] === undefined) children[i] = nullColumn(parseDataTypeName(fields[i]!.metadata.get(TSFILE_TYPE_KEY)!), n).clone(fields[i]!.type);
    }
    return new RecordBatch(schema, makeData({ type, length: n, nullCount: 0, children: children as Data[] }));
  };
  return { schema, devices, series, fit };
}
