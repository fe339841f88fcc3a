/**
 * Reading and writing the journal's rows (migration 0120): the clear columns plus the fields sealed for the treasury
 * holders (main/services/treasury/treasuryScope.ts). Shared by the ledger, bank and export services and by the dues
 * and gifts services, which write a payment's entry in their own transaction (`writePaymentEntry`).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { accountLabelOf, DUES_ACCOUNT, GIFTS_ACCOUNT, JOURNAL_INFO, journalOfMethod, type Direction, type EntrySource, type Journal, type PaymentMethod } from '../../../shared/domain/ledger';
import type { ServiceContext } from '../context';
import { TREASURY_SCOPE, TreasuryScope } from '../treasury/treasuryScope';

export const ENTRIES = 'ledger_entries';
export const BANK_LINES = 'bank_lines';

/** The sealed part of an entry. `amountCents` > 0; `direction` is the treasury account's side. */
export interface EntryFields {
  amountCents: number;
  direction: Direction;
  account: string;
  accountLabel: string;
  label: string;
  pieceRef: string;
  chequeNumber: string;
  chequeBank: string;
  drawer: string;
}

/** An entry with its sealed fields opened. */
export interface OpenEntry extends EntryFields {
  id: string;
  journal: Journal;
  date: string;
  source: EntrySource;
  sourceId: string | null;
  depositId: string | null;
  createdAt: string;
}

interface EntryRow {
  id: string;
  journal: Journal;
  entry_date: string;
  source: EntrySource;
  source_id: string | null;
  deposit_id: string | null;
  created_at: string;
  ciphertext: string | null;
  key_wraps: string | null;
}

/** The journal's entries this user can open (`year`: only that civil year), by date then creation; unreadable counted. */
export async function openEntries(ctx: ServiceContext, filter: { year?: number | undefined; ids?: readonly string[] } = {}, db: Knex | Knex.Transaction = ctx.db): Promise<{ entries: OpenEntry[]; unreadable: number }> {
  const q = db(ENTRIES).whereNull('deleted_at');
  if (filter.year !== undefined) q.whereBetween('entry_date', [`${filter.year}-01-01`, `${filter.year}-12-31`]);
  if (filter.ids) q.whereIn('id', [...filter.ids]);
  const rows = (await q.orderBy([{ column: 'entry_date' }, { column: 'created_at' }, { column: 'id' }])) as EntryRow[];
  const scope = new TreasuryScope(ctx.scopes);
  const entries: OpenEntry[] = [];
  let unreadable = 0;
  for (const r of rows) {
    const f = await scope.openTreasury<Partial<EntryFields>>(ENTRIES, r.id, r.ciphertext, r.key_wraps);
    if (!f || typeof f.amountCents !== 'number') {
      unreadable++;
      continue;
    }
    entries.push({
      id: r.id,
      journal: r.journal,
      date: r.entry_date,
      source: r.source,
      sourceId: r.source_id,
      depositId: r.deposit_id,
      createdAt: r.created_at,
      amountCents: f.amountCents,
      direction: f.direction === 'expense' ? 'expense' : 'receipt',
      account: String(f.account ?? ''),
      accountLabel: String(f.accountLabel ?? ''),
      label: String(f.label ?? ''),
      pieceRef: String(f.pieceRef ?? ''),
      chequeNumber: String(f.chequeNumber ?? ''),
      chequeBank: String(f.chequeBank ?? ''),
      drawer: String(f.drawer ?? ''),
    });
  }
  return { entries, unreadable };
}

/** Writes one entry inside `trx` (sealed for the treasury holders). Returns its id. */
export async function insertEntry(ctx: ServiceContext, trx: Knex.Transaction, e: { journal: Journal; date: string; source: EntrySource; sourceId: string | null; fields: EntryFields }): Promise<string> {
  const id = uuidv7();
  const mutator = ctx.mutator.with(trx);
  const sealed = await new TreasuryScope(ctx.scopes).sealTreasury(trx, mutator, ENTRIES, id, { ...e.fields });
  await mutator.insert(ENTRIES, [{ id, scope_id: TREASURY_SCOPE, journal: e.journal, entry_date: e.date, source: e.source, source_id: e.sourceId, deposit_id: null, created_by: ctx.user.id, ...sealed }]);
  return id;
}

/** What the dues and gifts services pass when a payment or gift is recorded. Amount in cents (> 0). */
export interface PaymentForJournal {
  kind: 'dues' | 'gift';
  /** The payment's or the gift's id (one entry per source: a second call for the same id does nothing). */
  sourceId: string;
  date: string;
  amountCents: number;
  method: PaymentMethod;
  /** The entry's label, e.g. « Cotisation 2026 — Marie Dupont » (sealed like the amount). */
  label: string;
  chequeNumber?: string | null | undefined;
  chequeBank?: string | null | undefined;
  drawer?: string | null | undefined;
}

/**
 * The balanced entry of a dues payment (756 Cotisations) or a gift (7541 Dons manuels), règlement ANC n° 2018-06,
 * debiting the treasury account of the payment's method (cash 530, cheque 5112 until deposited, otherwise bank 512).
 * Call it inside the transaction that writes the payment or the gift, after the row. Returns the entry id (the
 * existing one if that source already has an entry).
 */
export async function writePaymentEntry(ctx: ServiceContext, trx: Knex.Transaction, p: PaymentForJournal): Promise<string> {
  const existing = (await trx(ENTRIES).where({ source: p.kind, source_id: p.sourceId }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
  if (existing) return existing.id;
  const account = p.kind === 'dues' ? DUES_ACCOUNT : GIFTS_ACCOUNT;
  return insertEntry(ctx, trx, {
    journal: journalOfMethod(p.method),
    date: p.date,
    source: p.kind,
    sourceId: p.sourceId,
    fields: {
      amountCents: p.amountCents,
      direction: 'receipt',
      account,
      accountLabel: accountLabelOf(account),
      label: p.label,
      pieceRef: '',
      chequeNumber: p.chequeNumber ?? '',
      chequeBank: p.chequeBank ?? '',
      drawer: p.drawer ?? '',
    },
  });
}

/**
 * Cancels the entry of a payment or gift that was cancelled (its source row tombstoned): the entry is tombstoned too,
 * unless it is already deposited or reconciled, in which case a reversing entry (contre-passation) is written on the
 * same accounts. Returns what was done, or null when the source had no entry.
 */
export async function cancelPaymentEntry(ctx: ServiceContext, trx: Knex.Transaction, kind: 'dues' | 'gift', sourceId: string, date: string): Promise<'removed' | 'reversed' | null> {
  const row = (await trx(ENTRIES).where({ source: kind, source_id: sourceId }).whereNull('deleted_at').first('id', 'deposit_id')) as { id: string; deposit_id: string | null } | undefined;
  if (!row) return null;
  const reconciled = await trx(BANK_LINES).where({ entry_id: row.id }).whereNull('deleted_at').first('id');
  if (!row.deposit_id && !reconciled) {
    await ctx.mutator.with(trx).tombstone(ENTRIES, row.id);
    return 'removed';
  }
  const [e] = (await openEntries(ctx, { ids: [row.id] }, trx)).entries;
  if (!e) return null;
  await insertEntry(ctx, trx, {
    journal: e.journal === 'cheques' ? 'bank' : e.journal,
    date,
    source: 'manual',
    sourceId: null,
    fields: { amountCents: e.amountCents, direction: 'expense', account: e.account, accountLabel: e.accountLabel, label: `Annulation : ${e.label}`, pieceRef: e.pieceRef, chequeNumber: '', chequeBank: '', drawer: '' },
  });
  return 'reversed';
}

/** The treasury account of an entry's journal (530, 512, 5112). */
export const treasuryAccount = (j: Journal): string => JOURNAL_INFO[j].account;

/**
 * The movement of `e` on the account of journal `j`, signed (money in > 0): its own journal's line (receipt → debit),
 * or the counterpart line when `e` is written in another journal against `j`'s account (a deposit credits 5112, a
 * cash deposit at the bank credits 530). 0 when `e` does not touch `j`'s account.
 */
export function movementOn(j: Journal, e: Pick<OpenEntry, 'journal' | 'account' | 'direction' | 'amountCents'>): number {
  const sign = e.direction === 'receipt' ? 1 : -1;
  if (e.journal === j) return sign * e.amountCents;
  if (e.account === JOURNAL_INFO[j].account) return -sign * e.amountCents;
  return 0;
}
