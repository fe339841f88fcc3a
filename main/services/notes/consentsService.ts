/**
 * Consent of a person to the processing of their data (shared/domain/consent.ts): recorded with its purpose, the date
 * and who collected it; withdrawn with a date (RGPD art. 7-3: withdrawing is as easy as giving). Reading needs to see
 * the person; recording and withdrawing need `consents.write`. Both are audited.
 */
import { AppError } from '../../../shared/domain/errors';
import type { Consent, ConsentInput } from '../../../shared/domain/consent';
import type { ServiceContext } from '../context';

interface ConsentRow {
  id: string;
  person_id: string;
  purpose: string;
  given_on: string;
  collected_by: string;
  collector: string | null;
  withdrawn_on: string | null;
  withdrawer: string | null;
  created_at: string;
}

export class ConsentsService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(personId: string): Promise<Consent[]> {
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const rows = (await this.ctx
      .db('consents as c')
      .leftJoin('users as a', 'a.id', 'c.collected_by')
      .leftJoin('users as w', 'w.id', 'c.withdrawn_by')
      .where('c.person_id', personId)
      .whereNull('c.deleted_at')
      .orderBy('c.given_on', 'desc')
      .select('c.*', 'a.display_name as collector', 'w.display_name as withdrawer')) as ConsentRow[];
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      purpose: r.purpose,
      givenOn: r.given_on,
      collectedBy: r.collector ?? '?',
      withdrawnOn: r.withdrawn_on,
      withdrawnBy: r.withdrawn_on ? (r.withdrawer ?? '?') : null,
      createdAt: r.created_at,
    }));
  }

  /** Records a consent collected now by the current user (`consents.write`). */
  async record(personId: string, input: ConsentInput): Promise<string> {
    this.ctx.access.require('consents.write');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    return this.ctx.db.transaction(async (trx) => {
      const [id] = await this.ctx.mutator.with(trx).insert('consents', [{ person_id: personId, purpose: input.purpose, given_on: input.givenOn, collected_by: this.ctx.user.id }]);
      await this.ctx.audit({ action: 'consent.record', targetType: 'person', targetId: personId, details: { consentId: id, givenOn: input.givenOn } }, trx);
      return id!;
    });
  }

  /** Withdraws a consent (`consents.write`). Throws NOT_FOUND, VALIDATION (already withdrawn, or before it was given). */
  async withdraw(id: string, withdrawnOn: string): Promise<void> {
    this.ctx.access.require('consents.write');
    const row = (await this.ctx.db('consents').where({ id }).whereNull('deleted_at').first()) as ConsentRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Consentement introuvable.');
    await this.ctx.access.requirePerson(this.ctx.db, row.person_id);
    if (row.withdrawn_on) throw new AppError('VALIDATION', `Ce consentement a déjà été retiré le ${row.withdrawn_on}.`);
    if (withdrawnOn < row.given_on) throw new AppError('VALIDATION', 'La date de retrait précède la date du consentement.');
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update('consents', id, { withdrawn_on: withdrawnOn, withdrawn_by: this.ctx.user.id });
      await this.ctx.audit({ action: 'consent.withdraw', targetType: 'person', targetId: row.person_id, details: { consentId: id, withdrawnOn } }, trx);
    });
  }
}
