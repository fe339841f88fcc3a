/**
 * Reconciliation suggestions (rapprochement bancaire, docs/treasury.md « Rapprochement »): for each bank line not yet
 * reconciled, the bank journal's entries not yet reconciled that may be the same movement. A candidate must have the
 * same amount and sign and a date within the window; its score (0–100) then adds the closeness of the dates, the same
 * cheque number and the words the labels share. Pure: the service feeds it opened rows.
 */
import type { MatchSuggestion } from '../../../shared/domain/ledger';
import { labelWords } from './statementText';

/** Days between a journal entry and its bank line that still make a candidate (a cheque can take two weeks). */
export const DATE_WINDOW_DAYS = 15;

/** A bank line as matching needs it: `amountCents` signed (credit > 0). */
export interface LineToMatch {
  id: string;
  date: string;
  amountCents: number;
  label: string;
  chequeNumber: string;
}

/** A bank journal entry as matching needs it: `amountCents` signed (receipt > 0, expense < 0). */
export interface EntryToMatch {
  id: string;
  date: string;
  amountCents: number;
  label: string;
  chequeNumber: string;
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** The score of `entry` for `line` with its French reasons, or null when it is no candidate. */
export function scoreMatch(line: LineToMatch, entry: EntryToMatch, windowDays = DATE_WINDOW_DAYS): { score: number; reasons: string[] } | null {
  if (line.amountCents !== entry.amountCents) return null;
  const days = Math.abs(dayNumber(line.date) - dayNumber(entry.date));
  if (days > windowDays) return null;
  const reasons = ['même montant'];
  let score = 50;
  score += Math.round(25 * (1 - days / (windowDays + 1)));
  reasons.push(days === 0 ? 'même date' : `${days} jour${days > 1 ? 's' : ''} d’écart`);
  if (line.chequeNumber !== '' && entry.chequeNumber !== '' && line.chequeNumber.replace(/^0+/, '') === entry.chequeNumber.replace(/^0+/, '')) {
    score += 15;
    reasons.push(`chèque n° ${entry.chequeNumber}`);
  }
  const a = labelWords(line.label);
  const shared = [...labelWords(entry.label)].filter((w) => a.has(w));
  if (shared.length > 0) {
    score += Math.min(10, 5 * shared.length);
    reasons.push(`libellé : ${shared.slice(0, 3).join(', ')}`);
  }
  return { score: Math.min(100, score), reasons };
}

/**
 * Up to `perLine` suggestions for each line, best first (ties: the closer date, then the entry id). An entry is
 * offered to every line it fits; confirming one match removes it from the others' suggestions at the next call.
 */
export function suggestMatches(lines: readonly LineToMatch[], entries: readonly EntryToMatch[], perLine = 3): MatchSuggestion[] {
  const out: MatchSuggestion[] = [];
  for (const line of lines) {
    const found = entries
      .flatMap((e) => {
        const s = scoreMatch(line, e);
        return s ? [{ lineId: line.id, entryId: e.id, score: s.score, reasons: s.reasons }] : [];
      })
      .sort((x, y) => y.score - x.score || x.entryId.localeCompare(y.entryId));
    out.push(...found.slice(0, perLine));
  }
  return out;
}
