/**
 * HelloAsso gifts (main/services/treasury/importedGifts.ts): the gift lines of an export become gifts, once even when
 * the export is imported again; a gift whose receipt HelloAsso issued is flagged and refused a second receipt here;
 * a failed payment and a dues line are left out; a line without amount gets a warning naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordImportedGifts } from '../../main/services/treasury/importedGifts';
import type { PaidLine } from '../../main/services/treasury/helloAssoLines';
import { newTestCore, type TestCore } from '../helpers/core';
import { caught } from '../helpers/access';

const HEADERS = ['Référence commande', 'Statut du paiement', 'Type', 'Campagne', 'Reçu fiscal', 'Nom', 'Prénom'];

describe('HelloAsso gifts', () => {
  let t: TestCore;
  let person: string;
  beforeAll(async () => {
    t = await newTestCore();
    person = (await t.call('people:create', { person: { firstName: 'Odile', lastName: 'Ferrand', addressLine: '3 rue Haute', postalCode: '69001', city: 'Lyon', kinds: ['member'] } })).id;
  }, 60_000);
  afterAll(async () => t.cleanup());

  const lines = (): PaidLine[] => [
    { line: 2, personId: person, payment: { amountCents: 5000, date: '2026-05-02' }, cells: ['A100', 'Payé', 'Don', 'Dons 2026', 'RF-2026-0042', 'Ferrand', 'Odile'] },
    { line: 3, personId: person, payment: { amountCents: 2500, date: '2026-06-02' }, cells: ['A101', 'Payé', 'Don', 'Dons 2026', 'Non', 'Ferrand', 'Odile'] },
    { line: 4, personId: person, payment: { amountCents: 2000, date: '2026-06-03' }, cells: ['A102', 'Payé', 'Adhésion', 'Adhésion 2026', '', 'Ferrand', 'Odile'] },
    { line: 5, personId: person, payment: { amountCents: 9900, date: '2026-06-04' }, cells: ['A103', 'Refusé', 'Don', 'Dons 2026', '', 'Ferrand', 'Odile'] },
    { line: 6, personId: person, payment: { amountCents: null, date: '2026-06-05' }, cells: ['A104', 'Payé', 'Don', 'Dons 2026', '', 'Ferrand', 'Odile'] },
  ];

  it('records the gifts once, flags HelloAsso’s receipts, warns about a line without amount', async () => {
    const s = t.core.session()!;
    const first = await s.ctx.db.transaction((trx) => recordImportedGifts(trx, s.ctx, HEADERS, lines()));
    expect(first.gifts).toBe(2);
    expect(first.warnings).toEqual([{ line: 6, field: 'amount', message: expect.stringContaining('montant ou date') }]);
    const again = await s.ctx.db.transaction((trx) => recordImportedGifts(trx, s.ctx, HEADERS, lines()));
    expect(again.gifts).toBe(0);
    const gifts = (await t.call('gifts:list', { personId: person })).items;
    expect(gifts.map((g) => [g.amountCents, g.externalReceipt, g.method]).sort()).toEqual([
      [2500, false, 'card'],
      [5000, true, 'card'],
    ]);
    const receipted = gifts.find((g) => g.externalReceipt)!;
    expect(receipted.receiptableHere).toBe(false);
    await t.call('receipts:saveSettings', {
      name: 'Entraide Lyon', sirenOrRna: '123456789', address: '1 quai', postalCode: '69002', city: 'Lyon', object: 'Entraide', orgKind: 'general_interest', orgKindDetail: '', articles: ['200'], signatoryName: 'Paul', signatoryTitle: '', place: 'Lyon',
    });
    expect(await caught(t.call('receipts:issue', { giftId: receipted.id }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('HelloAsso') });
    // The yearly cumul leaves it out too: 25 € only.
    const r = await t.call('receipts:issue', { personId: person, year: 2026 });
    expect((await t.call('receipts:list', { year: Number(r.number.slice(0, 4)) })).items[0]).toMatchObject({ amountCents: 2500, kind: 'yearly' });
  });

  it('a HelloAsso export imported through the import screen records its gifts, once', async () => {
    const csv = [
      'Référence commande;Date du paiement;Montant total;Statut du paiement;Nom payeur;Prénom payeur;Email payeur;Campagne;Type;Reçu fiscal',
      '8001;10/03/2026 10:00;10,00;Payé;Kone;Awa;awa.kone@exemple.fr;Adhésion 2026;Adhésion;',
      '8003;12/03/2026 10:00;50,00;Payé;Kone;Awa;awa.kone@exemple.fr;Soutien;Don;RF-2026-0042',
      '8005;14/03/2026 10:00;30,00;Payé;Roux;Léa;lea.roux@exemple.fr;Soutien;Don;',
    ].join('\r\n');
    const bytes = new TextEncoder().encode(`\ufeff${csv}\r\n`);
    const run = async () => {
      const preview = await t.call('imports:preview', { fileName: 'helloasso-dons.csv', bytes });
      return t.call('imports:run', { fileName: 'helloasso-dons.csv', bytes, columns: preview.columns });
    };
    await run();
    await run();
    const db = t.core.session()!.ctx.db;
    const rows = (await db('gifts').whereIn('source', ['helloasso:8003', 'helloasso:8005']).orderBy('source').select('source', 'external_receipt', 'given_on')) as { source: string; external_receipt: number; given_on: string }[];
    expect(rows).toEqual([
      { source: 'helloasso:8003', external_receipt: 1, given_on: '2026-03-12' },
      { source: 'helloasso:8005', external_receipt: 0, given_on: '2026-03-14' },
    ]);
    expect(await db('gifts').where({ source: 'helloasso:8001' }).first('id')).toBeUndefined();
  });
});
