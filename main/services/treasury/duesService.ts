/**
 * Dues (cotisations, docs/treasury.md « Cotisations »; issue 10 §1, §7): fee types, payments (partial payments add
 * up), each person's status, renewing many at once, exemptions, settings.
 *
 * Access: fee types and payments need `treasury.read` to read and `treasury.write` to change; the status of people
 * (list by status, badge on the person page and in the people list) needs `people.readMembership` or
 * `treasury.read`, and never shows an amount. Amounts and payment details are sealed for the treasury scope
 * (./treasuryScope.ts): the status is computed from clear dates and the `settled` flag, which the treasurer's device
 * sets when the payments of a period add up to the fee. Every change is audited (ids and counts, never an amount).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { DuesPayment, DuesPaymentInput, DuesSettings, FeeType, FeeTypeInput, PaymentDetails, PersonDues, DuesStatus } from '../../../shared/domain/dues';
import { paymentDetails } from '../../../shared/domain/dues';
import { today, type ServiceContext } from '../context';
import { duesStatusOn, nextStart, periodFrom, type StatusFacts } from './duesRules';
import { cancelPaymentEntry, writePaymentEntry } from '../ledger/ledgerStore';
import { TreasuryScope } from './treasuryScope';
import { feeTypeById, feeTypeRows, rowToFeeType } from './feeTypes';

type Db = Knex | Knex.Transaction;

interface PaymentRow {
  id: string;
  person_id: string;
  fee_type_id: string;
  paid_on: string;
  covers_from: string;
  covers_to: string | null;
  settled: number;
  source: string | null;
  external_receipt: string | null;
  ciphertext: string;
  key_wraps: string;
  created_at: string;
}

export const DEFAULT_DUE_SOON_DAYS = 30;
const SETTINGS_ID = 'treasury';

export class DuesService {
  private readonly scope: TreasuryScope;

  constructor(private readonly ctx: ServiceContext) {
    this.scope = new TreasuryScope(ctx.scopes);
  }

  /** Every live fee type, by name (`treasury.read`). */
  async feeTypes(): Promise<FeeType[]> {
    this.ctx.access.require('treasury.read');
    return (await feeTypeRows(this.ctx.db)).map(rowToFeeType);
  }

  /** Creates (no `id`) or changes a fee type (`treasury.write`). Audited `dues.feeTypeSave`. Returns its id. */
  async saveFeeType(input: FeeTypeInput & { id?: string | undefined }): Promise<string> {
    this.ctx.access.require('treasury.write');
    return this.ctx.db.transaction(async (trx) => {
      const row = { name: input.name, amounts: JSON.stringify(input.amounts), period: input.period };
      let id = input.id;
      if (id) {
        if (!(await feeTypeById(trx, id))) throw new AppError('NOT_FOUND', 'Type de cotisation introuvable.');
        await this.ctx.mutator.with(trx).update('fee_types', id, row);
      } else {
        [id] = await this.ctx.mutator.with(trx).insert('fee_types', [row]);
      }
      await this.ctx.audit({ action: 'dues.feeTypeSave', targetType: 'fee_type', targetId: id!, details: { name: input.name, period: input.period, categories: Object.keys(input.amounts) } }, trx);
      return id!;
    });
  }

  /** Removes a fee type (a tombstone; its payments stay, named by it). `treasury.write`; audited. */
  async deleteFeeType(id: string): Promise<void> {
    this.ctx.access.require('treasury.write');
    await this.ctx.db.transaction(async (trx) => {
      const fee = await feeTypeById(trx, id);
      if (!fee) throw new AppError('NOT_FOUND', 'Type de cotisation introuvable.');
      await this.ctx.mutator.with(trx).tombstone('fee_types', id);
      await this.ctx.audit({ action: 'dues.feeTypeDelete', targetType: 'fee_type', targetId: id, details: { name: fee.name } }, trx);
    });
  }

  /**
   * Records a payment (`treasury.write`, and the person must be visible). Its period: that of an unfinished partial
   * payment of the same fee (the payments then add up), else from `coversFrom`, else from the day after the
   * person's current end for this fee or, after a lapse, from the payment day (./duesRules.ts). Amount and details
   * are sealed. Returns the payment id and the person's status afterwards. Audited `dues.pay` (no amount).
   * Throws FORBIDDEN, NOT_FOUND (person or fee type), VALIDATION (unknown category).
   */
  async pay(input: DuesPaymentInput, source: string | null = null, externalReceipt: string | null = null, trxIn?: Knex.Transaction): Promise<{ paymentId: string; status: DuesStatus }> {
    this.ctx.access.require('treasury.write');
    const run = async (trx: Knex.Transaction) => {
      await this.ctx.access.requirePerson(trx, input.personId);
      const fee = await feeTypeById(trx, input.feeTypeId);
      if (!fee) throw new AppError('NOT_FOUND', 'Type de cotisation introuvable.');
      const details = checkedDetails(input, fee);
      const open = input.coversFrom ? undefined : await this.openPeriod(trx, input.personId, fee.id);
      let covers: { from: string; to: string | null };
      if (open) covers = open;
      else if (input.coversFrom) covers = periodFrom(fee.period, input.coversFrom);
      else covers = periodFrom(fee.period, nextStart(input.paidOn, await this.paidUntilFor(trx, input.personId, fee.id)));
      // Sealed before the row is written: no state without its details ever reaches the change log.
      const id = uuidv7();
      const sealed = await this.scope.sealTreasury(trx, this.ctx.mutator, 'dues_payments', id, details);
      await this.ctx.mutator.with(trx).insert('dues_payments', [
        { id, person_id: input.personId, fee_type_id: fee.id, paid_on: input.paidOn, covers_from: covers.from, covers_to: covers.to, settled: 0, source, external_receipt: externalReceipt, ciphertext: sealed.ciphertext, key_wraps: sealed.key_wraps, created_by: this.ctx.user.id },
      ]);
      await this.settle(trx, input.personId, fee, covers.from);
      // Its entry in the cash book (756 Cotisations), in this transaction (docs/treasury.md « Journal et banque »).
      const payer = (await trx('people').where({ id: input.personId }).first('first_name', 'last_name')) as { first_name: string; last_name: string };
      const name = `${payer.first_name} ${payer.last_name}`.trim();
      await writePaymentEntry(this.ctx, trx, { kind: 'dues', sourceId: id, date: input.paidOn, amountCents: input.amountCents, method: input.method, label: `Cotisation ${fee.name} — ${name}`, chequeNumber: input.chequeNumber, chequeBank: input.bank, drawer: input.method === 'cheque' ? name : '' });
      await this.ctx.audit({ action: 'dues.pay', targetType: 'person', targetId: input.personId, details: { paymentId: id, feeTypeId: fee.id, coversFrom: covers.from, coversTo: covers.to, ...(source ? { source } : {}) } }, trx);
      return { paymentId: id, status: (await this.statusesIn(trx, [input.personId])).get(input.personId)! };
    };
    return trxIn ? run(trxIn) : this.ctx.db.transaction(run);
  }

  /** Cancels a payment (a tombstone; the period is re-checked). `treasury.write`; audited `dues.paymentCancel`. */
  async cancelPayment(id: string): Promise<void> {
    this.ctx.access.require('treasury.write');
    await this.ctx.db.transaction(async (trx) => {
      const row = (await trx('dues_payments').where({ id }).whereNull('deleted_at').first()) as PaymentRow | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'Paiement introuvable.');
      await this.ctx.access.requirePerson(trx, row.person_id);
      await this.ctx.mutator.with(trx).tombstone('dues_payments', id);
      await cancelPaymentEntry(this.ctx, trx, 'dues', id, today(this.ctx.clock));
      const fee = await feeTypeById(trx, row.fee_type_id, true);
      if (fee) await this.settle(trx, row.person_id, fee, row.covers_from);
      await this.ctx.audit({ action: 'dues.paymentCancel', targetType: 'person', targetId: row.person_id, details: { paymentId: id } }, trx);
    });
  }

  /** A person's payments, newest first, with their details (`treasury.read`). */
  async personPayments(personId: string): Promise<DuesPayment[]> {
    this.ctx.access.require('treasury.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const rows = (await this.ctx.db('dues_payments').where({ person_id: personId }).whereNull('deleted_at').orderBy([{ column: 'paid_on', order: 'desc' }, { column: 'created_at', order: 'desc' }])) as PaymentRow[];
    const names = new Map((await feeTypeRows(this.ctx.db, true)).map((f) => [f.id, f.name]));
    const out: DuesPayment[] = [];
    for (const r of rows) {
      out.push({
        id: r.id,
        personId: r.person_id,
        feeTypeId: r.fee_type_id,
        feeTypeName: names.get(r.fee_type_id) ?? '—',
        paidOn: r.paid_on,
        coversFrom: r.covers_from,
        coversTo: r.covers_to,
        settled: r.settled === 1,
        source: r.source,
        externalReceipt: r.external_receipt,
        details: await this.details(r),
        createdAt: r.created_at,
      });
    }
    return out;
  }

  /**
   * The dues of the people who pay them — members, and anyone with a payment or an exemption — that the user may
   * see, by name; only those of `status` when given (`people.readMembership` or `treasury.read`). No amount.
   */
  async list(status?: DuesStatus): Promise<PersonDues[]> {
    this.requireStatusReader();
    const db = this.ctx.db;
    const q = db('people').whereNull('people.deleted_at').whereNull('people.archived_at');
    if (!this.ctx.access.scopePeople(q, 'people')) return [];
    q.where((w) =>
      w
        .where('people.kinds', 'like', '%"member"%')
        .orWhereIn('people.id', db('dues_payments').whereNull('deleted_at').select('person_id'))
        .orWhereIn('people.id', db('dues_exemptions').whereNull('deleted_at').select('person_id')),
    );
    const people = (await q.orderBy('people.sort_key').select('people.id', 'first_name', 'last_name', 'email', 'phone')) as { id: string; first_name: string; last_name: string; email: string | null; phone: string | null }[];
    const facts = await this.factsOf(db, people.map((p) => p.id));
    const day = today(this.ctx.clock);
    const dueSoon = (await this.settingsIn(db)).dueSoonDays;
    const out = people.map((p) => {
      const f = facts.get(p.id)!;
      return { personId: p.id, firstName: p.first_name, lastName: p.last_name, email: p.email, phone: p.phone, status: duesStatusOn(f, day, dueSoon), paidUntil: f.paidUntil, forLife: f.forLife };
    });
    return status ? out.filter((p) => p.status === status) : out;
  }

  /** The status of each of `personIds` the user may see (people list, person page). Same access as `list`. */
  async statuses(personIds: readonly string[]): Promise<{ personId: string; status: DuesStatus; paidUntil: string | null }[]> {
    this.requireStatusReader();
    const q = this.ctx.db('people').whereIn('people.id', [...personIds]).whereNull('people.deleted_at');
    if (!this.ctx.access.scopePeople(q, 'people')) return [];
    const visible = (await q.pluck('people.id')) as string[];
    const facts = await this.factsOf(this.ctx.db, visible);
    const day = today(this.ctx.clock);
    const dueSoon = (await this.settingsIn(this.ctx.db)).dueSoonDays;
    return visible.map((id) => ({ personId: id, status: duesStatusOn(facts.get(id)!, day, dueSoon), paidUntil: facts.get(id)!.paidUntil }));
  }

  /**
   * Renews many people at once (`treasury.write`): one payment each of the fee's amount for `category` (the first
   * category when absent), same day and method. All or nothing; audited once (`dues.renew`, ids and count).
   */
  async renew(input: { personIds: string[]; feeTypeId: string; paidOn: string; method: PaymentDetails['method']; category?: string | undefined }): Promise<{ count: number }> {
    this.ctx.access.require('treasury.write');
    return this.ctx.db.transaction(async (trx) => {
      const fee = await feeTypeById(trx, input.feeTypeId);
      if (!fee) throw new AppError('NOT_FOUND', 'Type de cotisation introuvable.');
      const category = input.category ?? Object.keys(fee.amounts)[0]!;
      const amountCents = fee.amounts[category];
      if (amountCents === undefined) throw new AppError('VALIDATION', `Catégorie « ${category} » inconnue pour « ${fee.name} ».`);
      const ids: string[] = [];
      for (const personId of new Set(input.personIds)) {
        ids.push((await this.pay({ personId, feeTypeId: fee.id, paidOn: input.paidOn, amountCents, method: input.method, category }, null, null, trx)).paymentId);
      }
      await this.ctx.audit({ action: 'dues.renew', targetType: 'fee_type', targetId: fee.id, details: { count: ids.length, paymentIds: ids, paidOn: input.paidOn } }, trx);
      return { count: ids.length };
    });
  }

  /** Exempts a person from `fromDate` (open-ended), or ends their exemption (`exempt: false`). `treasury.write`; audited. */
  async setExemption(personId: string, exempt: boolean, fromDate: string, note?: string): Promise<void> {
    this.ctx.access.require('treasury.write');
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.access.requirePerson(trx, personId);
      const m = this.ctx.mutator.with(trx);
      const live = (await trx('dues_exemptions').where({ person_id: personId }).whereNull('deleted_at').pluck('id')) as string[];
      for (const id of live) await m.tombstone('dues_exemptions', id);
      if (exempt) {
        const id = uuidv7();
        const sealed = note ? await this.scope.sealTreasury(trx, this.ctx.mutator, 'dues_exemptions', id, { note }) : null;
        await m.insert('dues_exemptions', [{ id, person_id: personId, from_date: fromDate, to_date: null, ciphertext: sealed?.ciphertext ?? null, key_wraps: sealed?.key_wraps ?? null }]);
      }
      await this.ctx.audit({ action: 'dues.exempt', targetType: 'person', targetId: personId, details: { exempt, fromDate } }, trx);
    });
  }

  /** The dues settings (`treasury.read` or `people.readMembership`). */
  async settings(): Promise<DuesSettings> {
    this.requireStatusReader();
    return this.settingsIn(this.ctx.db);
  }

  /** Saves the settings (`treasury.write`); audited `dues.settings`. */
  async saveSettings(s: DuesSettings): Promise<DuesSettings> {
    this.ctx.access.require('treasury.write');
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      if (await trx('treasury_settings').where({ id: SETTINGS_ID }).first('id')) await m.update('treasury_settings', SETTINGS_ID, { due_soon_days: s.dueSoonDays, deleted_at: null });
      else await m.insert('treasury_settings', [{ id: SETTINGS_ID, due_soon_days: s.dueSoonDays }]);
      await this.ctx.audit({ action: 'dues.settings', targetType: 'association', targetId: null, details: { dueSoonDays: s.dueSoonDays } }, trx);
    });
    return this.settingsIn(this.ctx.db);
  }

  /** A payment's sealed details, null when the user cannot read them. */
  async details(r: Pick<PaymentRow, 'id' | 'ciphertext' | 'key_wraps'>): Promise<PaymentDetails | null> {
    if (!this.ctx.access.has('treasury.read')) return null;
    const opened = await this.scope.openTreasury('dues_payments', r.id, r.ciphertext, r.key_wraps);
    const parsed = paymentDetails.safeParse(opened);
    return parsed.success ? parsed.data : null;
  }

  private requireStatusReader(): void {
    this.ctx.access.requireAny('people.readMembership', 'treasury.read');
  }

  private async settingsIn(db: Db): Promise<DuesSettings> {
    const row = (await db('treasury_settings').where({ id: SETTINGS_ID }).whereNull('deleted_at').first('due_soon_days')) as { due_soon_days: number } | undefined;
    return { dueSoonDays: row?.due_soon_days ?? DEFAULT_DUE_SOON_DAYS };
  }

  /** The period of the latest unfinished (partial) payment of this fee, if any: a new payment adds up to it. */
  private async openPeriod(db: Db, personId: string, feeTypeId: string): Promise<{ from: string; to: string | null } | undefined> {
    const r = (await db('dues_payments').where({ person_id: personId, fee_type_id: feeTypeId, settled: 0 }).whereNull('deleted_at').orderBy('covers_from', 'desc').first('covers_from', 'covers_to')) as
      | { covers_from: string; covers_to: string | null }
      | undefined;
    return r ? { from: r.covers_from, to: r.covers_to } : undefined;
  }

  private async paidUntilFor(db: Db, personId: string, feeTypeId: string): Promise<string | null> {
    const r = (await db('dues_payments').where({ person_id: personId, fee_type_id: feeTypeId, settled: 1 }).whereNull('deleted_at').max({ m: 'covers_to' }).first()) as { m: string | null } | undefined;
    return r?.m ?? null;
  }

  /**
   * Marks the payments of (person, fee, period) settled when their amounts add up to the fee's amount for their
   * category (the first payment's category, else the fee's first), unsettled otherwise. Needs the treasury key:
   * payments the writer cannot open count for nothing.
   */
  private async settle(trx: Knex.Transaction, personId: string, fee: FeeType, coversFrom: string): Promise<void> {
    const rows = (await trx('dues_payments').where({ person_id: personId, fee_type_id: fee.id, covers_from: coversFrom }).whereNull('deleted_at').orderBy('created_at')) as PaymentRow[];
    let sum = 0;
    let category: string | undefined;
    for (const r of rows) {
      const d = await this.details(r);
      if (!d) continue;
      sum += d.amountCents;
      category ??= d.category;
    }
    const due = fee.amounts[category ?? ''] ?? Object.values(fee.amounts)[0] ?? 0;
    const settled = rows.length > 0 && sum >= due ? 1 : 0;
    for (const r of rows) if (r.settled !== settled) await this.ctx.mutator.with(trx).update('dues_payments', r.id, { settled });
  }

  private async statusesIn(db: Db, personIds: string[]): Promise<Map<string, DuesStatus>> {
    const facts = await this.factsOf(db, personIds);
    const day = today(this.ctx.clock);
    const dueSoon = (await this.settingsIn(db)).dueSoonDays;
    return new Map(personIds.map((id) => [id, duesStatusOn(facts.get(id)!, day, dueSoon)]));
  }

  /** Status facts of each person: latest settled end, one-off fee paid, exemption covering today. */
  private async factsOf(db: Db, personIds: readonly string[]): Promise<Map<string, StatusFacts>> {
    const out = new Map<string, StatusFacts>(personIds.map((id) => [id, { paidUntil: null, forLife: false, exempt: false }]));
    const day = today(this.ctx.clock);
    for (let i = 0; i < personIds.length; i += 500) {
      const part = personIds.slice(i, i + 500);
      const paid = (await db('dues_payments').whereIn('person_id', part).where({ settled: 1 }).whereNull('deleted_at').select('person_id', 'covers_to')) as { person_id: string; covers_to: string | null }[];
      for (const p of paid) {
        const f = out.get(p.person_id)!;
        if (p.covers_to === null) f.forLife = true;
        else if (f.paidUntil === null || p.covers_to > f.paidUntil) f.paidUntil = p.covers_to;
      }
      const exempt = (await db('dues_exemptions').whereIn('person_id', part).whereNull('deleted_at').where('from_date', '<=', day).where((w) => w.whereNull('to_date').orWhere('to_date', '>=', day)).pluck('person_id')) as string[];
      for (const id of exempt) out.get(id)!.exempt = true;
    }
    return out;
  }
}

/** The sealed details of a payment input, checked against its fee type. */
function checkedDetails(input: DuesPaymentInput, fee: FeeType): PaymentDetails {
  if (input.category !== undefined && fee.amounts[input.category] === undefined) {
    throw new AppError('VALIDATION', `Catégorie « ${input.category} » inconnue pour « ${fee.name} » (${Object.keys(fee.amounts).join(', ')}).`);
  }
  const d: PaymentDetails = { amountCents: input.amountCents, method: input.method };
  if (input.chequeNumber) d.chequeNumber = input.chequeNumber;
  if (input.bank) d.bank = input.bank;
  if (input.note) d.note = input.note;
  d.category = input.category ?? Object.keys(fee.amounts)[0]!;
  return d;
}
