/**
 * People and households: create, edit, archive, search, and duplicate warnings. Rules live here; queries in
 * PeopleRepository; every write through the Mutator, with its audit entry in the same transaction.
 *
 * Access (issue 3 §1, docs/access.md): a reader sees everyone (`people.read`) or the people of their groups
 * (`people.readGroups`), nobody otherwise; the field sets of PERSON_FIELD_SETS they may not read come back null and
 * named in `hiddenFields`. A writer never changes a set they cannot read: ignored on create, kept on update.
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import type { Household, Person, PersonInput, PersonSummary } from '../../../shared/domain/person';
import { PeopleRepository, personToRow, rowToPersonInput } from '../../db/repositories/people';
import { hiddenFieldSets, peopleReader, withSetsFrom, type PersonFieldSet } from './personAccess';
import { personMatchKeys } from '../imports/matching';
import { personSortKey } from './searchText';
import type { ServiceContext } from '../context';

const FIELDS = ['civility', 'firstName', 'lastName', 'birthDate', 'email', 'phone', 'phone2', 'addressLine', 'postalCode', 'city', 'country', 'memberNumber', 'kinds', 'membershipStart', 'membershipEnd', 'skills', 'availability', 'notes', 'householdId'] as const satisfies readonly (keyof PersonInput)[];

/** Names of the fields that differ (for the audit trail: names only, never values). */
function changedFields(before: PersonInput, after: PersonInput): string[] {
  return FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

export class PeopleService {
  constructor(private readonly ctx: ServiceContext) {}

  private repo(db: Knex | Knex.Transaction = this.ctx.db): PeopleRepository {
    return new PeopleRepository(db, peopleReader(this.ctx.access));
  }

  private requireRead(): void {
    this.ctx.access.requireAny('people.read', 'people.readGroups');
  }

  private hidden(): PersonFieldSet[] {
    return hiddenFieldSets(this.ctx.access);
  }

  private mask(person: Person): Person {
    const hidden = this.hidden();
    return hidden.length === 0 ? person : { ...withSetsFrom(person, hidden), hiddenFields: hidden };
  }

  private maskSummary(s: PersonSummary): PersonSummary {
    const hidden = this.hidden();
    return {
      ...s,
      birthDate: hidden.includes('details') ? null : s.birthDate,
      memberNumber: hidden.includes('membership') ? null : s.memberNumber,
    };
  }

  /**
   * People the user may see whose text matches `query` (PeopleRepository.search). Without `people.readMembership`,
   * member numbers are neither shown nor searched: a term found only in a member number does not match.
   * `total` counts matches up to SEARCH_TOTAL_CAP (1000); `totalCapped` says there are more ("1000+").
   * Throws FORBIDDEN (people.read) for a user who may see nobody.
   */
  async search(query: string, limit: number, includeArchived: boolean, offset = 0): Promise<{ items: PersonSummary[]; total: number; totalCapped: boolean }> {
    this.requireRead();
    const r = await this.repo().search(query, limit, includeArchived, offset);
    return { ...r, items: r.items.map((s) => this.maskSummary(s)) };
  }

  /**
   * A person and their household (the household only with `people.readDetails`, with the members the user may see).
   * Throws FORBIDDEN, NOT_FOUND (also for a person the user may not see: no hint that they exist).
   */
  async get(id: string): Promise<{ person: Person; household: Household | null }> {
    this.requireRead();
    const person = await this.repo().get(id);
    if (!person) throw new AppError('NOT_FOUND', 'Personne introuvable (supprimée ou identifiant inconnu).');
    let household: Household | null = null;
    if (person.householdId && this.ctx.access.has('people.readDetails')) {
      const row = (await this.ctx.db('households').where({ id: person.householdId }).whereNull('deleted_at').first()) as { id: string; name: string } | undefined;
      if (row) household = { id: row.id, name: row.name, memberIds: await this.repo().householdMembers(row.id) };
    }
    return { person: this.mask(person), household };
  }

  /**
   * Probable duplicates among the people the user may see: same e-mail, same names and birth date, or same names when
   * no birth date is known. The fields of sets the user may not read are not used (no probing of hidden birth dates).
   */
  async findDuplicates(draft: PersonInput, excludeId?: string): Promise<PersonSummary[]> {
    this.requireRead();
    const input = withSetsFrom(draft, this.hidden());
    const repo = this.repo();
    const keys = personMatchKeys(input);
    const found = await repo.findByKeys(keys.email, keys.nameBirth, excludeId);
    if (input.lastName || input.firstName) {
      const sameNames = await repo.findBySortKey(personSortKey(input), excludeId);
      for (const p of sameNames) {
        const differentBirth = input.birthDate && p.birthDate && input.birthDate !== p.birthDate;
        if (!differentBirth && !found.some((f) => f.id === p.id)) found.push(p);
      }
    }
    return found.map((s) => this.maskSummary(s));
  }

  /**
   * Creates a person (`people.write`); the fields of sets the user may not read are left empty. Audited (person.create).
   * Throws FORBIDDEN, VALIDATION when both names are empty, NOT_FOUND for an unknown household.
   */
  async create(draft: PersonInput): Promise<string> {
    this.ctx.access.require('people.write');
    const input = withSetsFrom(draft, this.hidden());
    return this.ctx.db.transaction(async (trx) => {
      await this.check(trx, input);
      const [id] = await this.ctx.mutator.with(trx).insert('people', [personToRow(input)]);
      await this.ctx.audit({ action: 'person.create', targetType: 'person', targetId: id as string }, trx);
      return id as string;
    });
  }

  /**
   * Replaces the editable fields of a person (`people.write`). The fields of sets the user may not read keep their
   * stored values (a treasurer saving a form does not wipe a birth date they cannot see). Audited (person.update,
   * with the names of the changed fields). Throws FORBIDDEN, NOT_FOUND, VALIDATION.
   */
  async update(id: string, draft: PersonInput): Promise<void> {
    this.ctx.access.require('people.write');
    this.requireRead();
    await this.ctx.db.transaction(async (trx) => {
      const row = await this.repo(trx).getRow(id);
      if (!row) throw new AppError('NOT_FOUND', 'Personne introuvable (supprimée ou identifiant inconnu).');
      const stored = rowToPersonInput(row);
      const input = withSetsFrom(draft, this.hidden(), stored);
      await this.check(trx, input);
      const fields = changedFields(stored, input);
      if (fields.length === 0) return;
      await this.ctx.mutator.with(trx).update('people', id, personToRow(input));
      await this.ctx.audit({ action: 'person.update', targetType: 'person', targetId: id, details: { fields } }, trx);
    });
  }

  /** Archives (hides from the default list) or restores a person (`people.archive`). Nothing is deleted. Audited. */
  async setArchived(id: string, archived: boolean): Promise<void> {
    this.ctx.access.require('people.archive');
    this.requireRead();
    await this.ctx.db.transaction(async (trx) => {
      const row = await this.repo(trx).getRow(id);
      if (!row) throw new AppError('NOT_FOUND', 'Personne introuvable (supprimée ou identifiant inconnu).');
      if ((row.archived_at !== null) === archived) return;
      await this.ctx.mutator.with(trx).update('people', id, { archived_at: archived ? this.ctx.clock.now().toISOString() : null });
      await this.ctx.audit({ action: 'person.archive', targetType: 'person', targetId: id, details: { archived } }, trx);
    });
  }

  /**
   * Households with at least one member the user may see (those members only). A household is part of the details
   * set: without `people.readDetails` the list is empty, as the person's `householdId` is hidden.
   */
  async listHouseholds(): Promise<Household[]> {
    this.requireRead();
    if (!this.ctx.access.has('people.readDetails')) return [];
    return this.repo().households();
  }

  /**
   * Creates a household and moves the given people into it (`people.write`, and `people.readDetails`: the household is
   * a detail). Audited (household.create). Throws FORBIDDEN, NOT_FOUND for a person the user may not see.
   */
  async createHousehold(name: string, memberIds: string[]): Promise<string> {
    this.ctx.access.require('people.write');
    this.ctx.access.require('people.readDetails');
    this.requireRead();
    return this.ctx.db.transaction(async (trx) => {
      const repo = this.repo(trx);
      for (const id of memberIds) if (!(await repo.getRow(id))) throw new AppError('NOT_FOUND', 'Personne introuvable (supprimée ou identifiant inconnu).');
      const m = this.ctx.mutator.with(trx);
      const [hid] = await m.insert('households', [{ name, notes: null }]);
      for (const id of memberIds) await m.update('people', id, { household_id: hid as string });
      await this.ctx.audit({ action: 'household.create', targetType: 'household', targetId: hid as string, details: { memberIds } }, trx);
      return hid as string;
    });
  }

  private async check(db: Knex.Transaction, input: PersonInput): Promise<void> {
    if (!input.firstName && !input.lastName) throw new AppError('VALIDATION', 'Indiquez au moins le nom ou le prénom.');
    if (input.membershipStart && input.membershipEnd && input.membershipEnd < input.membershipStart) {
      throw new AppError('VALIDATION', "La fin d'adhésion précède son début.");
    }
    if (input.householdId) {
      const h = await db('households').where({ id: input.householdId }).whereNull('deleted_at').first();
      if (!h) throw new AppError('NOT_FOUND', 'Foyer introuvable.');
    }
  }
}
