/**
 * People: row ⇄ domain mapping and queries. Derived columns (search_text, member_search, sort_key, email_key,
 * name_birth_key) are computed here from the person, on every write, so they can never drift from the data.
 */
import type { Knex } from 'knex';
import { storedPersonInput, type Person, type PersonInput, type PersonSummary, type PersonKind, PERSON_KINDS } from '../../../shared/domain/person';
import { personMatchKeys } from '../../services/imports/matching';
import { memberNumberSearchText, personSearchText, personSortKey } from '../../services/people/searchText';
import { searchPage } from './peopleSearch';

import type { Row } from '../mutations';

export interface PersonRow {
  id: string;
  civility: string | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  email: string | null;
  phone: string | null;
  phone2: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  member_number: string | null;
  kinds: string;
  membership_start: string | null;
  membership_end: string | null;
  skills: string | null;
  availability: string | null;
  notes: string | null;
  household_id: string | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns written for a person, derived columns included. `keys`: `personMatchKeys(p)` if already computed. */
export function personToRow(p: PersonInput, keys: { email: string | null; nameBirth: string | null } = personMatchKeys(p)): Row {
  return {
    civility: p.civility,
    first_name: p.firstName,
    last_name: p.lastName,
    birth_date: p.birthDate,
    email: p.email,
    phone: p.phone,
    phone2: p.phone2,
    address_line: p.addressLine,
    postal_code: p.postalCode,
    city: p.city,
    country: p.country,
    member_number: p.memberNumber,
    kinds: JSON.stringify(p.kinds),
    membership_start: p.membershipStart,
    membership_end: p.membershipEnd,
    skills: p.skills,
    availability: p.availability,
    notes: p.notes,
    household_id: p.householdId,
    search_text: personSearchText(p),
    member_search: memberNumberSearchText(p.memberNumber),
    sort_key: personSortKey(p),
    email_key: keys.email,
    name_birth_key: keys.nameBirth,
  };
}

function parseKinds(json: string): PersonKind[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((k): k is PersonKind => (PERSON_KINDS as readonly string[]).includes(k as string)) : [];
  } catch {
    return [];
  }
}

/** The editable part of a stored row, as the domain's input shape. */
export function rowToPersonInput(r: PersonRow): PersonInput {
  return storedPersonInput.parse({
    civility: r.civility,
    firstName: r.first_name,
    lastName: r.last_name,
    birthDate: r.birth_date,
    email: r.email,
    phone: r.phone,
    phone2: r.phone2,
    addressLine: r.address_line,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country,
    memberNumber: r.member_number,
    kinds: parseKinds(r.kinds),
    membershipStart: r.membership_start,
    membershipEnd: r.membership_end,
    skills: r.skills,
    availability: r.availability,
    notes: r.notes,
    householdId: r.household_id,
  });
}

export function rowToPerson(r: PersonRow): Person {
  return { ...rowToPersonInput(r), id: r.id, archivedAt: r.archived_at, createdAt: r.created_at, updatedAt: r.updated_at, hiddenFields: [] };
}

const SUMMARY_COLUMNS = ['id', 'first_name', 'last_name', 'birth_date', 'email', 'phone', 'member_number', 'kinds', 'archived_at'];

function rowToSummary(r: PersonRow): PersonSummary {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    birthDate: r.birth_date,
    email: r.email,
    phone: r.phone,
    memberNumber: r.member_number,
    kinds: parseKinds(r.kinds),
    archived: r.archived_at !== null,
  };
}


/**
 * Limits a people query (table alias `alias`) to the people the reader may see; false when they see nobody
 * (`Access.scopePeople`, main/services/access/access.ts).
 */
export type PeopleScope = (q: Knex.QueryBuilder, alias: string) => boolean;

/** What a reader may search and see: who (scope) and whether member numbers may be searched. */
export interface PeopleReader {
  scope: PeopleScope;
  /**
   * False without `people.readMembership`: terms are looked for in `search_text` only, never in `member_search`, so a
   * member number cannot be found (no leak through search).
   */
  searchMemberNumbers: boolean;
}

/** Everyone, every field: for tests and internal tools that run without a session. */
export const ALL_PEOPLE: PeopleReader = { scope: () => true, searchMemberNumbers: true };


export class PeopleRepository {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly reader: PeopleReader = ALL_PEOPLE,
  ) {}

  /** A live person the reader may see (every field: the service hides the sets they may not read), or null. */
  async get(id: string): Promise<Person | null> {
    const row = await this.getRow(id);
    return row ? rowToPerson(row) : null;
  }

  /** The stored row of a live person the reader may see, or null. */
  async getRow(id: string): Promise<PersonRow | null> {
    const q = this.db('people').where('people.id', id).whereNull('people.deleted_at');
    if (!this.reader.scope(q, 'people')) return null;
    return ((await q.first('people.*')) as PersonRow | undefined) ?? null;
  }

  /** Limits `q` (people, alias `people`) to the reader's people; an impossible condition when they see nobody. */
  private scoped(q: Knex.QueryBuilder): Knex.QueryBuilder {
    if (!this.reader.scope(q, 'people')) q.whereRaw('0');
    return q;
  }

  /**
   * Finds people whose names, e-mail, phones, birth date or member number (the latter only when the reader may search
   * member numbers) contain every term of `query` (case- and accent-insensitive; dates as typed in France or ISO),
   * ranked whole words first, then word starts, then anywhere inside, then names within one typo (peopleSearch.ts).
   * Returns at most `limit` summaries and the number of matches counted up to SEARCH_TOTAL_CAP: `totalCapped` is true
   * when more people match than `total` says.
   */
  async search(query: string, limit: number, includeArchived: boolean, offset = 0): Promise<{ items: PersonSummary[]; total: number; totalCapped: boolean }> {
    const base = () => {
      const q = this.scoped(this.db('people').whereNull('deleted_at'));
      if (!includeArchived) q.whereNull('archived_at');
      return q;
    };
    const page = await searchPage(this.db, base, query, limit, offset, this.reader.searchMemberNumbers);
    if (page.rowids.length === 0) return { items: [], total: page.total, totalCapped: page.totalCapped };
    const rows = (await this.db('people').whereIn('rowid', page.rowids).select('rowid', ...SUMMARY_COLUMNS)) as (PersonRow & { rowid: number })[];
    const byRowid = new Map(rows.map((r) => [r.rowid, r]));
    const items = page.rowids.flatMap((id) => {
      const r = byRowid.get(id);
      return r ? [rowToSummary(r)] : [];
    });
    return { items, total: page.total, totalCapped: page.totalCapped };
  }

  /** People sharing the e-mail key or the name+birth key (duplicates, import matching). */
  async findByKeys(emailKey: string | null, nameBirthKey: string | null, excludeId?: string): Promise<PersonSummary[]> {
    if (!emailKey && !nameBirthKey) return [];
    const q = this.scoped(this.db('people').whereNull('deleted_at')).where((w) => {
      if (emailKey) w.orWhere('email_key', emailKey);
      if (nameBirthKey) w.orWhere('name_birth_key', nameBirthKey);
    });
    if (excludeId) q.whereNot('id', excludeId);
    const rows = (await q.select(SUMMARY_COLUMNS).orderBy('sort_key').limit(20)) as PersonRow[];
    return rows.map(rowToSummary);
  }

  /** People with the same folded last and first names (probable duplicates without a birth date). */
  async findBySortKey(sortKey: string, excludeId?: string): Promise<PersonSummary[]> {
    const q = this.scoped(this.db('people').whereNull('deleted_at')).where('sort_key', sortKey);
    if (excludeId) q.whereNot('id', excludeId);
    return ((await q.select(SUMMARY_COLUMNS).limit(20)) as PersonRow[]).map(rowToSummary);
  }

  /** Every live person's full row the reader may see (import matching loads them once per import). */
  async allRows(): Promise<PersonRow[]> {
    return (await this.scoped(this.db('people').whereNull('deleted_at')).select('people.*')) as PersonRow[];
  }

  /** The ids of a household's live members the reader may see. */
  async householdMembers(householdId: string): Promise<string[]> {
    const rows = (await this.scoped(this.db('people').where({ household_id: householdId }).whereNull('deleted_at')).select('people.id')) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Live households with at least one member the reader may see, by name, with those members only. */
  async households(): Promise<{ id: string; name: string; memberIds: string[] }[]> {
    const members = (await this.scoped(this.db('people').whereNull('deleted_at').whereNotNull('household_id')).select('people.id', 'people.household_id')) as { id: string; household_id: string }[];
    const byHousehold = new Map<string, string[]>();
    for (const m of members) byHousehold.set(m.household_id, [...(byHousehold.get(m.household_id) ?? []), m.id]);
    if (byHousehold.size === 0) return [];
    const rows = (await this.db('households').whereNull('deleted_at').whereIn('id', [...byHousehold.keys()]).orderBy('name').select('id', 'name')) as { id: string; name: string }[];
    return rows.map((h) => ({ id: h.id, name: h.name, memberIds: byHousehold.get(h.id) ?? [] }));
  }
}
