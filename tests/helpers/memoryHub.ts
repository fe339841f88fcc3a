/**
 * An in-memory hub for sync engine tests: the same contract as the real hub's HubApi (per-association server
 * sequence, dedupe on (device, deviceSeq), pages by cursor, audience routing, blobs), plus faults a test can turn
 * on: lose a pull or a push answer in transit, deliver a page twice, reverse it, tamper with it or with a blob, cut an
 * upload short. A `Faults` object is read at every call, so a test may change it between syncs. Not a replacement
 * for tests/hub (real HTTP).
 */
import { createHash } from 'node:crypto';
import type { Envelope, PulledEnvelope } from '../../shared/sync/protocol';
import type { HubApi } from '../../main/sync/engine';
import { readHeader } from '../../main/sync/envelope';
import { AppError } from '../../shared/domain/errors';

export interface Faults {
  /**
   * Called with each page before it is returned; may reorder, duplicate or alter it. Not for losing envelopes: the
   * device moves its cursor to `next` whatever the page held (a hub that dropped some would hide them for good); a
   * page lost in transit is `losePull`.
   */
  page?: (envelopes: PulledEnvelope[]) => PulledEnvelope[];
  /** Page size (default 500). */
  limit?: number;
  /** True: the pull request is lost in transit (HUB_UNREACHABLE); nothing is served, the device retries later. */
  losePull?: (after: number) => boolean;
  /** True: the hub stores the pushed envelopes but its answer is lost (HUB_UNREACHABLE); the device pushes them again. */
  losePushAnswer?: () => boolean;
  /** Alters the bytes of a blob download (tampered or truncated on the way). */
  blob?: (name: string, bytes: Uint8Array) => Uint8Array;
  /** True: the upload of this chunk is cut (HUB_UNREACHABLE) before the hub stores it. */
  cutUpload?: (name: string, offset: number) => boolean;
}

const lost = (what: string) => new AppError('HUB_UNREACHABLE', `Hub injoignable (test : ${what} perdu).`);

export class MemoryHub {
  readonly log: PulledEnvelope[] = [];
  readonly seen = new Map<string, number>();
  readonly devices = new Map<string, { publicKey: string; cert: string; audience: string[] }>();
  readonly blobs = new Map<string, Uint8Array>();
  readonly partial = new Map<string, Uint8Array>();
  /** Requests served, per device id: pulls (pages, lost ones included), pushes, blob chunks and blob downloads. */
  readonly calls = new Map<string, { pulls: number; pushes: number; chunks: number; downloads: number }>();
  time = () => Date.now();
  /** False: a hub that fails to recognise a pushed envelope it already holds and stores it again at a new serverSeq. */
  dedupe = true;

  private count(deviceId: string, what: 'pulls' | 'pushes' | 'chunks' | 'downloads'): void {
    let c = this.calls.get(deviceId);
    if (!c) this.calls.set(deviceId, (c = { pulls: 0, pushes: 0, chunks: 0, downloads: 0 }));
    c[what]++;
  }

  /** A HubApi for one device. */
  client(deviceId: string, faults: Faults = {}): HubApi {
    return {
      health: async () => ({ serverTime: this.time() }),
      push: async (envelopes: Envelope[]) => {
        this.count(deviceId, 'pushes');
        const accepted = envelopes.map((e) => this.accept(e, deviceId));
        if (faults.losePushAnswer?.()) throw lost('accusé de réception');
        return { accepted, serverTime: this.time() };
      },
      pull: async (after: number, limit = faults.limit ?? 500) => {
        this.count(deviceId, 'pulls');
        if (faults.losePull?.(after)) throw lost('page');
        const audience = new Set(this.devices.get(deviceId)?.audience ?? []);
        const all = this.log.filter((e) => e.serverSeq > after);
        const visible = all.filter((e) => {
          const h = readHeader(e);
          return h.audience.length === 0 || h.audience.some((a) => audience.has(a));
        });
        const page = visible.slice(0, limit);
        const next = page.length ? page[page.length - 1]!.serverSeq : after;
        const head = this.log.length ? this.log[this.log.length - 1]!.serverSeq : 0;
        const delivered = faults.page ? faults.page(page.map((e) => ({ ...e }))) : page;
        return { envelopes: delivered, next, head, more: visible.length > page.length, serverTime: this.time() };
      },
      setAudience: async (ids: string[]) => {
        const d = this.devices.get(deviceId);
        if (d) d.audience = ids;
        return {};
      },
      devices: async () => ({
        devices: [...this.devices.entries()].map(([id, d]) => ({ deviceId: id, publicKey: d.publicKey, cert: d.cert, name: id, createdAt: 0, revokedAt: null, lastSeenAt: null })),
        serverTime: this.time(),
      }),
      blobStatus: async (name: string) => (this.blobs.has(name) ? { stored: true as const, size: this.blobs.get(name)!.length } : { stored: false as const, uploaded: this.partial.get(name)?.length ?? 0 }),
      putBlobChunk: async (name: string, offset: number, bytes: Uint8Array) => {
        this.count(deviceId, 'chunks');
        if (faults.cutUpload?.(name, offset)) throw lost('morceau de pièce');
        const have = this.partial.get(name) ?? new Uint8Array(0);
        if (offset !== have.length) throw new Error('offset');
        const joined = new Uint8Array(have.length + bytes.length);
        joined.set(have);
        joined.set(bytes, have.length);
        this.partial.set(name, joined);
        return {};
      },
      completeBlob: async (name: string) => {
        const bytes = this.partial.get(name)!;
        if (createHash('sha256').update(bytes).digest('hex') !== name) throw new Error('mismatch');
        this.blobs.set(name, bytes);
        this.partial.delete(name);
        return {};
      },
      getBlob: async (name: string, from = 0) => {
        this.count(deviceId, 'downloads');
        const bytes = (this.blobs.get(name) ?? new Uint8Array(0)).subarray(from);
        return faults.blob ? faults.blob(name, bytes) : bytes;
      },
    };
  }

  private accept(e: Envelope, deviceId: string): { deviceSeq: number; serverSeq: number; duplicate: boolean } {
    const h = readHeader(e);
    if (h.deviceId !== deviceId) throw new Error('wrong device');
    const key = `${h.deviceId}/${h.deviceSeq}`;
    const known = this.seen.get(key);
    if (known !== undefined && this.dedupe) return { deviceSeq: h.deviceSeq, serverSeq: known, duplicate: true };
    const serverSeq = this.log.length + 1;
    this.log.push({ ...e, serverSeq });
    if (known === undefined) this.seen.set(key, serverSeq);
    return { deviceSeq: h.deviceSeq, serverSeq, duplicate: false };
  }
}
