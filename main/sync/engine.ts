/**
 * The sync engine of one association folder (docs/sync.md): replay what an upgrade made mergeable, capture local
 * writes into envelopes, push them, pull pages by cursor, check and merge each page in one transaction, then move
 * vault blobs both ways. Works with or without a user session (a device that just joined pulls before anyone can
 * unlock). Stops with CLOCK_SKEW when this device's clock is more than 5 minutes off the hub's.
 */
import type { Knex } from 'knex';
import { AppError } from '../../shared/domain/errors';
import { MAX_BODY_BYTES, MAX_REQUEST_SKEW_MS, deviceCertMessage, type PulledEnvelope } from '../../shared/sync/protocol';
import { captureOutbox } from './capture';
import { EnvelopeRejected, checkEnvelopeDates, openEnvelope, readHeader, type ChangeSet } from './envelope';
import { fromB64u, verifyDetached } from './ed25519';
import { mergeChanges, replayPending } from './merge';
import { admitEnvelopes } from './accessGate';
import { getState, intState, setState, STATE, stringListState } from './state';
import type { TableShape } from './tables';
import { syncBlobs } from './blobs';
import { dropErasedBlobs } from './erasedBlobs';
import { sweepErasures } from '../db/erasure';
import { Mutator } from '../db/mutations';
import type { EngineOptions, HubApi, SyncResult } from './engineTypes';

export type { EngineOptions, HubApi, SyncProgress, SyncResult } from './engineTypes';

export class SyncEngine {
  private readonly shapes = new Map<string, TableShape>();
  private readonly senders = new Map<string, Uint8Array>();
  /** A devices() request in flight (the envelopes of a page ask for unknown senders at once). */
  private registry: Promise<void> | null = null;
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly o: EngineOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Ends the run in progress at its next request or page, with LOCKED (the session is locking: it waits for the
   * run, so a hub that keeps saying "more" must not keep the database open and the keys in memory). For good.
   */
  stop(): void {
    this.stopped = true;
  }

  private going(): void {
    if (this.stopped) throw new AppError('LOCKED', "Synchronisation interrompue : l'association se verrouille.");
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Captures local writes into the outbox (also done at the start of every sync and merge). */
  async capture(): Promise<void> {
    await this.o.db.transaction(async (trx) => {
      // Local writes first: a value written to a column after an upgrade must be versioned before older pending
      // cells for that column are merged, or the older one would overwrite it.
      await captureOutbox(trx, this.o.device, this.shapes, this.iso());
      await replayPending(trx, this.shapes, this.iso());
    });
  }

  /** One full run. Throws AppError (HUB_UNREACHABLE, CLOCK_SKEW, HUB_REFUSED…) and records it as the last error. */
  async sync(): Promise<SyncResult> {
    try {
      const result = await this.run();
      await setState(this.o.db, { [STATE.lastSyncAt]: this.iso(), [STATE.lastError]: '', ...(result.pulled > 0 ? { [STATE.lastReceivedAt]: this.iso() } : {}) });
      return result;
    } catch (e) {
      const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      await setState(this.o.db, { [STATE.lastError]: JSON.stringify({ ...error, at: this.iso() }) }).catch(() => undefined);
      throw e;
    }
  }

  private async run(): Promise<SyncResult> {
    const { serverTime } = await this.o.hub.health();
    checkClock(this.now(), serverTime);
    await this.capture();
    await this.updateAudience();
    const pushed = await this.push();
    let { pulled, conflicts, rejected } = await this.pull();
    // What was just pulled may add groups to this device's audience (a new device learns its users' groups in its
    // first pull): pull again from the start for them.
    if (await this.updateAudience()) {
      const again = await this.pull();
      pulled += again.pulled;
      conflicts += again.conflicts;
      rejected += again.rejected;
    }
    await dropErasedBlobs(this.o.db, this.o.blobs, this.o.hub, () => this.iso());
    const blobs = await syncBlobs(this.o.db, this.o.hub, this.o.blobs, () => this.iso(), (done, total) => this.o.onProgress?.({ stage: 'blobs', done, total }), () => this.going());
    return { pushed, pulled, pending: await pendingCount(this.o.db), conflicts, rejected, blobs };
  }

  /** Tells the hub the ids this device receives narrower scopes for. True when the audience grew (cursor reset). */
  private async updateAudience(): Promise<boolean> {
    const audience = [...new Set(await this.o.audience())].sort();
    const before = stringListState((await getState(this.o.db, STATE.audience)) ?? '[]');
    if (before && JSON.stringify(before) === JSON.stringify(audience)) return false;
    await this.o.hub.setAudience(audience);
    // A new member of the audience: what was written for them before is behind the cursor; pull again from the start
    // (already applied envelopes are recognised and skipped). A damaged record says nothing: start over too.
    const reset = before ? before.length > 0 && audience.some((a) => !before.includes(a)) : audience.length > 0;
    await setState(this.o.db, { [STATE.audience]: JSON.stringify(audience), ...(reset ? { [STATE.cursor]: 0 } : {}) });
    return reset;
  }

  private async push(): Promise<number> {
    let pushed = 0;
    const total = Number(((await this.o.db('sync_outbox').whereNull('pushed_at').sum({ n: 'changes' })) as { n: number | null }[])[0]?.n ?? 0);
    for (;;) {
      this.going();
      const rows = (await this.o.db('sync_outbox').whereNull('pushed_at').orderBy('device_seq').limit(200).select('device_seq', 'header', 'ciphertext', 'signature', 'changes')) as {
        device_seq: number;
        header: string;
        ciphertext: string;
        signature: string;
        changes: number;
      }[];
      if (rows.length === 0) return pushed;
      const batch = underPushBytes(rows);
      const res = await this.o.hub.push(batch.map((r) => ({ header: r.header, ciphertext: r.ciphertext, signature: r.signature })));
      checkClock(this.now(), res.serverTime);
      const at = this.iso();
      const sent = new Set(batch.map((r) => r.device_seq));
      const accepted = res.accepted.filter((a) => sent.has(a.deviceSeq)); // only what this request carried
      if (accepted.length) {
        // One statement for the page: pushed_at, and each envelope's server sequence number.
        const cases = accepted.map(() => 'WHEN ? THEN ?').join(' ');
        await this.o.db.raw(`UPDATE sync_outbox SET pushed_at = ?, server_seq = CASE device_seq ${cases} END WHERE device_seq IN (${accepted.map(() => '?').join(',')})`, [
          at,
          ...accepted.flatMap((a) => [a.deviceSeq, a.serverSeq]),
          ...accepted.map((a) => a.deviceSeq),
        ]);
      }
      const acknowledged = new Set(accepted.map((a) => a.deviceSeq));
      if (!batch.every((r) => acknowledged.has(r.device_seq))) throw new AppError('SYNC_REJECTED', "Le hub n'a pas accusé réception de tous les envois : nouvel essai à la prochaine synchronisation.");
      pushed += batch.reduce((n, r) => n + r.changes, 0);
      this.o.onProgress?.({ stage: 'push', done: pushed, total });
    }
  }

  private async pull(): Promise<{ pulled: number; conflicts: number; rejected: number }> {
    let cursor = await intState(this.o.db, STATE.cursor, 0);
    const start = cursor;
    let pulled = 0;
    let conflicts = 0;
    let rejected = 0;
    // The next page is asked for while this one is checked and merged (its answer waits in memory; a failure of the
    // merge drops it): the hub's work and the transfer overlap the device's.
    let next: Promise<Awaited<ReturnType<HubApi['pull']>>> | null = null;
    for (;;) {
      this.going();
      const page = await (next ?? this.o.hub.pull(cursor));
      next = null;
      checkClock(this.now(), page.serverTime);
      if (page.more && page.next <= cursor) throw new AppError('SYNC_REJECTED', "Réponse du hub incohérente (réception) : il annonce d'autres envois sans avancer. Nouvel essai à la prochaine synchronisation.");
      if (page.envelopes.length === 0) {
        // Nothing for this device's audience up to the head: remember how far that is.
        if (page.next > cursor) await setState(this.o.db, { [STATE.cursor]: page.next });
        break;
      }
      if (page.more && page.next > cursor) {
        next = this.o.hub.pull(page.next);
        next.catch(() => undefined); // handled when awaited; never an unhandled rejection if this page fails
      }
      const opened = await this.openPage(page.envelopes);
      await this.o.db.transaction(async (trx) => {
        // Local writes made since the last capture first: their versions must be known before anything merges over them.
        await captureOutbox(trx, this.o.device, this.shapes, this.iso());
        const unseen = await this.unseen(trx, opened.ok);
        // Signed revocations with a cutoff, and signed access decisions (main/sync/accessGate.ts).
        const { fresh, refused } = await this.admit(trx, unseen);
        const sets = fresh.flatMap((e) => e.body.c);
        const stats = await mergeChanges(trx, sets, this.shapes, this.iso());
        // Erasures received, and records of erased people a merge brought back, are removed before anyone sees them.
        // Late records of an erased person get their register lines through the Mutator: they travel to the others.
        await sweepErasures(trx, new Mutator(trx, this.o.hlc, { now: () => new Date(this.now()) }));
        conflicts += stats.conflicts;
        const at = this.iso();
        const received = fresh.map((e) => ({ device_id: e.deviceId, device_seq: e.deviceSeq, server_seq: e.serverSeq, outcome: 'applied', received_at: at }));
        for (let i = 0; i < received.length; i += 100) await trx('sync_received').insert(received.slice(i, i + 100)).onConflict(['device_id', 'device_seq']).ignore();
        rejected += refused.length;
        for (const r of [...opened.rejected, ...refused]) {
          await trx('sync_rejected').insert({ server_seq: r.serverSeq, device_id: r.deviceId, device_seq: r.deviceSeq, reason: r.reason, envelope: r.envelope, at }).onConflict('server_seq').ignore();
        }
        let maxSeen = (await getState(trx, STATE.maxSeenHlc)) ?? '';
        for (const e of fresh) {
          this.o.hlc.observe(e.hlc);
          if (e.hlc > maxSeen) maxSeen = e.hlc;
        }
        await setState(trx, { [STATE.cursor]: page.next, [STATE.maxSeenHlc]: maxSeen });
        pulled += fresh.reduce((n, e) => n + e.changes, 0);
      });
      rejected += opened.rejected.length;
      cursor = page.next;
      this.o.onProgress?.({ stage: 'pull', done: cursor - start, total: Math.max(1, page.head - start) });
      if (!page.more) break;
    }
    return { pulled, conflicts, rejected };
  }

  /** Checks and opens every envelope of a page (outside the transaction; signatures checked in parallel). */
  private async openPage(envelopes: PulledEnvelope[]): Promise<{ ok: Opened[]; rejected: Rejected[] }> {
    const results = await Promise.all(envelopes.map((e) => this.openOne(e)));
    const ok: Opened[] = [];
    const rejected: Rejected[] = [];
    for (const r of results) {
      if (r === null) continue;
      if ('reason' in r) rejected.push(r);
      else ok.push(r);
    }
    return { ok, rejected };
  }

  /** One envelope opened, refused (with the reason), or null for this device's own (echoed back). */
  private async openOne(e: PulledEnvelope): Promise<Opened | Rejected | null> {
    let deviceId: string | null = null;
    let deviceSeq: number | null = null;
    try {
      const h = readHeader(e);
      deviceId = h.deviceId;
      deviceSeq = h.deviceSeq;
      if (h.deviceId === this.o.device.deviceId) return null;
      if (h.associationId !== this.o.device.associationId) throw new EnvelopeRejected("envoi d'une autre association");
      const key = await this.senderKey(h.deviceId);
      const body = await openEnvelope(e, key, this.o.device.syncKey);
      checkEnvelopeDates(h, body, this.now());
      return { serverSeq: e.serverSeq, deviceId: h.deviceId, deviceSeq: h.deviceSeq, hlc: h.hlc, changes: h.changes, body };
    } catch (err) {
      if (!(err instanceof EnvelopeRejected)) throw err;
      return { serverSeq: e.serverSeq, deviceId, deviceSeq, reason: err.message, envelope: keptEnvelope(e) };
    }
  }

  /** See `admitEnvelopes` (main/sync/accessGate.ts): revocation cutoffs and signed access decisions. */
  private async admit(trx: Knex.Transaction, opened: Opened[]): Promise<{ fresh: Opened[]; refused: Rejected[] }> {
    const { fresh, refused } = await admitEnvelopes(trx, opened, { publicKey: this.o.rootPublicKey, associationId: this.o.device.associationId });
    const out = refused.map(({ envelope: e, reason }) => ({ serverSeq: e.serverSeq, deviceId: e.deviceId, deviceSeq: e.deviceSeq, reason, envelope: JSON.stringify({ deviceId: e.deviceId, deviceSeq: e.deviceSeq, hlc: e.hlc }) }));
    return { fresh, refused: out };
  }

  /** Drops envelopes already applied (a replay, or a pull again from the start) and repeats within the page. */
  private async unseen(trx: Knex.Transaction, opened: Opened[]): Promise<Opened[]> {
    const bySender = new Map<string, number[]>();
    for (const e of opened) {
      let seqs = bySender.get(e.deviceId);
      if (!seqs) bySender.set(e.deviceId, (seqs = []));
      seqs.push(e.deviceSeq);
    }
    const known = new Set<string>();
    for (const [deviceId, seqs] of bySender) {
      for (let i = 0; i < seqs.length; i += 500) {
        const rows = (await trx('sync_received').where('device_id', deviceId).whereIn('device_seq', seqs.slice(i, i + 500)).select('device_seq')) as { device_seq: number }[];
        for (const r of rows) known.add(`${deviceId}\u0000${r.device_seq}`);
      }
    }
    const out: Opened[] = [];
    for (const e of opened) {
      const key = `${e.deviceId}\u0000${e.deviceSeq}`;
      if (known.has(key)) continue;
      known.add(key);
      out.push(e);
    }
    return out;
  }

  /** The Ed25519 key of a sending device, trusted only with a certificate by the association root key. */
  private async senderKey(deviceId: string): Promise<Uint8Array> {
    let key = this.senders.get(deviceId);
    if (!key) {
      // One devices() request and one pass over the certificates for all the envelopes of a page waiting on it.
      this.registry ??= this.o.hub
        .devices()
        .then(({ devices }) => {
          for (const d of devices) {
            if (this.senders.has(d.deviceId)) continue;
            if (verifyDetached(this.o.rootPublicKey, deviceCertMessage(this.o.device.associationId, d.deviceId, d.publicKey), fromB64u(d.cert))) this.senders.set(d.deviceId, fromB64u(d.publicKey));
          }
        })
        .finally(() => (this.registry = null));
      await this.registry;
      key = this.senders.get(deviceId);
    }
    if (!key) throw new EnvelopeRejected(`poste inconnu ou non certifié par l'association (${deviceId.slice(0, 8)}…)`);
    return key;
  }
}

interface Opened {
  serverSeq: number;
  deviceId: string;
  deviceSeq: number;
  hlc: string;
  changes: number;
  body: { c: ChangeSet[] };
}

interface Rejected {
  serverSeq: number;
  deviceId: string | null;
  deviceSeq: number | null;
  reason: string;
  envelope: string;
}

/**
 * What sync_rejected keeps of a refused envelope: all of it when its format is newer than this version's (a later
 * version can apply it), else its header only (enough to say which device and sequence it claimed).
 */
function keptEnvelope(e: PulledEnvelope): string {
  let v: unknown = null;
  try {
    v = (JSON.parse(e.header) as { v?: unknown }).v;
  } catch {
    v = null;
  }
  return typeof v === 'number' && v > 1 ? JSON.stringify(e) : JSON.stringify({ header: e.header.slice(0, 4096) });
}

/** Bytes of envelopes sent in one push request, at most (the hub takes bodies of MAX_BODY_BYTES); at least one is. */
const PUSH_BYTES = MAX_BODY_BYTES / 2;

/** The first rows that fit in one push request (200 envelopes of 100 KB made a 20 MB request the hub refused, for good). */
function underPushBytes<T extends { header: string; ciphertext: string; signature: string }>(rows: T[]): T[] {
  let size = 0;
  let n = 0;
  for (const r of rows) {
    size += r.header.length + r.ciphertext.length + r.signature.length + 64;
    if (n > 0 && size > PUSH_BYTES) break;
    n++;
  }
  return rows.slice(0, n);
}

/** Throws CLOCK_SKEW when this device's clock is more than MAX_REQUEST_SKEW_MS off the hub's. */
export function checkClock(local: number, hub: number): void {
  const skew = local - hub;
  if (Math.abs(skew) <= MAX_REQUEST_SKEW_MS) return;
  const minutes = Math.round(Math.abs(skew) / 60_000);
  throw new AppError(
    'CLOCK_SKEW',
    `L'horloge de ce poste ${skew > 0 ? 'avance' : 'retarde'} de ${minutes} minutes sur celle du hub : la synchronisation est arrêtée pour ne rien perdre. Mettez ce poste à l'heure, puis relancez.`,
    { skewMs: skew },
  );
}

/** Local changes not yet pushed (cells), plus change-log entries not yet captured, plus received cells waiting for an upgrade. */
export async function pendingCount(db: Knex): Promise<number> {
  const unpushed = Number(((await db('sync_outbox').whereNull('pushed_at').sum({ n: 'changes' })) as { n: number | null }[])[0]?.n ?? 0);
  const captured = await intState(db, STATE.capturedSeq, 0);
  const uncaptured = Number(((await db('change_log').where('seq', '>', captured).count({ n: '*' })) as { n: number }[])[0]?.n ?? 0);
  const waiting = Number(((await db('sync_pending').count({ n: '*' })) as { n: number }[])[0]?.n ?? 0);
  return unpushed + uncaptured + waiting;
}
