import { afterEach, describe, expect, it } from 'vitest';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, tableState, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

const COLS = ['first_name', 'last_name', 'email', 'deleted_at', 'updated_at', 'created_at', 'kinds'];

describe('sync engine', () => {
  it('carries an insert, an update and a tombstone to another device', async () => {
    set = await makeReplicas(new MemoryHub(), 2);
    const [a, b] = set.replicas as [NonNullable<ReplicaSet['replicas'][0]>, NonNullable<ReplicaSet['replicas'][0]>];
    const [id1, id2] = await a.mutator.insert('people', [
      { first_name: 'Awa', last_name: 'Diallo', email: 'awa@example.org', kinds: '[]', search_text: 'awa diallo' },
      { first_name: 'Jean', last_name: 'Petit', kinds: '[]', search_text: 'jean petit' },
    ]);
    await a.mutator.update('people', id1!, { email: 'awa.diallo@example.org' });
    await a.mutator.tombstone('people', id2!);
    const pushed = await a.engine.sync();
    expect(pushed.pushed).toBeGreaterThan(0);
    const pulled = await b.engine.sync();
    expect(pulled.pulled).toBeGreaterThan(0);
    expect(await tableState(b.db, 'people', COLS)).toEqual(await tableState(a.db, 'people', COLS));
    const awa = (await b.db('people').where({ id: id1 }).first()) as Record<string, unknown>;
    expect(awa['email']).toBe('awa.diallo@example.org');
    expect(String(awa['search_text'])).toContain('awa');
  });

  it('keeps the later of two concurrent edits and records the conflict on both sides', async () => {
    set = await makeReplicas(new MemoryHub(), 2);
    const [a, b] = set.replicas as [NonNullable<ReplicaSet['replicas'][0]>, NonNullable<ReplicaSet['replicas'][0]>];
    const [id] = await a.mutator.insert('people', [{ first_name: 'Awa', last_name: 'Diallo', kinds: '[]', phone: '0600000000' }]);
    await a.engine.sync();
    await b.engine.sync();
    await a.mutator.update('people', id!, { phone: '0611111111' });
    b.skew.ms = 1000;
    await b.mutator.update('people', id!, { phone: '0622222222' });
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.sync();
    const phoneA = ((await a.db('people').where({ id }).first()) as { phone: string }).phone;
    const phoneB = ((await b.db('people').where({ id }).first()) as { phone: string }).phone;
    expect(phoneA).toBe('0622222222');
    expect(phoneB).toBe('0622222222');
    const conflictsA = (await a.db('sync_history').where({ conflict: 1, column_name: 'phone' })) as { value: string; kept_value: string }[];
    const conflictsB = (await b.db('sync_history').where({ conflict: 1, column_name: 'phone' })) as { value: string; kept_value: string }[];
    expect(conflictsA.map((c) => JSON.parse(c.value))).toEqual(['0611111111']);
    expect(conflictsB.map((c) => JSON.parse(c.value))).toEqual(['0611111111']);
  });
});
