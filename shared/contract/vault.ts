/** Channels for the vault (coffre-fort). Progress of long additions arrives as `vault:progress` events. */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { documentMeta, vaultDocument, verifyReport } from '../domain/document';

/** 200 MiB per added paper at most: a phone photo is ~5 MB, a 50-page scan ~60 MB. */
export const MAX_DOCUMENT_BYTES = 200 * 1024 * 1024;

export const vaultChannels = channels({
  'vault:addDocument': {
    request: z.object({
      personId: id,
      meta: documentMeta,
      files: z
        .array(z.object({ name: z.string().min(1).max(255), bytes }))
        .min(1, 'ajoutez au moins un fichier')
        .max(100)
        .refine((fs) => fs.reduce((n, f) => n + f.bytes.byteLength, 0) <= MAX_DOCUMENT_BYTES, 'fichiers trop volumineux (200 Mo au plus)'),
      operationId: z.string().max(64).optional(),
    }),
    response: z.object({ id, pages: z.number().int(), sha256: z.string() }),
  },
  'vault:listDocuments': {
    request: z.object({ personId: id.optional() }),
    response: z.object({ items: z.array(vaultDocument) }),
  },
  'vault:readDocument': {
    request: z.object({ id }),
    response: z.object({ document: vaultDocument, fileName: z.string(), bytes }),
  },
  'vault:exportDocument': {
    request: z.object({ id, path: z.string().min(1).max(4096) }),
    response: z.object({ path: z.string() }),
  },
  /** The window printed a paper (the print itself happens in the window): recorded in the audit trail. */
  'vault:recordPrint': { request: z.object({ id }), response: z.object({ id }) },
  'vault:verify': { request: z.object({}).strict(), response: verifyReport },
});
