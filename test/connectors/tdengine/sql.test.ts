import { describe, expect, it } from 'vitest';
import { viewBatch } from '../../../src/connectors/core/columns.js';
import { InsertBuilder, stringLiteral, type SqlLayout } from '../../../src/connectors/tdengine/sql.js';
import { appendLines, escapeKey } from '../../../src/connectors/tdengine/line-protocol.js';
import { ByteBuffer } from '../../../src/connectors/core/byte-buffer.js';
import { tableName } from '../../../src/connectors/tdengine/options.js';
import { deviceBatch } from '../batches.js';

const layout: SqlLayout = { timeColumn: 'ts', precision: 'ms', textType: 'NCHAR', textWidth: 16, binaryWidth: 8, nonFinite: 'error', maxSqlBytes: 1_000_000 };

describe('TDengine SQL text', () => {
  it('escapes quotes and backslashes in string literals', () => {
    expect(stringLiteral("it's a \\ path")).toBe("'it\\'s a \\\\ path'");
  });

  it('names tables from device paths with the template', () => {
    expect(tableName('root.sg.d1')).toBe('root_sg_d1');
    expect(tableName('root.sg.d1', 'tsf_{device}')).toBe('tsf_root_sg_d1');
  });

  it('writes one multi-row INSERT with NULL, float literals, escaped text and µs timestamps', () => {
    const view = viewBatch(deviceBatch('root.a', [1, 2], [
      { name: 'f', type: 'DOUBLE', values: [2, null] },
      { name: 's', type: 'TEXT', values: ["o'k", 'é\\'] },
      { name: 'x', type: 'BLOB', values: [new Uint8Array([1, 171]), null] },
    ]));
    const b = new InsertBuilder('db', { ...layout, precision: 'us' });
    b.append(view, 0, 2, { table: 'root_a' });
    expect(b.take().map(String)).toEqual([
      "INSERT INTO `db`.`root_a` (`ts`, `f`, `s`, `x`) VALUES (1000,2.0,'o\\'k','\\x01ab') (2000,NULL,'é\\\\',NULL)",
    ]);
  });

  it('splits statements under the byte budget, counting UTF-8 bytes and repeating the table header', () => {
    const times = Array.from({ length: 50 }, (_, i) => i);
    const view = viewBatch(deviceBatch('root.a', times, [{ name: 's', type: 'STRING', values: times.map(() => '日本語テキスト') }]));
    const b = new InsertBuilder('db', { ...layout, maxSqlBytes: 400 });
    b.append(view, 0, 50, { table: 't', stable: 'st', tagNames: ['device'], tagValues: ['root.a'] });
    const stmts = b.take();
    expect(stmts.length).toBeGreaterThan(3);
    let rows = 0;
    for (const s of stmts) {
      expect(s.length).toBeLessThanOrEqual(400);
      expect(s.toString()).toMatch(/^INSERT INTO `db`\.`t` USING `db`\.`st` \(`device`\) TAGS \('root\.a'\) \(`ts`, `s`\) VALUES \(/);
      rows += (s.toString().match(/'日本語テキスト'/g) ?? []).length;
    }
    expect(rows).toBe(50);
  });

  it('refuses text wider than the column and non-finite numbers by default', () => {
    const wide = viewBatch(deviceBatch('root.a', [1], [{ name: 's', type: 'TEXT', values: ['x'.repeat(17)] }]));
    expect(() => new InsertBuilder('db', layout).append(wide, 0, 1, { table: 't' })).toThrow(/NCHAR\(16\)/);
    const nan = viewBatch(deviceBatch('root.a', [1], [{ name: 'v', type: 'FLOAT', values: [Number.NaN] }]));
    expect(() => new InsertBuilder('db', layout).append(nan, 0, 1, { table: 't' })).toThrow(/NaN/);
    const b = new InsertBuilder('db', { ...layout, nonFinite: 'null' });
    b.append(nan, 0, 1, { table: 't' });
    expect(String(b.take()[0])).toContain('(1,NULL)');
  });

  it('writes line protocol with suffixes, escapes and no line for an all-null row', () => {
    expect(escapeKey('a b,c=d')).toBe('a\\ b\\,c\\=d');
    const view = viewBatch(deviceBatch('root.sg.d 1', [5, 6, 7], [
      { name: 'i', type: 'INT32', values: [1, null, null] },
      { name: 'l', type: 'INT64', values: [null, -2, null] },
      { name: 's', type: 'TEXT', values: ['say "hi"', null, null] },
      { name: 'f', type: 'FLOAT', values: [0.5, 1, null] },
    ]));
    const out = new ByteBuffer();
    const n = appendLines(out, view, 0, 3, { measurement: 'st', tags: [['device', 'root.sg.d 1']], precision: 'ms', nonFinite: 'error' });
    expect(n).toBe(2);
    expect(Buffer.from(out.contents()).toString()).toBe(
      'st,device=root.sg.d\\ 1 i=1i32,s=L"say \\"hi\\"",f=0.5f32 5\n' +
      'st,device=root.sg.d\\ 1 l=-2i64,f=1f32 6\n');
  });
});
