/** What a bank line's label tells: a cheque number, words to compare with a journal entry's label. */

/**
 * The cheque number a French bank writes in a label: « CHEQUE N 1234567 », « CHQ. 0001234 », « CHÈQUE 1234567 »,
 * « REMISE CHEQUES 0000123 » → the digits (5 to 11 of them); '' when none.
 */
export function chequeNumberIn(label: string): string {
  const m = /\b(?:CH[EÈ]QUES?|CHQ)\.?\s*(?:N(?:°|O|UM(?:ERO)?)?\.?\s*)?(\d{5,11})\b/i.exec(label);
  return m ? m[1]! : '';
}

const STOP = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'en', 'au', 'aux', 'pour', 'par', 'sur', 'vir', 'virement', 'sepa', 'recu', 'emis', 'prlv', 'cb', 'carte', 'paiement', 'ref', 'motif']);

/** The words of a label worth comparing: folded (no accents, lower case), ≥ 3 letters, common banking words removed. */
export function labelWords(label: string): Set<string> {
  const folded = label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return new Set(folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w)));
}
