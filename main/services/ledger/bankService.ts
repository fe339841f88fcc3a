/**
 * Bank reconciliation (rapprochement bancaire, docs/treasury.md « Rapprochement »): statement lines imported from CSV
 * or OFX are stored once (a re-import, or an overlapping statement, adds nothing: each line's fingerprint — the bank's
 * FITID, else date + amount + label + rank among identical lines of the file — is compared after opening, since it is
 * sealed), matched with the bank journal's entries by suggestion, confirmed or undone by the treasurer. An import also
 * confirms the unambiguous matches (one candidate each way, same date or same cheque number). Permissions:
 * `treasury.read` to look, `treasury.write` to import and match. Imports and matches are audited.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { BankLine, MatchSuggestion, StatementError } from '../../../shared/domain/ledger';
import type { ServiceContext } from '../context';
import { TREASURY_SCOPE, TreasuryScope } from '../treasury/treasuryScope';
import { BANK_LINES, movementOn, openEntries } from './ledgerStore';
import { suggestMatches, type EntryToMatch } from './matching';
import { parseStatement } from './statementOfx';

type LineFields = {
  amountCents: number;
  label: string;
  chequeNumber: string;
  bankId: string;
  fingerprint: string;
  sourceName: string;
};

/** What an import did: lines added, lines already there, lines reconciled at once, lines refused (with why). */
export interface StatementImport {
  lines: number;
  duplicates: number;
  matched: number;
  errors: StatementError[];
}

/** An unambiguous suggestion is confirmed at import only with the same day or the same cheque number. */
const isSure = (s: MatchSuggestion) => s.reasons.some((r) => r === 'même date' || r.startsWith('chèque n°'));

const foldLabel = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

export class BankService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Every stored bank line this user can open, by date. */
  async lines(): Promise<BankLine[]> {
    this.ctx.access.require('treasury.read');
    return (await this.openLines()).map(({ fingerprint: _, ...l }) => l);
  }

  private async openLines(): Promise<(BankLine & { fingerprint: string })[]> {
    const rows = (await this.ctx.db(BANK_LINES).whereNull('deleted_at').orderBy([{ column: 'line_date' }, { column: 'created_at' }, { column: 'id' }])) as { id: string; line_date: string; entry_id: string | null; ciphertext: string | null; key_wraps: string | null }[];
    const scope = new TreasuryScope(this.ctx.scopes);
    const out: (BankLine & { fingerprint: string })[] = [];
    for (const r of rows) {
      const f = await scope.openTreasury<LineFields>(BANK_LINES, r.id, r.ciphertext, r.key_wraps);
      if (!f) continue;
      out.push({ id: r.id, date: r.line_date, amountCents: f.amountCents, label: f.label, chequeNumber: f.chequeNumber, bankId: f.bankId, entryId: r.entry_id, sourceName: f.sourceName, fingerprint: f.fingerprint });
    }
    return out;
  }

  /** The bank journal's entries (512, as signed movements) not yet reconciled with a line. */
  private async openBankEntries(): Promise<EntryToMatch[]> {
    const taken = new Set((await this.ctx.db(BANK_LINES).whereNull('deleted_at').whereNotNull('entry_id').pluck('entry_id')) as string[]);
    const { entries } = await openEntries(this.ctx);
    return entries.flatMap((e) => {
      const amountCents = movementOn('bank', e);
      return amountCents === 0 || taken.has(e.id) ? [] : [{ id: e.id, date: e.date, amountCents, label: e.label, chequeNumber: e.chequeNumber || e.pieceRef.replace(/\D/g, '') }];
    });
  }

  /** Suggestions for every line not yet reconciled (best first per line, three at most). */
  async suggestions(): Promise<MatchSuggestion[]> {
    this.ctx.access.require('treasury.read');
    const lines = (await this.lines()).filter((l) => l.entryId === null);
    return suggestMatches(lines, await this.openBankEntries());
  }

  /**
   * Imports a statement (`bytes`: CSV or OFX; `sourceName`: the file's name, kept with each line). Lines already
   * stored are skipped; bad lines come back in `errors` (French, naming the line) and the others are stored.
   * Throws FORBIDDEN, or VALIDATION when nothing in the file could be read.
   */
  async importStatement(sourceName: string, bytes: Uint8Array): Promise<StatementImport> {
    this.ctx.access.require('treasury.write');
    const parsed = parseStatement(bytes);
    if (parsed.lines.length === 0 && parsed.errors.length > 0) {
      const more = parsed.errors.length > 5 ? ` … et ${parsed.errors.length - 5} autre(s) ligne(s) refusée(s).` : '';
      throw new AppError('VALIDATION', `Relevé « ${sourceName} » non importé. ${parsed.errors.slice(0, 5).map((e) => e.message).join(' ')}${more}`);
    }
    const known = new Set((await this.openLines()).flatMap((l) => (l.bankId ? [`fitid:${l.bankId}`, l.fingerprint] : [l.fingerprint])));
    const rank = new Map<string, number>();
    const fresh: (LineFields & { date: string })[] = [];
    for (const l of parsed.lines) {
      const base = `${l.date}|${l.amountCents}|${foldLabel(l.label)}`;
      const k = (rank.get(base) ?? 0) + 1;
      rank.set(base, k);
      const fingerprint = `${base}|${k}`;
      if (known.has(l.bankId ? `fitid:${l.bankId}` : fingerprint)) continue;
      fresh.push({ date: l.date, amountCents: l.amountCents, label: l.label, chequeNumber: l.chequeNumber, bankId: l.bankId, fingerprint, sourceName });
    }
    const result = await this.ctx.db.transaction(async (trx) => {
      const mutator = this.ctx.mutator.with(trx);
      const scope = new TreasuryScope(this.ctx.scopes);
      const rows = [];
      for (const f of fresh) {
        const id = uuidv7();
        const { date, ...fields } = f;
        rows.push({ id, scope_id: TREASURY_SCOPE, line_date: date, entry_id: null, ...(await scope.sealTreasury(trx, mutator, BANK_LINES, id, { ...fields })) });
      }
      if (rows.length > 0) await mutator.insert(BANK_LINES, rows);
      await this.ctx.audit({ action: 'ledger.bankImport', targetType: 'bank_statement', targetId: null, details: { lines: rows.length, duplicates: parsed.lines.length - rows.length, errors: parsed.errors.length } }, trx);
      return rows.map((r) => r.id);
    });
    const matched = await this.autoMatch(new Set(result));
    return { lines: result.length, duplicates: parsed.lines.length - result.length, matched, errors: parsed.errors };
  }

  /** Confirms the unambiguous suggestions of the lines in `ids`; returns how many. */
  private async autoMatch(ids: ReadonlySet<string>): Promise<number> {
    const all = await this.suggestions();
    const perLine = new Map<string, MatchSuggestion[]>();
    const perEntry = new Map<string, number>();
    for (const s of all) {
      perLine.set(s.lineId, [...(perLine.get(s.lineId) ?? []), s]);
      perEntry.set(s.entryId, (perEntry.get(s.entryId) ?? 0) + 1);
    }
    const sure = [...perLine].flatMap(([lineId, list]) => (ids.has(lineId) && list.length === 1 && perEntry.get(list[0]!.entryId) === 1 && isSure(list[0]!) ? [list[0]!] : []));
    if (sure.length === 0) return 0;
    // The suggestions were computed from free lines and free entries: link them in one transaction.
    await this.ctx.db.transaction(async (trx) => {
      const mutator = this.ctx.mutator.with(trx);
      const at = this.ctx.clock.now().toISOString();
      for (const s of sure) await mutator.update(BANK_LINES, s.lineId, { entry_id: s.entryId, matched_by: this.ctx.user.id, matched_at: at });
      await this.ctx.audit(sure.map((s) => ({ action: 'ledger.matchConfirm' as const, targetType: 'bank_line', targetId: s.lineId, details: { entryId: s.entryId, automatic: true } })), trx);
    });
    return sure.length;
  }

  /**
   * Reconciles bank line `lineId` with journal entry `entryId`. Refused (VALIDATION) when the line is already
   * reconciled, the entry is already reconciled with another line, or the amounts differ; NOT_FOUND for unknown ids.
   */
  async confirm(lineId: string, entryId: string): Promise<void> {
    this.ctx.access.require('treasury.write');
    const line = (await this.lines()).find((l) => l.id === lineId);
    if (!line) throw new AppError('NOT_FOUND', 'Ligne de relevé introuvable.');
    if (line.entryId !== null) throw new AppError('VALIDATION', 'Cette ligne de relevé est déjà rapprochée : annulez d’abord ce rapprochement.');
    const [entry] = (await openEntries(this.ctx, { ids: [entryId] })).entries;
    if (!entry) throw new AppError('NOT_FOUND', 'Écriture introuvable.');
    if (movementOn('bank', entry) !== line.amountCents) throw new AppError('VALIDATION', 'Rapprochement refusé : le montant de l’écriture en banque (512) diffère de celui de la ligne du relevé.');
    if (await this.ctx.db(BANK_LINES).where({ entry_id: entryId }).whereNull('deleted_at').first('id')) throw new AppError('VALIDATION', 'Rapprochement refusé : cette écriture est déjà rapprochée d’une autre ligne du relevé.');
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update(BANK_LINES, lineId, { entry_id: entryId, matched_by: this.ctx.user.id, matched_at: this.ctx.clock.now().toISOString() });
      await this.ctx.audit({ action: 'ledger.matchConfirm', targetType: 'bank_line', targetId: lineId, details: { entryId, automatic: false } }, trx);
    });
  }

  /** Undoes the reconciliation of bank line `lineId` (the line and the entry are free again). */
  async undo(lineId: string): Promise<void> {
    this.ctx.access.require('treasury.write');
    const row = (await this.ctx.db(BANK_LINES).where({ id: lineId }).whereNull('deleted_at').first('entry_id')) as { entry_id: string | null } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Ligne de relevé introuvable.');
    if (row.entry_id === null) return;
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update(BANK_LINES, lineId, { entry_id: null, matched_by: null, matched_at: null });
      await this.ctx.audit({ action: 'ledger.matchUndo', targetType: 'bank_line', targetId: lineId, details: { entryId: row.entry_id } }, trx);
    });
  }
}
