/**
 * A JSON reader for query results (RFC 8259) that keeps every integer exact: integers beyond
 * ±2^53 come back as bigint instead of a rounded double, so INT64 / TIMESTAMP values and epochs
 * in nanoseconds survive. Other numbers are doubles (`-0.0` stays −0). Input is bounded by the
 * HTTP layer; nesting is capped so a hostile answer cannot exhaust the stack.
 */
import { ConnectorError } from './errors.js';

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [k: string]: JsonValue };

const MAX_DEPTH = 64;

export function parseExactJson(text: string, sink: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new ConnectorError(`response is not JSON: ${what} at offset ${i}`, { sink, failure: 'protocol', retryable: false, serverMessage: text.slice(Math.max(0, i - 20), i + 20) });
  };
  const ws = (): void => { while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++; };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: { [k: string]: JsonValue } = {};
      ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        o[k] = value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return o; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return a; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    return num();
  };
  const str = (): string => {
    const start = ++i;
    let out = '';
    let run = start;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text.charCodeAt(i);
      if (ch === 34) { out += text.slice(run, i); i++; return out; }
      if (ch === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        if (e === 'u') {
          const h = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(h, 16));
          i += 6;
        } else {
          const m: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e === undefined || m[e] === undefined) fail('bad escape');
          out += m[e!]!;
          i += 2;
        }
        run = i;
        continue;
      }
      if (ch < 0x20) fail('control character in a string');
      i++;
    }
  };
  const num = (): number | bigint => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail('unexpected character');
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(m[0]);
      if (Number.isSafeInteger(n)) return m[0] === '-0' ? -0 : n;
      return BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}
