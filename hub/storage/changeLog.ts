/**
 * The change log: envelopes in per-association server sequence order. A push moves the association row's
 * `head_seq` in the same statement (PostgreSQL) or transaction (SQLite) that inserts its envelopes, so the row lock
 * numbers pushes to one association one after the other with no gap, while different associations proceed in
 * parallel. (device, deviceSeq) is unique: a push repeated — even while the first is still in flight — is answered
 * with the serverSeqs stored the first time, never stored twice.
 */
import type { Knex } from 'knex';
import { pgPrepared, type Dialect } from './database';
import { num, type Registry } from './registry';

export const ASSOCIATION_SCOPE = 'association';

export interface IncomingEnvelope {
  deviceSeq: number;
  scope: string;
  audience: string[];
  keyEpoch: number;
  hlc: string;
  /** The exact header JSON string the device signed. */
  header: string;
  ciphertext: Buffer;
  signature: string;
}

export interface Accepted {
  deviceSeq: number;
  serverSeq: number;
  duplicate: boolean;
}

export interface StoredEnvelope {
  serverSeq: number;
  header: string;
  ciphertext: Buffer;
  signature: string;
}

export interface PullPage {
  envelopes: StoredEnvelope[];
  next: number;
  head: number;
  more: boolean;
}

/**
 * One push on PostgreSQL: moves the association's head by $1 unless one of the new deviceSeqs ($4) is stored already
 * or (with $5) the device is not active; notes the device as seen (at most once a minute); inserts the envelopes
 * and their audience rows under the numbers freed. No row back: nothing was done.
 */
const PUSH_STATEMENT = {
  name: 'solidariciel-hub-push-v1',
  text: `WITH head AS (
    UPDATE associations SET head_seq = head_seq + $1 WHERE id = $2
      AND NOT EXISTS (SELECT 1 FROM envelopes WHERE association_id = $2 AND device_id = $3 AND device_seq = ANY($4::bigint[]))
      AND (NOT $5::boolean OR EXISTS (SELECT 1 FROM devices WHERE id = $3 AND association_id = $2 AND revoked_at IS NULL AND NOT pending))
    RETURNING head_seq - $1 AS base
  ), seen AS (
    UPDATE devices SET last_seen_at = $6 WHERE $5::boolean AND id = $3 AND (last_seen_at IS NULL OR last_seen_at < $7) AND EXISTS (SELECT 1 FROM head)
    RETURNING 1
  ), ins AS (
    INSERT INTO envelopes (association_id, server_seq, device_id, device_seq, scope, key_epoch, hlc, header, ciphertext, signature, received_at)
    SELECT $2, head.base + v.i, $3, v.device_seq, v.scope, v.key_epoch, v.hlc, v.header, v.ciphertext, v.signature, $6
    FROM head, unnest($8::int[], $4::bigint[], $9::text[], $10::int[], $11::text[], $12::text[], $13::bytea[], $14::text[])
      AS v(i, device_seq, scope, key_epoch, hlc, header, ciphertext, signature)
    RETURNING 1
  ), aud AS (
    INSERT INTO envelope_audience (association_id, server_seq, audience_id)
    SELECT $2, head.base + a.i, a.id FROM head, unnest($15::int[], $16::text[]) AS a(i, id)
    RETURNING 1
  )
  SELECT base, (SELECT count(*) FROM ins) AS inserted FROM head`,
};

/** Rows per INSERT statement (SQLite allows 32,766 bound values; 11 columns × 500 stays well below). */
const INSERT_BATCH = 500;

export class ChangeLog {
  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
    private readonly registry: Registry,
  ) {}

  /**
   * Stores a device's envelopes. Returns one entry per envelope, in the request's order: a duplicate (same device
   * and deviceSeq, stored earlier or earlier in this request) gets the serverSeq it had. With `checkDevice`
   * (PostgreSQL), the statement also requires the device to be active — else nothing is stored and the answer is
   * 'inactive' — and records when it was last seen.
   */
  async push(associationId: string, deviceId: string, items: IncomingEnvelope[], now: number, checkDevice = false): Promise<Accepted[] | 'inactive'> {
    if (this.dialect === 'sqlite') return this.pushInTransaction(associationId, deviceId, items, now);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pushPostgres(associationId, deviceId, items, now, checkDevice);
      } catch (e) {
        // The same envelope pushed twice at once (a retry while the first is in flight): the second loses on the
        // unique (device, deviceSeq) index, and its next attempt finds the first as a duplicate.
        if ((e as { code?: unknown }).code !== '23505' || attempt >= 3) throw e;
      }
    }
  }

  /**
   * Splits a push into envelopes already stored (`known`: deviceSeq → serverSeq), new ones (numbered 1…n after the
   * head) and repeats inside the request; `answer(base)` gives the per-envelope answer once the head is known.
   */
  private plan(items: IncomingEnvelope[], known: Map<number, number>): { fresh: { e: IncomingEnvelope; offset: number }[]; answer(base: number): Accepted[] } {
    const fresh: { e: IncomingEnvelope; offset: number }[] = [];
    const inRequest = new Map<number, number>();
    const entries = items.map((e) => {
      const stored = known.get(e.deviceSeq);
      if (stored !== undefined) return { deviceSeq: e.deviceSeq, stored, offset: 0, duplicate: true };
      const earlier = inRequest.get(e.deviceSeq);
      if (earlier !== undefined) return { deviceSeq: e.deviceSeq, stored: null, offset: earlier, duplicate: true };
      const offset = fresh.length + 1;
      inRequest.set(e.deviceSeq, offset);
      fresh.push({ e, offset });
      return { deviceSeq: e.deviceSeq, stored: null, offset, duplicate: false };
    });
    return {
      fresh,
      answer: (base) => entries.map((x) => ({ deviceSeq: x.deviceSeq, serverSeq: x.stored ?? base + x.offset, duplicate: x.duplicate })),
    };
  }

  private async known(q: Knex, associationId: string, deviceId: string, items: IncomingEnvelope[]): Promise<Map<number, number>> {
    const seqs = [...new Set(items.map((e) => e.deviceSeq))];
    const known = new Map<number, number>();
    for (let i = 0; i < seqs.length; i += INSERT_BATCH) {
      const rows = await q('envelopes')
        .where({ association_id: associationId, device_id: deviceId })
        .whereIn('device_seq', seqs.slice(i, i + INSERT_BATCH))
        .select('device_seq', 'server_seq');
      for (const r of rows) known.set(num(r.device_seq), num(r.server_seq));
    }
    return known;
  }

  /**
   * PostgreSQL, in one round trip when nothing is a duplicate (the usual case): ONE statement moves the
   * association's head by the number of new envelopes — unless one of them is already stored — taking its row lock
   * until the statement commits, and inserts them under the numbers it freed. When the guard finds a duplicate, the
   * duplicates are read and the statement runs again for the rest. A concurrent identical push makes the statement
   * fail whole on the unique index (23505): `push` retries and finds it then.
   */
  private async pushPostgres(associationId: string, deviceId: string, items: IncomingEnvelope[], now: number, checkDevice: boolean): Promise<Accepted[] | 'inactive'> {
    const optimistic = await this.insertPostgres(associationId, deviceId, items, new Map(), now, checkDevice);
    if (optimistic) return optimistic;
    if (checkDevice && !(await this.registry.isActive(deviceId))) return 'inactive';
    const again = await this.insertPostgres(associationId, deviceId, items, await this.known(this.knex, associationId, deviceId, items), now, checkDevice);
    if (again) return again;
    throw Object.assign(new Error('doublon concurrent'), { code: '23505' }); // stored meanwhile: push retries
  }

  /** The guarded statement; null when one of the envelopes it would insert is already stored. */
  private async insertPostgres(associationId: string, deviceId: string, items: IncomingEnvelope[], known: Map<number, number>, now: number, checkDevice: boolean): Promise<Accepted[] | null> {
    const { fresh, answer } = this.plan(items, known);
    if (fresh.length === 0) return answer(0);
    const audience: { i: number; id: string }[] = [];
    for (const { e, offset } of fresh) {
      if (e.scope !== ASSOCIATION_SCOPE) for (const id of new Set(e.audience)) audience.push({ i: offset, id });
    }
    const result = await pgPrepared(this.knex, PUSH_STATEMENT, [
      fresh.length,
      associationId,
      deviceId,
      fresh.map(({ e }) => e.deviceSeq),
      checkDevice,
      now,
      now - 60_000,
      fresh.map((f) => f.offset),
      fresh.map(({ e }) => e.scope),
      fresh.map(({ e }) => e.keyEpoch),
      fresh.map(({ e }) => e.hlc),
      fresh.map(({ e }) => e.header),
      fresh.map(({ e }) => e.ciphertext),
      fresh.map(({ e }) => e.signature),
      audience.map((a) => a.i),
      audience.map((a) => a.id),
    ]);
    const row = result.rows[0];
    return row ? answer(num(row['base'])) : null;
  }

  /** SQLite (one connection, no round trips): the same under a transaction. */
  private async pushInTransaction(associationId: string, deviceId: string, items: IncomingEnvelope[], now: number): Promise<Accepted[]> {
    return this.knex.transaction(async (trx) => {
      const assoc = await trx('associations').where({ id: associationId }).forUpdate().first('head_seq');
      if (!assoc) throw new Error(`association absente : ${associationId}`);
      const head = num(assoc.head_seq);
      const { fresh, answer } = this.plan(items, await this.known(trx, associationId, deviceId, items));
      const rows = fresh.map(({ e, offset }) => ({
        association_id: associationId,
        server_seq: head + offset,
        device_id: deviceId,
        device_seq: e.deviceSeq,
        scope: e.scope,
        key_epoch: e.keyEpoch,
        hlc: e.hlc,
        header: e.header,
        ciphertext: e.ciphertext,
        signature: e.signature,
        received_at: now,
      }));
      const audienceRows = fresh.flatMap(({ e, offset }) =>
        e.scope === ASSOCIATION_SCOPE ? [] : [...new Set(e.audience)].map((a) => ({ association_id: associationId, server_seq: head + offset, audience_id: a })),
      );
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await trx('envelopes').insert(rows.slice(i, i + INSERT_BATCH));
      for (let i = 0; i < audienceRows.length; i += 5 * INSERT_BATCH) await trx('envelope_audience').insert(audienceRows.slice(i, i + 5 * INSERT_BATCH));
      if (rows.length > 0) await trx('associations').where({ id: associationId }).update({ head_seq: head + rows.length });
      return answer(head);
    });
  }

  /**
   * One page of envelopes after `after` for a device whose audience is `audience`: association-wide ones and those
   * whose audience intersects. At most `limit` envelopes and about `maxBytes` of ciphertext (always at least one).
   * `next` is the last serverSeq served when the page is cut short; otherwise every envelope up to `head` was looked
   * at, and `next` is `head` (so a device skips past envelopes not meant for it instead of asking again forever).
   * `knownHead`: the head read with the device row in the same round trip (an up-to-date device costs no more).
   */
  async pull(associationId: string, after: number, limit: number, audience: string[], maxBytes: number, knownHead?: number): Promise<PullPage> {
    const head = knownHead ?? num((await this.knex('associations').where({ id: associationId }).first('head_seq'))?.head_seq ?? 0);
    if (after >= head) return { envelopes: [], next: after, head, more: false };
    const query = this.knex('envelopes as e')
      .where('e.association_id', associationId)
      .andWhere('e.server_seq', '>', after)
      .andWhere('e.server_seq', '<=', head)
      .andWhere((w) => {
        w.where('e.scope', ASSOCIATION_SCOPE);
        if (audience.length > 0) {
          w.orWhereExists((s) => {
            s.select(this.knex.raw('1'))
              .from('envelope_audience as a')
              .whereRaw('a.association_id = e.association_id AND a.server_seq = e.server_seq')
              .andWhereRaw(this.dialect === 'pg' ? 'a.audience_id = ANY(?::text[])' : 'a.audience_id IN (SELECT value FROM json_each(?))', [this.dialect === 'pg' ? audience : JSON.stringify(audience)]);
          });
        }
      })
      .orderBy('e.server_seq')
      .limit(limit)
      .select('e.server_seq', 'e.header', 'e.ciphertext', 'e.signature');
    const rows = await query;
    const envelopes: StoredEnvelope[] = [];
    let bytes = 0;
    let cut = rows.length === limit;
    for (const r of rows) {
      const ciphertext = r.ciphertext as Buffer;
      if (envelopes.length > 0 && bytes + ciphertext.length > maxBytes) {
        cut = true;
        break;
      }
      bytes += ciphertext.length;
      envelopes.push({ serverSeq: num(r.server_seq), header: String(r.header), ciphertext, signature: String(r.signature) });
    }
    const last = envelopes[envelopes.length - 1];
    const next = cut && last ? last.serverSeq : head;
    return { envelopes, next, head, more: next < head };
  }
}
