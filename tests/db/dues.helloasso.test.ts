/**
 * HelloAsso payments become dues payments at import (main/services/treasury/importedPayments.ts, docs/treasury.md
 * « HelloAsso »): one per « Référence commande » line, never twice on a re-import, the tariff mapped once to a fee
 * type (automatically when there is only one), refunds and gifts left out, a tax receipt issued by HelloAsso kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

const FIXTURE = 'helloasso-paiements.csv';
const CATEGORIES = { Réduit: 550, 'Plein tarif': 1000, Soutien: 1500, Famille: 2000, Bienfaiteur: 4500 };

async function importFile(t: TestCore, fileName: string, bytes: Uint8Array) {
  const preview = await t.call('imports:preview', { fileName, bytes });
  return t.call('imports:run', { fileName, bytes, columns: preview.columns });
}
const paymentRows = async (t: TestCore) => (await t.core.session()!.ctx.db('dues_payments').whereNull('deleted_at').select('source', 'settled', 'external_receipt', 'person_id')) as { source: string; settled: number; external_receipt: string | null; person_id: string }[];

describe('HelloAsso payments at import', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('one payment per order line, mapped to the only fee type, settled by their tariff; a re-import adds none', async () => {
    const fee = (await t.call('dues:saveFeeType', { name: 'Adhésion 2026', amounts: CATEGORIES, period: 'year' })).id;
    const first = await importFile(t, FIXTURE, fixture('imports', FIXTURE));
    expect(first.imported).toBe(19);
    expect(first.payments).toBe(19);
    const rows = await paymentRows(t);
    expect(rows).toHaveLength(19);
    expect(new Set(rows.map((r) => r.source)).size).toBe(19);
    expect(rows.map((r) => r.source)).toContain('helloasso:1000');
    expect(rows.every((r) => r.settled === 1)).toBe(true);
    expect(await t.call('dues:tariffs', {})).toEqual({ items: [{ source: 'helloasso', tariff: 'Adhésion 2026', feeTypeId: fee, category: null }] });
    const again = await importFile(t, FIXTURE, fixture('imports', FIXTURE));
    expect(again.payments).toBe(0);
    expect(again.imported).toBe(0);
    expect(await paymentRows(t)).toHaveLength(19);
    // The payer's details are sealed and read back by the treasurer.
    const raphael = rows.find((r) => r.source === 'helloasso:1000')!.person_id;
    const [payment] = (await t.call('dues:personPayments', { personId: raphael })).items;
    expect(payment).toMatchObject({ paidOn: '2026-09-15', coversFrom: '2026-01-01', coversTo: '2026-12-31', source: 'helloasso:1000', details: { amountCents: 1500, method: 'helloasso', category: 'Soutien' } });
  });

  it('with several fee types the tariff is asked once (one warning), then remembered', async () => {
    await t.call('dues:saveFeeType', { name: 'Autre', amounts: { Unique: 100 }, period: 'once' });
    const fee = (await t.call('dues:saveFeeType', { name: 'Adhésion 2026', amounts: CATEGORIES, period: 'year' })).id;
    const first = await importFile(t, FIXTURE, fixture('imports', FIXTURE));
    expect(first.payments).toBe(0);
    const asked = first.warnings.filter((w) => w.message.includes('Adhésion 2026'));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toMatch(/n’est associé à aucun type de cotisation/);
    expect((await t.call('dues:tariffs', {})).items).toEqual([{ source: 'helloasso', tariff: 'Adhésion 2026', feeTypeId: null, category: null }]);
    await t.call('dues:mapTariff', { source: 'helloasso', tariff: 'Adhésion 2026', feeTypeId: fee });
    expect((await importFile(t, FIXTURE, fixture('imports', FIXTURE))).payments).toBe(19);
    expect((await importFile(t, FIXTURE, fixture('imports', FIXTURE))).payments).toBe(0);
  });

  it('refunds and gifts are left out; a receipt issued by HelloAsso is kept; repeated references stay distinct', async () => {
    await t.call('dues:saveFeeType', { name: 'Adhésion', amounts: { 'Plein tarif': 1000 }, period: 'year' });
    const csv = [
      'Référence commande;Date du paiement;Montant total;Statut du paiement;Nom payeur;Prénom payeur;Email payeur;Campagne;Type;Reçu fiscal',
      '7001;10/03/2026 10:00;10,00;Payé;Kone;Awa;awa.kone@exemple.fr;Adhésion 2026;Adhésion;',
      '7002;11/03/2026 10:00;10,00;Remboursé;Petit;Luc;luc.petit@exemple.fr;Adhésion 2026;Adhésion;',
      '7003;12/03/2026 10:00;50,00;Payé;Kone;Awa;awa.kone@exemple.fr;Soutien;Don;RF-2026-0042',
      '7004;13/03/2026 10:00;10,00;Payé;Roux;Léa;lea.roux@exemple.fr;Adhésion 2026;Adhésion;RF-2026-0043',
      '7004;13/03/2026 10:00;10,00;Payé;Roux;Paul;paul.roux@exemple.fr;Adhésion 2026;Adhésion;non',
    ].join('\r\n');
    const r = await importFile(t, 'helloasso-mars.csv', new TextEncoder().encode(`\ufeff${csv}\r\n`));
    expect(r.payments).toBe(3);
    const rows = await paymentRows(t);
    expect(rows.map((x) => [x.source, x.external_receipt]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['helloasso:7001', null],
      ['helloasso:7004', 'helloasso:RF-2026-0043'],
      ['helloasso:7004#2', null],
    ]);
  });

  it('an importer without treasury.write imports people and is told no payment was recorded', async () => {
    await t.call('dues:saveFeeType', { name: 'Adhésion 2026', amounts: CATEGORIES, period: 'year' });
    await t.call('roles:save', { id: 'importeur', name: 'Import', permissions: ['people.read', 'people.write', 'people.import'] });
    await addUser(t, 'importeur', 'importeur');
    await switchTo(t, 'importeur');
    const r = await importFile(t, FIXTURE, fixture('imports', FIXTURE));
    expect(r.imported).toBe(19);
    expect(r.payments).toBe(0);
    expect(r.warnings.some((w) => /treasury\.write/.test(w.message))).toBe(true);
    await switchTo(t, 'admin');
    expect(await paymentRows(t)).toHaveLength(0);
  });
});
