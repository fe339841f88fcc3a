/**
 * Volunteers (bénévoles), support circles (cercles) and the visit rota (planning des visites): the shapes shared by
 * the contract, the services, the CLI and the screens (docs/volunteers.md).
 *
 * Times: a visit starts at an instant (ISO 8601 UTC in storage and answers) and is planned in an IANA time zone
 * (Europe/Paris by default) so that a weekly series keeps its wall-clock time across summer-time changes.
 * Requests take a local date-time `YYYY-MM-DDTHH:MM` read in that zone, or one carrying an offset (`…+02:00`, `…Z`).
 */
import { z } from 'zod';
import { id, instant, isoDate, optionalText } from './common';

export const DEFAULT_ZONE = 'Europe/Paris';
/** « jamais plus de N heures sans visite »: the default N. */
export const DEFAULT_MAX_GAP_HOURS = 48;
/** A gap opening within this many hours raises a task and a notice for the circle's coordinator. */
export const ALERT_HORIZON_HOURS = 72;

/** ISO 8601 weekdays: 1 = Monday … 7 = Sunday; the short names the CLI reads (`mon 14:00-18:00`). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A local wall-clock time `HH:MM` (00:00–23:59, or 24:00 as the end of a day). */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'heure attendue au format HH:MM');

/** A local date-time `YYYY-MM-DDTHH:MM` (zone of the request), or with an offset (`Z`, `+02:00`). */
export const localDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, 'date et heure attendues au format AAAA-MM-JJTHH:MM');

export const zone = z.string().trim().min(1).max(64).default(DEFAULT_ZONE);

export const SKILL_CATEGORIES = ['skill', 'language'] as const;
export const skill = z.object({ id, name: z.string(), category: z.enum(SKILL_CATEGORIES) });
export type Skill = z.infer<typeof skill>;
export const skillInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(1, 'nom de la compétence à saisir').max(100),
  category: z.enum(SKILL_CATEGORIES).default('skill'),
});

/** One weekly availability: `weekday` 1–7 (Monday first), `start` < `end`, local times of `zone`. */
export const availabilitySlot = z
  .object({ weekday: z.number().int().min(1).max(7), start: clockTime, end: clockTime })
  .refine((s) => s.start < s.end, { message: 'la fin du créneau doit suivre son début', path: ['end'] });
export type AvailabilitySlot = z.infer<typeof availabilitySlot>;

export const absence = z.object({ id, from: isoDate, to: isoDate });
export type Absence = z.infer<typeof absence>;
export const absenceInput = z
  .object({ personId: id, from: isoDate, to: isoDate })
  .refine((a) => a.from <= a.to, { message: 'la fin de l’absence doit suivre son début', path: ['to'] });

export const volunteerInput = z.object({
  personId: id,
  userId: id.nullable().optional().transform((v) => v ?? null),
  /** Skill names or ids; a name not yet in the list is added to it (`volunteers.manage`). */
  skills: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  availability: z.array(availabilitySlot).max(50).default([]),
  area: optionalText(100),
  hoursPerMonth: z.number().int().min(0).max(744).nullable().optional().transform((v) => v ?? null),
});
export type VolunteerInput = z.output<typeof volunteerInput>;

export const volunteer = z.object({
  personId: id,
  name: z.string(),
  userId: id.nullable(),
  skills: z.array(z.string()),
  availability: z.array(availabilitySlot),
  absences: z.array(absence),
  area: z.string().nullable(),
  hoursPerMonth: z.number().int().nullable(),
  /** Minutes of visits planned or done in the 4 weeks from today (the load « least loaded first » sorts on). */
  plannedMinutes: z.number().int(),
});
export type Volunteer = z.infer<typeof volunteer>;

/** The skills map (« cartographie des savoirs »): per skill, per area, who holds it. */
export const skillsMapEntry = z.object({
  skill: z.string(),
  category: z.enum(SKILL_CATEGORIES),
  areas: z.array(z.object({ area: z.string().nullable(), volunteers: z.array(z.object({ personId: id, name: z.string() })) })),
});
export type SkillsMapEntry = z.infer<typeof skillsMapEntry>;

export const CIRCLE_ROLES = ['family', 'volunteer'] as const;
/** `accessPending`: their account is not yet in the circle's group (an administrator grants it: `circles:grantPending`). */
export const circleMember = z.object({ personId: id, name: z.string(), userId: id.nullable(), role: z.enum(CIRCLE_ROLES), accessPending: z.boolean() });
export const circle = z.object({
  id,
  name: z.string(),
  personId: id.nullable(),
  personName: z.string().nullable(),
  householdId: id.nullable(),
  coordinatorUserId: id.nullable(),
  groupId: id.nullable(),
  members: z.array(circleMember),
});
export type Circle = z.infer<typeof circle>;
export const circleInput = z
  .object({
    name: z.string().trim().min(1, 'nom du cercle à saisir').max(100),
    personId: id.nullable().optional().transform((v) => v ?? null),
    householdId: id.nullable().optional().transform((v) => v ?? null),
    coordinatorUserId: id.nullable().optional().transform((v) => v ?? null),
  })
  .refine((c) => c.personId !== null || c.householdId !== null, { message: 'choisissez la personne ou le foyer accompagné', path: ['personId'] });

export const VISIT_STATUSES = ['planned', 'done', 'missed', 'cancelled'] as const;
export const visitStatus = z.enum(VISIT_STATUSES);
export type VisitStatus = z.infer<typeof visitStatus>;

export const visit = z.object({
  id,
  personId: id,
  volunteerId: id.nullable(),
  volunteerName: z.string().nullable(),
  circleId: id.nullable(),
  /** ISO UTC instant. */
  start: instant,
  zone: z.string(),
  minutes: z.number().int(),
  status: visitStatus,
  minutesSpent: z.number().int().nullable(),
  /** The short note, or null when none or when the reader is outside the circle it is sealed to. */
  note: z.string().nullable(),
  noteSealed: z.boolean(),
  seriesId: id.nullable(),
  /** Set when this occurrence of a series was moved: its instant before the move. */
  originalStart: instant.nullable(),
});
export type Visit = z.infer<typeof visit>;

export const recurrence = z.object({
  /** Every `interval` weeks (1 = weekly). */
  interval: z.number().int().min(1).max(12).default(1),
  /** Last day (inclusive, local) of the series. */
  until: isoDate,
});

export const visitPlanInput = z.object({
  personId: id,
  volunteerId: id.nullable().optional().transform((v) => v ?? null),
  at: localDateTime,
  zone,
  minutes: z.number().int().min(5).max(24 * 60).default(60),
  recurrence: recurrence.optional(),
});
export type VisitPlanInput = z.output<typeof visitPlanInput>;

export const visitRule = z.object({
  personId: id,
  maxGapHours: z.number().int().min(1).max(24 * 31),
  skills: z.array(z.string()),
  area: z.string().nullable(),
});
export type VisitRule = z.infer<typeof visitRule>;
export const visitRuleInput = z.object({
  personId: id,
  maxGapHours: z.number().int().min(1, 'au moins 1 heure').max(24 * 31, 'au plus 744 heures').default(DEFAULT_MAX_GAP_HOURS),
  skills: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  area: optionalText(100),
});

/** A stretch without visit longer than the rule: `from`/`to` ISO instants with their Europe/Paris offset; `hours`. */
export const gap = z.object({ from: z.string(), to: z.string(), hours: z.number() });
export type Gap = z.infer<typeof gap>;

/** A volunteer who could fill a gap: when (`at`, ISO with offset), and why they are proposed. */
export const proposal = z.object({
  personId: id,
  name: z.string(),
  at: z.string(),
  skills: z.array(z.string()),
  area: z.string().nullable(),
  plannedMinutes: z.number().int(),
  hoursPerMonth: z.number().int().nullable(),
});
export type Proposal = z.infer<typeof proposal>;

/** A notice for a coordinator: a person of their circle left without visit within ALERT_HORIZON_HOURS. */
export const visitNotice = z.object({ personId: id, personName: z.string(), circleId: id, gap });
export type VisitNotice = z.infer<typeof visitNotice>;
