/**
 * `tsfile load --dry-run`: a sink that encodes batches exactly as the real sink would and prints
 * the first requests — method, endpoint, headers and the start of the body — instead of sending
 * them. Credentials never appear: the Authorization header is shown as `Basic ***`.
 */
import { ByteBuffer } from './core/byte-buffer.js';
import { viewBatch, type DeviceBatch } from './core/columns.js';
import { httpBase, type Target } from './core/connection-url.js';
import { emptyMetrics } from './core/metrics.js';
import type { DeliveryGuarantee, Sink } from './core/sink.js';
import type { SinkOptions } from './index.js';
import { appendTableTablet, appendTreeTablet } from './iotdb/rest-json.js';
import { tagColumnsOf } from './iotdb/schema.js';
import { buildTablet } from './iotdb/tablet.js';
import { StreamLoadBody } from './starrocks/body.js';
import { DEFAULT_LAYOUT } from './starrocks/rows.js';
import { tableName } from './tdengine/options.js';
import { appendLines } from './tdengine/line-protocol.js';
import { createTableSql, InsertBuilder, type SqlLayout } from './tdengine/sql.js';

const BODY_PREVIEW = 600;

function preview(b: Uint8Array): string {
  const text = Buffer.from(b.subarray(0, BODY_PREVIEW)).toString('utf8');
  return b.length > BODY_PREVIEW ? `${text}… (${b.length} bytes)` : text;
}

export class DryRunSink implements Sink {
  readonly name = 'dry-run';
  readonly guarantee: DeliveryGuarantee = 'at-least-once';
  readonly metrics = emptyMetrics();
  private shown = 0;

  constructor(private readonly t: Target, private readonly o: SinkOptions, private readonly out: NodeJS.WritableStream, private readonly limit = 3) {}

  async write(item: DeviceBatch): Promise<void> {
    const view = viewBatch(item);
    const rows = Math.min(view.rows, this.o.maxRows ?? 10_000);
    this.metrics.rows += view.rows;
    if (this.shown >= this.limit || rows === 0) return;
    this.shown++;
    this.out.write(`--- request ${this.shown} (${item.device}, ${rows} of ${view.rows} rows) ---\n${this.describe(item, rows)}\n`);
  }

  private describe(item: DeviceBatch, rows: number): string {
    const view = viewBatch(item);
    const o = this.o;
    const base = httpBase(this.t);
    switch (this.t.kind) {
      case 'iotdb-rpc': {
        const table = o.tableDatabase !== undefined && view.table !== undefined;
        const tags = table ? tagColumnsOf(view, o.tagColumns) : [];
        const tab = buildTablet(view, 0, rows, table ? view.table : view.device, tags.map((name, k) => ({ name, value: view.tags?.[k] ?? null })));
        return `insertTablet ${this.t.display} (thrift ${o.protocol ?? 'binary'}, framed)\n  prefixPath=${tab.device} size=${tab.size} aligned=${view.aligned}` +
          `\n  measurements=${tab.measurements.join(',')}\n  types=${tab.typeNames.join(',')}` +
          `\n  timestamps=${tab.timestamps.length} bytes, values=${tab.values.length} bytes (first: ${tab.values.subarray(0, 32).toString('hex')})`;
      }
      case 'iotdb-rest': {
        const b = new ByteBuffer();
        const table = o.tableDatabase !== undefined && view.table !== undefined;
        if (table) appendTableTablet(b, view, 0, rows, o.tableDatabase!, tagColumnsOf(view, o.tagColumns));
        else appendTreeTablet(b, view, 0, rows);
        return `POST ${base}${table ? '/rest/table/v1/insertTablet' : '/rest/v2/insertTablet'}\nAuthorization: Basic ***\nContent-Type: application/json\n\n${preview(b.contents())}`;
      }
      case 'tdengine': {
        const db = this.t.path[0]!;
        const l: SqlLayout = { timeColumn: o.timeColumn ?? 'ts', precision: o.precision ?? 'ms', textType: 'NCHAR', textWidth: o.textWidth ?? 256, binaryWidth: 1024, nonFinite: o.nonFinite ?? 'error', maxSqlBytes: 1_000_000 };
        const target = o.stable === undefined ? { table: tableName(view.device, o.tableTemplate) } : { table: tableName(view.device, o.tableTemplate), stable: o.stable, tagNames: ['device'], tagValues: [view.device] };
        if (o.lineProtocol === true) {
          const b = new ByteBuffer();
          appendLines(b, view, 0, rows, { measurement: o.stable ?? 'tsfile', tags: [['device', view.device]], precision: l.precision, nonFinite: l.nonFinite });
          return `POST ${base}/influxdb/v1/write?db=${db}&precision=${l.precision === 'us' ? 'u' : l.precision}&table_name_key=device\nAuthorization: Basic ***\n\n${preview(b.contents())}`;
        }
        const ib = new InsertBuilder(db, l);
        ib.append(view, 0, rows, target);
        const first = ib.take()[0] ?? Buffer.alloc(0);
        return `POST ${base}/rest/sql/${db}\nAuthorization: Basic ***\n\n${createTableSql(db, view, target, l)}\n\nPOST ${base}/rest/sql/${db}\n\n${preview(first)}`;
      }
      case 'starrocks': {
        const body = new StreamLoadBody({ ...DEFAULT_LAYOUT, ...definedLayout(o) }, 'dry-run');
        body.append(view, 0, rows);
        const headers = body.headers({ timeout: '600', ...o.properties });
        const path = o.exactlyOnce === true ? '/api/transaction/load' : `/api/${this.t.path[0]}/${this.t.path[1]}/_stream_load`;
        return `PUT ${base}${path}\nAuthorization: Basic ***\nExpect: 100-continue\nlabel: <per request>\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${preview(body.bytes())}`;
      }
    }
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

function definedLayout(o: SinkOptions): Partial<typeof DEFAULT_LAYOUT> {
  const l: Partial<typeof DEFAULT_LAYOUT> = {};
  if (o.format !== undefined) l.format = o.format;
  if (o.timeFormat !== undefined) l.timeFormat = o.timeFormat;
  if (o.columnSeparator !== undefined) l.columnSeparator = o.columnSeparator;
  if (o.rowDelimiter !== undefined) l.rowDelimiter = o.rowDelimiter;
  return l;
}
