/**
 * The change log: envelopes in per-association server sequence order. A push takes the association row's lock
 * (`SELECT … FOR UPDATE`), so pushes to one association are numbered one after the other with no gap while
 * different associations proceed in parallel; the (device, deviceSeq) de-duplication runs under that lock, so a
 * push retried while the first is still in flight cannot be stored twice.
 */
import type { Knex } from 'knex';
import type { Dialect } from './database';
import { num } from './registry';

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

/** Rows per INSERT statement (SQLite allows 32,766 bound values; 11 columns × 500 stays well below). */
const INSERT_BATCH = 500;

export class ChangeLog {
  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Stores a device's envelopes in one transaction. Returns one entry per envelope, in the request's order:
   * a duplicate (same device and deviceSeq, stored earlier or earlier in this request) gets the serverSeq it had.
   */
  async push(associationId: string, deviceId: string, items: IncomingEnvelope[], now: number): Promise<Accepted[]> {
    return this.knex.transaction(async (trx) => {
      const assoc = await trx('associations').where({ id: associationId }).forUpdate().first('head_seq');
      if (!assoc) throw new Error(`association absente : ${associationId}`);
      let head = num(assoc.head_seq);
      const seqs = [...new Set(items.map((e) => e.deviceSeq))];
      const known = new Map<number, number>();
      for (let i = 0; i < seqs.length; i += INSERT_BATCH) {
        const rows = await trx('envelopes')
          .where({ association_id: associationId, device_id: deviceId })
          .whereIn('device_seq', seqs.slice(i, i + INSERT_BATCH))
          .select('device_seq', 'server_seq');
        for (const r of rows) known.set(num(r.device_seq), num(r.server_seq));
      }
      const accepted: Accepted[] = [];
      const rows: Record<string, unknown>[] = [];
      const audienceRows: Record<string, unknown>[] = [];
      for (const e of items) {
        const first = known.get(e.deviceSeq);
        if (first !== undefined) {
          accepted.push({ deviceSeq: e.deviceSeq, serverSeq: first, duplicate: true });
          continue;
        }
        head += 1;
        known.set(e.deviceSeq, head);
        accepted.push({ deviceSeq: e.deviceSeq, serverSeq: head, duplicate: false });
        rows.push({
          association_id: associationId,
          server_seq: head,
          device_id: deviceId,
          device_seq: e.deviceSeq,
          scope: e.scope,
          key_epoch: e.keyEpoch,
          hlc: e.hlc,
          header: e.header,
          ciphertext: e.ciphertext,
          signature: e.signature,
          received_at: now,
        });
        if (e.scope !== ASSOCIATION_SCOPE) {
          for (const a of new Set(e.audience)) audienceRows.push({ association_id: associationId, server_seq: head, audience_id: a });
        }
      }
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await trx('envelopes').insert(rows.slice(i, i + INSERT_BATCH));
      for (let i = 0; i < audienceRows.length; i += 5 * INSERT_BATCH) await trx('envelope_audience').insert(audienceRows.slice(i, i + 5 * INSERT_BATCH));
      if (rows.length > 0) await trx('associations').where({ id: associationId }).update({ head_seq: head });
      return accepted;
    });
  }

  /**
   * One page of envelopes after `after` for a device whose audience is `audience`: association-wide ones and those
   * whose audience intersects. At most `limit` envelopes and about `maxBytes` of ciphertext (always at least one).
   * `next` is the last serverSeq served when the page is cut short; otherwise every envelope up to `head` was looked
   * at, and `next` is `head` (so a device skips past envelopes not meant for it instead of asking again forever).
   */
  async pull(associationId: string, after: number, limit: number, audience: string[], maxBytes: number): Promise<PullPage> {
    const assoc = await this.knex('associations').where({ id: associationId }).first('head_seq');
    const head = assoc ? num(assoc.head_seq) : 0;
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
