/**
 * « Exporter en PDF interrogeable »: a decrypted copy of a paper with its recognised text as an invisible layer
 * (main/ocr/searchablePdf.ts) over its recognised pages — a page whose text came from its own text layer gets none: it
 * is searchable as it is — written where the person chose. Same rights as the plain export (`documents.export`
 * and `documents.read`, a paper the user may read), audited the same way (document.export, `searchable: true`).
 * The stored paper is not touched.
 */
import { AppError } from '../../../shared/domain/errors';
import { wipe } from '../../crypto/aead';
import { writeFileAtomic } from '../../fs/atomic';
import { addTextLayer, type PageWords } from '../../ocr/searchablePdf';
import type { ServiceContext } from '../context';
import type { VaultService } from '../vault/vaultService';
import { openPageText } from './textSeal';

/**
 * The searchable PDF of paper `id` (bytes), and how many of its pages carry text.
 * Throws FORBIDDEN, NOT_FOUND, VAULT_CORRUPT (as VaultService.decrypt), VALIDATION when no page's text has been
 * recognised yet (« Le texte de cette pièce n'a pas encore été reconnu »).
 */
export async function searchablePdf(ctx: ServiceContext, vault: VaultService, id: string): Promise<{ pdf: Uint8Array; pagesWithText: number; fileName: string }> {
  ctx.access.require('documents.export');
  ctx.access.require('documents.read');
  const { bytes, document, fileName } = await vault.decrypt(id);
  const rows = (await ctx.db('document_texts').where({ document_id: id, sha256: document.sha256 }).whereNull('deleted_at').orderBy('updated_at').select('page', 'ciphertext')) as { page: number; ciphertext: string }[];
  const pages = new Map<number, PageWords>();
  // Pages whose text is their own text layer are searchable already: counted, but given no second, hidden layer.
  let fromTextLayer = 0;
  if (rows.length > 0) {
    const { opened } = await vault.find(id, true);
    const docKey = opened.docKey!;
    try {
      for (const r of rows) {
        const text = await openPageText(docKey, id, r.page, document.sha256, r.ciphertext);
        if (text?.source === 'textLayer') fromTextLayer++;
        else if (text) pages.set(r.page, text);
      }
    } finally {
      await wipe(docKey);
    }
  }
  if (pages.size + fromTextLayer === 0) throw new AppError('VALIDATION', "Le texte de cette pièce n'a pas encore été reconnu : réessayez une fois la reconnaissance terminée.");
  const pdf = pages.size > 0 ? await addTextLayer(bytes, pages) : bytes;
  return { pdf, pagesWithText: pages.size + fromTextLayer, fileName: fileName.replace(/\.pdf$/i, '') + ' (interrogeable).pdf' };
}

/**
 * Writes the searchable PDF of paper `id` to `path` (atomically), or returns its bytes when no `path` is given (a
 * download in the browser host). Audited (document.export, searchable).
 * Throws as `searchablePdf`, and VALIDATION when the place cannot be written (named).
 */
export async function exportSearchable(ctx: ServiceContext, vault: VaultService, id: string, path?: string): Promise<{ path: string | null; fileName: string; pagesWithText: number; pdf: Uint8Array | null }> {
  const { pdf, pagesWithText, fileName } = await searchablePdf(ctx, vault, id);
  if (path !== undefined) {
    try {
      await writeFileAtomic(path, pdf);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'erreur inconnue';
      throw new AppError('VALIDATION', `Impossible d'écrire la copie dans « ${path} » (${code}) : vérifiez que le dossier existe et est accessible en écriture.`);
    }
  }
  const person = (await ctx.db('documents').where({ id }).first('person_id')) as { person_id: string } | undefined;
  await ctx.audit({ action: 'document.export', targetType: 'document', targetId: id, details: { personId: person?.person_id ?? null, searchable: true } });
  return { path: path ?? null, fileName, pagesWithText, pdf: path === undefined ? pdf : null };
}
