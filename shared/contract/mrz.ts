/**
 * Reading the machine-readable zone (MRZ) of a paper being added or already stored, to prefill its type and expiry
 * and warn when the name or birth date differ from the person's record: docs/mrz.md. Nothing read is stored.
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { mrzReading } from '../domain/mrz';

/** Files looked at: the first 4 (a card's two sides, a passport's page) and 30 MiB each (a 600-dpi colour page). */
export const MAX_MRZ_FILES = 4;
export const MAX_MRZ_FILE_BYTES = 30 * 1024 * 1024;

export const mrzMismatch = z.object({
  field: z.enum(['lastName', 'firstNames', 'birthDate']),
  onPaper: z.string().max(60),
  onRecord: z.string().max(200),
});

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
    response: z.object({ reading: mrzReading.nullable(), mismatches: z.array(mrzMismatch) }),
  },
});
