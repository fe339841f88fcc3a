/**
 * Contact-drop alert (alerte de baisse des contacts, docs/messages.md "Contact-drop alert"): for each accompanied
 * person, the contacts recorded (visits done, calls, case notes) of the recent window compared with the weekly
 * average of the weeks before it. Defaults: the last 14 days below half of the previous 8 weeks' weekly average.
 */
import { z } from 'zod';
import { id, instant } from './common';

export const contactDropRules = z.object({
  /** The recent window, in days (1 to 90). */
  recentDays: z.number().int().min(1).max(90),
  /** The baseline: this many weeks just before the recent window (2 to 52). */
  baselineWeeks: z.number().int().min(2).max(52),
  /** Alert when the recent weekly rate is below this share of the baseline's weekly average, in percent (1 to 100). */
  thresholdPercent: z.number().int().min(1).max(100),
  /** Below this baseline weekly average the person has no usual rhythm yet: no alert (contacts a week, > 0). */
  minBaselinePerWeek: z.number().min(0.1).max(50),
});
export type ContactDropRules = z.infer<typeof contactDropRules>;

export const DEFAULT_CONTACT_DROP_RULES: ContactDropRules = { recentDays: 14, baselineWeeks: 8, thresholdPercent: 50, minBaselinePerWeek: 1 };

export const contactDrop = z.object({
  personId: id,
  name: z.string(),
  recent: z.number().int().nonnegative(),
  recentDays: z.number().int(),
  baselinePerWeek: z.number().nonnegative(),
  lastContactAt: instant.nullable(),
  /** The plain-French explanation, e.g. « 1 contact ces 14 derniers jours, contre 4 par semaine en moyenne avant ». */
  explanation: z.string(),
});
export type ContactDrop = z.infer<typeof contactDrop>;

const DAY_MS = 86_400_000;

/** What the rule finds for one person's contact times. */
export interface ContactAssessment {
  recent: number;
  /** Contacts a week in the baseline (0 when there is none). */
  baselinePerWeek: number;
  /** Weeks of baseline actually used: fewer than `baselineWeeks` when the person's first contact is more recent. */
  baselineWeeks: number;
  drop: boolean;
}

/**
 * Compares the contacts of the last `recentDays` (the window (now − recentDays, now]) with the weekly average of the
 * `baselineWeeks` weeks just before it. A person followed for less than that uses the whole weeks since their first
 * contact; fewer than 2 such weeks, or a baseline under `minBaselinePerWeek`, is no usual rhythm yet: never a drop.
 * A drop: recent contacts a week < baseline a week × thresholdPercent / 100. Contacts after `now` are ignored.
 */
export function assessContacts(contacts: readonly (Date | string)[], now: Date, rules: ContactDropRules): ContactAssessment {
  const t = now.getTime();
  const recentFrom = t - rules.recentDays * DAY_MS;
  const times = contacts.map((c) => (typeof c === 'string' ? Date.parse(c) : c.getTime())).filter((x) => Number.isFinite(x) && x <= t);
  const recent = times.filter((x) => x > recentFrom).length;
  const earlier = times.filter((x) => x <= recentFrom);
  const first = earlier.length > 0 ? Math.min(...earlier) : null;
  const weeksKnown = first === null ? 0 : Math.floor((recentFrom - first) / (7 * DAY_MS)) + 1;
  const weeks = Math.min(rules.baselineWeeks, weeksKnown);
  if (weeks < 2) return { recent, baselinePerWeek: 0, baselineWeeks: weeks, drop: false };
  const baselineFrom = recentFrom - weeks * 7 * DAY_MS;
  const baselinePerWeek = earlier.filter((x) => x > baselineFrom).length / weeks;
  const recentPerWeek = recent / (rules.recentDays / 7);
  const drop = baselinePerWeek >= rules.minBaselinePerWeek && recentPerWeek < (baselinePerWeek * rules.thresholdPercent) / 100;
  return { recent, baselinePerWeek, baselineWeeks: weeks, drop };
}

const perWeek = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** « 1 contact ces 14 derniers jours, contre 4 par semaine en moyenne avant » (plain French, for the coordinator). */
export function explainDrop(a: Pick<ContactAssessment, 'recent' | 'baselinePerWeek'>, recentDays: number): string {
  const recent = a.recent === 0 ? 'Aucun contact' : `${a.recent} contact${a.recent > 1 ? 's' : ''}`;
  return `${recent} ces ${recentDays} derniers jours, contre ${perWeek.format(a.baselinePerWeek)} par semaine en moyenne avant`;
}
