/**
 * The message the root key signs for an access decision (docs/access.md "Signed access decisions") must name one row
 * state only: fields are joined with `|`, so a value holding `|` could move text from one field to the next and a
 * signature of one state would verify for another.
 */
import { describe, expect, it } from 'vitest';
import { accessMessage, signAccess, verifyAccess } from '../../../main/crypto/accessRecords';
import { newSignKeyPair, sign, toB64 } from '../../../main/crypto/identity';

const ASSOCIATION = '01900000-0000-7000-8000-000000000001';

describe('access decision messages', () => {
  it('a signature of one row state does not verify for another whose fields split the same text differently', async () => {
    const root = await newSignKeyPair();
    // The text signed for a state whose deleted_at was '2026-01-01T00:00:00.000Z|x' and access_rev 'r1' (as the
    // message was built before values holding '|' were refused).
    const signedText = `solidariciel/v1/access|users|${ASSOCIATION}|u1|role_id=volunteer|disabled=0|deleted_at=2026-01-01T00:00:00.000Z|x|r1`;
    const forged = { id: 'u1', role_id: 'volunteer', disabled: 0, deleted_at: '2026-01-01T00:00:00.000Z', access_rev: 'x|r1' };
    // Whatever signed the first state (an older signer, another tool): the same bytes must not vouch for the second.
    const signature = await toB64(await sign(root.secretKey, signedText));
    expect(() => accessMessage(ASSOCIATION, 'users', forged)).toThrow();
    expect(await verifyAccess(root.publicKey, ASSOCIATION, 'users', { ...forged, access_sig: signature })).toBe(false);
  });

  it('refuses to sign a value holding the separator, and still signs and verifies ordinary rows', async () => {
    const root = await newSignKeyPair();
    await expect(signAccess(root.secretKey, ASSOCIATION, 'group_members', { id: 'm1', group_id: 'g|1', user_id: 'u1', deleted_at: null, access_rev: 'r' })).rejects.toThrow();
    const row = { id: 'm1', group_id: 'g1', user_id: 'u1', deleted_at: null, access_rev: '1767225600000-0001-dev' };
    const access_sig = await signAccess(root.secretKey, ASSOCIATION, 'group_members', row);
    expect(await verifyAccess(root.publicKey, ASSOCIATION, 'group_members', { ...row, access_sig })).toBe(true);
  });
});
