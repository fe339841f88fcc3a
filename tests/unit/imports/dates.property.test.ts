import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmountCents, parseFrenchDate } from '../../../main/services/imports';

const TODAY = '2026-11-21';
const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A valid calendar date between two ISO dates, as [iso, year, month, day]. */
const dateBetween = (min: string, max: string) =>
  fc.integer({ min: Date.parse(`${min}T00:00:00Z`) / DAY, max: Date.parse(`${max}T00:00:00Z`) / DAY }).map((n) => {
    const d = new Date(n * DAY);
    return { iso: d.toISOString().slice(0, 10), y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
  });

const fourDigitFormats = [
  (x: { y: number; m: number; d: number }) => `${pad(x.d)}/${pad(x.m)}/${x.y}`,
  (x: { y: number; m: number; d: number }) => `${x.d}/${x.m}/${x.y}`,
  (x: { y: number; m: number; d: number }) => `${pad(x.d)}.${pad(x.m)}.${x.y}`,
  (x: { y: number; m: number; d: number }) => `${pad(x.d)}-${pad(x.m)}-${x.y}`,
  (x: { y: number; m: number; d: number }) => `${x.y}-${pad(x.m)}-${pad(x.d)}`,
  (x: { y: number; m: number; d: number }) => `${pad(x.d)}/${pad(x.m)}/${x.y} 18:23`,
  (x: { y: number; m: number; d: number }) => `${pad(x.d)}/${pad(x.m)}/${x.y} 08:05:59`,
  (x: { y: number; m: number; d: number }) => `${x.y}-${pad(x.m)}-${pad(x.d)} 23:59:00`,
  (x: { y: number; m: number; d: number }) => `${x.y}-${pad(x.m)}-${pad(x.d)}T00:00:00Z`,
];

describe('every accepted French date format round-trips (property)', () => {
  it('four-digit years, both kinds', () => {
    fc.assert(
      fc.property(dateBetween('1900-01-01', '2099-12-31'), fc.constantFrom(...fourDigitFormats), fc.constantFrom('birth', 'event' as const), (x, format, kind) => {
        const out = parseFrenchDate(format(x), kind as 'birth' | 'event', TODAY);
        expect(out).toEqual({ ok: true, value: x.iso });
      }),
    );
  });

  it('two-digit birth years: any date of the last hundred years, never in the future', () => {
    fc.assert(
      fc.property(dateBetween('1926-11-22', TODAY), fc.boolean(), (x, withTime) => {
        const s = `${pad(x.d)}/${pad(x.m)}/${pad(x.y % 100)}${withTime ? ' 12:00' : ''}`;
        const out = parseFrenchDate(s, 'birth', TODAY);
        expect(out).toEqual({ ok: true, value: x.iso });
        if (out.ok && out.value) expect(out.value <= TODAY).toBe(true);
      }),
    );
  });

  it('two-digit event years: any date within 49 years of today', () => {
    fc.assert(
      fc.property(dateBetween('1977-11-22', '2075-11-20'), (x) => {
        expect(parseFrenchDate(`${pad(x.d)}/${pad(x.m)}/${pad(x.y % 100)}`, 'event', TODAY)).toEqual({ ok: true, value: x.iso });
      }),
    );
  });

  it('impossible day numbers are always refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(parseFrenchDate(`${lastDay + 1}/${pad(m)}/${y}`, 'birth', TODAY)).toEqual({ ok: false });
      }),
    );
  });
});

describe('amounts written the French way round-trip (property)', () => {
  it('1 234,50 € style', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.constantFrom(' ', '\u00a0', '\u202f', ''), fc.boolean(), (cents, sep, euro) => {
        const int = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
        const s = `${int},${pad(cents % 100)}${euro ? ' €' : ''}`;
        expect(parseAmountCents(s)).toEqual({ ok: true, value: cents });
      }),
    );
  });
});
