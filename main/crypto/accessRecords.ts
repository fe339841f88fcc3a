/**
 * Access decisions signed by the association root key (DESIGN.md "Keys", trust rule; docs/access.md "Signed access
 * decisions"). The rows that decide where key material goes — a user's role and status, a role's permissions, a
 * group membership — carry `access_rev` (the HLC of the decision) and `access_sig`, an Ed25519 signature by the root
 * secret key over a domain-separated message of the row's deciding columns. Every device checks the signature
 * against the root public key pinned in the user's own sealed bundle before acting on the row (keys handed over at
 * unlock, merges received by sync). Device revocations are signed records too, with a cutoff.
 *
 * Pure functions: no database access. Callers read the rows and decide what a failure means.
 */
import { fromB64, sign, toB64, verify } from './identity';

/** The synced tables whose rows are signed decisions, and the columns each signature covers (besides id and rev). */
export const SIGNED_COLUMNS = {
  users: ['role_id', 'disabled', 'deleted_at'],
  roles: ['permissions', 'deleted_at'],
  group_members: ['group_id', 'user_id', 'deleted_at'],
} as const;

export type SignedTable = keyof typeof SIGNED_COLUMNS;
export const isSignedTable = (table: string): table is SignedTable => Object.hasOwn(SIGNED_COLUMNS, table);

/** Every column a signed row carries that a writer must write together (so per-column merges keep them consistent). */
export const signedColumnsOf = (table: SignedTable): string[] => [...SIGNED_COLUMNS[table], 'access_rev', 'access_sig'];

type Cell = string | number | null | undefined;
export type SignedRow = Record<string, Cell>;

const cell = (v: Cell): string => (v === null || v === undefined ? '' : String(v));

/** The field separator of the message: no signed value may hold it (else two row states could share one message). */
const SEPARATOR = '|';

/**
 * The message the root key signs for one row of `table`:
 * `solidariciel/v1/access|<table>|<association>|<id>|<col>=<value>|…|<rev>`, columns in SIGNED_COLUMNS order, NULL as ''.
 * `disabled` is normalised to 0/1 so that '0' and 0 sign alike. Null when a value holds `|`: the fields being fixed
 * in number and order, a message without `|` inside a value names exactly one row state (docs/access.md).
 */
function messageOf(associationId: string, table: SignedTable, row: SignedRow): string | null {
  const values = [associationId, cell(row['id']), ...SIGNED_COLUMNS[table].map((c) => (c === 'disabled' ? String(Number(row[c] ?? 0) ? 1 : 0) : cell(row[c]))), cell(row['access_rev'])];
  if (values.some((v) => v.includes(SEPARATOR))) return null;
  const [association, id, ...rest] = values;
  const rev = rest.pop();
  const cols = SIGNED_COLUMNS[table].map((c, i) => `${c}=${rest[i] ?? ''}`);
  return ['solidariciel/v1/access', table, association, id, ...cols, rev].join(SEPARATOR);
}

/** The message the root key signs for one row of `table` (see `messageOf`). Throws when a value holds `|`. */
export function accessMessage(associationId: string, table: SignedTable, row: SignedRow): string {
  const message = messageOf(associationId, table, row);
  if (message === null) throw new Error(`${table} ${cell(row['id'])} : une valeur signée contient « | »`);
  return message;
}

/** Signs `row` (its `access_rev` set) with the root secret key; returns base64 for `access_sig`. Throws when a value holds `|`. */
export async function signAccess(rootSecret: Uint8Array, associationId: string, table: SignedTable, row: SignedRow): Promise<string> {
  return toB64(await sign(rootSecret, accessMessage(associationId, table, row)));
}

/**
 * True when `row.access_sig` is the root's signature of the row's deciding columns and rev. False on anything
 * malformed, including a value that holds `|` (it could borrow the signature of another state).
 */
export async function verifyAccess(rootPublicKey: Uint8Array | undefined, associationId: string, table: SignedTable, row: SignedRow): Promise<boolean> {
  const sig = row['access_sig'];
  if (!rootPublicKey || typeof sig !== 'string' || !sig || !row['access_rev']) return false;
  const message = messageOf(associationId, table, row);
  if (message === null) return false;
  const signature = await fromB64(sig).catch(() => null);
  return signature !== null && verify(rootPublicKey, message, signature);
}

/** What the root key signs to revoke a device: envelopes it sealed after `cutoffMs` (Unix ms) are refused at merge. */
export const revocationMessage = (associationId: string, deviceId: string, cutoffMs: number) => `solidariciel/v1/device-revocation|${associationId}|${deviceId}|${cutoffMs}`;

/** Checks a `device_revocations` row; returns its cutoff (ms) when the root signature holds, else null. */
export async function verifyRevocation(rootPublicKey: Uint8Array | undefined, associationId: string, row: { id: string; cutoff: Cell; signature: Cell }): Promise<number | null> {
  const cutoff = Number(row.cutoff);
  if (!rootPublicKey || !Number.isSafeInteger(cutoff) || typeof row.signature !== 'string') return null;
  const signature = await fromB64(row.signature).catch(() => null);
  return signature && (await verify(rootPublicKey, revocationMessage(associationId, row.id, cutoff), signature)) ? cutoff : null;
}
