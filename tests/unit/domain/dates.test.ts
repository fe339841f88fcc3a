/** Dates typed as jj/mm/aaaa and phone plausibility (shared/domain/dates.ts, shared/domain/phone.ts; docs/ui.md « Dates »). */
import { describe, expect, it } from 'vitest';
import { isIsoDay, parseTypedDate, typedDateOf } from '../../../shared/domain/dates';
import { isPlausiblePhone } from '../../../shared/domain/phone';
import { maskTypedDate } from '../../../renderer/components/DateField';

describe('typed dates (jj/mm/aaaa)', () => {
  it('reads day first, whatever the separator, and refuses a day that does not exist', () => {
    expect(parseTypedDate('09/12/1944')).toEqual({ ok: true, iso: '1944-12-09' });
    expect(parseTypedDate(' 9.12.1944 ')).toEqual({ ok: true, iso: '1944-12-09' });
    expect(parseTypedDate('29-02-2024')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseTypedDate('')).toEqual({ ok: true, iso: null });
    expect(parseTypedDate('31/02/2026')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseTypedDate('29/02/2025')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseTypedDate('12/13/2026')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseTypedDate('00/01/2026')).toEqual({ ok: false, reason: 'impossible' });
    for (const bad of ['2026-02-03', '09/12/44', 'demain', '09/12/1944 10:00', '1/2']) {
      expect(parseTypedDate(bad), bad).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('shows an ISO date as jj/mm/aaaa and keeps anything else as it is', () => {
    expect(typedDateOf('2026-03-05')).toBe('05/03/2026');
    expect(typedDateOf(null)).toBe('');
    expect(typedDateOf('bizarre')).toBe('bizarre');
    expect(isIsoDay('2026-02-31')).toBe(false);
    expect(isIsoDay('2026-02-28')).toBe(true);
  });

  it('adds the slashes while typing forward, never while erasing', () => {
    let text = '';
    for (const key of '31022026') text = maskTypedDate(text + key, text);
    expect(text).toBe('31/02/2026');
    expect(maskTypedDate('31', '31/')).toBe('31');
    expect(maskTypedDate('3/02', '3/0')).toBe('3/02/');
    expect(maskTypedDate('09121944', '')).toBe('09/12/1944');
    expect(maskTypedDate('ab1', 'ab')).toBe('1');
    expect(maskTypedDate('31/02/20261', '31/02/2026')).toBe('31/02/2026');
  });
});

describe('phone plausibility', () => {
  it('accepts French and international numbers, refuses letters and digit counts out of 6..15', () => {
    for (const ok of ['06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78', '+33 (0)6 12 34 56 78', '0033612345678', '115 225', '+1-212-555-0100']) {
      expect(isPlausiblePhone(ok), ok).toBe(true);
    }
    for (const bad of ['abc', '06 12 ab 56 78', '12345', '1234567890123456', '++33612345678', '06 12 34 56 78 poste 12', '']) {
      expect(isPlausiblePhone(bad), bad).toBe(false);
    }
  });
});
