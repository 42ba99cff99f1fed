/**
 * The shared value texts against the fixtures' extremes (−0, NaN, ±Infinity, subnormals, max
 * floats, int limits): FLOAT text is the shortest that reads back to the same float32, DOUBLE text
 * is the canonical one, and every text parses back to the identical bits.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  daysFromDateInt, daysFromIso, float32Text, float64Text, jsonFloatText, parseFloatText, parseHex, hexText, sqlFloatText,
} from '../../../src/connectors/core/value-text.js';
import { daysToIso, daysToYmd } from '../../../src/connectors/core/columns.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../../helpers/fixtures.js';

const bits32 = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0]!;
const bits64 = (v: number): bigint => new BigUint64Array(Float64Array.of(v).buffer)[0]!;

function fixtureFloats(): { floats: number[]; doubles: string[] } {
  const base = path.join(SHARED_FIXTURES, 'java', 'extremes');
  const j = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { device_list: { series: { measurement: string; type: string }[] }[] };
  const type = new Map(j.device_list.flatMap((d) => d.series.map((s) => [s.measurement, s.type] as [string, string])));
  const floats: number[] = [];
  const doubles: string[] = [];
  for (const line of readFileSync(`${base}.csv`, 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    const [, m, , v] = line.split(',');
    if (type.get(m!) === 'FLOAT') floats.push(Math.fround(Number(v)));
    if (type.get(m!) === 'DOUBLE') doubles.push(v!);
  }
  return { floats, doubles };
}

describe('float texts', () => {
  it('FLOAT: shortest text that reads back to the same float32', () => {
    expect(float32Text(Math.fround(1.51))).toBe('1.51');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(-0)).toBe('-0');
    expect(float32Text(Math.fround(3.4028234663852886e38))).toBe('3.4028235e+38');
    expect(float32Text(1.401298464324817e-45)).toBe('1e-45');
    expect(float32Text(Math.fround(16777216))).toBe('16777216');
    expect(float32Text(Number.NaN)).toBe('NaN');
    expect(float32Text(-Infinity)).toBe('-Infinity');
  });

  it.skipIf(!HAVE_SHARED)('every FLOAT and DOUBLE of the extremes fixture survives its text bit for bit', () => {
    const { floats, doubles } = fixtureFloats();
    expect(floats.length).toBeGreaterThan(100);
    for (const v of floats) {
      const s = float32Text(v);
      const back = parseFloatText('FLOAT', s);
      if (Number.isNaN(v)) { expect(Number.isNaN(back)).toBe(true); continue; }
      expect(bits32(back)).toBe(bits32(v));
      // Shortest: one significant digit fewer no longer reads back.
      const digits = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length;
      if (Number.isFinite(v) && v !== 0 && digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1)))).not.toBe(v);
    }
    for (const text of doubles) {
      const v = parseFloatText('DOUBLE', text);
      expect(float64Text(v)).toBe(text);
      if (!Number.isNaN(v)) expect(bits64(parseFloatText('DOUBLE', jsonFloatText('DOUBLE', v)))).toBe(bits64(v));
    }
  });

  it('JSON and SQL spellings keep negative zero and stay floating literals', () => {
    expect(jsonFloatText('DOUBLE', -0)).toBe('-0.0');
    expect(Object.is(JSON.parse(jsonFloatText('DOUBLE', -0)), -0)).toBe(true);
    expect(sqlFloatText('DOUBLE', 3)).toBe('3.0');
    expect(sqlFloatText('FLOAT', -0)).toBe('-0.0');
    expect(sqlFloatText('DOUBLE', 1e300)).toBe('1e+300');
  });
});

describe('dates and bytes', () => {
  it('DATE ints and ISO texts invert the civil-date conversion', () => {
    for (const days of [-719162, -1, 0, 19723, 2932896]) {
      expect(daysFromDateInt(daysToYmd(days))).toBe(days);
      expect(daysFromIso(daysToIso(days))).toBe(days);
    }
    expect(daysFromDateInt(20230230)).toBeUndefined();
    expect(daysFromIso('2024-13-01')).toBeUndefined();
  });

  it('hex round trips, with or without prefix', () => {
    const b = Uint8Array.of(0, 1, 0xab, 0xff);
    expect(hexText(b)).toBe('0001abff');
    expect(parseHex(`0x${hexText(b)}`)).toEqual(b);
    expect(parseHex('\\x0001abff')).toEqual(b);
    expect(parseHex('0x')).toEqual(new Uint8Array(0));
    expect(parseHex('0xabc')).toBeUndefined();
  });
});
