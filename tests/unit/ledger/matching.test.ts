/** Reconciliation suggestions (main/services/ledger/matching.ts): amount and sign, date window, cheque number, label. */
import { describe, expect, it } from 'vitest';
import { scoreMatch, suggestMatches, type EntryToMatch, type LineToMatch } from '../../../main/services/ledger/matching';

const line = (id: string, date: string, amountCents: number, label = '', chequeNumber = ''): LineToMatch => ({ id, date, amountCents, label, chequeNumber });
const entry = (id: string, date: string, amountCents: number, label = '', chequeNumber = ''): EntryToMatch => ({ id, date, amountCents, label, chequeNumber });

describe('matching suggestions', () => {
  it('needs the same amount and sign, within the date window', () => {
    expect(scoreMatch(line('l', '2026-11-03', 4500), entry('e', '2026-11-03', 4501))).toBeNull();
    expect(scoreMatch(line('l', '2026-11-03', 4500), entry('e', '2026-11-03', -4500))).toBeNull();
    expect(scoreMatch(line('l', '2026-11-30', 4500), entry('e', '2026-11-03', 4500))).toBeNull();
    expect(scoreMatch(line('l', '2026-11-03', 4500), entry('e', '2026-11-03', 4500))).toEqual({ score: 75, reasons: ['même montant', 'même date'] });
  });

  it('a closer date, the cheque number and shared label words rank higher', () => {
    const l = line('l', '2026-11-10', -12050, 'CHEQUE 1234567 PAPETERIE DURAND', '1234567');
    const s = suggestMatches(
      [l],
      [entry('a-far', '2026-11-01', -12050, 'Fournitures'), entry('b-cheque', '2026-11-08', -12050, 'Papeterie Durand', '01234567'), entry('c-near', '2026-11-10', -12050, 'Autre')],
    );
    expect(s.map((x) => x.entryId)).toEqual(['b-cheque', 'c-near', 'a-far']);
    expect(s[0]!.reasons).toEqual(['même montant', '2 jours d’écart', 'chèque n° 01234567', 'libellé : papeterie, durand']);
    expect(s[0]!.score).toBeLessThanOrEqual(100);
  });

  it('each line gets its own candidates, at most perLine', () => {
    const entries = [1, 2, 3, 4].map((i) => entry(`e${i}`, `2026-11-0${i}`, 1000));
    const s = suggestMatches([line('x', '2026-11-02', 1000), line('y', '2026-11-02', 2000)], entries, 2);
    expect(s.map((m) => [m.lineId, m.entryId])).toEqual([
      ['x', 'e2'],
      ['x', 'e1'],
    ]);
  });
});
