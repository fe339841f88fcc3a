/**
 * Support circles and access (docs/volunteers.md "Circles", "Access"): a circle's members see its person, its plan and
 * the visit notes sealed to the circle, and nothing of anyone else; someone outside the circle (a volunteer of
 * another circle, an administrator not in it, the database itself) reads no note. Permissions are checked on every
 * channel: a volunteer takes slots and marks their own visits, never plans, nor touches another's visit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { readZip } from '../../main/services/portability/zip';
import { EXPORT_FILES, personExport } from '../../shared/domain/portability';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';

const NOTE = 'Elle a parlé de sa fille Mireille';

describe('support circles', () => {
  let t: TestCore;
  const p: Record<string, string> = {};
  const u: Record<string, string> = {};
  let circleId = '';
  let visitId = '';
  let otherVisit = '';

  beforeAll(async () => {
    t = await newTestCore();
    for (const n of ['Odette', 'Yvonne', 'Vera', 'Walid']) p[n] = (await t.call('people:create', { person: { firstName: n, lastName: 'Cercle' } })).id;
    u['vera'] = await addUser(t, 'vera', 'volunteer');
    u['walid'] = await addUser(t, 'walid', 'volunteer');
    u['coord'] = await addUser(t, 'coord', 'coordinator');
    await t.call('volunteers:save', { personId: p['Vera']!, userId: u['vera'], skills: ['Courses'], availability: [{ weekday: 1, start: '09:00', end: '12:00' }] });
    await t.call('volunteers:save', { personId: p['Walid']!, userId: u['walid'], skills: ['Courses'] });
    circleId = (await t.call('circles:create', { name: 'Galaxie Odette', personId: p['Odette']!, coordinatorUserId: u['coord'] })).id;
    await t.call('circles:addMember', { circleId, personId: p['Vera']!, role: 'volunteer' });
    const other = (await t.call('circles:create', { name: 'Galaxie Yvonne', personId: p['Yvonne']! })).id;
    await t.call('circles:addMember', { circleId: other, personId: p['Walid']! });
    visitId = (await t.call('visits:plan', { personId: p['Odette']!, volunteerId: p['Vera']!, at: '2027-02-01T10:00' })).ids[0]!;
    otherVisit = (await t.call('visits:plan', { personId: p['Yvonne']!, volunteerId: p['Walid']!, at: '2027-02-01T10:00' })).ids[0]!;
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('lists circles with their members and coordinator', async () => {
    const circles = (await t.call('circles:list', {})).items;
    expect(circles.map((c) => [c.name, c.personName, c.members.map((m) => m.name)])).toEqual([
      ['Galaxie Odette', 'Odette Cercle', ['Vera Cercle']],
      ['Galaxie Yvonne', 'Yvonne Cercle', ['Walid Cercle']],
    ]);
    expect(circles[0]!.coordinatorUserId).toBe(u['coord']);
  });

  it('a member sees the circle’s person and plan, marks her own visit done with a note only the circle reads', async () => {
    await switchTo(t, 'vera');
    expect((await t.call('people:search', { query: 'Cercle' })).items.map((x) => x.firstName).sort()).toEqual(['Odette']);
    expect((await t.call('circles:list', {})).items.map((c) => c.name)).toEqual(['Galaxie Odette']);
    // Her own profile, though her person is in none of her groups; not Walid's.
    expect((await t.call('volunteers:list', {})).items.map((v) => v.name)).toEqual(['Vera Cercle']);
    await t.call('visits:done', { id: visitId, minutesSpent: 50, note: NOTE });
    const mine = (await t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' })).items;
    expect(mine[0]).toMatchObject({ status: 'done', note: NOTE, noteSealed: true, minutesSpent: 50 });
    // Nothing of Yvonne: not her person, not her plan, not Walid's visit.
    expect(await caught(t.call('visits:list', { personId: p['Yvonne']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('visits:done', { id: otherVisit }))).toMatchObject({ code: 'NOT_FOUND' });
    // A volunteer neither plans nor sets rules.
    await expectForbidden(t.call('visits:plan', { personId: p['Odette']!, at: '2027-02-03T10:00' }), 'volunteers.manage');
    await expectForbidden(t.call('visits:setRule', { personId: p['Odette']!, maxGapHours: 24 }), 'volunteers.manage');
    await expectForbidden(t.call('circles:create', { name: 'X', personId: p['Odette']! }), 'volunteers.manage');
    // She takes a slot herself, then records her own absence.
    const taken = (await t.call('visits:take', { personId: p['Odette']!, at: '2027-02-08T10:00' })).id;
    expect((await t.call('visits:list', { personId: p['Odette']!, from: '2027-02-08T00:00', to: '2027-02-09T00:00' })).items).toEqual([expect.objectContaining({ id: taken, volunteerId: p['Vera'], status: 'planned' })]);
    expect(await t.call('volunteers:addAbsence', { personId: p['Vera']!, from: '2027-02-08', to: '2027-02-08' })).toMatchObject({ cancelledVisits: 1 });
    await expectForbidden(t.call('volunteers:addAbsence', { personId: p['Walid']!, from: '2027-02-08', to: '2027-02-08' }), 'volunteers.manage');
  });

  it('the coordinator (in the circle) reads the note; another volunteer and an administrator outside do not', async () => {
    await switchTo(t, 'coord');
    const seen = (await t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' })).items[0]!;
    expect(seen.note).toBe(NOTE);
    await switchTo(t, 'walid');
    expect(await caught(t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('visits:cancel', { id: visitId }))).toMatchObject({ code: 'NOT_FOUND' });
    await switchTo(t, 'admin');
    const admin = (await t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' })).items[0]!;
    expect(admin).toMatchObject({ status: 'done', note: null, noteSealed: true });
    // The database row holds ciphertext only.
    const row = (await t.core.session()!.ctx.db('visits').where({ id: visitId }).first()) as Record<string, string | null>;
    expect(row['note']).toBeNull();
    expect(JSON.stringify(row)).not.toContain('Mireille');
  });

  it('a coordinator without the root key records members whose access waits for an administrator', async () => {
    await switchTo(t, 'admin');
    const zoe = (await t.call('people:create', { person: { firstName: 'Zoé', lastName: 'Cercle' } })).id;
    const u2 = await addUser(t, 'zoe', 'volunteer');
    await t.call('volunteers:save', { personId: zoe, userId: u2 });
    await switchTo(t, 'coord');
    await t.call('circles:addMember', { circleId, personId: zoe });
    const member = (await t.call('circles:list', {})).items.find((c) => c.id === circleId)!.members.find((m) => m.personId === zoe)!;
    expect(member).toMatchObject({ userId: u2, accessPending: true });
    expect(await caught(t.call('circles:grantPending', {}))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('administrateur') });
    await switchTo(t, 'zoe');
    expect((await t.call('people:search', { query: 'Odette' })).items).toEqual([]);
    await switchTo(t, 'admin');
    expect(await t.call('circles:grantPending', {})).toEqual({ granted: 1 });
    expect((await t.call('circles:list', {})).items.find((c) => c.id === circleId)!.members.every((m) => !m.accessPending)).toBe(true);
    await switchTo(t, 'zoe');
    expect((await t.call('people:search', { query: 'Odette' })).items.map((x) => x.firstName)).toEqual(['Odette']);
    // The administrator holds no epoch of the circle's key: Zoé reads new notes at once, the older ones once a member
    // who holds them has unlocked (docs/access.md "Rotation").
    expect((await t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' })).items[0]!.note).toBeNull();
    await switchTo(t, 'vera');
    await switchTo(t, 'zoe');
    expect((await t.call('visits:list', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-03-01T00:00' })).items[0]!.note).toBe(NOTE);
    await switchTo(t, 'admin');
  });

  it('a volunteer’s data export holds her profile and the visits she gave; the sealed note stays sealed', async () => {
    const { zip } = await t.call('people:exportData', { id: p['Vera']! });
    const data = personExport.parse(JSON.parse((await readZip(zip, 1e9)).get(EXPORT_FILES.data)!.toString('utf8')));
    expect(data.volunteer).toMatchObject({ skills: ['Courses'], availability: [{ weekday: 1, start: '09:00', end: '12:00' }] });
    expect(data.visits).toEqual([
      { role: 'volunteer', start: '2027-02-01T09:00:00.000Z', minutes: 60, status: 'done', minutesSpent: 50, note: null },
      { role: 'volunteer', start: '2027-02-08T09:00:00.000Z', minutes: 60, status: 'cancelled', minutesSpent: null, note: null },
    ]);
    expect(JSON.stringify(data)).not.toContain('Mireille');
  });

  it('a reader without volunteers.read is refused; a person erased takes their visits, rule and circle with them', async () => {
    await addUser(t, 'accueil', 'reception');
    await switchTo(t, 'accueil');
    await expectForbidden(t.call('visits:gaps', { personId: p['Odette']!, from: '2027-01-01T00:00', to: '2027-02-01T00:00' }), 'volunteers.read');
    await expectForbidden(t.call('volunteers:list', {}), 'volunteers.read');
    await switchTo(t, 'admin');
    await t.call('people:erase', { id: p['Yvonne']!, confirmName: 'Yvonne Cercle' });
    const db = t.core.session()!.ctx.db;
    expect(await db('visits').where({ person_id: p['Yvonne'] }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await db('circles').where({ person_id: p['Yvonne'] }).count({ n: '*' })).toEqual([{ n: 0 }]);
    await t.call('people:erase', { id: p['Walid']!, confirmName: 'Walid Cercle' });
    expect(await db('volunteer_profiles').where({ person_id: p['Walid'] }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await db('circle_members').where({ person_id: p['Walid'] }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
