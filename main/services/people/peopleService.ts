/**
 * People and households: create, edit, archive, search, and duplicate warnings. Rules live here; queries in
 * PeopleRepository; every write through the Mutator.
 */
import { AppError } from '../../../shared/domain/errors';
import type { Household, Person, PersonInput, PersonSummary } from '../../../shared/domain/person';
import { PeopleRepository, personToRow } from '../../db/repositories/people';
import { personMatchKeys } from '../imports/matching';
import { personSortKey } from './searchText';
import type { ServiceContext } from '../context';

export class PeopleService {
  private readonly repo: PeopleRepository;

  constructor(private readonly ctx: ServiceContext) {
    this.repo = new PeopleRepository(ctx.db);
  }

  /** `total` counts matches up to SEARCH_TOTAL_CAP (1000); `totalCapped` says there are more ("1000+"). */
  search(query: string, limit: number, includeArchived: boolean, offset = 0): Promise<{ items: PersonSummary[]; total: number; totalCapped: boolean }> {
    return this.repo.search(query, limit, includeArchived, offset);
  }

  /** A person and their household. Throws NOT_FOUND. */
  async get(id: string): Promise<{ person: Person; household: Household | null }> {
    const person = await this.repo.get(id);
    if (!person) throw new AppError('NOT_FOUND', 'Personne introuvable (supprimée ou identifiant inconnu).');
    let household: Household | null = null;
    if (person.householdId) {
      const row = (await this.ctx.db('households').where({ id: person.householdId }).whereNull('deleted_at').first()) as { id: string; name: string } | undefined;
      if (row) household = { id: row.id, name: row.name, memberIds: await this.repo.householdMembers(row.id) };
    }
    return { person, household };
  }

  /** Probable duplicates: same e-mail, same names and birth date, or same names when no birth date is known. */
  async findDuplicates(input: PersonInput, excludeId?: string): Promise<PersonSummary[]> {
    const keys = personMatchKeys(input);
    const found = await this.repo.findByKeys(keys.email, keys.nameBirth, excludeId);
    if (input.lastName || input.firstName) {
      const sameNames = await this.repo.findBySortKey(personSortKey(input), excludeId);
      for (const p of sameNames) {
        const differentBirth = input.birthDate && p.birthDate && input.birthDate !== p.birthDate;
        if (!differentBirth && !found.some((f) => f.id === p.id)) found.push(p);
      }
    }
    return found;
  }

  /** Creates a person. Throws VALIDATION when both names are empty, NOT_FOUND for an unknown household. */
  async create(input: PersonInput): Promise<string> {
    await this.check(input);
    const [id] = await this.ctx.mutator.insert('people', [personToRow(input)]);
    return id as string;
  }

  /** Replaces the editable fields of a person. Throws NOT_FOUND, VALIDATION. */
  async update(id: string, input: PersonInput): Promise<void> {
    await this.get(id);
    await this.check(input);
    await this.ctx.mutator.update('people', id, personToRow(input));
  }

  /** Archives (hides from the default list) or restores a person. Nothing is deleted. */
  async setArchived(id: string, archived: boolean): Promise<void> {
    const { person } = await this.get(id);
    if ((person.archivedAt !== null) === archived) return;
    await this.ctx.mutator.update('people', id, { archived_at: archived ? this.ctx.clock.now().toISOString() : null });
  }

  async listHouseholds(): Promise<Household[]> {
    const rows = (await this.ctx.db('households').whereNull('deleted_at').orderBy('name').select('id', 'name')) as { id: string; name: string }[];
    const members = (await this.ctx.db('people').whereNull('deleted_at').whereNotNull('household_id').select('id', 'household_id')) as { id: string; household_id: string }[];
    return rows.map((h) => ({ id: h.id, name: h.name, memberIds: members.filter((m) => m.household_id === h.id).map((m) => m.id) }));
  }

  /** Creates a household and moves the given people into it. Throws NOT_FOUND for an unknown person. */
  async createHousehold(name: string, memberIds: string[]): Promise<string> {
    for (const id of memberIds) await this.get(id);
    return this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const [hid] = await m.insert('households', [{ name, notes: null }]);
      for (const id of memberIds) await m.update('people', id, { household_id: hid as string });
      return hid as string;
    });
  }

  private async check(input: PersonInput): Promise<void> {
    if (!input.firstName && !input.lastName) throw new AppError('VALIDATION', 'Indiquez au moins le nom ou le prénom.');
    if (input.membershipStart && input.membershipEnd && input.membershipEnd < input.membershipStart) {
      throw new AppError('VALIDATION', "La fin d'adhésion précède son début.");
    }
    if (input.householdId) {
      const h = await this.ctx.db('households').where({ id: input.householdId }).whereNull('deleted_at').first();
      if (!h) throw new AppError('NOT_FOUND', 'Foyer introuvable.');
    }
  }
}
