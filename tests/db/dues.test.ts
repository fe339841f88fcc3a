/**
 * Dues through the contract (main/services/treasury/duesService.ts, docs/treasury.md « Cotisations »): statuses with
 * dates around today, partial payments adding up, renewing many, exemptions, settings, permissions, and the amounts
 * sealed (a social worker's session, the folder and a decrypted copy hold none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { addDays, addMonths } from '../../main/services/treasury/duesRules';
import { newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

const localToday = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

describe('dues', () => {
  let t: TestCore;
  let today: string;
  let fee12: string;
  let fee1: string;
  const p: Record<string, string> = {};
  const person = async (first: string, last: string) => (await t.call('people:create', { person: { firstName: first, lastName: last, kinds: ['member'], email: `${last.toLowerCase()}@exemple.fr` } })).id;
  const status = async (id: string) => (await t.call('dues:statuses', { personIds: [id] })).items[0]!;

  beforeAll(async () => {
    t = await newTestCore();
    today = localToday();
    await addUser(t, 'tresoriere', 'treasurer');
    await addUser(t, 'sociale', 'social_worker');
    await addUser(t, 'benevole', 'volunteer');
    for (const [k, first, last] of [['a', 'Amina', 'Ajour'], ['s', 'Sami', 'Bientot'], ['l', 'Lou', 'Retard'], ['n', 'Noé', 'Jamais'], ['pp', 'Paule', 'Partielle'], ['x', 'Xavier', 'Exempte']] as const) p[k] = await person(first, last);
    await switchTo(t, 'tresoriere');
    fee12 = (await t.call('dues:saveFeeType', { name: 'Adhésion annuelle', amounts: { 'Plein tarif': 2000, Réduit: 1000 }, period: 'months:12' })).id;
    fee1 = (await t.call('dues:saveFeeType', { name: 'Mensuelle', amounts: { 'Plein tarif': 500 }, period: 'months:1' })).id;
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('a full payment makes a member up to date until the end of the period', async () => {
    const r = await t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: today, amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Crédit Mutuel Solidaire' });
    expect(r.status).toBe('up_to_date');
    expect(await status(p['a']!)).toEqual({ personId: p['a'], status: 'up_to_date', paidUntil: addDays(addMonths(today, 12), -1) });
    const [payment] = (await t.call('dues:personPayments', { personId: p['a']! })).items;
    expect(payment).toMatchObject({ feeTypeName: 'Adhésion annuelle', coversFrom: today, settled: true, details: { amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Crédit Mutuel Solidaire', category: 'Plein tarif' } });
  });

  it('due soon when the period ends within 30 days; late once it ended; never without payment', async () => {
    expect((await t.call('dues:pay', { personId: p['s']!, feeTypeId: fee1, paidOn: today, amountCents: 500, method: 'cash' })).status).toBe('due_soon');
    // A year paid from 400 days ago ended about 35 days ago.
    const late = await t.call('dues:pay', { personId: p['l']!, feeTypeId: fee12, paidOn: addDays(today, -400), coversFrom: addDays(today, -400), amountCents: 2000, method: 'transfer' });
    expect(late.status).toBe('late');
    expect((await status(p['l']!)).paidUntil).toBe(addDays(addMonths(addDays(today, -400), 12), -1));
    expect((await status(p['n']!)).status).toBe('never');
    // The setting moves the boundary: with 0 days, a month still to run is up to date.
    await t.call('dues:saveSettings', { dueSoonDays: 0 });
    expect((await status(p['s']!)).status).toBe('up_to_date');
    await t.call('dues:saveSettings', { dueSoonDays: 30 });
    expect((await status(p['s']!)).status).toBe('due_soon');
  });

  it('partial payments add up: the first alone counts for nothing, the second settles the period', async () => {
    const first = await t.call('dues:pay', { personId: p['pp']!, feeTypeId: fee12, paidOn: addDays(today, -3), amountCents: 1200, method: 'cash' });
    expect(first.status).toBe('never');
    const second = await t.call('dues:pay', { personId: p['pp']!, feeTypeId: fee12, paidOn: today, amountCents: 800, method: 'card' });
    expect(second.status).toBe('up_to_date');
    const items = (await t.call('dues:personPayments', { personId: p['pp']! })).items;
    expect(items.map((i) => [i.coversFrom, i.settled])).toEqual([
      [addDays(today, -3), true],
      [addDays(today, -3), true],
    ]);
    // Cancelling one part leaves the period unpaid again.
    await t.call('dues:cancelPayment', { id: second.paymentId });
    expect((await status(p['pp']!)).status).toBe('never');
    // The reduced tariff is settled by its own amount.
    const reduced = await t.call('dues:pay', { personId: p['pp']!, feeTypeId: fee1, paidOn: today, amountCents: 500, method: 'cash', category: 'Plein tarif' });
    expect(reduced.status).toBe('due_soon');
  });

  it('exempt wins over everything; lists by status; renewing many at once', async () => {
    await t.call('dues:setExemption', { personId: p['x']!, exempt: true, fromDate: addDays(today, -1), note: 'Situation difficile' });
    expect((await status(p['x']!)).status).toBe('exempt');
    const byStatus = async (s: 'up_to_date' | 'due_soon' | 'late' | 'never' | 'exempt') => (await t.call('dues:list', { status: s })).items.map((i) => i.personId).sort();
    expect(await byStatus('late')).toEqual([p['l']]);
    expect(await byStatus('never')).toEqual([p['n']]);
    expect(await byStatus('exempt')).toEqual([p['x']]);
    expect(await byStatus('up_to_date')).toEqual([p['a']].sort());
    expect(await byStatus('due_soon')).toEqual([p['s'], p['pp']].sort());
    const r = await t.call('dues:renew', { personIds: [p['l']!, p['n']!], feeTypeId: fee12, paidOn: today, method: 'cash', category: 'Réduit' });
    expect(r.count).toBe(2);
    for (const id of [p['l']!, p['n']!]) expect(await status(id)).toMatchObject({ status: 'up_to_date', paidUntil: addDays(addMonths(today, 12), -1) });
    const renewed = (await t.call('dues:personPayments', { personId: p['n']! })).items[0]!;
    expect(renewed.details).toMatchObject({ amountCents: 1000, category: 'Réduit', method: 'cash' });
    await t.call('dues:setExemption', { personId: p['x']!, exempt: false, fromDate: today });
    expect((await status(p['x']!)).status).toBe('never');
  });

  it('refuses bad input with a French message and saves nothing', async () => {
    const before = (await t.call('dues:personPayments', { personId: p['a']! })).items.length;
    expect((await caught(t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: today, amountCents: 500, method: 'cash', category: 'Inconnue' })))?.message).toMatch(/Catégorie « Inconnue » inconnue/);
    expect((await caught(t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: '2026-02-31', amountCents: 500, method: 'cash' })))?.code).toBe('VALIDATION');
    expect((await caught(t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: today, amountCents: 0, method: 'cash' })))?.message).toMatch(/supérieur à zéro/);
    expect((await caught(t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: today, amountCents: 12.5, method: 'cash' })))?.code).toBe('VALIDATION');
    expect((await caught(t.call('dues:pay', { personId: p['a']!, feeTypeId: p['a']!, paidOn: today, amountCents: 500, method: 'cash' })))?.code).toBe('NOT_FOUND');
    expect((await caught(t.call('dues:saveFeeType', { name: 'Sans période', amounts: { A: 100 }, period: 'weekly' })))?.message).toMatch(/Période/);
    expect((await t.call('dues:personPayments', { personId: p['a']! })).items.length).toBe(before);
  });

  it('a social worker sees statuses but no amount and cannot pay; a volunteer sees no status', async () => {
    await switchTo(t, 'sociale');
    expect((await status(p['a']!)).status).toBe('up_to_date');
    const listed = await t.call('dues:list', {});
    expect(JSON.stringify(listed)).not.toContain('98765');
    await expectForbidden(t.call('dues:personPayments', { personId: p['a']! }), 'treasury.read');
    await expectForbidden(t.call('dues:pay', { personId: p['a']!, feeTypeId: fee12, paidOn: today, amountCents: 500, method: 'cash' }), 'treasury.write');
    await expectForbidden(t.call('dues:remindersCsv', {}), 'treasury.read');
    await switchTo(t, 'benevole');
    await expectForbidden(t.call('dues:list', {}));
  });

  it('no amount nor payment detail in clear in the folder, nor in a decrypted copy of the database', async () => {
    await switchTo(t, 'admin');
    const out = join(tempDir('solidariciel-raw-'), 'copie.sqlite');
    await t.call('db:rawCopy', { out });
    const needles = ['"amountCents":98765', 'CHQ-4471902', 'Crédit Mutuel Solidaire', 'Situation difficile', '987,65'];
    expect(leaks(t.dir, needles)).toEqual([]);
    expect(leaks(join(out, '..'), needles)).toEqual([]);
    // The same needles are found when they are there (the check can fail).
    expect(leaks(join(out, '..'), ['SQLite format 3'])).not.toEqual([]);
  });

  it('every change is in the audit trail, without amounts', async () => {
    const { items } = await t.call('audit:list', { limit: 200 });
    const actions = items.map((e) => e.action);
    for (const a of ['dues.feeTypeSave', 'dues.pay', 'dues.paymentCancel', 'dues.renew', 'dues.exempt', 'dues.settings']) expect(actions).toContain(a);
    expect(JSON.stringify(items)).not.toContain('98765');
  });
});
