/**
 * Reading the machine-readable zone (MRZ) of a paper being added or already stored, to prefill its type and expiry
 * and warn when the name or birth date differ from the person's record: docs/mrz.md. Nothing read is stored.
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { mrzReading } from '../domain/mrz';
import { pageRotation } from '../domain/scan';

/** Files looked at: the first 4 (a card's two sides, a passport's page) and 30 MiB each (a 600-dpi colour page). */
export const MAX_MRZ_FILES = 4;
export const MAX_MRZ_FILE_BYTES = 30 * 1024 * 1024;

export const mrzMismatch = z.object({
  field: z.enum(['lastName', 'firstNames', 'birthDate']),
  onPaper: z.string().max(60),
  onRecord: z.string().max(200),
});

/** Pages of a scan session read when none are named: the first two (a passport's data page, a card's two sides). */
export const MRZ_SCAN_PAGES = 2;

const mrzResult = z.object({ reading: mrzReading.nullable(), mismatches: z.array(mrzMismatch) });

const mrzFile = z.object({
  name: z.string().min(1).max(255),
  bytes: bytes.refine((b) => b.byteLength > 0 && b.byteLength <= MAX_MRZ_FILE_BYTES, `fichier vide ou trop volumineux pour une lecture de la bande MRZ (${MAX_MRZ_FILE_BYTES / 1048576} Mo au plus)`),
});

export const mrzChannels = channels({
  /**
   * Reads the MRZ of files about to be added for `personId` (`{ personId, files }`, `documents.add`), or of a stored
   * paper (`{ documentId }`, `documents.read`, audited as a view). `reading` is null when no MRZ was found; a reading with `valid: false` must not prefill.
   * `mismatches` compares a valid reading with the person's record (accents and case ignored).
   */
  'papers:readMrz': {
    request: z
      .object({
        personId: id.optional(),
        files: z.array(mrzFile).min(1, 'ajoutez au moins un fichier').max(MAX_MRZ_FILES, `${MAX_MRZ_FILES} fichiers au plus pour lire une bande MRZ`).optional(),
        documentId: id.optional(),
      })
      .strict()
      .refine((r) => (r.documentId ? !r.personId && !r.files : !!r.personId && !!r.files), 'donnez soit la personne et ses fichiers (personId, files), soit une pièce enregistrée (documentId)'),
    response: mrzResult,
  },
  /**
   * Reads the MRZ of pages held by a scan session (shared/contract/scan.ts) for `personId`, in the core, where the
   * pages already are (no page crosses IPC again): `pages` in this order, each turned clockwise by its rotation as
   * the window shows it; without `pages`, the session's first MRZ_SCAN_PAGES pages as they arrived. Same rights as
   * the session (`documents.add`); an unknown session or a page of another session is NOT_FOUND, in French.
   */
  'scan:readMrz': {
    request: z
      .object({
        sessionId: id,
        personId: id,
        pages: z
          .array(z.object({ pageId: id, rotation: pageRotation.default(0) }))
          .min(1, 'choisissez au moins une page')
          .max(MAX_MRZ_FILES, `${MAX_MRZ_FILES} pages au plus pour lire une bande MRZ`)
          .optional(),
      })
      .strict(),
    response: mrzResult,
  },
});
