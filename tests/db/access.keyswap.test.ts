/**
 * Review reproduction (docs/access.md "Keys"): a colleague who writes their own public keys into another user's
 * `users` row. The root key certifies users' public keys; a certificate must never be made for keys a colleague
 * wrote into someone else's row, or the root (sealed to that user's certified key) goes to the colleague.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromB64, openSealed, signPublicKeyOf, toB64 } from '../../main/crypto/identity';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser } from '../helpers/access';
import { asInsider } from '../helpers/insider';

describe('public keys swapped in the users table', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a colleague who puts their own keys in a second administrator’s row and drops that row’s root grant does not obtain the root key at the next administrator unlock', async () => {
    const eve = await addUser(t, 'eve', 'admin');
    await addUser(t, 'carl', 'social_worker');
    const rootPublic = await asInsider(t, 'carl', async (db, keys) => {
      await db('users').where({ id: eve }).update({ public_key: await toB64(keys.boxPublicKey), sign_public_key: await toB64(keys.signPublicKey) });
      await db('root_key_grants').where({ user_id: eve }).delete();
      return (await db('meta').where({ key: 'root_public_key' }).first('value')) as { value: string };
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const stolen = await asInsider(t, 'carl', async (db, keys) => {
      const rows = (await db('root_key_grants').where({ user_id: eve }).whereNull('deleted_at').pluck('sealed')) as string[];
      for (const sealed of rows) {
        const secret = await openSealed({ publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey }, await fromB64(sealed));
        if (secret && secret.length === 64 && (await toB64(await signPublicKeyOf(secret))) === rootPublic.value) return true;
      }
      return false;
    });
    expect(stolen).toBe(false);
  });
});
