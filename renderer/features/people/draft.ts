/**
 * The person form's state: plain strings while typing (dates as typed, jj/mm/aaaa), converted to the contract's
 * PersonInput on save. A date that cannot be read is sent as typed, so the core refuses it: never dropped.
 */
import { parseTypedDate, typedDateOf } from '../../../shared/domain/dates';
import type { Person, PersonInputDraft, PersonKind } from '../../../shared/domain/person';
import type { PersonPrefill } from '../../../shared/domain/searchQuery';
import { CIVILITIES } from '../../../shared/domain/person';

export type Civility = (typeof CIVILITIES)[number];
export const NEW_HOUSEHOLD = '__new__';

export interface Draft {
  civility: Civility | '';
  firstName: string;
  lastName: string;
  birthDate: string;
  email: string;
  phone: string;
  phone2: string;
  addressLine: string;
  postalCode: string;
  city: string;
  country: string;
  memberNumber: string;
  kinds: PersonKind[];
  membershipStart: string;
  membershipEnd: string;
  skills: string;
  availability: string;
  notes: string;
  /** '' = no household, NEW_HOUSEHOLD = create one named `newHouseholdName`, else a household id. */
  household: string;
  newHouseholdName: string;
}

export type TextKey = Exclude<keyof Draft, 'kinds' | 'civility' | 'household' | 'newHouseholdName'>;

export const emptyDraft: Draft = {
  civility: '',
  firstName: '',
  lastName: '',
  birthDate: '',
  email: '',
  phone: '',
  phone2: '',
  addressLine: '',
  postalCode: '',
  city: '',
  country: '',
  memberNumber: '',
  kinds: [],
  membershipStart: '',
  membershipEnd: '',
  skills: '',
  availability: '',
  notes: '',
  household: '',
  newHouseholdName: '',
};

/** A new person's draft with what a search typed: names, and the birth date as typed dates show (jj/mm/aaaa). */
export function prefilledDraft(prefill: PersonPrefill): Draft {
  return { ...emptyDraft, lastName: prefill.lastName, firstName: prefill.firstName, birthDate: typedDateOf(prefill.birthDate || null) };
}

export function draftOf(p: Person): Draft {
  return {
    civility: p.civility ?? '',
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: typedDateOf(p.birthDate),
    email: p.email ?? '',
    phone: p.phone ?? '',
    phone2: p.phone2 ?? '',
    addressLine: p.addressLine ?? '',
    postalCode: p.postalCode ?? '',
    city: p.city ?? '',
    country: p.country ?? '',
    memberNumber: p.memberNumber ?? '',
    kinds: [...p.kinds],
    membershipStart: typedDateOf(p.membershipStart),
    membershipEnd: typedDateOf(p.membershipEnd),
    skills: p.skills ?? '',
    availability: p.availability ?? '',
    notes: p.notes ?? '',
    household: p.householdId ?? '',
    newHouseholdName: '',
  };
}

const same = (a: Draft[keyof Draft], b: Draft[keyof Draft]) => (Array.isArray(a) && Array.isArray(b) ? a.join() === b.join() : a === b);

/** True when the two drafts hold the same values (the kinds compared in order). */
export function sameDraft(a: Draft, b: Draft): boolean {
  return (Object.keys(a) as (keyof Draft)[]).every((k) => same(a[k], b[k]));
}

/**
 * The form after the person was read again (a sync brought changes): the fields the user has not changed since `base`
 * (what was last read) take the `fresh` values, the changed ones keep what the user typed.
 */
export function rebaseDraft(base: Draft, mine: Draft, fresh: Draft): Draft {
  const out: Record<keyof Draft, Draft[keyof Draft]> = { ...mine };
  for (const k of Object.keys(fresh) as (keyof Draft)[]) if (same(mine[k], base[k])) out[k] = fresh[k];
  return out as Draft;
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The ISO date of what was typed; unreadable text is kept as typed (the contract then refuses it by name). */
const isoOrTyped = (s: string) => {
  const r = parseTypedDate(s);
  return r.ok ? r.iso : s.trim();
};

/** The date fields of the form, typed as jj/mm/aaaa. */
export const DATE_KEYS = ['birthDate', 'membershipStart', 'membershipEnd'] as const;
/** The phone fields of the form. */
export const PHONE_KEYS = ['phone', 'phone2'] as const;

/** The request shape; `householdId` is resolved by the caller (a new household is created first). */
export function inputOf(d: Draft, householdId: string | null): PersonInputDraft {
  return {
    civility: d.civility || null,
    firstName: d.firstName.trim(),
    lastName: d.lastName.trim(),
    birthDate: isoOrTyped(d.birthDate),
    email: orNull(d.email),
    phone: orNull(d.phone),
    phone2: orNull(d.phone2),
    addressLine: orNull(d.addressLine),
    postalCode: orNull(d.postalCode),
    city: orNull(d.city),
    country: orNull(d.country),
    memberNumber: orNull(d.memberNumber),
    kinds: d.kinds,
    membershipStart: isoOrTyped(d.membershipStart),
    membershipEnd: isoOrTyped(d.membershipEnd),
    skills: orNull(d.skills),
    availability: orNull(d.availability),
    notes: orNull(d.notes),
    householdId,
  };
}
