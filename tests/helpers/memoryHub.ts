/**
 * An in-memory hub for sync engine tests: the same contract as the real hub's HubApi (per-association server
 * sequence, dedupe on (device, deviceSeq), pages by cursor, audience routing, blobs), plus faults a test can turn
 * on: drop a page, deliver it twice, reverse it, or tamper with it. Not a replacement for tests/hub (real HTTP).
 */
import { createHash } from 'node:crypto';
import type { Envelope, PulledEnvelope } from '../../shared/sync/protocol';
import type { HubApi } from '../../main/sync/engine';
import { readHeader } from '../../main/sync/envelope';

export interface Faults {
  /** Called with each page before it is returned; may reorder, duplicate or alter it. */
  page?: (envelopes: PulledEnvelope[]) => PulledEnvelope[];
  /** Page size (default 500). */
  limit?: number;
}

export class MemoryHub {
  readonly log: PulledEnvelope[] = [];
  readonly seen = new Map<string, number>();
  readonly devices = new Map<string, { publicKey: string; cert: string; audience: string[] }>();
  readonly blobs = new Map<string, Uint8Array>();
  readonly partial = new Map<string, Uint8Array>();
  time = () => Date.now();

  /** A HubApi for one device. */
  client(deviceId: string, faults: Faults = {}): HubApi {
    return {
      health: async () => ({ serverTime: this.time() }),
      push: async (envelopes: Envelope[]) => ({ accepted: envelopes.map((e) => this.accept(e, deviceId)), serverTime: this.time() }),
      pull: async (after: number, limit = faults.limit ?? 500) => {
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
      getBlob: async (name: string, from = 0) => (this.blobs.get(name) ?? new Uint8Array(0)).subarray(from),
    };
  }

  private accept(e: Envelope, deviceId: string): { deviceSeq: number; serverSeq: number; duplicate: boolean } {
    const h = readHeader(e);
    if (h.deviceId !== deviceId) throw new Error('wrong device');
    const key = `${h.deviceId}/${h.deviceSeq}`;
    const known = this.seen.get(key);
    if (known !== undefined) return { deviceSeq: h.deviceSeq, serverSeq: known, duplicate: true };
    const serverSeq = this.log.length + 1;
    this.log.push({ ...e, serverSeq });
    this.seen.set(key, serverSeq);
    return { deviceSeq: h.deviceSeq, serverSeq, duplicate: false };
  }
}
