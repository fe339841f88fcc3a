/**
 * A `documents` row and what every vault path derives from it: the domain shape, a paper's name in messages, the
 * VAULT_CORRUPT error, and the associated data and derived key of its sealed parts (docs/access.md "Keys").
 */
import { AppError } from '../../../shared/domain/errors';
import { DOCUMENT_TYPE_LABELS_FR, type VaultDocument } from '../../../shared/domain/document';
import { parseStoredVisibility } from '../access/storedVisibility';
import { getSodium } from '../../crypto/sodium';

/** A decrypted paper: its metadata, its PDF, the person it belongs to, and the name of an exported copy (shared/domain/paperName.ts). */
export interface Decrypted {
  document: VaultDocument;
  bytes: Uint8Array;
  person: { firstName: string; lastName: string };
  fileName: string;
}

/** A paper the current user may read: its metadata, and its document key when asked for (wipe it after use). */
export interface Opened {
  document: VaultDocument;
  docKey: Uint8Array | null;
}

export interface DocumentRow {
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
  created_by: string | null;
  visibility: string;
  ciphertext: string | null;
  key_wraps: string | null;
  /** From the join with `people` (VaultService.rows). */
  person_first_name?: string;
  person_last_name?: string;
}

export const keyAd = (docId: string) => `solidariciel/v1/document-key/${docId}`;
export const metaAd = (docId: string) => `solidariciel/v1/record/documents/${docId}`;
/** libsodium crypto_kdf context (8 bytes) of the key that seals a narrower paper's title and note. */
export const META_KDF_CONTEXT = 'docmeta_';

/** The key sealing a narrower paper's title and note, derived from its document key (never the document key itself). */
export async function metaKey(docKey: Uint8Array): Promise<Uint8Array> {
  const sodium = await getSodium();
  return sodium.crypto_kdf_derive_from_key(32, 1, META_KDF_CONTEXT, docKey);
}

export function fromRow(r: DocumentRow, meta: { title: string | null; note: string | null }): VaultDocument {
  return {
    id: r.id,
    personId: r.person_id,
    type: r.type,
    title: meta.title,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on,
    note: meta.note,
    visibility: parseStoredVisibility(r.visibility),
    pages: r.pages,
    sha256: r.sha256,
    size: r.size,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** A human name for a document in messages: its title, else its type in French, with the date it was added (dd/mm/yyyy). */
export function documentLabel(d: Pick<VaultDocument, 'title' | 'type' | 'createdAt'>): string {
  const [y, m, day] = d.createdAt.slice(0, 10).split('-');
  return `${d.title ?? DOCUMENT_TYPE_LABELS_FR[d.type]} (ajoutée le ${day}/${m}/${y})`;
}

export function corruptError(document: VaultDocument, why: string): AppError {
  return new AppError('VAULT_CORRUPT', `Le document « ${documentLabel(document)} » (id ${document.id}) est illisible : ${why.replace(/\.+$/, '')}. Les autres documents ne sont pas touchés.`);
}

/** JSON.parse that answers null for malformed text (a damaged column is reported by its caller). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
