/**
 * Sessions per DataNode endpoint, and the device → endpoint routes learned from redirect hints
 * (connectors.md §1.3 "Redirection"): a write that came back 200/400 with `redirectNode` was
 * stored; later writes of that device go straight to the named node. A route whose node fails is
 * dropped, and the write falls back to the configured node. `0.0.0.0` hints are ignored.
 */
import { ConnectorError } from '../core/errors.js';
import { IoTDBSession, type SessionOptions } from './session.js';

class EndpointPool {
  private readonly idle: IoTDBSession[] = [];
  readonly all = new Set<IoTDBSession>();
  constructor(private readonly opts: SessionOptions, private readonly size: number) {}

  async acquire(): Promise<IoTDBSession> {
    const s = this.idle.pop();
    if (s !== undefined && s.open) return s;
    if (s !== undefined) { this.all.delete(s); await s.close(); }
    if (this.all.size >= this.size) throw new ConnectorError('session pool exhausted', { sink: this.opts.sink, failure: 'transport', retryable: true });
    const session = new IoTDBSession(this.opts);
    this.all.add(session);
    try {
      await session.connect();
    } catch (e) {
      this.all.delete(session);
      await session.close();
      throw e;
    }
    return session;
  }

  release(s: IoTDBSession, healthy: boolean): void {
    if (healthy && s.open) { this.idle.push(s); return; }
    this.all.delete(s);
    void s.close();
  }

  async close(): Promise<void> {
    const sessions = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(sessions.map((s) => s.close()));
  }
}

export class RoutedSessionPools {
  private readonly pools = new Map<string, EndpointPool>();
  private readonly routes = new Map<string, string>();
  readonly defaultEndpoint: string;

  constructor(private readonly base: SessionOptions, private readonly size: number, private readonly follow: boolean) {
    this.defaultEndpoint = `${base.host}:${base.port}`;
  }

  /** Endpoint a device's writes go to. */
  endpointOf(device: string): string {
    return this.routes.get(device) ?? this.defaultEndpoint;
  }

  private pool(endpoint: string): EndpointPool {
    let p = this.pools.get(endpoint);
    if (p === undefined) {
      const i = endpoint.lastIndexOf(':');
      p = new EndpointPool({ ...this.base, host: endpoint.slice(0, i), port: Number(endpoint.slice(i + 1)) }, this.size);
      this.pools.set(endpoint, p);
    }
    return p;
  }

  /** Runs `fn` on a session of `endpoint`; learns the redirect hints it produced. */
  async use<T>(endpoint: string, devices: string[], fn: (s: IoTDBSession) => Promise<T>): Promise<T> {
    const pool = this.pool(endpoint);
    let session: IoTDBSession;
    try {
      session = await pool.acquire();
    } catch (e) {
      this.forget(endpoint, devices);
      throw e;
    }
    let healthy = true;
    try {
      const r = await fn(session);
      this.learn(session);
      return r;
    } catch (e) {
      healthy = e instanceof ConnectorError && e.failure === 'rejected';
      if (!healthy) this.forget(endpoint, devices);
      throw e;
    } finally {
      pool.release(session, healthy);
    }
  }

  private learn(s: IoTDBSession): void {
    for (const [device, endpoint] of s.redirects) {
      if (!this.follow || endpoint.startsWith('0.0.0.0:') || endpoint === this.defaultEndpoint) this.routes.delete(device);
      else this.routes.set(device, endpoint);
    }
    s.redirects.clear();
  }

  /** A routed node failed: its devices go back to the configured node. */
  private forget(endpoint: string, devices: string[]): void {
    if (endpoint === this.defaultEndpoint) return;
    for (const d of devices) if (this.routes.get(d) === endpoint) this.routes.delete(d);
  }

  /** Current routes (device → ip:port). */
  hints(): Map<string, string> { return new Map(this.routes); }

  sessionCount(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.all.size;
    return n;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}
