/**
 * The coverage rule « jamais plus de N heures sans visite » (docs/volunteers.md "Gaps"): inside a window, the
 * stretches between the window's start, the starts of the visits that count (planned or done; never cancelled or
 * missed) and the window's end; every stretch longer than N hours is a gap. Lengths are elapsed time between
 * instants, so a night of the summer-time change counts 23 or 25 hours as it really lasts.
 */
import type { DateTime } from 'luxon';
import type { VisitStatus } from '../../../shared/domain/volunteers';

/** Statuses whose visit counts as a contact for the rule. */
export const COUNTING_STATUSES: readonly VisitStatus[] = ['planned', 'done'];

export interface GapSpan {
  from: DateTime;
  to: DateTime;
  /** Elapsed hours, two decimals. */
  hours: number;
}

/**
 * Gaps in [`from`, `to`] given `starts` (instants of the counting visits; any order, those outside the window are
 * ignored) and the rule's `maxGapHours`. A stretch is a gap when strictly longer than the rule.
 */
export function coverageGaps(from: DateTime, to: DateTime, starts: readonly DateTime[], maxGapHours: number): GapSpan[] {
  if (to <= from) return [];
  const inside = starts.filter((s) => s > from && s < to).sort((a, b) => a.toMillis() - b.toMillis());
  const points = [from, ...inside, to];
  const out: GapSpan[] = [];
  const limit = maxGapHours * 3_600_000;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const ms = b.toMillis() - a.toMillis();
    if (ms > limit) out.push({ from: a, to: b, hours: Math.round((ms / 3_600_000) * 100) / 100 });
  }
  return out;
}
