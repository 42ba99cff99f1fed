/** IoTDB node quoting: which names go bare, how the rest are quoted, and reading paths back. */
import { describe, expect, it } from 'vitest';
import { checkTreeDevice, deviceNodes, isPlainNode, parsePath, quoteNode, quotePath, unquoteNode } from '../../../src/connectors/iotdb/path-names.js';
import { readPathNodes } from '../servers/iotdb-store.js';

describe('IoTDB path names', () => {
  it('leaves [0-9A-Za-z_] and CJK names bare, quotes numbers and everything else', () => {
    for (const n of ['s1', 'temperature', '_x', '工厂', '设备_1', 'a1b2', '⺀']) expect(isPlainNode(n)).toBe(true);
    for (const n of ['état', 'a-b', 'a.b', 'a b', '123', '1e5', '', 'x`y', 'π', '😀']) expect(isPlainNode(n)).toBe(false);
    expect(quoteNode('état')).toBe('`état`');
    expect(quoteNode('x`y')).toBe('`x``y`');
    expect(quoteNode('123')).toBe('`123`');
    expect(quoteNode('a.b')).toBe('`a.b`');
  });

  it('quotes each node of a device path and reads stored backquoted nodes as their names', () => {
    expect(quotePath('root.工厂.设备_1')).toBe('root.工厂.设备_1');
    expect(quotePath('root.sg.dév-1')).toBe('root.sg.`dév-1`');
    expect(deviceNodes('root.sg.`a.b`.d')).toEqual(['root', 'sg', 'a.b', 'd']);
    expect(quotePath('root.sg.`a.b`')).toBe('root.sg.`a.b`');
    expect(deviceNodes('root.sg.`x``y`')).toEqual(['root', 'sg', 'x`y']);
  });

  it('agrees with the strict server reading of every quoted name', () => {
    const names = ['s1', 'état', 'x`y', '``', '123', '1e5', 'a.b', '工厂', 'é.`.x', 'tab\there'];
    for (const n of names) {
      expect(readPathNodes(quoteNode(n))).toEqual([n]);
      expect(unquoteNode(quoteNode(n))).toBe(n);
      expect(parsePath(`root.${quoteNode(n)}.d`)).toEqual(['root', n, 'd']);
    }
    expect(() => parsePath('root.`open')).toThrow(/unbalanced/);
  });

  it('refuses table-model devices without a table database and paths outside root', () => {
    expect(() => checkTreeDevice('sensors.north', 'sensors', 'iotdb')).toThrow(/table-model device .*--table-database/);
    expect(() => checkTreeDevice('sg.d1', undefined, 'iotdb')).toThrow(/not a tree-model path under root/);
    expect(() => checkTreeDevice('root.sg.d1', undefined, 'iotdb')).not.toThrow();
  });
});
