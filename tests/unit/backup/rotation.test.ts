/** Rotation of backups (main/services/backup/rotation.ts): 7 daily, 4 weekly, 12 monthly by default. */
import { describe, expect, it } from 'vitest';
import { isoWeek, rotate } from '../../../main/services/backup/rotation';

const at = (iso: string) => ({ createdAt: iso });
/** One backup a day at 09:00 UTC for `days` days ending on `last` (newest first). */
const daily = (last: string, days: number) => Array.from({ length: days }, (_, i) => at(new Date(Date.parse(`${last}T09:00:00Z`) - i * 86_400_000).toISOString()));

describe('rotation', () => {
  it('names ISO weeks (Monday first, the Thursday names the year)', () => {
    expect(isoWeek(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2026-12-06T12:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2026-12-07T12:00:00Z'))).toBe('2026-W50');
  });

  it('keeps 7 daily, 4 weekly and 12 monthly out of a year of daily backups', () => {
    const all = daily('2026-12-06', 400);
    const { keep, remove } = rotate(all);
    expect(keep.length + remove.length).toBe(400);
    const kept = keep.map((k) => k.createdAt.slice(0, 10));
    // The 7 newest days.
    expect(kept.slice(0, 7)).toEqual(['2026-12-06', '2026-12-05', '2026-12-04', '2026-12-03', '2026-12-02', '2026-12-01', '2026-11-30']);
    // Weekly: newest of the 4 newest weeks (Sundays before 2026-12-06 which is itself a Sunday).
    for (const d of ['2026-11-29', '2026-11-22', '2026-11-15']) expect(kept).toContain(d);
    // Monthly: last day of each of the 12 newest months.
    for (const d of ['2026-10-31', '2026-06-30', '2026-01-31']) expect(kept).toContain(d);
    expect(kept).not.toContain('2025-12-31'); // a 13th month
    expect(kept).not.toContain('2026-11-28');
    expect(new Set(kept).size).toBe(keep.length);
    expect(keep.length).toBeLessThanOrEqual(7 + 4 + 12);
  });

  it('keeps only the newest of one day, always the newest, and anything it cannot date', () => {
    const items = [at('2026-12-06T08:00:00Z'), at('2026-12-06T18:00:00Z'), at('pas une date'), at('2026-12-06T12:00:00Z')];
    const { keep, remove } = rotate(items);
    expect(keep.map((k) => k.createdAt)).toEqual(['2026-12-06T18:00:00Z', 'pas une date']);
    expect(remove).toHaveLength(2);
    expect(rotate([at('2026-01-01T00:00:00Z')], { daily: 0, weekly: 0, monthly: 0 }).keep).toHaveLength(1);
  });
});
