/**
 * The visit rota through a real hub (SQLite backend; docs/volunteers.md): the volunteer profile, the circle and its
 * visits reach a second device, the gaps read the same there, the circle's sealed note opens for a member on the new
 * device, and the hub's storage holds none of the note, the names or the skills in clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

const NOTE = 'Elle a retrouvé son chat Filou';
const WINDOW = { from: '2027-03-22T09:00', to: '2027-04-06T09:00' };

describe('visits through a real hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let odette = '';

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    odette = (await a.call('people:create', { person: { firstName: 'Odette', lastName: 'Vasseur' } })).id;
    const vera = (await a.call('people:create', { person: { firstName: 'Véronique', lastName: 'Lambert' } })).id;
    const veraUser = await addUser(a, 'vera', 'volunteer');
    await a.call('volunteers:save', { personId: vera, userId: veraUser, skills: ['Jardinage partagé'], area: 'Belleville' });
    const me = (await a.call('session:current', {}))!.user.id;
    const circleId = (await a.call('circles:create', { name: 'Galaxie Odette', personId: odette, coordinatorUserId: me })).id;
    await a.call('circles:addMember', { circleId, personId: vera });
    await a.call('visits:setRule', { personId: odette, maxGapHours: 72 });
    const ids = (await a.call('visits:plan', { personId: odette, volunteerId: vera, at: '2027-03-22T10:00', recurrence: { interval: 1, until: '2027-04-05' } })).ids;
    await a.call('visits:cancel', { id: ids[1]! });
    await switchTo(a, 'vera');
    await a.call('visits:done', { id: ids[0]!, minutesSpent: 40, note: NOTE });
    await switchTo(a, 'admin');
    b = await pairThroughHub(hub.url, a);
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('the second device has the profile, the circle, the visits, the same gaps and the sealed note', async () => {
    expect((await b.call('volunteers:list', {})).items.map((v) => [v.name, v.skills, v.area])).toEqual([['Véronique Lambert', ['Jardinage partagé'], 'Belleville']]);
    expect((await b.call('circles:list', {})).items.map((c) => [c.name, c.members.map((m) => m.name)])).toEqual([['Galaxie Odette', ['Véronique Lambert']]]);
    const onA = await a.call('visits:gaps', { personId: odette, ...WINDOW });
    const onB = await b.call('visits:gaps', { personId: odette, ...WINDOW });
    expect(onB).toEqual(onA);
    expect(onB.items).toEqual([{ from: '2027-03-22T10:00+01:00', to: '2027-04-05T10:00+02:00', hours: 335 }]);
    const visits = (await b.call('visits:list', { personId: odette, ...WINDOW })).items;
    expect(visits.map((v) => v.status)).toEqual(['done', 'cancelled', 'planned']);
    // The administrator coordinates the circle: a member of its group, she reads the note on the new device too.
    expect(visits[0]).toMatchObject({ note: NOTE, minutesSpent: 40, noteSealed: true });
  });

  it('the hub stores none of it in clear', async () => {
    expect(leaks(hub.dataDir, [NOTE, 'Filou', 'Odette', 'Vasseur', 'Véronique', 'Jardinage partagé', 'Belleville', 'Galaxie Odette'])).toEqual([]);
  });
});
