/**
 * The cash book and the bank (journal de trésorerie, docs/treasury.md « Journal et banque »): the three treasury
 * journals, the part of the associations' chart of accounts (plan comptable des associations, règlement ANC
 * n° 2018-06, homologué par arrêté du 26 décembre 2018) the treasurer uses, and the shapes of entries, bank statement
 * lines and reconciliation suggestions. Amounts are integer cents (never floats).
 */
import { z } from 'zod';
import { id, isoDate } from './common';

/** The treasury journals: cash (caisse, 530), bank (banque, 512), cheques to deposit (chèques à encaisser, 5112). */
export const JOURNALS = ['cash', 'bank', 'cheques'] as const;
export const journal = z.enum(JOURNALS);
export type Journal = z.infer<typeof journal>;

/** Per journal: its FEC code (JournalCode), its French name (JournalLib) and the treasury account it moves. */
export const JOURNAL_INFO: Record<Journal, { code: string; label: string; account: string }> = {
  cash: { code: 'CA', label: 'Caisse', account: '530' },
  bank: { code: 'BQ', label: 'Banque', account: '512' },
  cheques: { code: 'CH', label: 'Chèques à encaisser', account: '5112' },
};

/**
 * Accounts of the associations' chart (règlement ANC n° 2018-06 and the plan comptable général it completes) offered
 * to the treasurer. 756 and 7541 are the accounts the regulation creates for dues and manual gifts; other accounts of
 * classes 1 to 7 can be typed with their own label (`accountLabelOf`).
 */
export const CHART: Readonly<Record<string, string>> = {
  '110': 'Report à nouveau',
  '5112': 'Chèques à encaisser',
  '512': 'Banque',
  '530': 'Caisse',
  '580': 'Virements internes',
  '6063': 'Fournitures d’entretien et de petit équipement',
  '6064': 'Fournitures administratives',
  '6068': 'Autres matières et fournitures',
  '607': 'Achats de marchandises',
  '613': 'Locations',
  '615': 'Entretien et réparations',
  '616': 'Primes d’assurance',
  '618': 'Divers (documentation, colloques)',
  '622': 'Rémunérations d’intermédiaires et honoraires',
  '623': 'Publicité, publications, relations publiques',
  '625': 'Déplacements, missions et réceptions',
  '626': 'Frais postaux et de télécommunications',
  '627': 'Services bancaires et assimilés',
  '628': 'Divers (cotisations versées)',
  '6586': 'Cotisations liées à la vie statutaire',
  '657': 'Aides financières',
  '658': 'Charges diverses de gestion courante',
  '706': 'Prestations de services',
  '707': 'Ventes de marchandises',
  '708': 'Produits des activités annexes',
  '74': 'Subventions d’exploitation',
  '7541': 'Dons manuels',
  '7542': 'Mécénats',
  '7543': 'Legs, donations et assurances-vie',
  '756': 'Cotisations',
  '758': 'Produits divers de gestion courante',
  '768': 'Autres produits financiers',
  '87': 'Contributions volontaires en nature',
};

/** The account dues payments are credited to (règlement ANC n° 2018-06, compte 756 « Cotisations »). */
export const DUES_ACCOUNT = '756';
/** The account manual gifts are credited to (règlement ANC n° 2018-06, compte 7541 « Dons manuels »). */
export const GIFTS_ACCOUNT = '7541';

/** An account number: 2 to 8 digits of classes 1 to 8 (PCG art. 933-1: the first digit is the class). */
export const accountNumber = z.string().trim().regex(/^[1-8]\d{1,7}$/, 'numéro de compte : 2 à 8 chiffres, de la classe 1 à 8 (ex. 6064)');

/** The label of `account`: the chart's, else the nearest shorter account of the chart (6064x → 6064), else ''. */
export function accountLabelOf(account: string): string {
  for (let n = account.length; n >= 2; n--) {
    const label = CHART[account.slice(0, n)];
    if (label) return label;
  }
  return '';
}

/** How a payment came in (the dues and gifts' methods, issue 10 §1). */
export type PaymentMethod = 'cash' | 'cheque' | 'transfer' | 'card' | 'direct_debit' | 'helloasso';

/** The journal a payment of `method` goes to: cash → 530, cheque → 5112 (until deposited), any other → 512. */
export function journalOfMethod(method: PaymentMethod): Journal {
  if (method === 'cash') return 'cash';
  if (method === 'cheque') return 'cheques';
  return 'bank';
}

/** Where an entry comes from: typed by the treasurer, a dues payment, a gift, a cheque deposit. */
export const entrySource = z.enum(['manual', 'dues', 'gift', 'deposit']);
export type EntrySource = z.infer<typeof entrySource>;

/** `receipt`: money in (the treasury account is debited); `expense`: money out (credited). */
export const direction = z.enum(['receipt', 'expense']);
export type Direction = z.infer<typeof direction>;

const cents = z.number().int().min(1).max(100_000_000_000);
const text = (max: number) => z.string().trim().max(max);

/** What the treasurer types for a receipt or expense. `amountCents` > 0. */
export const newEntry = z.object({
  journal,
  date: isoDate,
  direction,
  amountCents: cents,
  account: accountNumber,
  label: text(200).min(1, 'libellé obligatoire'),
  pieceRef: text(40).optional(),
  chequeNumber: text(20).optional(),
  chequeBank: text(80).optional(),
  drawer: text(120).optional(),
});
export type NewEntry = z.infer<typeof newEntry>;

/** An entry as a treasury holder reads it; `balanceCents`: the journal's running balance after it. */
export const ledgerEntry = z.object({
  id,
  journal,
  date: isoDate,
  source: entrySource,
  sourceId: id.nullable(),
  direction,
  amountCents: cents,
  account: z.string(),
  accountLabel: z.string(),
  label: z.string(),
  pieceRef: z.string(),
  chequeNumber: z.string(),
  chequeBank: z.string(),
  drawer: z.string(),
  depositId: id.nullable(),
  reconciled: z.boolean(),
  /** A manual entry already cancelled by a reversing entry (whose `sourceId` is this entry's id). */
  reversed: z.boolean(),
  createdAt: z.string(),
  balanceCents: z.number().int(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

/** One line of a bank statement as parsed (amount signed: credit > 0, debit < 0). */
export const statementLine = z.object({
  date: isoDate,
  amountCents: z.number().int(),
  label: z.string(),
  chequeNumber: z.string(),
  /** The bank's own id of the transaction (OFX FITID), '' when the file gives none. */
  bankId: z.string(),
});
export type StatementLine = z.infer<typeof statementLine>;

/** A stored bank line: `entryId` is the journal entry it is reconciled with. */
export const bankLine = statementLine.extend({ id, entryId: id.nullable(), sourceName: z.string() });
export type BankLine = z.infer<typeof bankLine>;

/** A French message naming the line of the statement file that could not be read. */
export const statementError = z.object({ line: z.number().int().min(0), message: z.string() });
export type StatementError = z.infer<typeof statementError>;

/** A reconciliation suggestion: `score` 0–100, `reasons` in French (« même montant », « chèque n° … »). */
export const matchSuggestion = z.object({ lineId: id, entryId: id, score: z.number().int().min(0).max(100), reasons: z.array(z.string()) });
export type MatchSuggestion = z.infer<typeof matchSuggestion>;
