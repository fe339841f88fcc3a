/** The pure rules of dues (main/services/treasury/duesRules.ts): periods and status boundaries, with fixed dates. */
import { describe, expect, it } from 'vitest';
import { addMonths, duesStatusOn, nextStart, periodFrom } from '../../../main/services/treasury/duesRules';

const facts = (paidUntil: string | null, extra: { forLife?: boolean; exempt?: boolean } = {}) => ({ paidUntil, forLife: extra.forLife ?? false, exempt: extra.exempt ?? false });

describe('periods', () => {
  it('civil year: the year containing the start, whatever the day', () => {
    expect(periodFrom('year', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodFrom('year', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
  it('N rolling months, clamped at month ends and across leap years', () => {
    expect(periodFrom('months:12', '2026-03-15')).toEqual({ from: '2026-03-15', to: '2027-03-14' });
    expect(periodFrom('months:1', '2026-01-31')).toEqual({ from: '2026-01-31', to: '2026-02-27' });
    expect(periodFrom('months:1', '2028-01-31')).toEqual({ from: '2028-01-31', to: '2028-02-28' });
    expect(periodFrom('months:6', '2026-08-31')).toEqual({ from: '2026-08-31', to: '2027-02-27' });
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
  it('fixed dates: the year starting on the last MM-DD on or before the start', () => {
    expect(periodFrom('dates:09-01', '2026-09-01')).toEqual({ from: '2026-09-01', to: '2027-08-31' });
    expect(periodFrom('dates:09-01', '2026-08-31')).toEqual({ from: '2025-09-01', to: '2026-08-31' });
    expect(periodFrom('dates:02-29', '2027-03-01')).toEqual({ from: '2027-02-28', to: '2028-02-28' });
  });
  it('one-off: never ends', () => {
    expect(periodFrom('once', '2026-05-05')).toEqual({ from: '2026-05-05', to: null });
  });
  it('paying ahead or on time continues without a gap; after a lapse the period starts on the payment day', () => {
    expect(nextStart('2026-12-15', '2026-12-31')).toBe('2027-01-01');
    expect(nextStart('2027-01-01', '2026-12-31')).toBe('2027-01-01');
    expect(nextStart('2027-01-02', '2026-12-31')).toBe('2027-01-02');
    expect(nextStart('2027-03-10', '2026-12-31')).toBe('2027-03-10');
    expect(nextStart('2027-03-10', null)).toBe('2027-03-10');
    expect(periodFrom('year', nextStart('2026-12-15', '2026-12-31'))).toEqual({ from: '2027-01-01', to: '2027-12-31' });
  });
});

describe('status on a day', () => {
  const today = '2026-12-06';
  it('late the day after the last day paid; due soon from that day back to 30 days before', () => {
    expect(duesStatusOn(facts('2026-12-05'), today, 30)).toBe('late');
    expect(duesStatusOn(facts('2026-12-06'), today, 30)).toBe('due_soon');
    expect(duesStatusOn(facts('2027-01-05'), today, 30)).toBe('due_soon');
    expect(duesStatusOn(facts('2027-01-06'), today, 30)).toBe('up_to_date');
    expect(duesStatusOn(facts('2027-01-06'), today, 31)).toBe('due_soon');
    expect(duesStatusOn(facts('2026-12-07'), today, 0)).toBe('up_to_date');
  });
  it('never without a paid period; exempt wins; a one-off fee never expires', () => {
    expect(duesStatusOn(facts(null), today, 30)).toBe('never');
    expect(duesStatusOn(facts('2020-01-01', { exempt: true }), today, 30)).toBe('exempt');
    expect(duesStatusOn(facts(null, { exempt: true }), today, 30)).toBe('exempt');
    expect(duesStatusOn(facts(null, { forLife: true }), today, 30)).toBe('up_to_date');
  });
});
