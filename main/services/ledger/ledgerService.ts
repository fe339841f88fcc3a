/**
 * The cash book (docs/treasury.md « Journal et banque »): the journals of cash (530), bank (512) and cheques to deposit
 * (5112) with their running balance, the receipts and expenses the treasurer types with an account, and cheque
 * deposits (remise de chèques: the cheques waiting in 5112 move to 512 in one entry, with its slip as a PDF).
 * Permissions: `treasury.read` to read, `treasury.write` to write. Every write and every slip printed is audited.
 */
import { AppError } from '../../../shared/domain/errors';
import { accountLabelOf, JOURNAL_INFO, newEntry, type Journal, type LedgerEntry, type NewEntry } from '../../../shared/domain/ledger';
import type { ServiceContext } from '../context';
import { depositSlipPdf } from './depositSlip';
import { BANK_LINES, ENTRIES, insertEntry, movementOn, openEntries } from './ledgerStore';

/** One journal as the treasurer reads it: its entries with the running balance, the final balance, rows not readable. */
export interface JournalView {
  journal: Journal;
  items: LedgerEntry[];
  balanceCents: number;
  unreadable: number;
}

export class LedgerService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * A journal's entries from the start (the running balance needs them all), `year` filtering what is shown; the
   * balance is the one at the end of `year` (or now). `direction` and `amountCents` are as seen from this journal.
   */
  async journal(journal: Journal, year?: number): Promise<JournalView> {
    this.ctx.access.require('treasury.read');
    const { entries, unreadable } = await openEntries(this.ctx);
    const reversed = new Set(entries.filter((e) => e.source === 'manual' && e.sourceId !== null).map((e) => e.sourceId!));
    const reconciled = new Set((await this.ctx.db(BANK_LINES).whereNull('deleted_at').whereNotNull('entry_id').pluck('entry_id')) as string[]);
    const items: LedgerEntry[] = [];
    let balance = 0;
    for (const e of entries) {
      const move = movementOn(journal, e);
      if (move === 0) continue;
      if (year !== undefined && e.date > `${year}-12-31`) break;
      balance += move;
      if (year !== undefined && !e.date.startsWith(`${year}-`)) continue;
      items.push({
        id: e.id,
        journal: e.journal,
        date: e.date,
        source: e.source,
        sourceId: e.sourceId,
        direction: move > 0 ? 'receipt' : 'expense',
        amountCents: Math.abs(move),
        account: e.journal === journal ? e.account : JOURNAL_INFO[e.journal].account,
        accountLabel: e.journal === journal ? e.accountLabel : JOURNAL_INFO[e.journal].label,
        label: e.label,
        pieceRef: e.pieceRef,
        chequeNumber: e.chequeNumber,
        chequeBank: e.chequeBank,
        drawer: e.drawer,
        depositId: e.depositId,
        reconciled: reconciled.has(e.id),
        reversed: reversed.has(e.id),
        createdAt: e.createdAt,
        balanceCents: balance,
      });
    }
    return { journal, items, balanceCents: balance, unreadable };
  }

  /**
   * Records a receipt or an expense typed by the treasurer. `account` is the counterpart (e.g. 6064 for office
   * supplies); it may not be the journal's own account. Throws FORBIDDEN, VALIDATION (French, naming the field).
   */
  async add(input: NewEntry): Promise<{ id: string }> {
    this.ctx.access.require('treasury.write');
    const parsed = newEntry.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('VALIDATION', `Écriture refusée : ${issue.path.join('.') || 'saisie'} — ${issue.message}.`);
    }
    const e = parsed.data;
    if (e.account === JOURNAL_INFO[e.journal].account) throw new AppError('VALIDATION', `Écriture refusée : le compte ${e.account} est celui du journal lui-même ; choisissez le compte de la recette ou de la dépense.`);
    return this.ctx.db.transaction(async (trx) => {
      const id = await insertEntry(this.ctx, trx, {
        journal: e.journal,
        date: e.date,
        source: 'manual',
        sourceId: null,
        fields: {
          amountCents: e.amountCents,
          direction: e.direction,
          account: e.account,
          accountLabel: accountLabelOf(e.account) || `Compte ${e.account}`,
          label: e.label,
          pieceRef: e.pieceRef ?? '',
          chequeNumber: e.chequeNumber ?? '',
          chequeBank: e.chequeBank ?? '',
          drawer: e.drawer ?? '',
        },
      });
      await this.ctx.audit({ action: 'ledger.entryAdd', targetType: 'ledger_entry', targetId: id, details: { journal: e.journal } }, trx);
      return { id };
    });
  }

  /**
   * Cancels manual entry `id` by a reversing entry (contre-passation) dated `date`: same journal and account, the other
   * direction, label « Annulation : … », its `sourceId` naming the entry (so it is reversed once). Entries are never
   * deleted (the trail of the books stays whole). Dues and gifts are cancelled through their own screens.
   * Throws FORBIDDEN, NOT_FOUND, VALIDATION (not manual, a reversal itself, already reversed).
   */
  async reverse(id: string, date: string): Promise<{ id: string }> {
    this.ctx.access.require('treasury.write');
    const [e] = (await openEntries(this.ctx, { ids: [id] })).entries;
    if (!e) throw new AppError('NOT_FOUND', 'Écriture introuvable.');
    if (e.source !== 'manual' || e.sourceId !== null) throw new AppError('VALIDATION', 'Seule une écriture saisie à la main peut être contre-passée ici (une cotisation ou un don s’annule depuis son onglet).');
    if (date < e.date) throw new AppError('VALIDATION', 'La contre-passation ne peut pas précéder l’écriture qu’elle annule.');
    return this.ctx.db.transaction(async (trx) => {
      if (await trx(ENTRIES).where({ source: 'manual', source_id: id }).whereNull('deleted_at').first('id')) throw new AppError('VALIDATION', 'Cette écriture est déjà contre-passée.');
      const rid = await insertEntry(this.ctx, trx, {
        journal: e.journal,
        date,
        source: 'manual',
        sourceId: id,
        fields: { amountCents: e.amountCents, direction: e.direction === 'receipt' ? 'expense' : 'receipt', account: e.account, accountLabel: e.accountLabel, label: `Annulation : ${e.label}`.slice(0, 200), pieceRef: e.pieceRef, chequeNumber: e.chequeNumber, chequeBank: e.chequeBank, drawer: e.drawer },
      });
      await this.ctx.audit({ action: 'ledger.entryReverse', targetType: 'ledger_entry', targetId: id, details: { reversal: rid } }, trx);
      return { id: rid };
    });
  }

  /** The cheques received and not yet deposited (journal 5112, no deposit), oldest first. */
  async pendingCheques(): Promise<LedgerEntry[]> {
    const view = await this.journal('cheques');
    return view.items.filter((e) => e.journal === 'cheques' && e.direction === 'receipt' && e.depositId === null);
  }

  /**
   * Deposits cheques at the bank: one entry in the bank journal (debit 512, credit 5112) for their total, each cheque
   * marked with it. `entryIds`: cheques waiting in 5112 (any other id is refused, nothing written). Returns the
   * deposit's entry id, its number (« REM-AAAAMMJJ-xxxx », printed on the slip and the bank's line), count and total.
   */
  async deposit(date: string, entryIds: readonly string[]): Promise<{ id: string; number: string; count: number; totalCents: number }> {
    this.ctx.access.require('treasury.write');
    if (entryIds.length === 0) throw new AppError('VALIDATION', 'Remise refusée : aucun chèque choisi.');
    const waiting = new Map((await this.pendingCheques()).map((e) => [e.id, e]));
    const missing = entryIds.filter((id) => !waiting.has(id));
    if (missing.length > 0) throw new AppError('VALIDATION', `Remise refusée : ${missing.length} chèque(s) ne sont pas en attente de remise (déjà remis, ou inconnus). Rien n’a été enregistré.`);
    const cheques = entryIds.map((id) => waiting.get(id)!);
    const total = cheques.reduce((s, c) => s + c.amountCents, 0);
    return this.ctx.db.transaction(async (trx) => {
      const count = ((await trx(ENTRIES).where({ source: 'deposit' }).count({ n: '*' })) as { n: number }[])[0]!.n;
      const number = `REM-${date.replaceAll('-', '')}-${String(Number(count) + 1).padStart(3, '0')}`;
      const id = await insertEntry(this.ctx, trx, {
        journal: 'bank',
        date,
        source: 'deposit',
        sourceId: null,
        fields: { amountCents: total, direction: 'receipt', account: JOURNAL_INFO.cheques.account, accountLabel: JOURNAL_INFO.cheques.label, label: `Remise de chèques ${number} (${cheques.length})`, pieceRef: number, chequeNumber: '', chequeBank: '', drawer: '' },
      });
      const mutator = this.ctx.mutator.with(trx);
      for (const c of cheques) await mutator.update(ENTRIES, c.id, { deposit_id: id });
      await this.ctx.audit({ action: 'ledger.deposit', targetType: 'ledger_entry', targetId: id, details: { count: cheques.length } }, trx);
      return { id, number, count: cheques.length, totalCents: total };
    });
  }

  /** The deposit slip's PDF (bordereau de remise de chèques) of deposit `id`; printing is audited. */
  async depositSlip(id: string, associationName: string, accountLabel = ''): Promise<{ fileName: string; pdf: Uint8Array }> {
    this.ctx.access.require('treasury.read');
    const [deposit] = (await openEntries(this.ctx, { ids: [id] })).entries;
    if (!deposit || deposit.source !== 'deposit') throw new AppError('NOT_FOUND', 'Remise de chèques introuvable.');
    const ids = (await this.ctx.db(ENTRIES).where({ deposit_id: id }).whereNull('deleted_at').pluck('id')) as string[];
    const cheques = (await openEntries(this.ctx, { ids })).entries;
    const pdf = await depositSlipPdf({ associationName, accountLabel, number: deposit.pieceRef, date: deposit.date, cheques });
    await this.ctx.audit({ action: 'ledger.depositPrint', targetType: 'ledger_entry', targetId: id });
    return { fileName: `bordereau-${deposit.pieceRef}.pdf`, pdf };
  }
}
