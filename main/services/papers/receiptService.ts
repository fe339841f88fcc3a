/**
 * Attestations de dépôt (docs/deposit-receipt.md): a one-page PDF saying which papers a person handed over, when and
 * to whom, each paper identified by its SHA-256 — what a « copie fiable » needs (Code civil art. 1379, décret
 * n° 2016-1673: fingerprint, date, context) and the traceability a coffre-fort numérique owes (art. L.103 CPCE).
 *
 * Signing key: the current user's own Ed25519 key, certified by the association's root key (`users.key_cert`). The
 * root key's secret is held only by administrators, while receipts are printed at the desk by whoever received the
 * papers; their certified key makes the association vouch for the receipt and names the agent. The receipt carries the
 * whole chain (signing key, its root certificate, the root public key), so it is checked offline: the root key must
 * be the one pinned in the verifying user's own sealed bundle (never the database's copy).
 *
 * Access: `documents.read`, papers of people the user may see. Each issue, reprint and verification is audited.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { receiptStatement, type ReceiptStatement, type ReceiptSummary } from '../../../shared/domain/papers';
import { personPaperName, localDayOf } from '../../../shared/domain/paperName';
import { toB64 } from '../../crypto/identity';
import { signDetached } from '../../sync/ed25519';
import type { ServiceContext } from '../context';
import type { VaultService } from '../vault/vaultService';
import { readPapersSettings } from './expiryService';
import { prepare, signedMessage } from './receiptFile';
import { MAX_RECEIPT_PAPERS, receiptPdf } from './receiptPdf';
import { requestTimestamp } from './timestamp';

/** What the receipt service needs of the session: the association and the current user's signing key. */
export interface ReceiptDeps {
  ctx: ServiceContext;
  vault: VaultService;
  associationId: string;
  associationName: string;
  signSecretKey: Uint8Array;
}

export interface IssuedReceipt {
  depositId: string;
  fileName: string;
  pdf: Uint8Array;
  timestamp: { genTime: string | null; error: string | null } | null;
}

type StoredStatement = Omit<ReceiptStatement, 'signer' | 'reprintedAt'>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class ReceiptService {
  constructor(private readonly d: ReceiptDeps) {}

  private get ctx(): ServiceContext {
    return this.d.ctx;
  }

  /**
   * Issues a receipt for papers of one person (each readable by the user), stores its statement (deposit_receipts,
   * synced) and returns the signed PDF. Time-stamped when a TSA is set and answers. Audited (deposit.issue).
   * Throws FORBIDDEN, NOT_FOUND (person or paper), VALIDATION (too many papers; signing key not certified).
   */
  async issue(personId: string, documentIds: string[]): Promise<IssuedReceipt> {
    this.ctx.access.require('documents.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const ids = [...new Set(documentIds)];
    if (ids.length > MAX_RECEIPT_PAPERS) throw new AppError('VALIDATION', `Une attestation tient sur une page : ${MAX_RECEIPT_PAPERS} pièces au plus (${ids.length} choisies).`);
    const papers = new Map((await this.d.vault.list(personId)).map((p) => [p.id, p]));
    const documents = ids.map((id) => {
      const p = papers.get(id);
      if (!p) throw new AppError('NOT_FOUND', `Pièce introuvable pour cette personne (id ${id}) : l'attestation n'a pas été émise.`);
      return { id, type: p.type, pages: p.pages, sha256: p.sha256 };
    });
    const person = (await this.ctx.db('people').where({ id: personId }).first('first_name', 'last_name')) as { first_name: string; last_name: string };
    const user = this.ctx.user;
    const stored: StoredStatement = {
      format: 'solidariciel-deposit-receipt',
      version: 1,
      associationId: this.d.associationId,
      associationName: this.d.associationName,
      depositId: uuidv7(),
      issuedAt: this.ctx.clock.now().toISOString(),
      person: { id: personId, firstName: person.first_name, lastName: person.last_name },
      agent: { id: user.id, name: user.name, displayName: user.displayName },
      documents,
    };
    const out = await this.sign(stored, null);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).insert('deposit_receipts', [{ id: stored.depositId, person_id: personId, statement: JSON.stringify(stored), issued_at: stored.issuedAt, issued_by: user.id }]);
      await this.ctx.audit({ action: 'deposit.issue', targetType: 'person', targetId: personId, details: { depositId: stored.depositId, documents: ids, timestamped: out.timestamp?.genTime != null } }, trx);
    });
    return out;
  }

  /** Prints a receipt again, signed by the current user, marked « Réimpression du … ». Audited (deposit.reprint). Throws FORBIDDEN, NOT_FOUND. */
  async reprint(depositId: string): Promise<IssuedReceipt> {
    this.ctx.access.require('documents.read');
    const row = (await this.ctx.db('deposit_receipts').where({ id: depositId }).whereNull('deleted_at').first('person_id', 'statement')) as { person_id: string; statement: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Attestation de dépôt introuvable.');
    await this.ctx.access.requirePerson(this.ctx.db, row.person_id).catch(() => {
      throw new AppError('NOT_FOUND', 'Attestation de dépôt introuvable.');
    });
    let stored: unknown = null;
    try {
      stored = JSON.parse(row.statement);
    } catch {
      // reported below
    }
    const parsed = receiptStatement.omit({ signer: true, reprintedAt: true }).safeParse(stored);
    if (!parsed.success) throw new AppError('VALIDATION', `L'attestation ${depositId} enregistrée est illisible : elle ne peut pas être réimprimée.`);
    const out = await this.sign(parsed.data, this.ctx.clock.now().toISOString());
    await this.ctx.audit({ action: 'deposit.reprint', targetType: 'person', targetId: row.person_id, details: { depositId } });
    return out;
  }

  /** The receipts of a person the user may see, newest first. Throws FORBIDDEN, NOT_FOUND. */
  async list(personId: string): Promise<ReceiptSummary[]> {
    this.ctx.access.require('documents.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const rows = (await this.ctx.db('deposit_receipts as r').leftJoin('users as u', 'u.id', 'r.issued_by').where('r.person_id', personId).whereNull('r.deleted_at').orderBy('r.issued_at', 'desc').select('r.id', 'r.issued_at', 'r.statement', 'u.display_name')) as {
      id: string;
      issued_at: string;
      statement: string;
      display_name: string | null;
    }[];
    return rows.map((r) => {
      let documents = 0;
      try {
        documents = ((JSON.parse(r.statement) as { documents?: unknown[] }).documents ?? []).length;
      } catch {
        documents = 0;
      }
      return { depositId: r.id, issuedAt: r.issued_at, issuedBy: r.display_name ?? '', documents };
    });
  }

  /** The statement completed with the signer's chain, laid out, time-stamped if possible, and signed. */
  private async sign(stored: StoredStatement, reprintedAt: string | null): Promise<IssuedReceipt> {
    const statement: ReceiptStatement = { ...stored, reprintedAt, signer: await this.signer() };
    const json = JSON.stringify(statement);
    const statementSignature = hex(signDetached(this.d.signSecretKey, `solidariciel/v1/deposit-statement|${json}`));
    const prepared = prepare(await receiptPdf(statement, json, statementSignature));
    const { tsaUrl } = await readPapersSettings(this.ctx.db);
    let token: Uint8Array | null = null;
    let timestamp: IssuedReceipt['timestamp'] = null;
    if (tsaUrl) {
      try {
        const r = await requestTimestamp(tsaUrl, prepared.digest);
        token = r.token;
        timestamp = { genTime: r.info.genTime.toISOString(), error: null };
      } catch (e) {
        timestamp = { genTime: null, error: e instanceof AppError ? e.message : "L'horodatage a échoué." };
      }
    }
    const pdf = prepared.seal(token, signDetached(this.d.signSecretKey, signedMessage(prepared.digest, token)));
    const name = personPaperName(statement.person).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/\s+/g, '_');
    return { depositId: statement.depositId, fileName: `${name}_attestation-depot_${localDayOf(statement.issuedAt)}.pdf`, pdf, timestamp };
  }

  /** The current user's certified key chain, or VALIDATION when their key is not (yet) certified by the root key. */
  private async signer(): Promise<ReceiptStatement['signer']> {
    const u = (await this.ctx.db('users').where({ id: this.ctx.user.id }).first('public_key', 'sign_public_key', 'key_cert')) as { public_key: string | null; sign_public_key: string | null; key_cert: string | null } | undefined;
    const root = this.ctx.scopes.root.publicKey;
    const mine = await toB64(this.d.signSecretKey.subarray(32));
    if (!u?.public_key || !u.sign_public_key || !u.key_cert || !root || u.sign_public_key !== mine || !(await this.ctx.scopes.root.certifiedKey(this.ctx.db, this.ctx.user.id))) {
      throw new AppError('VALIDATION', "Votre clé n'est pas encore certifiée par l'association (un administrateur doit la confirmer) : l'attestation ne peut pas être signée.");
    }
    return { userId: this.ctx.user.id, publicKey: u.public_key, signPublicKey: u.sign_public_key, keyCert: u.key_cert, rootPublicKey: await toB64(root) };
  }
}
