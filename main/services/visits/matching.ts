/**
 * Proposals for a gap (docs/volunteers.md "Proposals"): the volunteers who could visit in time, i.e. at an instant
 * of the stretch where one visit keeps the rule, inside one of their weekly availability slots, on a day outside
 * their absences, holding every skill asked, from the area asked (when there is one), not already visiting at that
 * time; least loaded first (minutes planned in the coming 4 weeks, relative to the hours a month they offer).
 */
import { DateTime } from 'luxon';
import type { AvailabilitySlot } from '../../../shared/domain/volunteers';
import { foldDiacritics } from '../../../shared/domain/text';
import { minutesOfDay } from './time';

export interface Candidate {
  personId: string;
  name: string;
  skills: readonly string[];
  area: string | null;
  availability: readonly AvailabilitySlot[];
  /** Inclusive local days `YYYY-MM-DD`. */
  absences: readonly { from: string; to: string }[];
  hoursPerMonth: number | null;
  plannedMinutes: number;
  /** Their visits already planned (start, minutes): not proposed twice at once. */
  busy: readonly { start: DateTime; minutes: number }[];
}

export interface Need {
  /** The stretch where a visit would help: earliest and latest acceptable start. */
  earliest: DateTime;
  latest: DateTime;
  minutes: number;
  skills: readonly string[];
  area: string | null;
  zone: string;
}

export const sameText = (a: string | null, b: string | null): boolean => foldDiacritics((a ?? '').trim()) === foldDiacritics((b ?? '').trim());

/** True when the local day of `at` (in its zone) falls inside one of `absences`. */
export function isAbsent(absences: Candidate['absences'], at: DateTime): boolean {
  const day = at.toISODate()!;
  return absences.some((a) => a.from <= day && day <= a.to);
}

/** True when [`at`, `at` + `minutes`] fits inside one weekly slot (local time of `at`'s zone). */
export function isAvailable(slots: readonly AvailabilitySlot[], at: DateTime, minutes: number): boolean {
  const m = at.hour * 60 + at.minute;
  return slots.some((s) => s.weekday === at.weekday && minutesOfDay(s.start) <= m && m + minutes <= minutesOfDay(s.end));
}

/**
 * The earliest instant in [need.earliest, need.latest] when `c` could visit for `need.minutes`, or null. Tries each
 * day's slots in the zone (a slot's own start, or the stretch's start when it falls inside the slot).
 */
export function firstFit(c: Candidate, need: Need): DateTime | null {
  const earliest = need.earliest.setZone(need.zone);
  const latest = need.latest.setZone(need.zone);
  for (let day = earliest.startOf('day'); day <= latest; day = day.plus({ days: 1 })) {
    const slots = c.availability.filter((s) => s.weekday === day.weekday).sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
    for (const s of slots) {
      const start = minutesOfDay(s.start);
      let at = day.set({ hour: Math.floor(start / 60), minute: start % 60 });
      if (at < earliest) at = earliest.set({ second: 0, millisecond: 0 });
      if (at < earliest) at = at.plus({ minutes: 1 });
      if (at > latest) continue;
      if (!isAvailable([s], at, need.minutes) || isAbsent(c.absences, at)) continue;
      const end = at.plus({ minutes: need.minutes });
      if (c.busy.some((b) => b.start < end && at < b.start.plus({ minutes: b.minutes }))) continue;
      return at;
    }
  }
  return null;
}

/** Load used for « least loaded first »: planned minutes over the minutes offered a month (offer unknown: 20 h). */
export function load(c: Pick<Candidate, 'plannedMinutes' | 'hoursPerMonth'>): number {
  return c.plannedMinutes / (Math.max(1, c.hoursPerMonth ?? 20) * 60);
}

/** The candidates who fit `need`, each with their earliest possible start, least loaded first (then earliest, name). */
export function propose(candidates: readonly Candidate[], need: Need): { candidate: Candidate; at: DateTime }[] {
  const out: { candidate: Candidate; at: DateTime }[] = [];
  for (const c of candidates) {
    if (!need.skills.every((k) => c.skills.some((s) => sameText(s, k)))) continue;
    if (need.area && !sameText(c.area, need.area)) continue;
    const at = firstFit(c, need);
    if (at) out.push({ candidate: c, at });
  }
  return out.sort((a, b) => load(a.candidate) - load(b.candidate) || a.at.toMillis() - b.at.toMillis() || a.candidate.name.localeCompare(b.candidate.name, 'fr'));
}
