/**
 * Dues across devices through a real hub (SQLite backend): a payment recorded on A reaches B with its status, and its
 * sealed details open on B for a treasury holder; the hub's storage holds no amount nor payment detail in clear
 * (docs/treasury.md « Chiffrement »).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { allFiles } from '../helpers/files';

const NEEDLES = ['"amountCents":98765', 'CHQ-4471902', 'Banque Solidaire du Nord'];

describe('dues through a real hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let personId: string;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    personId = (await a.call('people:create', { person: { firstName: 'Aminata', lastName: 'Traore', kinds: ['member'] } })).id;
    const fee = (await a.call('dues:saveFeeType', { name: 'Adhésion', amounts: { 'Plein tarif': 2000 }, period: 'months:12' })).id;
    await a.call('dues:pay', { personId, feeTypeId: fee, paidOn: '2026-03-01', coversFrom: '2026-03-01', amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Banque Solidaire du Nord' });
    b = await pairThroughHub(hub.url, a);
    await b.call('sync:now', {});
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('B has the same status and opens the sealed details', async () => {
    const onA = await a.call('dues:statuses', { personIds: [personId] });
    const onB = await b.call('dues:statuses', { personIds: [personId] });
    expect(onB).toEqual(onA);
    expect(onB.items[0]!.paidUntil).toBe('2027-02-28');
    const [payment] = (await b.call('dues:personPayments', { personId })).items;
    expect(payment!.details).toMatchObject({ amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Banque Solidaire du Nord' });
  });

  it('the hub stores no amount nor payment detail in clear', () => {
    const stored = allFiles(hub.dataDir).map((f) => readFileSync(join(hub.dataDir, f)));
    expect(stored.length).toBeGreaterThan(0);
    for (const n of NEEDLES) for (const bytes of stored) expect(bytes.includes(Buffer.from(n))).toBe(false);
  });
});
