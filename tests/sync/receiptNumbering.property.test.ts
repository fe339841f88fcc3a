/**
 * Receipt numbers without gaps, offline (docs/treasury.md « Numérotation »), property-based over the real sync
 * engine: 2 to 4 devices issue receipts in 2025 and 2026 while offline, crash in the middle of issuing (the
 * transaction dies after the number was computed), sync now and then through a hub that loses pulls and push
 * answers, serves pages twice, reversed or shuffled and stores re-pushed envelopes again, and a device may be
 * replaced by a restored copy (a new device id on the same data, as main/services/backup/reenroll.ts gives it).
 * Once every device has synced until nothing moves: all hold the same receipts; no number is used twice; each
 * series belongs to one device and its numbers for a year are exactly 1..n; every number a device gave out is there,
 * on the row it was given to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import type { PulledEnvelope } from '../../shared/sync/protocol';
import { AppError } from '../../shared/domain/errors';
import { parseReceiptNumber } from '../../shared/domain/receiptNumber';
import { insertNumbered } from '../../main/services/treasury/receiptNumbering';
import { MemoryHub, type Faults } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

const replica = fc.nat(3);
const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('issue' as const), r: replica, year: fc.constantFrom(2025, 2026) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('crash' as const), r: replica, year: fc.constantFrom(2025, 2026) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('sync' as const), r: replica }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('faults' as const),
      r: replica,
      page: fc.constantFrom('none', 'twice', 'reverse', 'shuffle'),
      limit: fc.constantFrom(1, 2, 500),
      losePullEvery: fc.constantFrom(0, 2),
      losePushAnswerEvery: fc.constantFrom(0, 2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('repush' as const), r: replica }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('restore' as const), r: replica }) },
);

function pageFault(kind: string): Faults['page'] {
  if (kind === 'twice') return (p: PulledEnvelope[]) => [...p, ...p];
  if (kind === 'reverse') return (p) => [...p].reverse();
  if (kind === 'shuffle') return (p) => [...p.filter((_, i) => i % 2 === 1), ...p.filter((_, i) => i % 2 === 0).reverse()];
  return undefined;
}

async function trySync(r: Replica): Promise<void> {
  try {
    await r.engine.sync();
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'HUB_UNREACHABLE')) throw e;
  }
}

/** One receipt issued on `r` as device `issuer`; `crash` kills the transaction after the number was computed. */
async function issue(r: Replica, issuer: string, year: number, crash: boolean): Promise<{ id: string; number: string } | null> {
  const id = uuidv7();
  try {
    return await r.db.transaction(async (trx) => {
      const m = r.mutator.with(trx);
      const n = await insertNumbered(trx, m, issuer, year, id, () => ({
        person_id: 'p',
        kind: 'gift',
        issued_on: `${year}-06-01`,
        status: 'issued',
        ciphertext: '{}',
        key_wraps: '[]',
      }));
      if (crash) throw new Error('crash');
      return { id, number: n.number };
    });
  } catch (e) {
    if ((e as Error).message === 'crash') return null;
    throw e;
  }
}

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

describe('receipt numbers across offline devices (property)', () => {
  it('no number twice, none skipped, none changed, whatever the deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.array(command, { minLength: 5, maxLength: 40 }), async (n, commands) => {
        await set?.cleanup();
        const hub = new MemoryHub();
        set = await makeReplicas(hub, n, () => ({}));
        const reps = set.replicas;
        const issuers = reps.map((r) => r.deviceId);
        const given = new Map<string, string>(); // number → receipt id
        for (const c of commands) {
          const i = c.r % reps.length;
          const r = reps[i]!;
          if (c.k === 'issue' || c.k === 'crash') {
            const out = await issue(r, issuers[i]!, c.year, c.k === 'crash');
            if (out) {
              expect(given.has(out.number), `${out.number} given twice`).toBe(false);
              given.set(out.number, out.id);
            }
          } else if (c.k === 'sync') await trySync(r);
          else if (c.k === 'faults') {
            let pulls = 0;
            let pushes = 0;
            r.faults.page = pageFault(c.page);
            r.faults.limit = c.limit;
            r.faults.losePull = c.losePullEvery ? () => ++pulls % c.losePullEvery === 0 : undefined;
            r.faults.losePushAnswer = c.losePushAnswerEvery ? () => ++pushes % c.losePushAnswerEvery === 0 : undefined;
          } else if (c.k === 'repush') {
            const sent = (await r.db('sync_outbox').whereNotNull('pushed_at').orderBy('device_seq').limit(20).select('header', 'ciphertext', 'signature')) as {
              header: string;
              ciphertext: string;
              signature: string;
            }[];
            if (sent.length === 0) continue;
            hub.dedupe = false;
            try {
              await r.api.push(sent);
            } catch (e) {
              if (!(e instanceof AppError && e.code === 'HUB_UNREACHABLE')) throw e;
            } finally {
              hub.dedupe = true;
            }
          } else issuers[i] = uuidv7(); // a restored copy: same data, a new device id
        }
        for (const r of reps) Object.assign(r.faults, { page: undefined, limit: undefined, losePull: undefined, losePushAnswer: undefined });
        for (let round = 0; round < 3; round++) for (const r of reps) await r.engine.sync();

        const states = await Promise.all(reps.map(async (r) => (await r.db('tax_receipts').orderBy('number').select('id', 'number', 'series', 'year', 'seq', 'device_id')) as Row[]));
        for (const s of states) expect(s).toEqual(states[0]);
        const rows = states[0]!;
        expect(rows.length).toBe(given.size);
        expect(new Set(rows.map((x) => x.number)).size).toBe(rows.length);
        for (const x of rows) {
          expect(given.get(x.number)).toBe(x.id);
          expect(parseReceiptNumber(x.number)).toEqual({ year: x.year, series: x.series, seq: x.seq });
        }
        const owner = new Map<string, string>();
        const seqs = new Map<string, number[]>();
        for (const x of rows) {
          expect(owner.get(x.series) ?? x.device_id, `series ${x.series} shared`).toBe(x.device_id);
          owner.set(x.series, x.device_id);
          seqs.set(`${x.series}/${x.year}`, [...(seqs.get(`${x.series}/${x.year}`) ?? []), x.seq]);
        }
        for (const [key, list] of seqs) expect(list.sort((a, b) => a - b), key).toEqual(list.map((_, k) => k + 1));
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});

interface Row {
  id: string;
  number: string;
  series: string;
  year: number;
  seq: number;
  device_id: string;
}
