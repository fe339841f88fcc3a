/**
 * What happens while the association is locked and must still reach the audit trail: failed unlocks and account
 * requests. The database cannot be opened then, so each event is sealed (crypto_box_seal) to the association's audit
 * public key (keyring.json `auditPublicKey`; its secret key lives inside the database) into `pending-audit.json`, and
 * moved into the audit trail at the next successful unlock. The file also counts failed unlocks since the last
 * success, for the growing delay (issue 3 §7).
 *
 * Limits (docs/access.md): someone who can write the folder can delete this file and so reset the delay and lose
 * the pending entries; the delay slows guessing at the desk, Argon2id slows it everywhere else.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { instant } from '../../../shared/domain/common';
import { AppError } from '../../../shared/domain/errors';
import type { AuditRecord } from '../audit/auditLog';
import { writeFileAtomic } from '../../fs/atomic';
import { KeyedQueue } from '../../fs/keyedQueue';
import { fromB64, openSealed, sealTo, toB64, type BoxKeyPair } from '../../crypto/identity';
import type { Keyring } from '../../crypto/keyring';

export const PENDING_AUDIT_FILE = 'pending-audit.json';

const schema = z.object({
  failures: z.object({ count: z.number().int().min(0), lastAt: z.string().nullable() }),
  entries: z.array(z.string()).max(10_000),
});
type Pending = z.infer<typeof schema>;

const EMPTY: Pending = { failures: { count: 0, lastAt: null }, entries: [] };

/** The pending file of `dir`; a missing or damaged one counts as empty (it holds nothing needed to unlock). */
async function read(dir: string): Promise<Pending> {
  try {
    return schema.parse(JSON.parse(await readFile(join(dir, PENDING_AUDIT_FILE), 'utf8')));
  } catch {
    return EMPTY;
  }
}

async function write(dir: string, p: Pending): Promise<void> {
  await writeFileAtomic(join(dir, PENDING_AUDIT_FILE), new TextEncoder().encode(JSON.stringify(p)));
}

/** Seconds to wait after `count` failed unlocks in a row: none for the first two, then 1, 2, 4 … up to 60. */
export function unlockDelaySeconds(count: number): number {
  return count < 3 ? 0 : Math.min(60, 2 ** (count - 3));
}

/** Throws TOO_MANY_ATTEMPTS (saying how long to wait) while the delay after the last failures runs. */
export async function checkUnlockDelay(dir: string, now: Date): Promise<void> {
  const { failures } = await read(dir);
  const delay = unlockDelaySeconds(failures.count);
  if (delay === 0 || !failures.lastAt) return;
  const left = Math.ceil((new Date(failures.lastAt).getTime() + delay * 1000 - now.getTime()) / 1000);
  if (left > 0) {
    throw new AppError('TOO_MANY_ATTEMPTS', `Trop d'essais de mot de passe : réessayez dans ${left} s.`, { retryAfterSeconds: left });
  }
}

/** Records an event for the audit trail, sealed to the audit key; `failure` also counts a failed unlock. */
export function recordPending(dir: string, keyring: Keyring, record: AuditRecord & { actorName: string }, failure: boolean, now: Date): Promise<void> {
  return pending.run(resolve(dir), () => appendPending(dir, keyring, record, failure, now));
}

/** Read-modify-writes of pending-audit.json, one at a time per folder (an account request and a failed unlock together). */
const pending = new KeyedQueue();

async function appendPending(dir: string, keyring: Keyring, record: AuditRecord & { actorName: string }, failure: boolean, now: Date): Promise<void> {
  const p = await read(dir);
  const entries = [...p.entries];
  if (keyring.auditPublicKey) {
    const sealed = await sealTo(await fromB64(keyring.auditPublicKey), new TextEncoder().encode(JSON.stringify({ ...record, at: now.toISOString() })));
    entries.push(await toB64(sealed));
  }
  const failures = failure ? { count: p.failures.count + 1, lastAt: now.toISOString() } : p.failures;
  await write(dir, { failures, entries: entries.slice(-10_000) });
}

/** Opens the pending entries with the audit key, clears the file, and returns them (unreadable ones are counted, not lost silently). */
export function drainPending(dir: string, auditKey: BoxKeyPair | null): Promise<(AuditRecord & { actorName: string })[]> {
  return pending.run(resolve(dir), () => takePending(dir, auditKey));
}

async function takePending(dir: string, auditKey: BoxKeyPair | null): Promise<(AuditRecord & { actorName: string })[]> {
  const p = await read(dir);
  if (p.entries.length === 0 && p.failures.count === 0) return [];
  const out: (AuditRecord & { actorName: string })[] = [];
  let unreadable = 0;
  for (const e of p.entries) {
    const plain = auditKey ? await openSealed(auditKey, await fromB64(e).catch(() => new Uint8Array())) : null;
    const parsed = plain ? pendingRecord.safeParse(safeJson(new TextDecoder().decode(plain))) : null;
    if (parsed?.success) out.push(parsed.data);
    else unreadable++;
  }
  if (unreadable > 0) out.push({ action: 'session.unlockFailed', actorName: '?', details: { unreadablePendingEntries: unreadable } });
  await write(dir, EMPTY);
  return out;
}

const pendingRecord = z.object({
  action: z.enum(['session.unlockFailed', 'user.request']),
  actorName: z.string().max(200),
  targetType: z.string().nullable().optional(),
  targetId: z.string().nullable().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  // Anyone may seal to the public audit key: an entry must fit the audit trail's shape (auditEntry) or it is unreadable.
  at: instant,
});

function safeJson(t: string): unknown {
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
}
