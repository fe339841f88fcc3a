/**
 * The contact-drop rule on generated histories (docs/messages.md "Contact-drop alert"): steady, dropping, a new person
 * with no history, seasonal noise, a configurable threshold, and the plain-French explanation.
 */
import { describe, expect, it } from 'vitest';
import { assessContacts, DEFAULT_CONTACT_DROP_RULES as RULES, explainDrop } from '../../../shared/domain/contactDrop';

const NOW = new Date('2026-12-06T10:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

/** `perWeek[i]` contacts in week i before now (week 0 = the last 7 days), spread over the week. */
function history(perWeek: readonly number[]): Date[] {
  const out: Date[] = [];
  perWeek.forEach((n, week) => {
    for (let k = 0; k < n; k++) out.push(daysAgo(week * 7 + 0.5 + (k * 6) / Math.max(n, 1)));
  });
  return out;
}

/** A small deterministic generator (mulberry32) for noisy histories. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('assessContacts', () => {
  it('a steady rhythm raises nothing', () => {
    const a = assessContacts(history([3, 3, 3, 3, 3, 3, 3, 3, 3, 3]), NOW, RULES);
    expect(a).toMatchObject({ recent: 6, baselinePerWeek: 3, baselineWeeks: 8, drop: false });
  });

  it('a sharp drop raises the alert, explained in plain words', () => {
    const a = assessContacts(history([0, 1, 4, 4, 4, 4, 4, 4, 4, 4]), NOW, RULES);
    expect(a).toMatchObject({ recent: 1, baselinePerWeek: 4, drop: true });
    expect(explainDrop(a, RULES.recentDays)).toBe('1 contact ces 14 derniers jours, contre 4 par semaine en moyenne avant');
    expect(explainDrop({ recent: 0, baselinePerWeek: 2.5 }, 14)).toBe('Aucun contact ces 14 derniers jours, contre 2,5 par semaine en moyenne avant');
    expect(explainDrop({ recent: 3, baselinePerWeek: 7 }, 14)).toBe('3 contacts ces 14 derniers jours, contre 7 par semaine en moyenne avant');
  });

  it('a new person with no history, or followed for under two weeks before the window, has no rhythm yet', () => {
    expect(assessContacts([], NOW, RULES)).toMatchObject({ recent: 0, drop: false });
    expect(assessContacts(history([0, 2]), NOW, RULES).drop).toBe(false);
    // Five contacts in their only week before the window, then nothing: still no alert.
    expect(assessContacts(history([0, 0, 5]), NOW, RULES)).toMatchObject({ baselineWeeks: 1, drop: false });
  });

  it('a person followed for three weeks is compared with those three weeks, not diluted over eight', () => {
    const a = assessContacts(history([0, 0, 3, 3, 3]), NOW, RULES);
    expect(a).toMatchObject({ baselineWeeks: 3, baselinePerWeek: 3, drop: true });
  });

  it('seasonal noise (one quiet week, random ±1) does not raise the alert; 200 noisy steady histories stay quiet', () => {
    expect(assessContacts(history([0, 3, 3, 4, 2, 3, 4, 3, 2, 3]), NOW, RULES).drop).toBe(false);
    const random = rng(11);
    for (let i = 0; i < 200; i++) {
      const weeks = Array.from({ length: 10 }, () => 3 + Math.floor(random() * 3) - 1);
      expect(assessContacts(history(weeks), NOW, RULES).drop, weeks.join(',')).toBe(false);
    }
  });

  it('a rare rhythm (below one contact a week) is no usual rhythm; the threshold and windows are configurable', () => {
    expect(assessContacts(history([0, 0, 1, 0, 1, 0, 1, 0, 1, 0]), NOW, RULES).drop).toBe(false);
    const steadyThenHalf = history([2, 2, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(assessContacts(steadyThenHalf, NOW, RULES).drop).toBe(false); // 2 a week against 4: half, not below half
    expect(assessContacts(history([2, 1, 4, 4, 4, 4, 4, 4, 4, 4]), NOW, RULES).drop).toBe(true); // 1.5 a week: below
    expect(assessContacts(steadyThenHalf, NOW, { ...RULES, thresholdPercent: 75 }).drop).toBe(true);
    expect(assessContacts(history([0, 4, 4, 4, 4]), NOW, { ...RULES, recentDays: 7, baselineWeeks: 4 }).drop).toBe(true);
  });

  it('contacts dated in the future (a clock ahead on another device) are ignored', () => {
    const a = assessContacts([...history([0, 0, 4, 4, 4, 4]), new Date(NOW.getTime() + DAY), NOW.toISOString()], NOW, RULES);
    expect(a.recent).toBe(1);
    expect(a.drop).toBe(true);
  });
});
