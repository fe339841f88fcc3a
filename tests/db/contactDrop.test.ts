/**
 * The contact-drop alert through the contract on a generated history (docs/messages.md "Contact-drop alert"): notes
 * and tasks done, backdated, for a steady person, a dropping one, a new one and a member who is not accompanied; visits
 * done (volunteers' table) count, planned and missed ones do not.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';

const DAY = 86_400_000;

describe('contacts:drops', () => {
  let t: TestCore;
  const people: Record<string, string> = {};

  /** Adds `perWeek[i]` contacts in week i before now (alternating notes and tasks done), then backdates them. */
  async function contacts(personId: string, perWeek: readonly number[]): Promise<void> {
    const db = t.core.session()!.ctx.db;
    let k = 0;
    for (const [week, n] of perWeek.entries()) {
      for (let i = 0; i < n; i++, k++) {
        const at = new Date(Date.now() - (week * 7 + 1 + i) * DAY).toISOString();
        if (k % 2 === 0) {
          const { id } = await t.call('notes:add', { personId, text: `Contact ${k}`, visibility: { kind: 'me' } });
          await db('case_notes').where({ id }).update({ created_at: at });
        } else {
          const { id } = await t.call('tasks:create', { task: { title: `Appel ${k}`, personId, priority: 'normal', status: 'done', dueDate: null, description: null, assigneeId: null } });
          await db('tasks').where({ id }).update({ completed_at: at });
        }
      }
    }
  }

  beforeAll(async () => {
    t = await newTestCore();
    const add = async (firstName: string, kinds: ('beneficiary' | 'member')[]) => (await t.call('people:create', { person: { firstName, lastName: 'Martin', kinds } })).id;
    people['steady'] = await add('Solange', ['beneficiary']);
    people['drop'] = await add('Denise', ['beneficiary']);
    people['new'] = await add('Nadia', ['beneficiary']);
    people['member'] = await add('Marcel', ['member']);
    people['visits'] = await add('Vivienne', ['beneficiary']);
    await contacts(people['steady'], [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    await contacts(people['drop'], [0, 1, 3, 3, 3, 3, 3, 3, 3, 3]);
    await contacts(people['new'], [1]);
    await contacts(people['member'], [0, 0, 3, 3, 3, 3, 3, 3, 3, 3]);
    await addUser(t, 'vera', 'volunteer');
    // Visits done (the volunteers' table): two a week for eight weeks, none in the last fortnight; a planned and a
    // missed visit in the fortnight are no contact.
    const db = t.core.session()!.ctx.db;
    const visit = (days: number, status: string) => ({ id: randomUUID(), created_at: new Date().toISOString(), updated_at: new Date().toISOString(), person_id: people['visits'], start_at: new Date(Date.now() - days * DAY).toISOString(), status });
    await db('visits').insert([...Array.from({ length: 16 }, (_, i) => visit(15 + i * 3.4, 'done')), visit(2, 'planned'), visit(5, 'missed')]);
  }, 120_000);

  afterAll(async () => t?.cleanup());

  it('lists only the accompanied person whose contacts dropped, in plain French', async () => {
    const r = await t.call('contacts:drops', {});
    expect(r.items.map((d) => d.name)).toEqual(['Vivienne Martin', 'Denise Martin']);
    expect(r.items[0]!.explanation).toBe('Aucun contact ces 14 derniers jours, contre 2 par semaine en moyenne avant');
    expect(r.items[1]).toMatchObject({ personId: people['drop'], recent: 1, baselinePerWeek: 3, explanation: '1 contact ces 14 derniers jours, contre 3 par semaine en moyenne avant' });
  });

  it('the thresholds are configurable (settings.manage), checked, and audited', async () => {
    const saved = await t.call('contacts:saveRules', { recentDays: 14, baselineWeeks: 8, thresholdPercent: 10, minBaselinePerWeek: 1 });
    expect(saved.thresholdPercent).toBe(10);
    // 0.5 a week against 3 is not below 10 %; no contact at all still is.
    expect((await t.call('contacts:drops', {})).items.map((d) => d.name)).toEqual(['Vivienne Martin']);
    const bad = await caught(t.call('contacts:saveRules', { recentDays: 0, baselineWeeks: 8, thresholdPercent: 50, minBaselinePerWeek: 1 }));
    expect(bad?.code).toBe('VALIDATION');
    expect((await t.call('contacts:rules', {})).thresholdPercent).toBe(10);
    expect((await t.call('audit:list', { action: 'contacts.rulesUpdate', limit: 5, offset: 0 })).total).toBe(1);
    await t.call('contacts:saveRules', { recentDays: 14, baselineWeeks: 8, thresholdPercent: 50, minBaselinePerWeek: 1 });
  });

  it('a volunteer sees no alert (contacts.alerts) and cannot change the rules', async () => {
    await switchTo(t, 'vera');
    await expectForbidden(t.call('contacts:drops', {}), 'contacts.alerts');
    await expectForbidden(t.call('contacts:saveRules', { recentDays: 14, baselineWeeks: 8, thresholdPercent: 50, minBaselinePerWeek: 1 }), 'settings.manage');
    await switchTo(t, 'admin');
  });
});
