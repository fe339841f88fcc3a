/**
 * Existing associations open unchanged (docs/architecture.md "An association on disk"): the folder in
 * tests/fixtures/sqlcipher4-association/folder was written by the previous binding (`@journeyapps/sqlcipher` 6.0.0,
 * SQLCipher 4 defaults; how: make.ts beside it). With the current binding it must unlock, read, write and keep
 * syncing through its hub (whose SQLite file the previous binding wrote too), with no migration of the file format.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../hub/index';
import { createCore, type Core } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { STATE, setState } from '../../main/sync/state';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { TEST_KDF, tempDir } from '../helpers/core';

const FIXTURE = resolve('tests/fixtures/sqlcipher4-association/folder');

interface Manifest {
  associationId: string;
  users: { admin: string; benoit: string };
  people: [string, string, string];
  notes: { admin: string; benoit: string };
  paper: { id: string; member: string; sha256: string };
}

type Call = <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

/** A device: a real core over one of the fixture's folders, called through `dispatch` as the window does. */
interface Device {
  core: Core;
  call: Call;
  dir: string;
}

function device(dir: string): Device {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call: Call = async (channel, request) => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
    return env.value as never;
  };
  return { core, call, dir };
}

/**
 * Unlocks `user` on the device. The hub now listens on another port than when the folder was written: the device's
 * stored hub address is pointed at it before the sync service first reads it (the file format is not touched).
 */
async function unlock(d: Device, user: 'admin' | 'benoit', manifest: Manifest, hubUrl: string): Promise<void> {
  await d.call('session:unlock', { dir: d.dir, userName: user, password: manifest.users[user] });
  await setState(d.core.session()!.ctx.db, { [STATE.hubUrl]: hubUrl });
}

const names = async (d: Device) => (await d.call('people:search', { query: '', limit: 100 })).items.map((p) => `${p.firstName} ${p.lastName}`).sort();
const noteTexts = async (d: Device, personId: string) => (await d.call('notes:list', { personId })).items.map((n) => n.text).sort();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('an association folder written by the previous SQLCipher binding', () => {
  let root: string;
  let manifest: Manifest;
  let hub: Hub;
  let hubUrl: string;
  let accueil: Device;
  let portable: Device;

  beforeAll(async () => {
    root = tempDir('fixture-sqlcipher4-');
    cpSync(FIXTURE, root, { recursive: true });
    manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
    hub = await createHub({ dataDir: join(root, 'hub') });
    hubUrl = await hub.listen(0);
    accueil = device(join(root, 'accueil'));
    portable = device(join(root, 'portable'));
  });

  afterAll(async () => {
    await accueil?.core.close();
    await portable?.core.close();
    await hub?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is still a SQLCipher file: no clear SQLite header', () => {
    for (const dir of ['accueil', 'portable']) {
      const head = readFileSync(join(root, dir, 'association.db')).subarray(0, 16).toString('latin1');
      expect(head).not.toBe('SQLite format 3\0');
    }
  });

  it('unlocks and reads people, notes by visibility and the paper', async () => {
    await unlock(accueil, 'admin', manifest, hubUrl);
    expect(await names(accueil)).toEqual(["Moussa N'Diaye", 'Amélie Lefèvre-Dupré', 'Œuvrard Le Gall'].sort());
    const [amelie, moussa] = manifest.people;
    expect(await noteTexts(accueil, amelie)).toEqual(['Note pour admin seul : dossier CAF en cours.']);
    expect(await noteTexts(accueil, moussa)).toEqual(['Note pour Benoît seul : rendez-vous jeudi.']); // its writer keeps reading it
    const paper = await accueil.call('vault:readDocument', { id: manifest.paper.id });
    expect(sha256(paper.bytes)).toBe(manifest.paper.sha256);
    expect((await accueil.call('people:search', { query: 'lefè' })).items.map((p) => p.id)).toEqual([amelie]);
  });

  it('writes, and the hub carries the writes to the other device and back', async () => {
    const [, moussa] = manifest.people;
    await accueil.call('people:update', { id: moussa, person: { firstName: 'Moussa', lastName: "N'Diaye", email: 'moussa.ndiaye@example.org', phone: '06 12 34 56 78', kinds: ['beneficiary'] } });
    const created = (await accueil.call('people:create', { person: { firstName: 'Zoé', lastName: 'Après-Migration', kinds: ['member'] } })).id;
    await accueil.call('notes:add', { personId: created, text: 'Écrite après le changement de moteur.', visibility: { kind: 'everyone' } });
    const pushed = await accueil.call('sync:now', {});
    expect(pushed.pushed).toBeGreaterThan(0);

    await unlock(portable, 'admin', manifest, hubUrl);
    const pulled = await portable.call('sync:now', {});
    expect(pulled.pulled).toBeGreaterThan(0);
    expect(await names(portable)).toContain('Zoé Après-Migration');
    expect((await portable.call('people:get', { id: moussa })).person.phone).toBe('06 12 34 56 78');
    expect(await noteTexts(portable, created)).toEqual(['Écrite après le changement de moteur.']);
    expect(sha256((await portable.call('vault:readDocument', { id: manifest.paper.id })).bytes)).toBe(manifest.paper.sha256);

    await portable.call('people:update', { id: created, person: { firstName: 'Zoé', lastName: 'Après-Migration', email: 'zoe@example.org', kinds: ['member'] } });
    expect((await portable.call('sync:now', {})).pushed).toBeGreaterThan(0);
    expect((await accueil.call('sync:now', {})).pulled).toBeGreaterThan(0);
    expect((await accueil.call('people:get', { id: created })).person.email).toBe('zoe@example.org');
  });

  it('keeps narrow visibility: Benoît reads his note, not the administrator’s', async () => {
    await accueil.call('session:lock', {});
    await unlock(accueil, 'benoit', manifest, hubUrl);
    const [amelie, moussa] = manifest.people;
    expect(await noteTexts(accueil, moussa)).toEqual(['Note pour Benoît seul : rendez-vous jeudi.']);
    expect(await noteTexts(accueil, amelie)).toEqual([]);
  });
});
