/**
 * IoTDB sink over the native client RPC (connectors.md §1.3, §1.4): device row ranges become
 * tablets; one request is one `insertTablets` call per aligned flag (tree model) or one
 * `insertTablet` per table-model tablet, sent on a session from a small pool per node, to the node
 * the device was redirected to if the server said so. A transport failure drops that session (the
 * next request reconnects) and is retried; IoTDB overwrites a point written twice, so a retry never
 * duplicates rows.
 */
import type { BatchView } from '../core/columns.js';
import { registerSecret } from '../core/errors.js';
import { BatchingSink, type DeliveryGuarantee, type RequestSender } from '../core/sink.js';
import type { IoTDBSessionOptions } from './options.js';
import { ALREADY_EXISTS, tableSchemaStatements, tagColumnsOf, treeSchemaStatements, type SchemaOptions } from './schema.js';
import type { IoTDBSession } from './session.js';
import { RoutedSessionPools } from './session-pool.js';
import { checkTreeDevice } from './path-names.js';
import { buildTablet, type Tablet } from './tablet.js';

interface PendingTablet { tablet: Tablet; aligned: boolean; table: boolean; categories?: number[]; schema: string[] }

export class IoTDBSessionSink extends BatchingSink {
  readonly name = 'iotdb';
  readonly guarantee: DeliveryGuarantee = 'at-least-once-idempotent';
  private pending: PendingTablet[] = [];
  private pendingSize = 0;
  private readonly pools: RoutedSessionPools;
  private readonly schemaDone = new Set<string>();
  private readonly schemaOptions: SchemaOptions | undefined;

  constructor(readonly opts: IoTDBSessionOptions) {
    super({ maxRows: 10_000, ...opts, concurrency: opts.sessions ?? 2 });
    const o = opts;
    this.pools = new RoutedSessionPools({
      host: o.host, port: o.port, protocol: o.protocol ?? 'binary', tls: o.tls === true ? { ...o.tlsOptions } : false, sink: this.name, wire: this.metrics,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000, requestTimeoutMs: o.requestTimeoutMs ?? 60_000,
      user: o.user ?? 'root', password: o.password ?? 'root', zoneId: o.zoneId ?? 'Z',
      sqlDialect: o.tableDatabase !== undefined ? 'table' : 'tree', ...(o.tableDatabase !== undefined ? { database: o.tableDatabase } : {}),
    }, Math.max(1, opts.sessions ?? 2), opts.redirection ?? true);
    this.schemaOptions = opts.createSchema === true ? {} : opts.createSchema === false ? undefined : opts.createSchema;
    registerSecret(opts.password, opts.user ?? 'root');
    // One tablet per encode call: keep a device's rows of a request in one tablet.
    this.encodeChunkRows = Number.MAX_SAFE_INTEGER;
  }

  protected override encode(view: BatchView, from: number, to: number): void {
    const aligned = this.opts.aligned === undefined || this.opts.aligned === 'auto' ? view.aligned : this.opts.aligned;
    const asTable = this.opts.tableDatabase !== undefined && view.table !== undefined;
    let p: PendingTablet;
    if (asTable) {
      const tags = tagColumnsOf(view, this.opts.tagColumns);
      // Tag columns travel as STRING columns in front of the fields, one value per row.
      const constants = tags.map((name, k) => ({ name, value: view.tags?.[k] ?? null }));
      p = { tablet: buildTablet(view, from, to, view.table, constants), aligned: false, table: true, categories: [...tags.map(() => 0), ...view.columns.map(() => 1)],
        schema: this.schemaOptions !== undefined ? tableSchemaStatements(view, this.opts.tableDatabase!, view.table!, tags) : [] };
    } else {
      checkTreeDevice(view.device, view.table, this.name);
      p = { tablet: buildTablet(view, from, to), aligned, table: false,
        schema: this.schemaOptions !== undefined ? treeSchemaStatements(view, view.device, aligned, this.schemaOptions) : [] };
    }
    this.pending.push(p);
    this.pendingSize += p.tablet.values.length + p.tablet.timestamps.length;
  }

  protected override pendingBytes(): number { return this.pendingSize; }

  protected override take(_seq: number): RequestSender {
    const tablets = this.pending;
    this.pending = [];
    this.pendingSize = 0;
    return async () => {
      // Group by the node each device is routed to (table-model tablets stay on the configured node).
      const groups = new Map<string, PendingTablet[]>();
      for (const t of tablets) {
        const endpoint = t.table ? this.pools.defaultEndpoint : this.pools.endpointOf(t.tablet.device);
        const g = groups.get(endpoint);
        if (g === undefined) groups.set(endpoint, [t]); else g.push(t);
      }
      for (const [endpoint, group] of groups) {
        await this.pools.use(endpoint, group.map((t) => t.tablet.device), async (session) => {
          await this.ensureSchema(session, group);
          const tree = group.filter((t) => !t.table);
          for (const aligned of [false, true]) {
            const same = tree.filter((t) => t.aligned === aligned).map((t) => t.tablet);
            if (same.length === 1) await session.insertTablet(same[0]!, aligned);
            else if (same.length > 1) await session.insertTablets(same, aligned);
          }
          for (const t of group) if (t.table) await session.insertTablet(t.tablet, false, t.categories);
        });
      }
    };
  }

  private async ensureSchema(session: IoTDBSession, tablets: PendingTablet[]): Promise<void> {
    for (const t of tablets) {
      const key = `${t.table ? 'table' : 'tree'}:${t.tablet.device}:${t.tablet.measurements.join(',')}`;
      if (t.schema.length === 0 || this.schemaDone.has(key)) continue;
      for (const sql of t.schema) await session.execute(sql, ALREADY_EXISTS);
      this.schemaDone.add(key);
    }
  }

  /** Routes learned from redirect hints (device → ip:port). */
  redirectHints(): Map<string, string> { return this.pools.hints(); }

  /** Open sessions over all nodes. */
  sessionCount(): number { return this.pools.sessionCount(); }

  protected override async release(): Promise<void> { await this.pools.close(); }
}
