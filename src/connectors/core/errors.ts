/**
 * The typed error every connector raises (connectors.md §4 "cross-cutting lessons"): it names the
 * sink, the batch and row range that failed, the server's own message, and whether a retry may help.
 * Credentials are scrubbed from every message before it is built.
 */
import { ErrorCode, TsFileError } from '../../io/errors.js';

export type ConnectorFailure =
  /** The server answered and refused the data (bad value, schema conflict, auth...). */
  | 'rejected'
  /** The request did not complete (refused connection, reset, timeout). */
  | 'transport'
  /** The server answered something this client cannot interpret. */
  | 'protocol'
  /** The caller's options or data cannot be expressed for this sink. */
  | 'invalid';

export interface ConnectorErrorDetails {
  sink: string;
  failure: ConnectorFailure;
  retryable: boolean;
  /** Sequence number of the batch (request) that failed. */
  batch?: number;
  /** Devices and row count the failed request carried. */
  devices?: string[];
  rows?: number;
  /** HTTP status, TSStatus code or TDengine code. */
  status?: number | string;
  serverMessage?: string;
  /** Request URL or endpoint, without credentials. */
  endpoint?: string;
  cause?: unknown;
}

export class ConnectorError extends TsFileError {
  readonly sink: string;
  readonly failure: ConnectorFailure;
  readonly retryable: boolean;
  readonly batch: number | undefined;
  readonly devices: string[] | undefined;
  readonly rows: number | undefined;
  readonly status: number | string | undefined;
  readonly serverMessage: string | undefined;
  readonly endpoint: string | undefined;
  /** The failure in a few words, without batch, status or server text. */
  readonly reason: string;

  constructor(message: string, d: ConnectorErrorDetails) {
    const where: string[] = [];
    if (d.batch !== undefined) where.push(`batch ${d.batch}`);
    if (d.rows !== undefined) where.push(`${d.rows} rows`);
    if (d.devices !== undefined && d.devices.length > 0) {
      where.push(`devices ${d.devices.slice(0, 3).join(', ')}${d.devices.length > 3 ? ` (+${d.devices.length - 3})` : ''}`);
    }
    const text = `${d.sink}: ${message}${where.length > 0 ? ` [${where.join('; ')}]` : ''}` +
      (d.status !== undefined ? ` status ${d.status}` : '') +
      (d.serverMessage !== undefined ? `: ${d.serverMessage}` : '');
    super(d.failure === 'invalid' ? ErrorCode.INVALID_ARGUMENT : ErrorCode.IO, redact(text), {
      ...(d.endpoint !== undefined ? { file: redact(d.endpoint) } : {}),
      ...(d.cause !== undefined ? { cause: d.cause } : {}),
    });
    this.sink = d.sink;
    this.reason = message;
    this.failure = d.failure;
    this.retryable = d.retryable;
    this.batch = d.batch;
    this.devices = d.devices;
    this.rows = d.rows;
    this.status = d.status;
    this.serverMessage = d.serverMessage === undefined ? undefined : redact(d.serverMessage);
    this.endpoint = d.endpoint === undefined ? undefined : redact(d.endpoint);
  }

  /** The same failure, annotated with the batch it belongs to. */
  withBatch(batch: number, rows: number, devices: string[]): ConnectorError {
    return new ConnectorError(this.reason, {
      sink: this.sink, failure: this.failure, retryable: this.retryable, batch, rows, devices,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.serverMessage !== undefined ? { serverMessage: this.serverMessage } : {}),
      ...(this.endpoint !== undefined ? { endpoint: this.endpoint } : {}),
      cause: this,
    });
  }
}

const secrets = new Set<string>();

/** Passwords every installation documents; masking them would only mangle paths such as `root.sg`. */
const PUBLIC_DEFAULTS = new Set(['root', 'taosdata']);

/**
 * Registers a secret (password, token, Basic header value) that must never appear in messages. A
 * password equal to the user name or to a documented default is not a secret (and masking it
 * would mask user names and data), so it is not registered.
 */
export function registerSecret(secret: string | undefined, user?: string): void {
  if (secret === undefined || secret.length < 3 || secret === user || PUBLIC_DEFAULTS.has(secret)) return;
  secrets.add(secret);
}

/** Characters that continue a name or path around a match: a secret inside such a run is data, not the secret. */
const NAME_CHAR = /[\p{L}\p{N}_.`-]/u;

function maskWhole(t: string, s: string): string {
  let out = '';
  let from = 0;
  for (let i = t.indexOf(s); i >= 0; i = t.indexOf(s, i + 1)) {
    const before = i > 0 ? t[i - 1]! : '';
    const after = t[i + s.length] ?? '';
    if ((before !== '' && NAME_CHAR.test(before)) || (after !== '' && NAME_CHAR.test(after))) continue;
    out += `${t.slice(from, i)}***`;
    from = i + s.length;
  }
  return out + t.slice(from);
}

/**
 * Removes URL user-info passwords, Authorization values, password query parameters and registered
 * secrets (where they stand alone, not inside a longer name or path) from a text. User names are kept.
 */
export function redact(text: string): string {
  let t = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^/@:\s]*)(:[^/@\s]*)?@/gi, (_m, scheme: string, user: string, pass: string | undefined) => `${scheme}${user}${pass !== undefined ? ':***' : ''}@`)
    .replace(/(Basic|Bearer|Taosd)\s+[A-Za-z0-9+/=._-]+/g, '$1 ***')
    .replace(/([?&](?:p|password)=)[^&\s]*/g, '$1***');
  for (const s of secrets) {
    if (t.includes(s)) t = maskWhole(t, s);
  }
  return t;
}
