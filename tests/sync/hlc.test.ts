/**
 * The hybrid logical clock (main/sync/hlc.ts): strictly increasing whatever the wall clock does, past every
 * timestamp it observed, and seeded after a restart from what the database knows (maxKnownHlc).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatHlc, HLC_MAX_COUNTER, HybridLogicalClock, parseHlc, rebaseHlc } from '../../main/sync/hlc';
import { maxKnownHlc } from '../../main/sync/versions';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

const DEVICE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

/** A clock whose wall time the test sets. */
function manual(start = T0): { clock: HybridLogicalClock; wall: { ms: number } } {
  const wall = { ms: start };
  return { clock: new HybridLogicalClock(DEVICE, () => wall.ms), wall };
}

function expectIncreasing(values: string[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! < values[i]!)) throw new Error(`not increasing at ${i}: ${values[i - 1]} then ${values[i]}`);
  }
}

describe('HybridLogicalClock', () => {
  it('counts within a millisecond under a steady wall clock, and follows the wall clock when it moves on', () => {
    const { clock, wall } = manual();
    const same = Array.from({ length: 20 }, () => clock.tick());
    expectIncreasing(same);
    expect(same.map((t) => parseHlc(t).millis)).toEqual(Array(20).fill(T0));
    expect(same.map((t) => parseHlc(t).counter)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    wall.ms = T0 + 5;
    const next = clock.tick();
    expect(parseHlc(next)).toEqual({ millis: T0 + 5, counter: 0, deviceId: DEVICE });
    expect(next > same[19]!).toBe(true);
  });

  it('keeps increasing when the wall clock goes back', () => {
    const { clock, wall } = manual();
    const before = clock.tick();
    wall.ms = T0 - 10 * 60_000;
    const after = [clock.tick(), clock.tick()];
    expectIncreasing([before, ...after]);
    expect(parseHlc(after[1]!)).toMatchObject({ millis: T0, counter: 2 });
  });

  it('borrows the next millisecond when 0x10000 events share one, never repeating or going back', () => {
    const { clock, wall } = manual();
    const ticks = Array.from({ length: HLC_MAX_COUNTER + 4 }, () => clock.tick());
    expect(new Set(ticks).size).toBe(ticks.length);
    expectIncreasing(ticks);
    expect(parseHlc(ticks[HLC_MAX_COUNTER]!)).toMatchObject({ millis: T0, counter: HLC_MAX_COUNTER });
    expect(parseHlc(ticks[HLC_MAX_COUNTER + 1]!)).toMatchObject({ millis: T0 + 1, counter: 0 });
    // The wall clock reaches the borrowed millisecond: the counter goes on from there.
    wall.ms = T0 + 1;
    const caughtUp = clock.tick();
    expect(caughtUp > ticks[ticks.length - 1]!).toBe(true);
    expect(parseHlc(caughtUp)).toMatchObject({ millis: T0 + 1, counter: 3 });
  });

  it('moves past a timestamp observed from a device ahead, and ignores one behind', () => {
    const { clock } = manual();
    clock.tick();
    const remote = formatHlc({ millis: T0 + 3 * 60_000, counter: 7 }, 'ffff-other-device');
    clock.observe(remote);
    const t = clock.tick();
    expect(t > remote).toBe(true);
    expect(parseHlc(t)).toMatchObject({ millis: T0 + 3 * 60_000, counter: 8 });
    clock.observe(formatHlc({ millis: T0 - 1000, counter: 0xfff }, 'x'));
    expect(parseHlc(clock.tick())).toMatchObject({ millis: T0 + 3 * 60_000, counter: 9 });
    // Same millisecond, full counter: the next tick borrows the next millisecond.
    clock.observe(formatHlc({ millis: T0 + 3 * 60_000, counter: HLC_MAX_COUNTER }, 'x'));
    expect(parseHlc(clock.tick())).toMatchObject({ millis: T0 + 3 * 60_000 + 1, counter: 0 });
  });

  it('stays strictly increasing and past every observed timestamp, whatever the wall clock and the remotes do', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('wall' as const), delta: fc.integer({ min: -600_000, max: 600_000 }) }),
      fc.record({ kind: fc.constant('observe' as const), delta: fc.integer({ min: -600_000, max: 600_000 }), counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }) }),
      fc.record({ kind: fc.constant('tick' as const), n: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { clock, wall } = manual();
        const ticks: string[] = [];
        let floor = '';
        for (const s of steps) {
          if (s.kind === 'wall') wall.ms = T0 + s.delta;
          else if (s.kind === 'observe') {
            const remote = formatHlc({ millis: T0 + s.delta, counter: s.counter }, 'zzzz');
            clock.observe(remote);
            if (remote > floor) floor = remote;
          } else {
            for (let i = 0; i < s.n; i++) {
              const t = clock.tick();
              // Device ids differ, so compare (millis, counter) only: the tick must be after every observed one.
              expect(t.slice(0, 18) > floor.slice(0, 18)).toBe(true);
              ticks.push(t);
            }
          }
        }
        expectIncreasing(ticks);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatHlc / parseHlc', () => {
  it('round-trips and sorts as (millis, counter, device)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
        (millis, counter, deviceId, millis2, counter2) => {
          const text = formatHlc({ millis, counter }, deviceId);
          expect(text).toMatch(/^\d{13}-[0-9a-f]{4}-/);
          expect(parseHlc(text)).toEqual({ millis, counter, deviceId });
          const other = formatHlc({ millis: millis2, counter: counter2 }, deviceId);
          const byNumbers = millis === millis2 ? counter - counter2 : millis - millis2;
          expect(Math.sign(text < other ? -1 : text > other ? 1 : 0)).toBe(Math.sign(byNumbers));
        },
      ),
    );
  });

  it.each([
    '',
    'not-an-hlc',
    '123-0000-device', // millis not 13 digits
    '1763715600000-00000-device', // counter 5 digits
    '1763715600000-FFFF-device', // upper-case hex
    '1763715600000-0000-', // no device
    '1763715600000_0000_device',
  ])('refuses the malformed value %j', (value) => {
    expect(() => parseHlc(value)).toThrow(/horodatage HLC invalide/);
  });
});

describe('a clock after a restart', () => {
  let set: ReplicaSet | null = null;
  afterEach(async () => {
    await set?.cleanup();
    set = null;
  });

  it('is seeded past every version the database holds, so a wall clock set back cannot date a write before them', async () => {
    set = await makeReplicas(new MemoryHub(), 2);
    const [a, b] = set.replicas as [Replica, Replica];
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Diallo' }]);
    await a.engine.sync();
    await b.engine.sync();
    b.skew.ms = 4 * 60_000;
    await b.mutator.update('households', id!, { notes: 'écrit par B, en avance de 4 minutes' });
    const bHlc = ((await b.db('change_log').orderBy('seq', 'desc').first('hlc')) as { hlc: string }).hlc;
    await b.engine.sync();
    await a.engine.sync();
    // A knows B's write only as a merged cell version (sync_versions.cols), not in its own change log.
    expect(((await a.db('change_log').max({ h: 'hlc' })) as { h: string }[])[0]!.h < bHlc).toBe(true);
    expect(await maxKnownHlc(a.db)).toBe(bHlc);

    // A restarts with its clock set back 4 minutes (within the hub's 5-minute guard): an unseeded clock would date
    // the next write before B's.
    a.skew.ms = -4 * 60_000;
    expect(new HybridLogicalClock(a.deviceId, () => Date.now() + a.skew.ms).tick() < bHlc).toBe(true);
    await a.restart();
    await a.mutator.update('households', id!, { notes: 'écrit par A après le redémarrage' });
    const aHlc = ((await a.db('change_log').orderBy('seq', 'desc').first('hlc')) as { hlc: string }).hlc;
    expect(aHlc > bHlc).toBe(true);

    // So the later write wins on both devices.
    await a.engine.sync();
    await b.engine.sync();
    for (const r of [a, b]) {
      expect(((await r.db('households').where({ id }).first('notes')) as { notes: string }).notes).toBe('écrit par A après le redémarrage');
    }
  });
});

describe('rebaseHlc (a restored folder re-sends the original device\'s writes: docs/backup.md)', () => {
  const NEW = '0193ffff-0000-7000-8000-000000000001';
  it('keeps the time and counter, names the new device, and leaves its own HLCs alone', () => {
    const old = new HybridLogicalClock(DEVICE, () => 1_700_000_000_000).tick();
    const rebased = rebaseHlc(old, NEW);
    expect(rebased).not.toBe(old);
    expect(parseHlc(rebased)).toMatchObject({ millis: 1_700_000_000_000, counter: 0, deviceId: NEW });
    expect(rebased.slice(0, 19)).toBe(old.slice(0, 19));
    expect(rebaseHlc(rebased, NEW)).toBe(rebased);
  });
});
