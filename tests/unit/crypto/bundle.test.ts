/** The sealed key bundle (identity.ts): 96 bytes, 128 with the pinned root, 129 with the adoption flag. */
import { describe, expect, it } from 'vitest';
import { newUserKeys, packSecretKeys, toB64, unpackSecretKeys } from '../../../main/crypto/identity';

describe('key bundle', () => {
  it('carries the adoption flag only with a pinned root, and reads older 96- and 128-byte bundles', async () => {
    const keys = await newUserKeys();
    expect(packSecretKeys(keys)).toHaveLength(96);
    expect(packSecretKeys({ ...keys, accessAdopted: true })).toHaveLength(96);
    const root = (await newUserKeys()).signPublicKey;
    const pinned = packSecretKeys({ ...keys, rootPublicKey: root });
    expect(pinned).toHaveLength(128);
    expect((await unpackSecretKeys(pinned))?.accessAdopted).toBeUndefined();
    const flagged = packSecretKeys({ ...keys, rootPublicKey: root, accessAdopted: true });
    expect(flagged).toHaveLength(129);
    const opened = await unpackSecretKeys(flagged);
    expect(opened?.accessAdopted).toBe(true);
    expect(await toB64(opened!.rootPublicKey!)).toBe(await toB64(root));
    expect(await toB64(opened!.signSecretKey)).toBe(await toB64(keys.signSecretKey));
  });

  it('refuses a 129-byte bundle whose last byte is not the flag', async () => {
    const keys = await newUserKeys();
    const flagged = packSecretKeys({ ...keys, rootPublicKey: keys.signPublicKey, accessAdopted: true });
    flagged[128] = 7;
    expect(await unpackSecretKeys(flagged)).toBeNull();
  });
});
