/**
 * Engagement (docs/agenda.md "Engagement"): what a volunteer gives and has ahead (« Mon engagement »), the volunteers
 * with nothing planned (the newcomer the association fears losing), and the hours given per volunteer and per year —
 * the « valorisation du bénévolat » of the annual report (hours only; the rate is the association's choice).
 */
import { z } from 'zod';
import { id, instant, isoDate } from './common';
import { task } from './task';

/** « Nothing planned » looks this many days ahead by default. */
export const IDLE_DAYS = 30;

export const upcomingVisit = z.object({
  id,
  personId: id,
  personName: z.string().nullable(),
  start: instant,
  timeZone: z.string(),
  minutes: z.number().int(),
});
export type UpcomingVisit = z.infer<typeof upcomingVisit>;

export const myEngagement = z.object({
  /** False when the current user has no volunteer profile linked to their account. */
  linked: z.boolean(),
  nextVisits: z.array(upcomingVisit),
  tasks: z.array(task),
  /** Minutes given (visits done: time spent, else their planned length) this calendar month and year (Europe/Paris). */
  minutesThisMonth: z.number().int().nonnegative(),
  minutesThisYear: z.number().int().nonnegative(),
  visitsThisYear: z.number().int().nonnegative(),
});
export type MyEngagement = z.infer<typeof myEngagement>;

export const idleVolunteer = z.object({
  personId: id,
  name: z.string(),
  /** The last visit done (ISO instant), or null when none. */
  lastVisit: instant.nullable(),
  /** The next planned visit beyond the window, or null. */
  nextVisit: instant.nullable(),
  /** Profile creation date (a newcomer has a recent one). */
  since: isoDate,
});
export type IdleVolunteer = z.infer<typeof idleVolunteer>;

export const volunteerHours = z.object({
  personId: id,
  name: z.string(),
  visits: z.number().int().nonnegative(),
  minutes: z.number().int().nonnegative(),
});
export type VolunteerHours = z.infer<typeof volunteerHours>;

export const year = z.number().int().min(2000).max(2100);
