/**
 * Channels of the scan folder's inbox « À classer » (docs/scanning.md « Dossier de numérisation »): the folder is set
 * per PC (device preferences), its finished files are listed, previewed, filed into a person's papers (the original
 * leaves the folder once the paper is durable) or put aside in `.rejetés`. `inbox:changed` says the list changed.
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id, instant } from '../domain/common';
import { documentMeta } from '../domain/document';

export const INBOX_KINDS = ['pdf', 'jpeg', 'png', 'tiff', 'heic'] as const;
export const inboxKind = z.enum(INBOX_KINDS);
export type InboxKind = z.infer<typeof inboxKind>;

/** An item's id: a hash of the folder and file name (never a path). */
export const inboxId = z.string().regex(/^[0-9a-f]{32}$/, 'identifiant de fichier à classer attendu');

export const inboxItem = z.object({ id: inboxId, name: z.string().max(255), size: z.number().int().nonnegative(), modifiedAt: instant, kind: inboxKind });
export type InboxItem = z.infer<typeof inboxItem>;

const folderPath = z.string().trim().min(1, 'indiquez le chemin du dossier').max(4096);

export const inboxChannels = channels({
  'inbox:getFolder': { request: z.object({}).strict(), response: z.object({ path: z.string().nullable() }) },
  /** Sets (a real folder, absolute path, not a link) or clears (null) this PC's scan folder. */
  'inbox:setFolder': { request: z.object({ path: folderPath.nullable() }), response: z.object({ path: z.string().nullable() }) },
  /** The files ready to be filed (size and mtime stable at two polls). */
  'inbox:list': { request: z.object({}).strict(), response: z.object({ folder: z.string().nullable(), items: z.array(inboxItem) }) },
  'inbox:preview': { request: z.object({ id: inboxId }), response: z.object({ name: z.string(), mime: z.string(), bytes }) },
  /** Files one or more items as ONE paper of `personId` (same checks as `vault:addDocument`), then removes the originals. */
  'inbox:file': {
    request: z.object({ ids: z.array(inboxId).min(1, 'choisissez au moins un fichier').max(100), personId: id, meta: documentMeta, operationId: z.string().max(64).optional() }),
    response: z.object({ id, pages: z.number().int(), sha256: z.string() }),
  },
  /** Moves an item into the `.rejetés` sub-folder (nothing is deleted). */
  'inbox:discard': { request: z.object({ id: inboxId }), response: z.object({ id: inboxId }) },
});
