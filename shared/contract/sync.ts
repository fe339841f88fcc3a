/** Channels for sync through the network hub: status, "Synchroniser maintenant", devices, conflicts (issue 4). */
import { z } from 'zod';
import { channels } from './define';


const cell = z.union([z.string(), z.number(), z.null()]);
const hubUrl = z.string().trim().min(1).url('Adresse du hub invalide (exemple : http://192.168.1.10:8443).').max(500);

export const syncStatus = z.object({
  /** A hub was joined. */
  configured: z.boolean(),
  hubUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** null before the first attempt of this session. */
  online: z.boolean().nullable(),
  running: z.boolean(),
  /** Local changes not yet at the hub, plus received changes waiting for an upgrade of this version. */
  pending: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  /** When a sync last brought changes from other devices (screens showing data offer to refresh when it moves). */
  lastReceivedAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  /** Unresolved concurrent edits (the conflicts screen). */
  conflicts: z.number().int().nonnegative(),
  /** Received envelopes refused by their checks. */
  rejected: z.number().int().nonnegative(),
  progress: z.object({ stage: z.enum(['push', 'pull', 'blobs']), done: z.number(), total: z.number() }).nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatus>;

export const syncResult = z.object({
  pushed: z.number().int().nonnegative(),
  pulled: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});

export const deviceInfo = z.object({
  deviceId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  current: z.boolean(),
});

export const conflictItem = z.object({
  id: z.number().int(),
  table: z.string(),
  rowId: z.string(),
  column: z.string(),
  /** What the row is, in words (a person's name, a task title), when the user may see it. */
  label: z.string().nullable(),
  kept: cell,
  overwritten: cell,
  keptAt: z.string(),
  overwrittenAt: z.string(),
  /** Whether the columns hold sealed content (shown as such, restorable as is). */
  sealed: z.boolean(),
  resolvedAt: z.string().nullable(),
});
export type ConflictItem = z.infer<typeof conflictItem>;

export const syncChannels = channels({
  'sync:status': { request: z.object({}), response: syncStatus },
  'sync:now': { request: z.object({}), response: syncResult },
  'sync:joinHub': { request: z.object({ hubUrl, deviceName: z.string().trim().min(1).max(100).optional(), registrationSecret: z.string().min(1).max(512).optional() }), response: z.object({ associationId: z.string() }) },
  'devices:list': { request: z.object({}), response: z.object({ items: z.array(deviceInfo) }) },
  'devices:invite': {
    request: z.object({ name: z.string().trim().min(1, 'Nommez le poste (ex. : Portable du foyer).').max(100) }),
    response: z.object({ code: z.string(), expiresAt: z.string(), deviceId: z.string() }),
  },
  'devices:join': {
    request: z.object({ dir: z.string().min(1), hubUrl, code: z.string().trim().min(1).max(40), operationId: z.string().max(64).optional() }),
    response: z.object({ deviceId: z.string(), associationId: z.string(), associationName: z.string(), dir: z.string() }),
  },
  'devices:revoke': { request: z.object({ deviceId: z.string().min(1).max(64) }), response: z.object({ deviceId: z.string() }) },
  'conflicts:list': { request: z.object({ includeResolved: z.boolean().default(false) }), response: z.object({ items: z.array(conflictItem) }) },
  'conflicts:restore': { request: z.object({ id: z.number().int().positive() }), response: z.object({ id: z.number().int() }) },
  'conflicts:dismiss': { request: z.object({ id: z.number().int().positive() }), response: z.object({ id: z.number().int() }) },
});


