/** Channels of the cash book, the bank reconciliation and the accounting exports (docs/treasury.md « Journal et banque »). */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id, isoDate } from '../domain/common';
import { bankLine, journal, ledgerEntry, matchSuggestion, newEntry, statementError } from '../domain/ledger';

/** A statement file: 20 MiB at most. */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;
const year = z.number().int().min(1900).max(2999);
const file = z.object({ fileName: z.string(), data: bytes });
const accountTotal = z.object({ account: z.string(), label: z.string(), receiptsCents: z.number().int(), expensesCents: z.number().int() });
const counted = z.object({ count: z.number().int(), totalCents: z.number().int() });

export const ledgerChannels = channels({
  /** A journal's entries with the running balance (`year`: only that year's, the balance at its end). */
  'ledger:journal': {
    request: z.object({ journal, year: year.optional() }),
    response: z.object({ journal, items: z.array(ledgerEntry), balanceCents: z.number().int(), unreadable: z.number().int() }),
  },
  'ledger:addEntry': { request: newEntry, response: z.object({ id }) },
  /** Cancels a manual entry by a reversing entry (contre-passation) dated `date`; the entry itself stays. */
  'ledger:reverseEntry': { request: z.object({ id, date: isoDate }), response: z.object({ id }) },
  'ledger:pendingCheques': { request: z.object({}).strict(), response: z.object({ items: z.array(ledgerEntry) }) },
  'ledger:deposit': {
    request: z.object({ date: isoDate, entryIds: z.array(id).min(1).max(500) }),
    response: z.object({ id, number: z.string(), count: z.number().int(), totalCents: z.number().int() }),
  },
  'ledger:depositSlip': { request: z.object({ id }), response: z.object({ fileName: z.string(), pdf: bytes }) },
  'ledger:importStatement': {
    request: z.object({ fileName: z.string().max(255), data: bytes.refine((b) => b.byteLength <= MAX_STATEMENT_BYTES, 'relevé trop volumineux (20 Mo au plus)') }),
    response: z.object({ lines: z.number().int(), duplicates: z.number().int(), matched: z.number().int(), errors: z.array(statementError) }),
  },
  'ledger:bankLines': { request: z.object({}).strict(), response: z.object({ items: z.array(bankLine), suggestions: z.array(matchSuggestion) }) },
  'ledger:confirmMatch': { request: z.object({ lineId: id, entryId: id }), response: z.object({}) },
  'ledger:undoMatch': { request: z.object({ lineId: id }), response: z.object({}) },
  /** The FEC of a civil year: `<SIREN>FEC<AAAA1231>.txt`. */
  'ledger:exportFec': { request: z.object({ year, siren: z.string().regex(/^\d{9}$/, 'SIREN : 9 chiffres') }), response: file.extend({ entries: z.number().int() }) },
  'ledger:exportCsv': { request: z.object({ year }), response: file.extend({ entries: z.number().int() }) },
  'ledger:summary': {
    request: z.object({ year }),
    response: z.object({
      year,
      accounts: z.array(accountTotal),
      receiptsCents: z.number().int(),
      expensesCents: z.number().int(),
      dues: counted,
      gifts: counted,
      balances: z.array(z.object({ journal: z.string(), account: z.string(), balanceCents: z.number().int() })),
    }),
  },
});
