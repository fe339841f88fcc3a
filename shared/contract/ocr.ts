/**
 * Channels of the text recognised in papers (docs/ocr.md): the OCR queue's state, the search inside papers, and the
 * searchable PDF export. Progress of the background work comes as the `ocr:progress` event (events.ts).
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { documentType } from '../domain/document';

/** Pages of this device's OCR queue by state. */
export const ocrCounts = z.object({ pending: z.number().int().nonnegative(), done: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });

/** A paper's text: recognised, being recognised, failed (no page could be read), or not queued on this device. */
export const paperOcrState = z.enum(['done', 'pending', 'failed', 'none']);

/** A paper whose text holds the words searched: where, and the words around the first one found. */
export const textHit = z.object({
  documentId: id,
  personId: id,
  personName: z.string(),
  type: documentType,
  /** The paper's title, else its type in French. */
  label: z.string(),
  page: z.number().int().positive(),
  snippet: z.string(),
});

export const ocrChannels = channels({
  /**
   * The queue's counts. With `wait`, first recognises every page pending that the user can open (the CLI's
   * `vault ocr --wait`; the window never waits: the queue runs in the background after unlock).
   */
  'papers:ocr': { request: z.object({ wait: z.boolean().default(false) }), response: ocrCounts },
  /** The text state of each paper of a person the user may see (documents.read). */
  'papers:ocrStates': { request: z.object({ personId: id }), response: z.object({ items: z.array(z.object({ documentId: id, state: paperOcrState })) }) },
  /** Papers the user may read whose recognised text holds every word of `query` (accents and case ignored). */
  'papers:searchText': {
    request: z.object({ query: z.string().trim().min(2, 'saisissez au moins 2 caractères').max(200), limit: z.number().int().min(1).max(50).default(20) }),
    response: z.object({ items: z.array(textHit) }),
  },
  /**
   * A copy of a paper with its recognised text as an invisible layer (documents.export): written to `path`, or, without
   * one (the browser host has no save dialog), returned as `pdf` for a download. Audited either way.
   */
  'papers:exportSearchable': {
    request: z.object({ id, path: z.string().min(1).max(4096).optional() }),
    response: z.object({ path: z.string().nullable(), fileName: z.string(), pagesWithText: z.number().int().nonnegative(), pdf: bytes.nullable() }),
  },
});
