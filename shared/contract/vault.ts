/** Channels for the vault (coffre-fort). Progress of long additions arrives as `vault:progress` events. */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { documentMeta, vaultDocument, verifyReport } from '../domain/document';

/** 200 MiB per added paper at most: a phone photo is ~5 MB, a 50-page scan ~60 MB. */
export const MAX_DOCUMENT_BYTES = 200 * 1024 * 1024;

/** The files of one paper: assembled into one PDF by the core. */
const paperFiles = z
  .array(z.object({ name: z.string().min(1).max(255), bytes }))
  .min(1, 'ajoutez au moins un fichier')
  .max(100)
  .refine((fs) => fs.reduce((n, f) => n + f.bytes.byteLength, 0) <= MAX_DOCUMENT_BYTES, 'fichiers trop volumineux (200 Mo au plus)');
const stored = z.object({ id, pages: z.number().int(), sha256: z.string() });

export const vaultChannels = channels({
  'vault:addDocument': {
    request: z.object({ personId: id, meta: documentMeta, files: paperFiles, operationId: z.string().max(64).optional() }),
    response: stored,
  },
  /** A new scan of the same paper: the old file and its key are destroyed; type, dates and visibility are kept. */
  'vault:replaceDocument': {
    request: z.object({ id, files: paperFiles, operationId: z.string().max(64).optional() }),
    response: stored,
  },
  /** Removes a paper (tombstone; its key and file destroyed). */
  'vault:removeDocument': { request: z.object({ id }), response: z.object({ id }) },
  'vault:listDocuments': {
    request: z.object({ personId: id.optional() }),
    response: z.object({ items: z.array(vaultDocument) }),
  },
  'vault:readDocument': {
    request: z.object({ id }),
    response: z.object({ document: vaultDocument, person: z.object({ firstName: z.string(), lastName: z.string() }), fileName: z.string(), bytes }),
  },
  'vault:exportDocument': {
    request: z.object({ id, path: z.string().min(1).max(4096) }),
    response: z.object({ path: z.string() }),
  },
  /** The window printed a paper (the print itself happens in the window): recorded in the audit trail. */
  'vault:recordPrint': { request: z.object({ id }), response: z.object({ id }) },
  'vault:verify': { request: z.object({}).strict(), response: verifyReport },
});
