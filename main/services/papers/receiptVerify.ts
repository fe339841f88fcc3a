/**
 * Checking an attestation de dépôt offline (docs/deposit-receipt.md "Verification"), in this order, the first failure
 * giving the reason: the file's envelope (receiptFile.ts), the statement, the association, the root key (the one
 * pinned in the verifying user's sealed bundle), the signing key's root certificate, the Ed25519 signature over the
 * whole file, the time-stamp token's digest; then each paper listed: still in the vault, readable by the user, and
 * its decrypted bytes' SHA-256 equal to the one on the receipt. Audited (deposit.verify).
 */
import { AppError } from '../../../shared/domain/errors';
import { DOCUMENT_TYPE_LABELS_FR } from '../../../shared/domain/document';
import { receiptStatement, type ReceiptVerification } from '../../../shared/domain/papers';
import { fromB64, toB64, userCertMessage, verify } from '../../crypto/identity';
import { verifyDetached } from '../../sync/ed25519';
import type { ServiceContext } from '../context';
import type { VaultService } from '../vault/vaultService';
import { openReceipt, signedMessage } from './receiptFile';
import { readToken } from './timestamp';

const failed = (reason: string): ReceiptVerification => ({ ok: false, reason, documents: [], depositId: null, issuedAt: null, personName: null, timestamp: null });

/**
 * The verdict on `pdf` for the current user (`documents.read`) of association `associationId`. Never throws for a
 * bad file: `ok` false and a French `reason` naming what differs. Throws FORBIDDEN.
 */
export async function verifyReceipt(ctx: ServiceContext, vault: VaultService, associationId: string, pdf: Uint8Array): Promise<ReceiptVerification> {
  ctx.access.require('documents.read');
  const verdict = await check(ctx, vault, associationId, pdf);
  await ctx.audit({ action: 'deposit.verify', details: { depositId: verdict.depositId, ok: verdict.ok } });
  return verdict;
}

async function check(ctx: ServiceContext, vault: VaultService, associationId: string, pdf: Uint8Array): Promise<ReceiptVerification> {
  const opened = openReceipt(pdf);
  if (typeof opened === 'string') return failed(`Attestation non valable : ${opened}.`);
  let json: unknown;
  try {
    json = JSON.parse(opened.statementJson);
  } catch {
    json = null;
  }
  const parsed = receiptStatement.safeParse(json);
  if (!parsed.success) return failed('Attestation non valable : la déclaration enregistrée dans le fichier est illisible (fichier modifié).');
  const s = parsed.data;
  const head = { depositId: s.depositId, issuedAt: s.issuedAt, personName: `${s.person.firstName} ${s.person.lastName}`.trim(), timestamp: null };
  const no = (reason: string): ReceiptVerification => ({ ok: false, reason, documents: [], ...head });
  if (s.associationId !== associationId) return no(`Attestation d'une autre association (« ${s.associationName} ») : elle ne peut être vérifiée que par celle-ci.`);
  const root = ctx.scopes.root.publicKey;
  if (!root || s.signer.rootPublicKey !== (await toB64(root))) return no("Attestation signée par une autre clé d'association que celle de ce poste : non valable.");
  const b64 = (t: string) => fromB64(t).catch(() => null);
  const cert = await b64(s.signer.keyCert);
  if (!cert || !(await verify(root, userCertMessage(s.associationId, s.signer.userId, s.signer.publicKey, s.signer.signPublicKey), cert))) {
    return no("Attestation non valable : la clé qui l'a signée n'est pas certifiée par l'association.");
  }
  const signKey = await b64(s.signer.signPublicKey);
  if (!signKey || signKey.length !== 32 || !verifyDetached(signKey, signedMessage(opened.digest, opened.token), opened.signature)) {
    return no("Attestation non valable : le fichier a été modifié depuis sa signature (la signature ne correspond plus à son contenu).");
  }
  let timestamp: ReceiptVerification['timestamp'] = null;
  if (opened.token) {
    let info;
    try {
      info = readToken(opened.token);
    } catch {
      return no("Attestation non valable : son jeton d'horodatage est illisible.");
    }
    if (info.digestHex !== Buffer.from(opened.digest).toString('hex')) return no("Attestation non valable : le jeton d'horodatage porte sur une autre empreinte.");
    timestamp = { genTime: info.genTime.toISOString() };
  }
  const documents: ReceiptVerification['documents'] = [];
  for (const d of s.documents) {
    const label = `« ${DOCUMENT_TYPE_LABELS_FR[d.type]} » (id ${d.id})`;
    try {
      const { document } = await vault.decrypt(d.id);
      // decrypt checked the bytes against the row's SHA-256: a different one means the paper was replaced since.
      documents.push(document.sha256 === d.sha256 ? { id: d.id, type: d.type, ok: true, reason: null } : { id: d.id, type: d.type, ok: false, reason: `La pièce ${label} ne correspond plus à son empreinte : elle a été remplacée depuis l'attestation.` });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const why = e.code === 'NOT_FOUND' ? `La pièce ${label} est introuvable : retirée du coffre-fort, ou vous n'y avez pas accès.` : `La pièce ${label} est illisible : ${e.message}`;
      documents.push({ id: d.id, type: d.type, ok: false, reason: why });
    }
  }
  const bad = documents.find((d) => !d.ok);
  return { ok: !bad, reason: bad?.reason ?? null, documents, ...head, timestamp };
}
