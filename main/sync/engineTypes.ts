/**
 * The shapes around the sync engine (main/sync/engine.ts): what it needs of the hub, what it reports, and its options.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { devicesResponse, Envelope, pullResponse, pushResponse } from '../../shared/sync/protocol';
import type { BlobSyncStats } from './blobs';
import type { DeviceIdentity } from './capture';
import type { HybridLogicalClock } from './hlc';
import type { BlobStore } from '../vault/blobStore';

/** What the engine needs of the hub (main/sync/hubClient.ts implements it; tests may fake it). */
export interface HubApi {
  health(): Promise<{ serverTime: number }>;
  push(envelopes: Envelope[]): Promise<z.infer<typeof pushResponse>>;
  pull(after: number, limit?: number): Promise<z.infer<typeof pullResponse>>;
  setAudience(ids: string[]): Promise<unknown>;
  devices(): Promise<z.infer<typeof devicesResponse>>;
  blobStatus(name: string): Promise<{ stored: true; size: number } | { stored: false; uploaded: number }>;
  putBlobChunk(name: string, offset: number, bytes: Uint8Array): Promise<unknown>;
  completeBlob(name: string): Promise<unknown>;
  getBlob(name: string, fromOffset?: number): Promise<Uint8Array>;
  /** Deletes an erased paper's blob at the hub (docs/erasure.md); absent in fakes of older tests. */
  deleteBlob?(name: string): Promise<void>;
}

export interface SyncProgress {
  stage: 'push' | 'pull' | 'blobs';
  done: number;
  total: number;
}

export interface SyncResult {
  /** Changes (cells) sent to the hub in this run. */
  pushed: number;
  /** Changes received and merged (or kept pending) in this run. */
  pulled: number;
  /** Local changes still waiting to be pushed, plus received changes waiting for an upgrade. */
  pending: number;
  conflicts: number;
  rejected: number;
  blobs: BlobSyncStats;
}

export interface EngineOptions {
  db: Knex;
  hub: HubApi;
  hlc: HybridLogicalClock;
  device: DeviceIdentity;
  /** The association root public key the device certificates must be signed with. */
  rootPublicKey: Uint8Array;
  /** Ids of the users (and their groups) this device holds: the narrower scopes it receives. */
  audience: () => Promise<string[]>;
  blobs: BlobStore;
  now?: () => number;
  onProgress?: (p: SyncProgress) => void;
}
