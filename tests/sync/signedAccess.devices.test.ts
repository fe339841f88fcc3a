/**
 * Signed access decisions across two real devices and a real hub (docs/access.md "Signed access decisions",
 * docs/sync.md "Devices"): a colleague who makes themselves administrator on their device gets nothing from the
 * administrator's device, and a revocation travels as a signed record with its cutoff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRevocation } from '../../main/crypto/accessRecords';
import { fromB64 } from '../../main/crypto/identity';
import { readKeyring } from '../../main/crypto/keyring';
import { startHub, type TestHub } from '../hub/helpers';
import { joinTestDevice, pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

describe('access decisions across devices (two cores, one hub)', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let carl: string;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    carl = await addUser(a, 'carl', 'social_worker');
    b = await pairThroughHub(hub.url, a, 'Portable du foyer');
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('a colleague who makes themselves administrator on their device gets no root key from the administrator’s device', async () => {
    await switchTo(b, 'carl');
    // Carl writes his own role through the device's write path (what anyone holding the database key can do).
    await b.core.session()!.ctx.mutator.update('users', carl, { role_id: 'admin', is_admin: 1 });
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    await switchTo(a, 'admin');
    const onA = a.core.session()!.ctx.db;
    expect(((await onA('users').where({ id: carl }).first('role_id')) as { role_id: string }).role_id).toBe('social_worker');
    expect(await onA('root_key_grants').where({ user_id: carl }).whereNull('deleted_at')).toHaveLength(0);
    expect(((await onA('sync_rejected').pluck('reason')) as string[]).some((r) => r.includes("sans signature d'administrateur"))).toBe(true);
    await switchTo(b, 'admin');
  });

  it('a revocation is a record signed by the root key, with its cutoff, that reaches the other devices', async () => {
    const portable = (await a.call('devices:list', {})).items.find((d) => d.name === 'Portable du foyer')!;
    const third = await a.call('devices:invite', { name: 'Troisième poste' });
    const c = await joinTestDevice(hub.url, third.code);
    try {
      await a.call('devices:revoke', { deviceId: portable.deviceId });
      await a.call('sync:now', {});
      await c.call('sync:now', {});
      const row = (await c.core.session()!.ctx.db('device_revocations').where({ id: portable.deviceId }).first('id', 'cutoff', 'signature')) as { id: string; cutoff: string; signature: string };
      const keyring = await readKeyring(a.dir);
      expect(await verifyRevocation(await fromB64(keyring.rootPublicKey!), keyring.associationId, row)).toBe(Number(row.cutoff));
    } finally {
      await c.cleanup();
    }
  });
});
