/**
 * Delivery faults one at a time (the property test mixes them): a page lost in transit leaves the cursor after the
 * last page merged; a page served twice, reversed, or an envelope stored twice by the hub is applied once; a lost
 * push answer makes the device push again and the hub keeps one copy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/domain/errors';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, tableState, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

const COLS = ['name', 'notes', 'deleted_at', 'created_at', 'updated_at', 'scope_id'];

/** A writes `n` households, one transaction (one envelope) each, then pushes; returns their ids in order. */
async function setup(n: number): Promise<{ a: Replica; b: Replica; s: ReplicaSet; ids: string[] }> {
  set = await makeReplicas(new MemoryHub(), 2);
  const [a, b] = set.replicas as [Replica, Replica];
  const ids: string[] = [];
  for (let k = 0; k < n; k++) ids.push(...(await a.mutator.insert('households', [{ name: `Foyer ${k}`, notes: null }])));
  await a.engine.sync();
  expect(set.hub.log.length).toBe(n);
  return { a, b, s: set, ids };
}

const cursor = async (r: Replica) => Number(((await r.db('sync_state').where({ key: 'pull_cursor' }).first('value')) as { value: string } | undefined)?.value ?? 0);
const count = async (r: Replica, table: string) => Number(((await r.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);

describe('delivery faults', () => {
  it('a page lost in transit: the cursor stays after the last page merged, and the next run fetches the rest', async () => {
    const { a, b } = await setup(6);
    b.faults.limit = 2;
    let pulls = 0;
    b.faults.losePull = () => ++pulls === 2;
    await expect(b.engine.sync()).rejects.toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect(await cursor(b)).toBe(2);
    expect(await count(b, 'households')).toBe(2);
    const res = await b.engine.sync();
    expect(res.pulled).toBeGreaterThan(0);
    expect(await cursor(b)).toBe(6);
    expect(await tableState(b.db, 'households', COLS)).toEqual(await tableState(a.db, 'households', COLS));
    const lastError = (await b.db('sync_state').where({ key: 'last_error' }).first('value')) as { value: string };
    expect(lastError.value).toBe(''); // cleared by the successful run
  });

  it('pages served twice and reversed, and envelopes the hub stored twice, are applied once', async () => {
    const { a, b, s, ids } = await setup(4);
    // Later writes to the same rows (5..8): an insert applied again after them would leave a trace in the history.
    for (const id of ids) await a.mutator.update('households', id, { notes: 'mis à jour' });
    await a.engine.sync();
    s.hub.dedupe = false;
    const inserts = (await a.db('sync_outbox').where('device_seq', '<=', 4).orderBy('device_seq').select('header', 'ciphertext', 'signature')) as {
      header: string;
      ciphertext: string;
      signature: string;
    }[];
    await a.api.push(inserts); // stored again, at 9..12
    s.hub.dedupe = true;
    expect(s.hub.log.length).toBe(12);
    b.faults.limit = 3;
    b.faults.page = (page) => [...page, ...page].reverse();

    const res = await b.engine.sync();
    expect(res.rejected).toBe(0);
    expect(await tableState(b.db, 'households', COLS)).toEqual(await tableState(a.db, 'households', COLS));
    expect(await count(b, 'sync_received')).toBe(8);
    // Only the four overwritten nulls, none a conflict: nothing from the inserts served again.
    const history = (await b.db('sync_history').select('value', 'kept_value', 'conflict')) as { value: string; kept_value: string; conflict: number }[];
    expect(history).toEqual(Array(4).fill({ value: 'null', kept_value: '"mis à jour"', conflict: 0 }));
    expect(await cursor(b)).toBe(12);
  });

  it('a push answer lost: the device pushes again, the hub keeps one copy, the outbox ends acknowledged', async () => {
    const { a, s } = await setup(0);
    await a.mutator.insert('households', [{ name: 'Foyer Diallo' }]);
    let pushes = 0;
    a.faults.losePushAnswer = () => ++pushes === 1;
    const e = await a.engine.sync().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e instanceof AppError && e.code).toBe('HUB_UNREACHABLE');
    expect(s.hub.log.length).toBe(1);
    expect(await a.db('sync_outbox').whereNull('pushed_at').count({ n: '*' })).toEqual([{ n: 1 }]);
    const res = await a.engine.sync();
    expect(res.pushed).toBeGreaterThan(0);
    expect(res.pending).toBe(0);
    expect(s.hub.log.length).toBe(1);
    expect(await a.db('sync_outbox').whereNull('pushed_at').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
