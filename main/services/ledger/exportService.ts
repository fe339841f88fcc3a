/**
 * Exports of the cash book (docs/treasury.md « Exports »): the FEC of a civil year (art. A.47 A-1 LPF, ./fec.ts), the
 * journal as CSV (`;`, UTF-8 with BOM, amounts « 123,45 », dates jj/mm/aaaa: what French spreadsheets open as is), and
 * the yearly summary (receipts and expenses by account; dues and gifts of the year). Permission `treasury.export`;
 * each export is in the audit trail (what and which year, never an amount).
 */
import Papa from 'papaparse';
import { AppError } from '../../../shared/domain/errors';
import { typedDateOf } from '../../../shared/domain/dates';
import { centsToInput } from '../../../shared/domain/money';
import { accountLabelOf, DUES_ACCOUNT, GIFTS_ACCOUNT, JOURNAL_INFO } from '../../../shared/domain/ledger';
import type { ServiceContext } from '../context';
import { fecBytes, fecContent, fecFileName, type FecEntry } from './fec';
import { movementOn, openEntries, treasuryAccount, type OpenEntry } from './ledgerStore';

/** Receipts and expenses of one account over the year, in cents. */
export interface AccountTotal {
  account: string;
  label: string;
  receiptsCents: number;
  expensesCents: number;
}

/** The yearly summary: by account (classes 6 and 7 and any other counterpart), dues and gifts, balances at year end. */
export interface YearSummary {
  year: number;
  accounts: AccountTotal[];
  receiptsCents: number;
  expensesCents: number;
  dues: { count: number; totalCents: number };
  gifts: { count: number; totalCents: number };
  balances: { journal: string; account: string; balanceCents: number }[];
}

const checkYear = (year: number) => {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new AppError('VALIDATION', `Année invalide « ${year} » (AAAA attendu).`);
};

/** The two lines of an entry: its journal's treasury account and its counterpart, debit and credit in cents. */
function linesOf(e: OpenEntry): FecEntry['lines'] {
  const treasury = { account: treasuryAccount(e.journal), accountLabel: JOURNAL_INFO[e.journal].label };
  const other = { account: e.account, accountLabel: e.accountLabel || accountLabelOf(e.account) };
  const [debit, credit] = e.direction === 'receipt' ? [treasury, other] : [other, treasury];
  return [
    { ...debit, debitCents: e.amountCents, creditCents: 0 },
    { ...credit, debitCents: 0, creditCents: e.amountCents },
  ];
}

export class ExportService {
  constructor(private readonly ctx: ServiceContext) {}

  private async yearEntries(year: number): Promise<OpenEntry[]> {
    this.ctx.access.require('treasury.export');
    checkYear(year);
    const { entries, unreadable } = await openEntries(this.ctx, { year });
    if (unreadable > 0) throw new AppError('VALIDATION', `${unreadable} écriture(s) de ${year} ne peuvent pas être déchiffrées avec vos clés : l’export serait incomplet. Un administrateur doit vous remettre la clé de la trésorerie.`);
    return entries;
  }

  /**
   * The FEC of civil year `year` for the association's `siren` (9 digits): entries by date then creation, numbered
   * 1…n without gaps (EcritureNum), validation date = the day the entry was recorded. Returns the file name
   * `<SIREN>FEC<AAAA1231>.txt` and its ISO 8859-15 bytes. Throws FORBIDDEN, VALIDATION (SIREN, year, unreadable rows).
   */
  async fec(year: number, siren: string): Promise<{ fileName: string; data: Uint8Array; entries: number }> {
    const fileName = fecFileName(siren, `${year}-12-31`);
    const entries = await this.yearEntries(year);
    const fec: FecEntry[] = entries.map((e, i) => ({
      journalCode: JOURNAL_INFO[e.journal].code,
      journalLabel: JOURNAL_INFO[e.journal].label,
      num: String(i + 1),
      date: e.date,
      pieceRef: e.pieceRef || `${JOURNAL_INFO[e.journal].code}${i + 1}`,
      pieceDate: e.date,
      label: e.label,
      validDate: e.createdAt.slice(0, 10) < e.date ? e.date : e.createdAt.slice(0, 10),
      lines: linesOf(e),
    }));
    const data = new Uint8Array(fecBytes(fecContent(fec)));
    await this.ctx.audit({ action: 'ledger.exportFec', targetType: 'ledger', targetId: null, details: { year, entries: fec.length } });
    return { fileName, data, entries: fec.length };
  }

  /** The year's journal as CSV: one row per entry (Date, Journal, Pièce, Compte, Intitulé, Libellé, Recette, Dépense). */
  async csv(year: number): Promise<{ fileName: string; data: Uint8Array; entries: number }> {
    const entries = await this.yearEntries(year);
    const rows = entries.map((e) => [typedDateOf(e.date), JOURNAL_INFO[e.journal].label, e.pieceRef, e.account, e.accountLabel, e.label, e.direction === 'receipt' ? centsToInput(e.amountCents) : '', e.direction === 'expense' ? centsToInput(e.amountCents) : '']);
    const text = Papa.unparse({ fields: ['Date', 'Journal', 'Pièce', 'Compte', 'Intitulé du compte', 'Libellé', 'Recette', 'Dépense'], data: rows }, { delimiter: ';', newline: '\r\n' });
    await this.ctx.audit({ action: 'ledger.exportCsv', targetType: 'ledger', targetId: null, details: { year, entries: rows.length } });
    return { fileName: `journal-${year}.csv`, data: new TextEncoder().encode(`\ufeff${text}\r\n`), entries: rows.length };
  }

  /**
   * The yearly summary of `year`. Movements between treasury accounts (a deposit, cash taken to the bank) are not
   * receipts nor expenses and stay out of the account totals.
   */
  async summary(year: number): Promise<YearSummary> {
    const entries = await this.yearEntries(year);
    const treasury = new Set(Object.values(JOURNAL_INFO).map((j) => j.account));
    const byAccount = new Map<string, AccountTotal>();
    const out: YearSummary = { year, accounts: [], receiptsCents: 0, expensesCents: 0, dues: { count: 0, totalCents: 0 }, gifts: { count: 0, totalCents: 0 }, balances: [] };
    for (const e of entries) {
      if (treasury.has(e.account)) continue;
      const t = byAccount.get(e.account) ?? { account: e.account, label: e.accountLabel || accountLabelOf(e.account), receiptsCents: 0, expensesCents: 0 };
      if (e.direction === 'receipt') {
        t.receiptsCents += e.amountCents;
        out.receiptsCents += e.amountCents;
      } else {
        t.expensesCents += e.amountCents;
        out.expensesCents += e.amountCents;
      }
      byAccount.set(e.account, t);
      const kind = e.source === 'dues' || e.account === DUES_ACCOUNT ? out.dues : e.source === 'gift' || e.account === GIFTS_ACCOUNT ? out.gifts : null;
      if (kind && e.direction === 'receipt') {
        kind.count++;
        kind.totalCents += e.amountCents;
      }
    }
    out.accounts = [...byAccount.values()].sort((a, b) => a.account.localeCompare(b.account));
    const upToYearEnd = (await openEntries(this.ctx)).entries.filter((e) => e.date <= `${year}-12-31`);
    for (const j of ['cash', 'bank', 'cheques'] as const) {
      out.balances.push({ journal: JOURNAL_INFO[j].label, account: JOURNAL_INFO[j].account, balanceCents: upToYearEnd.reduce((s, e) => s + movementOn(j, e), 0) });
    }
    await this.ctx.audit({ action: 'ledger.exportSummary', targetType: 'ledger', targetId: null, details: { year } });
    return out;
  }
}
