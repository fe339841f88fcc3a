/**
 * keyring.json and its Argon2id key slots (DESIGN.md "Keys"): one message for a wrong password and an unknown user,
 * slots bound to their association and user by the AEAD's associated data, tampering detected, a damaged file named,
 * and the user operations (change password, add user) through the core.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { getSodium } from '../../../main/crypto/sodium';
import { KEYRING_FILE, makeSlot, openSlot, readKeyring, withSlot, writeKeyring, type Keyring, type KeySlot } from '../../../main/crypto/keyring';
import { AppError } from '../../../shared/domain/errors';
import { newTestCore, PASSWORD, TEST_KDF, tempDir, type TestCore } from '../../helpers/core';

const WRONG = { code: 'WRONG_CREDENTIALS', message: "Nom d'utilisateur ou mot de passe incorrect." };

async function caught(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').toBeInstanceOf(AppError);
  return { code: (e as AppError).code, message: (e as AppError).message };
}

/** Decodes a libsodium base64 field, flips one bit of byte `at`, encodes it back. */
async function flip(b64: string, at = 0): Promise<string> {
  const s = await getSodium();
  const bytes = s.from_base64(b64);
  bytes[at] = bytes[at]! ^ 0x01;
  return s.to_base64(bytes);
}

describe('key slots', () => {
  let keyring: Keyring;
  let dbKey: Uint8Array;
  const user = { id: uuidv7(), name: 'Marie' };

  beforeEach(async () => {
    const s = await getSodium();
    dbKey = s.randombytes_buf(32);
    const associationId = uuidv7();
    keyring = { format: 'solidariciel-keyring', version: 2, requests: [], associationId, createdAt: new Date().toISOString(), slots: [await makeSlot(associationId, user, PASSWORD, dbKey, TEST_KDF)] };
  });

  it('opens with the right password (user name case-insensitive) and gives back the database key', async () => {
    const opened = await openSlot(keyring, 'MARIE', PASSWORD);
    expect(Buffer.from(opened.dbKey).equals(Buffer.from(dbKey))).toBe(true);
    expect(opened.slot.userId).toBe(user.id);
  });

  it('stores the parameters in the slot, with a fresh random salt and nonce per slot', async () => {
    const other = await makeSlot(keyring.associationId, user, PASSWORD, dbKey, TEST_KDF);
    const slot = keyring.slots[0]!;
    expect(slot.kdf).toMatchObject({ alg: 'argon2id13', opslimit: TEST_KDF.opslimit, memlimit: TEST_KDF.memlimit });
    expect(other.kdf.salt).not.toBe(slot.kdf.salt);
    expect(other.dbKey!.nonce).not.toBe(slot.dbKey!.nonce);
    expect(other.dbKey!.ciphertext).not.toBe(slot.dbKey!.ciphertext);
    expect(JSON.stringify(slot)).not.toContain(Buffer.from(dbKey).toString('base64').slice(0, 20));
  });

  it('wrong password → WRONG_CREDENTIALS', async () => {
    expect(await caught(openSlot(keyring, 'Marie', 'not the password'))).toEqual(WRONG);
  });

  it('unknown user → exactly the same code and message as a wrong password (no user enumeration)', async () => {
    const unknown = await caught(openSlot(keyring, 'Personne', PASSWORD));
    const wrong = await caught(openSlot(keyring, 'Marie', 'not the password'));
    expect(unknown).toEqual(wrong);
    expect(unknown).toEqual(WRONG);
  });

  it('a slot moved to another user id does not open (associated data mismatch)', async () => {
    const moved: KeySlot = { ...keyring.slots[0]!, userId: uuidv7(), userName: 'Intrus' };
    expect(await caught(openSlot({ ...keyring, slots: [moved] }, 'Intrus', PASSWORD))).toEqual(WRONG);
    // Same user name, other id: still refused.
    expect(await caught(openSlot({ ...keyring, slots: [{ ...keyring.slots[0]!, userId: uuidv7() }] }, 'Marie', PASSWORD))).toEqual(WRONG);
  });

  it('a slot copied into another association does not open (associated data mismatch)', async () => {
    const other: Keyring = { ...keyring, associationId: uuidv7() };
    expect(await caught(openSlot(other, 'Marie', PASSWORD))).toEqual(WRONG);
  });

  for (const field of ['ciphertext', 'nonce', 'salt', 'tag'] as const) {
    it(`tampered ${field} → WRONG_CREDENTIALS`, async () => {
      const slot = structuredClone(keyring.slots[0]!);
      if (field === 'ciphertext') slot.dbKey!.ciphertext = await flip(slot.dbKey!.ciphertext, 3);
      if (field === 'tag') slot.dbKey!.ciphertext = await flip(slot.dbKey!.ciphertext, 32 + 15); // last byte of the Poly1305 tag
      if (field === 'nonce') slot.dbKey!.nonce = await flip(slot.dbKey!.nonce, 5);
      if (field === 'salt') slot.kdf.salt = await flip(slot.kdf.salt, 0);
      expect(await caught(openSlot({ ...keyring, slots: [slot] }, 'Marie', PASSWORD))).toEqual(WRONG);
    });
  }

  it('changed Argon2id parameters → WRONG_CREDENTIALS (they are part of the derivation)', async () => {
    const slot = structuredClone(keyring.slots[0]!);
    slot.kdf.opslimit += 1;
    expect(await caught(openSlot({ ...keyring, slots: [slot] }, 'Marie', PASSWORD))).toEqual(WRONG);
  });
});

describe('a damaged keyring.json → NOT_AN_ASSOCIATION naming the file', () => {
  let dir: string;
  let good: Keyring;
  beforeEach(async () => {
    dir = tempDir('solidariciel-keyring-');
    const associationId = uuidv7();
    const s = await getSodium();
    good = { format: 'solidariciel-keyring', version: 2, requests: [], associationId, createdAt: new Date().toISOString(), slots: [await makeSlot(associationId, { id: uuidv7(), name: 'marie' }, PASSWORD, s.randombytes_buf(32), TEST_KDF)] };
    await writeKeyring(dir, good);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it wrote', async () => {
    expect(await readKeyring(dir)).toEqual(good);
  });

  it('reads a version 1 file (before access rights) in the version 2 shape; its slot gets key pairs at the next unlock', async () => {
    const { publicKey: _p, signPublicKey: _s, secretKeys: _k, escrow: _e, escrowTo: _t, ...bare } = good.slots[0]!;
    writeFileSync(join(dir, KEYRING_FILE), JSON.stringify({ format: 'solidariciel-keyring', version: 1, associationId: good.associationId, createdAt: good.createdAt, slots: [bare] }));
    const read = await readKeyring(dir);
    expect(read).toMatchObject({ version: 2, requests: [], slots: [bare] });
    const opened = await openSlot(read, 'marie', PASSWORD);
    expect(opened.upgraded).toMatchObject({ userId: bare.userId, publicKey: expect.any(String), secretKeys: expect.any(Object) });
    const again = await openSlot({ ...read, slots: [opened.upgraded!] }, 'marie', PASSWORD);
    expect(Buffer.from(again.keys.boxSecretKey).equals(Buffer.from(opened.keys.boxSecretKey))).toBe(true);
    expect(again.upgraded).toBeNull();
  });

  const cases: [string, () => string][] = [
    ['not JSON', () => '{ "format": "solidariciel-keyring", '],
    ['empty', () => ''],
    ['binary garbage', () => '\u0000\u0001\u00ff\u0010PK'],
    ['a JSON array', () => '[]'],
    ['another format', () => JSON.stringify({ ...good, format: 'bitwarden-vault' })],
    ['an unknown version', () => JSON.stringify({ ...good, version: 3 })],
    ['no slots field', () => JSON.stringify({ ...good, slots: undefined })],
    ['a slot without its sealed key', () => JSON.stringify({ ...good, slots: [{ ...good.slots[0]!, dbKey: undefined }] })],
    ['a slot without Argon2id parameters', () => JSON.stringify({ ...good, slots: [{ ...good.slots[0]!, kdf: { alg: 'argon2id13' } }] })],
    ['an association id that is not a UUID', () => JSON.stringify({ ...good, associationId: '../../etc' })],
  ];
  for (const [label, content] of cases) {
    it(label, async () => {
      writeFileSync(join(dir, KEYRING_FILE), content());
      const e = await caught(readKeyring(dir));
      expect(e.code).toBe('NOT_AN_ASSOCIATION');
      expect(e.message).toContain('keyring.json');
      expect(e.message).toContain(dir);
    });
  }

  it('missing file', async () => {
    rmSync(join(dir, KEYRING_FILE));
    const e = await caught(readKeyring(dir));
    expect(e).toMatchObject({ code: 'NOT_AN_ASSOCIATION' });
    expect(e.message).toContain('keyring.json');
  });
});

describe('users and passwords through the core', () => {
  let t: TestCore;
  let personId: string;
  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Zoé', lastName: 'Bernard' } })).id;
  });
  afterEach(async () => t.cleanup());

  const dbKeyWith = async (user: string, password: string) => Buffer.from((await openSlot(await readKeyring(t.dir), user, password)).dbKey).toString('hex');

  it('unlock with a damaged keyring.json → NOT_AN_ASSOCIATION naming the file; nothing is unlocked', async () => {
    await t.call('session:lock', {});
    writeFileSync(join(t.dir, KEYRING_FILE), 'not json at all');
    const e = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD }).catch((err: Error) => err);
    expect(e).toMatchObject({ code: 'NOT_AN_ASSOCIATION' });
    expect((e as Error).message).toContain('keyring.json');
    expect(t.core.session()).toBeNull();
  });

  it('unknown user and wrong password give the same envelope through dispatch', async () => {
    await t.call('session:lock', {});
    const a = await t.call('session:unlock', { dir: t.dir, userName: 'nobody', password: PASSWORD }).catch((e: Error) => e.message);
    const b = await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'wrong password' }).catch((e: Error) => e.message);
    expect(a).toBe(b);
    expect(a).toBe(`WRONG_CREDENTIALS: ${WRONG.message}`);
  });

  it('change password: the old one stops working, the new one works, the database key is unchanged', async () => {
    const keyBefore = await dbKeyWith('admin', PASSWORD);
    const slotBefore = (await readKeyring(t.dir)).slots[0]!;
    await expect(t.call('users:changePassword', { currentPassword: 'not the current one', newPassword: 'un nouveau mot de passe' })).rejects.toMatchObject({
      code: 'WRONG_CREDENTIALS',
    });
    await t.call('users:changePassword', { currentPassword: PASSWORD, newPassword: 'un nouveau mot de passe' });
    const after = await readKeyring(t.dir);
    expect(after.slots).toHaveLength(1);
    expect(after.slots[0]!.userId).toBe(slotBefore.userId);
    expect(after.slots[0]!.kdf.salt).not.toBe(slotBefore.kdf.salt);
    await t.call('session:lock', {});
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'un nouveau mot de passe' });
    expect((await t.call('people:get', { id: personId })).person.firstName).toBe('Zoé');
    expect(await dbKeyWith('admin', 'un nouveau mot de passe')).toBe(keyBefore);
  });

  it('adding a user gives a second slot that unlocks the same data with the same database key', async () => {
    const keyBefore = await dbKeyWith('admin', PASSWORD);
    const { id } = await t.call('users:add', { name: 'benoit', displayName: 'Benoît', password: 'mot de passe de benoit', roleId: 'social_worker' });
    const keyring = await readKeyring(t.dir);
    expect(keyring.slots.map((s) => s.userName).sort()).toEqual(['admin', 'benoit']);
    expect(keyring.slots.find((s) => s.userName === 'benoit')!.userId).toBe(id);
    expect(await dbKeyWith('benoit', 'mot de passe de benoit')).toBe(keyBefore);
    // Each password opens its own slot only.
    await expect(openSlot(keyring, 'benoit', PASSWORD)).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:lock', {});
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'Benoit', password: 'mot de passe de benoit' });
    expect(info.user).toMatchObject({ id, name: 'benoit', displayName: 'Benoît', roleId: 'social_worker' });
    expect((await t.call('people:get', { id: personId })).person.lastName).toBe('Bernard');
    // A social worker may not list users (users.manage); the administrator sees both.
    await expect(t.call('users:list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await t.call('session:lock', {});
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('users:list', {})).items.map((u) => u.name)).toEqual(['admin', 'benoit']);
  });

  it('an orphan slot left by an interrupted addition is replaced when the user is added again', async () => {
    // Simulate a crash between writing the slot and inserting the row: a slot named "benoit" with no user row.
    const keyring = await readKeyring(t.dir);
    const dbKey = (await openSlot(keyring, 'admin', PASSWORD)).dbKey;
    const orphan = await makeSlot(keyring.associationId, { id: '01a1fd46-0000-7000-8000-000000000000', name: 'benoit' }, 'ancien mot de passe', dbKey, TEST_KDF);
    await writeKeyring(t.dir, withSlot(keyring, orphan));
    const { id } = await t.call('users:add', { name: 'benoit', password: 'mot de passe de benoit', roleId: 'social_worker' });
    const after = await readKeyring(t.dir);
    expect(after.slots.filter((s) => s.userName === 'benoit').map((s) => s.userId)).toEqual([id]);
    await t.call('session:lock', {});
    const info = await t.call('session:unlock', { dir: t.dir, userName: 'benoit', password: 'mot de passe de benoit' });
    expect(info.user.id).toBe(id);
  });

  it('a duplicate user name (any case) is refused and leaves the keyring as it was', async () => {
    await t.call('users:add', { name: 'benoit', password: 'mot de passe de benoit', roleId: 'social_worker' });
    const before = readFileSync(join(t.dir, KEYRING_FILE), 'utf8');
    for (const name of ['benoit', 'BENOIT', 'Admin']) {
      await expect(t.call('users:add', { name, password: 'un autre mot de passe', roleId: 'social_worker' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    }
    expect(readFileSync(join(t.dir, KEYRING_FILE), 'utf8')).toBe(before);
    expect((await t.call('users:list', {})).items).toHaveLength(2);
  });

  it('a non-administrator cannot add users (FORBIDDEN), and no slot is written', async () => {
    await t.call('users:add', { name: 'benoit', password: 'mot de passe de benoit', roleId: 'social_worker' });
    await t.call('session:lock', {});
    await t.call('session:unlock', { dir: t.dir, userName: 'benoit', password: 'mot de passe de benoit' });
    const before = readFileSync(join(t.dir, KEYRING_FILE), 'utf8');
    await expect(t.call('users:add', { name: 'claire', password: 'mot de passe de claire', roleId: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(readFileSync(join(t.dir, KEYRING_FILE), 'utf8')).toBe(before);
    await t.call('session:lock', {});
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('users:list', {})).items.map((u) => u.name)).toEqual(['admin', 'benoit']);
  });
});
