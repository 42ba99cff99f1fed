import * as http from 'node:http';
import * as https from 'node:https';
import { describe, expect, it } from 'vitest';
import { ConnectorError, redact, registerSecret } from '../../../src/connectors/core/errors.js';
import { basicAuth, httpRequest } from '../../../src/connectors/core/http.js';
import { parseTarget } from '../../../src/connectors/core/connection-url.js';
import { withRetry } from '../../../src/connectors/core/retry.js';
import { listen, readBody, selfSignedCertificate } from '../servers/common.js';

describe('HTTP transport', () => {
  it('waits for 100 Continue, follows a 307 to another host and resends Authorization', async () => {
    const seen: string[] = [];
    const be = http.createServer();
    be.on('checkContinue', (req, res) => {
      seen.push(`be auth=${req.headers.authorization !== undefined} label=${String(req.headers.label)}`);
      res.writeContinue();
      void readBody(req).then((b) => { res.writeHead(200); res.end(`got ${b.length}`); });
    });
    const beL = await listen(be);
    const fe = http.createServer();
    fe.on('checkContinue', (req, res) => {
      seen.push('fe');
      res.writeHead(307, { Location: `${beL.url}${req.url}`, Connection: 'close' });
      res.end();
    });
    const feL = await listen(fe);
    try {
      const r = await httpRequest({ url: new URL(`${feL.url}/api/x?y=1`), method: 'PUT', sink: 't', body: Buffer.alloc(5000, 1),
        expectContinue: true, maxRedirects: 2, headers: { Authorization: basicAuth('u', 'p'), label: 'L1' }, continueTimeoutMs: 1000 });
      expect(r.status).toBe(200);
      expect(r.body.toString()).toBe('got 5000');
      expect(r.redirects).toBe(1);
      expect(seen).toEqual(['fe', 'be auth=true label=L1']);
    } finally { await Promise.all([beL.close(), feL.close()]); }
  });

  it('times out a server that never answers, as a retryable transport error', async () => {
    const srv = http.createServer(() => undefined);
    const l = await listen(srv);
    try {
      const err = (await httpRequest({ url: new URL(l.url), method: 'POST', sink: 't', body: Buffer.from('x'), requestTimeoutMs: 100 }).catch((e: unknown) => e)) as ConnectorError;
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err.failure).toBe('transport');
      expect(err.retryable).toBe(true);
    } finally { await l.close(); }
  });

  const pair = selfSignedCertificate();
  it.skipIf(pair === undefined)('speaks TLS to an https URL and rejects an untrusted certificate', async () => {
    const srv = https.createServer({ key: pair!.key, cert: pair!.cert }, (_req, res) => { res.writeHead(200); res.end('secure'); });
    const l = await listen(srv);
    try {
      const url = new URL(`https://127.0.0.1:${l.port}/`);
      const ok = await httpRequest({ url, method: 'GET', sink: 't', tls: { ca: pair!.cert }, requestTimeoutMs: 2000 });
      expect(ok.body.toString()).toBe('secure');
      const bad = (await httpRequest({ url, method: 'GET', sink: 't', requestTimeoutMs: 2000 }).catch((e: unknown) => e)) as ConnectorError;
      expect(bad).toBeInstanceOf(ConnectorError);
      expect(bad.message).toMatch(/certificate/);
    } finally { await l.close(); }
  });
});

describe('credentials and URLs', () => {
  it('parses every target scheme and keeps credentials out of the display form', () => {
    const t = parseTarget('iotdb://root:s3cr%40t@db.example:6668?protocol=compact');
    expect(t).toMatchObject({ kind: 'iotdb-rpc', host: 'db.example', port: 6668, user: 'root', password: 's3cr@t', tls: false, display: 'iotdb://db.example:6668' });
    expect(parseTarget('iotdbs://h').port).toBe(6667);
    expect(parseTarget('iotdb+https://h').tls).toBe(true);
    expect(parseTarget('tdengine+http://h/power')).toMatchObject({ kind: 'tdengine', port: 6041, path: ['power'] });
    expect(parseTarget('starrocks://h/db/t')).toMatchObject({ kind: 'starrocks', port: 8030, path: ['db', 't'] });
    expect(() => parseTarget('starrocks://u:pw123@h/db')).toThrow(/database and table/);
    expect(() => parseTarget('mysql://u:pw123@h/db')).toThrow(/unknown connection scheme/);
    try { parseTarget('mysql://u:pw123@h/db'); } catch (e) { expect(String(e)).not.toContain('pw123'); }
  });

  it('scrubs user-info passwords, Basic tokens, p= parameters and registered secrets, keeping user names', () => {
    registerSecret('hunter2-secret');
    expect(redact('GET http://u:pw@h/x?p=abc&db=1 Authorization: Basic dTpwdw== failed: hunter2-secret'))
      .toBe('GET http://u:***@h/x?p=***&db=1 Authorization: Basic *** failed: ***');
  });

  it('masks neither user names nor data that contain a password', () => {
    // The documented default password, and a password equal to the user name, are no secrets.
    registerSecret('root', 'root');
    registerSecret('admin', 'admin');
    expect(redact('write of root.工厂.设备_1 by admin failed')).toBe('write of root.工厂.设备_1 by admin failed');
    // A real secret is masked where it stands alone, not inside a longer name or path.
    registerSecret('sensor7');
    expect(redact('device root.sensor7.d1: wrong password sensor7')).toBe('device root.sensor7.d1: wrong password ***');
  });

  it('retries only retryable failures, up to the limit', async () => {
    let n = 0;
    const transient = new ConnectorError('x', { sink: 's', failure: 'transport', retryable: true });
    await expect(withRetry(async () => { n++; throw transient; }, { maxRetries: 2, initialBackoffMs: 1, maxBackoffMs: 2 })).rejects.toBe(transient);
    expect(n).toBe(3);
    n = 0;
    const fatal = new ConnectorError('y', { sink: 's', failure: 'rejected', retryable: false });
    await expect(withRetry(async () => { n++; throw fatal; }, { maxRetries: 5, initialBackoffMs: 1, maxBackoffMs: 2 })).rejects.toBe(fatal);
    expect(n).toBe(1);
    expect(await withRetry(async (a) => { if (a < 2) throw transient; return a; }, { maxRetries: 3, initialBackoffMs: 1, maxBackoffMs: 2 })).toBe(2);
  });
});
