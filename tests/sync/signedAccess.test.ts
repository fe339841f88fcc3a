/**
 * Merges check the writer's rights where keys are at stake (docs/sync.md "Merge", docs/access.md "Signed access
 * decisions"): a device certified by the association, driven by anyone who holds the database key, cannot change a
 * user's role or status, a role's permissions or a membership without the root key's signature, nor put back an
 * older signed state; and a revoked device's envelopes sealed after its signed cutoff are refused even when a hostile
 * hub keeps serving them (the MemoryHub does not enforce revocations).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { revocationMessage, signAccess, signedColumnsOf, type SignedTable } from '../../main/crypto/accessRecords';
import { sign, toB64 } from '../../main/crypto/identity';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

type Row = Record<string, string | number | null>;

/** Writes `change` to a row of a signed table through `r`, signed by the association root key (what an administrator's session does). */
async function signedUpdate(s: ReplicaSet, r: Replica, table: SignedTable, id: string, change: Row): Promise<Row> {
  const current = (await r.db(table).where({ id }).first()) as Row;
  const next: Row = { ...current, ...change, access_rev: r.mutator.stamp() };
  next['access_sig'] = await signAccess(s.rootKey.secretKey, s.associationId, table, next);
  const written: Row = {};
  for (const c of signedColumnsOf(table)) written[c] = next[c] ?? null;
  await r.mutator.update(table, id, { ...change, ...written }, signedColumnsOf(table));
  return written;
}

async function signedInsert(s: ReplicaSet, r: Replica, table: SignedTable, row: Row): Promise<void> {
  const next: Row = { deleted_at: null, ...row, access_rev: r.mutator.stamp() };
  next['access_sig'] = await signAccess(s.rootKey.secretKey, s.associationId, table, next);
  await r.mutator.insert(table, [next]);
}

const roleOf = async (r: Replica, id: string) => ((await r.db('users').where({ id }).first('role_id', 'disabled')) as { role_id: string; disabled: number } | undefined);
const households = async (r: Replica) => ((await r.db('households').orderBy('name').pluck('name')) as string[]);
const reasons = async (r: Replica) => ((await r.db('sync_rejected').orderBy('server_seq').pluck('reason')) as string[]);

/** Two replicas sharing a signed user Carl (social worker), merged on both. */
async function withCarl(n = 2): Promise<{ s: ReplicaSet; carl: string }> {
  set = await makeReplicas(new MemoryHub(), n);
  const s = set;
  const [a] = s.replicas as [Replica];
  const carl = uuidv7();
  await signedInsert(s, a, 'users', { id: carl, name: 'carl', display_name: 'Carl', is_admin: 0, role_id: 'social_worker', disabled: 0 });
  for (const r of s.replicas) await r.engine.sync();
  return { s, carl };
}

describe('merges of access decisions', () => {
  it('a role changed without the root signature is refused at merge; the rest of the envelope is applied', async () => {
    const { s, carl } = await withCarl();
    const [a, b] = s.replicas as [Replica, Replica];
    expect(await roleOf(b, carl)).toEqual({ role_id: 'social_worker', disabled: 0 });
    // Carl, on device A with the database key, makes himself administrator and adds a household in the same transaction.
    await a.db.transaction(async (trx) => {
      await a.mutator.with(trx).update('users', carl, { role_id: 'admin', is_admin: 1 });
      await a.mutator.with(trx).insert('households', [{ name: 'Famille Martin' }]);
    });
    await a.engine.sync();
    await b.engine.sync();
    expect(await roleOf(b, carl)).toEqual({ role_id: 'social_worker', disabled: 0 });
    expect(await households(b)).toEqual(['Famille Martin']);
    expect((await reasons(b)).at(-1)).toMatch(/sans signature d'administrateur : 1 ligne\(s\) ignorée\(s\)/);
  });

  it('a role change signed by the root key is merged', async () => {
    const { s, carl } = await withCarl();
    const [a, b] = s.replicas as [Replica, Replica];
    await signedUpdate(s, a, 'users', carl, { role_id: 'coordinator' });
    await a.engine.sync();
    await b.engine.sync();
    expect(await roleOf(b, carl)).toEqual({ role_id: 'coordinator', disabled: 0 });
    expect(await reasons(b)).toEqual([]);
  });

  it('an older signed state put back (enabled again with the signature from before the disabling) is refused', async () => {
    const { s, carl } = await withCarl();
    const [a, b] = s.replicas as [Replica, Replica];
    const enabled = (await a.db('users').where({ id: carl }).first('access_rev', 'access_sig')) as Row;
    await signedUpdate(s, a, 'users', carl, { disabled: 1 });
    await a.engine.sync();
    await b.engine.sync();
    expect((await roleOf(b, carl))?.disabled).toBe(1);
    await a.mutator.update('users', carl, { disabled: 0, ...enabled }, signedColumnsOf('users'));
    await a.engine.sync();
    await b.engine.sync();
    expect((await roleOf(b, carl))?.disabled).toBe(1);
    expect((await reasons(b)).at(-1)).toMatch(/sans signature d'administrateur/);
  });

  it('a membership inserted without the root signature does not reach the other devices', async () => {
    const { s, carl } = await withCarl();
    const [a, b] = s.replicas as [Replica, Replica];
    await a.mutator.insert('group_members', [{ group_id: uuidv7(), user_id: carl }]);
    await a.engine.sync();
    await b.engine.sync();
    expect(((await b.db('group_members').where({ user_id: carl }).whereNot('group_id', '')) as unknown[]).length).toBe(0);
  });
});

describe('a revoked device with a hostile hub', () => {
  it('envelopes it sealed after the signed cutoff are refused; the ones before are kept', async () => {
    set = await makeReplicas(new MemoryHub(), 3);
    const s = set;
    const [admin, revoked, other] = s.replicas as [Replica, Replica, Replica];
    await revoked.mutator.insert('households', [{ name: 'Avant le retrait' }]);
    await revoked.engine.sync();
    const cutoff = Date.now();
    const signature = await toB64(await sign(s.rootKey.secretKey, revocationMessage(s.associationId, revoked.deviceId, cutoff)));
    await admin.mutator.insert('device_revocations', [{ id: revoked.deviceId, cutoff: String(cutoff), signature }]);
    await admin.engine.sync();
    // The revoked device keeps writing (its clock a little ahead), and the hub keeps serving it.
    revoked.skew.ms = 2_000;
    await revoked.mutator.insert('households', [{ name: 'Après le retrait' }]);
    await revoked.engine.sync();
    await other.engine.sync();
    await admin.engine.sync();
    for (const r of [other, admin]) {
      expect(await households(r)).toEqual(['Avant le retrait']);
      expect((await reasons(r)).at(-1)).toMatch(/^poste retiré : envoi daté du .*, après son retrait/);
    }
  });

  it('a revocation whose signature is not the root key’s is ignored', async () => {
    set = await makeReplicas(new MemoryHub(), 2);
    const s = set;
    const [a, b] = s.replicas as [Replica, Replica];
    await a.mutator.insert('device_revocations', [{ id: b.deviceId, cutoff: String(Date.now() - 60_000), signature: 'AAAA' }]);
    await a.engine.sync();
    await b.mutator.insert('households', [{ name: 'Toujours là' }]);
    await b.engine.sync();
    await a.engine.sync();
    expect(await households(a)).toEqual(['Toujours là']);
  });
});
