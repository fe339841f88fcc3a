/**
 * keyring.json is untrusted storage (DESIGN.md "Keys", trust rule): whatever in it decides where key material goes —
 * the recovery slot and public key, the audit public key, the Argon2id floor, account requests — counts only as far as
 * the association root key (pinned in each user's sealed bundle) signed it (docs/access.md "Keyring signature").
 * A colleague who can write the folder, and holds the database key, plays each attack here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { fromB64, newBoxKeyPair, newUserKeys, packSecretKeys, sealTo, toB64 } from '../../main/crypto/identity';
import { KEYRING_FILE, keysFromEscrow, makeRecovery, makeRequest, makeSlot, openSlot, readKeyring, withSlot, writeKeyring, type Keyring } from '../../main/crypto/keyring';
import { getSodium } from '../../main/crypto/sodium';
import { recoveryDigest } from '../../main/crypto/keyringTrust';
import { exportSlots, syncedRecovery } from '../../main/services/sync/keySlots';
import { newTestCore, PASSWORD, TEST_KDF, type TestCore } from '../helpers/core';
import { addUser, caught, switchTo } from '../helpers/access';

/** The colleague's own recovery key pair, written into keyring.json in place of the association's. */
async function swapRecoveryKey(dir: string): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  const attacker = await newBoxKeyPair();
  const keyring = await readKeyring(dir);
  await writeKeyring(dir, { ...keyring, recovery: { ...keyring.recovery!, publicKey: await toB64(attacker.publicKey) } });
  return attacker;
}

/** Every escrow of keyring.json that the attacker's key opens (slots and requests). */
async function escrowsOpenedBy(dir: string, pair: { publicKey: Uint8Array; secretKey: Uint8Array }): Promise<string[]> {
  const keyring = await readKeyring(dir);
  const opened: string[] = [];
  for (const s of keyring.slots) if (await keysFromEscrow(s, pair)) opened.push(s.userName);
  return opened;
}

/** keyring.json without its signature: what the code before the signature wrote. */
function stripSignature(dir: string): void {
  const json = JSON.parse(readFileSync(join(dir, KEYRING_FILE), 'utf8')) as Record<string, unknown>;
  delete json['attestation'];
  writeFileSync(join(dir, KEYRING_FILE), JSON.stringify(json, null, 2));
}

describe('a recovery public key swapped in keyring.json', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('an administrator’s ordinary unlock does not re-escrow their keys to it; refused loudly, audited; everything else works', async () => {
    const personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    await t.call('notes:add', { personId, text: 'note de l’admin seul', visibility: { kind: 'me' } });
    await addUser(t, 'carl', 'social_worker');
    await t.call('session:lock', {});
    const attacker = await swapRecoveryKey(t.dir);

    const info = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
    expect(info.warnings?.join(' ')).toMatch(/code de secours/);
    // What the check does not touch keeps working: the note, the people, adding a user (whose escrow is not sealed to the attacker).
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['note de l’admin seul']);
    await addUser(t, 'dora', 'social_worker');
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
    const refused = (await t.call('audit:list', { action: 'keyring.refused', limit: 5 })).items;
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.details).toMatchObject({ problems: expect.arrayContaining(['recovery']) });
    expect((await t.call('audit:verify', {})).ok).toBe(true);

    // Other users' unlocks and password changes do not move their escrow to it either.
    await switchTo(t, 'carl');
    await t.call('users:changePassword', { currentPassword: PASSWORD, newPassword: 'autre mot de passe' });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
  });

  it('a whole recovery slot replaced (the colleague’s own code and key) is refused the same way', async () => {
    await t.call('session:lock', {});
    const attacker = await newBoxKeyPair();
    const keyring = await readKeyring(t.dir);
    const s = await getSodium();
    const recovery = await makeRecovery(keyring.associationId, 'ABCDEFGHJKMNPQRSTVWXYZ012', s.randombytes_buf(32), attacker.secretKey, attacker.publicKey, TEST_KDF);
    await writeKeyring(t.dir, { ...keyring, recovery });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
  });

  it('a request made while the key is swapped carries no escrow to it, before or after approval', async () => {
    await t.call('session:lock', {});
    const attacker = await swapRecoveryKey(t.dir);
    await t.call('session:requestAccount', { dir: t.dir, name: 'nadia', password: PASSWORD });
    const request = (await readKeyring(t.dir)).requests.find((r) => r.userName === 'nadia')!;
    expect(request.escrow).toBeUndefined();
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('users:approve', { requestId: request.id, roleId: 'volunteer', groupIds: [] });
    await switchTo(t, 'nadia');
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
  });

  it('a renewed code is signed: escrows move to it at the next unlock, each move audited', async () => {
    await addUser(t, 'bea', 'social_worker');
    await t.call('session:lock', {});
    await swapRecoveryKey(t.dir);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const { recoveryCode } = await t.call('recovery:renew', {});
    await switchTo(t, 'bea');
    const keyring = await readKeyring(t.dir);
    expect(keyring.slots.find((x) => x.userName === 'bea')?.escrowTo).toBe(keyring.recovery?.publicKey);
    await switchTo(t, 'admin');
    const moved = (await t.call('audit:list', { action: 'keys.reescrowed', limit: 5 })).items;
    expect(moved.map((e) => e.actorName).sort()).toEqual(['admin', 'bea']);
    // The new code resets Béa with her keys kept.
    await t.call('session:lock', {});
    await t.call('session:resetPassword', { dir: t.dir, userName: 'bea', recoveryCode, newPassword: 'nouveau mot de passe' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'recovery.used', limit: 1 })).items[0]?.details).toMatchObject({ keysKept: true });
  });

  it('an administrator’s sync does not sign a swapped recovery slot into the synced table (nor does the next migration take it)', async () => {
    const attacker = await newBoxKeyPair();
    const keyring = await readKeyring(t.dir);
    const s = await getSodium();
    const recovery = await makeRecovery(keyring.associationId, 'ABCDEFGHJKMNPQRSTVWXYZ012', s.randombytes_buf(32), attacker.secretKey, attacker.publicKey, TEST_KDF);
    await writeKeyring(t.dir, { ...keyring, recovery });
    const session = t.core.session()!;
    await exportSlots(session.ctx.db, session.ctx.mutator, t.dir, session.ctx.scopes.root);
    expect((await syncedRecovery(session.ctx.db, await readKeyring(t.dir), session.ctx.scopes.root.publicKey!))?.publicKey).not.toBe(recovery.publicKey);
    await t.call('session:lock', {});
    stripSignature(t.dir);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
    expect((await readKeyring(t.dir)).attestation?.signed.recovery).toBeNull();
  });

  it('a signature made with another key (the colleague’s) is refused', async () => {
    await t.call('session:lock', {});
    const attacker = await swapRecoveryKey(t.dir);
    const keyring = await readKeyring(t.dir);
    const forged = { ...keyring.attestation!, signature: keyring.attestation!.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    await writeKeyring(t.dir, { ...keyring, attestation: forged });
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
    expect(info.warnings?.length).toBeGreaterThan(0);
  });
});

describe('an escrow replaced in a colleague’s slot', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a reset with the code refuses escrowed keys the root never certified for that user: fresh keys, audited', async () => {
    await addUser(t, 'bea', 'social_worker');
    await t.call('session:lock', {});
    // Carl seals keys he made (the real root pinned, it is public) to the public recovery key, as Béa's escrow.
    const keyring = await readKeyring(t.dir);
    const carl = await newUserKeys();
    carl.rootPublicKey = await fromB64(keyring.rootPublicKey!);
    const escrow = await toB64(await sealTo(await fromB64(keyring.recovery!.publicKey), packSecretKeys(carl)));
    await writeKeyring(t.dir, { ...keyring, slots: keyring.slots.map((x) => (x.userName === 'bea' ? { ...x, escrow } : x)) });
    await t.call('session:resetPassword', { dir: t.dir, userName: 'bea', recoveryCode: t.recoveryCode, newPassword: 'nouveau mot de passe' });
    const { keys } = await openSlot(await readKeyring(t.dir), 'bea', 'nouveau mot de passe');
    expect(await toB64(keys.boxPublicKey)).not.toBe(await toB64(carl.boxPublicKey));
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'recovery.used', limit: 1 })).items[0]?.details).toMatchObject({ keysKept: false, escrowRefused: true });
  });
});

describe('an audit public key swapped in keyring.json', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('is refused at the next administrator unlock (audited) and the database’s key written back', async () => {
    const original = (await readKeyring(t.dir)).auditPublicKey;
    await t.call('session:lock', {});
    const keyring = await readKeyring(t.dir);
    await writeKeyring(t.dir, { ...keyring, auditPublicKey: await toB64((await newBoxKeyPair()).publicKey) });
    await caught(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'mauvais mot de passe' }));
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(info.warnings?.join(' ')).toMatch(/clé du journal/);
    expect((await readKeyring(t.dir)).auditPublicKey).toBe(original);
    expect((await t.call('audit:list', { action: 'keyring.refused', limit: 1 })).items[0]?.details).toMatchObject({ problems: ['auditPublicKey'] });
    // The failed unlock sealed to the swapped key reaches the trail as unreadable, not lost silently.
    expect((await t.call('audit:list', { action: 'session.unlockFailed', limit: 1 })).items[0]?.details).toMatchObject({ unreadablePendingEntries: 1 });
  });
});

describe('keyring.json written before the signature (migration)', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('still opens; the first administrator unlock signs the audit key and the floor, never an unverified recovery key', async () => {
    await addUser(t, 'bea', 'social_worker');
    await t.call('session:lock', {});
    stripSignature(t.dir);
    // A user's unlock before any administrator's: works, moves no escrow.
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await t.call('session:lock', {});
    const attacker = await swapRecoveryKey(t.dir);
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await switchTo(t, 'admin');
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
    const keyring: Keyring = await readKeyring(t.dir);
    expect(keyring.attestation?.signed.auditPublicKey).toBe(keyring.auditPublicKey);
    expect(keyring.attestation?.signed.recovery).toBeNull();
    const signed = (await t.call('audit:list', { action: 'keyring.signed', limit: 5 })).items;
    expect(signed).toHaveLength(1);
    // Deleting the signature again gains nothing: the next administrator unlock signs the same values.
    await t.call('session:lock', {});
    stripSignature(t.dir);
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    expect(await escrowsOpenedBy(t.dir, attacker)).toEqual([]);
  });

  it('a recovery slot the root key signed in the synced table is taken as verified', async () => {
    // What a device that syncs holds: the recovery slot in key_slots, signed by the root key (main/services/sync/keySlots.ts).
    const session = t.core.session()!;
    await exportSlots(session.ctx.db, session.ctx.mutator, t.dir, session.ctx.scopes.root);
    await t.call('session:lock', {});
    stripSignature(t.dir);
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(info.warnings ?? []).toEqual([]);
    const keyring = await readKeyring(t.dir);
    expect(keyring.attestation?.signed.recovery).toBe(await recoveryDigest(keyring.recovery!));
  });

  it('without a verified recovery slot, the administrator is asked for a new code; the new one is signed', async () => {
    await t.call('session:lock', {});
    stripSignature(t.dir);
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(info.warnings?.join(' ')).toMatch(/code de secours/);
    await t.call('recovery:renew', {});
    const keyring = await readKeyring(t.dir);
    expect(keyring.attestation?.signed.recovery).toBeTruthy();
    const again = await t.call('session:current', {});
    expect(again?.warnings ?? []).toEqual([]);
  });
});

describe('Argon2id floor', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a forged request with 1 pass and 8 KiB is refused at approval', async () => {
    const keyring = await readKeyring(t.dir);
    const weak = await makeRequest(keyring, { id: uuidv7(), userName: 'faux', displayName: 'Faux', password: 'x' }, { opslimit: 1, memlimit: 8192 });
    await writeKeyring(t.dir, { ...keyring, requests: [...keyring.requests, weak] });
    const e = await caught(t.call('users:approve', { requestId: weak.id, roleId: 'volunteer', groupIds: [] }));
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(e?.message).toMatch(/Argon2id|trop faible/);
    expect((await readKeyring(t.dir)).slots.some((s) => s.userName === 'faux')).toBe(false);
  });

  it('a weak slot (approved before the floor was enforced) is re-sealed at its owner’s unlock, audited', async () => {
    await addUser(t, 'bea', 'social_worker');
    await t.call('session:lock', {});
    // Béa's slot as an approval of a forged weak request left it: same keys, 1 pass, 8 KiB.
    const keyring = await readKeyring(t.dir);
    const opened = await openSlot(keyring, 'bea', PASSWORD);
    const weak = await makeSlot(keyring.associationId, { id: opened.slot.userId, name: 'bea' }, PASSWORD, opened.dbKey, { opslimit: 1, memlimit: 8192 }, { keys: opened.keys });
    await writeKeyring(t.dir, withSlot(keyring, { ...weak, escrow: opened.slot.escrow, escrowTo: opened.slot.escrowTo }));
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    const slot = (await readKeyring(t.dir)).slots.find((s) => s.userName === 'bea')!;
    expect(slot.kdf.opslimit).toBeGreaterThanOrEqual(TEST_KDF.opslimit);
    expect(slot.kdf.memlimit).toBeGreaterThanOrEqual(TEST_KDF.memlimit);
    await switchTo(t, 'admin');
    expect((await t.call('audit:list', { action: 'keys.resealed', limit: 5 })).items.map((e) => e.actorName)).toEqual(['bea']);
  });

  it('the floor cannot be lowered by editing keyring.json', async () => {
    const keyring = await readKeyring(t.dir);
    const att = keyring.attestation!;
    await writeKeyring(t.dir, { ...keyring, attestation: { ...att, signed: { ...att.signed, kdfFloor: { opslimit: 1, memlimit: 8192 } } } });
    const weak = await makeRequest(keyring, { id: uuidv7(), userName: 'faux', displayName: 'Faux', password: 'x' }, { opslimit: 1, memlimit: 8192 });
    await writeKeyring(t.dir, { ...(await readKeyring(t.dir)), requests: [weak] });
    expect(await caught(t.call('users:approve', { requestId: weak.id, roleId: 'volunteer', groupIds: [] }))).toMatchObject({ code: 'VALIDATION' });
  });
});
