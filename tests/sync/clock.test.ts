/**
 * The clock guard (issue 4 §3, `checkClock` in main/sync/engine.ts): a device more than 5 minutes off the hub stops
 * syncing with CLOCK_SKEW and a French message naming the minutes, before anything is pushed or merged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/domain/errors';
import { MAX_REQUEST_SKEW_MS } from '../../shared/sync/protocol';
import { checkClock } from '../../main/sync/engine';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

const MINUTE = 60_000;
const HUB = Date.UTC(2026, 10, 21, 9, 0, 0);

function skewError(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('CLOCK_SKEW attendu');
}

describe('checkClock', () => {
  it('accepts up to 5 minutes either way', () => {
    for (const skew of [0, MAX_REQUEST_SKEW_MS, -MAX_REQUEST_SKEW_MS, 4 * MINUTE + 59_999]) expect(() => checkClock(HUB + skew, HUB)).not.toThrow();
  });

  it('stops a device 6 minutes ahead or behind, naming the minutes in French', () => {
    const ahead = skewError(() => checkClock(HUB + 6 * MINUTE, HUB));
    expect(ahead.code).toBe('CLOCK_SKEW');
    expect(ahead.message).toMatch(/^L'horloge de ce poste avance de 6 minutes sur celle du hub/);
    expect(ahead.details).toEqual({ skewMs: 6 * MINUTE });
    const behind = skewError(() => checkClock(HUB - 6 * MINUTE - 20_000, HUB));
    expect(behind.message).toMatch(/retarde de 6 minutes/);
    expect(skewError(() => checkClock(HUB + MAX_REQUEST_SKEW_MS + 1, HUB)).code).toBe('CLOCK_SKEW');
  });
});

describe('a sync run with a clock off the hub', () => {
  let set: ReplicaSet | null = null;
  afterEach(async () => {
    await set?.cleanup();
    set = null;
  });

  async function setup(): Promise<{ a: Replica; b: Replica; s: ReplicaSet; logAtStart: number }> {
    set = await makeReplicas(new MemoryHub(), 2);
    const [a, b] = set.replicas as [Replica, Replica];
    await a.mutator.insert('households', [{ name: 'Foyer de A' }]);
    await a.engine.sync();
    await b.mutator.insert('households', [{ name: 'Foyer de B' }]);
    return { a, b, s: set, logAtStart: set.hub.log.length };
  }

  async function untouched(b: Replica, s: ReplicaSet, logAtStart: number): Promise<void> {
    expect(s.hub.log.length).toBe(logAtStart); // nothing pushed
    expect(((await b.db('households').select('name')) as { name: string }[]).map((h) => h.name)).toEqual(['Foyer de B']); // nothing merged
    expect(await b.db('sync_received').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await b.db('sync_state').where({ key: 'pull_cursor' }).first()).toBeUndefined();
  }

  it('pushes and merges nothing from a device 6 minutes ahead, records the error, and syncs once the clock is right', async () => {
    const { b, s, logAtStart } = await setup();
    b.skew.ms = 6 * MINUTE;
    const e = await b.engine.sync().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CLOCK_SKEW');
    expect((e as AppError).message).toMatch(/avance de 6 minutes/);
    await untouched(b, s, logAtStart);
    const last = JSON.parse(((await b.db('sync_state').where({ key: 'last_error' }).first('value')) as { value: string }).value) as { code: string; message: string };
    expect(last.code).toBe('CLOCK_SKEW');

    b.skew.ms = 0;
    const ok = await b.engine.sync();
    expect(ok.pushed).toBeGreaterThan(0);
    expect(((await b.db('households').orderBy('name').select('name')) as { name: string }[]).map((h) => h.name)).toEqual(['Foyer de A', 'Foyer de B']);
    expect(await b.db('sync_state').where({ key: 'last_error' }).first('value')).toEqual({ value: '' });
  });

  it('stops just the same when the hub is the one 6 minutes behind', async () => {
    const { b, s, logAtStart } = await setup();
    s.hub.time = () => Date.now() - 6 * MINUTE;
    await expect(b.engine.sync()).rejects.toMatchObject({ code: 'CLOCK_SKEW', message: expect.stringMatching(/avance de 6 minutes/) });
    await untouched(b, s, logAtStart);
  });

  it('stops before merging when the hub clock jumps during a run (checked on every answer)', async () => {
    const { b, s } = await setup();
    let answers = 0;
    s.hub.time = () => (++answers > 2 ? Date.now() + 6 * MINUTE : Date.now()); // health and push fine, then the pull
    await expect(b.engine.sync()).rejects.toMatchObject({ code: 'CLOCK_SKEW', message: expect.stringMatching(/retarde de 6 minutes/) });
    expect(((await b.db('households').select('name')) as { name: string }[]).map((h) => h.name)).toEqual(['Foyer de B']);
    expect(await b.db('sync_state').where({ key: 'pull_cursor' }).first()).toBeUndefined();
  });
});
