/**
 * Dues payments and gifts write their journal entry in the same transaction as their row (docs/treasury.md « Journal
 * et banque »): a gift of money on 7541 in the journal of its method, none for a gift in kind, none twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordImportedGifts } from '../../main/services/treasury/importedGifts';
import { newTestCore, type TestCore } from '../helpers/core';

describe('gifts and dues in the journal', () => {
  let t: TestCore;
  let person: string;
  beforeAll(async () => {
    t = await newTestCore();
    person = (await t.call('people:create', { person: { firstName: 'Aminata', lastName: 'Koné', kinds: ['member'] } })).id;
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('a gift of money writes 7541 in the journal of its method; a gift in kind writes nothing', async () => {
    const cheque = await t.call('gifts:add', { personId: person, amountCents: 12000, givenOn: '2026-04-02', method: 'cheque' });
    await t.call('gifts:add', { personId: person, amountCents: 5000, givenOn: '2026-04-03', method: 'cash' });
    await t.call('gifts:add', { personId: person, amountCents: 90000, givenOn: '2026-04-04', method: 'transfer', nature: 'securities' });
    const cheques = await t.call('ledger:journal', { journal: 'cheques' });
    expect(cheques.items.map((e) => [e.source, e.sourceId, e.account, e.amountCents, e.label])).toEqual([['gift', cheque.id, '7541', 12000, 'Don — Aminata Koné']]);
    const cash = await t.call('ledger:journal', { journal: 'cash' });
    expect(cash.items.map((e) => [e.account, e.amountCents])).toEqual([['7541', 5000]]);
    expect((await t.call('ledger:journal', { journal: 'bank' })).items).toEqual([]);
    const summary = await t.call('ledger:summary', { year: 2026 });
    expect(summary.gifts).toEqual({ count: 2, totalCents: 17000 });
  });

  it('a dues payment writes 756 (cheque: in 5112 with its number, bank and drawer); cancelling removes it, or reverses it once deposited', async () => {
    const fee = (await t.call('dues:saveFeeType', { name: 'Adhésion annuelle', amounts: { 'Plein tarif': 2500 }, period: 'year' })).id;
    const first = await t.call('dues:pay', { personId: person, feeTypeId: fee, paidOn: '2026-05-02', amountCents: 2500, method: 'cheque', chequeNumber: '7654321', bank: 'Banque Populaire' });
    const pending = (await t.call('ledger:pendingCheques', {})).items.find((e) => e.sourceId === first.paymentId)!;
    expect([pending.account, pending.accountLabel, pending.amountCents, pending.label, pending.chequeNumber, pending.chequeBank, pending.drawer]).toEqual(['756', 'Cotisations', 2500, 'Cotisation Adhésion annuelle — Aminata Koné', '7654321', 'Banque Populaire', 'Aminata Koné']);
    await t.call('dues:cancelPayment', { id: first.paymentId });
    expect((await t.call('ledger:pendingCheques', {})).items.some((e) => e.sourceId === first.paymentId)).toBe(false);

    const second = await t.call('dues:pay', { personId: person, feeTypeId: fee, paidOn: '2026-05-03', amountCents: 2500, method: 'cheque', chequeNumber: '7654322' });
    const cheque = (await t.call('ledger:pendingCheques', {})).items.find((e) => e.sourceId === second.paymentId)!;
    await t.call('ledger:deposit', { date: '2026-05-05', entryIds: [cheque.id] });
    const before = (await t.call('ledger:journal', { journal: 'bank' })).balanceCents;
    await t.call('dues:cancelPayment', { id: second.paymentId });
    const bank = await t.call('ledger:journal', { journal: 'bank' });
    expect(bank.balanceCents).toBe(before - 2500);
    expect(bank.items.at(-1)).toMatchObject({ direction: 'expense', account: '756', label: 'Annulation : Cotisation Adhésion annuelle — Aminata Koné' });
  });

  it('HelloAsso gifts imported land once in the bank journal (512), even when the export is imported again', async () => {
    const s = t.core.session()!;
    const headers = ['Référence commande', 'Statut du paiement', 'Type', 'Campagne', 'Reçu fiscal', 'Nom', 'Prénom'];
    const lines = () => [{ line: 2, personId: person, payment: { amountCents: 4200, date: '2026-07-01' }, cells: ['H900', 'Payé', 'Don', 'Dons 2026', 'Non', 'Koné', 'Aminata'] }];
    await s.ctx.db.transaction((trx) => recordImportedGifts(trx, s.ctx, headers, lines()));
    await s.ctx.db.transaction((trx) => recordImportedGifts(trx, s.ctx, headers, lines()));
    const bank = (await t.call('ledger:journal', { journal: 'bank' })).items.filter((e) => e.source === 'gift');
    expect(bank.map((e) => [e.date, e.account, e.amountCents])).toEqual([['2026-07-01', '7541', 4200]]);
  });
});
