/**
 * The hub's housekeeping, at start and every `sweepEveryMs` (docs/hub-scaling.md "Limits"): partial uploads idle
 * past their time are removed (and their bytes given back to the association's quota), and the sealed payloads of
 * invitations that can no longer be redeemed are erased. At start, each association's blob usage is measured on
 * disk, so the quota counters start right (and catch up with blobs stored before they existed).
 */
import type { BlobStore } from './blobs';
import { purgeInvitePayloads } from './storage/migrations';
import type { Registry } from './storage/registry';
import type { Knex } from 'knex';

export interface SweepResult {
  /** Partial uploads removed. */
  partials: number;
  /** Invitation payloads erased. */
  invites: number;
}

/** One pass of the sweep at `now` (ms); with `measure`, the blob usage counters are set from the disk first. */
export async function sweep(s: { knex: Knex; registry: Registry; blobs: BlobStore }, now: number, measure = false): Promise<SweepResult> {
  if (measure) {
    for (const [associationId, bytes] of await s.blobs.measure()) await s.registry.setBlobBytes(associationId, bytes);
  }
  const partials = await s.blobs.expirePartials(now);
  const invites = await purgeInvitePayloads(s.knex, now);
  return { partials, invites };
}
