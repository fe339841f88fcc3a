/**
 * An unreachable hub in the user's words (docs/sync.md): once a hub was joined, local work goes on and sync resumes
 * later; while joining (no hub ever joined here), the message asks to check the address and never promises that
 * « la synchronisation reprendra plus tard ».
 */
import { describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';

const down: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
const ID = '0192f5a0-7b1c-7d3e-8f00-123456789abc';

async function messageOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('unreachable hub', () => {
  it('while joining asks to check the address, with no promise of a later sync', async () => {
    const joining = new HubClient({ url: 'http://192.0.2.1:8443', deviceId: ID, signSecretKey: new Uint8Array(64), fetch: down, joined: false });
    const message = await messageOf(joining.health());
    expect(message).toMatch(/vérifiez son adresse/);
    expect(message).not.toMatch(/reprendra plus tard/);
    const redeem = await messageOf(HubClient.redeemInvite('http://192.0.2.1:8443', { inviteId: ID, authKey: 'AAAA' }, down));
    expect(redeem).not.toMatch(/reprendra plus tard/);
  });

  it('once joined says local work goes on and sync resumes later', async () => {
    const joined = new HubClient({ url: 'http://192.0.2.1:8443', deviceId: ID, signSecretKey: new Uint8Array(64), fetch: down });
    expect(await messageOf(joined.health())).toMatch(/reprendra plus tard/);
  });
});
