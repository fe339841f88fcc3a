/**
 * The vault (coffre-fort numérique): papers of a person kept as one PDF each, encrypted with a random per-document
 * key (secretstream, 64 KiB chunks) into a content-addressed blob. The row is committed only after the blob is
 * durable (DESIGN.md).
 *
 * Keys (issue 3 §5, docs/access.md): a paper visible to everyone has its document key sealed with the association
 * scope key (`wrapped_key`, `scope_keys`). A narrower paper has its document key sealed to each scope of its
 * visibility (`ScopeKeys.wrap`, JSON in `key_wraps`, `wrapped_key` ''), and its title and note sealed in `ciphertext`
 * under a key derived from the document key (`title` and `note` NULL in clear). A user who holds none of those keys
 * finds no such paper: it is left out of lists, and reading it answers NOT_FOUND.
 *
 * Access: `documents.read` lists, reads, prints and verifies; `documents.add` adds; `documents.export` exports; a paper
 * is replaced or removed by its writer or an administrator (`users.manage`), who also holds `documents.add` and can
 * read it (docs/access.md "Replacing and removing papers"). Papers of people the user may not see are left out. Every add, view, export,
 * print, replacement and removal is in the audit trail (Décret n° 2018-418 du 30 mai 2018, coffre-fort numérique:
 * operations on stored documents are traced).
 *
 * Replacing or removing destroys the old document key — its wrapped copies are overwritten in the row — then deletes
 * the old blob: what is left on this device cannot be decrypted (crypto-shredding; docs/sync.md "Papers" says what a
 * hub keeps).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { canonicalVisibility, type Visibility } from '../../../shared/domain/access';
import { parseStoredVisibility } from '../access/storedVisibility';
import { AppError } from '../../../shared/domain/errors';
import type { DocumentMeta, VaultDocument, VerifyReport } from '../../../shared/domain/document';
import { localDayOf, paperFileName } from '../../../shared/domain/paperName';
import { open, seal, sealedBox, wipe } from '../../crypto/aead';
import { getSodium } from '../../crypto/sodium';
import { writeFileAtomic } from '../../fs/atomic';
import { assemblePdf } from '../../vault/assemble';
import { decryptBytes, encryptBytes } from '../../vault/secretstream';
import { BlobStore } from '../../vault/blobStore';
import { parseWraps, scopeIdOf, type KeyWrap } from '../access/scopeKeys';
import type { ServiceContext } from '../context';
import { corruptError, documentLabel, fromRow, keyAd, metaAd, metaKey, safeJson, type Decrypted, type DocumentRow, type Opened } from './rows';

export { documentLabel } from './rows';

export type { Decrypted } from './rows';

/** The columns overwritten when a paper is removed: no copy of its key, title or note is left in the row. */
export const SHREDDED_KEY_COLUMNS = { wrapped_key: '', key_wraps: null, ciphertext: null, title: null, note: null } as const;

export type VaultProgress = (stage: 'assemble' | 'encrypt' | 'store', done: number, total: number) => void;


export class VaultService {
  private readonly blobs: BlobStore;
  /**
   * Fetches a blob that is not here yet (a paper added on another device, not downloaded in the background yet) into
   * the vault; set by the session when this device syncs with a hub. Resolves true when the blob is now here.
   */
  fetchMissing: ((name: string) => Promise<boolean>) | null = null;
  /** Told after a paper's file was stored (added, replaced) or removed: the OCR queue follows (docs/ocr.md). */
  onChanged: ((id: string, change: 'stored' | 'removed') => void) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    vaultDir: string,
  ) {
    this.blobs = new BlobStore(vaultDir);
  }

  /** The blob's bytes, fetched from the hub first when it is not here and this device syncs (issue 4 §4). */
  private async blob(name: string): Promise<Uint8Array> {
    if (this.fetchMissing && !(await this.blobs.has(name))) await this.fetchMissing(name).catch(() => false);
    return this.blobs.get(name);
  }

  /**
   * Assembles the files into one PDF, encrypts and stores it, then records the document (`documents.add`, about a
   * person the user may see), sealed for `meta.visibility`. Audited (document.add).
   * Throws FORBIDDEN, NOT_FOUND (person), VALIDATION (a file that is not a readable JPEG/PNG/TIFF/PDF, or that passes
   * the paper's caps of pages and pixels or its worker's time and memory, named; an unknown group or user in the
   * visibility) — in each case before any blob is written.
   */
  async add(personId: string, meta: DocumentMeta, files: { name: string; bytes: Uint8Array }[], progress?: VaultProgress): Promise<{ id: string; pages: number; sha256: string }> {
    this.ctx.access.require('documents.add');
    await this.ctx.access.requirePerson(this.ctx.db, personId).catch((e: unknown) => {
      throw e instanceof AppError && e.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', 'Personne introuvable : le document ne peut pas lui être ajouté.') : e;
    });
    const visibility = canonicalVisibility(meta.visibility);
    // In a worker with time and memory limits, after the caps are checked from the headers (docs/vault-limits.md).
    const { pdf, pages } = await assemblePdf(files, (d, t) => progress?.('assemble', d, t));
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const id = uuidv7();
    const sealed = await this.storeSealed(id, visibility, meta, pdf, progress);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).insert('documents', [
        {
          id,
          person_id: personId,
          type: meta.type,
          issued_on: meta.issuedOn,
          expires_on: meta.expiresOn,
          pages,
          sha256,
          size: pdf.byteLength,
          blob_name: sealed.blobName,
          created_by: this.ctx.user.id,
          visibility: JSON.stringify(visibility),
          ...sealed.keyColumns,
        },
      ]);
      await this.ctx.audit({ action: 'document.add', targetType: 'document', targetId: id, details: { personId, type: meta.type, pages, visibility: visibility.kind } }, trx);
    });
    this.onChanged?.(id, 'stored');
    return { id, pages, sha256 };
  }

  /**
   * Encrypts `pdf` under a fresh document key into a durable blob, and seals that key for `visibility` (with the
   * title and note of a narrower paper, docs/access.md "Keys"). Returns the blob's name and the key columns of the
   * row; the key itself is wiped before returning. Throws VALIDATION (an unknown group or user) before any blob is written.
   */
  private async storeSealed(id: string, visibility: Visibility, meta: Pick<DocumentMeta, 'title' | 'note'>, pdf: Uint8Array, progress?: VaultProgress): Promise<{ blobName: string; keyColumns: Record<string, string | number | null> }> {
    const sodium = await getSodium();
    const docKey = sodium.randombytes_buf(32);
    try {
      // A narrower paper's key is sealed to its scopes before the blob is written: an unknown group or user stops here.
      const sealedFor = visibility.kind === 'everyone' ? null : await this.sealNarrower(id, docKey, visibility, meta);
      // Each encrypted part goes to disk while the next one is encrypted (BlobStore.begin).
      const writer = await this.blobs.begin();
      try {
        await encryptBytes(docKey, pdf, (d, t) => progress?.('encrypt', d, t), (part) => writer.push(part));
      } catch (e) {
        await writer.abort();
        throw e;
      }
      progress?.('store', 0, 1);
      const blob = await writer.commit();
      progress?.('store', 1, 1);
      if (sealedFor) {
        return { blobName: blob.name, keyColumns: { wrapped_key: '', key_epoch: 0, scope_id: scopeIdOf(visibility, this.ctx.user.id), title: null, note: null, ...sealedFor } };
      }
      const scope = await this.scopeKey('association');
      try {
        const wrapped = await seal(scope.key, docKey, keyAd(id));
        return {
          blobName: blob.name,
          keyColumns: { wrapped_key: JSON.stringify(wrapped), key_epoch: scope.epoch, scope_id: 'association', title: meta.title, note: meta.note, ciphertext: null, key_wraps: null },
        };
      } finally {
        await wipe(scope.key);
      }
    } finally {
      await wipe(docKey);
    }
  }

  /** Seals `docKey` to the scopes of `visibility` and the title and note under the derived key: `key_wraps` and `ciphertext`. */
  private async sealNarrower(id: string, docKey: Uint8Array, visibility: Visibility, meta: Pick<DocumentMeta, 'title' | 'note'>): Promise<{ key_wraps: string; ciphertext: string }> {
    const wraps = await this.ctx.db.transaction((trx) => this.ctx.scopes.wrap(trx, this.ctx.mutator, visibility, docKey));
    const key = await metaKey(docKey);
    try {
      const box = await seal(key, new TextEncoder().encode(JSON.stringify({ title: meta.title, note: meta.note })), metaAd(id));
      return { key_wraps: JSON.stringify(wraps), ciphertext: JSON.stringify(box) };
    } finally {
      await wipe(key);
    }
  }

  /** Live papers (alias d) of people the user may see. */
  private rows(db: Knex | Knex.Transaction = this.ctx.db): Knex.QueryBuilder {
    const q = db('documents as d').join('people as p', 'p.id', 'd.person_id').whereNull('d.deleted_at').select('d.*', 'p.first_name as person_first_name', 'p.last_name as person_last_name');
    if (!this.ctx.access.hasAny('people.read', 'people.readGroups') || !this.ctx.access.scopePeople(q, 'p')) q.whereRaw('0');
    return q;
  }

  /** True when the current user holds a key for one of `wraps` (so a failure to open them is damage, not a lack of rights). */
  private holdsAny(wraps: readonly KeyWrap[]): boolean {
    return wraps.some((w) => w.s === `user:${this.ctx.user.id}` || (w.e !== undefined && this.ctx.scopes.holds(w.s, w.e)));
  }

  /**
   * Opens a paper for the current user: null when they hold no key for it (as if it did not exist). With `withKey`,
   * the document key comes too (the caller wipes it). Throws VAULT_CORRUPT when a key they hold does not open it.
   */
  private async openRow(r: DocumentRow, withKey: boolean): Promise<Opened | null> {
    if (r.key_wraps === null) {
      const document = fromRow(r, { title: r.title, note: r.note });
      if (!withKey) return { document, docKey: null };
      const scope = await this.scopeKey(r.scope_id, r.key_epoch);
      const parsedBox = sealedBox.safeParse(safeJson(r.wrapped_key));
      const docKey = parsedBox.success ? await open(scope.key, parsedBox.data, keyAd(r.id)) : null;
      await wipe(scope.key);
      if (!docKey) throw corruptError(document, 'sa clé de chiffrement est altérée');
      return { document, docKey };
    }
    const wraps = parseWraps(r.key_wraps);
    if (!wraps || !this.holdsAny(wraps)) return null;
    const unnamed = fromRow(r, { title: null, note: null });
    const docKey = await this.ctx.scopes.unwrap(wraps);
    if (!docKey) throw corruptError(unnamed, 'sa clé de chiffrement est altérée');
    let ok = false;
    try {
      const key = await metaKey(docKey);
      const box = sealedBox.safeParse(safeJson(r.ciphertext ?? ''));
      const plain = box.success ? await open(key, box.data, metaAd(r.id)) : null;
      await wipe(key);
      const meta = plain ? (safeJson(new TextDecoder().decode(plain)) as { title?: unknown; note?: unknown } | null) : null;
      if (!meta) throw corruptError(unnamed, 'son titre et sa remarque chiffrés sont altérés');
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      ok = true;
      return { document: fromRow(r, { title: text(meta.title), note: text(meta.note) }), docKey: withKey ? docKey : null };
    } finally {
      if (!ok || !withKey) await wipe(docKey);
    }
  }

  /** The papers the user may see (of one person if given), newest first. Throws FORBIDDEN (documents.read). */
  async list(personId?: string): Promise<VaultDocument[]> {
    this.ctx.access.require('documents.read');
    const q = this.rows().orderBy('d.created_at', 'desc');
    if (personId) q.where('d.person_id', personId);
    const out: VaultDocument[] = [];
    for (const r of (await q) as DocumentRow[]) {
      try {
        const opened = await this.openRow(r, false);
        if (opened) out.push(opened.document);
      } catch (e) {
        // A damaged narrower paper the user may read stays listed (untitled): reading it reports the damage.
        if (!(e instanceof AppError && e.code === 'VAULT_CORRUPT')) throw e;
        out.push(fromRow(r, { title: null, note: null }));
      }
    }
    return out;
  }

  /**
   * A visible paper's row and opening (with its document key if `withKey`: the caller wipes it), or NOT_FOUND (missing,
   * of a person the user may not see, or not decryptable by them). No permission check, no audit: callers do both.
   */
  async find(id: string, withKey: boolean): Promise<{ row: DocumentRow; opened: Opened }> {
    const row = (await this.rows().where('d.id', id).first()) as DocumentRow | undefined;
    const opened = row ? await this.openRow(row, withKey) : null;
    if (!row || !opened) throw new AppError('NOT_FOUND', 'Document introuvable.');
    return { row, opened };
  }

  /** Decrypts a paper and checks it against its recorded SHA-256 (no permission check, no audit entry: the callers do both). */
  async decrypt(id: string): Promise<Decrypted> {
    const { row, opened } = await this.find(id, true);
    const { document } = opened;
    const docKey = opened.docKey!;
    try {
      let bytes: Uint8Array;
      try {
        bytes = await decryptBytes(docKey, await this.blob(row.blob_name));
      } catch (e) {
        throw corruptError(document, e instanceof AppError ? e.message : 'fichier chiffré endommagé');
      }
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw corruptError(document, "son empreinte SHA-256 ne correspond pas à l'enregistrement");
      const person = { firstName: row.person_first_name ?? '', lastName: row.person_last_name ?? '' };
      return { document, bytes, person, fileName: paperFileName(person, row.type, localDayOf(row.created_at)) };
    } finally {
      await wipe(docKey);
    }
  }

  /**
   * Decrypts a paper (`documents.read`) and checks it against its recorded SHA-256. Audited (document.view).
   * Throws FORBIDDEN, NOT_FOUND (also a paper the user may not see), VAULT_CORRUPT (missing, truncated or tampered
   * blob; the message names the document and its id).
   */
  async read(id: string): Promise<Decrypted> {
    this.ctx.access.require('documents.read');
    const out = await this.decrypt(id);
    await this.ctx.audit({ action: 'document.view', targetType: 'document', targetId: id, details: { personId: out.document.personId } });
    return out;
  }

  /**
   * Records that the user printed a paper they may read (`documents.read`): the window prints what `read` gave.
   * Audited (document.print). Throws FORBIDDEN, NOT_FOUND.
   */
  async recordPrint(id: string): Promise<void> {
    this.ctx.access.require('documents.read');
    const { opened } = await this.find(id, false);
    await this.ctx.audit({ action: 'document.print', targetType: 'document', targetId: id, details: { personId: opened.document.personId } });
  }

  /**
   * Writes a decrypted copy of the document to `path` (atomically; `documents.export` and `documents.read`). The person
   * chose the place. Audited (document.export). Throws FORBIDDEN, NOT_FOUND, VAULT_CORRUPT, VALIDATION (the place
   * cannot be written: missing folder, no permission…, named).
   */
  async export(id: string, path: string): Promise<string> {
    this.ctx.access.require('documents.export');
    this.ctx.access.require('documents.read');
    const { bytes, document } = await this.decrypt(id);
    try {
      await writeFileAtomic(path, bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'erreur inconnue';
      throw new AppError('VALIDATION', `Impossible d'écrire la copie dans « ${path} » (${code}) : vérifiez que le dossier existe et est accessible en écriture.`);
    }
    await this.ctx.audit({ action: 'document.export', targetType: 'document', targetId: id, details: { personId: document.personId } });
    return path;
  }

  /**
   * Decrypts every paper the user may read (`documents.read`) and lists those that fail, each with its reason; the
   * others stay readable. `checked` counts the papers actually decrypted: those the user holds no key for are skipped.
   */
  async verify(): Promise<VerifyReport> {
    this.ctx.access.require('documents.read');
    const rows = (await this.rows().orderBy('d.created_at', 'desc')) as DocumentRow[];
    const failed: VerifyReport['failed'] = [];
    let checked = 0;
    for (const r of rows) {
      let title = documentLabel(fromRow(r, { title: null, note: null }));
      try {
        // Throws VAULT_CORRUPT when a key the user holds does not open the paper: checked, and failed.
        const opened = await this.openRow(r, false);
        if (!opened) continue;
        title = documentLabel(opened.document);
        await this.decrypt(r.id);
        checked++;
      } catch (e) {
        checked++;
        failed.push({ id: r.id, title, error: e instanceof AppError ? e.message : String(e) });
      }
    }
    return { checked, failed };
  }

  /**
   * Replaces a paper's file by a new scan of the same paper: `files` are assembled into a new PDF (same checks as
   * `add`), encrypted under a new document key sealed for the paper's visibility; type, dates, title, note and
   * visibility are kept, the id too. The old key's wrapped copies are overwritten and the old blob deleted.
   * Audited (vault.replaced). Throws FORBIDDEN (not the writer nor an administrator, or no `documents.add`),
   * NOT_FOUND (also a paper the user cannot read), VALIDATION (a file refused, before anything changes).
   */
  async replace(id: string, files: { name: string; bytes: Uint8Array }[], progress?: VaultProgress): Promise<{ id: string; pages: number; sha256: string }> {
    const { row, opened } = await this.findChangeable(id, 'remplacer');
    const { pdf, pages } = await assemblePdf(files, (d, t) => progress?.('assemble', d, t));
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const visibility = parseStoredVisibility(row.visibility);
    const sealed = await this.storeSealed(id, visibility, opened.document, pdf, progress);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update('documents', id, { pages, sha256, size: pdf.byteLength, blob_name: sealed.blobName, ...sealed.keyColumns });
      await this.ctx.audit({ action: 'vault.replaced', targetType: 'document', targetId: id, details: { personId: row.person_id, type: row.type, pages, previousPages: row.pages } }, trx);
    });
    await this.dropBlob(row.blob_name);
    this.onChanged?.(id, 'stored');
    return { id, pages, sha256 };
  }

  /**
   * Removes a paper: its key's wrapped copies, title and note are overwritten, the row becomes a tombstone (it
   * travels by sync like any other), and its blob is deleted. Audited (vault.removed). Throws FORBIDDEN (not the
   * writer nor an administrator, or no `documents.add`), NOT_FOUND (also a paper the user cannot read).
   * The erasure of a person may call this for each paper, or write its own tombstones: the key columns to clear are
   * those of `SHREDDED_KEY_COLUMNS`.
   */
  async remove(id: string): Promise<void> {
    const { row } = await this.findChangeable(id, 'retirer');
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      await m.update('documents', id, { ...SHREDDED_KEY_COLUMNS });
      await m.tombstone('documents', id);
      await this.ctx.audit({ action: 'vault.removed', targetType: 'document', targetId: id, details: { personId: row.person_id, type: row.type, pages: row.pages } }, trx);
    });
    await this.dropBlob(row.blob_name);
    this.onChanged?.(id, 'removed');
  }

  /** A paper the user may replace or remove (`verb` names the act in the refusal), or FORBIDDEN / NOT_FOUND. */
  private async findChangeable(id: string, verb: string): Promise<{ row: DocumentRow; opened: Opened }> {
    this.ctx.access.require('documents.add');
    this.ctx.access.require('documents.read');
    const found = await this.find(id, false);
    if (found.row.created_by !== this.ctx.user.id && !this.ctx.access.has('users.manage')) {
      throw new AppError('FORBIDDEN', `Seule la personne qui a ajouté cette pièce, ou un administrateur, peut la ${verb}.`);
    }
    return found;
  }

  /** Deletes a blob no live row names any more; a failure leaves a harmless orphan (no key opens it). */
  private async dropBlob(name: string): Promise<void> {
    const still = await this.ctx.db('documents').where({ blob_name: name }).whereNull('deleted_at').first('id');
    if (!still) await this.blobs.remove(name).catch(() => undefined);
  }

  private async scopeKey(scopeId: string, epoch?: number): Promise<{ key: Uint8Array; epoch: number }> {
    const q = this.ctx.db('scope_keys').where({ scope_id: scopeId });
    const row = (await (epoch ? q.where({ epoch }) : q.orderBy('epoch', 'desc')).first()) as { key: string; epoch: number } | undefined;
    if (!row) throw new AppError('VAULT_CORRUPT', `Clé du périmètre « ${scopeId} » introuvable.`);
    const sodium = await getSodium();
    return { key: sodium.from_base64(row.key), epoch: row.epoch };
  }
}
