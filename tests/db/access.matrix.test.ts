/**
 * The default permission matrix through the services (issue 3 §11): for every default role and every permission, a
 * user of that role tries one call that needs the permission, through the contract (dispatch → handler → service),
 * and the call is allowed exactly when DEFAULT_ROLES grants it. Permissions that filter rather than refuse
 * (people.read*, notes.read*, tasks.read*) are probed by what the user sees; their expectation also counts the
 * permission that implies them (a role with people.read sees the people of its groups too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_ROLES, PERMISSIONS, type Permission } from '../../shared/domain/access';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

type Outcome = 'allowed' | 'refused';
interface World {
  g: string;
  p0: string; // in no group
  p1: string; // in group g, with birth date and member number, a note and a paper
  paper: string;
  otherTask: string;
}
type Probe = { expect(has: (p: Permission) => boolean): boolean; run(t: TestCore, w: World, role: string): Promise<boolean> };

/** Runs `work`; true when it succeeds, false when refused with FORBIDDEN (anything else fails the test). */
async function allowed(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'FORBIDDEN') throw e;
    return false;
  }
}
const seesGroupPeople = (has: (p: Permission) => boolean) => has('people.read') || has('people.readGroups');

const PROBES: Record<Permission, Probe> = {
  'people.read': { expect: (has) => has('people.read'), run: async (t) => (await t.call('people:search', { query: 'Zéro' })).items.length === 1 },
  'people.readGroups': { expect: seesGroupPeople, run: async (t) => (await t.call('people:search', { query: 'Premier' })).items.length === 1 },
  'people.readDetails': {
    expect: (has) => has('people.readDetails') && seesGroupPeople(has),
    run: async (t, w) => (await allowed(t.call('people:get', { id: w.p1 }))) && (await t.call('people:get', { id: w.p1 }).catch(() => null))?.person.birthDate === '1990-04-02',
  },
  'people.readMembership': {
    expect: (has) => has('people.readMembership') && seesGroupPeople(has),
    run: async (t, w) => (await t.call('people:get', { id: w.p1 }).catch(() => null))?.person.memberNumber === 'A-042',
  },
  'people.write': { expect: (has) => has('people.write'), run: async (t) => allowed(t.call('people:create', { person: { firstName: 'Nouvelle', lastName: 'Personne' } })) },
  'people.archive': {
    expect: (has) => has('people.archive') && seesGroupPeople(has),
    run: async (t, w) => (await allowed(t.call('people:archive', { id: w.p1, archived: true }))) && (await allowed(t.call('people:archive', { id: w.p1, archived: false }))),
  },
  'people.import': {
    expect: (has) => has('people.import'),
    run: async (t) => allowed(t.call('imports:preview', { fileName: 'liste.csv', bytes: new TextEncoder().encode('Nom;Prénom\nDupont;Jean\n') })),
  },
  'people.assignGroups': { expect: (has) => has('people.assignGroups') && seesGroupPeople(has), run: async (t, w) => allowed(t.call('people:setGroups', { personId: w.p1, groupIds: [w.g] })) },
  'consents.write': {
    expect: (has) => has('consents.write') && seesGroupPeople(has),
    run: async (t, w) => allowed(t.call('consents:record', { personId: w.p1, consent: { purpose: 'Suivi', givenOn: '2026-11-21' } })),
  },
  'notes.read': {
    expect: (has) => has('notes.read') && seesGroupPeople(has),
    run: async (t, w) => ((await t.call('notes:list', { personId: w.p1 }).catch(() => null))?.items ?? []).some((n) => n.text === 'Note de l’administrateur'),
  },
  'notes.readOwn': {
    expect: (has) => (has('notes.readOwn') || has('notes.read')) && seesGroupPeople(has),
    run: async (t, w) => allowed(t.call('notes:list', { personId: w.p1 })).catch(() => false),
  },
  'notes.write': {
    expect: (has) => has('notes.write') && seesGroupPeople(has),
    run: async (t, w) => allowed(t.call('notes:add', { personId: w.p1, text: 'Note du test', visibility: { kind: 'me' } })),
  },
  'tasks.read': { expect: (has) => has('tasks.read'), run: async (t, w) => ((await t.call('tasks:list', { view: 'all' }).catch(() => null))?.items ?? []).some((x) => x.id === w.otherTask) },
  'tasks.readOwn': { expect: (has) => has('tasks.readOwn') || has('tasks.read'), run: async (t) => allowed(t.call('tasks:list', { view: 'mine' })) },
  'tasks.write': { expect: (has) => has('tasks.write'), run: async (t) => allowed(t.call('tasks:create', { task: { title: 'Tâche du test' } })) },
  'documents.read': {
    expect: (has) => has('documents.read') && seesGroupPeople(has),
    run: async (t, w) => ((await t.call('vault:listDocuments', { personId: w.p1 }).catch(() => null))?.items ?? []).some((d) => d.id === w.paper),
  },
  'documents.add': {
    expect: (has) => has('documents.add') && seesGroupPeople(has),
    run: async (t, w) => allowed(t.call('vault:addDocument', { personId: w.p1, meta: { type: 'autre' }, files: [{ name: 'carte.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })),
  },
  'documents.export': {
    expect: (has) => has('documents.export') && has('documents.read') && seesGroupPeople(has),
    run: async (t, w, role) => allowed(t.call('vault:exportDocument', { id: w.paper, path: join(tempDir('solidariciel-export-'), `${role}.pdf`) })).catch(() => false),
  },
  'users.manage': { expect: (has) => has('users.manage'), run: async (t) => allowed(t.call('users:list', {})) },
  'roles.manage': { expect: (has) => has('roles.manage'), run: async (t) => allowed(t.call('roles:save', { id: 'test_role', name: 'Rôle de test', permissions: ['tasks.read'] })) },
  'groups.manage': { expect: (has) => has('groups.manage'), run: async (t, _w, role) => allowed(t.call('groups:create', { name: `Groupe ${role}` })) },
  'audit.read': { expect: (has) => has('audit.read'), run: async (t) => allowed(t.call('audit:verify', {})) },
  'settings.manage': { expect: (has) => has('settings.manage'), run: async (t) => allowed(t.call('settings:update', { autoLockMinutes: 10 })) },
  'db.rawCopy': { expect: (has) => has('db.rawCopy'), run: async (t, _w, role) => allowed(t.call('db:rawCopy', { out: join(tempDir('solidariciel-raw-'), `${role}.sqlite`) })) },
  // Treasury (docs/treasury.md). The receipts and ledger features replace the last two with a call of their own.
  'treasury.read': { expect: (has) => has('treasury.read'), run: async (t) => allowed(t.call('dues:feeTypes', {})) },
  'treasury.write': { expect: (has) => has('treasury.write'), run: async (t, _w, role) => allowed(t.call('dues:saveFeeType', { name: `Cotisation ${role}`, amounts: { 'Plein tarif': 1000 }, period: 'year' })) },
  'treasury.issueReceipts': { expect: (has) => has('treasury.issueReceipts'), run: async (t) => allowed(sessionRequires(t, 'treasury.issueReceipts')) },
  'treasury.export': { expect: (has) => has('treasury.export'), run: async (t) => allowed(sessionRequires(t, 'treasury.export')) },
  'agenda.read': { expect: (has) => has('agenda.read'), run: async (t) => allowed(t.call('agenda:list', { from: '2026-12-01', to: '2026-12-31' })) },
  'agenda.write': {
    expect: (has) => has('agenda.write'),
    run: async (t, _w, role) => allowed(t.call('agenda:create', { event: { kind: 'meeting', title: `Réunion ${role}`, start: '2026-12-07T10:00', minutes: 60 } })),
  },
  'volunteers.read': { expect: (has) => has('volunteers.read'), run: async (t) => allowed(t.call('volunteers:list', {})) },
  'volunteers.manage': { expect: (has) => has('volunteers.manage') && seesGroupPeople(has), run: async (t, w) => allowed(t.call('visits:setRule', { personId: w.p1, maxGapHours: 48 })) },
  // Without a volunteer profile the call is refused as VALIDATION (not linked): past the permission check, so allowed.
  'visits.write': {
    expect: (has) => has('visits.write') && seesGroupPeople(has),
    run: async (t, w) => allowed(t.call('visits:take', { personId: w.p1, at: '2027-01-04T10:00' }).catch((e: { code?: string }) => (e.code === 'VALIDATION' ? null : Promise.reject(e)))),
  },
  'messages.write': { expect: (has) => has('messages.write'), run: async (t, w) => allowed(t.call('messages:send', { to: { kind: 'group', groupId: w.g }, text: 'Bonjour à tous' })) },
  'contacts.alerts': { expect: (has) => has('contacts.alerts'), run: async (t) => allowed(t.call('contacts:drops', {})) },
};

/** The unlocked session's own check of `p` (for permissions whose channels are not there yet). */
async function sessionRequires(t: TestCore, p: Permission): Promise<void> {
  t.core.session()!.ctx.access.require(p);
}

describe('default matrix through the services', () => {
  let t: TestCore;
  let w: World;
  const results = new Map<string, Outcome>();

  beforeAll(async () => {
    t = await newTestCore();
    const g = (await t.call('groups:create', { name: 'Antenne' })).id;
    const p0 = (await t.call('people:create', { person: { firstName: 'Zéro', lastName: 'Sansgroupe' } })).id;
    const p1 = (await t.call('people:create', { person: { firstName: 'Premier', lastName: 'Groupé', birthDate: '1990-04-02', memberNumber: 'A-042' } })).id;
    await t.call('people:setGroups', { personId: p1, groupIds: [g] });
    await t.call('notes:add', { personId: p1, text: 'Note de l’administrateur', visibility: { kind: 'everyone' } });
    const paper = (await t.call('vault:addDocument', { personId: p1, meta: { type: 'autre' }, files: [{ name: 'carte.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
    const admin = (await t.call('session:current', {}))!.user.id;
    const otherTask = (await t.call('tasks:create', { task: { title: 'Tâche de l’administrateur', assigneeId: admin } })).id;
    w = { g, p0, p1, paper, otherTask };
    for (const role of DEFAULT_ROLES) await addUser(t, `u_${role.id}`, role.id, [g]);
    for (const role of DEFAULT_ROLES) {
      await switchTo(t, `u_${role.id}`);
      for (const p of PERMISSIONS) results.set(`${role.id} × ${p}`, (await PROBES[p].run(t, w, role.id)) ? 'allowed' : 'refused');
    }
  }, 120_000);
  afterAll(async () => t.cleanup());

  for (const role of DEFAULT_ROLES) {
    const has = (p: Permission) => role.permissions.includes(p);
    for (const p of PERMISSIONS) {
      const expected: Outcome = PROBES[p].expect(has) ? 'allowed' : 'refused';
      it(`${role.id} × ${p} → ${expected}`, () => {
        expect(results.get(`${role.id} × ${p}`)).toBe(expected);
      });
    }
  }
});
