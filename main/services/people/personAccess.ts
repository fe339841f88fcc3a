/**
 * What a user may see of people (issue 3 §1): which field sets of PERSON_FIELD_SETS they may read, and the reader
 * their people queries run for. Shared by the people service and imports.
 */
import type { Permission } from '../../../shared/domain/access';
import { PERSON_FIELD_SETS, type PersonInput } from '../../../shared/domain/person';
import type { PeopleReader } from '../../db/repositories/people';
import type { Access } from '../access/access';

export type PersonFieldSet = keyof typeof PERSON_FIELD_SETS;

/** The permission that opens each field set. */
const SET_PERMISSION: Record<PersonFieldSet, Permission> = { details: 'people.readDetails', membership: 'people.readMembership' };

/** The field sets `access` may not read, in PERSON_FIELD_SETS order. */
export function hiddenFieldSets(access: Access): PersonFieldSet[] {
  return (Object.keys(PERSON_FIELD_SETS) as PersonFieldSet[]).filter((s) => !access.has(SET_PERMISSION[s]));
}

/** `input` with the fields of `sets` taken from `from` (null when not given): what a writer of those sets may not touch. */
export function withSetsFrom<T extends PersonInput>(input: T, sets: readonly PersonFieldSet[], from: PersonInput | null = null): T {
  if (sets.length === 0) return input;
  const out: Record<string, unknown> = { ...input };
  for (const s of sets) for (const f of PERSON_FIELD_SETS[s]) out[f] = from ? from[f] : null;
  return out as T;
}

/** The reader a people query runs for: the user's people, and member numbers searchable only with `people.readMembership`. */
export function peopleReader(access: Access): PeopleReader {
  return { scope: (q, alias) => access.scopePeople(q, alias), searchMemberNumbers: access.has('people.readMembership') };
}

