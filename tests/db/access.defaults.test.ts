/**
 * Permissions added by a later version (docs/access.md "Permissions added by a later version"): an association
 * written before the treasury existed (tests/fixtures/sqlcipher4-association) keeps its signed roles; the Roles screen
 * is told what each built-in role lacks, and `roles:applyDefaults` gives it, signed and audited, to whoever manages
 * roles — checked on every id before anything is written.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { DEFAULT_ROLES, missingDefaultPermissions } from '../../shared/domain/access';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { TEST_KDF, tempDir } from '../helpers/core';

const FIXTURE = resolve('tests/fixtures/sqlcipher4-association/folder/accueil');

type Call = <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

describe('built-in roles of an association made by an earlier version', () => {
  let root: string;
  let core: Core;
  let call: Call;
  let passwords: { admin: string; benoit: string };
  const refusal = (work: Promise<unknown>) => work.then(() => null, (e: unknown) => (e as Error).message);

  beforeAll(async () => {
    root = tempDir('roles-defaults-');
    cpSync(FIXTURE, join(root, 'accueil'), { recursive: true });
    passwords = (JSON.parse(readFileSync(resolve('tests/fixtures/sqlcipher4-association/folder/manifest.json'), 'utf8')) as { users: { admin: string; benoit: string } }).users;
    core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    call = async (channel, request) => {
      const env = await dispatch(core.handlers, channel, request, noEvents);
      if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
      return env.value as never;
    };
  });
  afterAll(async () => {
    await core.close();
    rmSync(root, { recursive: true, force: true });
  });

  const unlock = async (user: 'admin' | 'benoit') => {
    if (core.session()) await call('session:lock', { reason: 'user' });
    await call('session:unlock', { dir: join(root, 'accueil'), userName: user, password: passwords[user] });
  };
  const roles = async () => new Map((await call('roles:list', {})).items.map((r) => [r.id, r]));

  it('lists what each built-in role lacks, and nothing for a role of the association’s own', async () => {
    await unlock('admin');
    const before = await roles();
    // Made before the treasury: even the administrator cannot open it.
    expect(before.get('admin')!.missingDefaults).toEqual(expect.arrayContaining(['treasury.read', 'treasury.write', 'volunteers.manage', 'agenda.read', 'messages.write']));
    expect(await refusal(call('dues:feeTypes', {}))).toMatch(/^FORBIDDEN/);
    for (const r of DEFAULT_ROLES) expect(before.get(r.id)!.missingDefaults, r.id).toEqual(missingDefaultPermissions(r.id, before.get(r.id)!.permissions));
    expect(before.get('treasurer')!.missingDefaults).toContain('treasury.issueReceipts');
    await call('roles:save', { id: 'maraude', name: 'Maraude', permissions: ['people.read'] });
    expect((await roles()).get('maraude')!.missingDefaults).toEqual([]);
  });

  it('refuses a role of the association’s own, an unknown role, and a user without roles.manage, writing nothing', async () => {
    const before = await roles();
    expect(await refusal(call('roles:applyDefaults', { roleIds: ['treasurer', 'maraude'] }))).toBe('VALIDATION: Le rôle « Maraude » a été créé par l’association : il n’a pas de droits par défaut.');
    expect(await refusal(call('roles:applyDefaults', { roleIds: ['treasurer', 'inconnu'] }))).toBe('NOT_FOUND: Rôle inconnu : « inconnu ».');
    expect(await refusal(call('roles:applyDefaults', { roleIds: [] }))).toBe('VALIDATION: Une donnée est refusée : Choisissez au moins un rôle.');
    expect((await roles()).get('treasurer')!.permissions).toEqual(before.get('treasurer')!.permissions);
    await unlock('benoit');
    expect(await refusal(call('roles:applyDefaults', { roleIds: ['social_worker'] }))).toMatch(/^FORBIDDEN/);
    await unlock('admin');
    expect((await roles()).get('social_worker')!.permissions).toEqual(before.get('social_worker')!.permissions);
  });

  it('gives the defaults, signed (they hold after a new unlock) and audited, and keeps what the roles had', async () => {
    const before = await roles();
    const saved = await call('roles:applyDefaults', { roleIds: ['admin', 'treasurer', 'social_worker'] });
    expect(saved.items.map((r) => [r.id, r.missingDefaults])).toEqual([['admin', []], ['treasurer', []], ['social_worker', []]]);
    for (const r of saved.items) expect(r.permissions).toEqual(expect.arrayContaining(before.get(r.id)!.permissions));
    // Untouched: a role not named.
    expect((await roles()).get('reception')!.missingDefaults).toEqual(before.get('reception')!.missingDefaults);
    // Signed by the root key: verified again at the next unlock, and the administrator now opens the treasury.
    await unlock('admin');
    expect((await call('dues:feeTypes', {})).items).toEqual(expect.any(Array));
    const audit = (await call('audit:list', { action: 'role.save', targetId: 'treasurer', limit: 20 })).items.filter((e) => e.targetId === 'treasurer');
    expect(audit.at(0)?.details).toMatchObject({ added: before.get('treasurer')!.missingDefaults });
    // Benoît (social worker) gained the volunteers' rota his role now has by default.
    await unlock('benoit');
    expect((await call('session:current', {}))?.permissions).toEqual(expect.arrayContaining(['volunteers.read', 'agenda.read']));
  });
});
