/** Receipt numbers (shared/domain/receiptNumber.ts): `YYYY-SSSSS-NNNN`, the series code derived from the device id. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatReceiptNumber, parseReceiptNumber, seriesCode } from '../../../shared/domain/receiptNumber';

describe('receipt numbers', () => {
  it('formats and parses back, padding to four digits and growing past 9999', () => {
    expect(formatReceiptNumber({ year: 2026, series: 'K7QMX2AB', seq: 7 })).toBe('2026-K7QMX2AB-0007');
    expect(formatReceiptNumber({ year: 2026, series: 'K7QMX2AB', seq: 12345 })).toBe('2026-K7QMX2AB-12345');
    expect(parseReceiptNumber(' 2026-k7qmx2ab-0007 ')).toEqual({ year: 2026, series: 'K7QMX2AB', seq: 7 });
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.uuid(), fc.integer({ min: 1, max: 10_000_000 }), (year, id, seq) => {
        const n = { year, series: seriesCode(id), seq };
        expect(parseReceiptNumber(formatReceiptNumber(n))).toEqual(n);
      }),
    );
  });

  it('refuses what is not a number of ours', () => {
    for (const bad of ['', '2026-K7QMX2AB-007', '2026-K7QMX2AB-0000', '2026-K7QMX2AI-0001', '26-K7QMX2AB-0001', "2026-' OR 1=1 --", '2026-K7QMX2AB-00001']) {
      expect(parseReceiptNumber(bad), bad).toBeNull();
    }
    expect(() => formatReceiptNumber({ year: 2026, series: 'K7QMX2AB', seq: 0 })).toThrow(RangeError);
  });

  it('derives the same code for the same device on every PC, another for the next attempt', () => {
    const id = '0193f3a2-7c1e-7d4a-9b2f-3c4d5e6f7a8b';
    expect(seriesCode(id)).toBe(seriesCode(id));
    expect(seriesCode(id)).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(seriesCode(id, 1)).not.toBe(seriesCode(id));
    // Pinned: a code must never change between versions (numbers already printed carry it).
    expect(seriesCode('0193f3a2-7c1e-7d4a-9b2f-3c4d5e6f7a8b')).toBe('JWK6C2GZ');
  });
});
