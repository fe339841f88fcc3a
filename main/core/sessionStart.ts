/**
 * What an unlock does before the first request: bring the user's public keys and the association's audit key up to
 * date (associations and slots from before access rights get them here), move the events recorded while locked
 * (failed unlocks, account requests) into the audit trail, open the user's scope keys, hand keys to group members
 * who lack them, check keyring.json's signature (an administrator signs it: docs/access.md "Keyring signature"), and
 * record the unlock.
 */
import { boxPublicKeyOf, fromB64, newBoxKeyPair, newSignKeyPair, toB64 } from '../crypto/identity';
import { updateKeyring, withSlot } from '../crypto/keyring';
import { wipe } from '../crypto/aead';
import type { KdfCost } from '../crypto/kdf';
import { attestKeyring, refreshWarnings, TAMPERING } from '../services/association/keyringSignature';
import type { AuditRecord } from '../services/audit/auditLog';
import type { OpenAssociation } from '../services/association/associationStore';
import { drainPending } from '../services/association/pendingAudit';
import { appendAudit } from '../services/audit/auditLog';
import type { ServiceContext } from '../services/context';
import { accessSigned, adoptUnsigned } from '../services/access/signedAccess';
import { nothingRefused, verifiedAccess } from '../services/access/verifiedAccess';
import { syncTreasuryKeys } from '../services/treasury/treasuryScope';

/** `cost` is the Argon2id cost override of the core (tests): it lowers the floor an administrator signs. */
export async function prepareSession(association: OpenAssociation, ctx: ServiceContext, cost?: KdfCost): Promise<void> {
  const { db } = ctx;
  const keys = association.keys;
  const publicKey = await toB64(keys.boxPublicKey);
  const signPublicKey = await toB64(keys.signPublicKey);
  const row = (await db('users').where({ id: ctx.user.id }).first('public_key', 'sign_public_key')) as { public_key: string | null; sign_public_key: string | null };
  if (row.public_key !== publicKey || row.sign_public_key !== signPublicKey) {
    await ctx.mutator.update('users', ctx.user.id, { public_key: publicKey, sign_public_key: signPublicKey });
  }

  const auditKey = await ensureAuditKey(association);
  const pending = await drainPending(association.dir, auditKey);
  if (auditKey) await wipe(auditKey.secretKey);
  for (const r of pending) await appendAudit(db, { id: null, name: r.actorName }, [r], () => ctx.clock.now());

  await ensureRootKey(association, ctx);
  await ctx.scopes.load();
  await settleKeyring(association, ctx, cost);
  // Rows from before signed access decisions: signed once, after a check, by the first root holder, never again once
  // the user's sealed bundle records an adoption (docs/access.md "Signed access decisions").
  const adoptedBefore = keys.accessAdopted === true;
  if (ctx.scopes.root.held && !adoptedBefore) {
    await db.transaction(async (trx) => {
      const adopted = await adoptUnsigned(trx, ctx.mutator, ctx.scopes.root, adoptedBefore);
      if (adopted) await ctx.audit({ action: 'access.adopted', targetType: 'association', targetId: association.associationId, details: { ...adopted } }, trx);
    });
  }
  if (!adoptedBefore) await recordAdoption(association, ctx);
  const rootWork = await ctx.scopes.root.pendingWork(db);
  const hasRootWork = rootWork.uncertified.length + rootWork.groupsWithoutKey.length + rootWork.holdersWithoutGrant.length > 0;
  // Decisions that fail the root signature check give no key to anyone: said loudly, at every unlock, by name.
  const { refused } = await verifiedAccess(db, ctx.scopes.root);
  await db.transaction(async (trx) => {
    if (!nothingRefused(refused)) await ctx.audit({ action: 'access.refused', targetType: 'association', targetId: association.associationId, details: { ...refused } }, trx);
    // A root holder certifies keys that never had a certificate (a version 1 upgrade: this trusts the database as it
    // is now), gives groups without a certified key their epoch 1, and hands the root to the administrators the signed
    // decisions name (each recipient named in the entry; never to one certified in this same pass).
    const root = hasRootWork ? await ctx.scopes.completeRoot(trx, ctx.mutator, rootWork) : { certified: [], groups: [], rootGrants: [] };
    // Keys changed since their certificate: not certified, no key handed over; said at every unlock, by name, until an
    // administrator confirms them with the person (`users:confirmKeys`, docs/access.md "Keys").
    for (const id of rootWork.unconfirmed) {
      const u = (await trx('users').where({ id }).first('name')) as { name: string } | undefined;
      await ctx.audit({ action: 'keys.unconfirmed', targetType: 'user', targetId: id, details: { name: u?.name ?? id } }, trx);
    }
    if (root.certified.length > 0 || root.groups.length > 0 || root.rootGrants.length > 0) {
      await ctx.audit({ action: 'keys.certified', targetType: 'user', targetId: ctx.user.id, details: { users: root.certified, groups: root.groups, rootGrants: root.rootGrants } }, trx);
    }
    const granted = await ctx.scopes.completeGrants(trx, ctx.mutator);
    // The treasury scope follows the signed roles holding treasury.read (docs/treasury.md « Chiffrement »).
    const treasury = await syncTreasuryKeys(trx, ctx.scopes, ctx.mutator);
    if (treasury.epoch !== null || treasury.granted.length > 0) await ctx.audit({ action: 'treasury.keys', targetType: 'association', targetId: association.associationId, details: { ...treasury } }, trx);
    await ctx.audit({ action: 'session.unlock', targetType: 'user', targetId: ctx.user.id, details: granted > 0 ? { keysGranted: granted } : {} }, trx);
  });
}

/**
 * Once the database shows access decisions signed by the root this user pins (adopted now or before), the user's
 * slot is rewritten with the adoption flag in its sealed bundle (prepared at unlock: `adoptedSlot`), so that no later
 * unlock of theirs adopts unsigned rows again. Skipped when the slot changed in keyring.json since the unlock.
 */
async function recordAdoption(association: OpenAssociation, ctx: ServiceContext): Promise<void> {
  const flagged = association.adoptedSlot;
  if (!flagged || !(await accessSigned(ctx.db, ctx.scopes.root))) return;
  const before = association.keyring.slots.find((s) => s.userId === flagged.userId)?.secretKeys;
  let written = false;
  association.keyring = await updateKeyring(association.dir, (k) => {
    const current = k.slots.find((s) => s.userId === flagged.userId);
    if (!current || !before || current.secretKeys?.ciphertext !== before.ciphertext) return k;
    written = true;
    return withSlot(k, flagged);
  });
  if (!written) return;
  association.keys.accessAdopted = true;
  association.adoptedSlot = null;
  await ctx.audit({ action: 'keys.adoptionRecorded', targetType: 'user', targetId: ctx.user.id });
}

/**
 * Audits what the unlock changed in the user's slot (escrow moved to a signed recovery key, Argon2id raised to the
 * floor) and what it refused in keyring.json; a root holder then signs the file (the migration of files written
 * before the signature, a renewed code synced from another device). Sets the warnings the window shows.
 */
async function settleKeyring(association: OpenAssociation, ctx: ServiceContext, cost: KdfCost | undefined): Promise<void> {
  const root = ctx.scopes.root;
  const records: AuditRecord[] = [];
  const { reescrowed, resealed } = association.slotChanges ?? { reescrowed: null, resealed: null };
  if (reescrowed) records.push({ action: 'keys.reescrowed', targetType: 'user', targetId: ctx.user.id, details: { from: reescrowed.from, to: reescrowed.to } });
  if (resealed) records.push({ action: 'keys.resealed', targetType: 'user', targetId: ctx.user.id, details: { from: resealed.from, to: resealed.to } });
  const refused = (association.trust?.problems ?? []).filter((p) => TAMPERING.includes(p));
  if (refused.length > 0) records.push({ action: 'keyring.refused', targetType: 'association', targetId: association.associationId, details: { problems: refused } });
  const signed = await attestKeyring(association, { publicKey: root.publicKey, sign: root.sign }, ctx.clock.now(), { cost });
  if (signed) {
    records.push({
      action: 'keyring.signed',
      targetType: 'association',
      targetId: association.associationId,
      details: { recoveryVerified: signed.recovery !== null, auditPublicKey: signed.auditPublicKey, kdfFloor: signed.kdfFloor },
    });
  }
  if (records.length > 0) await ctx.audit(records);
  await refreshWarnings(association, root.publicKey, refused);
}

/**
 * An association made before the root key (issue 2 files) gets one at the first unlock of an administrator: that
 * moment is trusted like a creation (the keys then in the database are certified). The administrator's slot pins it
 * at their next unlock (trust on first use); in this session they hold it already.
 */
async function ensureRootKey(association: OpenAssociation, ctx: ServiceContext): Promise<void> {
  const { db, dir } = association;
  if (!ctx.access.has('users.manage') || association.keys.rootPublicKey) return;
  if (await db('meta').where({ key: 'root_public_key' }).first('value')) return;
  const root = await newSignKeyPair();
  const rootPublicKey = await toB64(root.publicKey);
  await db('meta').insert({ key: 'root_public_key', value: rootPublicKey });
  association.keyring = await updateKeyring(dir, (k) => ({ ...k, rootPublicKey }));
  await ctx.scopes.root.adopt(root.secretKey);
  await wipe(root.secretKey);
  await ctx.audit({ action: 'keys.rootCreated', targetType: 'association', targetId: association.associationId });
}

/** The association's audit key pair (secret in the database, public in keyring.json), created if missing. */
async function ensureAuditKey(association: OpenAssociation) {
  const { db, dir } = association;
  const stored = (await db('meta').where({ key: 'audit_secret_key' }).first('value')) as { value: string } | undefined;
  if (stored) {
    const secretKey = await fromB64(stored.value);
    return { secretKey, publicKey: await boxPublicKeyOf(secretKey) };
  }
  const kp = await newBoxKeyPair();
  await db('meta').insert({ key: 'audit_secret_key', value: await toB64(kp.secretKey) });
  const auditPublicKey = await toB64(kp.publicKey);
  association.keyring = await updateKeyring(dir, (k) => ({ ...k, auditPublicKey }));
  return kp;
}
