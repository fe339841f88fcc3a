/**
 * The vault (coffre-fort numérique): papers of a person kept as one PDF each, encrypted with a random per-document
 * key (secretstream, 64 KiB chunks) into a content-addressed blob; the document key is sealed with the key of the
 * document's scope and stored in the row. The row is committed only after the blob is durable (DESIGN.md).
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { DOCUMENT_TYPE_LABELS_FR, type DocumentMeta, type VaultDocument, type VerifyReport } from '../../../shared/domain/document';
import { open, seal, sealedBox, wipe } from '../../crypto/aead';
import { getSodium } from '../../crypto/sodium';
import { writeFileAtomic } from '../../fs/atomic';
import { buildPdf } from '../../vault/pdf';
import { decryptBytes, encryptBytes } from '../../vault/secretstream';
import { BlobStore } from '../../vault/blobStore';
import type { ServiceContext } from '../context';

interface DocumentRow {
  id: string;
  person_id: string;
  type: VaultDocument['type'];
  title: string | null;
  issued_on: string | null;
  expires_on: string | null;
  note: string | null;
  pages: number;
  sha256: string;
  size: number;
  blob_name: string;
  wrapped_key: string;
  scope_id: string;
  key_epoch: number;
  created_at: string;
}

export type VaultProgress = (stage: 'assemble' | 'encrypt' | 'store', done: number, total: number) => void;

const keyAd = (docId: string) => `solidariciel/v1/document-key/${docId}`;

function fromRow(r: DocumentRow): VaultDocument {
  return {
    id: r.id,
    personId: r.person_id,
    type: r.type,
    title: r.title,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on,
    note: r.note,
    pages: r.pages,
    sha256: r.sha256,
    size: r.size,
    createdAt: r.created_at,
  };
}

/** A human name for a document in messages: its title, else its type in French, with the date it was added (dd/mm/yyyy). */
export function documentLabel(d: Pick<VaultDocument, 'title' | 'type' | 'createdAt'>): string {
  const [y, m, day] = d.createdAt.slice(0, 10).split('-');
  return `${d.title ?? DOCUMENT_TYPE_LABELS_FR[d.type]} (ajoutée le ${day}/${m}/${y})`;
}

export class VaultService {
  private readonly blobs: BlobStore;

  constructor(
    private readonly ctx: ServiceContext,
    vaultDir: string,
  ) {
    this.blobs = new BlobStore(vaultDir);
  }

  /**
   * Assembles the files into one PDF, encrypts and stores it, then records the document.
   * Throws NOT_FOUND (person), VALIDATION (a file that is not a readable JPEG/PNG/TIFF/PDF, named).
   */
  async add(personId: string, meta: DocumentMeta, files: { name: string; bytes: Uint8Array }[], progress?: VaultProgress): Promise<{ id: string; pages: number; sha256: string }> {
    const person = await this.ctx.db('people').where({ id: personId }).whereNull('deleted_at').first();
    if (!person) throw new AppError('NOT_FOUND', 'Personne introuvable : le document ne peut pas lui être ajouté.');
    const { pdf, pages } = await buildPdf(files, (d, t) => progress?.('assemble', d, t));
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const sodium = await getSodium();
    const docKey = sodium.randombytes_buf(32);
    const id = uuidv7();
    try {
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
      const scope = await this.scopeKey('association');
      let wrapped: Awaited<ReturnType<typeof seal>>;
      try {
        wrapped = await seal(scope.key, docKey, keyAd(id));
      } finally {
        await wipe(scope.key);
      }
      await this.ctx.mutator.insert('documents', [
        {
          id,
          person_id: personId,
          type: meta.type,
          title: meta.title,
          issued_on: meta.issuedOn,
          expires_on: meta.expiresOn,
          note: meta.note,
          pages,
          sha256,
          size: pdf.byteLength,
          blob_name: blob.name,
          wrapped_key: JSON.stringify(wrapped),
          key_epoch: scope.epoch,
          scope_id: 'association',
        },
      ]);
      return { id, pages, sha256 };
    } finally {
      await wipe(docKey);
    }
  }

  async list(personId?: string): Promise<VaultDocument[]> {
    const q = this.ctx.db('documents').whereNull('deleted_at').orderBy('created_at', 'desc');
    if (personId) q.where({ person_id: personId });
    return ((await q.select('*')) as DocumentRow[]).map(fromRow);
  }

  /**
   * Decrypts a document and checks it against its recorded SHA-256.
   * Throws NOT_FOUND, VAULT_CORRUPT (missing, truncated or tampered blob; the message names the document and its id).
   */
  async read(id: string): Promise<{ document: VaultDocument; bytes: Uint8Array; fileName: string }> {
    const row = (await this.ctx.db('documents').where({ id }).whereNull('deleted_at').first()) as DocumentRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Document introuvable.');
    const document = fromRow(row);
    const corrupt = (why: string) => new AppError('VAULT_CORRUPT', `Le document « ${documentLabel(document)} » (id ${id}) est illisible : ${why.replace(/\.+$/, '')}. Les autres documents ne sont pas touchés.`);
    const scope = await this.scopeKey(row.scope_id, row.key_epoch);
    const parsedBox = sealedBox.safeParse(safeJson(row.wrapped_key));
    const docKey = parsedBox.success ? await open(scope.key, parsedBox.data, keyAd(id)) : null;
    await wipe(scope.key);
    if (!docKey) throw corrupt('sa clé de chiffrement est altérée');
    try {
      let bytes: Uint8Array;
      try {
        bytes = await decryptBytes(docKey, await this.blobs.get(row.blob_name));
      } catch (e) {
        throw corrupt(e instanceof AppError ? e.message : 'fichier chiffré endommagé');
      }
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw corrupt("son empreinte SHA-256 ne correspond pas à l'enregistrement");
      return { document, bytes, fileName: `${row.type}-${row.created_at.slice(0, 10)}.pdf` };
    } finally {
      await wipe(docKey);
    }
  }

  /**
   * Writes a decrypted copy of the document to `path` (atomically). The person chose the place.
   * Throws NOT_FOUND, VAULT_CORRUPT, VALIDATION (the place cannot be written: missing folder, no permission…, named).
   */
  async export(id: string, path: string): Promise<string> {
    const { bytes } = await this.read(id);
    try {
      await writeFileAtomic(path, bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'erreur inconnue';
      throw new AppError('VALIDATION', `Impossible d'écrire la copie dans « ${path} » (${code}) : vérifiez que le dossier existe et est accessible en écriture.`);
    }
    return path;
  }

  /** Decrypts every document and lists those that fail, each with its reason; the others stay readable. */
  async verify(): Promise<VerifyReport> {
    const docs = await this.list();
    const failed: VerifyReport['failed'] = [];
    for (const d of docs) {
      try {
        await this.read(d.id);
      } catch (e) {
        failed.push({ id: d.id, title: documentLabel(d), error: e instanceof AppError ? e.message : String(e) });
      }
    }
    return { checked: docs.length, failed };
  }

  private async scopeKey(scopeId: string, epoch?: number): Promise<{ key: Uint8Array; epoch: number }> {
    const q = this.ctx.db('scope_keys').where({ scope_id: scopeId });
    const row = (await (epoch ? q.where({ epoch }) : q.orderBy('epoch', 'desc')).first()) as { key: string; epoch: number } | undefined;
    if (!row) throw new AppError('VAULT_CORRUPT', `Clé du périmètre « ${scopeId} » introuvable.`);
    const sodium = await getSodium();
    return { key: sodium.from_base64(row.key), epoch: row.epoch };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
