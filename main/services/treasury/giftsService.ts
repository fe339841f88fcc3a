/**
 * Gifts (dons, docs/treasury.md « Dons et reçus fiscaux »): date, amount in cents, donor, form, nature and method of
 * CERFA n° 11580*05. The amount, form, nature, method and note are sealed for the treasury scope; the donor and the
 * day stay clear (the erasure and the lists need them). `treasury.write` to record, `treasury.read` to list.
 *
 * A gift belongs to the PC that recorded it (`device_id`): only that PC puts it on a receipt, unless it was revoked
 * (lost, replaced: « Postes et synchronisation »), so that two PCs offline never receipt one gift twice.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { giftInput, type Gift, type GiftForm, type GiftInput, type GiftMethod, type GiftNature } from '../../../shared/domain/gift';
import type { ServiceContext } from '../context';
import { writePaymentEntry } from '../ledger/ledgerStore';
import { localDeviceId } from './receiptNumbering';
import { TreasuryScope } from './treasuryScope';

export const GIFTS = 'gifts';

/** The sealed part of a gift. */
export interface GiftSecret {
  amountCents: number;
  form: GiftForm;
  nature: GiftNature;
  method: GiftMethod;
  note: string;
}

export interface GiftRow {
  id: string;
  person_id: string;
  given_on: string;
  device_id: string;
  receipt_id: string | null;
  source: string | null;
  external_receipt: number;
  ciphertext: string;
  key_wraps: string;
}

/** The devices whose gifts any PC may receipt: the revoked ones (main/services/sync: device_revocations). */
export async function revokedDevices(db: Knex | Knex.Transaction): Promise<Set<string>> {
  return new Set((await db('device_revocations').pluck('id')) as string[]);
}

/** True when a gift may go on a receipt issued by `deviceId` (not receipted, not receipted elsewhere, ours or orphaned). */
export function receiptable(g: GiftRow, deviceId: string, revoked: ReadonlySet<string>): boolean {
  return g.receipt_id === null && !g.external_receipt && (g.device_id === deviceId || revoked.has(g.device_id));
}

export class GiftsService {
  private readonly treasury: TreasuryScope;
  constructor(private readonly ctx: ServiceContext) {
    this.treasury = new TreasuryScope(ctx.scopes);
  }

  /**
   * Records a gift. `source` (an import's « Référence commande ») makes it idempotent: a second call with the same
   * source returns the first gift's id. `externalReceipt`: the platform issued the tax receipt (HelloAsso). `trxIn`:
   * the caller's transaction (an import), else one of its own.
   * @throws AppError FORBIDDEN (no `treasury.write`), NOT_FOUND (no such person), VALIDATION.
   */
  async add(input: GiftInput, origin: { source?: string; externalReceipt?: boolean } = {}, trxIn?: Knex.Transaction): Promise<{ id: string }> {
    this.ctx.access.require('treasury.write');
    const g = giftInput.parse(input);
    const db = trxIn ?? this.ctx.db;
    const person = (await db('people').where({ id: g.personId }).whereNull('deleted_at').first('id', 'first_name', 'last_name')) as { id: string; first_name: string; last_name: string } | undefined;
    if (!person) throw new AppError('NOT_FOUND', `Donateur introuvable (personne ${g.personId}).`);
    if (origin.source) {
      const known = (await db(GIFTS).where({ source: origin.source }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
      if (known) return known;
    }
    const id = uuidv7();
    const deviceId = await localDeviceId(db);
    const write = async (trx: Knex.Transaction) => {
      const secret: GiftSecret = { amountCents: g.amountCents, form: g.form, nature: g.nature, method: g.method, note: g.note };
      const sealed = await this.treasury.sealTreasury(trx, this.ctx.mutator.with(trx), GIFTS, id, { ...secret });
      await this.ctx.mutator.with(trx).insert(GIFTS, [
        {
          id,
          person_id: g.personId,
          given_on: g.givenOn,
          device_id: deviceId,
          receipt_id: null,
          source: origin.source ?? null,
          external_receipt: origin.externalReceipt ? 1 : 0,
          ...sealed,
          created_by: this.ctx.user.id,
        },
      ]);
      // A gift of money is a receipt of the treasury (7541 Dons manuels): its entry, in this transaction.
      if (g.nature === 'cash') await writePaymentEntry(this.ctx, trx, { kind: 'gift', sourceId: id, date: g.givenOn, amountCents: g.amountCents, method: g.method, label: `Don — ${person.first_name} ${person.last_name}`.trim() });
      await this.ctx.audit({ action: 'gift.record', targetType: 'person', targetId: g.personId, details: { giftId: id, source: origin.source ?? null } }, trx);
    };
    if (trxIn) await write(trxIn);
    else await this.ctx.db.transaction(write);
    return { id };
  }

  /** The sealed fields of a gift row, or null without the treasury key. */
  async open(r: GiftRow): Promise<GiftSecret | null> {
    return this.treasury.openTreasury<GiftSecret & Record<string, unknown>>(GIFTS, r.id, r.ciphertext, r.key_wraps);
  }

  /** Gifts of a year and/or a donor, newest first. @throws AppError FORBIDDEN (no `treasury.read`). */
  async list(q: { year?: number; personId?: string }): Promise<Gift[]> {
    this.ctx.access.require('treasury.read');
    let sql = this.ctx.db(`${GIFTS} as g`).join('people as p', 'p.id', 'g.person_id').leftJoin('tax_receipts as r', 'r.id', 'g.receipt_id').whereNull('g.deleted_at');
    if (q.year) sql = sql.where('g.given_on', '>=', `${q.year}-01-01`).where('g.given_on', '<=', `${q.year}-12-31`);
    if (q.personId) sql = sql.where('g.person_id', q.personId);
    const rows = (await sql.orderBy([{ column: 'g.given_on', order: 'desc' }, { column: 'g.id', order: 'desc' }]).select('g.*', 'p.first_name', 'p.last_name', 'r.number as receipt_number')) as (GiftRow & {
      first_name: string;
      last_name: string;
      receipt_number: string | null;
    })[];
    const deviceId = await localDeviceId(this.ctx.db);
    const revoked = await revokedDevices(this.ctx.db);
    const out: Gift[] = [];
    for (const r of rows) {
      const s = await this.open(r);
      out.push({
        id: r.id,
        personId: r.person_id,
        personName: `${r.first_name} ${r.last_name}`.trim(),
        givenOn: r.given_on,
        amountCents: s?.amountCents ?? null,
        form: s?.form ?? null,
        nature: s?.nature ?? null,
        method: s?.method ?? null,
        receiptNumber: r.receipt_number,
        externalReceipt: r.external_receipt === 1,
        receiptableHere: receiptable(r, deviceId, revoked),
      });
    }
    return out;
  }
}
