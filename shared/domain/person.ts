/**
 * People (personnes): members (adhérents), volunteers (bénévoles) and the people the association accompanies
 * (personnes accompagnées), grouped in households (foyers). One person may have several kinds.
 */
import { z } from 'zod';
import { calendarDate, id, isoDate, instant, optionalText } from './common';
import { isPlausiblePhone } from './phone';

export const PERSON_KINDS = ['member', 'volunteer', 'beneficiary'] as const;
export const personKind = z.enum(PERSON_KINDS);
export type PersonKind = z.infer<typeof personKind>;

export const CIVILITIES = ['M', 'Mme', 'Mx'] as const;
export const civility = z.enum(CIVILITIES);

const email = z
  .string()
  .trim()
  .max(254)
  .transform((s) => (s === '' ? null : s))
  .pipe(z.string().email('adresse e-mail invalide').nullable())
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** An optional date whose messages name the field (`label` as the person form shows it). */
const namedDate = (label: string) => calendarDate(label).nullable().optional().transform((v) => v ?? null);

/** An optional phone number: refused (never dropped) when it cannot be one (shared/domain/phone.ts). */
const phoneNumber = (label: string) =>
  optionalText(40).refine(
    (v) => v === null || isPlausiblePhone(v),
    `${label} : ce n’est pas un numéro de téléphone (6 à 15 chiffres, espaces, points ou tirets ; + au début pour l’international).`,
  );

/**
 * What a user types or an import provides to create or change a person. Names are required, the rest optional.
 * An impossible date or an implausible phone is refused with a French message naming the field.
 */
export const personInput = z.object({
  civility: civility.nullable().optional().transform((v) => v ?? null),
  firstName: z.string().trim().max(200).default(''),
  lastName: z.string().trim().max(200).default(''),
  birthDate: namedDate('Date de naissance'),
  email,
  phone: phoneNumber('Téléphone'),
  phone2: phoneNumber('Autre téléphone'),
  addressLine: optionalText(300),
  postalCode: optionalText(20),
  city: optionalText(120),
  country: optionalText(80),
  memberNumber: optionalText(40),
  kinds: z.array(personKind).max(3).default([]),
  membershipStart: namedDate('Début d’adhésion'),
  membershipEnd: namedDate('Fin d’adhésion'),
  skills: optionalText(1000),
  availability: optionalText(1000),
  notes: optionalText(10_000),
  householdId: id.nullable().optional().transform((v) => v ?? null),
});
/** The parsed (output) shape: every optional field present, null when empty. */
export type PersonInput = z.output<typeof personInput>;
/** The shape callers may send (fields optional). */
export type PersonInputDraft = z.input<typeof personInput>;

/**
 * A person's editable fields as read back from storage: phones saved before the plausibility rule (or received from a
 * device that had none) are still read, shown and then corrected in the form, whose save checks them.
 */
export const storedPersonInput = personInput.extend({ phone: optionalText(40), phone2: optionalText(40) });

/** A person as stored. */
export const person = storedPersonInput.extend({
  id,
  archivedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  /** Field sets the reader may not see (their values are null here and kept as they are on update). */
  hiddenFields: z.array(z.enum(['details', 'membership'])).default([]),
});
export type Person = z.infer<typeof person>;

/** The fields of each restricted set (shared/domain/access.ts: `people.readDetails`, `people.readMembership`). */
export const PERSON_FIELD_SETS = {
  details: ['birthDate', 'householdId', 'notes', 'skills', 'availability'],
  membership: ['memberNumber', 'membershipStart', 'membershipEnd'],
} as const satisfies Record<string, readonly (keyof PersonInput)[]>;

/** A line of the people list and of search results. */
export const personSummary = z.object({
  id,
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate.nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  memberNumber: z.string().nullable(),
  kinds: z.array(personKind),
  archived: z.boolean(),
});
export type PersonSummary = z.infer<typeof personSummary>;

export const household = z.object({
  id,
  name: z.string(),
  memberIds: z.array(id),
});
export type Household = z.infer<typeof household>;
