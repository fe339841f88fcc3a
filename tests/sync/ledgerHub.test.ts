/**
 * The cash book across two devices through a real hub (SQLite): entries, a deposit and a reconciled bank line written
 * on one PC reach the other, whose treasury holder reads the same journal and balances; the hub's storage holds none
 * of the labels; a social worker on the second PC reads nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

const SECRETS = ['Subvention conseil départemental', 'Cartouches imprimante Delacroix', 'VIREMENT DEPARTEMENT CONSEIL'];

describe('cash book through the hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    await addUser(a, 'sociale', 'social_worker');
    await a.call('ledger:addEntry', { journal: 'bank', date: '2026-06-01', direction: 'receipt', amountCents: 420000, account: '74', label: SECRETS[0]! });
    await a.call('ledger:addEntry', { journal: 'cash', date: '2026-06-02', direction: 'expense', amountCents: 3990, account: '6064', label: SECRETS[1]! });
    const csv = new TextEncoder().encode(`Date;Libellé;Montant\n01/06/2026;${SECRETS[2]};4 200,00\n`);
    expect(await a.call('ledger:importStatement', { fileName: 'juin.csv', data: csv })).toMatchObject({ lines: 1, matched: 1 });
    b = await pairThroughHub(hub.url, a, 'Portable de la trésorière');
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('the second PC reads the same journals, balances and reconciliation', async () => {
    for (const journal of ['bank', 'cash', 'cheques'] as const) {
      const [onA, onB] = [await a.call('ledger:journal', { journal }), await b.call('ledger:journal', { journal })];
      expect(onB).toEqual(onA);
    }
    expect((await b.call('ledger:journal', { journal: 'bank' })).items[0]).toMatchObject({ label: SECRETS[0], balanceCents: 420000, reconciled: true });
    const lines = (await b.call('ledger:bankLines', {})).items;
    expect(lines.map((l) => [l.label, l.amountCents, l.entryId !== null])).toEqual([[SECRETS[2], 420000, true]]);
    // Importing the same statement on the second PC adds nothing.
    const csv = new TextEncoder().encode(`Date;Libellé;Montant\n01/06/2026;${SECRETS[2]};4 200,00\n`);
    expect(await b.call('ledger:importStatement', { fileName: 'juin.csv', data: csv })).toMatchObject({ lines: 0, duplicates: 1 });
  });

  it('the hub holds none of the labels; a social worker on the second PC reads nothing', async () => {
    expect(leaks(hub.dataDir, SECRETS)).toEqual([]);
    await switchTo(b, 'sociale');
    await expectForbidden(b.call('ledger:journal', { journal: 'bank' }), 'treasury.read');
  });
});
