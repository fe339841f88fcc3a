/**
 * The merge gate for signed access decisions (docs/sync.md "Merge", docs/access.md "Signed access decisions"). An
 * envelope is signed by a certified device, but anyone holding the database key on any device can write users, roles,
 * memberships or revocations: so before a page is merged, every row of a signed table whose deciding columns would
 * change here is checked — the state it would leave (the local row with the incoming cells that win the per-column
 * merge) must carry the root key's signature, and its revision must not be older than the one already here (an old
 * signed state replayed). A row that fails keeps its local deciding columns: the incoming ones are dropped, the rest of
 * the envelope is merged, and the envelope is counted as refused with a French reason.
 */
import type { Knex } from 'knex';
import { isSignedTable, signedColumnsOf, verifyAccess, verifyRevocation, type SignedRow, type SignedTable } from '../crypto/accessRecords';
import type { CellValue, ChangeSet } from './envelope';
import { cellVersion, loadVersions, type RowVersions } from './versions';

export interface GateRoot {
  publicKey: Uint8Array | undefined;
  associationId: string;
}

/** The change sets to merge, and how many rows lost their deciding cells. */
export interface GateResult {
  sets: ChangeSet[];
  refused: number;
}

const REVOCATION_COLUMNS = ['cutoff', 'signature'];

/** Checks one envelope's change sets against the database before the page (see the module comment). */
export async function gateSignedChanges(trx: Knex.Transaction, sets: readonly ChangeSet[], root: GateRoot): Promise<GateResult> {
  let refused = 0;
  const out: ChangeSet[] = [];
  for (const set of sets) {
    const guarded = isSignedTable(set.t) ? signedColumnsOf(set.t) : set.t === 'device_revocations' ? REVOCATION_COLUMNS : null;
    if (!guarded) {
      out.push(set);
      continue;
    }
    const ids = set.r.filter(([, cells]) => guarded.some((c) => c in cells)).map(([id]) => id);
    if (ids.length === 0) {
      out.push(set);
      continue;
    }
    const versions = await loadVersions(trx, set.t, ids);
    const rows = new Map(((await trx(set.t).whereIn('id', ids).select('*')) as SignedRow[]).map((r) => [String(r['id']), r]));
    const kept: ChangeSet['r'] = [];
    for (const entry of set.r) {
      const [id, cells, prev] = entry;
      if (!guarded.some((c) => c in cells) || (await accepted(set.t, id, set.h, cells, guarded, rows.get(id), versions.get(id), root))) {
        kept.push(entry);
        continue;
      }
      refused++;
      const rest: Record<string, CellValue> = {};
      for (const [c, v] of Object.entries(cells)) if (!guarded.includes(c)) rest[c] = v;
      if (Object.keys(rest).length > 0) kept.push(prev ? [id, rest, prev] : [id, rest]);
    }
    if (kept.length > 0) out.push({ ...set, r: kept });
  }
  return { sets: out, refused };
}

/** True when the incoming deciding cells of one row may be merged (they change nothing here, or the result is signed). */
async function accepted(table: string, id: string, hlc: string, cells: Record<string, CellValue>, guarded: readonly string[], local: SignedRow | undefined, v: RowVersions | undefined, root: GateRoot): Promise<boolean> {
  const before: SignedRow = { ...(local ?? {}), id };
  const after: SignedRow = { ...before };
  let changes = false;
  for (const c of guarded) {
    if (!(c in cells) || hlc <= cellVersion(v, c).hlc) continue; // loses the per-column merge: changes nothing
    if (cells[c] !== (before[c] ?? null)) changes = true;
    after[c] = cells[c];
  }
  if (!changes) return true;
  if (table === 'device_revocations') return (await verifyRevocation(root.publicKey, root.associationId, { id, cutoff: after['cutoff'], signature: after['signature'] })) !== null;
  const t = table as SignedTable;
  if (!(await verifyAccess(root.publicKey, root.associationId, t, after))) return false;
  // An older signed state replayed over a newer one here (a user enabled again with the signature from before their
  // disabling) is refused; a local state that does not verify (rows from before signatures) may be replaced.
  const localRev = typeof before['access_rev'] === 'string' ? before['access_rev'] : '';
  const signedHere = local !== undefined && (await verifyAccess(root.publicKey, root.associationId, t, before));
  return !signedHere || String(after['access_rev']) >= localRev;
}

/**
 * Revocation cutoffs (Unix ms) by device id, from the verified `device_revocations` rows here and those arriving in
 * `incoming` (a page may carry the revocation together with the revoked device's later envelopes). A row whose
 * signature fails is ignored; `deleted_at` is never honoured (a revocation does not end).
 */
export async function revocationCutoffs(db: Knex | Knex.Transaction, incoming: readonly ChangeSet[], root: GateRoot): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const consider = async (row: { id: string; cutoff: CellValue | undefined; signature: CellValue | undefined }) => {
    const cutoff = await verifyRevocation(root.publicKey, root.associationId, row);
    if (cutoff !== null && cutoff < (out.get(row.id) ?? Infinity)) out.set(row.id, cutoff);
  };
  if (await db.schema.hasTable('device_revocations')) {
    for (const r of (await db('device_revocations').select('id', 'cutoff', 'signature')) as { id: string; cutoff: string; signature: string }[]) await consider(r);
  }
  for (const s of incoming) if (s.t === 'device_revocations') for (const [id, cells] of s.r) await consider({ id, cutoff: cells['cutoff'], signature: cells['signature'] });
  return out;
}

/** The wall-clock milliseconds of an HLC string (`<13-digit ms>-<counter>-<device>`); NaN when malformed. */
export const hlcMillis = (hlc: string): number => Number(hlc.slice(0, 13));

/** What `admitEnvelopes` needs of an opened envelope. */
export interface Admissible {
  deviceId: string;
  hlc: string;
  body: { c: ChangeSet[] };
}

/**
 * What of a pulled page may be merged: envelopes a revoked device sealed after its signed cutoff are refused whole
 * (docs/sync.md "Devices"); in the others, changes to signed access decisions that fail the root signature check are
 * dropped (`gateSignedChanges`: the rest of the envelope is merged, and the envelope is listed as refused with the reason).
 */
export async function admitEnvelopes<E extends Admissible>(trx: Knex.Transaction, opened: readonly E[], root: GateRoot): Promise<{ fresh: E[]; refused: { envelope: E; reason: string }[] }> {
  const cutoffs = await revocationCutoffs(trx, opened.flatMap((e) => e.body.c), root);
  const fresh: E[] = [];
  const refused: { envelope: E; reason: string }[] = [];
  for (const e of opened) {
    const cutoff = cutoffs.get(e.deviceId);
    const sealed = hlcMillis(e.hlc);
    if (cutoff !== undefined && !(sealed <= cutoff)) {
      const when = Number.isFinite(sealed) ? new Date(sealed).toISOString() : 'inconnue';
      refused.push({ envelope: e, reason: `poste retiré : envoi daté du ${when}, après son retrait (${new Date(cutoff).toISOString()})` });
      continue;
    }
    const gated = await gateSignedChanges(trx, e.body.c, root);
    if (gated.refused > 0) {
      refused.push({ envelope: e, reason: `changement de droits (utilisateurs, rôles, groupes ou retraits de postes) sans signature d'administrateur : ${gated.refused} ligne(s) ignorée(s), le reste appliqué` });
    }
    fresh.push({ ...e, body: { c: gated.sets } });
  }
  return { fresh, refused };
}
